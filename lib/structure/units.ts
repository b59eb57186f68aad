/**
 * Units and conversion factors. polymorph works in eV, Å, fs, amu, K and e (LAMMPS "metal" with
 * time in fs, as in ASE). Constants are CODATA 2018 (as in ASE ≥ 3.22 `ase.units`).
 * @module
 */

/** Boltzmann constant, eV/K. */
export const boltzmann = 8.617333262e-5;
/** Bohr radius, Å. */
export const bohr = 0.529177210903;
/** Hartree energy, eV. */
export const hartree = 27.211386245988;
/**
 * Coulomb constant k_e = e²/(4πε₀), eV·Å/e², CODATA 2018: the one definition in polymorph (also
 * exported as `COULOMB_CONSTANT` from `polymorph/potentials`, the default of Ewald and Coulomb).
 * LAMMPS metal units use 14.399645 and ASE 3.22 14.399645351950548: pass `coulombConstant` to a
 * potential to match them.
 */
export const coulombConstant = 14.39964547842567;
/** 1 amu·Å²/fs² in eV (kinetic energy unit conversion). */
export const amuA2PerFs2InEv = 103.6426965268;
/** 1 eV/Å³ in GPa. */
export const evPerA3InGPa = 160.21766339999996;
/** LAMMPS metal velocities are Å/ps; polymorph's are Å/fs: v[Å/fs] = v[Å/ps] · this. */
export const angstromPerPsInAngstromPerFs = 1e-3;
/** ASE's time unit (Å·sqrt(amu/eV)) in fs: ASE velocities (momenta / mass) in Å per ASE time unit divided by this give Å/fs. */
export const aseTimeUnitInFs = 10.180505710759416;

/**
 * A rigid-ion (no shells) Buckingham + Coulomb model of ZnO, as a ready-made potential.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { Buckingham, type BuckinghamPair } from './buckingham';
import { Ewald } from './ewald';
import { SumPotential } from './sum';

/**
 * Short-range parameters of the rigid-ion ZnO model (A in eV, ρ in Å, C in eV·Å⁶), with
 * formal charges Zn +2, O −2 (e). Zn–Zn has no short-range term.
 *
 * - Zn–O: A = 529.70 eV, ρ = 0.3581 Å, C = 0 (D. J. Binks, PhD thesis, University of Surrey
 *   (1994); used for ZnO molecular dynamics, e.g. by Kulkarni, Zhou et al., Nanotechnology 16,
 *   2749 (2005)). NOT VERIFIED here: no copy of the thesis or a paper table quoting these two
 *   numbers could be found in the sources searched; they are taken from the literature
 *   citation in the project issue. The test suite checks their physical consequence instead
 *   (wurtzite is the lowest-energy polymorph; relaxed a, c, u near experiment).
 * - O–O: A = 9547.96 eV, ρ = 0.21916 Å, C = 32.0 eV·Å⁶: the widely shared Bush/Binks O²⁻–O²⁻
 *   term (Bush, Gale, Catlow, Battle, J. Mater. Chem. 4, 831 (1994)). Verified: the same three
 *   numbers appear in independent public input files for oxide rigid-ion models (e.g. GULP/LAMMPS
 *   inputs for SrTiO₃/LaAlO₃ and MgO "Ball–Grimes" sets, formal charge −2).
 */
export const ZINC_OXIDE_BUCKINGHAM_PAIRS: Readonly<Record<'Zn-O' | 'O-O', Readonly<Required<Omit<BuckinghamPair, 'cutoff'>>>>> = Object.freeze({
  'Zn-O': Object.freeze({ A: 529.70, rho: 0.3581, C: 0 }),
  'O-O': Object.freeze({ A: 9547.96, rho: 0.21916, C: 32.0 }),
});

/** Formal charges of the rigid-ion ZnO model, e. */
export const ZINC_OXIDE_CHARGES: Readonly<{ Zn: number; O: number }> = Object.freeze({ Zn: 2, O: -2 });

/** Options of {@link zincOxideBuckingham}. */
export interface ZincOxideBuckinghamOptions {
  /** Cutoff of the Buckingham part, Å. Default 10 (the O–O terms beyond are below 1e-4 eV per pair; Zn–O is < 1e-9 eV). */
  cutoff?: number;
  /** Shift the Buckingham pair energies to zero at the cutoff. Default false. */
  shift?: boolean;
  /** Target accuracy of the Ewald sum (see {@link EwaldOptions.accuracy}). Default 1e-6. */
  accuracy?: number;
}

/** The parts of the rigid-ion ZnO model and their sum. */
export interface ZincOxideModel {
  /** Short-range Buckingham part (Zn–O and O–O; Zn–Zn does not interact). */
  buckingham: Buckingham;
  /** Coulomb part: Ewald sum with charges Zn +2, O −2 (e). Needs a periodic cell along all three axes. */
  ewald: Ewald;
  /** buckingham + ewald: energy (eV), forces (eV/Å), stress (eV/Å³), per-atom energies (eV). */
  potential: SumPotential;
}

/**
 * The rigid-ion ZnO model (formal charges ±2, Buckingham Zn–O and O–O; parameters and sources in
 * {@link ZINC_OXIDE_BUCKINGHAM_PAIRS}). Its lowest-energy polymorph is wurtzite; relaxed with this
 * library (cutoff 10 Å, Ewald 1e-8) it gives a ≈ 3.271 Å, c ≈ 5.139 Å, u ≈ 0.389 (experiment 3.250, 5.207, 0.382) (see
 * test/potentials/zinc-oxide.test.ts for the numbers measured and the polymorph ordering).
 * The Ewald part needs fully periodic structures; the Buckingham part alone works with any pbc.
 * @example
 * const zno = zincOxideBuckingham();
 * const { energy, forces } = zno.potential.compute(wurtzite().repeat([3, 3, 2]), { forces: true });
 */
export function zincOxideBuckingham(options: ZincOxideBuckinghamOptions = {}): ZincOxideModel {
  if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'zincOxideBuckingham: options must be an object');
  for (const key of Object.keys(options)) {
    if (key !== 'cutoff' && key !== 'shift' && key !== 'accuracy') throw new PolymorphError('E_VALUE', `zincOxideBuckingham: unknown option '${key}' (expected cutoff, shift, accuracy)`);
  }
  const buckingham = new Buckingham({
    pairs: { 'Zn-O': { ...ZINC_OXIDE_BUCKINGHAM_PAIRS['Zn-O'] }, 'O-O': { ...ZINC_OXIDE_BUCKINGHAM_PAIRS['O-O'] } },
    cutoff: options.cutoff ?? 10,
    shift: options.shift ?? false,
  });
  const ewald = new Ewald({ charges: { ...ZINC_OXIDE_CHARGES }, accuracy: options.accuracy ?? 1e-6 });
  return { buckingham, ewald, potential: new SumPotential([buckingham, ewald]) };
}

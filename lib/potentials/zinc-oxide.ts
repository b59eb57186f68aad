/**
 * A rigid-ion (no shells) Buckingham + Coulomb model of ZnO, as a ready-made potential.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { Buckingham, type BuckinghamPair } from './buckingham';
import { Ewald } from './ewald';
import { SumPotential } from './sum';

/** Short-range Buckingham terms of one rigid-ion ZnO set (A in eV, ρ in Å, C in eV·Å⁶). */
export type ZincOxidePairs = Readonly<Record<'Zn-O' | 'O-O', Readonly<Required<Omit<BuckinghamPair, 'cutoff'>>>>>;

/**
 * The published short-range parameter sets the rigid-ion ZnO model can use, all with formal
 * charges Zn +2, O −2 (e) and no Zn–Zn short-range term. Relaxed with this library (cutoff 10 Å,
 * Ewald 1e-8, symmetry-constrained) both give wurtzite as the ground state, then zincblende,
 * rocksalt and CsCl (test/potentials/zinc-oxide.test.ts):
 *
 * - `'binks'` (the default): Zn–O A = 529.70 eV, ρ = 0.3581 Å, C = 0 (D. J. Binks, PhD thesis,
 *   University of Surrey (1994); the set used without shells for ZnO molecular dynamics, e.g. by
 *   A. J. Kulkarni, M. Zhou et al., Nanotechnology 16, 2749 (2005)); O–O A = 9547.96 eV,
 *   ρ = 0.21916 Å, C = 32.0 eV·Å⁶ (the O²⁻–O²⁻ term of Bush, Gale, Catlow, Battle, J. Mater. Chem.
 *   4, 831 (1994)). The O–O numbers were verified against independent public input files of
 *   formal-charge oxide models; the Zn–O numbers could NOT be checked against the thesis or a
 *   table quoting them in the sources available here. Relaxed: wurtzite a = 3.271 Å,
 *   c = 5.139 Å, u = 0.389 (experiment 3.250, 5.207, 0.382), −39.342 eV per formula unit,
 *   90 meV below zincblende.
 * - `'lewis-catlow'`: Zn–O A = 499.6 eV, ρ = 0.3595 Å, C = 0; O–O A = 22764.3 eV, ρ = 0.1490 Å,
 *   C = 27.88 eV·Å⁶ (G. V. Lewis, C. R. A. Catlow, J. Phys. C: Solid State Phys. 18, 1149 (1985);
 *   fitted for a shell model, used here without shells as pypospack's `LewisCatlow1985` rigid-ion
 *   set does; the numbers were verified against that table). Relaxed: wurtzite a = 3.231 Å,
 *   c = 5.077 Å, u = 0.389, −39.663 eV per formula unit, 90 meV below zincblende.
 */
export const ZINC_OXIDE_PARAMETER_SETS: Readonly<Record<'binks' | 'lewis-catlow', ZincOxidePairs>> = Object.freeze({
  binks: Object.freeze({
    'Zn-O': Object.freeze({ A: 529.70, rho: 0.3581, C: 0 }),
    'O-O': Object.freeze({ A: 9547.96, rho: 0.21916, C: 32.0 }),
  }),
  'lewis-catlow': Object.freeze({
    'Zn-O': Object.freeze({ A: 499.6, rho: 0.3595, C: 0 }),
    'O-O': Object.freeze({ A: 22764.3, rho: 0.1490, C: 27.88 }),
  }),
});

/** The default short-range set of {@link zincOxideBuckingham}: {@link ZINC_OXIDE_PARAMETER_SETS}`.binks`. */
export const ZINC_OXIDE_BUCKINGHAM_PAIRS: ZincOxidePairs = ZINC_OXIDE_PARAMETER_SETS.binks;

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
  /** Which published short-range set (see {@link ZINC_OXIDE_PARAMETER_SETS}). Default `'binks'`. */
  parameters?: 'binks' | 'lewis-catlow';
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
 * The rigid-ion ZnO model (formal charges ±2, Buckingham Zn–O and O–O; parameter sets and their
 * sources in {@link ZINC_OXIDE_PARAMETER_SETS}). Its lowest-energy polymorph is wurtzite with
 * either set; with the default set, relaxed with this library (cutoff 10 Å, Ewald 1e-8), a ≈ 3.271 Å,
 * c ≈ 5.139 Å, u ≈ 0.389 (experiment 3.250, 5.207, 0.382) (see test/potentials/zinc-oxide.test.ts
 * for the numbers measured and the polymorph ordering).
 * The Ewald part needs fully periodic structures; the Buckingham part alone works with any pbc.
 * @example
 * const zno = zincOxideBuckingham();
 * const { energy, forces } = zno.potential.compute(wurtzite().repeat([3, 3, 2]), { forces: true });
 */
export function zincOxideBuckingham(options: ZincOxideBuckinghamOptions = {}): ZincOxideModel {
  if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'zincOxideBuckingham: options must be an object');
  for (const key of Object.keys(options)) {
    if (key !== 'cutoff' && key !== 'shift' && key !== 'accuracy' && key !== 'parameters') {
      throw new PolymorphError('E_VALUE', `zincOxideBuckingham: unknown option '${key}' (expected cutoff, shift, accuracy, parameters)`);
    }
  }
  const name = options.parameters ?? 'binks';
  if (name !== 'binks' && name !== 'lewis-catlow') {
    throw new PolymorphError('E_VALUE', `zincOxideBuckingham: unknown parameter set '${String(name)}' (expected 'binks' or 'lewis-catlow')`);
  }
  const pairs = ZINC_OXIDE_PARAMETER_SETS[name];
  const buckingham = new Buckingham({
    pairs: { 'Zn-O': { ...pairs['Zn-O'] }, 'O-O': { ...pairs['O-O'] } },
    cutoff: options.cutoff ?? 10,
    shift: options.shift ?? false,
  });
  const ewald = new Ewald({ charges: { ...ZINC_OXIDE_CHARGES }, accuracy: options.accuracy ?? 1e-6 });
  return { buckingham, ewald, potential: new SumPotential([buckingham, ewald]) };
}

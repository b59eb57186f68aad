/**
 * Ewald summation of point charges in periodic cells, evaluated in C++ (OpenMP).
 * @module
 */
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeEvaluation, NativeEvaluator, NativeEwaldParameters } from '../core/native-types';
import { checkOptions } from '../core/options';
import type { Structure } from '../structure/structure';
import { type EvaluationArgs, NativePotential, shapeResults } from './native-potential';
import { atomCharges, type ChargeMap, describeCharges, nativeChargeTable, parseChargeMap } from './point-charges';
import { checkPositive } from './requests';
import { choosePmeParameters } from './pme-parameters';
import type { ComputeRequest, Results } from './potential';

import { coulombConstant } from '../structure/units';
import { inspect } from 'util';
import { formatNumber, summary, withSummary } from '../core/inspect';

/** Coulomb constant k_e = e²/(4πε₀) in eV·Å/e², CODATA 2018 (`units.coulombConstant`; LAMMPS metal: 14.399645; ASE 3.22: 14.399645351950548). */
export const COULOMB_CONSTANT = coulombConstant;

/**
 * Ratio of the cost of one real-space pair to one (k-vector, atom) term of the reciprocal sum
 * in this implementation (measured, see bench/ewald.ts); it balances the two sums in the
 * choice of α.
 */
export const EWALD_COST_RATIO = 20;

/** Options of {@link Ewald}. */
export interface EwaldOptions {
  /** Charges by element (e), e.g. `{ Zn: 2, O: -2 }`. Default: the structure's per-atom `charges`. */
  charges?: ChargeMap;
  /**
   * Target accuracy ε in (0, 1), default 1e-6: the neglected Gaussian factors e^{−α²r_c²} and
   * e^{−kmax²/4α²} equal ε, which bounds force errors relative to the force between two unit
   * charges 1 Å apart (LAMMPS' definition); see docs/guides/electrostatics.md for measured errors.
   */
  accuracy?: number;
  /** Real-space cutoff r_c, Å. Default √(−ln ε)/α. */
  cutoff?: number;
  /** Splitting parameter α, 1/Å. Default √π (c N/V²)^{1/6} (c = {@link EWALD_COST_RATIO}), or from `cutoff` or `kmax`. */
  alpha?: number;
  /** Reciprocal-space cutoff: the largest |k| summed, 1/Å (not an integer index). Default 2α√(−ln ε). */
  kmax?: number;
  /** Coulomb constant, eV·Å/e². Default {@link COULOMB_CONSTANT} (CODATA 2018). */
  coulombConstant?: number;
  /** Add a uniform neutralising background to charged cells. Default true; false makes a charged cell an `E_VALUE` error. */
  background?: boolean;
  /**
   * Reciprocal-space method: `'ewald'` (default, explicit k-vectors) or `'pme'` (smooth
   * particle-mesh Ewald, O(N log N): B-splines of `order` on a grid, own FFT).
   */
  method?: 'ewald' | 'pme';
  /** PME grid points along each lattice vector. Default: see {@link Ewald.parameters}. */
  grid?: readonly [number, number, number];
  /** PME B-spline order, 3…12. Default 6. */
  order?: number;
}

/** The parameters used for one structure. */
export interface EwaldParameters {
  /** Target relative accuracy ε. */
  accuracy: number;
  /** Splitting parameter α, 1/Å. */
  alpha: number;
  /** Real-space cutoff r_c, Å. */
  cutoff: number;
  /** Reciprocal-space cutoff |k|max, 1/Å. */
  kmax: number;
  /** Coulomb constant, eV·Å/e². */
  coulombConstant: number;
  /** Whether a neutralising background is added to charged cells. */
  background: boolean;
  /** Reciprocal-space method. */
  method: 'ewald' | 'pme';
  /** PME grid (K1, K2, K3) and B-spline order; absent for `'ewald'`. */
  grid?: [number, number, number];
  order?: number;
  /**
   * PME: estimated RMS force errors of the real-space and mesh parts and their combination, in
   * units of k_e/Å² (the accuracy metric; see pme-parameters.ts); absent for `'ewald'`.
   */
  errorEstimate?: { real: number; reciprocal: number; total: number };
}

/** {@link Results} of an Ewald evaluation, with the energy terms and the parameters used. */
export interface EwaldResults extends Results {
  /** Energy terms, eV: real + reciprocal + self + background = energy. */
  terms: { real: number; reciprocal: number; self: number; background: number };
  /** Parameters used, and the number of k-vectors summed (k and −k counted once). */
  parameters: EwaldParameters & { kVectors: number };
}

const optionKeys = ['charges', 'accuracy', 'cutoff', 'alpha', 'kmax', 'coulombConstant', 'background', 'method', 'grid', 'order'];

/** Default PME real-space cutoff (Å) when neither alpha nor cutoff is given. */
export const PME_DEFAULT_CUTOFF = 8;

/**
 * Ewald summation for point charges q_i (e) in a periodic triclinic cell (rows = lattice
 * vectors, Å), tin-foil boundary conditions:
 *
 *   E = k_e [ ½ Σ'_{i,j,n} q_i q_j erfc(α r)/r + (2π/V) Σ_{0<|k|<kmax} e^{−k²/4α²}/k² |S(k)|²
 *             − (α/√π) Σ q_i² − π Q²/(2Vα²) ],    S(k) = Σ_j q_j e^{ik·r_j}, Q = Σ q_i
 *
 * in eV, with forces (eV/Å), stress σ = (1/V) ∂E/∂ε (eV/Å³, ASE sign; the background term
 * contributes −E_bg δ_ab) and per-atom energies (eV): half of each real-space pair to each
 * atom, E_i^recip = k_e (2π/V) Σ_k A(k) q_i Re[e^{ik·r_i} S*(k)], the self term −k_e (α/√π) q_i²
 * and the background share −k_e π Q q_i/(2Vα²) of each atom; they sum to the energy.
 *
 * Parameters from the target accuracy ε (see docs/guides/electrostatics.md): with s = √(−ln ε),
 *
 *   α = √π (c N / V²)^{1/6},   r_c = s/α,   kmax = 2 α s,
 *
 * so that the largest neglected real-space factor e^{−α² r_c²} and reciprocal factor
 * e^{−kmax²/4α²} both equal ε; c = {@link EWALD_COST_RATIO} balances the cost of the two sums,
 * which makes the cost O(N^{3/2}). Errors are measured in docs/guides/electrostatics.md (force
 * errors relative to k_e/Å² below ε; ideal crystals with a Bragg peak at kmax can have energy errors
 * of a few ε, so ask for a smaller ε when such energies matter). Given `alpha`, `cutoff` or `kmax`, the others follow from
 * the same relations; {@link parameters} reports the values used.
 *
 * Needs a cell periodic in all three directions (`E_CELL` otherwise, or for a singular cell).
 * @example
 * const ewald = new Ewald({ charges: { Zn: 2, O: -2 }, accuracy: 1e-6 });
 * const { energy, forces, stress } = ewald.compute(zno, { forces: true, stress: true });
 * ewald.parameters(zno); // { alpha, cutoff, kmax, … }
 */
export class Ewald extends NativePotential {
  /**
   * The real-space cutoff r_c used (Å) when it does not depend on the structure: the `cutoff`
   * option, or √(−ln ε)/α from `alpha` or `kmax`, or the PME default {@link PME_DEFAULT_CUTOFF}.
   * 0 for the default Ewald method, whose α (and so r_c) is chosen per structure: see
   * {@link parameters}. Every image is summed either way.
   */
  readonly cutoff: number;
  protected readonly potentialName = 'Ewald';
  private readonly evaluators = new Map<string, { handle: NativeEvaluator; parameters: EwaldParameters }>();
  private readonly parametersOf = new WeakMap<NativeEvaluator, EwaldParameters>();
  /** Target relative accuracy ε. */
  readonly accuracy: number;
  /** Coulomb constant, eV·Å/e². */
  readonly coulombConstant: number;
  /** Whether charged cells get a neutralising background. */
  readonly background: boolean;
  private readonly charges: Map<number, number> | null;
  /** Reciprocal-space method. */
  readonly method: 'ewald' | 'pme';
  private readonly options: { alpha?: number; cutoff?: number; kmax?: number; grid?: [number, number, number]; order: number };

  constructor(options: EwaldOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'Ewald: options must be an object');
    checkOptions(options, optionKeys, 'Ewald');
    const accuracy = options.accuracy ?? 1e-6;
    if (typeof accuracy !== 'number' || !(accuracy > 0 && accuracy < 1)) {
      throw new PolymorphError('E_VALUE', `Ewald: accuracy must be a number in (0, 1), got ${String(options.accuracy)}`);
    }
    this.accuracy = accuracy;
    this.coulombConstant = options.coulombConstant === undefined ? COULOMB_CONSTANT : checkPositive(options.coulombConstant, 'Ewald: coulombConstant (eV·Å/e²)');
    this.background = options.background ?? true;
    if (typeof this.background !== 'boolean') throw new PolymorphError('E_TYPE', 'Ewald: background must be a boolean');
    this.charges = options.charges === undefined ? null : parseChargeMap(options.charges, 'Ewald');
    this.options = {
      alpha: options.alpha === undefined ? undefined : checkPositive(options.alpha, 'Ewald: alpha (1/Å)'),
      cutoff: options.cutoff === undefined ? undefined : checkPositive(options.cutoff, 'Ewald: cutoff (Å)'),
      kmax: options.kmax === undefined ? undefined : checkPositive(options.kmax, 'Ewald: kmax (1/Å)'),
      grid: options.grid === undefined ? undefined : checkGrid(options.grid),
      order: options.order ?? 6,
    };
    this.method = options.method ?? 'ewald';
    if (this.method !== 'ewald' && this.method !== 'pme') throw new PolymorphError('E_VALUE', `Ewald: method must be 'ewald' or 'pme', got ${JSON.stringify(options.method)}`);
    if (!Number.isInteger(this.options.order) || this.options.order < 3 || this.options.order > 12) {
      throw new PolymorphError('E_VALUE', `Ewald: order must be an integer 3…12, got ${String(options.order)}`);
    }
    if (this.method === 'ewald' && (options.grid !== undefined || options.order !== undefined)) {
      throw new PolymorphError('E_VALUE', "Ewald: grid and order apply to method 'pme' only");
    }
    this.cutoff = this.fixedCutoff();
  }

  /** r_c when the options fix it (Å), else 0 (chosen per structure). */
  private fixedCutoff(): number {
    const s = Math.sqrt(-Math.log(this.accuracy));
    const { alpha, cutoff, kmax } = this.options;
    if (cutoff !== undefined) return cutoff;
    if (alpha !== undefined) return s / alpha;
    if (kmax !== undefined) return s / (kmax / (2 * s));
    return this.method === 'pme' ? PME_DEFAULT_CUTOFF : 0;
  }

  /** α (1/Å), real-space cutoff (Å) and kmax (1/Å) used for `structure` (see the class documentation). */
  parameters(structure: Structure): EwaldParameters {
    const volume = cellVolume(structure);
    const s = Math.sqrt(-Math.log(this.accuracy));
    const { alpha: a, cutoff: rc, kmax: kc } = this.options;
    const common = { accuracy: this.accuracy, coulombConstant: this.coulombConstant, background: this.background, method: this.method };
    if (this.method === 'pme') {
      const cell = flatFloat64(structure.cell!);
      const charges = atomCharges(structure, this.charges, 'Ewald');
      let sumQ2 = 0;
      for (const q of charges) sumQ2 += q * q;
      const alphaGiven = a ?? (rc === undefined && kc !== undefined ? kc / (2 * s) : undefined);
      const choice = choosePmeParameters({
        accuracy: this.accuracy, sumQ2, n: structure.length, volume, order: this.options.order,
        lengths: [0, 1, 2].map((d) => Math.hypot(cell[3 * d], cell[3 * d + 1], cell[3 * d + 2])),
        alpha: alphaGiven, cutoff: rc, grid: this.options.grid, defaultCutoff: PME_DEFAULT_CUTOFF,
      });
      return {
        ...common, alpha: choice.alpha, cutoff: choice.cutoff, kmax: kc ?? 2 * choice.alpha * s,
        grid: choice.grid, order: this.options.order, errorEstimate: choice.errorEstimate,
      };
    }
    const alpha = a ?? (rc !== undefined ? s / rc : kc !== undefined ? kc / (2 * s)
      : Math.sqrt(Math.PI) * Math.pow((EWALD_COST_RATIO * structure.length) / (volume * volume), 1 / 6));
    return { ...common, alpha, cutoff: rc ?? s / alpha, kmax: kc ?? 2 * alpha * s };
  }

  /**
   * Energy (eV) and, on request, forces (eV/Å), stress (eV/Å³) and per-atom energies (eV), with
   * the energy terms and the parameters used.
   */
  override compute(structure: Structure, want: ComputeRequest = {}): EwaldResults {
    return super.compute(structure, want) as EwaldResults;
  }

  /** {@link compute} off the event loop (queued behind other async native jobs); inputs are copied at the call. */
  override computeAsync(structure: Structure, want: ComputeRequest = {}): Promise<EwaldResults> {
    return super.computeAsync(structure, want) as Promise<EwaldResults>;
  }

  /**
   * The native evaluator for `structure`: α, r_c, kmax and the PME grid follow from its atom
   * count, volume and charges, so one evaluator is kept per distinct parameter set (an MD run at
   * fixed cell uses one). @internal
   */
  evaluatorFor(structure: Structure): NativeEvaluator {
    if (!structure.cell || !structure.pbc.every((p) => p)) {
      throw new PolymorphError('E_CELL', 'Ewald: needs a cell periodic in all three directions; use Coulomb for open clusters');
    }
    const p = this.parameters(structure);
    const key = [p.alpha, p.cutoff, p.kmax, ...(p.grid ?? []), p.order ?? 0].join(',');
    let entry = this.evaluators.get(key);
    if (!entry) {
      const parameters: NativeEwaldParameters = { alpha: p.alpha, cutoff: p.cutoff, kCutoff: p.kmax, coulombConstant: p.coulombConstant, background: p.background };
      if (p.grid) Object.assign(parameters, { pme: true, grid: Int32Array.from(p.grid), order: p.order });
      const charges = nativeChargeTable(this.charges);
      entry = { handle: callNative((a) => a.createEwaldEvaluator(parameters, charges)), parameters: p };
      if (this.evaluators.size >= 16) this.evaluators.delete(this.evaluators.keys().next().value as string);
      this.evaluators.set(key, entry);
      this.parametersOf.set(entry.handle, p);
    }
    return entry.handle;
  }

  /** Results with the energy terms and the parameters used. @internal */
  protected override toResults(raw: NativeEvaluation, args: EvaluationArgs, structure: Structure): EwaldResults {
    const p = this.parametersOf.get(args.handle) as EwaldParameters;
    const d = raw.diagnostics;
    const parameters: EwaldParameters & { kVectors: number } = {
      accuracy: p.accuracy, alpha: p.alpha, cutoff: p.cutoff, kmax: p.kmax, coulombConstant: p.coulombConstant, background: p.background,
      method: p.method, kVectors: d.kVectors,
    };
    if (p.grid) Object.assign(parameters, { grid: p.grid, order: p.order, errorEstimate: p.errorEstimate });
    return withSummary({ ...shapeResults(raw, structure.length), terms: { real: d.real, reciprocal: d.reciprocal, self: d.self, background: d.background }, parameters }, 'EwaldResults');
  }

  /** A short summary for notebooks and `console.log` (method, accuracy, charges, given parameters). */
  [inspect.custom](): string {
    const o = this.options;
    return summary('Ewald', {
      method: this.method === 'pme' ? `smooth PME (order ${o.order})` : 'Ewald sum', accuracy: this.accuracy,
      charges: describeCharges(this.charges), alpha: o.alpha === undefined ? undefined : `${formatNumber(o.alpha)} 1/Å`,
      cutoff: o.cutoff === undefined ? undefined : `${formatNumber(o.cutoff)} Å`, kmax: o.kmax === undefined ? undefined : `${formatNumber(o.kmax)} 1/Å`,
      grid: o.grid?.join('×'), 'k_e': `${formatNumber(this.coulombConstant)} eV·Å/e²`, background: this.background,
    });
  }
}

/** |det(cell)| (Å³); `E_CELL` without a cell or for a singular one. */
function cellVolume(structure: Structure): number {
  const c = structure.cell;
  if (!c) throw new PolymorphError('E_CELL', 'Ewald: needs a periodic cell');
  const m = flatFloat64(c);
  const volume = Math.abs(m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]));
  let scale = 0;
  for (let k = 0; k < 3; ++k) scale = Math.max(scale, Math.hypot(m[3 * k], m[3 * k + 1], m[3 * k + 2]));
  if (!Number.isFinite(volume) || !(scale > 0) || !(volume > 1e-12 * scale ** 3)) {
    throw new PolymorphError('E_CELL', 'Ewald: the cell is singular (zero volume) or not finite');
  }
  return volume;
}

function checkGrid(grid: readonly number[]): [number, number, number] {
  if (!Array.isArray(grid) || grid.length !== 3 || !grid.every((k) => Number.isInteger(k) && k >= 3 && k <= 4096)) {
    throw new PolymorphError('E_VALUE', `Ewald: grid must be three integers 3…4096 (and ≥ order), got ${JSON.stringify(grid)}`);
  }
  return [grid[0], grid[1], grid[2]];
}

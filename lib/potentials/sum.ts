/**
 * Sums of potentials, e.g. PLIP + γ·Ewald (PLIP+Q) or a pair potential plus a correction.
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeEvaluator } from '../core/native-types';
import { checkOptions } from '../core/options';
import type { Structure } from '../structure/structure';
import { isNativePotential, NativePotential, requestKeys } from './native-potential';
import type { ComputeRequest, Potential, Results } from './potential';
import { inspect } from 'util';
import { formatNumber, summary, withSummary } from '../core/inspect';

/** A term of a {@link SumPotential}: a potential, or a potential with a weight. */
export type WeightedPotential = Potential | readonly [Potential, number];

/**
 * A weighted sum of potentials: E = Σ_k w_k E_k (eV), and likewise forces (eV/Å), stress
 * (eV/Å³) and per-atom energies (eV). Its cutoff is the largest of the terms' cutoffs (Å).
 *
 * When every term is native (Lennard-Jones, Buckingham, Coulomb, Ewald/PME, HDNNP,
 * LinearPotential, or sums of them), the sum is itself one native evaluator: one neighbour list
 * is built at the largest cutoff (or the caller's `neighbors` list is used) and handed to every
 * term, with no JavaScript between the terms. Otherwise the terms are evaluated one after the
 * other (the slow path; a term written in TypeScript runs there).
 * @example
 * const plipQ = new SumPotential([[plip, 1], [ewald, gamma]]);
 * const { energy, forces } = plipQ.compute(structure, { forces: true });
 */
export class SumPotential extends NativePotential {
  /** The terms and their weights (dimensionless). */
  readonly terms: ReadonlyArray<{ readonly potential: Potential; readonly weight: number }>;
  protected readonly potentialName = 'SumPotential';
  private cached: { handles: NativeEvaluator[]; sum: NativeEvaluator } | null = null;

  constructor(terms: readonly WeightedPotential[]) {
    super();
    if (!Array.isArray(terms) || terms.length === 0) throw new PolymorphError('E_VALUE', 'SumPotential: expected a non-empty list of potentials or [potential, weight] pairs');
    this.terms = terms.map((term, k) => {
      const [potential, weight]: readonly [Potential, number] = isWeighted(term) ? term : [term, 1];
      if (typeof potential !== 'object' || potential === null || typeof potential.compute !== 'function' || typeof potential.computeAsync !== 'function') {
        throw new PolymorphError('E_TYPE', `SumPotential: term ${k} is not a Potential`);
      }
      if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new PolymorphError('E_VALUE', `SumPotential: weight of term ${k} must be a finite number, got ${String(weight)}`);
      return { potential, weight };
    });
  }

  /** Largest cutoff of the terms, Å. */
  get cutoff(): number {
    return Math.max(...this.terms.map((t) => t.potential.cutoff));
  }

  /** Whether every term is native, so that the sum runs as one native evaluator. */
  get native(): boolean {
    return this.terms.every((t) => isNativePotential(t.potential));
  }

  /** @internal */
  override get runsNatively(): boolean {
    return this.native;
  }

  /**
   * Evaluates the sum: natively in one call on one neighbour list when every term is native,
   * else term by term.
   */
  override compute(structure: Structure, want: ComputeRequest = {}): Results {
    if (this.native) return super.compute(structure, want);
    checkOptions(want, requestKeys, 'SumPotential.compute');
    return this.combine(this.terms.map((t) => t.potential.compute(structure, want)), structure.length, want);
  }

  /**
   * {@link compute} off the event loop. The structure is read once, when the call is made: the
   * native sum copies its inputs, and the term-by-term path evaluates every term on one snapshot,
   * so moving atoms before the promise settles changes no term.
   */
  override async computeAsync(structure: Structure, want: ComputeRequest = {}): Promise<Results> {
    if (this.native) return super.computeAsync(structure, want);
    checkOptions(want, requestKeys, 'SumPotential.computeAsync');
    const snapshot = structure.clone();
    const results: Results[] = [];
    for (const t of this.terms) results.push(await t.potential.computeAsync(snapshot, want));
    return this.combine(results, snapshot.length, want);
  }

  /** The native sum of the terms' evaluators for `structure` (rebuilt when a term's changes, e.g. Ewald for a new cell). @internal */
  evaluatorFor(structure: Structure): NativeEvaluator {
    const handles = this.terms.map((t) => (t.potential as NativePotential).evaluatorFor(structure));
    if (!this.cached || this.cached.handles.some((h, k) => h !== handles[k])) {
      const weights = Float64Array.from(this.terms, (t) => t.weight);
      this.cached = { handles, sum: callNative((a) => a.createSumEvaluator(handles, weights)) };
    }
    return this.cached.sum;
  }

  private combine(results: Results[], n: number, want: ComputeRequest): Results {
    const out: Results = { energy: 0 };
    const forces = want.forces ? new Float64Array(3 * n) : null;
    const stress = want.stress ? new Float64Array(9) : null;
    const atomEnergies = want.atomEnergies ? new Float64Array(n) : null;
    results.forEach((r, k) => {
      const w = this.terms[k].weight;
      out.energy += w * r.energy;
      if (forces) addScaled(forces, r.forces?.data, w, k, 'forces', 3 * n);
      if (stress) addScaled(stress, r.stress?.data, w, k, 'stress', 9);
      if (atomEnergies) addScaled(atomEnergies, r.atomEnergies, w, k, 'atomEnergies', n);
    });
    if (forces) out.forces = ndarray(forces, [n, 3]);
    if (stress) out.stress = ndarray(stress, [3, 3]);
    if (atomEnergies) out.atomEnergies = atomEnergies;
    return withSummary(out, 'Results');
  }

  /** A short summary for notebooks and `console.log` (the weighted terms and the cutoff). */
  [inspect.custom](): string {
    const name = (p: Potential): string => (p as object).constructor?.name ?? 'Potential';
    return summary('SumPotential', {
      terms: this.terms.map((t) => `${formatNumber(t.weight)} × ${name(t.potential)}`).join(' + '),
      cutoff: `${formatNumber(this.cutoff)} Å`,
    });
  }
}

function isWeighted(term: WeightedPotential): term is readonly [Potential, number] {
  return Array.isArray(term);
}

/** target += w · source, for a contiguous source of the expected length. */
function addScaled(target: Float64Array, source: ArrayLike<number> | undefined, w: number, term: number, what: string, length: number): void {
  if (!source || source.length !== length) {
    throw new PolymorphError('E_VALUE', `SumPotential: term ${term} did not return ${what} (expected ${length} values)`);
  }
  for (let k = 0; k < length; ++k) target[k] += w * source[k];
}

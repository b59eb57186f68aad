/**
 * Sums of potentials, e.g. PLIP + γ·Ewald (PLIP+Q) or a pair potential plus a correction.
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import type { Structure } from '../structure/structure';
import type { ComputeRequest, Potential, Results } from './potential';
import { inspect } from 'util';
import { formatNumber, summary, withSummary } from '../core/inspect';

/** A term of a {@link SumPotential}: a potential, or a potential with a weight. */
export type WeightedPotential = Potential | readonly [Potential, number];

/**
 * A weighted sum of potentials: E = Σ_k w_k E_k (eV), and likewise forces (eV/Å), stress
 * (eV/Å³) and per-atom energies (eV). Its cutoff is the largest of the terms' cutoffs (Å).
 * @example
 * const plipQ = new SumPotential([[plip, 1], [ewald, gamma]]);
 * const { energy, forces } = plipQ.compute(structure, { forces: true });
 */
export class SumPotential implements Potential {
  /** The terms and their weights (dimensionless). */
  readonly terms: ReadonlyArray<{ readonly potential: Potential; readonly weight: number }>;

  constructor(terms: readonly WeightedPotential[]) {
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

  /** Evaluates every term and adds the weighted results. */
  compute(structure: Structure, want: ComputeRequest = {}): Results {
    return this.combine(this.terms.map((t) => t.potential.compute(structure, want)), structure.length, want);
  }

  /**
   * Evaluates the terms one after the other off the event loop. (Each term queues its own native
   * job; the sum does not hold the queue, so terms never wait for each other's slot.)
   */
  async computeAsync(structure: Structure, want: ComputeRequest = {}): Promise<Results> {
    const results: Results[] = [];
    for (const t of this.terms) results.push(await t.potential.computeAsync(structure, want));
    return this.combine(results, structure.length, want);
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

/**
 * The Lennard-Jones pair potential, evaluated in C++ over a half neighbour list.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeEvaluator, NativeLennardJonesParameters } from '../core/native-types';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import type { Structure } from '../structure/structure';
import { NativePotential, presentElements } from './native-potential';
import { checkPositive, pairKey, parsePairs as sharedParsePairs } from './requests';
import { inspect } from 'util';
import { formatNumber, summary } from '../core/inspect';

/** Parameters of one pair of elements. */
export interface LennardJonesPair {
  /** Well depth ε, eV (≥ 0). */
  epsilon: number;
  /** Zero-crossing distance σ, Å (> 0); the minimum lies at 2^(1/6) σ. */
  sigma: number;
  /** Cutoff of this pair, Å. Default: the potential's `cutoff`, else 2.5 σ. */
  cutoff?: number;
}

/**
 * How parameters of an unlisted pair A–B follow from those of A–A and B–B:
 * `'lorentz-berthelot'`: ε = √(ε_A ε_B), σ = (σ_A + σ_B)/2; `'geometric'`: ε = √(ε_A ε_B),
 * σ = √(σ_A σ_B); `'none'` (default): every pair present in a structure must be listed.
 * The cutoff of a mixed pair is the potential's `cutoff`, else the larger of the two like-pair cutoffs.
 */
export type MixingRule = 'lorentz-berthelot' | 'geometric' | 'none';

/** Options of {@link LennardJones}: either one parameter set for all atoms, or `pairs` by element. */
export interface LennardJonesOptions {
  /** Well depth ε, eV, for every atom pair (one-parameter-set form). */
  epsilon?: number;
  /** σ, Å, for every atom pair (one-parameter-set form). */
  sigma?: number;
  /** Cutoff, Å. Default 2.5 σ. In the `pairs` form, the default for pairs without their own cutoff. */
  cutoff?: number;
  /** Shift each pair's energy to zero at its cutoff (LAMMPS `pair_modify shift yes`). Default false. */
  shift?: boolean;
  /** Parameters by element pair, keyed `'Ar-Kr'` (order does not matter; `'Ar-Ar'` for like pairs). */
  pairs?: Record<string, LennardJonesPair>;
  /** Mixing rule for pairs not listed in `pairs`. Default `'none'`. */
  mixing?: MixingRule;
}

interface PairParameters {
  epsilon: number;
  sigma: number;
  cutoff: number;
}

const optionKeys = new Set(['epsilon', 'sigma', 'cutoff', 'shift', 'pairs', 'mixing']);
const mixingRules = new Set(['lorentz-berthelot', 'geometric', 'none']);

/**
 * The 12-6 Lennard-Jones potential:
 *
 *   φ(r) = 4ε [(σ/r)¹² − (σ/r)⁶]  for r < r_c (minus φ(r_c) with `shift`), else 0;
 *   E = Σ_pairs φ(r_ij) (eV),  F_i = −∂E/∂r_i (eV/Å),
 *   σ_ab = (1/V) Σ_pairs φ′(r) r_a r_b / r (eV/Å³, ASE sign; V the cell volume),
 *   E_i = ½ Σ_j φ(r_ij) (per-atom energies, half of each pair to each atom).
 *
 * Units: ε in eV, σ and cutoffs in Å. Periodic images are summed exactly, including an atom's
 * own images when the cutoff exceeds half the cell. Stress needs a cell (its volume); without one
 * it throws `E_CELL`.
 *
 * One parameter set applies to every atom whatever its element; `pairs` gives parameters per
 * element pair, optionally completed by a mixing rule.
 * @example
 * // Argon: ε = 0.0104 eV, σ = 3.40 Å, cutoff 2.5 σ, energy shifted to zero at the cutoff.
 * const argon = new LennardJones({ epsilon: 0.0104, sigma: 3.40, cutoff: 8.5, shift: true });
 * const { energy, forces } = argon.compute(structure, { forces: true });
 *
 * // Argon–krypton, cross term from Lorentz–Berthelot mixing.
 * const mixture = new LennardJones({
 *   pairs: { 'Ar-Ar': { epsilon: 0.0104, sigma: 3.40 }, 'Kr-Kr': { epsilon: 0.014, sigma: 3.65 } },
 *   cutoff: 9.0,
 *   mixing: 'lorentz-berthelot',
 * });
 */
export class LennardJones extends NativePotential {
  /** Largest pair cutoff, Å. */
  readonly cutoff: number;
  /** Whether pair energies are shifted to zero at the cutoff. */
  readonly shift: boolean;
  /** Mixing rule for unlisted pairs. */
  readonly mixing: MixingRule;
  /** Elements covered (atomic numbers, ascending), or null when one parameter set applies to all atoms. */
  readonly elements: readonly number[] | null;
  private readonly single: PairParameters | null;
  private readonly pairs: Map<string, PairParameters>;
  /** Cutoff of mixed pairs when given (Å); else the larger like-pair cutoff. */
  private readonly mixedCutoff: number | undefined;
  private readonly evaluators = new Map<string, NativeEvaluator>();
  protected readonly potentialName = 'LennardJones';

  constructor(options: LennardJonesOptions) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new PolymorphError('E_TYPE', 'LennardJones: expected options { epsilon, sigma, cutoff, shift } or { pairs, cutoff, shift, mixing }');
    }
    for (const key of Object.keys(options)) {
      if (!optionKeys.has(key)) throw new PolymorphError('E_VALUE', `LennardJones: unknown option '${key}' (expected ${[...optionKeys].join(', ')})`);
    }
    this.shift = options.shift ?? false;
    if (typeof this.shift !== 'boolean') throw new PolymorphError('E_TYPE', 'LennardJones: shift must be a boolean');
    this.mixing = options.mixing ?? 'none';
    if (!mixingRules.has(this.mixing)) {
      throw new PolymorphError('E_VALUE', `LennardJones: mixing must be 'lorentz-berthelot', 'geometric' or 'none', got ${JSON.stringify(options.mixing)}`);
    }
    if (options.cutoff !== undefined) checkPositive(options.cutoff, 'LennardJones: cutoff (Å)');
    this.mixedCutoff = options.cutoff;
    if (options.pairs === undefined) {
      if (options.epsilon === undefined || options.sigma === undefined) {
        throw new PolymorphError('E_VALUE', 'LennardJones: give epsilon (eV) and sigma (Å), or pairs by element');
      }
      if (options.mixing !== undefined) throw new PolymorphError('E_VALUE', 'LennardJones: mixing needs pairs by element');
      this.single = pairParameters({ epsilon: options.epsilon, sigma: options.sigma }, options.cutoff, 'LennardJones');
      this.pairs = new Map();
      this.elements = null;
      this.cutoff = this.single.cutoff;
    } else {
      if (options.epsilon !== undefined || options.sigma !== undefined) {
        throw new PolymorphError('E_VALUE', 'LennardJones: give either epsilon and sigma, or pairs, not both');
      }
      this.single = null;
      this.pairs = parsePairs(options.pairs, options.cutoff);
      const elements = new Set<number>();
      for (const key of this.pairs.keys()) for (const z of key.split('-')) elements.add(Number(z));
      this.elements = [...elements].sort((a, b) => a - b);
      this.cutoff = this.largestCutoff();
    }
  }

  /**
   * The native evaluator for the elements of `structure` (built once per set of elements present
   * and cached). @internal
   */
  evaluatorFor(structure: Structure): NativeEvaluator {
    const present = presentElements(structure.numbers);
    const key = present.join(',');
    let handle = this.evaluators.get(key);
    if (!handle) {
      const parameters = this.single ? this.singleTable(present.length) : this.typeTable(present);
      handle = callNative((a) => a.createLennardJonesEvaluator(parameters, Int32Array.from(present)));
      this.evaluators.set(key, handle);
    }
    return handle;
  }

  /** Parameters used for the pair of elements `a`–`b` (symbols), or undefined if none. */
  pairParameters(a: string, b: string): { epsilon: number; sigma: number; cutoff: number } | undefined {
    if (this.single) return { ...this.single };
    const p = this.lookup(atomicNumber(a), atomicNumber(b));
    return p ? { ...p } : undefined;
  }

  /** The one parameter set for every pair, as a T×T table for T elements. */
  private singleTable(t: number): NativeLennardJonesParameters {
    const p = this.single as PairParameters;
    return { epsilon: new Float64Array(t * t).fill(p.epsilon), sigma: new Float64Array(t * t).fill(p.sigma), cutoff: new Float64Array(t * t).fill(p.cutoff), shift: this.shift };
  }

  /** T×T tables for the elements present (ascending Z). */
  private typeTable(present: number[]): NativeLennardJonesParameters {
    const covered = new Set(this.elements);
    for (const z of present) {
      if (!covered.has(z)) {
        throw new PolymorphError('E_ELEMENT', `LennardJones: no parameters for element ${chemicalSymbol(z)} ` +
          `(this potential covers ${(this.elements ?? []).map((e) => chemicalSymbol(e)).join(', ')})`);
      }
    }
    {
      const t = present.length;
      const parameters: NativeLennardJonesParameters = { epsilon: new Float64Array(t * t), sigma: new Float64Array(t * t), cutoff: new Float64Array(t * t), shift: this.shift };
      for (let a = 0; a < t; ++a) {
        for (let b = 0; b < t; ++b) {
          const p = this.lookup(present[a], present[b]);
          if (!p) {
            const name = `${chemicalSymbol(present[a])}-${chemicalSymbol(present[b])}`;
            throw new PolymorphError('E_VALUE', `LennardJones: no parameters for the pair ${name}; ` +
              `give pairs['${name}'] or a mixing rule (with both like pairs)`);
          }
          parameters.epsilon[a * t + b] = p.epsilon;
          parameters.sigma[a * t + b] = p.sigma;
          parameters.cutoff[a * t + b] = p.cutoff;
        }
      }
      return parameters;
    }
  }

  /** Listed parameters of the pair (atomic numbers), else mixed ones, else undefined. */
  private lookup(za: number, zb: number): PairParameters | undefined {
    const listed = this.pairs.get(pairKey(za, zb));
    if (listed || this.mixing === 'none' || za === zb) return listed;
    const a = this.pairs.get(pairKey(za, za)), b = this.pairs.get(pairKey(zb, zb));
    if (!a || !b) return undefined;
    const sigma = this.mixing === 'geometric' ? Math.sqrt(a.sigma * b.sigma) : 0.5 * (a.sigma + b.sigma);
    return { epsilon: Math.sqrt(a.epsilon * b.epsilon), sigma, cutoff: this.mixedCutoff ?? Math.max(a.cutoff, b.cutoff) };
  }

  /** Largest cutoff over every pair of covered elements that has parameters (Å). */
  private largestCutoff(): number {
    let largest = 0;
    const elements = this.elements ?? [];
    for (const za of elements) for (const zb of elements) largest = Math.max(largest, this.lookup(za, zb)?.cutoff ?? 0);
    return largest;
  }

  /** A short summary for notebooks and `console.log` (pair parameters, shift, mixing). */
  [inspect.custom](): string {
    const pair = (p: PairParameters): string => `ε ${formatNumber(p.epsilon)} eV, σ ${formatNumber(p.sigma)} Å, cutoff ${formatNumber(p.cutoff)} Å`;
    const fields: Record<string, string | boolean> = {};
    if (this.single) fields['all pairs'] = pair(this.single);
    for (const [key, p] of this.pairs) fields[key.split('-').map((z) => chemicalSymbol(Number(z))).join('-')] = pair(p);
    return summary('LennardJones', { ...fields, shift: this.shift, mixing: this.elements ? this.mixing : undefined });
  }
}


/** `value` if it is a positive finite number; else `E_VALUE` with `what` (e.g. "LennardJones: cutoff (Å)"). */
/** Checked parameters of one pair; the cutoff defaults to `cutoff`, else 2.5 σ. `what` prefixes messages. */
function pairParameters(p: LennardJonesPair, cutoff: number | undefined, what: string): PairParameters {
  if (typeof p !== 'object' || p === null) throw new PolymorphError('E_TYPE', `${what}: expected { epsilon, sigma, cutoff? }`);
  for (const key of Object.keys(p)) {
    if (key !== 'epsilon' && key !== 'sigma' && key !== 'cutoff') throw new PolymorphError('E_VALUE', `${what}: unknown parameter '${key}'`);
  }
  if (typeof p.epsilon !== 'number' || !Number.isFinite(p.epsilon) || p.epsilon < 0) {
    throw new PolymorphError('E_VALUE', `${what}: epsilon must be a finite number >= 0 (eV), got ${String(p.epsilon)}`);
  }
  const sigma = checkPositive(p.sigma, `${what}: sigma (Å)`);
  const rc = checkPositive(p.cutoff ?? cutoff ?? 2.5 * sigma, `${what}: cutoff (Å)`);
  return { epsilon: p.epsilon, sigma, cutoff: rc };
}

function parsePairs(pairs: Record<string, LennardJonesPair>, cutoff: number | undefined): Map<string, PairParameters> {
  return sharedParsePairs(pairs, 'LennardJones', "{ 'Ar-Ar': { epsilon, sigma } }", (p, what) => pairParameters(p, cutoff, what));
}


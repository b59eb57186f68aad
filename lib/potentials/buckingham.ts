/**
 * The Buckingham (exp-6) pair potential, evaluated in C++ over a half neighbour list.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeBuckinghamParameters, NativeEvaluator } from '../core/native-types';
import { checkOptions } from '../core/options';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import type { Structure } from '../structure/structure';
import { NativePotential, presentElements } from './native-potential';
import { checkPositive, pairKey, parsePairs as sharedParsePairs } from './requests';
import { inspect } from 'util';
import { formatNumber, summary } from '../core/inspect';

/** Parameters of one pair of elements: φ(r) = A e^{−r/ρ} − C/r⁶. */
export interface BuckinghamPair {
  /** Repulsion prefactor A, eV (≥ 0). */
  A: number;
  /** Repulsion length ρ, Å (> 0). */
  rho: number;
  /** Dispersion coefficient C, eV·Å⁶ (≥ 0). Default 0. */
  C?: number;
  /** Cutoff of this pair, Å. Default: the potential's `cutoff`. */
  cutoff?: number;
}

/** Options of {@link Buckingham}. */
export interface BuckinghamOptions {
  /** Parameters by element pair, keyed `'Zn-O'` (order does not matter: `'O-Zn'` is the same pair). */
  pairs: Record<string, BuckinghamPair>;
  /** Cutoff, Å, for every pair without its own. Required unless every pair gives one. */
  cutoff?: number;
  /** Shift each pair's energy to zero at its cutoff (as LennardJones' `shift`). Default false. */
  shift?: boolean;
}

interface PairParameters {
  A: number;
  rho: number;
  C: number;
  cutoff: number;
}

const optionKeys = ['pairs', 'cutoff', 'shift'];
const pairKeys = new Set(['A', 'rho', 'C', 'cutoff']);

/**
 * The Buckingham potential, the short-range part of rigid-ion models of oxides:
 *
 *   φ(r) = A e^{−r/ρ} − C/r⁶  for r < r_c (minus φ(r_c) with `shift`), else 0;
 *   E = Σ_pairs φ(r_ij) (eV),  F_i = −∂E/∂r_i (eV/Å),
 *   σ_ab = (1/V) Σ_pairs φ′(r) r_a r_b / r (eV/Å³, ASE sign),
 *   E_i = ½ Σ_j φ(r_ij) (eV).
 *
 * Units: A in eV, ρ in Å, C in eV·Å⁶, cutoffs in Å. Pairs not listed in `pairs` do not interact
 * (e.g. Zn–Zn in rigid-ion ZnO); an element that appears in no pair is `E_ELEMENT`. Combine with
 * {@link Ewald} for the Coulomb part (see {@link zincOxideBuckingham}).
 *
 * With C > 0, φ has a maximum at r* (a fraction of an Å for oxide O–O) and falls to −∞ below it
 * (the "Buckingham catastrophe"); a pair closer than r* is answered with `E_VALUE`.
 * @example
 * const oxygen = new Buckingham({ pairs: { 'O-O': { A: 9547.96, rho: 0.21916, C: 32.0 } }, cutoff: 10 });
 * const { energy, forces, stress } = oxygen.compute(structure, { forces: true, stress: true });
 */
export class Buckingham extends NativePotential {
  /** Largest pair cutoff, Å. */
  readonly cutoff: number;
  /** Whether pair energies are shifted to zero at the cutoff. */
  readonly shift: boolean;
  /** Elements mentioned in `pairs` (atomic numbers, ascending). */
  readonly elements: readonly number[];
  private readonly pairs: Map<string, PairParameters>;
  private readonly evaluators = new Map<string, NativeEvaluator>();
  protected readonly potentialName = 'Buckingham';

  constructor(options: BuckinghamOptions) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new PolymorphError('E_TYPE', "Buckingham: expected options { pairs: { 'Zn-O': { A, rho, C } }, cutoff, shift }");
    }
    checkOptions(options, optionKeys, 'Buckingham');
    this.shift = options.shift ?? false;
    if (typeof this.shift !== 'boolean') throw new PolymorphError('E_TYPE', 'Buckingham: shift must be a boolean');
    if (options.cutoff !== undefined) checkPositive(options.cutoff, 'Buckingham: cutoff (Å)');
    this.pairs = parsePairs(options.pairs, options.cutoff);
    const elements = new Set<number>();
    for (const key of this.pairs.keys()) for (const z of key.split('-')) elements.add(Number(z));
    this.elements = [...elements].sort((a, b) => a - b);
    this.cutoff = Math.max(...[...this.pairs.values()].map((p) => p.cutoff));
  }

  /** The native evaluator for the elements of `structure` (built once per set of elements present). @internal */
  evaluatorFor(structure: Structure): NativeEvaluator {
    const present = presentElements(structure.numbers);
    const key = present.join(',');
    let handle = this.evaluators.get(key);
    if (!handle) {
      const parameters = this.typeTable(present);
      handle = callNative((a) => a.createBuckinghamEvaluator(parameters, Int32Array.from(present)));
      this.evaluators.set(key, handle);
    }
    return handle;
  }

  /** Parameters of the pair of elements `a`–`b` (symbols): { A (eV), rho (Å), C (eV·Å⁶), cutoff (Å) }, or undefined if it does not interact. */
  pairParameters(a: string, b: string): { A: number; rho: number; C: number; cutoff: number } | undefined {
    const p = this.pairs.get(pairKey(atomicNumber(a), atomicNumber(b)));
    return p ? { ...p } : undefined;
  }

  /** T×T tables for the elements present (ascending Z; A = C = 0: no interaction). */
  private typeTable(present: number[]): NativeBuckinghamParameters {
    const covered = new Set(this.elements);
    for (const z of present) {
      if (!covered.has(z)) {
        throw new PolymorphError('E_ELEMENT', `Buckingham: element ${chemicalSymbol(z)} appears in no pair ` +
          `(this potential covers ${this.elements.map((e) => chemicalSymbol(e)).join(', ')})`);
      }
    }
    {
      const t = present.length;
      const parameters: NativeBuckinghamParameters = { a: new Float64Array(t * t), rho: new Float64Array(t * t).fill(1), c: new Float64Array(t * t), cutoff: new Float64Array(t * t).fill(this.cutoff), shift: this.shift };
      for (let a = 0; a < t; ++a) {
        for (let b = 0; b < t; ++b) {
          const p = this.pairs.get(pairKey(present[a], present[b]));
          if (!p) continue;
          parameters.a[a * t + b] = p.A;
          parameters.rho[a * t + b] = p.rho;
          parameters.c[a * t + b] = p.C;
          parameters.cutoff[a * t + b] = p.cutoff;
        }
      }
      return parameters;
    }
  }

  /** A short summary for notebooks and `console.log` (pair parameters and shift). */
  [inspect.custom](): string {
    const fields: Record<string, string | boolean> = {};
    for (const [key, p] of this.pairs) {
      fields[key.split('-').map((z) => chemicalSymbol(Number(z))).join('-')] =
        `A ${formatNumber(p.A)} eV, ρ ${formatNumber(p.rho)} Å, C ${formatNumber(p.C)} eV·Å⁶, cutoff ${formatNumber(p.cutoff)} Å`;
    }
    return summary('Buckingham', { ...fields, shift: this.shift });
  }
}


function checkNonNegative(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new PolymorphError('E_VALUE', `${what} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Checked parameters of one pair; `what` prefixes messages. */
function pairParameters(p: BuckinghamPair, cutoff: number | undefined, what: string): PairParameters {
  if (typeof p !== 'object' || p === null) throw new PolymorphError('E_TYPE', `${what}: expected { A, rho, C?, cutoff? }`);
  for (const key of Object.keys(p)) {
    if (!pairKeys.has(key)) throw new PolymorphError('E_VALUE', `${what}: unknown parameter '${key}' (expected A, rho, C, cutoff)`);
  }
  const A = checkNonNegative(p.A, `${what}: A (eV)`);
  const rho = checkPositive(p.rho, `${what}: rho (Å)`);
  const C = checkNonNegative(p.C ?? 0, `${what}: C (eV·Å⁶)`);
  if (p.cutoff === undefined && cutoff === undefined) throw new PolymorphError('E_VALUE', `${what}: no cutoff; give the potential's cutoff (Å) or the pair's`);
  const rc = checkPositive(p.cutoff ?? cutoff, `${what}: cutoff (Å)`);
  if (A > 0 && C > 0 && !hasBarrier(A, rho, C)) {
    throw new PolymorphError('E_VALUE', `${what}: C/r⁶ exceeds A e^{−r/ρ} at every r (no repulsive barrier)`);
  }
  return { A, rho, C, cutoff: rc };
}

/** Whether φ = A e^{−r/ρ} − C/r⁶ has a maximum: −φ′ > 0 somewhere, tested at r = 7ρ where ln(−φ′ r⁷) peaks. */
function hasBarrier(A: number, rho: number, C: number): boolean {
  const r = 7 * rho;
  return Math.log(A / rho) - r / rho + 7 * Math.log(r) > Math.log(6 * C);
}

function parsePairs(pairs: Record<string, BuckinghamPair>, cutoff: number | undefined): Map<string, PairParameters> {
  return sharedParsePairs(pairs, 'Buckingham', "{ 'Zn-O': { A, rho, C } }", (p, what) => pairParameters(p, cutoff, what));
}


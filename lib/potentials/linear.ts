/**
 * Linear potentials over PLIP descriptors (the "PLIP" of PLIP+Q).
 * @module
 */
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeEvaluator } from '../core/native-types';
import { PlipDefinition, PlipDescriptors } from '../descriptors/plip';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import { NativePotential } from './native-potential';
import { inspect } from 'util';
import { formatNumber, summary } from '../core/inspect';

/** Options of {@link LinearPotential}. */
export interface LinearPotentialOptions {
  /** The descriptors the weights refer to. */
  descriptors: PlipDescriptors;
  /** One weight per descriptor column (`descriptors.featureNames()` order), eV. */
  weights: ArrayLike<number>;
  /** Energy offset per element symbol, eV (the per-atom intercept). Missing elements: 0. */
  offsets?: Record<string, number>;
}

/** The JSON form of a {@link LinearPotential} (numbers round-trip exactly). */
export interface LinearPotentialJSON {
  type: 'LinearPotential';
  version: 1;
  descriptors: PlipDefinition;
  weights: number[];
  offsets: Record<string, number>;
}

/**
 * E = Σ_i (offset_{e_i} + Σ_f w_f χ_{i,f}) (eV) over PLIP descriptors χ (dimensionless) with
 * weights w (eV); per-atom energies E_i = offset_{e_i} + w·χ_i, forces −∂E/∂r (eV/Å) and stress
 * (1/V) ∂E/∂ε (eV/Å³) are contracted with the weights in C++ without forming the descriptor
 * derivative matrix.
 * @example
 * const plip = new PlipDescriptors({ elements: ['Zn', 'O'], grid, threeBody: { lmax: 5 } });
 * const model = new LinearPotential({ descriptors: plip, weights, offsets: { Zn: -1.2, O: -4.3 } });
 * const { energy, forces } = model.compute(structure, { forces: true });
 * const copy = LinearPotential.fromJSON(JSON.parse(JSON.stringify(model)));
 */
export class LinearPotential extends NativePotential {
  /** Cutoff of the descriptors, Å. */
  readonly cutoff: number;
  readonly descriptors: PlipDescriptors;
  private readonly weightValues: Float64Array;
  private readonly offsetValues: Float64Array;
  private evaluator: NativeEvaluator | null = null;
  protected readonly potentialName = 'LinearPotential';

  constructor(options: LinearPotentialOptions) {
    super();
    if (typeof options !== 'object' || options === null || !(options.descriptors instanceof PlipDescriptors)) {
      throw new PolymorphError('E_TYPE', 'LinearPotential: expected { descriptors: PlipDescriptors, weights, offsets? }');
    }
    const d = options.descriptors;
    const w = options.weights;
    if (w === null || typeof w !== 'object' || typeof w.length !== 'number') throw new PolymorphError('E_TYPE', 'LinearPotential: weights must be an array of numbers');
    if (w.length !== d.featureCount) {
      throw new PolymorphError('E_SHAPE', `LinearPotential: expected ${d.featureCount} weights (one per descriptor column), got ${w.length}`);
    }
    this.weightValues = Float64Array.from(w);
    for (let k = 0; k < w.length; ++k) {
      if (typeof w[k] !== 'number' || !Number.isFinite(w[k])) {
        throw new PolymorphError('E_VALUE', `LinearPotential: weight ${k} (${d.featureNames()[k]}) is not a finite number: ${String(w[k])}`);
      }
    }
    this.offsetValues = new Float64Array(d.elements.length);
    for (const [symbol, value] of Object.entries(options.offsets ?? {})) {
      const k = d.elements.indexOf(chemicalSymbol(atomicNumber(symbol)));
      if (k < 0) throw new PolymorphError('E_ELEMENT', `LinearPotential: offset for ${symbol}, which the descriptors do not cover (${d.elements.join(', ')})`);
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new PolymorphError('E_VALUE', `LinearPotential: offset of ${symbol} must be a finite number (eV)`);
      this.offsetValues[k] = value;
    }
    this.descriptors = d;
    this.cutoff = d.cutoff;
  }

  /** A copy of the weights, eV. */
  get weights(): Float64Array {
    return Float64Array.from(this.weightValues);
  }

  /** The energy offsets per element, eV. */
  get offsets(): Record<string, number> {
    return Object.fromEntries(this.descriptors.elements.map((s, k) => [s, this.offsetValues[k]]));
  }

  /** The native evaluator (built once). @internal */
  evaluatorFor(): NativeEvaluator {
    if (!this.evaluator) {
      const elements = Int32Array.from(this.descriptors.elements, (e) => atomicNumber(e));
      this.evaluator = callNative((a) => a.createLinearEvaluator(this.descriptors.nativeModel(), this.weightValues, this.offsetValues, elements));
    }
    return this.evaluator;
  }

  /** The descriptor definition, weights and offsets (JSON-safe; doubles round-trip exactly). */
  toJSON(): LinearPotentialJSON {
    return { type: 'LinearPotential', version: 1, descriptors: this.descriptors.definition(), weights: Array.from(this.weightValues), offsets: this.offsets };
  }

  /** Rebuilds a potential from {@link toJSON}'s output; `E_VALUE` for anything else. */
  static fromJSON(json: LinearPotentialJSON): LinearPotential {
    if (typeof json !== 'object' || json === null || json.type !== 'LinearPotential' || json.version !== 1) {
      throw new PolymorphError('E_VALUE', "LinearPotential.fromJSON: expected { type: 'LinearPotential', version: 1, descriptors, weights, offsets }");
    }
    if (!Array.isArray(json.weights)) throw new PolymorphError('E_VALUE', 'LinearPotential.fromJSON: weights must be an array');
    return new LinearPotential({ descriptors: new PlipDescriptors(json.descriptors), weights: json.weights, offsets: json.offsets });
  }

  /** A short summary for notebooks and `console.log` (elements, weights, offsets, cutoff). */
  [inspect.custom](): string {
    const nonZero = this.weightValues.reduce((n, w) => n + (w !== 0 ? 1 : 0), 0);
    return summary('LinearPotential', {
      elements: this.descriptors.elements.join(', '), cutoff: `${formatNumber(this.cutoff)} Å`,
      weights: `${this.weightValues.length} (${nonZero} non-zero)`,
      offsets: `${Object.entries(this.offsets).map(([e, v]) => `${e} ${formatNumber(v)}`).join(', ')} eV`,
    });
  }
}

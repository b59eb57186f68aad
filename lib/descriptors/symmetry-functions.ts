/**
 * `SymmetryFunctions`: a set of Behler–Parrinello symmetry functions (every n2p2 type), evaluated
 * in C++ with analytic derivatives.
 *
 * For atom i of element e, function s gives G_i,s (formulas in
 * {@link SymmetryFunctionDefinition}); values come per element as `[N_e, n_e]` arrays in n2p2's
 * function order. Derivatives are sparse: for each atom, one row per neighbour slot m within the
 * element's cutoff (an image of atom j at d_im = r_j + S·cell − r_i) holding ∂G_i,s/∂d_im (1/Å).
 * Then ∂G_i/∂r_j = Σ_{m→j} ∂G_i/∂d_im, ∂G_i/∂r_i = −Σ_m ∂G_i/∂d_im, and the strain derivative
 * (virial) is Σ_m d_im ⊗ ∂G_i/∂d_im — everything forces, stress and training need.
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { flatFloat64 } from '../core/arrays';
import { fromNative, PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeModel, NativeSymmetryFunctionResult } from '../core/native-types';
import { runQueued } from '../core/threads';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import { Structure } from '../structure/structure';
import { bohr } from '../structure/units';
import {
  checkSymmetryFunction, CutoffFunction, cutoffTypeNames, formatSymmetryFunction, isWeighted, sortSymmetryFunctions,
  SymmetryFunctionDefinition,
} from './symmetry-function-definitions';
import { inspect } from 'util';
import { formatNumber, summary, unitName, withSummary } from '../core/inspect';

/** A length unit: `'angstrom'`, `'bohr'`, or the size of the unit in Å. */
export type LengthUnit = 'angstrom' | 'bohr' | number;

/** The size of `unit` in Å; `E_UNIT` for anything else. */
export function lengthUnitInAngstrom(unit: LengthUnit, what = 'lengthUnit'): number {
  if (unit === 'angstrom') return 1;
  if (unit === 'bohr') return bohr;
  if (typeof unit === 'number' && Number.isFinite(unit) && unit > 0) return unit;
  throw new PolymorphError('E_UNIT', `${what} must be 'angstrom', 'bohr' or the unit's size in Å (a positive number), got ${JSON.stringify(unit)}`);
}

/** Options of {@link SymmetryFunctions}. */
export interface SymmetryFunctionsOptions {
  /** Cutoff function of the Gaussian-type functions (n2p2 `cutoff_type`). Default `{ type: 2, alpha: 0 }` (tanhU). */
  cutoffFunction?: CutoffFunction;
  /**
   * Elements the set covers (symbols). Default: every element the definitions name. Structures
   * may only contain these.
   */
  elements?: string[];
  /** Length unit of the definitions (r_c, r_s, r_l; η in 1/unit²). Default `'angstrom'`. */
  lengthUnit?: LengthUnit;
}

/** Sparse derivatives of one element's functions (see the module documentation). */
export interface SymmetryFunctionDerivatives {
  /** `[N_e + 1]`: the neighbour slots of row k are `start[k] … start[k+1] − 1`. */
  start: Int32Array;
  /** `[M_e]`: atom index j of each slot. */
  neighbor: Int32Array;
  /** `[M_e, 3]`: d = r_j + S·cell − r_i, Å. */
  vector: NdArray<Float64Array>;
  /** `[M_e, n_e, 3]`: ∂G_s/∂d, 1/Å. */
  derivative: NdArray<Float64Array>;
}

/** Result of {@link SymmetryFunctions.compute}, keyed by element symbol. */
export interface SymmetryFunctionResults {
  /** `[N_e, n_e]` values (dimensionless; weighted types carry atomic numbers). */
  values: Record<string, NdArray<Float64Array>>;
  /** `[N_e]`: the atom index of each row. */
  atoms: Record<string, Int32Array>;
  /** Present when derivatives were requested. */
  derivatives?: Record<string, SymmetryFunctionDerivatives>;
}

/** The packed form the addon reads (14 numbers per function). */
export interface NativeSymmetryFunctionSpec {
  atomicNumbers: Int32Array;
  cutoffType: number;
  cutoffAlpha: number;
  functions: Float64Array;
}

const CORES: Record<string, number> = { p1: 1, p2: 2, p3: 3, p4: 4, e: 5 };

/**
 * A set of symmetry functions for several elements, in n2p2's order.
 * @example
 * import { SymmetryFunctions, radialGrid } from 'polymorph/descriptors';
 * const sf = new SymmetryFunctions(radialGrid({ elements: ['Zn', 'O'], cutoff: 6, rLower: 1, count: 8, mode: 'shift' }));
 * const { values } = sf.compute(structure);           // values.Zn: [N_Zn, 16]
 * const { derivatives } = sf.compute(structure, { derivatives: true });
 */
export class SymmetryFunctions {
  /** Covered elements, ordered by atomic number. */
  readonly elements: readonly string[];
  /** Every function, sorted as n2p2 sorts them (element by Z, then type, then parameters). */
  readonly definitions: readonly SymmetryFunctionDefinition[];
  /** Cutoff function of the Gaussian-type functions. */
  readonly cutoffFunction: CutoffFunction;
  /** Size of the definitions' length unit in Å. */
  readonly lengthUnit: number;
  private readonly counts: number[];
  private handle: NativeModel | null = null;
  private readonly spec: NativeSymmetryFunctionSpec;

  constructor(definitions: readonly SymmetryFunctionDefinition[], options: SymmetryFunctionsOptions = {}) {
    if (!Array.isArray(definitions)) throw new PolymorphError('E_TYPE', 'SymmetryFunctions: expected an array of definitions');
    const checked = definitions.map((d, k) => checkSymmetryFunction(d, `SymmetryFunctions: definition ${k}`));
    this.definitions = Object.freeze(sortSymmetryFunctions(checked));
    this.cutoffFunction = checkCutoffFunction(options.cutoffFunction ?? { type: 2, alpha: 0 });
    this.lengthUnit = lengthUnitInAngstrom(options.lengthUnit ?? 'angstrom', 'SymmetryFunctions: lengthUnit');
    const named = new Set<string>();
    for (const d of this.definitions) {
      named.add(d.element);
      if ('neighbor' in d) named.add(d.neighbor);
      if ('neighbors' in d) d.neighbors.forEach((x) => named.add(x));
    }
    let elements = [...named];
    if (options.elements !== undefined) {
      if (!Array.isArray(options.elements)) throw new PolymorphError('E_TYPE', 'SymmetryFunctions: elements must be an array of symbols');
      const given = new Set(options.elements.map((x) => chemicalSymbol(atomicNumber(x))));
      if (given.size !== options.elements.length) throw new PolymorphError('E_VALUE', 'SymmetryFunctions: elements lists an element twice');
      for (const x of named) {
        if (!given.has(x)) throw new PolymorphError('E_ELEMENT', `SymmetryFunctions: the definitions use ${x}, which is not in elements`);
      }
      elements = [...given];
    }
    if (elements.length === 0) throw new PolymorphError('E_VALUE', 'SymmetryFunctions: no elements (give definitions or elements)');
    this.elements = Object.freeze(elements.sort((a, b) => atomicNumber(a) - atomicNumber(b)));
    this.counts = this.elements.map((e) => this.definitions.filter((d) => d.element === e).length);
    this.spec = packSymmetryFunctions(this.definitions, this.elements, this.cutoffFunction);
  }

  /** Number of functions of `element` (the length of its descriptor vector). */
  count(element: string): number {
    const k = this.elements.indexOf(element);
    if (k < 0) throw new PolymorphError('E_ELEMENT', `SymmetryFunctions: ${element} is not covered (elements: ${this.elements.join(', ')})`);
    return this.counts[k];
  }

  /** The functions of `element`, in order (index = position in the descriptor vector). */
  definitionsOf(element: string): SymmetryFunctionDefinition[] {
    this.count(element);
    return this.definitions.filter((d) => d.element === element);
  }

  /** Largest cutoff of any function, Å. */
  get cutoff(): number {
    return Math.max(0, ...this.definitions.map((d) => d.cutoff)) * this.lengthUnit;
  }

  /** The `cutoff_type` line and one `symfunction_short` line per function (n2p2 `input.nn` syntax, unit of the definitions). */
  toN2p2(): string {
    const lines = [`cutoff_type ${this.cutoffFunction.type} ${this.cutoffFunction.alpha}`];
    for (const d of this.definitions) lines.push(formatSymmetryFunction(d));
    return `${lines.join('\n')}\n`;
  }

  /**
   * The packed definitions the addon reads (used by potentials built on this set).
   * @internal
   */
  nativeSpec(): NativeSymmetryFunctionSpec {
    return this.spec;
  }

  /** Element index (position in {@link elements}) of every atom; `E_ELEMENT` for uncovered elements. */
  elementIndices(structure: Structure): Int32Array {
    const index = new Map(this.elements.map((e, k) => [atomicNumber(e), k]));
    return Int32Array.from(structure.numbers, (z) => {
      const k = index.get(z);
      if (k === undefined) {
        throw new PolymorphError('E_ELEMENT', `SymmetryFunctions: the structure contains ${chemicalSymbol(z)}, ` +
          `which these functions do not cover (elements: ${this.elements.join(', ')})`);
      }
      return k;
    });
  }

  /** Values and, with `derivatives`, sparse derivatives (see the module documentation). */
  compute(structure: Structure, options: { derivatives?: boolean } = {}): SymmetryFunctionResults {
    const args = this.prepare(structure, options, false);
    return this.toResults(callNative((a) => a.symmetryFunctions(this.nativeHandle(), ...args)));
  }

  /** {@link compute} off the event loop (positions are copied when the call is made). */
  computeAsync(structure: Structure, options: { derivatives?: boolean } = {}): Promise<SymmetryFunctionResults> {
    let args: Args;
    try {
      args = this.prepare(structure, options, true);
    } catch (error) {
      return Promise.reject(error);
    }
    return runQueued(async () => {
      try {
        const raw = await callNative((a) => a.symmetryFunctionsAsync(this.nativeHandle(), ...args));
        return this.toResults(raw);
      } catch (error) {
        throw fromNative(error);
      }
    });
  }

  private nativeHandle(): NativeModel {
    if (this.handle === null) this.handle = callNative((a) => a.createSymmetryFunctions(this.spec));
    return this.handle;
  }

  private prepare(structure: Structure, options: { derivatives?: boolean }, copy: boolean): Args {
    if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'SymmetryFunctions: expected a Structure');
    if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'SymmetryFunctions: options must be an object');
    const derivatives = options.derivatives ?? false;
    if (typeof derivatives !== 'boolean') throw new PolymorphError('E_TYPE', 'SymmetryFunctions: derivatives must be a boolean');
    if (structure.length === 0) throw new PolymorphError('E_EMPTY', 'SymmetryFunctions: the structure has no atoms');
    const elements = this.elementIndices(structure);
    const positions = flatFloat64(structure.positions);
    const cell = structure.cell ? flatFloat64(structure.cell) : null;
    return [copy ? Float64Array.from(positions) : positions, elements, cell && copy ? Float64Array.from(cell) : cell,
      [...structure.pbc], { derivatives, lengthFactor: 1 / this.lengthUnit }];
  }

  private toResults(raw: NativeSymmetryFunctionResult): SymmetryFunctionResults {
    const out: SymmetryFunctionResults = { values: {}, atoms: {} };
    this.elements.forEach((e, k) => {
      const atoms = raw.atoms[k];
      out.atoms[e] = atoms;
      out.values[e] = ndarray(raw.values[k], [atoms.length, this.counts[k]]);
    });
    if (raw.derivatives) {
      const derivatives: Record<string, SymmetryFunctionDerivatives> = {};
      this.elements.forEach((e, k) => {
        const d = raw.derivatives![k];
        const m = d.neighbor.length;
        derivatives[e] = {
          start: d.start, neighbor: d.neighbor, vector: ndarray(d.vector, [m, 3]),
          derivative: ndarray(d.derivative, [m, this.counts[k], 3]),
        };
      });
      out.derivatives = derivatives;
    }
    return withSummary(out, 'SymmetryFunctionResults', {});
  }

  /** A short summary for notebooks and `console.log` (elements, functions per element, types, cutoff, units). */
  [inspect.custom](): string {
    const c = this.cutoffFunction;
    return summary('SymmetryFunctions', {
      elements: this.elements.join(', '), functions: this.elements.map((e, k) => `${e} ${this.counts[k]}`).join(', '),
      types: [...new Set(this.definitions.map((d) => d.type))].sort((a, b) => a - b).join(', '),
      cutoff: `${formatNumber(this.cutoff)} Å`, 'cutoff function': `${cutoffTypeNames[c.type] ?? c.type} (type ${c.type}, α ${formatNumber(c.alpha)})`,
      'length unit': unitName(this.lengthUnit, { 'Å': 1, Bohr: bohr }, 'Å'),
    });
  }
}

type Args = [Float64Array, Int32Array, Float64Array | null, boolean[], { derivatives: boolean; lengthFactor: number }];

/** Checks an n2p2 cutoff function: type an integer 0–8, 0 ≤ α < 1. */
export function checkCutoffFunction(c: CutoffFunction): CutoffFunction {
  if (typeof c !== 'object' || c === null) throw new PolymorphError('E_TYPE', 'cutoffFunction must be { type, alpha }');
  if (!Number.isInteger(c.type) || c.type < 0 || c.type > 8) {
    throw new PolymorphError('E_VALUE', `cutoffFunction.type must be an integer 0-8 (n2p2 cutoff_type), got ${String(c.type)}`);
  }
  const alpha = c.alpha ?? 0;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0 || alpha >= 1) {
    throw new PolymorphError('E_VALUE', `cutoffFunction.alpha must satisfy 0 <= alpha < 1, got ${String(c.alpha)}`);
  }
  return { type: c.type, alpha };
}

/** Packs sorted definitions into the addon's 14-column rows. */
export function packSymmetryFunctions(definitions: readonly SymmetryFunctionDefinition[], elements: readonly string[],
  cutoffFunction: CutoffFunction): NativeSymmetryFunctionSpec {
  const index = (symbol: string): number => {
    const k = elements.indexOf(symbol);
    if (k < 0) throw new PolymorphError('E_ELEMENT', `symmetry functions: ${symbol} is not among the elements ${elements.join(', ')}`);
    return k;
  };
  const rows = new Float64Array(definitions.length * 14);
  definitions.forEach((d, k) => {
    const r = rows.subarray(14 * k, 14 * k + 14);
    r[0] = d.type;
    r[1] = index(d.element);
    r[2] = r[3] = -1;
    if ('neighbor' in d) r[2] = index(d.neighbor);
    if ('neighbors' in d) {
      r[2] = index(d.neighbors[0]);
      r[3] = index(d.neighbors[1]);
    }
    if (isWeighted(d.type)) r[2] = r[3] = -1;
    r[7] = 1;
    if ('eta' in d) {
      r[4] = d.eta;
      r[5] = d.rShift;
    }
    if ('lambda' in d) {
      r[6] = d.lambda;
      r[7] = d.zeta;
    }
    r[8] = d.cutoff;
    if ('subtype' in d) {
      r[9] = d.rLow;
      r[12] = CORES[d.subtype.replace(/a$/, '')];
      r[13] = d.subtype.endsWith('a') ? 1 : 0;
    }
    if ('angleLeft' in d) {
      r[10] = d.angleLeft;
      r[11] = d.angleRight;
    }
  });
  return {
    atomicNumbers: Int32Array.from(elements, (e) => atomicNumber(e)), cutoffType: cutoffFunction.type,
    cutoffAlpha: cutoffFunction.alpha, functions: rows,
  };
}

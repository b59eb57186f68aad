/**
 * `PlipDescriptors`: the 2-, 3- and N-body descriptors of PLIP linear potentials (Benoit et al.,
 * Mach. Learn.: Sci. Technol. 2, 025003 (2021)), per atom, with analytic derivatives, evaluated
 * in C++ (OpenMP, results independent of the thread count).
 *
 * With f_c(r) = ½[1 + cos(π r/R_cut)] (r < R_cut) and φ(r) = exp(−a (r − b)²) f_c(r) (a in 1/Å²,
 * b in Å), for atom i of element c:
 *
 * - 2B, per neighbour element B: Σ_{j∈B} φ(r_ij)
 * - 3B, per unordered neighbour pair {B1, B2} and l = 0…lmax:
 *   Σ_{j<k, {e_j, e_k} = {B1, B2}} φ(r_ij) φ(r_ik) cos^l θ_jik (same a, b on both legs)
 * - NB, per neighbour element B and m = 4…mmax: ρ^m, ρ = Σ_{j∈B} φ(r_ij) f_s(r_ij), with the quintic
 *   smoothstep f_s = 0 below r1 = 0.95 R_short(c,B), 6u⁵ − 15u⁴ + 10u³ between (u = (r − r1)/(r2 − r1)),
 *   1 above r2 = 1.05 R_short(c,B).
 *
 * Features are element-resolved by the central atom: a row has F = T·F_c columns (T elements),
 * the block of the atom's own element holds its values, the other blocks are zero. So one weight
 * vector over F columns gives each element its own coefficients, and per-structure sums of rows
 * are per-element sums. Column order (see {@link PlipDescriptors.featureNames}): for each central
 * element (in `elements` order): 2B [B][grid], 3B [(B1 ≤ B2)][l][grid], NB [B][m][grid]; grid
 * points are widths outer, centres inner. All values are dimensionless.
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { flatFloat64 } from '../core/arrays';
import { fromNative, PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeModel, NativePlipRows } from '../core/native-types';
import { runQueued } from '../core/threads';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import { Structure } from '../structure/structure';
import { checkPlipGrid, expandPlipGrid, PlipGridSpec } from './plip-grid';
import { inspect } from 'util';
import { formatNumber, summary, withSummary } from '../core/inspect';

/** Options of {@link PlipDescriptors}. Every term without its own `grid` uses the top-level one. */
export interface PlipDescriptorsOptions {
  /** Element symbols, e.g. `['Zn', 'O']`; their order fixes the column blocks. */
  elements: string[];
  /** Cutoff radius R_cut, Å (> 0). Default 6. */
  cutoff?: number;
  /** Default radial grid of all terms. */
  grid?: PlipGridSpec;
  /** 2-body terms: `true` (default), `false`, or `{ grid }`. */
  twoBody?: boolean | { grid?: PlipGridSpec };
  /** 3-body terms with cos^l θ, l = 0…lmax. Omitted: none. */
  threeBody?: { lmax: number; grid?: PlipGridSpec };
  /**
   * N-body terms ρ^m, m = 4…mmax (none if mmax < 4); `rShort` (Å, in (0, cutoff)) is one value for
   * all element pairs or one per unordered pair keyed `'Zn-O'`. Omitted: none.
   */
  nBody?: { mmax: number; rShort: number | Record<string, number>; grid?: PlipGridSpec };
}

/** The complete, explicit definition of a descriptor set (what `toJSON` stores). */
export interface PlipDefinition {
  elements: string[];
  cutoff: number;
  twoBody: { grid: PlipGridSpec } | null;
  threeBody: { lmax: number; grid: PlipGridSpec } | null;
  nBody: { mmax: number; rShort: Record<string, number>; grid: PlipGridSpec } | null;
}

/** What {@link PlipDescriptors.compute} returns besides the per-atom descriptors. */
export interface PlipRequest {
  /** Force rows `[3N, F]`. Default false. */
  forces?: boolean;
  /** Stress rows `[6, F]` (needs a cell). Default false. */
  stress?: boolean;
}

/**
 * Descriptors of one structure and the rows of a linear fit. With weights w (eV) and per-element
 * offsets: E = Σ_e n_e offset_e + energyRow·w (eV), F = forceRows·w (eV/Å), σ_Voigt = stressRows·w (eV/Å³).
 */
export interface PlipResult {
  /** `[N, F]` per-atom descriptors χ_i (dimensionless). */
  atomDescriptors: NdArray<Float64Array>;
  /** `[F]` Σ_i χ_i. */
  energyRow: Float64Array;
  /** `[3N, F]`: row 3k + a is −∂(Σ_i χ_i)/∂r_(k,a), 1/Å (already the force sign). */
  forceRows?: NdArray<Float64Array>;
  /** `[6, F]`: (1/V) ∂(Σ_i χ_i)/∂ε in Voigt order xx, yy, zz, yz, xz, xy, 1/Å³ (ASE stress sign). */
  stressRows?: NdArray<Float64Array>;
}

type StructureArgs = [Float64Array, Int32Array, Float64Array | null, boolean[], { forces: boolean; stress: boolean }];

const optionKeys = new Set(['elements', 'cutoff', 'grid', 'twoBody', 'threeBody', 'nBody']);

/**
 * PLIP descriptors (module documentation has the formulas and column order).
 * @example
 * const plip = new PlipDescriptors({
 *   elements: ['Zn', 'O'], cutoff: 6,
 *   grid: plipGrid({ widths: { min: 0.5, max: 1.5, step: 1 }, centres: { min: 0.5, max: 6, step: 0.5 } }),
 *   threeBody: { lmax: 5 }, nBody: { mmax: 7, rShort: { 'Zn-Zn': 2.1, 'O-O': 2.3, 'Zn-O': 2.4 } },
 * });
 * const { energyRow, forceRows } = plip.compute(structure, { forces: true });
 */
export class PlipDescriptors {
  /** Cutoff radius, Å. */
  readonly cutoff: number;
  /** Element symbols in column-block order. */
  readonly elements: readonly string[];
  /** Number of columns F. */
  readonly featureCount: number;
  private readonly definitionValue: PlipDefinition;
  private readonly index: Map<number, number>;
  private readonly names: string[];
  private handle: NativeModel | null = null;

  constructor(options: PlipDescriptorsOptions | PlipDefinition) {
    this.definitionValue = normalise(options);
    const d = this.definitionValue;
    this.cutoff = d.cutoff;
    this.elements = d.elements;
    this.index = new Map(d.elements.map((s, k) => [atomicNumber(s), k]));
    this.names = buildNames(d);
    this.featureCount = this.names.length;
  }

  /** The explicit definition (JSON-safe; `new PlipDescriptors(definition)` rebuilds the same set). */
  definition(): PlipDefinition {
    return JSON.parse(JSON.stringify(this.definitionValue)) as PlipDefinition;
  }

  /** One name per column, e.g. `'2B Zn-O a=1 b=2.5'`, `'3B O-Zn-O l=2 a=1 b=2.5'`, `'NB Zn-O m=4 a=1 b=2.5'` (central element first; in 3B the vertex in the middle). */
  featureNames(): string[] {
    return [...this.names];
  }

  /** Number of columns per central element, F_c = F / T. */
  get featuresPerElement(): number {
    return this.featureCount / this.elements.length;
  }

  /** Descriptors and, on request, force and stress rows of `structure` (see {@link PlipResult}). */
  compute(structure: Structure, want: PlipRequest = {}): PlipResult {
    const args = this.structureArgs(structure, want, false);
    const raw = callNative((a) => a.plipRows(this.nativeModel(), ...args));
    return toResult(raw, structure.length);
  }

  /** {@link compute} off the event loop; positions are copied when the call is made. */
  computeAsync(structure: Structure, want: PlipRequest = {}): Promise<PlipResult> {
    let args: StructureArgs;
    try {
      args = this.structureArgs(structure, want, true);
    } catch (error) {
      return Promise.reject(error);
    }
    return runQueued(async () => {
      try {
        return toResult(await callNative((a) => a.plipRowsAsync(this.nativeModel(), ...args)), structure.length);
      } catch (error) {
        throw fromNative(error);
      }
    });
  }

  /** Element index (column block) of each atom; `E_ELEMENT` for an element this set does not cover. */
  elementIndices(structure: Structure): Int32Array {
    return Int32Array.from(structure.numbers, (z) => {
      const k = this.index.get(z);
      if (k === undefined) {
        throw new PolymorphError('E_ELEMENT', `PlipDescriptors: element ${chemicalSymbol(z)} is not covered (elements: ${this.elements.join(', ')})`);
      }
      return k;
    });
  }

  private structureArgs(structure: Structure, want: PlipRequest, copy: boolean): StructureArgs {
    if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'PlipDescriptors: expected a Structure');
    if (typeof want !== 'object' || want === null) throw new PolymorphError('E_TYPE', 'PlipDescriptors: want must be an object like { forces: true }');
    const flag = (v: unknown, name: string): boolean => {
      if (v !== undefined && typeof v !== 'boolean') throw new PolymorphError('E_TYPE', `PlipDescriptors: want.${name} must be a boolean`);
      return v === true;
    };
    const request = { forces: flag(want.forces, 'forces'), stress: flag(want.stress, 'stress') };
    if (structure.length === 0) throw new PolymorphError('E_EMPTY', 'PlipDescriptors: the structure has no atoms');
    if (request.stress && structure.cell === null) throw new PolymorphError('E_CELL', 'PlipDescriptors: stress needs a cell (its volume); this structure has none');
    const types = this.elementIndices(structure);
    const positions = flatFloat64(structure.positions);
    const cell = structure.cell ? flatFloat64(structure.cell) : null;
    return [copy ? Float64Array.from(positions) : positions, types, cell && copy ? Float64Array.from(cell) : cell, [...structure.pbc], request];
  }

  /** The native descriptor set (built once; {@link LinearPotential} evaluates on it). @internal */
  nativeModel(): NativeModel {
    if (this.handle === null) this.handle = callNative((a) => a.createPlipDescriptors(nativeSpec(this.definitionValue)));
    return this.handle;
  }

  /** A short summary for notebooks and `console.log` (elements, cutoff, columns, terms). */
  [inspect.custom](): string {
    const d = this.definitionValue;
    const grid = (g: PlipGridSpec): string => `${g.widths.length}×${g.centres.length} Gaussians`;
    return summary('PlipDescriptors', {
      elements: this.elements.join(', '), cutoff: `${formatNumber(this.cutoff)} Å`,
      features: `${this.featureCount} (${this.featuresPerElement} per element)`,
      '2-body': d.twoBody ? grid(d.twoBody.grid) : undefined,
      '3-body': d.threeBody ? `lmax ${d.threeBody.lmax}, ${grid(d.threeBody.grid)}` : undefined,
      'N-body': d.nBody ? `mmax ${d.nBody.mmax}, ${grid(d.nBody.grid)}` : undefined,
    });
  }
}

function toResult(raw: NativePlipRows, n: number): PlipResult {
  const F = raw.features;
  const out: PlipResult = { atomDescriptors: ndarray(raw.atomDescriptors, [n, F]), energyRow: raw.energyRow };
  if (raw.forceRows) out.forceRows = ndarray(raw.forceRows, [3 * n, F]);
  if (raw.stressRows) out.stressRows = ndarray(raw.stressRows, [6, F]);
  return withSummary(out, 'PlipResult', {});
}

function integer(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new PolymorphError('E_VALUE', `PlipDescriptors: ${what} must be an integer in ${min}…${max}, got ${String(value)}`);
  }
  return value;
}

/** Unordered pair key with elements in `elements` order, e.g. 'Zn-O'. */
function pairName(elements: string[], a: number, b: number): string {
  return a <= b ? `${elements[a]}-${elements[b]}` : `${elements[b]}-${elements[a]}`;
}

function normalise(options: PlipDescriptorsOptions | PlipDefinition): PlipDefinition {
  if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'PlipDescriptors: expected options { elements, cutoff, grid, twoBody, threeBody, nBody }');
  for (const key of Object.keys(options)) {
    if (!optionKeys.has(key)) throw new PolymorphError('E_VALUE', `PlipDescriptors: unknown option '${key}' (expected ${[...optionKeys].join(', ')})`);
  }
  const o = options as PlipDescriptorsOptions;
  if (!Array.isArray(o.elements) || o.elements.length === 0) throw new PolymorphError('E_VALUE', 'PlipDescriptors: elements must be a non-empty list of symbols');
  const elements = o.elements.map((s) => chemicalSymbol(atomicNumber(s)));
  if (new Set(elements).size !== elements.length) throw new PolymorphError('E_VALUE', 'PlipDescriptors: elements are listed twice');
  const cutoff = o.cutoff ?? 6;
  if (typeof cutoff !== 'number' || !Number.isFinite(cutoff) || !(cutoff > 0)) throw new PolymorphError('E_VALUE', `PlipDescriptors: cutoff must be a positive finite number (Å), got ${String(cutoff)}`);
  const gridOf = (own: PlipGridSpec | undefined, what: string): PlipGridSpec => {
    const grid = own ?? o.grid;
    if (grid === undefined) throw new PolymorphError('E_VALUE', `PlipDescriptors: ${what} needs a grid (give grid or ${what}.grid)`);
    return checkPlipGrid(grid, `PlipDescriptors: ${what}`);
  };
  const two = o.twoBody === undefined ? true : o.twoBody;
  let twoBody: PlipDefinition['twoBody'] = null;
  if (two !== false && two !== null) {
    if (two !== true && typeof two !== 'object') throw new PolymorphError('E_TYPE', 'PlipDescriptors: twoBody must be true, false or { grid }');
    twoBody = { grid: gridOf(two === true ? undefined : two.grid, 'twoBody') };
  }
  let threeBody: PlipDefinition['threeBody'] = null;
  if (o.threeBody !== undefined && o.threeBody !== null) {
    threeBody = { lmax: integer(o.threeBody.lmax, 0, 64, 'threeBody.lmax'), grid: gridOf(o.threeBody.grid, 'threeBody') };
  }
  let nBody: PlipDefinition['nBody'] = null;
  if (o.nBody !== undefined && o.nBody !== null) {
    const mmax = integer(o.nBody.mmax, 0, 64, 'nBody.mmax');
    if (mmax >= 4) nBody = { mmax, rShort: rShortTable(elements, o.nBody.rShort, cutoff), grid: gridOf(o.nBody.grid, 'nBody') };
  }
  if (!twoBody && !threeBody && !nBody) throw new PolymorphError('E_VALUE', 'PlipDescriptors: no descriptors (enable twoBody, threeBody or nBody with mmax ≥ 4)');
  return { elements, cutoff, twoBody, threeBody, nBody };
}

function rShortTable(elements: string[], rShort: number | Record<string, number>, cutoff: number): Record<string, number> {
  const check = (r: unknown, what: string): number => {
    if (typeof r !== 'number' || !Number.isFinite(r) || !(r > 0) || !(r < cutoff)) {
      throw new PolymorphError('E_VALUE', `PlipDescriptors: nBody.rShort${what} must lie in (0, cutoff = ${cutoff}) Å, got ${String(r)}`);
    }
    return r;
  };
  const out: Record<string, number> = {};
  if (typeof rShort === 'number' || typeof rShort !== 'object' || rShort === null) {
    const r = check(rShort, '');
    for (let a = 0; a < elements.length; ++a) for (let b = a; b < elements.length; ++b) out[pairName(elements, a, b)] = r;
    return out;
  }
  const given = new Map<string, number>();
  for (const [key, r] of Object.entries(rShort)) {
    const parts = key.split('-').map((x) => x.trim());
    if (parts.length !== 2) throw new PolymorphError('E_VALUE', `PlipDescriptors: nBody.rShort key '${key}' must name two elements, like 'Zn-O'`);
    const a = elements.indexOf(chemicalSymbol(atomicNumber(parts[0]))), b = elements.indexOf(chemicalSymbol(atomicNumber(parts[1])));
    if (a < 0 || b < 0) throw new PolymorphError('E_ELEMENT', `PlipDescriptors: nBody.rShort['${key}'] names an element not in elements`);
    const name = pairName(elements, a, b);
    if (given.has(name)) throw new PolymorphError('E_VALUE', `PlipDescriptors: nBody.rShort gives the pair ${name} twice`);
    given.set(name, check(r, `['${key}']`));
  }
  for (let a = 0; a < elements.length; ++a) {
    for (let b = a; b < elements.length; ++b) {
      const name = pairName(elements, a, b);
      const r = given.get(name);
      if (r === undefined) throw new PolymorphError('E_VALUE', `PlipDescriptors: nBody.rShort has no value for the pair ${name}`);
      out[name] = r;
    }
  }
  return out;
}

function gridLabels(grid: PlipGridSpec): string[] {
  const out: string[] = [];
  for (const a of grid.widths) for (const b of grid.centres) out.push(`a=${a} b=${b}`);
  return out;
}

function buildNames(d: PlipDefinition): string[] {
  const names: string[] = [];
  const E = d.elements;
  for (const c of E) {
    if (d.twoBody) {
      const g = gridLabels(d.twoBody.grid);
      for (const b of E) for (const x of g) names.push(`2B ${c}-${b} ${x}`);
    }
    if (d.threeBody) {
      const g = gridLabels(d.threeBody.grid);
      for (let b1 = 0; b1 < E.length; ++b1) {
        for (let b2 = b1; b2 < E.length; ++b2) {
          for (let l = 0; l <= d.threeBody.lmax; ++l) for (const x of g) names.push(`3B ${E[b1]}-${c}-${E[b2]} l=${l} ${x}`);
        }
      }
    }
    if (d.nBody) {
      const g = gridLabels(d.nBody.grid);
      for (const b of E) for (let m = 4; m <= d.nBody.mmax; ++m) for (const x of g) names.push(`NB ${c}-${b} m=${m} ${x}`);
    }
  }
  return names;
}

function nativeSpec(d: PlipDefinition): Record<string, unknown> {
  const T = d.elements.length;
  const rShort = new Float64Array(T * T);
  if (d.nBody) {
    for (let a = 0; a < T; ++a) for (let b = 0; b < T; ++b) rShort[a * T + b] = d.nBody.rShort[pairName(d.elements, a, b)];
  }
  return {
    elements: T,
    cutoff: d.cutoff,
    twoBody: d.twoBody !== null,
    twoBodyGrid: d.twoBody ? expandPlipGrid(d.twoBody.grid) : null,
    lmax: d.threeBody ? d.threeBody.lmax : -1,
    threeBodyGrid: d.threeBody ? expandPlipGrid(d.threeBody.grid) : null,
    mmax: d.nBody ? d.nBody.mmax : 0,
    rShort,
    nBodyGrid: d.nBody ? expandPlipGrid(d.nBody.grid) : null,
  };
}

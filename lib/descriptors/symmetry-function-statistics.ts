/**
 * What n2p2's `nnp-scaling` does: the minimum, maximum, mean and sample standard deviation of every
 * symmetry function of every element over all atoms of a data set, computed in one streaming pass,
 * so a large `input.data` is read frame by frame and never held in memory.
 *
 * For element e with functions s = 1 … n_e and the n atoms of e in all structures:
 *
 *     G_min = min_i G_i,s     G_max = max_i G_i,s     Ḡ = (1/n) Σ_i G_i,s
 *     σ = √( Σ_i (G_i,s − Ḡ)² / (n − 1) )    (σ = 0 for n = 1)
 *
 * the numbers `scaling.data` holds (`specs/n2p2-formats.md` §2). Symmetry functions are
 * dimensionless (the {@link SymmetryFunctions} object carries its own length unit, and structures
 * are in Å), so the statistics are unit-free.
 *
 * **Accumulation.** Each structure's values are reduced in two passes (batch mean, then the
 * corrected sum of squared deviations Σd² − (Σd)²/b), and batches are merged with the pairwise
 * update of Chan, Golub and LeVeque (1979): for running (n_a, Ḡ_a, M_a) and a batch (n_b, Ḡ_b, M_b),
 * δ = Ḡ_b − Ḡ_a, Ḡ = Ḡ_a + δ·n_b/n, M = M_a + M_b + δ²·n_a·n_b/n. No sum of squares of raw values
 * is ever formed, so there is no cancellation; the results agree with {@link scalingStatistics} on
 * the concatenated values to ~1e-13 relative. Structures are added in iteration order, so the sync
 * and async forms give bitwise identical results.
 *
 * @example
 * ```ts
 * import { iread } from 'polymorph/io';
 * import { Hdnnp } from 'polymorph/potentials';
 * import { symmetryFunctionStatisticsAsync, writeScalingData } from 'polymorph/descriptors';
 *
 * const { symmetryFunctions } = Hdnnp.load('Cu2S_PBE');
 * const stats = await symmetryFunctionStatisticsAsync(symmetryFunctions, iread('input.data', { format: 'n2p2' }));
 * writeScalingData('scaling.data', stats);  // byte-identical layout to nnp-scaling's
 * ```
 * @module
 */
import * as fs from 'fs';
import type { NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';
import { Structure } from '../structure/structure';
import { formatScalingData, SymmetryFunctionStatistics } from './symmetry-function-scaling';
import { SymmetryFunctionResults, SymmetryFunctions } from './symmetry-functions';
import { inspect } from 'util';
import { summary } from '../core/inspect';

/** Options of {@link symmetryFunctionStatistics} and {@link symmetryFunctionStatisticsAsync}. */
export interface SymmetryFunctionStatisticsOptions {
  /** Called after each structure with the number of structures and atoms processed so far. */
  onProgress?: (progress: { structures: number; atoms: number }) => void;
  /** Cancels the pass between structures: the call throws `E_CANCELLED`. */
  signal?: AbortSignal;
}

/**
 * Running statistics of the symmetry functions of a {@link SymmetryFunctions} set: feed it the
 * values of one structure at a time ({@link add}), read {@link statistics} at the end. Memory is
 * four numbers per (element, function), whatever the size of the data set. This is what
 * {@link symmetryFunctionStatistics} uses; use it directly when the values are computed anyway
 * (e.g. with derivatives for training).
 * @example
 * ```ts
 * const running = new SymmetryFunctionStatisticsAccumulator(functions);
 * for (const s of structures) running.add(functions.compute(s).values);
 * const stats = running.statistics();   // in functions.elements order
 * ```
 */
export class SymmetryFunctionStatisticsAccumulator {
  /** Elements, in the order of the functions (by atomic number) and of {@link statistics}. */
  readonly elements: readonly string[];
  private readonly counts: number[];
  private readonly atoms: number[];
  private readonly min: Float64Array[];
  private readonly max: Float64Array[];
  private readonly mean: Float64Array[];
  /** Σ (G − Ḡ)² per function. */
  private readonly m2: Float64Array[];

  constructor(functions: SymmetryFunctions) {
    checkFunctions(functions, 'SymmetryFunctionStatisticsAccumulator');
    this.elements = functions.elements;
    this.counts = this.elements.map((e) => functions.count(e));
    this.atoms = this.elements.map(() => 0);
    const arrays = (fill: number): Float64Array[] => this.counts.map((m) => new Float64Array(m).fill(fill));
    this.min = arrays(Infinity);
    this.max = arrays(-Infinity);
    this.mean = arrays(0);
    this.m2 = arrays(0);
  }

  /** Atoms of `element` seen so far. */
  atomCount(element: string): number {
    const e = this.elements.indexOf(element);
    if (e < 0) throw new PolymorphError('E_ELEMENT', `SymmetryFunctionStatisticsAccumulator: ${element} is not covered (elements: ${this.elements.join(', ')})`);
    return this.atoms[e];
  }

  /**
   * Adds the values of one structure: `values[symbol]` is `[N_e, n_e]` (dimensionless), as
   * {@link SymmetryFunctions.compute} returns them; N_e may be 0.
   * @throws PolymorphError `E_VALUE` for a missing element or a non-finite value (nothing is added
   * then), `E_SHAPE` for a wrong number of functions, `E_ELEMENT` for an element not covered.
   */
  add(values: Readonly<Record<string, NdArray<Float64Array>>>): void {
    const what = 'SymmetryFunctionStatisticsAccumulator.add';
    if (typeof values !== 'object' || values === null) throw new PolymorphError('E_TYPE', `${what}: expected values keyed by element symbol`);
    for (const key of Object.keys(values)) {
      if (!this.elements.includes(key)) throw new PolymorphError('E_ELEMENT', `${what}: values for ${key}, which the functions do not cover (elements: ${this.elements.join(', ')})`);
    }
    const batches = this.elements.map((element, e) => {
      const v = values[element];
      if (v === undefined) throw new PolymorphError('E_VALUE', `${what}: no values for ${element} (give an [N, ${this.counts[e]}] array, N = 0 for no atoms)`);
      return batchStatistics(rowMajor(v, this.counts[e], element, what), this.counts[e], element, what);
    });
    batches.forEach((b, e) => {
      if (b !== null) this.merge(e, b);
    });
  }

  /**
   * min, max, mean and sample σ per element (in {@link elements} order) and function.
   * @throws PolymorphError `E_EMPTY` naming every element without atoms so far.
   */
  statistics(): SymmetryFunctionStatistics[] {
    const missing = this.elements.filter((_, e) => this.atoms[e] === 0);
    if (missing.length > 0) throw emptyError('SymmetryFunctionStatisticsAccumulator.statistics', missing, this.elements, 'in the values added');
    return this.elements.map((_, e) => {
      const n = this.atoms[e];
      const sigma = this.m2[e].map((m) => (n > 1 ? Math.sqrt(Math.max(0, m) / (n - 1)) : 0));
      return { min: this.min[e].slice(), max: this.max[e].slice(), mean: this.mean[e].slice(), sigma };
    });
  }

  private merge(e: number, b: Batch): void {
    const na = this.atoms[e];
    const n = na + b.n;
    const { min, max, mean, m2 } = this;
    for (let s = 0; s < this.counts[e]; ++s) {
      if (b.min[s] < min[e][s]) min[e][s] = b.min[s];
      if (b.max[s] > max[e][s]) max[e][s] = b.max[s];
      if (na === 0) {
        mean[e][s] = b.mean[s];
        m2[e][s] = b.m2[s];
      } else {
        const delta = b.mean[s] - mean[e][s];
        mean[e][s] += (delta * b.n) / n;
        m2[e][s] += b.m2[s] + (delta * delta * na * b.n) / n;
      }
    }
    this.atoms[e] = n;
  }

  /** A short summary for notebooks and `console.log` (elements, functions and atoms seen per element). */
  [inspect.custom](): string {
    return summary('SymmetryFunctionStatisticsAccumulator', {
      elements: this.elements.join(', '), functions: this.elements.map((e, k) => `${e} ${this.counts[k]}`).join(', '),
      'atoms seen': this.elements.map((e, k) => `${e} ${this.atoms[k]}`).join(', '),
    });
  }
}

interface Batch {
  n: number;
  min: Float64Array;
  max: Float64Array;
  mean: Float64Array;
  m2: Float64Array;
}

function emptyError(what: string, missing: readonly string[], elements: readonly string[], where: string): PolymorphError {
  return new PolymorphError('E_EMPTY', `${what}: no atoms of ${missing.join(', ')} ${where}, so ${missing.length === 1 ? 'its' : 'their'} ` +
    `symmetry functions have no statistics (a potential for ${elements.join(', ')} needs data with atoms of every element)`);
}

/** The statistics at the end of a pass over `count` structures. */
function finish(running: SymmetryFunctionStatisticsAccumulator, what: string, count: number): SymmetryFunctionStatistics[] {
  const missing = running.elements.filter((e) => running.atomCount(e) === 0);
  if (missing.length > 0) throw emptyError(what, missing, running.elements, `in the ${count} structure${count === 1 ? '' : 's'}`);
  return running.statistics();
}

function checkFunctions(functions: SymmetryFunctions, what: string): void {
  if (!(functions instanceof SymmetryFunctions)) {
    throw new PolymorphError('E_TYPE', `${what}: expected a SymmetryFunctions object (e.g. Hdnnp.load(dir).symmetryFunctions)`);
  }
}

/** The values of one element as a flat row-major `[rows·m]` array (copied only if the view is not contiguous). */
function rowMajor(v: NdArray<Float64Array>, m: number, element: string, what: string): Float64Array {
  if (typeof v !== 'object' || v === null || !Array.isArray(v.shape) || !(v.data instanceof Float64Array)) {
    throw new PolymorphError('E_TYPE', `${what}: values of ${element} must be a Float64 ndarray [N, ${m}]`);
  }
  const [rows, cols] = v.shape;
  if (v.shape.length !== 2 || cols !== m) {
    throw new PolymorphError('E_SHAPE', `${what}: values of ${element} must be [N, ${m}] (${m} functions), got [${v.shape.join(', ')}]`);
  }
  if (v.stride[1] === 1 && (v.stride[0] === m || rows <= 1) && v.offset === 0) return v.data.subarray(0, rows * m);
  const out = new Float64Array(rows * m);
  for (let a = 0; a < rows; ++a) for (let s = 0; s < m; ++s) out[a * m + s] = v.get(a, s);
  return out;
}

/** Two-pass statistics of one batch; null for no rows. */
function batchStatistics(g: Float64Array, m: number, element: string, what: string): Batch | null {
  const n = g.length / m;
  if (n === 0) return null;
  const b: Batch = { n, min: new Float64Array(m).fill(Infinity), max: new Float64Array(m).fill(-Infinity), mean: new Float64Array(m), m2: new Float64Array(m) };
  for (let a = 0; a < n; ++a) {
    for (let s = 0; s < m; ++s) {
      const x = g[a * m + s];
      if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `${what}: ${element} row ${a}, function ${s + 1} is ${x}`);
      if (x < b.min[s]) b.min[s] = x;
      if (x > b.max[s]) b.max[s] = x;
      b.mean[s] += x;
    }
  }
  for (let s = 0; s < m; ++s) b.mean[s] /= n;
  const sd = new Float64Array(m);
  for (let a = 0; a < n; ++a) {
    for (let s = 0; s < m; ++s) {
      const d = g[a * m + s] - b.mean[s];
      sd[s] += d;
      b.m2[s] += d * d;
    }
  }
  for (let s = 0; s < m; ++s) b.m2[s] = Math.max(0, b.m2[s] - (sd[s] * sd[s]) / n);
  return b;
}

const WHAT_SYNC = 'symmetryFunctionStatistics';
const WHAT_ASYNC = 'symmetryFunctionStatisticsAsync';

function checkOptions(options: SymmetryFunctionStatisticsOptions, what: string): void {
  if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', `${what}: options must be an object`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new PolymorphError('E_TYPE', `${what}: onProgress must be a function`);
}

function checkCancelled(options: SymmetryFunctionStatisticsOptions, what: string, done: number): void {
  if (options.signal?.aborted) throw new PolymorphError('E_CANCELLED', `${what}: cancelled after ${done} structures`);
}

/** Rethrows an error of one structure with its index in the message (same code). */
function atStructure(error: unknown, k: number, what: string): never {
  if (error instanceof PolymorphError) throw new PolymorphError(error.code, `${what}: structure ${k}: ${error.message}`, { cause: error });
  throw error;
}

function checkStructure(s: unknown, k: number, what: string): s is Structure {
  if (!(s instanceof Structure)) throw new PolymorphError('E_TYPE', `${what}: structure ${k} is not a Structure`);
  return s.length > 0;
}

/**
 * min, max, mean and sample σ of every symmetry function of every element over all atoms of all
 * `structures` (positions in Å), as n2p2's `nnp-scaling` computes them, in one streaming pass
 * (see the module documentation). Structures without atoms contribute nothing.
 *
 * @param functions the symmetry functions (e.g. `Hdnnp.load(dir).symmetryFunctions`, or
 * `new SymmetryFunctions(settings.symmetryFunctions, …)`).
 * @param structures any iterable: an array, `readAll(…)`, a generator. For `iread` streams use
 * {@link symmetryFunctionStatisticsAsync}.
 * @returns one entry per element of `functions.elements` (by atomic number), arrays in the
 * functions' order — what {@link formatScalingData} / {@link writeScalingData} write.
 * @throws PolymorphError `E_EMPTY` naming every element without atoms in the data; the errors of
 * {@link SymmetryFunctions.compute} (e.g. `E_ELEMENT` for an element the functions do not cover),
 * with the structure's index in the message; `E_TYPE` for an async iterable; `E_CANCELLED`.
 * @example
 * ```ts
 * const stats = symmetryFunctionStatistics(functions, readAll('input.data', { format: 'n2p2' }));
 * stats[0].sigma;   // Float64Array: σ of each function of the first element
 * ```
 */
export function symmetryFunctionStatistics(functions: SymmetryFunctions, structures: Iterable<Structure>,
  options: SymmetryFunctionStatisticsOptions = {}): SymmetryFunctionStatistics[] {
  checkFunctions(functions, WHAT_SYNC);
  checkOptions(options, WHAT_SYNC);
  const iterable = structures as Partial<Iterable<Structure> & AsyncIterable<Structure>> | null;
  if (typeof iterable?.[Symbol.iterator] !== 'function') {
    const hint = typeof iterable?.[Symbol.asyncIterator] === 'function' ? ' (this is an async iterable such as iread(…): use symmetryFunctionStatisticsAsync)' : '';
    throw new PolymorphError('E_TYPE', `${WHAT_SYNC}: structures must be an iterable of Structures${hint}`);
  }
  const running = new SymmetryFunctionStatisticsAccumulator(functions);
  let k = 0, atoms = 0;
  for (const s of structures) {
    checkCancelled(options, WHAT_SYNC, k);
    if (checkStructure(s, k, WHAT_SYNC)) {
      try {
        running.add(functions.compute(s).values);
      } catch (error) {
        atStructure(error, k, WHAT_SYNC);
      }
    }
    atoms += s.length;
    ++k;
    options.onProgress?.({ structures: k, atoms });
  }
  return finish(running, WHAT_SYNC, k);
}

/**
 * {@link symmetryFunctionStatistics} for sync or async iterables, with the symmetry functions
 * computed off the event loop ({@link SymmetryFunctions.computeAsync}). Reading the next structure
 * overlaps computing the current one; at most two structures are held at a time, so an `iread`
 * stream of any size works. Results are bitwise identical to the sync form.
 * @example
 * ```ts
 * const stats = await symmetryFunctionStatisticsAsync(functions, iread('input.data', { format: 'n2p2' }), {
 *   onProgress: ({ structures }) => { if (structures % 1000 === 0) console.log(structures); },
 * });
 * ```
 */
export async function symmetryFunctionStatisticsAsync(functions: SymmetryFunctions,
  structures: Iterable<Structure> | AsyncIterable<Structure>, options: SymmetryFunctionStatisticsOptions = {}): Promise<SymmetryFunctionStatistics[]> {
  checkFunctions(functions, WHAT_ASYNC);
  checkOptions(options, WHAT_ASYNC);
  const iterable = structures as Partial<Iterable<Structure> & AsyncIterable<Structure>> | null;
  if (typeof iterable?.[Symbol.asyncIterator] !== 'function' && typeof iterable?.[Symbol.iterator] !== 'function') {
    throw new PolymorphError('E_TYPE', `${WHAT_ASYNC}: structures must be an iterable or async iterable of Structures`);
  }
  const running = new SymmetryFunctionStatisticsAccumulator(functions);
  let k = 0, atoms = 0;
  let pending: { job: Promise<SymmetryFunctionResults> | null; index: number; length: number } | null = null;
  const settle = async (p: NonNullable<typeof pending>): Promise<void> => {
    try {
      if (p.job) running.add((await p.job).values);
    } catch (error) {
      atStructure(error, p.index, WHAT_ASYNC);
    }
    atoms += p.length;
    options.onProgress?.({ structures: p.index + 1, atoms });
  };
  for await (const s of structures) {
    checkCancelled(options, WHAT_ASYNC, k);
    let job: Promise<SymmetryFunctionResults> | null = null;
    try {
      if (checkStructure(s, k, WHAT_ASYNC)) job = functions.computeAsync(s);
    } catch (error) {
      if (pending) await settle(pending); // report the earlier structure's error first, as the sync form does
      throw error;
    }
    // The job may fail while the previous one is awaited: mark it handled; settle() rethrows.
    job?.catch(() => undefined);
    if (pending) await settle(pending);
    pending = { job, index: k++, length: s.length };
  }
  if (pending) await settle(pending);
  return finish(running, WHAT_ASYNC, k);
}

/**
 * Writes statistics as n2p2's `scaling.data` ({@link formatScalingData}: byte-identical to what
 * `nnp-scaling` writes), e.g. the result of {@link symmetryFunctionStatistics}.
 * @throws PolymorphError `E_IO` naming the path when the file cannot be written; the errors of
 * {@link formatScalingData}.
 */
export function writeScalingData(path: string, stats: readonly SymmetryFunctionStatistics[]): void {
  const text = formatScalingData(stats);
  try {
    fs.writeFileSync(path, text);
  } catch (error) {
    throw new PolymorphError('E_IO', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

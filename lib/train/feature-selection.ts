/**
 * Feature-selection filters for descriptor matrices (symmetry functions, PLIP descriptors): the
 * Pearson-correlation, CUR and farthest-point (FPS) column selections that Imbalzano et al.,
 * J. Chem. Phys. 148, 241730 (2018) compare for Behler–Parrinello inputs.
 *
 * The matrix X [samples, features] comes as one row-major block or as several row blocks (one per
 * frame, say) read one after another; it is never concatenated. One pass accumulates the column
 * means μ [features] and the centred co-moment matrix M = Σ_r (x_r − μ)(x_r − μ)ᵀ
 * [features, features] block by block (each block centred on its own mean, then merged), so
 * memory and the result do not depend on how the rows are split, and columns with a large mean
 * and a small spread keep their digits. Everything the filters need follows from μ and M:
 * correlations ρ_ij = M_ij / √(M_ii M_jj), the Gram matrix XᵀX = M + n μμᵀ, and distances between
 * columns ‖x_i − x_j‖² = M_ii + M_jj − 2 M_ij + n (μ_i − μ_j)². Cost: O(n p²) for the pass
 * (n samples, p features), then O(p²) per step (Pearson, FPS) or O(p³) per step (CUR).
 * @module
 */
import { PolymorphError } from '../core/errors';
import { symmetricEigensystem } from '../core/symmetric-eigen';
import { checkOptions } from '../core/options';

/** A block of rows of a descriptor matrix: `rows` × `columns` values, row-major in `data`. */
export interface DescriptorBlock {
  /** Number of samples (atoms, environments) in this block; may be 0. */
  readonly rows: number;
  /** Number of features (descriptor components); the same in every block. */
  readonly columns: number;
  /** The values, row-major: `data[r * columns + j]` is feature j of sample r (length rows × columns). */
  readonly data: Float64Array;
}

/**
 * A descriptor matrix X [samples, features]: one {@link DescriptorBlock}, or row blocks with the
 * same column count read in order (an array, or any iterable such as a generator yielding one
 * block per frame; it is iterated once).
 */
export type DescriptorMatrix = DescriptorBlock | Iterable<DescriptorBlock>;

/** The features a filter selected. */
export interface FeatureSelectionResult {
  /** Column indices, in the order they were selected (distinct). */
  selected: number[];
  /** The score of each selected feature at the step it was selected (its meaning depends on the filter). */
  scores: number[];
}

/** What {@link curSelection} returns: the selection plus how much of X is left unexplained. */
export interface CurSelectionResult extends FeatureSelectionResult {
  /**
   * ‖X̃ − P_s X̃‖_F after each step s: the Frobenius norm of the part of the (centred, standardised)
   * matrix X̃ outside the span of the columns selected so far (0 once they span X̃).
   */
  residuals: number[];
  /** ‖X̃‖_F, the norm of the matrix before any selection (divide `residuals` by it for fractions). */
  norm: number;
}

/** Options of {@link pearsonSelection}. */
export interface PearsonSelectionOptions {
  /** Number of features to select: an integer from 1 to the number of columns. */
  count: number;
  /** Index of the first feature (default: the one with the largest variance; the first such index on ties). */
  start?: number;
}

/** Options of {@link curSelection}. */
export interface CurSelectionOptions {
  /** Number of features to select: an integer from 1 to the number of columns (may exceed the rank). */
  count: number;
  /** Index of the first feature (default: chosen by its CUR score like every other step). */
  start?: number;
  /** Number k ≥ 1 of top right singular vectors in the score π_i = Σ_{j≤k} (v_i^j)² (default 1). */
  k?: number;
  /** Subtract each column's mean first (default true). */
  center?: boolean;
  /**
   * Scale each centred column to standard deviation 1 (default: the value of `center`, so inputs
   * are standardised to mean 0, sd 1 as Sandberg et al. standardise network inputs). Needs
   * `center`; a constant column becomes a zero column.
   */
  standardize?: boolean;
  /**
   * Relative tolerance for "linearly dependent": a column whose residual squared norm is at most
   * `tolerance` times its squared norm before selection counts as in the span of the selected
   * columns (default 1e-12, i.e. a residual of 1e-6 of the column's norm).
   */
  tolerance?: number;
}

/** Options of {@link farthestPointSelection}. */
export interface FarthestPointSelectionOptions {
  /** Number of features to select: an integer from 1 to the number of columns. */
  count: number;
  /** Index of the first feature (default: the column with the largest norm ‖x_j‖; the first such index on ties). */
  start?: number;
}

/**
 * Pearson-correlation filter: starts from one feature (by default the one with the largest
 * variance) and repeatedly adds the feature whose mean absolute Pearson correlation with the
 * features already selected,
 *
 *   score_i = (1/|S|) Σ_{j∈S} |ρ_ij|,   ρ_ij = cov(x_i, x_j) / (σ_i σ_j),
 *
 * is lowest (the first index on ties). `scores` holds score_i at the step i was selected (0 for the
 * first feature, which has nothing to correlate with).
 *
 * Constant columns (every value equal) have no correlation: they score `Infinity`, so they are
 * selected only after every non-constant column, in index order, and they are left out of the mean
 * over S (a constant `start` is honoured).
 *
 * Errors: `E_VALUE` for a `count` or `start` out of range, non-finite data or an unknown option;
 * `E_SHAPE` for blocks whose `data` length is not rows × columns, blocks with different column
 * counts, or no rows at all; `E_TYPE` for something that is not a block or an iterable of blocks.
 *
 * @example
 * ```ts
 * // X: [samples, features], one row per atomic environment, one column per symmetry function
 * const X = { rows: 4, columns: 3, data: Float64Array.of(3, 2, 1, 3, 0, -1, -3, 0, -1, -3, -2, 1) };
 * const { selected, scores } = pearsonSelection(X, { count: 3 });   // selected: [0, 2, 1]
 * // streamed: one block per frame (sf: SymmetryFunctions, frames: Structure[]), rows never concatenated
 * function* zincRows() {
 *   for (const frame of frames) {
 *     const v = sf.compute(frame).values.Zn;                // [N_Zn, n_Zn]
 *     yield { rows: v.shape[0], columns: v.shape[1], data: v.data };
 *   }
 * }
 * pearsonSelection(zincRows(), { count: 7 });
 * ```
 */
export function pearsonSelection(X: DescriptorMatrix, options: PearsonSelectionOptions): FeatureSelectionResult {
  const what = 'pearsonSelection';
  const { count, start } = checkOptions(options, ['count', 'start'], what);
  checkCount(count, what);
  const moments = accumulate(X, what);
  const p = moments.columns;
  checkRange(count, start, p, what);
  const { comoment: M, constant } = moments;
  const first = start ?? argmax(p, (i) => M[i * p + i], () => true);
  const chosen = new Uint8Array(p);
  const sums = new Float64Array(p);
  const selected: number[] = [];
  const scores: number[] = [];
  let correlated = 0;
  const score = (i: number): number => (constant[i] ? Infinity : correlated === 0 ? 0 : sums[i] / correlated);
  for (let step = 0; step < count; ++step) {
    const c = step === 0 ? first : argmin(p, score, (i) => !chosen[i]);
    selected.push(c);
    scores.push(score(c));
    chosen[c] = 1;
    if (constant[c]) continue;
    for (let i = 0; i < p; ++i) {
      if (!chosen[i] && !constant[i]) sums[i] += Math.min(1, Math.abs(M[i * p + c]) / Math.sqrt(M[i * p + i] * M[c * p + c]));
    }
    ++correlated;
  }
  return { selected, scores };
}

/**
 * CUR column selection (Mahoney & Drineas; Imbalzano et al. 2018, deterministic form): at each
 * step the score of column i is its leverage on the top k right singular vectors v¹…v^k of the
 * current residual matrix,
 *
 *   π_i = Σ_{j≤k} (v_i^j)²,
 *
 * the column with the largest π is selected (the lowest index among scores within 1e-9 of the
 * largest), and every column is orthogonalised against it. Both run on the Gram matrix
 * C = X̃ᵀX̃ [features, features], never on the rows: the right singular vectors of X̃ are the
 * eigenvectors of C (cyclic Jacobi), and orthogonalising against column c is
 * C ← C − C[:, c] C[c, :] / C[c, c]. X̃ is X with each column centred and scaled to standard
 * deviation 1 by default (`center`, `standardize`: inputs standardised as Sandberg et al. do).
 *
 * More features than the rank of X̃ may be requested: a column whose residual is (relative to its
 * own norm, see `tolerance`) zero is never selected while a column outside the span remains, and
 * none is ever divided by. When nothing is left, the remaining columns follow with score 0, by
 * decreasing norm ‖x̃_i‖ (the lowest index on ties); no index is returned twice. `residuals` gives
 * ‖X̃ − P_s X̃‖_F after each step.
 *
 * When the k-th and (k+1)-th singular values are equal the top-k subspace, hence π, is not unique.
 *
 * Errors: as {@link pearsonSelection}, plus `E_VALUE` for `k` < 1, `standardize` without `center`,
 * or a `tolerance` outside [0, 1).
 *
 * @example
 * ```ts
 * const X = { rows: 3, columns: 3, data: Float64Array.of(2, 0, 1, 0, 1, 0, 0, 0, 0) };
 * const cur = curSelection(X, { count: 3, center: false });
 * // cur.selected [0, 1, 2]: column 2 = column 0 / 2 comes last, with score 0
 * // cur.scores [0.8, 1, 0], cur.residuals [1, 0, 0]
 * ```
 */
export function curSelection(X: DescriptorMatrix, options: CurSelectionOptions): CurSelectionResult {
  const what = 'curSelection';
  const opts = checkOptions(options, ['count', 'start', 'k', 'center', 'standardize', 'tolerance'], what);
  const { count, start, k = 1, center = true, standardize = opts.center ?? true, tolerance = 1e-12 } = opts;
  checkCount(count, what);
  if (!Number.isInteger(k) || k < 1) throw new PolymorphError('E_VALUE', `${what}: k must be an integer >= 1 (number of singular vectors), got ${String(k)}`);
  if (typeof center !== 'boolean' || typeof standardize !== 'boolean') throw new PolymorphError('E_TYPE', `${what}: center and standardize must be booleans`);
  if (standardize && !center) throw new PolymorphError('E_VALUE', `${what}: standardize needs center (standardised columns have mean 0); pass standardize: false for uncentred columns`);
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance < 1)) throw new PolymorphError('E_VALUE', `${what}: tolerance must be a number in [0, 1), got ${String(tolerance)}`);
  const moments = accumulate(X, what);
  const p = moments.columns;
  checkRange(count, start, p, what);
  return curSteps(curGram(moments, center, standardize), p, { count, start, k, tolerance });
}

/**
 * Farthest-point sampling of columns: starts from one feature (by default the column with the
 * largest norm ‖x_j‖) and repeatedly adds the column farthest from those selected,
 *
 *   next = argmax_{i∉S} min_{j∈S} ‖x_i − x_j‖,
 *
 * with Euclidean distances between the raw columns (no centring or scaling: scale the descriptors
 * first if their units differ), computed as ‖x_i − x_j‖² = M_ii + M_jj − 2 M_ij + n (μ_i − μ_j)²
 * (clamped at 0). Ties go to the lowest index. `scores` holds that min distance at the step the
 * column was selected (in the units of X); the first feature's score is its distance from the zero
 * column, ‖x_start‖. Duplicate columns score 0 and are never returned twice.
 *
 * Errors: as {@link pearsonSelection}.
 *
 * @example
 * ```ts
 * const X = { rows: 2, columns: 3, data: Float64Array.of(3, 0, 3, 0, 1, 1) };
 * const { selected, scores } = farthestPointSelection(X, { count: 3 });
 * // selected [2, 1, 0], scores [√10, 3, 1]
 * ```
 */
export function farthestPointSelection(X: DescriptorMatrix, options: FarthestPointSelectionOptions): FeatureSelectionResult {
  const what = 'farthestPointSelection';
  const { count, start } = checkOptions(options, ['count', 'start'], what);
  checkCount(count, what);
  const moments = accumulate(X, what);
  const p = moments.columns;
  checkRange(count, start, p, what);
  const { comoment: M, mean, rows: n } = moments;
  const squaredNorm = (i: number): number => M[i * p + i] + n * mean[i] * mean[i];
  const first = start ?? argmax(p, squaredNorm, () => true);
  const chosen = new Uint8Array(p);
  const nearest = new Float64Array(p).fill(Infinity);
  const selected: number[] = [];
  const scores: number[] = [];
  for (let step = 0; step < count; ++step) {
    const c = step === 0 ? first : argmax(p, (i) => nearest[i], (i) => !chosen[i]);
    selected.push(c);
    scores.push(Math.sqrt(step === 0 ? squaredNorm(c) : nearest[c]));
    chosen[c] = 1;
    for (let i = 0; i < p; ++i) {
      if (chosen[i]) continue;
      const d2 = Math.max(0, M[i * p + i] + M[c * p + c] - 2 * M[i * p + c] + n * (mean[i] - mean[c]) ** 2);
      if (d2 < nearest[i]) nearest[i] = d2;
    }
  }
  return { selected, scores };
}

/** Column means, centred co-moments and constant columns of X, accumulated block by block. */
interface Moments {
  rows: number;
  columns: number;
  mean: Float64Array;
  /** Σ_r (x_r − μ)(x_r − μ)ᵀ, full symmetric p × p, row-major; rows and columns of constant columns are 0. */
  comoment: Float64Array;
  /** 1 where every value of the column is equal (or its spread underflows). */
  constant: Uint8Array;
}

/** Checks every block of X and accumulates its {@link Moments} (one pass; a generator is read once). */
function accumulate(X: DescriptorMatrix, what: string): Moments {
  if (typeof X !== 'object' || X === null) throw new PolymorphError('E_TYPE', `${what}: X must be { rows, columns, data: Float64Array } or an iterable of such blocks, got ${X === null ? 'null' : typeof X}`);
  const blocks: Iterable<DescriptorBlock> = isBlock(X) ? [X] : (X as Iterable<DescriptorBlock>);
  if (typeof (blocks as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new PolymorphError('E_TYPE', `${what}: X must be { rows, columns, data: Float64Array } or an iterable of such blocks`);
  }
  let state: Moments & { low: Float64Array; high: Float64Array } | undefined;
  let index = 0;
  for (const block of blocks) {
    checkBlock(block, index, what);
    state ??= emptyMoments(block.columns);
    if (block.columns !== state.columns) throw new PolymorphError('E_SHAPE', `${what}: block ${index} has ${block.columns} columns, block 0 has ${state.columns}; every block must have the same features`);
    addBlock(state, block);
    ++index;
  }
  if (state === undefined || state.rows === 0) throw new PolymorphError('E_SHAPE', `${what}: X has no rows; pass at least one sample`);
  const p = state.columns;
  for (let i = 0; i < p; ++i) {
    for (let j = 0; j < i; ++j) state.comoment[i * p + j] = state.comoment[j * p + i];
  }
  for (let i = 0; i < p; ++i) {
    if (state.low[i] !== state.high[i] && state.comoment[i * p + i] > 0) continue;
    state.constant[i] = 1;
    for (let j = 0; j < p; ++j) state.comoment[i * p + j] = state.comoment[j * p + i] = 0;
  }
  return { rows: state.rows, columns: p, mean: state.mean, comoment: state.comoment, constant: state.constant };
}

function isBlock(X: object): X is DescriptorBlock {
  return 'data' in X && 'rows' in X && 'columns' in X;
}

function checkBlock(block: DescriptorBlock, index: number, what: string): void {
  if (typeof block !== 'object' || block === null || !isBlock(block)) throw new PolymorphError('E_TYPE', `${what}: block ${index} must be { rows, columns, data: Float64Array }`);
  const { rows, columns, data } = block;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(columns) || columns < 1) {
    throw new PolymorphError('E_SHAPE', `${what}: block ${index} needs integer rows >= 0 and columns >= 1, got rows ${String(rows)}, columns ${String(columns)}`);
  }
  if (!(data instanceof Float64Array)) throw new PolymorphError('E_TYPE', `${what}: block ${index}: data must be a Float64Array (use Float64Array.from(values))`);
  if (data.length !== rows * columns) throw new PolymorphError('E_SHAPE', `${what}: block ${index} has ${data.length} values, expected rows × columns = ${rows} × ${columns} = ${rows * columns}`);
  for (let k = 0; k < data.length; ++k) {
    if (!Number.isFinite(data[k])) {
      throw new PolymorphError('E_VALUE', `${what}: block ${index}, row ${Math.floor(k / columns)}, column ${k % columns} is ${data[k]}; descriptors must be finite`);
    }
  }
}

function emptyMoments(p: number): Moments & { low: Float64Array; high: Float64Array } {
  return {
    rows: 0, columns: p, mean: new Float64Array(p), comoment: new Float64Array(p * p), constant: new Uint8Array(p),
    low: new Float64Array(p).fill(Infinity), high: new Float64Array(p).fill(-Infinity),
  };
}

/**
 * Adds one block: its mean m_b (two passes, the second correcting round-off), its centred
 * co-moments Σ (x − m_b)(x − m_b)ᵀ (upper triangle), and the merge term δδᵀ n_a n_b / n with
 * δ = m_b − μ_a (Chan, Golub & LeVeque).
 */
function addBlock(state: Moments & { low: Float64Array; high: Float64Array }, block: DescriptorBlock): void {
  const { rows: nb, data } = block;
  const p = state.columns;
  if (nb === 0) return;
  const m = new Float64Array(p);
  for (let r = 0; r < nb; ++r) for (let j = 0; j < p; ++j) m[j] += data[r * p + j];
  for (let j = 0; j < p; ++j) m[j] /= nb;
  const correction = new Float64Array(p);
  for (let r = 0; r < nb; ++r) for (let j = 0; j < p; ++j) correction[j] += data[r * p + j] - m[j];
  for (let j = 0; j < p; ++j) m[j] += correction[j] / nb;
  const M = state.comoment;
  const d = new Float64Array(p);
  for (let r = 0; r < nb; ++r) {
    for (let j = 0; j < p; ++j) {
      const x = data[r * p + j];
      d[j] = x - m[j];
      if (x < state.low[j]) state.low[j] = x;
      if (x > state.high[j]) state.high[j] = x;
    }
    for (let i = 0; i < p; ++i) {
      const di = d[i];
      if (di === 0) continue;
      for (let j = i; j < p; ++j) M[i * p + j] += di * d[j];
    }
  }
  const na = state.rows, n = na + nb;
  const weight = (na * nb) / n;
  for (let i = 0; i < p; ++i) {
    const di = m[i] - state.mean[i];
    for (let j = i; j < p; ++j) M[i * p + j] += weight * di * (m[j] - state.mean[j]);
  }
  for (let j = 0; j < p; ++j) state.mean[j] += ((m[j] - state.mean[j]) * nb) / n;
  state.rows = n;
}

/** The Gram matrix X̃ᵀX̃ of the columns CUR sees: raw (XᵀX = M + nμμᵀ), centred (M) or standardised (M_ij / (σ_i σ_j)). */
function curGram(moments: Moments, center: boolean, standardize: boolean): Float64Array {
  const { comoment: M, mean, rows: n, columns: p } = moments;
  const C = Float64Array.from(M);
  if (!center) {
    for (let i = 0; i < p; ++i) for (let j = 0; j < p; ++j) C[i * p + j] += n * mean[i] * mean[j];
  } else if (standardize) {
    const scale = Float64Array.from({ length: p }, (_, i) => (M[i * p + i] > 0 ? Math.sqrt(n / M[i * p + i]) : 0));
    for (let i = 0; i < p; ++i) for (let j = 0; j < p; ++j) C[i * p + j] *= scale[i] * scale[j];
  }
  return C;
}

/** The CUR steps on the Gram matrix C0 (see {@link curSelection}). */
function curSteps(C0: Float64Array, p: number, options: { count: number; start?: number; k: number; tolerance: number }): CurSelectionResult {
  const { count, start, k, tolerance } = options;
  const C = Float64Array.from(C0);
  const original = Float64Array.from({ length: p }, (_, i) => C0[i * p + i]);
  const chosen = new Uint8Array(p);
  const live = (i: number): boolean => !chosen[i] && C[i * p + i] > tolerance * original[i];
  const fillOrder = Array.from({ length: p }, (_, i) => i).sort((a, b) => original[b] - original[a] || a - b);
  const result: CurSelectionResult = { selected: [], scores: [], residuals: [], norm: Math.sqrt(trace(original)) };
  for (let step = 0; step < count; ++step) {
    const active = Array.from({ length: p }, (_, i) => i).filter(live);
    let c: number;
    let score = 0;
    const forced = step === 0 ? start : undefined;
    if (active.length === 0) {
      c = forced ?? (fillOrder.find((i) => !chosen[i]) as number);
    } else {
      const pi = leverageScores(C, p, active, k);
      c = forced ?? bestLeverage(active, pi);
      const at = active.indexOf(c);
      score = at < 0 ? 0 : pi[at];
    }
    if (live(c)) orthogonalise(C, p, c);
    chosen[c] = 1;
    for (let i = 0; i < p; ++i) C[i * p + c] = C[c * p + i] = 0;
    result.selected.push(c);
    result.scores.push(score);
    let left = 0;
    for (let i = 0; i < p; ++i) if (live(i)) left += C[i * p + i];
    result.residuals.push(Math.sqrt(left));
  }
  return result;
}

function trace(diagonal: Float64Array): number {
  let sum = 0;
  for (const v of diagonal) sum += v;
  return sum;
}

/** π_i = Σ_{j≤k} (v_i^j)² over the top-k eigenvectors of C restricted to `active` (one value per active column). */
function leverageScores(C: Float64Array, p: number, active: number[], k: number): Float64Array {
  const a = active.length;
  const sub = new Float64Array(a * a);
  for (let s = 0; s < a; ++s) for (let t = 0; t < a; ++t) sub[s * a + t] = C[active[s] * p + active[t]];
  const { values, vectors } = symmetricEigensystem(sub, a);
  const order = Array.from({ length: a }, (_, j) => j).sort((x, y) => values[y] - values[x] || x - y);
  const pi = new Float64Array(a);
  for (const j of order.slice(0, Math.min(k, a))) for (let s = 0; s < a; ++s) pi[s] += vectors[s * a + j] ** 2;
  return pi;
}

/** The active column with the largest π; among π within 1e-9 (relative) of the largest, the lowest index. */
function bestLeverage(active: number[], pi: Float64Array): number {
  let top = 0;
  for (const v of pi) if (v > top) top = v;
  for (let s = 0; s < active.length; ++s) if (pi[s] >= top * (1 - 1e-9)) return active[s];
  return active[0];
}

/** C ← C − C[:, c] C[c, :] / C[c, c]: every column's residual made orthogonal to the residual of column c. */
function orthogonalise(C: Float64Array, p: number, c: number): void {
  const column = Float64Array.from({ length: p }, (_, i) => C[i * p + c]);
  const pivot = C[c * p + c];
  for (let i = 0; i < p; ++i) {
    const f = column[i] / pivot;
    if (f === 0) continue;
    for (let j = 0; j < p; ++j) C[i * p + j] -= f * column[j];
  }
  for (let i = 0; i < p; ++i) {
    if (C[i * p + i] < 0) C[i * p + i] = 0;
  }
}

function checkCount(count: unknown, what: string): asserts count is number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new PolymorphError('E_VALUE', `${what}: options.count must be an integer >= 1 (the number of features to select), got ${String(count)}`);
  }
}

function checkRange(count: number, start: number | undefined, p: number, what: string): void {
  if (count > p) throw new PolymorphError('E_VALUE', `${what}: options.count is ${count} but X has only ${p} features; ask for at most ${p}`);
  if (start !== undefined && (typeof start !== 'number' || !Number.isInteger(start) || start < 0 || start >= p)) {
    throw new PolymorphError('E_VALUE', `${what}: options.start must be a feature index from 0 to ${p - 1}, got ${String(start)}`);
  }
}

/** The index i < p with `allowed(i)` and the largest value (the first on ties). */
function argmax(p: number, value: (i: number) => number, allowed: (i: number) => boolean): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < p; ++i) {
    if (!allowed(i)) continue;
    const x = value(i);
    if (best < 0 || x > bestValue) {
      best = i;
      bestValue = x;
    }
  }
  return best;
}

/** The index i < p with `allowed(i)` and the smallest value (the first on ties). */
function argmin(p: number, value: (i: number) => number, allowed: (i: number) => boolean): number {
  return argmax(p, (i) => -value(i), allowed);
}

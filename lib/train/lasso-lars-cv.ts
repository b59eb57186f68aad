/**
 * LassoLarsCV: α chosen by K-fold cross-validation over the merged LARS breakpoints, as
 * scikit-learn 1.2.1 `LassoLarsCV` (cv=K → KFold(K) without shuffling, max_n_alphas).
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';
import { checkCommon, Design, DesignMatrix, larsPath, toDesign, toTarget } from './lars-native';
import { LassoLars } from './lasso-lars';

/** Options of {@link LassoLarsCV}. */
export interface LassoLarsCVOptions {
  /** Number of folds K (contiguous blocks of rows, no shuffling; 2 ≤ K ≤ nSamples; default 5). */
  cv?: number;
  /** Fit an intercept (centre X and y on each training fold; default true). */
  fitIntercept?: boolean;
  /** Constrain coefficients to w ≥ 0 (default false). */
  positive?: boolean;
  /** Largest number of LARS steps per path (default 500). */
  maxIter?: number;
  /** At most this many α values on the merged grid (every stride-th; default 1000). */
  maxNAlphas?: number;
}

/**
 * Cross-validated LassoLars. For each of K folds, the full Lasso path (α down to 0) is fitted on
 * the other folds and the held-out residuals are interpolated linearly in α onto the merged,
 * sorted breakpoints of all folds; `alpha` minimises the mean over folds of the held-out MSE, and
 * the model is refitted on all data at that α.
 *
 * After {@link fit}: `alpha`, `cvAlphas` [nGrid] (ascending), `msePath` [nGrid, K],
 * `mseMean` [nGrid], and the refitted model's `coef`, `intercept`, `alphas`, `active`,
 * `coefPath`, `nIter` (see {@link LassoLars}).
 *
 * @example
 * ```ts
 * const model = new LassoLarsCV({ cv: 5 }).fit(X, y);
 * console.log(model.alpha, model.coef);
 * ```
 */
export class LassoLarsCV {
  readonly cv: number;
  readonly fitIntercept: boolean;
  readonly positive: boolean;
  readonly maxIter: number;
  readonly maxNAlphas: number;
  /** The α with the lowest mean held-out MSE. */
  alpha = NaN;
  /** The α grid (merged fold breakpoints, ascending, non-finite rows removed) [nGrid]. */
  cvAlphas: Float64Array = new Float64Array(0);
  /** Held-out mean squared error per α and fold [nGrid, K]. */
  msePath: NdArray<Float64Array> = ndarray(new Float64Array(0), [0, 0]);
  /** Mean over folds of msePath [nGrid]. */
  mseMean: Float64Array = new Float64Array(0);
  /** The model refitted on all data at `alpha`. */
  model: LassoLars | null = null;

  constructor(options: LassoLarsCVOptions = {}) {
    const { cv = 5, fitIntercept = true, positive = false, maxIter = 500, maxNAlphas = 1000 } = options;
    if (!Number.isInteger(cv) || cv < 2) throw new PolymorphError('E_VALUE', `LassoLarsCV: cv must be an integer >= 2, got ${cv}`);
    if (!Number.isInteger(maxNAlphas) || maxNAlphas < 1) throw new PolymorphError('E_VALUE', `LassoLarsCV: maxNAlphas must be an integer >= 1, got ${maxNAlphas}`);
    checkCommon('LassoLarsCV', maxIter, fitIntercept, positive);
    this.cv = cv;
    this.fitIntercept = fitIntercept;
    this.positive = positive;
    this.maxIter = maxIter;
    this.maxNAlphas = maxNAlphas;
  }

  get coef(): Float64Array { return this.fitted().coef; }
  get intercept(): number { return this.fitted().intercept; }
  get alphas(): Float64Array { return this.fitted().alphas; }
  get active(): Int32Array { return this.fitted().active; }
  get coefPath(): NdArray<Float64Array> { return this.fitted().coefPath; }
  get nIter(): number { return this.fitted().nIter; }

  /** Cross-validates α, then refits on all of X [nSamples, nFeatures], y [nSamples]; returns `this`. */
  fit(X: DesignMatrix, y: ArrayLike<number>): this {
    const d = toDesign(X, 'LassoLarsCV.fit');
    const target = toTarget(y, d.nSamples, 'LassoLarsCV.fit');
    if (this.cv > d.nSamples) throw new PolymorphError('E_VALUE', `LassoLarsCV: cv = ${this.cv} folds need at least as many samples, got ${d.nSamples}`);
    const folds = kFold(d.nSamples, this.cv).map(([start, stop]) => this.foldPath(d, target, start, stop));
    let grid = uniqueSorted(folds.flatMap((f) => Array.from(f.alphas)));
    const stride = Math.max(1, Math.floor(grid.length / this.maxNAlphas));
    grid = grid.filter((_, i) => i % stride === 0);
    const mse = folds.map((f) => foldMse(f, grid));
    const keep = grid.map((_, i) => mse.every((m) => Number.isFinite(m[i])));
    const rows = grid.map((_, i) => i).filter((i) => keep[i]);
    if (rows.length === 0) throw new PolymorphError('E_VALUE', 'LassoLarsCV: no α with a finite cross-validation error');
    const k = folds.length;
    this.cvAlphas = Float64Array.from(rows, (i) => grid[i]);
    this.msePath = ndarray(Float64Array.from(rows.flatMap((i) => mse.map((m) => m[i]))), [rows.length, k]);
    this.mseMean = Float64Array.from(rows, (i) => mse.reduce((s, m) => s + m[i], 0) / k);
    let best = 0;
    for (let i = 1; i < this.mseMean.length; ++i) if (this.mseMean[i] < this.mseMean[best]) best = i;
    this.alpha = this.cvAlphas[best];
    this.model = new LassoLars({ alpha: this.alpha, fitIntercept: this.fitIntercept, positive: this.positive, maxIter: this.maxIter })
      .fit(ndarray(d.data, [d.nSamples, d.nFeatures]), target);
    return this;
  }

  /** Predictions of the refitted model for X [nSamples, nFeatures]. */
  predict(X: DesignMatrix): Float64Array {
    return this.fitted().predict(X);
  }

  private fitted(): LassoLars {
    if (!this.model) throw new PolymorphError('E_VALUE', 'LassoLarsCV: call fit() first');
    return this.model;
  }

  private foldPath(d: Design, y: Float64Array, start: number, stop: number): FoldPath {
    const p = d.nFeatures;
    const nTrain = d.nSamples - (stop - start);
    const trainX = new Float64Array(nTrain * p);
    trainX.set(d.data.subarray(0, start * p));
    trainX.set(d.data.subarray(stop * p), start * p);
    const trainY = new Float64Array(nTrain);
    trainY.set(y.subarray(0, start));
    trainY.set(y.subarray(stop), start);
    const r = larsPath({ data: trainX, nSamples: nTrain, nFeatures: p }, trainY, {
      fitIntercept: this.fitIntercept, alphaMin: 0, maxIter: this.maxIter, positive: this.positive, rss: false, olsRss: false,
      testX: d.data.slice(start * p, stop * p), testY: y.slice(start, stop),
    });
    return { alphas: r.alphas, residues: r.residues as Float64Array, nTest: stop - start };
  }
}

interface FoldPath {
  alphas: Float64Array;     // [K] path breakpoints, descending
  residues: Float64Array;   // [K, nTest] held-out residuals
  nTest: number;
}

/** KFold(k) without shuffling: [start, stop) row ranges; the first n mod k folds get one more row. */
export function kFold(n: number, k: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let f = 0; f < k; ++f) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

function uniqueSorted(values: number[]): number[] {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}

/**
 * Held-out MSE of one fold on the grid: residuals per test sample interpolated linearly in α
 * (scipy interp1d: the bracketing pair from searchsorted, clipped), squared, averaged. The fold's
 * path is extended to α = 0 and to the grid's largest α with its end values, as sklearn does.
 */
function foldMse(f: FoldPath, grid: number[]): Float64Array {
  const m = f.nTest;
  const xs = Array.from(f.alphas).reverse();
  const rows: Float64Array[] = xs.map((_, i) => f.residues.subarray((xs.length - 1 - i) * m, (xs.length - i) * m));
  if (xs[0] !== 0) { xs.unshift(0); rows.unshift(rows[0]); }
  const top = grid[grid.length - 1];
  if (xs[xs.length - 1] !== top) { xs.push(top); rows.push(rows[rows.length - 1]); }
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b);  // stable, like mergesort
  const x = order.map((i) => xs[i]);
  const r = order.map((i) => rows[i]);
  const out = new Float64Array(grid.length);
  for (let g = 0; g < grid.length; ++g) {
    let hi = lowerBound(x, grid[g]);
    hi = Math.min(Math.max(hi, 1), x.length - 1);
    const lo = hi - 1;
    const width = x[hi] - x[lo];
    let s = 0;
    for (let t = 0; t < m; ++t) {
      const slope = (r[hi][t] - r[lo][t]) / width;
      const v = slope * (grid[g] - x[lo]) + r[lo][t];
      s += v * v;
    }
    out[g] = s / m;
  }
  return out;
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

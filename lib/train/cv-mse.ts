/**
 * The cross-validation arithmetic of {@link LassoLarsCV}, as scikit-learn 1.2.1: KFold without
 * shuffling or GroupKFold, and the held-out MSE of one fold's path interpolated onto the merged α grid.
 * @internal
 * @module
 */

/** One fold's path: breakpoints and the held-out residuals along it. */
export interface FoldPath {
  /** [K] path breakpoints, descending. */
  alphas: Float64Array;
  /** [K, nTest] held-out residuals y − ŷ at each breakpoint, row-major. */
  residues: Float64Array;
  nTest: number;
}

/** The α grid and held-out errors of a cross-validation. */
export interface CvScores {
  /** Merged fold breakpoints, ascending, thinned to at most maxNAlphas (every stride-th), rows with a non-finite error removed [nGrid]. */
  cvAlphas: Float64Array;
  /** Held-out MSE [nGrid, K], row-major. */
  msePath: Float64Array;
  /** Mean over folds of the held-out MSE [nGrid]. */
  mseMean: Float64Array;
  /** Index into cvAlphas of the lowest mean MSE (the first on ties). */
  best: number;
}

/** Merges the folds' breakpoints into one grid and scores every α on it (scikit-learn's LassoLarsCV.fit). `null` when no α has a finite error. */
export function cvScores(folds: FoldPath[], maxNAlphas: number): CvScores | null {
  let grid = uniqueSorted(folds.flatMap((f) => Array.from(f.alphas)));
  const stride = Math.max(1, Math.floor(grid.length / maxNAlphas));
  grid = grid.filter((_, i) => i % stride === 0);
  const mse = folds.map((f) => foldMse(f, grid));
  const rows = grid.map((_, i) => i).filter((i) => mse.every((m) => Number.isFinite(m[i])));
  if (rows.length === 0) return null;
  const k = folds.length;
  const mseMean = Float64Array.from(rows, (i) => mse.reduce((s, m) => s + m[i], 0) / k);
  let best = 0;
  for (let i = 1; i < mseMean.length; ++i) if (mseMean[i] < mseMean[best]) best = i;
  return {
    cvAlphas: Float64Array.from(rows, (i) => grid[i]),
    msePath: Float64Array.from(rows.flatMap((i) => mse.map((m) => m[i]))),
    mseMean, best,
  };
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

/** The fold of each of n samples under {@link kFold}(n, k) [n]. */
export function kFoldLabels(n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  kFold(n, k).forEach(([start, stop], f) => out.fill(f, start, stop));
  return out;
}

/**
 * GroupKFold(k), as scikit-learn's: every sample of a group goes to the same fold, and the folds
 * are balanced by sample count greedily: the groups, largest first, each go to the fold with the
 * fewest samples so far (the lowest fold index on ties). Groups of equal size are taken in order
 * of first appearance in `groups` (scikit-learn's order among them is that of an unstable sort), so
 * the caller's sample order decides ties, and shuffling the groups beforehand gives seeded folds.
 * Returns the fold of each sample [n]; `null` when there are fewer than k distinct groups.
 */
export function groupKFold(groups: ArrayLike<number>, k: number): Int32Array | null {
  const id = new Map<number, number>();
  const size: number[] = [];
  const label = new Int32Array(groups.length);
  for (let r = 0; r < groups.length; ++r) {
    let g = id.get(groups[r]);
    if (g === undefined) {
      g = size.length;
      id.set(groups[r], g);
      size.push(0);
    }
    size[g] += 1;
    label[r] = g;
  }
  if (size.length < k) return null;
  const order = size.map((_, g) => g).sort((a, b) => size[b] - size[a] || a - b);
  const load = new Float64Array(k);
  const foldOfGroup = new Int32Array(size.length);
  for (const g of order) {
    let lightest = 0;
    for (let f = 1; f < k; ++f) if (load[f] < load[lightest]) lightest = f;
    load[lightest] += size[g];
    foldOfGroup[g] = lightest;
  }
  return Int32Array.from(label, (g) => foldOfGroup[g]);
}

/** The distinct values, ascending. */
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

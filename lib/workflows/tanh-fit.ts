/**
 * Least-squares fit of a smoothed step, y = a + b·tanh((x − x₀)/w), as Salazar et al. fit the
 * crystal size of a heated nanoparticle against temperature to read off its melting point x₀.
 * Levenberg–Marquardt on the four parameters, kept to x₀ within the x range and w between half the
 * median spacing of the x values and that range, with standard errors from the covariance
 * s²(JᵀJ)⁻¹ at the optimum (s² = residual sum of squares / (n − 4)). The lower bound on w: a step
 * sharper than the sampling fits every x₀ between the same two points equally well, and an
 * unbounded fit collapses to it with a zero or undefined error for x₀; at the bound the error of x₀
 * is finite and of the order of the spacing.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';

/** Options of {@link fitTanh}. */
export interface TanhFitOptions {
  /**
   * Starting parameters (default: from the data: levels from the ends, w a tenth of the range, and
   * x₀ where y first crosses the levels' mean and at every data x in turn, the best fit kept;
   * giving `midpoint` fits from that start alone).
   */
  start?: { low?: number; high?: number; midpoint?: number; width?: number };
  /** Iterations at most (default 200). */
  maxIter?: number;
}

/** A fitted step y = a + b·tanh((x − x₀)/w); `low`/`high` are the levels at x → −∞ / +∞ (a ∓ b). */
export interface TanhFit {
  /** x₀: where y is half-way between the levels (e.g. the melting temperature). */
  midpoint: number;
  /** Standard error of x₀. */
  midpointError: number;
  /** w > 0: the transition's half-width (y goes 12 % → 88 % of the step over x₀ ± w), at least half the median spacing of x. */
  width: number;
  widthError: number;
  /** Level at x → −∞. */
  low: number;
  /** Level at x → +∞. */
  high: number;
  /** Root-mean-square residual. */
  rms: number;
  /** Points fitted. */
  points: number;
  /** Whether the iteration converged (relative change of every parameter < 1e-10, or the residual stalled). */
  converged: boolean;
  /** The fitted curve at x. */
  evaluate(x: number): number;
}

/** Solves the symmetric 4×4 system A x = b (Gaussian elimination with partial pivoting); null when singular. */
function solve4(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; ++c) {
    let p = c;
    for (let r = c + 1; r < n; ++r) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 1e-300)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; ++r) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; ++k) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; --r) {
    let s = M[r][n];
    for (let k = r + 1; k < n; ++k) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

/** The inverse of a symmetric 4×4 matrix, column by column; null when singular. */
function inverse4(A: number[][]): number[][] | null {
  const columns: number[][] = [];
  for (let k = 0; k < 4; ++k) {
    const e = [0, 0, 0, 0];
    e[k] = 1;
    const c = solve4(A, e);
    if (c === null) return null;
    columns.push(c);
  }
  return columns;
}

/**
 * Fits y = a + b·tanh((x − x₀)/w) to points (x, y) by Levenberg–Marquardt.
 * @example
 * const fit = fitTanh(temperatures, crystalAtoms);
 * fit.midpoint, fit.midpointError; // the melting temperature and its standard error
 */
export function fitTanh(x: ArrayLike<number>, y: ArrayLike<number>, options: TanhFitOptions = {}): TanhFit {
  const o = checkOptions(options, ['start', 'maxIter'], 'fitTanh');
  const n = x.length;
  if (y.length !== n) throw new PolymorphError('E_SHAPE', `fitTanh: ${n} x values but ${y.length} y values`);
  if (n < 5) throw new PolymorphError('E_VALUE', `fitTanh: need at least 5 points for 4 parameters, got ${n}`);
  for (let i = 0; i < n; ++i) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new PolymorphError('E_VALUE', `fitTanh: point ${i} is not finite (${x[i]}, ${y[i]})`);
  }
  let xmin = Infinity, xmax = -Infinity;
  for (let i = 0; i < n; ++i) xmin = Math.min(xmin, x[i]), xmax = Math.max(xmax, x[i]);
  if (!(xmax > xmin)) throw new PolymorphError('E_VALUE', 'fitTanh: the x values are all equal');
  const maxIter = o.maxIter ?? 200;
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new PolymorphError('E_VALUE', `fitTanh: maxIter must be a positive integer, got ${String(o.maxIter)}`);

  // Start: levels from the lowest and highest 15 % of x, x₀ at the crossing of their mean.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i] - x[j]);
  const edge = Math.max(1, Math.floor(0.15 * n));
  const mean = (ids: number[]): number => ids.reduce((s, i) => s + y[i], 0) / ids.length;
  const s = o.start ?? {};
  const low0 = s.low ?? mean(order.slice(0, edge)), high0 = s.high ?? mean(order.slice(n - edge));
  let crossing = 0.5 * (xmin + xmax);
  const half = 0.5 * (low0 + high0);
  for (let k = 1; k < n; ++k) {
    const y0 = y[order[k - 1]] - half, y1 = y[order[k]] - half;
    if (y0 === 0 || y0 * y1 < 0) { crossing = x[order[k - 1]] + (x[order[k]] - x[order[k - 1]]) * (y0 / (y0 - y1 || 1)); break; }
  }
  // The narrowest resolvable step: half the median gap between successive distinct x.
  const gaps: number[] = [];
  for (let k = 1; k < n; ++k) if (x[order[k]] > x[order[k - 1]]) gaps.push(x[order[k]] - x[order[k - 1]]);
  gaps.sort((u, v) => u - v);
  const narrowest = 0.5 * gaps[Math.floor(gaps.length / 2)];
  // p = [a, b, x₀, ln w] (w kept positive)
  const residuals = (q: number[]): { r: Float64Array; J: number[][]; rss: number } => {
    const r = new Float64Array(n);
    const J: number[][] = [];
    const w = Math.exp(q[3]);
    let rss = 0;
    for (let i = 0; i < n; ++i) {
      const t = Math.tanh((x[i] - q[2]) / w);
      r[i] = y[i] - (q[0] + q[1] * t);
      rss += r[i] * r[i];
      const sech2 = 1 - t * t;
      // ∂model/∂(a, b, x₀, ln w)
      J.push([1, t, (-q[1] * sech2) / w, (-q[1] * sech2 * (x[i] - q[2])) / w]);
    }
    return { r, J, rss };
  };
  const levenbergMarquardt = (start: number[]): { p: number[]; current: ReturnType<typeof residuals>; converged: boolean } => {
    let p = start;
    let current = residuals(p);
    let lambda = 1e-3;
    let converged = false;
    for (let iter = 0; iter < maxIter && !converged; ++iter) {
      const JtJ = [0, 1, 2, 3].map((a) => [0, 1, 2, 3].map((b) => current.J.reduce((s2, row) => s2 + row[a] * row[b], 0)));
      const Jtr = [0, 1, 2, 3].map((a) => current.J.reduce((s2, row, i) => s2 + row[a] * current.r[i], 0));
      let improved = false;
      for (let attempt = 0; attempt < 30; ++attempt) {
        const A = JtJ.map((row, a) => row.map((v, b) => (a === b ? v * (1 + lambda) : v)));
        const step = solve4(A, Jtr);
        if (step === null) { lambda *= 10; continue; }
        const trial = p.map((v, k) => v + step[k]);
        // The step must stay in the data: x₀ within the x range, w at most the range (a wider tanh
        // is a straight line, whose "midpoint" the data do not determine) and at least `narrowest`.
        const wTrial = Math.exp(trial[3]);
        if (!(trial[2] >= xmin && trial[2] <= xmax && wTrial <= xmax - xmin && wTrial >= narrowest)) { lambda *= 10; continue; }
        const next = residuals(trial);
        if (Number.isFinite(next.rss) && next.rss <= current.rss) {
          const small = step.every((d, k) => Math.abs(d) <= 1e-10 * (1 + Math.abs(p[k])));
          const stalled = current.rss - next.rss <= 1e-15 * (1 + current.rss);
          p = trial;
          current = next;
          lambda = Math.max(lambda / 10, 1e-12);
          improved = true;
          converged = small || stalled;
          break;
        }
        lambda *= 10;
      }
      if (!improved) { converged = true; break; }
    }
    return { p, current, converged };
  };
  // Noisy plateaus cross their mean level many times, so unless a midpoint is given the fit starts
  // from x₀ at the crossing and at every data x, and keeps the least-squares best.
  const width0 = Math.log(Math.min(Math.max(s.width ?? 0.1 * (xmax - xmin), narrowest), xmax - xmin));
  const starts = s.midpoint !== undefined ? [s.midpoint] : [crossing, ...order.map((i) => x[i])];
  let best: ReturnType<typeof levenbergMarquardt> | null = null;
  for (const x0 of starts) {
    const start = [0.5 * (low0 + high0), 0.5 * (high0 - low0), Math.min(Math.max(x0, xmin), xmax), width0];
    if (!start.every(Number.isFinite)) throw new PolymorphError('E_VALUE', 'fitTanh: non-finite start');
    const fit = levenbergMarquardt(start);
    if (best === null || fit.current.rss < best.current.rss) best = fit;
  }
  const { p, current, converged } = best!;
  const w = Math.exp(p[3]);
  const dof = n - 4;
  const s2 = dof > 0 ? current.rss / dof : Number.NaN;
  const JtJ = [0, 1, 2, 3].map((a) => [0, 1, 2, 3].map((b) => current.J.reduce((acc, row) => acc + row[a] * row[b], 0)));
  const cov = inverse4(JtJ);
  const midpointError = cov ? Math.sqrt(Math.max(s2 * cov[2][2], 0)) : Number.NaN;
  const widthError = cov ? w * Math.sqrt(Math.max(s2 * cov[3][3], 0)) : Number.NaN;
  const [a, b, x0] = p;
  return {
    midpoint: x0, midpointError, width: w, widthError, low: a - b, high: a + b,
    rms: Math.sqrt(current.rss / n), points: n, converged,
    evaluate: (t: number) => a + b * Math.tanh((t - x0) / w),
  };
}

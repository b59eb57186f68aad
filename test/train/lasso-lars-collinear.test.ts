// LassoLars on a strongly collinear, uncentred design like PLIP's: Gaussian radial descriptors on
// a fine grid (120 samples × 40 columns, condition number ~1e16). Checks the Lasso optimality
// (KKT) conditions and that the objective is not above a long coordinate-descent solution's.
import ndarray, { NdArray } from 'ndarray';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/core/random';
import { LassoLars } from '../../lib/train';

const n = 120;
const p = 40;

/** Row i: Σ_j exp(−(r_ij − b_k)²) f_c(r_ij) over 6 neighbour distances r_ij ∈ [1.5, 5.5) Å, centres b_k on [0.5, 6] Å. */
function design(): { X: NdArray<Float64Array>; y: Float64Array } {
  const random = mulberry32(7);
  const X = ndarray(new Float64Array(n * p), [n, p]);
  const y = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    for (let m = 0; m < 6; ++m) {
      const r = 1.5 + 4 * random();
      const fc = 0.5 * (1 + Math.cos((Math.PI * r) / 6));
      for (let k = 0; k < p; ++k) {
        const b = 0.5 + (5.5 * k) / (p - 1);
        X.set(i, k, X.get(i, k) + Math.exp(-((r - b) ** 2)) * fc);
      }
      y[i] += 4 * ((2.3 / r) ** 12 - (2.3 / r) ** 6) * fc;  // a Lennard-Jones-like pair energy
    }
  }
  return { X, y };
}

interface Centred { Xc: Float64Array; yc: Float64Array }

function centre(X: NdArray<Float64Array>, y: Float64Array): Centred {
  const Xc = Float64Array.from(X.data);
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  for (let k = 0; k < p; ++k) {
    let m = 0;
    for (let i = 0; i < n; ++i) m += Xc[i * p + k] / n;
    for (let i = 0; i < n; ++i) Xc[i * p + k] -= m;
  }
  return { Xc, yc: y.map((v) => v - yMean) };
}

/** g = X_cᵀ(y_c − X_c w)/n and the Lasso objective (1/2n)‖y_c − X_c w‖² + α‖w‖₁. */
function gradientAndObjective(c: Centred, w: ArrayLike<number>, alpha: number): { g: Float64Array; objective: number } {
  const g = new Float64Array(p);
  let rss = 0;
  for (let i = 0; i < n; ++i) {
    let e = c.yc[i];
    for (let k = 0; k < p; ++k) e -= c.Xc[i * p + k] * w[k];
    rss += e * e;
    for (let k = 0; k < p; ++k) g[k] += (c.Xc[i * p + k] * e) / n;
  }
  let l1 = 0;
  for (let k = 0; k < p; ++k) l1 += Math.abs(w[k]);
  return { g, objective: rss / (2 * n) + alpha * l1 };
}

/** Cyclic coordinate descent for the same objective, many sweeps. */
function coordinateDescent(c: Centred, alpha: number, sweeps: number): Float64Array {
  const w = new Float64Array(p);
  const norms = new Float64Array(p);
  for (let k = 0; k < p; ++k) for (let i = 0; i < n; ++i) norms[k] += c.Xc[i * p + k] ** 2 / n;
  const residual = Float64Array.from(c.yc);
  for (let s = 0; s < sweeps; ++s) {
    for (let k = 0; k < p; ++k) {
      let rho = 0;
      for (let i = 0; i < n; ++i) rho += (c.Xc[i * p + k] * residual[i]) / n;
      rho += norms[k] * w[k];
      const next = Math.sign(rho) * Math.max(Math.abs(rho) - alpha, 0) / norms[k];
      const delta = next - w[k];
      if (delta !== 0) for (let i = 0; i < n; ++i) residual[i] -= c.Xc[i * p + k] * delta;
      w[k] = next;
    }
  }
  return w;
}

describe('LassoLars on collinear Gaussian descriptors', () => {
  const { X, y } = design();
  const c = centre(X, y);
  const alphaMax = Math.max(...gradientAndObjective(c, new Float64Array(p), 0).g.map(Math.abs));

  it.each([1e-2, 1e-3, 1e-4])('alpha = %s·alphaMax: KKT conditions hold and the objective is not above coordinate descent', (f) => {
    const alpha = f * alphaMax;
    const model = new LassoLars({ alpha }).fit(X, y);
    expect(model.alphas[model.alphas.length - 1]).toBe(alpha);
    expect(model.nIter).toBeGreaterThan(model.active.length + 10);  // the path drops variables many times
    const { g, objective } = gradientAndObjective(c, model.coef, alpha);
    const tol = 1e-7 * alphaMax;
    for (let k = 0; k < p; ++k) {
      if (model.coef[k] === 0) expect(Math.abs(g[k])).toBeLessThanOrEqual(alpha + tol);
      else expect(Math.abs(g[k] - alpha * Math.sign(model.coef[k]))).toBeLessThanOrEqual(tol);
    }
    const cd = gradientAndObjective(c, coordinateDescent(c, alpha, 20000), alpha).objective;
    expect(objective).toBeLessThanOrEqual(cd * (1 + 1e-12));
    let intercept = y.reduce((s, v) => s + v, 0) / n;
    for (let k = 0; k < p; ++k) {
      let m = 0;
      for (let i = 0; i < n; ++i) m += X.get(i, k) / n;
      intercept -= m * model.coef[k];
    }
    expect(model.intercept).toBeCloseTo(intercept, 9);
  });
});

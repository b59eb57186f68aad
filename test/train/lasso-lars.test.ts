// LassoLars against scikit-learn 1.2.1 (every reference case), the PLIP pipeline, async, errors.
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import { LassoLars } from '../../lib/train';
import { maxDiff, maxDiffMatrix, results, X, y } from './reference';

const cases = Object.keys(results).filter((k) => k.startsWith('LassoLars_'));

describe('LassoLars matches scikit-learn 1.2.1', () => {
  it.each(cases)('%s: coef, intercept, alphas, active, path, nIter', (name) => {
    const ref = results[name];
    const model = new LassoLars({ alpha: ref.params.alpha, fitIntercept: ref.params.fit_intercept, positive: ref.params.positive }).fit(X, y);
    expect(maxDiff(model.coef, ref.coef_)).toBeLessThan(1e-9);
    expect(Math.abs(model.intercept - ref.intercept_)).toBeLessThan(1e-9);
    expect(maxDiff(model.alphas, ref.alphas_)).toBeLessThan(1e-9);
    expect(Array.from(model.active)).toEqual(ref.active_);
    expect(model.nIter).toBe(ref.n_iter_);
    if (ref.coef_path_) expect(maxDiffMatrix(model.coefPath, ref.coef_path_)).toBeLessThan(1e-9);
    if (ref.params.positive) expect(Math.min(...model.coef)).toBeGreaterThanOrEqual(0);
  });

  it('the full centred lars_path (alpha_min = 0)', () => {
    const ref = results.lars_path_lasso_centered;
    const model = new LassoLars({ alpha: 0 }).fit(X, y);
    expect(maxDiff(model.alphas, ref.alphas)).toBeLessThan(1e-9);
    expect(Array.from(model.active)).toEqual(ref.active);
    expect(maxDiffMatrix(model.coefPath, ref.coefs)).toBeLessThan(1e-9);
  });

  it.each(['PLIP_pipeline_alpha0.001', 'PLIP_pipeline_alpha0.0001'])('%s: StandardScaler(with_mean=False) + LassoLars', (name) => {
    const ref = results[name];
    const [n, p] = X.shape;
    const scale = new Float64Array(p);
    for (let j = 0; j < p; ++j) {
      let mean = 0;
      for (let i = 0; i < n; ++i) mean += X.get(i, j) / n;
      let v = 0;
      for (let i = 0; i < n; ++i) v += (X.get(i, j) - mean) ** 2 / n;
      scale[j] = Math.sqrt(v);
    }
    const scaled = ndarray(new Float64Array(n * p), [n, p]);
    for (let i = 0; i < n; ++i) for (let j = 0; j < p; ++j) scaled.set(i, j, X.get(i, j) / scale[j]);
    const model = new LassoLars({ alpha: ref.params.alpha }).fit(scaled, y);
    expect(maxDiff(scale, ref.scale_)).toBeLessThan(1e-12);
    expect(maxDiff(model.coef, ref.coef_scaled)).toBeLessThan(1e-9);
    expect(maxDiff(model.coef.map((w, j) => w / scale[j]), ref.coef_physical)).toBeLessThan(1e-9);
    expect(Math.abs(model.intercept - ref.intercept_)).toBeLessThan(1e-9);
    expect(model.nIter).toBe(ref.n_iter_);
  });

  it('predict = X w + b; number[][] input; fitAsync gives the same result', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => Array.from({ length: 30 }, (_, j) => X.get(i, j)));
    const a = new LassoLars({ alpha: 0.01 }).fit(rows, Array.from(y));
    const b = await new LassoLars({ alpha: 0.01 }).fitAsync(X, y);
    expect(Array.from(b.coef)).toEqual(Array.from(a.coef));
    const yHat = a.predict(X);
    let s = a.intercept;
    for (let j = 0; j < 30; ++j) s += X.get(3, j) * a.coef[j];
    expect(yHat[3]).toBeCloseTo(s, 12);
  });

  it('maxIter caps the number of steps', () => {
    const model = new LassoLars({ alpha: 0, maxIter: 4 }).fit(X, y);
    expect(model.nIter).toBe(4);
    expect(model.alphas.length).toBe(5);
    expect(maxDiff(model.alphas, results.lars_path_lasso_centered.alphas.slice(0, 5))).toBeLessThan(1e-9);
  });
});

describe('LassoLars input errors are typed', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(PolymorphError);
      return (e as PolymorphError).code;
    }
    return 'no error';
  };
  it('NaN in X or y, shape mismatch, bad alpha or maxIter, predict before fit or with wrong columns', () => {
    const bad = ndarray(Float64Array.from(X.data), [200, 30]);
    bad.set(7, 3, NaN);
    expect(code(() => new LassoLars({ alpha: 0.1 }).fit(bad, y))).toBe('E_VALUE');
    const yBad = Float64Array.from(y);
    yBad[5] = Infinity;
    expect(code(() => new LassoLars({ alpha: 0.1 }).fit(X, yBad))).toBe('E_VALUE');
    expect(code(() => new LassoLars({ alpha: 0.1 }).fit(X, y.subarray(0, 199)))).toBe('E_SHAPE');
    expect(code(() => new LassoLars({ alpha: 0.1 }).fit(ndarray(new Float64Array(30), [30]), y))).toBe('E_SHAPE');
    expect(code(() => new LassoLars({ alpha: 0.1 }).fit([[1, 2], [3]], [1, 2]))).toBe('E_SHAPE');
    expect(code(() => new LassoLars({ alpha: -1 }))).toBe('E_VALUE');
    expect(code(() => new LassoLars({ alpha: NaN }))).toBe('E_VALUE');
    expect(code(() => new LassoLars({ alpha: 0.1, maxIter: 0 }))).toBe('E_VALUE');
    expect(code(() => new LassoLars({ alpha: 0.1, maxIter: 1.5 }))).toBe('E_VALUE');
    expect(code(() => new LassoLars({ alpha: 0.1 }).predict(X))).toBe('E_NOT_FITTED');
    const fitted = new LassoLars({ alpha: 0.1 }).fit(X, y);
    expect(code(() => fitted.predict([[1, 2, 3]]))).toBe('E_SHAPE');
  });
  it('fitAsync rejects bad input with a PolymorphError', async () => {
    await expect(new LassoLars({ alpha: 0.1 }).fitAsync(X, y.subarray(0, 10))).rejects.toBeInstanceOf(PolymorphError);
  });
});

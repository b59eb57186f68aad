// LassoLarsCV and LassoLarsIC against scikit-learn 1.2.1, and their input errors.
import { describe, expect, it } from 'vitest';
import { LassoLarsCV, LassoLarsIC } from '../../lib/train';
import { kFold } from '../../lib/train/lasso-lars-cv';
import { errorCode } from '../helpers';
import { maxDiff, results, X, y } from './reference';

describe('LassoLarsCV matches scikit-learn 1.2.1', () => {
  it('default 5-fold: alpha grid, mean MSE path, alpha, refit coef and intercept', () => {
    const ref = results.LassoLarsCV_default;
    const model = new LassoLarsCV().fit(X, y);
    expect(maxDiff(model.cvAlphas, ref.cv_alphas_)).toBeLessThan(1e-9);
    expect(maxDiff(model.mseMean, ref.mse_path_mean)).toBeLessThan(1e-9);
    expect(model.msePath.shape).toEqual([ref.cv_alphas_.length, 5]);
    expect(Math.abs(model.alpha - ref.alpha_)).toBeLessThan(1e-12);
    expect(maxDiff(model.coef, ref.coef_)).toBeLessThan(1e-9);
    expect(Math.abs(model.intercept - ref.intercept_)).toBeLessThan(1e-9);
    expect(model.predict(X).length).toBe(200);
  });
  it('KFold without shuffling: contiguous blocks, the first n mod k one longer', () => {
    expect(kFold(10, 3)).toEqual([[0, 4], [4, 7], [7, 10]]);
  });
  it('errors: cv < 2, cv > nSamples, non-integer cv, fields before fit', () => {
    expect(errorCode(() => new LassoLarsCV({ cv: 1 }))).toBe('E_VALUE');
    expect(errorCode(() => new LassoLarsCV({ cv: 2.5 }))).toBe('E_VALUE');
    expect(errorCode(() => new LassoLarsCV({ cv: 201 }).fit(X, y))).toBe('E_VALUE');
    expect(errorCode(() => new LassoLarsCV().coef)).toBe('E_NOT_FITTED');
  });
});

describe('LassoLarsIC matches scikit-learn 1.2.1', () => {
  it.each(['bic', 'aic'] as const)('%s: noise variance, criterion path, alpha, coef, intercept', (criterion) => {
    const ref = results[`LassoLarsIC_${criterion}`];
    const model = new LassoLarsIC({ criterion }).fit(X, y);
    expect(Math.abs(model.noiseVariance - ref.noise_variance_) / ref.noise_variance_).toBeLessThan(1e-9);
    expect(maxDiff(model.alphas, ref.alphas_)).toBeLessThan(1e-9);
    const scale = Math.max(...ref.criterion_.map(Math.abs));
    expect(maxDiff(model.criterionValues, ref.criterion_) / scale).toBeLessThan(1e-9);
    expect(Math.abs(model.alpha - ref.alpha_)).toBeLessThan(1e-12);
    expect(maxDiff(model.coef, ref.coef_)).toBeLessThan(1e-9);
    expect(Math.abs(model.intercept - ref.intercept_)).toBeLessThan(1e-9);
  });
  it('a given noise variance is used as is', () => {
    const model = new LassoLarsIC({ criterion: 'bic', noiseVariance: results.LassoLarsIC_bic.noise_variance_ }).fit(X, y);
    expect(Math.abs(model.alpha - results.LassoLarsIC_bic.alpha_)).toBeLessThan(1e-12);
  });
  it('positive: the noise variance comes from non-negative least squares (>= the OLS one; equal when OLS is positive)', () => {
    const free = new LassoLarsIC({ criterion: 'bic' }).fit(X, y);
    const constrained = new LassoLarsIC({ criterion: 'bic', positive: true }).fit(X, y);
    expect(constrained.noiseVariance).toBeGreaterThan(free.noiseVariance);  // the reference design has negative OLS weights
    for (const w of constrained.coef) expect(w).toBeGreaterThanOrEqual(0);
    // A response made of positive weights: NNLS = OLS, so both variances agree.
    const n = 200, p = 30;
    const yPositive = new Float64Array(n);
    for (let r = 0; r < n; ++r) {
      yPositive[r] = 0.05 * Math.sin(7.3 * r);
      for (let j = 0; j < p; ++j) yPositive[r] += (1 + (j % 4)) * X.get(r, j);
    }
    const a = new LassoLarsIC({ positive: true }).fit(X, yPositive), b = new LassoLarsIC().fit(X, yPositive);
    expect(Math.abs(a.noiseVariance - b.noiseVariance) / b.noiseVariance).toBeLessThan(1e-9);
  });
  it('errors: n <= p + 1 without a noise variance, bad criterion, bad maxIter', () => {
    const small = X.hi(31, 30);
    expect(errorCode(() => new LassoLarsIC().fit(small, y.subarray(0, 31)))).toBe('E_VALUE');
    expect(errorCode(() => new LassoLarsIC({ criterion: 'xic' as 'aic' }))).toBe('E_VALUE');
    expect(errorCode(() => new LassoLarsIC({ maxIter: 0 }))).toBe('E_VALUE');
  });
});

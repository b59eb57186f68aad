// LassoLarsCV and LassoLarsIC against scikit-learn 1.2.1, and their input errors.
import { describe, expect, it } from 'vitest';
import { LassoLarsCV, LassoLarsIC } from '../../lib/train';
import { groupKFold, kFold } from '../../lib/train/lasso-lars-cv';
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
  it('GroupKFold: whole groups, largest first to the lightest fold, ties in order of appearance', () => {
    //                         group: 7  7  7  7  7  3  3  9  9  9  9  1  5  5
    const folds = groupKFold([7, 7, 7, 7, 7, 3, 3, 9, 9, 9, 9, 1, 5, 5], 3) as Int32Array;
    // sizes 7:5, 9:4, 3:2, 5:2, 1:1 → 7→0, 9→1, 3→2, 5→2 (loads 5, 4, 2), 1→1 (loads 5, 4, 4: the lower index)
    expect(Array.from(folds)).toEqual([0, 0, 0, 0, 0, 2, 2, 1, 1, 1, 1, 1, 2, 2]);
    expect(groupKFold([1, 1, 2, 2], 3)).toBeNull();
    // groups that are the KFold blocks give KFold's folds
    expect(Array.from(groupKFold([0, 0, 0, 0, 1, 1, 1, 2, 2, 2], 3) as Int32Array)).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });
  it('with groups equal to the KFold blocks, fit gives the KFold result bit for bit; with permuted rows and groups, the same to round-off', () => {
    const blocks = Array.from({ length: 200 }, (_, r) => Math.floor(r / 40));
    const plain = new LassoLarsCV().fit(X, y);
    const grouped = new LassoLarsCV().fit(X, y, blocks);
    expect(Array.from(grouped.mseMean)).toEqual(Array.from(plain.mseMean));
    expect(grouped.alpha).toBe(plain.alpha);
    // interleave the rows: groups still define the same folds, so the same CV up to summation order
    const order = Array.from({ length: 200 }, (_, k) => (k % 5) * 40 + Math.floor(k / 5));
    const Xp = order.map((r) => Array.from({ length: X.shape[1] }, (_, j) => X.get(r, j)));
    const shuffled = new LassoLarsCV().fit(Xp, order.map((r) => y[r]), order.map((r) => blocks[r]));
    expect(maxDiff(shuffled.mseMean, Array.from(plain.mseMean)) / Math.max(...plain.mseMean)).toBeLessThan(1e-9);
    expect(Math.abs(shuffled.alpha - plain.alpha)).toBeLessThan(1e-12);
    // without groups, the interleaved rows give other folds and another CV curve
    const ungrouped = new LassoLarsCV().fit(Xp, order.map((r) => y[r]));
    expect(maxDiff(ungrouped.mseMean, Array.from(plain.mseMean)) / Math.max(...plain.mseMean)).toBeGreaterThan(1e-3);
  });
  it('errors for groups: wrong length, non-finite labels, fewer groups than folds', () => {
    expect(errorCode(() => new LassoLarsCV({ cv: 3 }).fit(X, y, [1, 2, 3]))).toBe('E_SHAPE');
    expect(errorCode(() => new LassoLarsCV({ cv: 3 }).fit(X, y, Array.from({ length: 200 }, (_, r) => (r === 7 ? NaN : r % 4))))).toBe('E_VALUE');
    expect(errorCode(() => new LassoLarsCV({ cv: 3 }).fit(X, y, Array.from({ length: 200 }, (_, r) => r % 2)))).toBe('E_VALUE');
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

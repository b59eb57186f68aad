// The estimator conformance suite (conformance.ts) on every estimator of polymorph/train, with
// default and non-default options.
import { describe, it } from 'vitest';
import { LassoLars, LassoLarsCV, LassoLarsIC } from '../../lib/train';
import { decodeDoubles, encodeDoubles } from '../../lib/train/estimator-json';
import { expectCode } from '../potentials/conformance';
import { describeEstimatorConformance, expectSameBits, linearProblem } from './conformance';

const problem = linearProblem(1);
const lars = ['coef', 'intercept', 'alphas', 'active', 'coefPath', 'nIter', 'earlyStop', 'nFeatures'];
const cv = ['alpha', 'cvAlphas', 'msePath', 'mseMean', 'model', 'coef', 'intercept', 'alphas', 'active', 'coefPath', 'nIter', 'nFeatures'];
const ic = ['alpha', 'alphas', 'criterionValues', 'noiseVariance', 'coef', 'intercept', 'coefPath', 'nIter', 'nFeatures'];

describeEstimatorConformance('LassoLars', {
  Estimator: LassoLars, make: () => new LassoLars({ alpha: 0.01 }), options: { alpha: 0.01 }, learned: lars,
}, problem);

describeEstimatorConformance('LassoLars (no intercept, maxIter 3)', {
  Estimator: LassoLars, make: () => new LassoLars({ alpha: 1e-4, fitIntercept: false, maxIter: 3 }),
  options: { alpha: 1e-4, fitIntercept: false, maxIter: 3 }, misspelt: ['maxiter', 'maxIter'], learned: lars, minR2: 0.9,
}, problem);

describeEstimatorConformance('LassoLarsCV', {
  Estimator: LassoLarsCV, make: () => new LassoLarsCV(), options: {}, learned: cv,
}, problem);

describeEstimatorConformance('LassoLarsCV (3 folds, positive, 10 α)', {
  Estimator: LassoLarsCV, make: () => new LassoLarsCV({ cv: 3, positive: true, maxNAlphas: 10 }),
  options: { cv: 3, positive: true, maxNAlphas: 10 }, misspelt: ['CV', 'cv'], learned: cv, minR2: 0.3,
}, problem);

describeEstimatorConformance('LassoLarsIC', {
  Estimator: LassoLarsIC, make: () => new LassoLarsIC(), options: {}, learned: ic,
}, problem);

describeEstimatorConformance('LassoLarsIC (bic, given noise variance)', {
  Estimator: LassoLarsIC, make: () => new LassoLarsIC({ criterion: 'bic', noiseVariance: 4e-4 }),
  options: { criterion: 'bic', noiseVariance: 4e-4 }, misspelt: ['noise_variance', 'noiseVariance'], learned: ic,
}, problem);

describe('estimator JSON doubles', () => {
  it('survive JSON.stringify/parse bit for bit, including NaN, ±Infinity, −0 and subnormals; other values are E_VALUE', () => {
    const values = Float64Array.from([NaN, Infinity, -Infinity, -0, 0, 5e-324, -1.7976931348623157e308, 0.1, 1 / 3]);
    const back = decodeDoubles(JSON.parse(JSON.stringify(encodeDoubles(values))), 'values', values.length);
    expectSameBits(back, values);
    expectCode(() => decodeDoubles([1, null], 'values'), 'E_VALUE');
    expectCode(() => decodeDoubles([1, 2], 'values', 3), 'E_VALUE');
    expectCode(() => decodeDoubles({ 0: 1 }, 'values'), 'E_VALUE');
  });
});

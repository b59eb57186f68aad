// The estimator conformance suite (conformance.ts) on every estimator of polymorph/train, with
// default and non-default options.
import { LassoLars, LassoLarsCV, LassoLarsIC } from '../../lib/train';
import { describeEstimatorConformance, linearProblem } from './conformance';

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

/**
 * `polymorph/train`: fitting potentials. Linear models by the Lasso along the LARS path
 * (scikit-learn 1.2.1 `LassoLars`, `LassoLarsCV`, `LassoLarsIC`), as PLIP uses them.
 * @module train
 */
export { LassoLars } from './lasso-lars';
export type { LassoLarsOptions } from './lasso-lars';
export { LassoLarsCV } from './lasso-lars-cv';
export type { LassoLarsCVOptions } from './lasso-lars-cv';
export { LassoLarsIC } from './lasso-lars-ic';
export type { LassoLarsICOptions } from './lasso-lars-ic';
export type { DesignMatrix } from './lars-native';
export { fitPlip } from './fit-plip';
export type { FitPlipElectrostatics, FitPlipMetrics, FitPlipOptions, FitPlipReport } from './fit-plip';

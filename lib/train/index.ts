/**
 * `polymorph/train`: fitting potentials. Linear models by the Lasso along the LARS path
 * (scikit-learn 1.2.1 `LassoLars`, `LassoLarsCV`, `LassoLarsIC`), as PLIP uses them, and
 * `fitPlip`/`fitPlipAsync` for PLIP and PLIP+Q potentials.
 * Feature-selection filters for descriptor matrices: `pearsonSelection`, `curSelection`, `farthestPointSelection`.
 *
 * The estimators follow scikit-learn: options in the constructor (unknown keys are `E_VALUE`),
 * `fit` returns `this`, learned attributes throw `E_NOT_FITTED` before `fit`, `fitAsync` runs
 * off the event loop, `toJSON`/`fromJSON` round-trip exactly.
 * @module train
 */
export { LassoLars } from './lasso-lars';
export type { LassoLarsFittedJSON, LassoLarsJSON, LassoLarsOptions } from './lasso-lars';
export { LassoLarsCV } from './lasso-lars-cv';
export type { LassoLarsCVFittedJSON, LassoLarsCVJSON, LassoLarsCVOptions } from './lasso-lars-cv';
export { LassoLarsIC } from './lasso-lars-ic';
export type { LassoLarsICFittedJSON, LassoLarsICJSON, LassoLarsICOptions } from './lasso-lars-ic';
export type { EstimatorJSON, JsonDouble } from './estimator-json';
export type { DesignMatrix } from './lars-native';
export { fitPlip, fitPlipAsync } from './fit-plip';
export type { FitPlipElectrostatics, FitPlipMetrics, FitPlipOptions, FitPlipReport, FitPlipResult } from './fit-plip';
export { curSelection, farthestPointSelection, pearsonSelection } from './feature-selection';
export type {
  CurSelectionOptions, CurSelectionResult, DescriptorBlock, DescriptorMatrix, FarthestPointSelectionOptions, FeatureSelectionResult,
  PearsonSelectionOptions,
} from './feature-selection';
export { HdnnpTrainer, trainHdnnp } from './hdnnp-trainer';
export type { HdnnpEpoch, HdnnpErrors, HdnnpLossWeights, HdnnpOptimizer, HdnnpTrainingOptions, HdnnpTrainingResult } from './hdnnp-trainer';
export type { HdnnpKalman } from './hdnnp-kalman';
export { learningRate } from './learning-rate';
export type { LearningRateSchedule } from './learning-rate';
export { HdnnpCommittee } from './hdnnp-committee';
export type { CommitteeResults, HdnnpCommitteeOptions } from './hdnnp-committee';
export { adaptiveGroupLasso, selectSymmetryFunctions } from './adaptive-group-lasso';
export type { AdaptiveGroupLassoOptions, AdaptiveGroupLassoStep } from './adaptive-group-lasso';
export { hdnnpSettings } from './hdnnp-settings';
export type { HdnnpSettingsOptions } from './hdnnp-settings';

/**
 * `polymorph/descriptors`: Behler–Parrinello symmetry functions of every n2p2 type with analytic
 * derivatives, their n2p2 definitions and order, scaling (`scaling.data`) and parameter grids.
 * @module descriptors
 */
export {
  cutoffTypeNames, formatSymmetryFunction, isAngular, isCompact, isWeighted, sortSymmetryFunctions, symmetryFunctionTypes,
} from './symmetry-function-definitions';
export type {
  AngularSymmetryFunction, CompactAngularSymmetryFunction, CompactRadialSymmetryFunction, CompactSubtype,
  CompactWeightedAngularSymmetryFunction, CompactWeightedRadialSymmetryFunction, CutoffFunction, RadialSymmetryFunction,
  SymmetryFunctionDefinition, SymmetryFunctionType, WeightedAngularSymmetryFunction, WeightedRadialSymmetryFunction,
} from './symmetry-function-definitions';
export { SymmetryFunctions } from './symmetry-functions';
export type { LengthUnit, SymmetryFunctionDerivatives, SymmetryFunctionResults, SymmetryFunctionsOptions } from './symmetry-functions';
export { formatScalingData, parseScalingData, readScalingData, scaleFactors, scalingStatistics } from './symmetry-function-scaling';
export type { ScaleFactors, ScalingType, SymmetryFunctionScaling, SymmetryFunctionStatistics } from './symmetry-function-scaling';
export * from './symmetry-function-grids';
export * from './symmetry-function-statistics';
export { plipGrid, plipRange } from './plip-grid';
export type { PlipGridSpec, PlipRange } from './plip-grid';
export * from './plip';

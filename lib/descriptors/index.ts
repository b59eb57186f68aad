/**
 * `polymorph/descriptors`: Behler–Parrinello symmetry functions of every n2p2 type with analytic
 * derivatives, their n2p2 definitions and order, scaling (`scaling.data`) and parameter grids.
 * @module descriptors
 */
export * from './symmetry-function-definitions';
export * from './symmetry-functions';
export * from './symmetry-function-scaling';
export * from './symmetry-function-grids';
export * from './symmetry-function-statistics';
export * from './plip-grid';
export * from './plip';

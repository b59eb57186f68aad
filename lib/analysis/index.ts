/**
 * `polymorph/analysis`: structure analysis of frames and trajectories — common neighbour
 * analysis, Steinhardt order parameters (plain, averaged, Voronoi-weighted, per species),
 * Gaussian mixtures and the SGMA polymorph classifier.
 * @module analysis
 */
export { cna, cnaAsync, cnaLabels } from './cna';
export type { CnaLabel, CnaOptions, CnaResult } from './cna';
export { clusters } from './clusters';
export type { ClusterOptions, ClusterResult } from './clusters';

/**
 * `polymorph/analysis`: structure analysis of frames and trajectories — Steinhardt order
 * parameters (plain, averaged, Voronoi-weighted, per species), Gaussian mixtures and the SGMA
 * polymorph classifier.
 * @module analysis
 */
export { STEINHARDT_MAX_DEGREE, steinhardt, steinhardtAsync, voronoi, voronoiAsync } from './steinhardt';
export type { SteinhardtArray, SteinhardtNeighbors, SteinhardtOptions, VoronoiCells, VoronoiOptions } from './steinhardt';

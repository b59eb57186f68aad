/**
 * `polymorph/analysis`: structure analysis of frames and trajectories — Steinhardt order
 * parameters (plain, averaged, Voronoi-weighted, per species), Gaussian mixtures and the SGMA
 * polymorph classifier.
 * @module analysis
 */
export { GaussianMixture } from './gaussian-mixture';
export type { CovarianceType, GaussianMixtureFittedJSON, GaussianMixtureJSON, GaussianMixtureOptions, GaussianMixtureStart, SampleMatrix } from './gaussian-mixture';

/**
 * `polymorph/analysis`: structure analysis of frames and trajectories — common neighbour
 * analysis, radial distribution functions and structure factors, Steinhardt order parameters (plain, averaged, Voronoi-weighted, per species),
 * Gaussian mixtures and the SGMA polymorph classifier.
 * @module analysis
 */
export { cna, cnaAsync, cnaLabels } from './cna';
export type { CnaLabel, CnaOptions, CnaResult } from './cna';
export { clusters } from './clusters';
export { solidAtoms, solidAtomsAsync } from './solid-atoms';
export type { SolidAtomsOptions, SolidAtomsResult } from './solid-atoms';
export { RadialDistribution, rdf, rdfAsync } from './rdf';
export type { RdfKind, RdfOptions, StructureFactorOptions } from './rdf';
export { StructureFactor, structureFactor, structureFactorAsync } from './structure-factor';
export type { DirectStructureFactorOptions } from './structure-factor';
export type { Frames, SyncFrames } from './frames';
export { MeanSquaredDisplacement, msd, msdAsync } from './msd';
export type { DiffusionOptions, MsdOptions } from './msd';
export { greenKubo } from './green-kubo';
export type { GreenKuboOptions, GreenKuboResult, StressSample } from './green-kubo';
export type { ClusterOptions, ClusterResult } from './clusters';
export { STEINHARDT_MAX_DEGREE, steinhardt, steinhardtAsync, voronoi, voronoiAsync } from './steinhardt';
export type { SteinhardtArray, SteinhardtNeighbors, SteinhardtOptions, VoronoiCells, VoronoiOptions } from './steinhardt';
export { GaussianMixture } from './gaussian-mixture';
export type { CovarianceType, GaussianMixtureFittedJSON, GaussianMixtureJSON, GaussianMixtureOptions, GaussianMixtureStart, SampleMatrix } from './gaussian-mixture';
export { Sgma, sgmaFeatures, sgmaFeaturesAsync } from './sgma';
export type { SgmaClassification, SgmaFeatureOptions, SgmaTrainOptions } from './sgma';
export { sgmaReferenceDatabase } from './sgma-references';
export type { SgmaReferenceDatabase, SgmaReferenceOptions } from './sgma-references';

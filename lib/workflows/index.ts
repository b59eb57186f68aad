/**
 * `polymorph/workflows`: end-to-end studies built from the other modules. A labelled ZnO data set
 * from the rigid-ion reference model ({@link zincOxideDataset}), quenched disordered binary
 * configurations ({@link disorderedBinary}), the PLIP vs PLIP+Q comparison
 * ({@link compareChargeColumn}), and the nucleation studies of Salazar et al. (2024): the melting
 * temperature of a nanoparticle from a heating ramp ({@link meltingTemperature}, with
 * {@link fitTanh}), brute-force nucleation in supercooled droplets ({@link bruteForceNucleation}), and
 * the seeding method ({@link seeding}, {@link criticalTemperature}); committor analysis
 * ({@link committor}) and dynamical propensity ({@link dynamicalPropensity}).
 * @module workflows
 */
export { disorderedBinary, minimumDistanceViolation } from './disordered';
export type { DisorderedBinaryOptions, MinimumDistances } from './disordered';
export { zincOxideDataset } from './zinc-oxide-dataset';
export type { RelaxedPolymorph, ZincOxideDataset, ZincOxideDatasetOptions, ZincOxideKind } from './zinc-oxide-dataset';
export { compareChargeColumn, errorsByKind, EV_PER_A2_IN_J_PER_M2, stratifiedValidation } from './plip-charge-study';
export type { ChargeStudy, ChargeStudyOptions, KindErrors, StudyModel, SurfaceComparison } from './plip-charge-study';
export { fitTanh } from './tanh-fit';
export type { TanhFit, TanhFitOptions } from './tanh-fit';
export { meltingTemperature } from './melting';
export type { MeltingFit, MeltingReplica, MeltingTemperatureOptions, MeltingTemperatureResult } from './melting';
export { bruteForceNucleation } from './brute-force';
export type { BruteForceOptions, BruteForceReplica, BruteForceResult } from './brute-force';
export { largestNucleus } from './nucleus';
export type { Nucleus } from './nucleus';
export { criticalTemperature, seeding } from './seeding';
export type { CriticalTemperatureOptions, CriticalTemperatureResult, GrowthRateSample, SeedingDurations, SeedingOptions, SeedingRelaxation, SeedingResult, SeedingTemperature } from './seeding';
export { committor } from './committor';
export type { BasinTest, CommittorOptions, CommittorResult, CommittorShots } from './committor';
export { dynamicalPropensity } from './propensity';
export type { PropensityOptions, PropensityResult } from './propensity';
export { zincOxideSgma } from './zinc-oxide-sgma';
export { comparePhonons, modelProperties } from './model-properties';
export type { ModelProperties, ModelPropertiesOptions, PhononComparison, PhononComparisonOptions } from './model-properties';
export { relaxPolymorphs, ZINC_OXIDE_POLYMORPHS } from './model-lattices';
export type { PolymorphLattices, PolymorphParameters, RelaxedModelLattice, RelaxPolymorphsOptions, ZincOxidePolymorph } from './model-lattices';
export { liquidRdfs } from './model-liquid';
export type { LiquidModelRun, LiquidRdfOptions, LiquidRdfs, RdfPeak } from './model-liquid';
export { nanoparticleEnergies, wurtzitePrism, wurtziteSphere, zincblendeOctahedron } from './nanoparticles';
export type { NanoparticleEnergies, NanoparticleEntry, NanoparticleOptions, NanoparticleShape } from './nanoparticles';
export { dosAgreement, dosOfModes, dynamicalMatrix, forceConstants, meshFrequencies, phononDos, phononFrequencies, THZ_PER_SQRT_EV_PER_A2_AMU } from './phonons';
export type { ForceConstants, ForceConstantsOptions, PhononDos, PhononDosOptions } from './phonons';
export type { ChargeStudyProperties, ParityData, SurfaceOrdering } from './plip-charge-study';
export { liquidSamples } from './liquid-samples';
export type { LiquidSamplesOptions, LiquidStart, LiquidTrajectory } from './liquid-samples';
export { cubaneFramework, LATTICE_TOLERANCE, POLYMORPH_NAMES, relaxZincOxidePolymorph } from './zinc-oxide-lattices';
export { ResumeStore, structureFingerprint } from './resume';
export type { SegmentPlan, SegmentResult } from './resume';

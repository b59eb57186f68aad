/**
 * The package root as `require('polymorph')` loads it: the exports of `index.ts`, each module
 * loaded on first use. `require('polymorph')` then costs a few milliseconds instead of compiling
 * every module (≈ 70 files); `pm.Structure` loads `polymorph/structure` when first read, `pm.read`
 * `polymorph/io`, and so on. The values are the modules' own (`pm.Structure ===
 * require('polymorph/structure').Structure`), and the types are `index.ts`'s (package.json points
 * `types` there); `import` (ESM) loads `index.js` itself.
 *
 * Adding a value export to a module index: list it below, or tsc fails on `complete` naming it.
 * @module
 * @internal
 */
import type * as polymorph from './index';
import type * as errors from './core/errors';
import type * as threads from './core/threads';
import type * as structure from './structure';
import type * as io from './io';
import type * as build from './build';
import type * as descriptors from './descriptors';
import type * as potentials from './potentials';
import type * as train from './train';
import type * as md from './md';
import type * as workflows from './workflows';
import type * as analysis from './analysis';
import type * as plot from './plot';

/** The value exports of `index.ts`, by the module that defines them (checked against each module by tsc). */
const modules = {
  './core/errors': ['NativeLoadError', 'ParseError', 'PolymorphError'] satisfies (keyof typeof errors)[],
  './core/threads': ['availableThreads', 'getNumThreads', 'setNumThreads'] satisfies (keyof typeof threads)[],
  './structure': [
    'atomicMass', 'atomicMasses', 'atomicNumber', 'cellFromParameters', 'cellParameters', 'cellVolume', 'chemicalSymbol',
    'chemicalSymbols', 'isChemicalSymbol', 'maxAtomicNumber', 'NEIGHBOR_LIST_MEMORY_LIMIT', 'NeighborList', 'planeSpacings', 'Structure', 'units',
  ] satisfies (keyof typeof structure)[],
  './io': ['formatFromPath', 'formatNames', 'formatText', 'iread', 'parseText', 'read', 'readAll', 'readAllAsync', 'readAsync', 'write', 'writeAsync'] satisfies (keyof typeof io)[],
  './build': [
    'addVacuum', 'bcc', 'bodyCenteredTetragonal', 'cesiumChloride', 'crystal', 'crystalNames', 'cubane', 'diamond', 'droplet', 'fcc',
    'fromFractional', 'hcp', 'hexagonalBoronNitride', 'insertSeed', 'rattle', 'relaxLattice', 'rocksalt', 'simpleCubic', 'sodalite',
    'supercell', 'wurtzite', 'wurtziteNonPolarSlab', 'wurtzitePolarSlab', 'zincblende',
  ] satisfies (keyof typeof build)[],
  './descriptors': [
    'angularGrid', 'cutoffTypeNames', 'formatScalingData', 'formatSymmetryFunction', 'isAngular', 'isCompact', 'isWeighted',
    'parseScalingData', 'PlipDescriptors', 'plipGrid', 'plipRange', 'radialGrid', 'radialGridParameters', 'readScalingData',
    'scaleFactors', 'scalingStatistics', 'sortSymmetryFunctions', 'symmetryFunctionLines', 'SymmetryFunctions',
    'symmetryFunctionStatistics', 'SymmetryFunctionStatisticsAccumulator', 'symmetryFunctionStatisticsAsync',
    'symmetryFunctionTypes', 'writeScalingData',
  ] satisfies (keyof typeof descriptors)[],
  './potentials': [
    'activationCodes', 'Buckingham', 'connectionCount', 'Coulomb', 'COULOMB_CONSTANT', 'Electrostatics', 'Ewald', 'EWALD_COST_RATIO',
    'formatN2p2Settings', 'formatN2p2Weights', 'Hdnnp', 'LennardJones', 'LinearPotential', 'networkLayers', 'parseN2p2Settings',
    'parseN2p2Weights', 'PME_DEFAULT_CUTOFF', 'readN2p2Settings', 'readN2p2Weights', 'SumPotential', 'symmetryFunctionCounts',
    'weightsFileName', 'ZINC_OXIDE_BUCKINGHAM_PAIRS', 'ZINC_OXIDE_CHARGES', 'ZINC_OXIDE_PARAMETER_SETS', 'zincOxideBuckingham',
  ] satisfies (keyof typeof potentials)[],
  './train': ['adaptiveGroupLasso', 'curSelection', 'farthestPointSelection', 'fitPlip', 'fitPlipAsync', 'HdnnpCommittee', 'hdnnpSettings', 'HdnnpTrainer', 'LassoLars', 'LassoLarsCV', 'LassoLarsIC', 'learningRate', 'pearsonSelection', 'selectSymmetryFunctions', 'trainHdnnp'] satisfies (keyof typeof train)[],
  './md': ['Berendsen', 'Csvr', 'EvaporationGuard', 'groupIndices', 'integratorFromJSON', 'Langevin', 'maxwellBoltzmann', 'minimize', 'MolecularDynamics', 'NoseHooverChain', 'NptMtk', 'Thermostat', 'ThermoWriter', 'TrajectoryWriter', 'VelocityVerlet'] satisfies (keyof typeof md)[],
  './workflows': [
    'bruteForceNucleation', 'committor', 'compareChargeColumn', 'criticalTemperature', 'disorderedBinary', 'dynamicalPropensity', 'errorsByKind', 'EV_PER_A2_IN_J_PER_M2', 'fitTanh', 'meltingTemperature',
    'minimumDistanceViolation', 'seeding', 'stratifiedValidation', 'zincOxideDataset', 'zincOxideSgma',
    'comparePhonons', 'dosAgreement', 'dosOfModes', 'dynamicalMatrix', 'forceConstants', 'liquidRdfs', 'meshFrequencies', 'modelProperties',
    'nanoparticleEnergies', 'phononDos', 'phononFrequencies', 'relaxPolymorphs', 'THZ_PER_SQRT_EV_PER_A2_AMU', 'wurtzitePrism', 'wurtziteSphere', 'ZINC_OXIDE_POLYMORPHS', 'zincblendeOctahedron',
    'cubaneFramework', 'largestNucleus', 'LATTICE_TOLERANCE', 'liquidSamples', 'POLYMORPH_NAMES', 'relaxZincOxidePolymorph', 'ResumeStore', 'structureFingerprint',
  ] satisfies (keyof typeof workflows)[],
  './analysis': [
    'clusters', 'cna', 'cnaAsync', 'cnaLabels', 'GaussianMixture', 'greenKubo', 'MeanSquaredDisplacement', 'msd', 'msdAsync',
    'RadialDistribution', 'rdf', 'rdfAsync', 'Sgma', 'sgmaFeatures', 'sgmaFeaturesAsync', 'sgmaReferenceDatabase', 'solidAtoms', 'solidAtomsAsync',
    'steinhardt', 'STEINHARDT_MAX_DEGREE', 'steinhardtAsync', 'StructureFactor', 'structureFactor', 'structureFactorAsync', 'voronoi', 'voronoiAsync',
  ] satisfies (keyof typeof analysis)[],
  './plot': ['compositionChart', 'confusionMatrixChart', 'criticalTemperatureChart', 'featureSelectionChart', 'Figure', 'groupLassoPathChart', 'growthCurves', 'learningCurveChart', 'lineChart', 'meltingCurve', 'report', 'VEGA_LITE_MIME',
    'chargeStudySection', 'latticeErrorChart', 'MODEL_LABELS', 'nanoparticleChart', 'parityChart', 'phononDosChart', 'polymorphEnergyChart', 'rdfComparisonChart', 'surfaceEnergyChart',
  ] satisfies (keyof typeof plot)[],
};

/** A value export of index.ts that is not listed above (`never` when the list is complete). */
type Unlisted = Exclude<keyof typeof polymorph, (typeof modules)[keyof typeof modules][number]>;
/** Fails to compile, naming the export, when index.ts exports a value not listed in `modules`. */
const complete: [Unlisted] extends [never] ? true : Unlisted = true;
void complete;

for (const [file, names] of Object.entries(modules)) {
  let loaded: Record<string, unknown> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const load = (): Record<string, unknown> => (loaded ??= require(file) as Record<string, unknown>);
  for (const name of names) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
}

/**
 * The shape of the native addon's exports. Internal: users call the typed wrappers.
 * @internal
 * @module
 */

/** Options of a native neighbour-list build. */
export interface NativeNeighborListOptions {
  /** Store pair vectors and distances too (else a lean list: indices and shifts only). */
  vectors: boolean;
  /** Refuse lists estimated above this many bytes. */
  memoryLimit: number;
}

/** Raw neighbour list as the addon returns it (CSR, typed arrays owned by JS; vectors and distances empty for a lean list). */
export interface NativeNeighborList {
  rowPtr: Int32Array;
  neighbors: Int32Array;
  shifts: Int32Array;
  vectors: Float64Array;
  distances: Float64Array;
}

/** Results of a native potential evaluation (eV, eV/Å, eV/Å³). */
export interface NativePotentialResult {
  energy: number;
  forces?: Float64Array;
  stress?: Float64Array;
  atomEnergies?: Float64Array;
}

/** Lennard-Jones parameter tables for T types, each T×T row-major and symmetric (eV, Å, Å). */
export interface NativeLennardJonesParameters {
  epsilon: Float64Array;
  sigma: Float64Array;
  cutoff: Float64Array;
  shift: boolean;
}

/** Buckingham parameter tables for T types, each T×T row-major and symmetric (eV, Å, eV·Å⁶, Å). */
export interface NativeBuckinghamParameters {
  a: Float64Array;
  rho: Float64Array;
  c: Float64Array;
  cutoff: Float64Array;
  shift: boolean;
}

/** What a native potential computes besides the energy. */
export interface NativeWant {
  forces: boolean;
  stress: boolean;
  atomEnergies: boolean;
}

/** Ewald parameters (1/Å, Å, 1/Å, eV·Å/e²). */
export interface NativeEwaldParameters {
  alpha: number;
  cutoff: number;
  kCutoff: number;
  coulombConstant: number;
  background: boolean;
  /** Smooth particle-mesh Ewald with this grid (K1, K2, K3) and B-spline order. */
  pme?: boolean;
  grid?: Int32Array;
  order?: number;
}

/** Ewald results with the energy terms (eV) and the number of k-vectors (k and −k once). */
export interface NativeEwaldResult extends NativePotentialResult {
  terms: { real: number; reciprocal: number; self: number; background: number };
  kVectors: number;
}

/** Coulomb parameters: direct sum, or damped shifted force with alpha (1/Å) and cutoff (Å). */
export interface NativeCoulombParameters {
  coulombConstant: number;
  dsf: boolean;
  alpha?: number;
  cutoff?: number;
}

/** An opaque handle to a native evaluator (a C++ object built once). */
export interface NativeEvaluator {
  readonly __nativeEvaluator: unique symbol;
}

/** The structure as native evaluators read it (Å, atomic numbers, e). */
export interface NativeSystem {
  positions: Float64Array;
  numbers: Int32Array;
  charges: Float64Array | null;
  cell: Float64Array | null;
  pbc: boolean[];
}

/** A caller's neighbour list (CSR arrays, zero-copy) with the cutoff it guarantees (Å). */
export interface NativeListArgs {
  rowPtr: Int32Array;
  neighbors: Int32Array;
  shifts: Int32Array;
  cutoff: number;
  full: boolean;
}

/** Per-element charges for charge evaluators (null: the structure's per-atom charges). */
export interface NativeChargeTable {
  elements: Int32Array;
  values: Float64Array;
}

/** An HDNNP extrapolation record, one entry per (atom, function) outside the training range. */
export interface NativeExtrapolations {
  atom: Int32Array;
  element: Int32Array;
  function: Int32Array;
  value: Float64Array;
  minimum: Float64Array;
  maximum: Float64Array;
}

/** Results of a native evaluation (eV, eV/Å, eV/Å³) with named diagnostics. */
export interface NativeEvaluation extends NativePotentialResult {
  diagnostics: Record<string, number>;
  extrapolations?: NativeExtrapolations;
}

/** An opaque handle to a native model (HDNNP networks, descriptor sets). */
export interface NativeModel {
  readonly __nativeModel: unique symbol;
}

/** PLIP design rows of one structure (see PlipDescriptors.compute). */
export interface NativePlipRows {
  features: number;
  atomDescriptors: Float64Array;
  energyRow: Float64Array;
  forceRows?: Float64Array;
  stressRows?: Float64Array;
}

/** Structure arguments of the descriptor bindings: positions (Å), element indices, cell (Å) or null, pbc, request. */
export type NativeDescriptorArgs = [Float64Array, Int32Array, Float64Array | null, boolean[], { forces: boolean; stress: boolean }];

/** Options of one native Lasso-LARS path computation (`native/addon/lasso_lars.cpp`). */
export interface NativeLarsOptions {
  fitIntercept: boolean;
  /** The path stops at this α (0: the whole path). */
  alphaMin: number;
  maxIter: number;
  positive: boolean;
  /** Also return the residual sum of squares at every breakpoint (`rss`). */
  rss: boolean;
  /** Also return the (non-negative when `positive`) least-squares RSS (`olsRss`). */
  olsRss: boolean;
  /** Held-out rows [nTest, p] and targets [nTest]: return their residuals along the path (`residues`). */
  testX?: Float64Array;
  testY?: Float64Array;
}

/** What the native Lasso-LARS path returns: breakpoints, the path [K, p] row-major, the active set. */
export interface NativeLarsResult {
  alphas: Float64Array;
  coefs: Float64Array;
  active: Int32Array;
  nIter: number;
  earlyStop: boolean;
  degenerate: number;
  xMean: Float64Array;
  yMean: number;
  rss?: Float64Array;
  olsRss?: number;
  residues?: Float64Array;
}

/** The Lasso-LARS entry points: X [n, p] row-major, y [n]. */
export interface NativeLarsAddon {
  lassoLarsPath(X: Float64Array, n: number, p: number, y: Float64Array, options: NativeLarsOptions): NativeLarsResult;
  lassoLarsPathAsync(X: Float64Array, n: number, p: number, y: Float64Array, options: NativeLarsOptions): Promise<NativeLarsResult>;
}

/** Symmetry-function values (per element, [N_e, n_e] row-major) and, on request, derivatives. */
export interface NativeSymmetryFunctionResult {
  values: Float64Array[];
  atoms: Int32Array[];
  derivatives?: { start: Int32Array; neighbor: Int32Array; vector: Float64Array; derivative: Float64Array }[];
}

/** Structure arguments of the symmetry-function binding: positions (Å), element indices, cell (Å) or null, pbc, options. */
export type NativeSymmetryFunctionArgs = [Float64Array, Int32Array, Float64Array | null, boolean[], { derivatives: boolean; lengthFactor: number }];

/** A native molecular-dynamics engine (an opaque handle). */
export interface NativeMd {
  readonly __nativeMd: unique symbol;
}

/** A thermostat of a native engine: its kind, group, atoms, targets (K), τ (fs), chain length and seed. */
export interface NativeMdThermostat {
  kind: 'nhc' | 'langevin' | 'csvr' | 'berendsen';
  group: string;
  atoms: Int32Array;
  start: number;
  stop: number;
  relaxation: number;
  chain: number;
  seed: number;
}

/** Everything a native engine starts from (Å, Å/fs, amu, e, fs). */
export interface NativeMdSetup {
  positions: Float64Array;
  velocities: Float64Array | null;
  masses: Float64Array;
  numbers: Int32Array;
  charges: Float64Array | null;
  cell: Float64Array | null;
  pbc: boolean[];
  timestep: number;
  skin: number;
  frozen: Int32Array | null;
  removeCenterOfMass: boolean;
  groups: { name: string; atoms: Int32Array }[];
  thermostats: NativeMdThermostat[];
  /** An MTK barostat: target pressure at the start and end of a run (eV/Å³), τ_p (fs), chain length, axes on their own or not. */
  barostat?: { start: number; stop: number; relaxation: number; chain: number; anisotropic: boolean; triclinic: boolean };
}

/** Temperature (K), kinetic energy (eV) and degrees of freedom of a set of atoms. */
export interface NativeGroupThermo {
  temperature: number;
  kineticEnergy: number;
  dof: number;
}

/** A native engine's thermo record (fs, K, eV, Å³, bar, eV/Å³; NaN volume, pressure and stress without a cell). */
export interface NativeThermo {
  step: number;
  time: number;
  temperature: number;
  potentialEnergy: number;
  kineticEnergy: number;
  totalEnergy: number;
  conserved: number;
  dof: number;
  volume: number;
  pressure: number;
  stress: Float64Array;
  groups: NativeGroupThermo[];
  thermostats: NativeGroupThermo[];
  rebuilds: number;
}

/** A native FIRE stepper (an opaque handle). */
export interface NativeFire {
  readonly __nativeFire: unique symbol;
}

/** Options of a native FIRE minimisation (eV/Å, steps, FIRE time units, Å). */
export interface NativeFireOptions {
  fmax: number;
  maxSteps: number;
  timestep: number;
  maxTimestep: number;
  maxStep: number;
}

/** Result of a native FIRE minimisation. */
export interface NativeMinimizeResult {
  positions: Float64Array;
  forces: Float64Array;
  energy: number;
  maxForce: number;
  steps: number;
  converged: boolean;
  /** The relaxed cell (with relaxCell). */
  cell?: Float64Array;
}

/** The minimisation entry points of the addon. */
export interface NativeMinimizeAddon {
  minimizeFire(evaluator: NativeEvaluator, setup: { positions: Float64Array; numbers: Int32Array; charges: Float64Array | null;
    cell: Float64Array | null; pbc: boolean[]; frozen: Int32Array | null; skin: number; method?: 'fire' | 'cg'; relaxCell?: boolean; pressure?: number }, options: NativeFireOptions): NativeMinimizeResult;
  createFire(n: number, frozen: Int32Array | null, options: NativeFireOptions): NativeFire;
  fireStep(fire: NativeFire, positions: Float64Array, forces: Float64Array): Float64Array;
}

/** The molecular-dynamics entry points of the addon. */
export interface NativeMdAddon {
  createMolecularDynamics(evaluator: NativeEvaluator | null, setup: NativeMdSetup): NativeMd;
  mdBeginRun(md: NativeMd, steps: number): void;
  mdRun(md: NativeMd, steps: number): NativeThermo;
  mdRunAsync(md: NativeMd, steps: number): Promise<NativeThermo>;
  mdThermo(md: NativeMd): NativeThermo;
  mdState(md: NativeMd): { positions: Float64Array; velocities: Float64Array; forces: Float64Array; cell: Float64Array | null };
  mdPrepareStep(md: NativeMd): Float64Array;
  mdFinishStep(md: NativeMd, energy: number, forces: Float64Array, virial: Float64Array): NativeThermo;
  mdSetForces(md: NativeMd, energy: number, forces: Float64Array, virial: Float64Array): NativeThermo;
  mdSaveState(md: NativeMd): Uint8Array;
  mdLoadState(md: NativeMd, state: Uint8Array): NativeThermo;
}

/** Common neighbour analysis (native/addon/cna.cpp). */
export interface NativeCna {
  labels: Uint8Array;
  rowPtr: Int32Array;
  neighbors: Int32Array;
  signatures: Int32Array;
  cutoffs: Float64Array;
}
export interface NativeCnaAddon {
  commonNeighborAnalysis(positions: Float64Array, cell: Float64Array | null, pbc: boolean[], options: { adaptive: boolean; cutoff: number }): NativeCna;
  commonNeighborAnalysisAsync(positions: Float64Array, cell: Float64Array | null, pbc: boolean[], options: { adaptive: boolean; cutoff: number }): Promise<NativeCna>;
}

/** Pair-distance histograms (native/addon/pair_histogram.cpp). */
export interface NativePairHistogramAddon {
  pairHistogram(positions: Float64Array, types: Int32Array, typeCount: number, cell: Float64Array | null, pbc: boolean[], rMax: number, bins: number): Float64Array;
  pairHistogramAsync(positions: Float64Array, types: Int32Array, typeCount: number, cell: Float64Array | null, pbc: boolean[], rMax: number, bins: number): Promise<Float64Array>;
}

/** Direct structure-factor sums over k-vectors (native/addon/structure_factor.cpp). */
export interface NativeStructureFactorSums { vectors: Float64Array; qSum: Float64Array; products: Float64Array }
export interface NativeStructureFactorAddon {
  structureFactorSums(positions: Float64Array, species: Int32Array, speciesCount: number, cell: Float64Array, qMin: number, qMax: number, bins: number, vectorsPerBin: number, seed: number): NativeStructureFactorSums;
  structureFactorSumsAsync(positions: Float64Array, species: Int32Array, speciesCount: number, cell: Float64Array, qMin: number, qMax: number, bins: number, vectorsPerBin: number, seed: number): Promise<NativeStructureFactorSums>;
}

/** Mean squared displacement accumulator (native/addon/msd.cpp); the handle is opaque. */
export interface NativeMsdAddon {
  msdCreate(species: Int32Array, speciesCount: number, maxLag: number, com: boolean, masses: Float64Array): unknown;
  msdAdd(handle: unknown, positions: Float64Array, cell: Float64Array | null, pbc: boolean[]): void;
  msdResult(handle: unknown): { sums: Float64Array; perSpecies: Float64Array; origins: Float64Array };
}

/** Solid-like atoms (native/addon/solid_atoms.cpp). */
export interface NativeSolidAtoms { solid: Uint8Array; connections: Int32Array; neighbors: Int32Array; ql: Float64Array }
export interface NativeSolidAtomsAddon {
  solidAtoms(positions: Float64Array, cell: Float64Array | null, pbc: boolean[], options: { cutoff: number; l: number; threshold: number; minBonds: number }): NativeSolidAtoms;
  solidAtomsAsync(positions: Float64Array, cell: Float64Array | null, pbc: boolean[], options: { cutoff: number; l: number; threshold: number; minBonds: number }): Promise<NativeSolidAtoms>;
}

/** HDNNP training (native/addon/hdnnp_training.cpp); every number in the potential's units. */
export interface NativeHdnnpTrainingSpec {
  symmetryFunctions: object;
  normalizeNodes: boolean;
  cacheValues: boolean;
  meanEnergy: number;
  convEnergy: number;
  networks: { layers: Int32Array; activations: string; scaleFactor: Float64Array; scaleShift: Float64Array; scaleBase: Float64Array; atomEnergy: number }[];
  structures: {
    atoms: Int32Array; elements: Int32Array; positions: Float64Array; cells: Float64Array; hasCell: Uint8Array; pbc: Uint8Array;
    energies: Float64Array; hasForces: Uint8Array; forces: Float64Array; hasStress: Uint8Array; stress: Float64Array;
  };
}
export interface NativeLossWeights { energy: number; forces: number; stress: number }
export interface NativeAdamSettings { learningRate: number; beta1: number; beta2: number; epsilon: number; weightDecay: number; l2: number }
/** Per structure 6 numbers: ΔE/N, Σ|ΔF|², force components, ΣΔσ², stress components, loss. */
export interface NativeTrainingLoss { loss: number; gradient?: Float64Array; errors: Float64Array }
export interface NativeValueStatistics { min: Float64Array; max: Float64Array; mean: Float64Array; sigma: Float64Array; atoms: number }
export interface NativeHdnnpTrainingAddon {
  createHdnnpTraining(spec: NativeHdnnpTrainingSpec): NativeModel;
  hdnnpTrainingInfo(handle: NativeModel): { weightCount: number; offsets: Int32Array; cacheBytes: number };
  hdnnpTrainingLoss(handle: NativeModel, weights: Float64Array, batch: Int32Array, lossWeights: NativeLossWeights, gradient: boolean, needForces: boolean): NativeTrainingLoss;
  hdnnpTrainingLossAsync(handle: NativeModel, weights: Float64Array, batch: Int32Array, lossWeights: NativeLossWeights, gradient: boolean, needForces: boolean): Promise<NativeTrainingLoss>;
  hdnnpTrainingEpochAsync(handle: NativeModel, weights: Float64Array, m: Float64Array, v: Float64Array, step: Float64Array, order: Int32Array,
    batchSize: number, lossWeights: NativeLossWeights, adam: NativeAdamSettings, decayMask: Uint8Array | null, groups: Float64Array | null,
    forceMask: Uint8Array | null): Promise<{ loss: number; batches: number; errors: Float64Array }>;
  hdnnpTrainingStatisticsAsync(handle: NativeModel): Promise<NativeValueStatistics[]>;
  hdnnpTrainingSetScaling(handle: NativeModel, element: number, factor: Float64Array, shift: Float64Array, base: Float64Array): void;
  hdnnpTrainingSetNormalization(handle: NativeModel, meanEnergy: number, convEnergy: number, atomEnergies: Float64Array): void;
  hdnnpTrainingCancel(handle: NativeModel, flag: boolean): void;
  hdnnpTrainingKalmanEpochAsync(handle: NativeModel, weights: Float64Array, P: Float64Array, state: Float64Array, order: Int32Array,
    settings: NativeKalmanSettings, seed: number, energyRmse: number, forceRmse: number): Promise<NativeKalmanEpoch>;
}
/** n2p2's Kalman-filter settings (native/core/hdnnp_kalman.hpp). */
export interface NativeKalmanSettings {
  epsilon: number; q0: number; qtau: number; qmin: number; eta0: number; etatau: number; etamax: number; forceWeight: number;
  energyFraction: number; forceFraction: number; energyThreshold: number; forceThreshold: number; thresholdTrials: number; pool: number;
}
export interface NativeKalmanEpoch { energyUpdates: number; forceUpdates: number; energySquares: number; energyCount: number; forceSquares: number; forceCount: number }

export interface NativeAddon extends NativeLarsAddon, NativeHdnnpTrainingAddon, NativeMdAddon, NativeMinimizeAddon, NativeCnaAddon, NativePairHistogramAddon, NativeStructureFactorAddon, NativeMsdAddon, NativeSolidAtomsAddon {
  abiVersion: number;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  availableThreads(): number;
  neighborList(
    positions: Float64Array, cell: Float64Array | null, pbc: boolean[], cutoff: number, full: boolean, options: NativeNeighborListOptions,
    reuse?: Record<'rowPtr' | 'neighbors' | 'shifts' | 'vectors' | 'distances', ArrayBufferLike>,
  ): NativeNeighborList;
  neighborListAsync(positions: Float64Array, cell: Float64Array | null, pbc: boolean[], cutoff: number, full: boolean, options: NativeNeighborListOptions): Promise<NativeNeighborList>;
  neighborListVectors(positions: Float64Array, cell: Float64Array | null, rowPtr: Int32Array, neighbors: Int32Array, shifts: Int32Array): { vectors: Float64Array; distances: Float64Array };
  neighborListBuildCount(): number;
  evaluate(handle: NativeEvaluator, system: NativeSystem, want: NativeWant & { throwOnExtrapolation?: boolean }, list: NativeListArgs | null): NativeEvaluation;
  evaluateAsync(handle: NativeEvaluator, system: NativeSystem, want: NativeWant & { throwOnExtrapolation?: boolean }, list: NativeListArgs | null): Promise<NativeEvaluation>;
  evaluatorCutoff(handle: NativeEvaluator): number;
  createSumEvaluator(terms: NativeEvaluator[], weights: Float64Array): NativeEvaluator;
  createLennardJonesEvaluator(parameters: NativeLennardJonesParameters, elements: Int32Array): NativeEvaluator;
  createBuckinghamEvaluator(parameters: NativeBuckinghamParameters, elements: Int32Array): NativeEvaluator;
  createCoulombEvaluator(parameters: NativeCoulombParameters, charges: NativeChargeTable | null): NativeEvaluator;
  createEwaldEvaluator(parameters: NativeEwaldParameters, charges: NativeChargeTable | null): NativeEvaluator;
  createHdnnp(spec: object): NativeModel;
  createHdnnpEvaluator(model: NativeModel, elements: Int32Array): NativeEvaluator;
  createSymmetryFunctions(spec: object): NativeModel;
  symmetryFunctions(functions: NativeModel, ...args: NativeSymmetryFunctionArgs): NativeSymmetryFunctionResult;
  symmetryFunctionsAsync(functions: NativeModel, ...args: NativeSymmetryFunctionArgs): Promise<NativeSymmetryFunctionResult>;
  createPlipDescriptors(spec: object): NativeModel;
  plipRows(descriptors: NativeModel, ...args: NativeDescriptorArgs): NativePlipRows;
  plipRowsAsync(descriptors: NativeModel, ...args: NativeDescriptorArgs): Promise<NativePlipRows>;
  createLinearEvaluator(descriptors: NativeModel, weights: Float64Array, offsets: Float64Array, elements: Int32Array): NativeEvaluator;
}

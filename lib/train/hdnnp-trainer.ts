/**
 * HDNNP training: n2p2 potentials fitted to energies, forces and (unlike n2p2) stress by Adam or
 * AdamW on mini-batches of structures, in C++ (native/core/hdnnp_training.hpp).
 *
 * The loss of a structure of N atoms is
 *   ℓ = w_E (ΔE/N)² + w_F Σ|ΔF|²/(3N) + w_S Σ Δσ²/9
 * (potential units, Δ = prediction − reference; a term is skipped where the label is missing) and
 * a batch's loss is the mean over its structures. Its gradient is exact, force and stress terms
 * included (a tangent pass through each atomic network), computed structure by structure so memory
 * stays bounded (the symmetry-function derivatives of one structure at a time; the values of all
 * structures are cached unless `cacheValues: false`). Results are bitwise identical for any
 * thread count.
 *
 * What n2p2's tools do around `nnp-train` happens here too: the input scaling of `nnp-scaling`
 * (statistics of the training structures → `scaling.data`), the normalisation of
 * `normalize_data_set` (mean energy per atom and conv_energy = 1/σ(E/N), conv_length = 1) and the
 * split into training and validation structures.
 * @module
 */
import { existsSync, readFileSync } from 'fs';
import { inspect } from 'util';
import { writeFileAtomic } from '../core/atomic-write';
import { PolymorphError } from '../core/errors';
import { formatNumber, summary } from '../core/inspect';
import { callNative } from '../core/native';
import type { NativeAdamSettings, NativeLossWeights, NativeModel } from '../core/native-types';
import { checkOptions } from '../core/options';
import { mulberry32 } from '../core/random';
import { callNativeQueued } from '../core/threads';
import { scaleFactors, type SymmetryFunctionStatistics } from '../descriptors/symmetry-function-scaling';
import { lengthUnitInAngstrom, SymmetryFunctions } from '../descriptors/symmetry-functions';
import { energyUnitInEv, Hdnnp, type HdnnpUnits } from '../potentials/hdnnp';
import { networkLayers, type N2p2Settings, readN2p2Settings } from '../potentials/n2p2-settings';
import { connectionCount } from '../potentials/n2p2-weights';
import type { Structure } from '../structure/structure';
import { packStructures, type PackedStructures, shuffled, splitStructures } from './hdnnp-training-data';
import { type HdnnpKalman, kalmanSettings } from './hdnnp-kalman';
import { checkSchedule, learningRate, type LearningRateSchedule } from './learning-rate';
import { finishTrainingProgress, reportTrainingProgress } from './training-progress';

/** Weights of the loss terms (see the module documentation). */
export interface HdnnpLossWeights {
  /** Weight of (ΔE/N)² (default 1). */
  energy?: number;
  /** Weight of the mean squared force-component error (default 0.1; 0 trains on energies only). */
  forces?: number;
  /** Weight of the mean squared stress-component error (default 0; structures need `info.stress`). */
  stress?: number;
}

/** Adam or AdamW. */
export interface HdnnpOptimizer {
  /** 'adam' (default) or 'adamw' (decoupled weight decay on connection weights, not biases). */
  type?: 'adam' | 'adamw';
  /** Initial learning rate η₀ (default 1e-3). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** AdamW's decay per step, w ← w − η·decay·w (default 1e-6 for 'adamw', as Sandberg et al.). */
  weightDecay?: number;
  /**
   * L2 regularisation: (l2/2)·Σ w² over the connection weights (not biases) added to the loss, so
   * l2·w enters the gradient and Adam's moments (what PyTorch's `Adam(weight_decay=…)` does; AdamW's
   * `weightDecay` is the decoupled alternative). Early stopping and the best epoch then follow the
   * objective (validation loss + penalty), as with `groupLasso`. Default 0.
   */
  l2?: number;
}

/** Options of {@link HdnnpTrainer} and {@link trainHdnnp}. */
export interface HdnnpTrainingOptions {
  /**
   * The potential to train: an `input.nn` path or parsed settings (elements, symmetry functions,
   * network sizes and activations, scaling type, cutoff function, atom energies). Training keywords
   * of the file (Kalman settings…) are kept in the saved file but not used.
   */
  settings: string | N2p2Settings;
  /** Units of the potential (default Å and eV); the structures are always in Å and eV. */
  units?: HdnnpUnits;
  /** Subtract the mean energy per atom and divide by its spread (n2p2's normalisation; default true). */
  normalize?: boolean;
  loss?: HdnnpLossWeights;
  /** Adam/AdamW (default Adam) or n2p2's global extended Kalman filter ({@link HdnnpKalman}; batchSize, forceFraction, schedule and loss weights do not apply to it). */
  optimizer?: HdnnpOptimizer | HdnnpKalman;
  /** Training structures sampled (seeded, fixed) for the training errors of epoch 0 and of Kalman epochs (default 100). */
  trainSample?: number;
  /** Learning-rate schedule per epoch (default constant). */
  schedule?: LearningRateSchedule;
  /** Epochs (default 100). */
  epochs?: number;
  /** Structures per Adam step (default 32). */
  batchSize?: number;
  /**
   * Fraction of the training structures whose force term enters each epoch (default 1), drawn anew
   * every epoch from the seed. The others cost one network pass per atom instead of the
   * symmetry-function derivatives (what n2p2's `short_force_fraction` trades too); the expected
   * force weight is `forceFraction · loss.forces`.
   */
  forceFraction?: number;
  /** Evaluate the validation structures every this many epochs (default 1) and after the last. */
  validateEvery?: number;
  /** Validation structures: a seeded fraction (default 0.1, seed 1) or explicit indices. */
  validation?: { fraction?: number; seed?: number } | { indices: readonly number[] };
  /**
   * Stop when the validation loss has not improved by `minDelta` (relative, default 0) for
   * `patience` epochs; the best epoch's weights are kept. Default: no early stopping (the best
   * epoch's weights are still returned).
   */
  earlyStopping?: { patience: number; minDelta?: number };
  /**
   * Group lasso on the first-layer weights (Sandberg et al.): the penalty λ Σ_j c_j ‖w⁰_j‖ over each
   * input j's outgoing weights, applied by a proximal step after every Adam step
   * (w⁰_j ← (1 − η λ c_j/‖w⁰_j‖)₊ w⁰_j), so that unneeded inputs reach exactly zero. `factors` are
   * the c_j per element (default 1; the adaptive group lasso passes 1/‖ŵ⁰_j‖). The loss here is a
   * mean over structures, so λ is the thesis's λ/N. Early stopping and the best epoch then follow
   * the objective (validation loss + penalty). Adam/AdamW only.
   */
  groupLasso?: { strength: number; factors?: Readonly<Record<string, Float64Array>> };
  /** Seed of the initial weights and of the batch order (default 1). */
  seed?: number;
  /** Start from these weights (per element, n2p2 order) instead of random ones. */
  initialWeights?: Readonly<Record<string, Float64Array>>;
  /** Keep every structure's symmetry-function values between epochs (default true). */
  cacheValues?: boolean;
  /** Called after each epoch. */
  onEpoch?: (epoch: HdnnpEpoch) => void;
  /**
   * `true`: a progress line on stderr after each epoch (bar, training and validation errors,
   * learning rate, time, ETA), rewritten in place on a terminal. Default false.
   */
  progress?: boolean;
  /**
   * A file where the training keeps its state after every epoch (weights, optimiser state, history).
   * Started again with the same file, structures and options, training continues after the last
   * finished epoch and ends bit for bit as the uninterrupted run (same thread count or not).
   * Different settings in the file are refused (`E_VALUE`).
   */
  checkpoint?: string;
  /** Cancels between batches (E_CANCELLED). */
  signal?: AbortSignal;
}

/** Errors over a set of structures (eV and Å: energies per atom, force components, stress components). */
export interface HdnnpErrors {
  /** RMSE of the energy per atom (eV/atom). */
  energyRmse: number;
  /** RMSE of force components (eV/Å; NaN without force labels). */
  forceRmse: number;
  /** RMSE of stress components (eV/Å³; NaN without stress labels). */
  stressRmse: number;
  /** Mean loss (potential units). */
  loss: number;
}

/** One epoch of training. */
export interface HdnnpEpoch {
  /** 1-based epoch (0: the initial weights). */
  epoch: number;
  /** Adam's learning rate, or the Kalman filter's η at the end of the epoch. */
  learningRate: number;
  /**
   * Training errors: for Adam accumulated over the epoch's batches, each at the weights its batch
   * saw; for epoch 0 and Kalman epochs, exact on the `trainSample` structures at the epoch's end.
   */
  train: HdnnpErrors;
  /** Validation errors at the end of the epoch (exact; null on epochs `validateEvery` skips). */
  validation: HdnnpErrors | null;
  /** Wall time since training started (s). */
  seconds: number;
}

/** What {@link trainHdnnp} returns. */
export interface HdnnpTrainingResult {
  /** The trained potential (best validation epoch), ready to `save` in n2p2's format. */
  potential: Hdnnp;
  /** One row per epoch (epoch 0 = the initial weights). */
  history: HdnnpEpoch[];
  /** Epoch whose weights were kept. */
  bestEpoch: number;
  /** Structure indices used for training and for validation. */
  trainIndices: number[];
  validationIndices: number[];
  /** Wall time (s) and the memory the value cache held (bytes). */
  seconds: number;
  cacheBytes: number;
}

const OPTION_KEYS = ['settings', 'units', 'normalize', 'loss', 'optimizer', 'trainSample', 'schedule', 'epochs', 'batchSize', 'forceFraction', 'validateEvery', 'validation', 'earlyStopping',
  'seed', 'initialWeights', 'cacheValues', 'onEpoch', 'progress', 'signal', 'groupLasso', 'checkpoint'];

interface TrainingCheckpoint {
  weights: number[]; m: number[]; v: number[]; step: number; kalmanP: number[]; kalmanState: number[];
  history: HdnnpEpoch[]; best: number[]; bestEpoch: number; bestLoss: number; stale: number; stopped: boolean;
}

/** The state in `file` if it exists (null otherwise); `E_VALUE` when it was written with other settings. */
function readTrainingCheckpoint(file: string, fingerprint: string, what: string): TrainingCheckpoint | null {
  if (!existsSync(file)) return null;
  let data: TrainingCheckpoint & { kind?: string; fingerprint?: string };
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as typeof data;
  } catch (error) {
    throw new PolymorphError('E_PARSE', `${what}: checkpoint ${file} is not readable JSON: ${(error as Error).message}`);
  }
  if (data.kind !== 'HdnnpTrainingCheckpoint') throw new PolymorphError('E_VALUE', `${what}: ${file} is not an HDNNP training checkpoint`);
  if (data.fingerprint !== fingerprint) throw new PolymorphError('E_VALUE', `${what}: checkpoint ${file} was written by a training with other structures or settings; use another file or delete it`);
  for (const row of data.history) {
    for (const e of [row.train, row.validation]) if (e) for (const k of ['energyRmse', 'forceRmse', 'stressRmse', 'loss'] as const) e[k] = e[k] ?? NaN;
  }
  return data;
}

function positiveInteger(x: unknown, what: string): number {
  if (!(typeof x === 'number' && Number.isInteger(x) && x >= 1)) throw new PolymorphError('E_VALUE', `${what} must be a positive integer, got ${String(x)}`);
  return x;
}

function nonNegative(x: unknown, what: string): number {
  if (!(typeof x === 'number' && Number.isFinite(x) && x >= 0)) throw new PolymorphError('E_VALUE', `${what} must be a finite number ≥ 0, got ${String(x)}`);
  return x;
}

/**
 * An HDNNP training set-up: the potential's definition, the reference structures in native memory,
 * the scaling and normalisation computed from the training structures ({@link prepare}), and
 * the loss with its gradient for any weights ({@link loss}). {@link train} runs the epochs;
 * {@link trainHdnnp} does all of it in one call.
 * @example
 * const trainer = new HdnnpTrainer(structures, { settings: 'input.nn', loss: { forces: 0.1 } });
 * await trainer.prepare();
 * const { loss, gradient } = trainer.loss(trainer.initialWeights(), [0, 1, 2], { gradient: true });
 */
export class HdnnpTrainer {
  /** The settings of the potential being trained. */
  readonly settings: N2p2Settings;
  readonly functions: SymmetryFunctions;
  /** Size of the potential's length and energy units (Å, eV). */
  readonly lengthUnit: number;
  readonly energyUnit: number;
  /** Number of weights (all elements, n2p2 order, elements by atomic number). */
  readonly weightCount: number;
  /** Offset of each element's weights in the flat vector. */
  readonly offsets: readonly number[];
  /** Training and validation structure indices. */
  readonly trainIndices: Int32Array;
  readonly validationIndices: Int32Array;
  private readonly options: HdnnpTrainingOptions;
  private readonly lossWeights: NativeLossWeights;
  private readonly packed: PackedStructures;
  private readonly handle: NativeModel;
  private statistics: SymmetryFunctionStatistics[] | null = null;
  private normalization: { meanEnergy: number; convEnergy: number; convLength: number } | null = null;

  constructor(structures: readonly Structure[], options: HdnnpTrainingOptions) {
    const what = 'HdnnpTrainer';
    checkOptions(options, OPTION_KEYS, what);
    if (options.settings === undefined) throw new PolymorphError('E_VALUE', `${what}: settings (an input.nn path or parsed settings) are required`);
    this.options = options;
    this.settings = typeof options.settings === 'string' ? readN2p2Settings(options.settings) : options.settings;
    checkOptions(options.units ?? {}, ['lengthUnit', 'energyUnit'], `${what} units`);
    this.lengthUnit = lengthUnitInAngstrom(options.units?.lengthUnit ?? 'angstrom', `${what}: lengthUnit`);
    this.energyUnit = energyUnitInEv(options.units?.energyUnit ?? 'eV', `${what}: energyUnit`);
    this.functions = new SymmetryFunctions(this.settings.symmetryFunctions, { cutoffFunction: this.settings.cutoff, elements: this.settings.elements, lengthUnit: this.lengthUnit });
    const loss = checkOptions(options.loss ?? {}, ['energy', 'forces', 'stress'], `${what} loss`);
    this.lossWeights = {
      energy: nonNegative(loss.energy ?? 1, `${what}: loss.energy`), forces: nonNegative(loss.forces ?? 0.1, `${what}: loss.forces`),
      stress: nonNegative(loss.stress ?? 0, `${what}: loss.stress`),
    };
    if (this.lossWeights.energy + this.lossWeights.forces + this.lossWeights.stress === 0) throw new PolymorphError('E_VALUE', `${what}: every loss weight is 0`);
    for (const e of this.settings.elements) {
      if (this.functions.count(e) === 0) throw new PolymorphError('E_ELEMENT', `${what}: element ${e} has no symmetry functions`);
    }
    const atomEnergies = this.settings.elements.map((e) => this.settings.atomEnergies[e] ?? 0);
    this.packed = packStructures(structures, this.functions, { length: this.lengthUnit, energy: this.energyUnit }, atomEnergies,
      { forces: this.lossWeights.forces > 0, stress: this.lossWeights.stress > 0 }, what);
    const validation = options.validation ?? {};
    const split = splitStructures(structures.length, validation as { fraction?: number; seed?: number; indices?: number[] }, what);
    this.trainIndices = split.train;
    this.validationIndices = split.validation;
    const networks = this.settings.elements.map((element, e) => {
      const layers = networkLayers(this.settings, element);
      const n = this.functions.count(element);
      return {
        layers: Int32Array.from(layers), activations: this.settings.networks[element].activations.join(''),
        scaleFactor: new Float64Array(n).fill(1), scaleShift: new Float64Array(n), scaleBase: new Float64Array(n), atomEnergy: atomEnergies[e],
      };
    });
    this.handle = callNative((a) => a.createHdnnpTraining({
      symmetryFunctions: this.functions.nativeSpec(), normalizeNodes: this.settings.normalizeNodes, cacheValues: options.cacheValues ?? true,
      meanEnergy: 0, convEnergy: 1, networks, structures: this.packed.native,
    }));
    const info = callNative((a) => a.hdnnpTrainingInfo(this.handle));
    this.weightCount = info.weightCount;
    this.offsets = Array.from(info.offsets);
  }

  /**
   * Computes the scaling statistics over the training structures (as `nnp-scaling` does over its
   * data set) and the normalisation, and hands both to the native trainer. Idempotent.
   */
  async prepare(): Promise<void> {
    if (this.statistics) return;
    const stats = await callNativeQueued(() => null, (a) => a.hdnnpTrainingStatisticsAsync(this.handle), (raw) => raw);
    this.statistics = stats.map((s) => ({ min: s.min, max: s.max, mean: s.mean, sigma: s.sigma }));
    const factors = scaleFactors(this.statistics, this.settings.scaling, this.settings.elements);
    factors.forEach((f, e) => callNative((a) => a.hdnnpTrainingSetScaling(this.handle, e, f.factor, f.shift, new Float64Array(f.factor.length).fill(f.base))));
    const atomEnergies = Float64Array.from(this.settings.elements, (e) => this.settings.atomEnergies[e] ?? 0);
    if (this.options.normalize ?? true) {
      const e = Array.from(this.trainIndices, (k) => this.packed.energyPerAtom[k]);
      const mean = e.reduce((a, b) => a + b, 0) / e.length;
      const variance = e.length > 1 ? e.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (e.length - 1) : 0;
      const sigma = Math.sqrt(variance);
      this.normalization = { meanEnergy: mean, convEnergy: sigma > 0 ? 1 / sigma : 1, convLength: 1 };
      callNative((a) => a.hdnnpTrainingSetNormalization(this.handle, mean, this.normalization!.convEnergy, atomEnergies));
    }
  }

  /** The scaling statistics (`scaling.data`) after {@link prepare}. */
  scalingStatistics(): SymmetryFunctionStatistics[] {
    if (!this.statistics) throw new PolymorphError('E_NOT_FITTED', 'HdnnpTrainer: call prepare() first');
    return this.statistics;
  }

  /**
   * Random initial weights: connection weights uniform in ±√(6/(fan_in + fan_out)) (Glorot),
   * biases 0, from `seed` (default: the options' seed).
   */
  initialWeights(seed = this.options.seed ?? 1): Float64Array {
    const random = mulberry32(seed);
    const w = new Float64Array(this.weightCount);
    this.settings.elements.forEach((element, e) => {
      const layers = networkLayers(this.settings, element);
      let at = this.offsets[e];
      for (let l = 1; l < layers.length; ++l) {
        const limit = Math.sqrt(6 / (layers[l - 1] + layers[l]));
        for (let k = 0; k < layers[l - 1] * layers[l]; ++k) w[at++] = (2 * random() - 1) * limit;
        at += layers[l];  // biases stay 0
      }
    });
    return w;
  }

  /** Flat weights from per-element arrays (n2p2 order); `E_VALUE` when an architecture does not match. */
  flatten(weights: Readonly<Record<string, Float64Array>>): Float64Array {
    const w = new Float64Array(this.weightCount);
    this.settings.elements.forEach((element, e) => {
      const expected = connectionCount(networkLayers(this.settings, element));
      const given = weights[element];
      if (!(given instanceof Float64Array) || given.length !== expected) {
        throw new PolymorphError('E_VALUE', `HdnnpTrainer: element ${element} needs ${expected} weights for layers ${networkLayers(this.settings, element).join('-')}, got ${given?.length ?? 'none'}`);
      }
      w.set(given, this.offsets[e]);
    });
    return w;
  }

  /** Per-element weight arrays from the flat vector. */
  unflatten(weights: Float64Array): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {};
    this.settings.elements.forEach((element, e) => {
      out[element] = weights.slice(this.offsets[e], this.offsets[e] + connectionCount(networkLayers(this.settings, element)));
    });
    return out;
  }

  /**
   * The loss of `indices` (mean over the structures, potential units) at `weights` and, with
   * `gradient`, its gradient; `errors` per structure. Call {@link prepare} first.
   */
  loss(weights: Float64Array, indices: ArrayLike<number>, want: { gradient?: boolean; forces?: boolean } = {}): { loss: number; gradient?: Float64Array; errors: HdnnpErrors } {
    this.requirePrepared();
    const batch = Int32Array.from(indices);
    const r = callNative((a) => a.hdnnpTrainingLoss(this.handle, weights, batch, this.lossWeights, want.gradient ?? false, want.forces ?? true));
    return { loss: r.loss, gradient: r.gradient, errors: this.summarise(r.errors, r.loss) };
  }

  /** {@link loss} off the event loop. */
  async lossAsync(weights: Float64Array, indices: ArrayLike<number>, want: { gradient?: boolean; forces?: boolean } = {}): Promise<{ loss: number; gradient?: Float64Array; errors: HdnnpErrors }> {
    this.requirePrepared();
    const batch = Int32Array.from(indices);
    const r = await callNativeQueued(() => null, (a) => a.hdnnpTrainingLossAsync(this.handle, weights, batch, this.lossWeights, want.gradient ?? false, want.forces ?? true), (raw) => raw);
    return { loss: r.loss, gradient: r.gradient, errors: this.summarise(r.errors, r.loss) };
  }

  /** The potential at `weights` (scaling and normalisation of this training). */
  potential(weights: Float64Array): Hdnnp {
    this.requirePrepared();
    const settings: N2p2Settings = { ...this.settings, normalization: this.normalization ?? this.settings.normalization };
    if (!(this.options.normalize ?? true)) settings.normalization = null;
    return new Hdnnp({ settings, statistics: this.statistics!, weights: this.unflatten(weights) }, { lengthUnit: this.lengthUnit, energyUnit: this.energyUnit });
  }

  /** Runs the epochs (see {@link trainHdnnp}). */
  async train(): Promise<HdnnpTrainingResult> {
    const what = 'trainHdnnp';
    const o = this.options;
    const started = Date.now();
    await this.prepare();
    const kalman = o.optimizer?.type === 'kalman' ? kalmanSettings(o.optimizer, this.settings, what) : null;
    const optimizer = kalman ? {} as HdnnpOptimizer : checkOptions((o.optimizer ?? {}) as HdnnpOptimizer, ['type', 'learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'l2'], `${what} optimizer`);
    const type = kalman ? 'kalman' : optimizer.type ?? 'adam';
    if (type !== 'adam' && type !== 'adamw' && type !== 'kalman') throw new PolymorphError('E_VALUE', `${what}: optimizer.type must be 'adam', 'adamw' or 'kalman', got ${JSON.stringify(type)}`);
    const eta0 = kalman ? kalman.eta0 : optimizer.learningRate ?? 1e-3;
    if (!(eta0 > 0)) throw new PolymorphError('E_VALUE', `${what}: optimizer.learningRate must be > 0`);
    const adam: NativeAdamSettings = {
      learningRate: eta0, beta1: optimizer.beta1 ?? 0.9, beta2: optimizer.beta2 ?? 0.999, epsilon: optimizer.epsilon ?? 1e-8,
      weightDecay: type === 'adamw' ? nonNegative(optimizer.weightDecay ?? 1e-6, `${what}: optimizer.weightDecay`) : 0,
      l2: kalman ? 0 : nonNegative(optimizer.l2 ?? 0, `${what}: optimizer.l2`),
    };
    if (type === 'adam' && optimizer.weightDecay !== undefined) {
      throw new PolymorphError('E_VALUE', `${what}: weightDecay is AdamW's decoupled decay; use type 'adamw', or l2 for an L2 penalty with Adam`);
    }
    const schedule = checkSchedule(o.schedule ?? { type: 'constant' }, what);
    const epochs = o.epochs === undefined ? 100 : o.epochs === 0 ? 0 : positiveInteger(o.epochs, `${what}: epochs`);
    const batchSize = positiveInteger(o.batchSize ?? 32, `${what}: batchSize`);
    const forceFraction = o.forceFraction ?? 1;
    if (!(forceFraction > 0 && forceFraction <= 1)) throw new PolymorphError('E_VALUE', `${what}: forceFraction must be in (0, 1], got ${String(o.forceFraction)}`);
    const validateEvery = positiveInteger(o.validateEvery ?? 1, `${what}: validateEvery`);
    const early = o.earlyStopping ? checkOptions(o.earlyStopping, ['patience', 'minDelta'], `${what} earlyStopping`) : null;
    if (early) positiveInteger(early.patience, `${what}: earlyStopping.patience`);
    const seed = o.seed ?? 1;
    const weights = o.initialWeights ? this.flatten(o.initialWeights) : this.initialWeights(seed);
    const m = new Float64Array(this.weightCount), v = new Float64Array(this.weightCount), step = new Float64Array(1);
    const kalmanP = new Float64Array(kalman ? this.weightCount * this.weightCount : 0), kalmanState = new Float64Array(3);
    const decayMask = this.decayMask();
    const groups = o.groupLasso ? this.groupTriplets(o.groupLasso, what) : null;
    if (groups && kalman) throw new PolymorphError('E_VALUE', `${what}: groupLasso needs Adam or AdamW, not the Kalman filter`);
    // The regularisers' part of the objective, which early stopping and the best epoch follow.
    const penalty = (): number => (groups ? this.groupPenalty(weights, groups) : 0) + (adam.l2 > 0 ? this.l2Penalty(weights, decayMask, adam.l2) : 0);
    const history: HdnnpEpoch[] = [];
    const validate = async (): Promise<HdnnpErrors | null> => (this.validationIndices.length > 0 ? (await this.lossAsync(weights, this.validationIndices)).errors : null);
    // Training errors where no epoch's running errors exist (epoch 0, and the Kalman filter, whose
    // thresholds need a current RMSE): a fixed seeded sample of the training structures.
    const sample = shuffled(this.trainIndices, seed * 31 + 7).slice(0, Math.min(this.trainIndices.length, positiveInteger(o.trainSample ?? 100, `${what}: trainSample`)));
    const sampled = async (): Promise<HdnnpErrors> => (await this.lossAsync(weights, sample)).errors;
    // A checkpoint written after every epoch; a run started again with the same file and settings
    // continues from it and ends bit for bit where the uninterrupted run would.
    const fingerprint = JSON.stringify({
      weights: this.weightCount, train: Array.from(this.trainIndices), validation: Array.from(this.validationIndices), kalman, adam, type, schedule, epochs,
      batchSize, forceFraction, seed, loss: this.lossWeights, groups: groups ? Array.from(groups) : null, sample: o.trainSample ?? 100,
    });
    if (o.progress !== undefined && typeof o.progress !== 'boolean') throw new PolymorphError('E_TYPE', `${what}: progress must be true or false`);
    const report = (row: HdnnpEpoch): void => {
      if (o.progress) reportTrainingProgress(row, epochs);
      o.onEpoch?.(row);
    };
    let best = weights.slice(), bestEpoch = 0, bestLoss = Infinity, stale = 0, firstEpoch = 1, stopped = false, offset = 0;
    const restored = o.checkpoint ? readTrainingCheckpoint(o.checkpoint, fingerprint, what) : null;
    if (restored) {
      weights.set(restored.weights);
      m.set(restored.m);
      v.set(restored.v);
      step[0] = restored.step;
      kalmanP.set(restored.kalmanP);
      kalmanState.set(restored.kalmanState);
      history.push(...restored.history);
      best = Float64Array.from(restored.best);
      ({ bestEpoch, bestLoss, stale, stopped } = restored);
      firstEpoch = restored.history[restored.history.length - 1].epoch + 1;
      offset = restored.history[restored.history.length - 1].seconds;
    } else {
      history.push({ epoch: 0, learningRate: eta0, train: await sampled(), validation: await validate(), seconds: (Date.now() - started) / 1000 });
      report(history[0]);
      bestLoss = (history[0].validation?.loss ?? history[0].train.loss) + penalty();
    }
    const save = (): void => {
      if (!o.checkpoint) return;
      writeFileAtomic(o.checkpoint, JSON.stringify({
        kind: 'HdnnpTrainingCheckpoint', version: 1, fingerprint, weights: Array.from(weights), m: Array.from(m), v: Array.from(v), step: step[0],
        kalmanP: Array.from(kalmanP), kalmanState: Array.from(kalmanState), history, best: Array.from(best), bestEpoch, bestLoss, stale, stopped,
      }), what);
    };
    if (!restored) save();
    const onAbort = (): void => callNative((a) => a.hdnnpTrainingCancel(this.handle, true));
    o.signal?.addEventListener('abort', onAbort);
    try {
      for (let epoch = firstEpoch; epoch <= epochs && !stopped; ++epoch) {
        if (o.signal?.aborted) throw new PolymorphError('E_CANCELLED', `${what}: cancelled before epoch ${epoch}`);
        const eta = learningRate(schedule, eta0, epoch - 1);
        const order = shuffled(this.trainIndices, seed * 7919 + epoch);
        let forceMask: Uint8Array | null = null;
        if (forceFraction < 1) {
          const random = mulberry32(seed * 104729 + epoch);
          forceMask = Uint8Array.from(order, () => (random() < forceFraction ? 1 : 0));
        }
        let train: HdnnpErrors;
        if (kalman) {
          const last = history[history.length - 1].train;
          const rmse = { energy: last.energyRmse / this.energyUnit, forces: Number.isFinite(last.forceRmse) ? (last.forceRmse * this.lengthUnit) / this.energyUnit : 0 };
          await callNativeQueued(() => null, (a) => a.hdnnpTrainingKalmanEpochAsync(this.handle, weights, kalmanP, kalmanState, order, kalman, seed * 1000003 + epoch,
            rmse.energy, rmse.forces), (raw) => raw);
          train = await sampled();
        } else {
          const r = await callNativeQueued(() => null, (a) => a.hdnnpTrainingEpochAsync(this.handle, weights, m, v, step, order, batchSize, this.lossWeights,
            { ...adam, learningRate: eta }, decayMask, groups, forceMask), (raw) => raw);
          train = this.summarise(r.errors, r.loss);
        }
        const validated = epoch % validateEvery === 0 || epoch === epochs;
        const row: HdnnpEpoch = { epoch, learningRate: kalman ? kalmanState[1] : eta, train, validation: validated ? await validate() : null, seconds: offset + (Date.now() - started) / 1000 };
        history.push(row);
        if (validated || this.validationIndices.length === 0) {
          const monitored = (row.validation?.loss ?? row.train.loss) + penalty();
          if (monitored < bestLoss * (1 - (early?.minDelta ?? 0))) {
            bestLoss = monitored;
            best = weights.slice();
            bestEpoch = epoch;
            stale = 0;
          } else if (early && ++stale >= early.patience) {
            stopped = true;
          }
        }
        save();
        report(row);
      }
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      if (o.progress) finishTrainingProgress();
    }
    const info = callNative((a) => a.hdnnpTrainingInfo(this.handle));
    return {
      potential: this.potential(best), history, bestEpoch, trainIndices: Array.from(this.trainIndices), validationIndices: Array.from(this.validationIndices),
      seconds: (Date.now() - started) / 1000, cacheBytes: info.cacheBytes,
    };
  }

  /** (offset, length, λ c_j) of each first-layer row, for the native proximal step. */
  private groupTriplets(lasso: NonNullable<HdnnpTrainingOptions['groupLasso']>, what: string): Float64Array {
    checkOptions(lasso, ['strength', 'factors'], `${what} groupLasso`);
    const strength = nonNegative(lasso.strength, `${what}: groupLasso.strength`);
    const out: number[] = [];
    this.settings.elements.forEach((element, e) => {
      const layers = networkLayers(this.settings, element);
      const factors = lasso.factors?.[element];
      if (factors !== undefined && !(factors instanceof Float64Array && factors.length === layers[0])) {
        throw new PolymorphError('E_VALUE', `${what}: groupLasso.factors.${element} must be a Float64Array of ${layers[0]} values`);
      }
      for (let j = 0; j < layers[0]; ++j) {
        const c = factors ? factors[j] : 1;
        if (!(c >= 0)) throw new PolymorphError('E_VALUE', `${what}: groupLasso.factors.${element}[${j}] must be ≥ 0 (Infinity removes the input)`);
        out.push(this.offsets[e] + j * layers[1], layers[1], Number.isFinite(c) ? strength * c : Number.MAX_VALUE);
      }
    });
    return Float64Array.from(out);
  }

  /** λ Σ_j c_j ‖w⁰_j‖ (potential energy units squared, like the loss). */
  private groupPenalty(weights: Float64Array, groups: Float64Array): number {
    let sum = 0;
    for (let g = 0; g < groups.length; g += 3) {
      let norm = 0;
      for (let k = 0; k < groups[g + 1]; ++k) norm += weights[groups[g] + k] ** 2;
      if (norm > 0) sum += Math.min(groups[g + 2], 1e300) * Math.sqrt(norm);
    }
    return sum;
  }

  /** (l2/2)·Σ w² over the connection weights. */
  private l2Penalty(weights: Float64Array, mask: Uint8Array, l2: number): number {
    let sum = 0;
    for (let k = 0; k < weights.length; ++k) if (mask[k]) sum += weights[k] ** 2;
    return 0.5 * l2 * sum;
  }

  /** 1 for connection weights (AdamW decays them), 0 for biases. */
  private decayMask(): Uint8Array {
    const mask = new Uint8Array(this.weightCount);
    this.settings.elements.forEach((element, e) => {
      const layers = networkLayers(this.settings, element);
      let at = this.offsets[e];
      for (let l = 1; l < layers.length; ++l) {
        mask.fill(1, at, at + layers[l - 1] * layers[l]);
        at += layers[l - 1] * layers[l] + layers[l];
      }
    });
    return mask;
  }

  private requirePrepared(): void {
    if (!this.statistics) throw new PolymorphError('E_NOT_FITTED', 'HdnnpTrainer: call prepare() first (it computes the input scaling)');
  }

  /** RMSEs in eV units from the native per-structure errors (6 numbers each). */
  private summarise(errors: Float64Array, loss: number): HdnnpErrors {
    const count = errors.length / 6;
    let e2 = 0, f2 = 0, fn = 0, s2 = 0, sn = 0;
    for (let k = 0; k < count; ++k) {
      e2 += errors[6 * k] ** 2;
      f2 += errors[6 * k + 1];
      fn += errors[6 * k + 2];
      s2 += errors[6 * k + 3];
      sn += errors[6 * k + 4];
    }
    const E = this.energyUnit, L = this.lengthUnit;
    return {
      energyRmse: Math.sqrt(e2 / count) * E, forceRmse: fn > 0 ? (Math.sqrt(f2 / fn) * E) / L : NaN,
      stressRmse: sn > 0 ? (Math.sqrt(s2 / sn) * E) / (L * L * L) : NaN, loss,
    };
  }

  /** A short summary for notebooks. */
  [inspect.custom](): string {
    return summary('HdnnpTrainer', {
      elements: this.settings.elements.join(', '), weights: this.weightCount, train: this.trainIndices.length, validation: this.validationIndices.length,
      loss: `E ${formatNumber(this.lossWeights.energy)}, F ${formatNumber(this.lossWeights.forces)}, σ ${formatNumber(this.lossWeights.stress)}`,
    });
  }
}

/**
 * Trains an n2p2 HDNNP on `structures` (Å, eV; `info.energy`, `arrays.forces`, optionally
 * `info.stress`) and returns the potential of the best validation epoch with the learning curve.
 * @example
 * const structures = readAll('input.data', { format: 'n2p2' });
 * const { potential, history } = await trainHdnnp(structures, {
 *   settings: 'input.nn', epochs: 50, batchSize: 32, loss: { energy: 1, forces: 0.1 },
 *   optimizer: { type: 'adamw', learningRate: 1e-3 }, schedule: { type: 'cosine', period: 10 },
 * });
 * potential.save('trained');   // input.nn, scaling.data, weights.NNN.data for n2p2 and LAMMPS
 */
export async function trainHdnnp(structures: readonly Structure[], options: HdnnpTrainingOptions): Promise<HdnnpTrainingResult> {
  return new HdnnpTrainer(structures, options).train();
}

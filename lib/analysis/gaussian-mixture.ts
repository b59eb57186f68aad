/**
 * GaussianMixture: a mixture of K Gaussians fitted by expectation–maximisation, reproducing
 * scikit-learn 1.2.1 `GaussianMixture` (covariance types 'full' and 'diag', k-means
 * initialisation). The EM loop runs in C++ (`native/core/gaussian_mixture.cpp`).
 * @module
 */
import { NdArray } from 'ndarray';
import { inspect } from 'util';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { short, summary } from '../train/estimator';
import {
  decodeBoolean, decodeCount, decodeDouble, decodeDoubles, encodeDouble, encodeDoubles, type EstimatorJSON, fieldsOf, type JsonDouble, readFrame,
} from '../train/estimator-json';
import { fitSteps, runAsync, runSync, step, type Steps } from '../train/steps';
import {
  checkSymmetric, mixtureFit, mixtureFitAsync, mixtureScore, type NativeMixtureFit, type NativeMixtureModel, type NativeMixtureOptions,
  type NativeMixtureScores, type NativeMixtureStart, type SampleMatrix, type Samples, shaped, toRows, toSamples, toStack, toWeights,
} from './gaussian-mixture-native';

export type { SampleMatrix } from './gaussian-mixture-native';

/** The form of each component's covariance: a full symmetric matrix, or a diagonal. */
export type CovarianceType = 'full' | 'diag';

/** Options of {@link GaussianMixture}. */
export interface GaussianMixtureOptions {
  /** Number of components K ≥ 1. */
  nComponents: number;
  /** 'full' (default): each component has its own [d, d] covariance; 'diag': its own diagonal [d]. */
  covarianceType?: CovarianceType;
  /** Initialisations (k-means runs) tried by `fit`; the best final lower bound wins (default 1). */
  nInit?: number;
  /** Largest number of EM iterations per initialisation (default 100). */
  maxIter?: number;
  /** Convergence threshold on the change of the lower bound (mean log-likelihood per sample; default 1e-3). */
  tol?: number;
  /** Non-negative regularisation added to the covariance diagonals (units of X²; default 1e-6). */
  regCovar?: number;
  /** Seed of the k-means++ draws (integer 0…2^53−1, default 0): the same seed gives the same fit. */
  seed?: number;
}

/** Start parameters of {@link GaussianMixture.fitFrom}. */
export interface GaussianMixtureStart {
  /** Mixing weights [K], ≥ 0, summing to 1. */
  weights: ArrayLike<number> | NdArray;
  /** Means [K, d] (units of X). */
  means: NdArray | ArrayLike<ArrayLike<number>> | ArrayLike<number>;
  /** Covariances [K, d, d] (full; symmetric positive definite) or [K, d] (diag; positive), units of X². */
  covariances: NdArray | ArrayLike<unknown>;
}

const OPTION_KEYS = ['nComponents', 'covarianceType', 'nInit', 'maxIter', 'tol', 'regCovar', 'seed'] as const;
const START_KEYS = ['weights', 'means', 'covariances'] as const;

/** The learned state of {@link GaussianMixture} in JSON (see {@link GaussianMixture.toJSON}). */
export interface GaussianMixtureFittedJSON {
  nFeatures: number;
  weights: JsonDouble[];
  /** [K, d] row-major. */
  means: JsonDouble[];
  /** [K, d, d] (full) or [K, d] (diag), row-major. */
  covariances: JsonDouble[];
  /** Same shape as covariances. */
  precisionsCholesky: JsonDouble[];
  lowerBound: JsonDouble;
  lowerBounds: JsonDouble[];
  nIter: number;
  converged: boolean;
  bestInit: number;
}

/** What {@link GaussianMixture.toJSON} writes: options and, once fitted, the learned state. */
export type GaussianMixtureJSON = EstimatorJSON<'GaussianMixture', Required<GaussianMixtureOptions>, GaussianMixtureFittedJSON>;

interface Fitted extends NativeMixtureFit {
  nFeatures: number;
}

function count(value: unknown, name: string, least: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw new PolymorphError('E_VALUE', `GaussianMixture: options.${name} must be an integer >= ${least}, got ${String(value)}`);
  }
  return value;
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new PolymorphError('E_VALUE', `GaussianMixture: options.${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * A Gaussian mixture density
 *
 *   p(x) = Σ_k π_k N(x | μ_k, Σ_k),   log N(x | μ, Σ) = −½ [d log 2π + ‖(x − μ)ᵀ P‖²] + Σ_i log P_ii,
 *
 * with weights π [K], means μ [K, d], covariances Σ [K, d, d] ('full') or their diagonals [K, d]
 * ('diag'), and P the upper-triangular "precision Cholesky" factor, Σ⁻¹ = P Pᵀ. Fitted like
 * scikit-learn 1.2.1 `GaussianMixture(n_components, covariance_type, tol, reg_covar, max_iter,
 * n_init)` (see `shared/specs/gmm.md`):
 *
 * - `fit(X)`: `nInit` times, k-means (k-means++ seeding, Lloyd iterations) labels the samples;
 *   the one-hot labels give the start (n_k = Σ r + 10ε, μ_k, Σ_k + regCovar·I, π_k = n_k / N);
 *   EM then iterates until the lower bound — mean_n log p(x_n), evaluated in the E-step, i.e.
 *   with the parameters before that iteration's M-step — changes by less than `tol`, at most
 *   `maxIter` times. The initialisation with the highest final lower bound is kept (the first on
 *   ties). The k-means++ draws come from polymorph's own seeded generator, not numpy's, so a fit
 *   equals scikit-learn's up to the order of the components when both reach the same optimum
 *   (more initialisations make that likelier); EM from the same start reproduces it to round-off.
 * - `fitFrom(X, { weights, means, covariances })`: EM from the given parameters (one run).
 * - A covariance that is not positive definite (a component collapsed on too few distinct
 *   samples) is `E_VALUE` "ill-defined empirical covariance … increase regCovar", as in
 *   scikit-learn.
 *
 * `converged` is the kept initialisation's flag (scikit-learn 1.2.1 reports the last
 * initialisation's; newer versions the kept one's). `lowerBounds` is the kept initialisation's
 * lower bound at every iteration. Results are bitwise identical for any thread count.
 *
 * As in scikit-learn: options are fixed in the constructor (unknown keys are `E_VALUE`), `fit`
 * returns `this`, the learned attributes throw `E_NOT_FITTED` before `fit` (as do `predict` and
 * the scores) and are the model's own arrays (copy before modifying); `toJSON`/`fromJSON`
 * round-trip the model exactly.
 *
 * @example
 * ```ts
 * const gmm = new GaussianMixture({ nComponents: 3, nInit: 10, seed: 1 }).fit(X);  // X: [n, d]
 * const labels = gmm.predict(X);            // Int32Array [n]
 * const proba = gmm.predictProba(X);        // ndarray [n, 3], rows sum to 1
 * const logLikelihood = gmm.scoreSamples(X);  // Float64Array [n]
 * console.log(gmm.weights, gmm.bic(X));
 * await new GaussianMixture({ nComponents: 3 }).fitAsync(X);  // off the event loop
 * ```
 */
export class GaussianMixture {
  /** Number of components K. */
  readonly nComponents: number;
  /** 'full' or 'diag'. */
  readonly covarianceType: CovarianceType;
  /** Initialisations tried by fit. */
  readonly nInit: number;
  /** Largest number of EM iterations per initialisation. */
  readonly maxIter: number;
  /** Convergence threshold on the lower bound. */
  readonly tol: number;
  /** Regularisation added to the covariance diagonals (units of X²). */
  readonly regCovar: number;
  /** Seed of the k-means++ draws. */
  readonly seed: number;
  private state: Fitted | null = null;

  constructor(options: GaussianMixtureOptions) {
    const o = checkOptions(options, OPTION_KEYS, 'GaussianMixture');
    if (options === undefined || options === null) throw new PolymorphError('E_TYPE', 'GaussianMixture: options { nComponents, … } are required');
    const { covarianceType = 'full', nInit = 1, maxIter = 100, tol = 1e-3, regCovar = 1e-6, seed = 0 } = o;
    this.nComponents = count(o.nComponents, 'nComponents', 1);
    if (covarianceType !== 'full' && covarianceType !== 'diag') {
      throw new PolymorphError('E_VALUE', `GaussianMixture: options.covarianceType must be 'full' or 'diag', got ${String(covarianceType)}`);
    }
    this.covarianceType = covarianceType;
    this.nInit = count(nInit, 'nInit', 1);
    this.maxIter = count(maxIter, 'maxIter', 1);
    this.tol = nonNegative(tol, 'tol');
    this.regCovar = nonNegative(regCovar, 'regCovar');
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
      throw new PolymorphError('E_VALUE', `GaussianMixture: options.seed must be an integer 0…2^53−1, got ${String(seed)}`);
    }
    this.seed = seed;
  }

  /** True once a fit has succeeded. */
  get isFitted(): boolean {
    return this.state !== null;
  }

  /** Mixing weights π [K] (sum 1). */
  get weights(): Float64Array { return this.fitted('weights').weights; }
  /** Means μ [K, d] (units of X). */
  get means(): NdArray<Float64Array> { const s = this.fitted('means'); return shaped(s.means, [this.nComponents, s.nFeatures]); }
  /** Covariances Σ [K, d, d] ('full') or their diagonals [K, d] ('diag'), units of X². */
  get covariances(): NdArray<Float64Array> { const s = this.fitted('covariances'); return shaped(s.covariances, this.shapeOf(s)); }
  /** Precision Cholesky factors P [K, d, d] (upper-triangular, Σ⁻¹ = P Pᵀ) or 1/σ [K, d] ('diag'), units of 1/X. */
  get precisionsCholesky(): NdArray<Float64Array> { const s = this.fitted('precisionsCholesky'); return shaped(s.precisionsCholesky, this.shapeOf(s)); }
  /** Final lower bound of the kept initialisation: mean log-likelihood per sample before its last M-step. */
  get lowerBound(): number { return this.fitted('lowerBound').lowerBound; }
  /** The kept initialisation's lower bound at every EM iteration [nIter]. */
  get lowerBounds(): Float64Array { return this.fitted('lowerBounds').lowerBounds; }
  /** EM iterations of the kept initialisation. */
  get nIter(): number { return this.fitted('nIter').nIter; }
  /** Whether the kept initialisation converged (its lower bound changed by less than tol). */
  get converged(): boolean { return this.fitted('converged').converged; }
  /** Which initialisation was kept (0-based; 0 for fitFrom). */
  get bestInit(): number { return this.fitted('bestInit').bestInit; }
  /** Number of features d seen by the fit. */
  get nFeatures(): number { return this.fitted('nFeatures').nFeatures; }

  /** Fits the mixture to X [nSamples, nFeatures] (k-means initialisations, then EM); returns `this`. */
  fit(X: SampleMatrix): this {
    return runSync(this[fitSteps](X, null));
  }

  /** {@link fit} off the event loop; resolves to `this`. X must not be modified until the Promise settles. */
  fitAsync(X: SampleMatrix): Promise<this> {
    return runAsync(this[fitSteps](X, null));
  }

  /** EM on X from the given parameters (one run; `nInit` and `seed` do not apply); returns `this`. */
  fitFrom(X: SampleMatrix, start: GaussianMixtureStart): this {
    return runSync(this[fitSteps](X, start));
  }

  /** {@link fitFrom} off the event loop; resolves to `this`. */
  fitFromAsync(X: SampleMatrix, start: GaussianMixtureStart): Promise<this> {
    return runAsync(this[fitSteps](X, start));
  }

  /** @internal The fit as one native step, shared by the sync and async forms. */
  *[fitSteps](X: SampleMatrix, start: GaussianMixtureStart | null): Steps<this> {
    const what = start ? 'GaussianMixture.fitFrom' : 'GaussianMixture.fit';
    const samples = toSamples(X, what);
    if (samples.nSamples < this.nComponents) {
      throw new PolymorphError('E_VALUE', `${what}: expected nSamples >= nComponents, got nComponents = ${this.nComponents}, nSamples = ${samples.nSamples}`);
    }
    const native = start ? this.startOf(start, samples.nFeatures) : null;
    const options = this.nativeOptions();
    const fit = yield* step({ run: () => mixtureFit(samples, options, native), runAsync: () => mixtureFitAsync(samples, options, native) });
    this.state = { ...fit, nFeatures: samples.nFeatures };
    return this;
  }

  /** The most likely component of each sample, argmax_k π_k N(x | k): Int32Array [nSamples]. */
  predict(X: SampleMatrix): Int32Array {
    return this.scores(X, 'predict', { labels: true }).labels!;
  }

  /** Responsibilities p(k | x) [nSamples, K]; each row sums to 1. */
  predictProba(X: SampleMatrix): NdArray<Float64Array> {
    const r = this.scores(X, 'predictProba', { proba: true });
    return shaped(r.proba!, [r.proba!.length / this.nComponents, this.nComponents]);
  }

  /** log p(x) of each sample: Float64Array [nSamples] (log of a density in units of X^−d). */
  scoreSamples(X: SampleMatrix): Float64Array {
    return this.scores(X, 'scoreSamples', { logProb: true }).logProb!;
  }

  /** Mean log-likelihood per sample, mean_n log p(x_n). */
  score(X: SampleMatrix): number {
    return this.scores(X, 'score', {}).mean;
  }

  /** Bayesian information criterion −2 N score(X) + p ln N (p = free parameters); lower is better. */
  bic(X: SampleMatrix): number {
    const s = toSamples(X, 'GaussianMixture.bic', this.fitted('bic').nFeatures);
    return -2 * this.scoresOf(s, 'bic', {}).mean * s.nSamples + this.nParameters() * Math.log(s.nSamples);
  }

  /** Akaike information criterion −2 N score(X) + 2p; lower is better. */
  aic(X: SampleMatrix): number {
    const s = toSamples(X, 'GaussianMixture.aic', this.fitted('aic').nFeatures);
    return -2 * this.scoresOf(s, 'aic', {}).mean * s.nSamples + 2 * this.nParameters();
  }

  /** Options and learned state as plain JSON (doubles exact); {@link GaussianMixture.fromJSON} reads it back. */
  toJSON(): GaussianMixtureJSON {
    const s = this.state;
    return {
      type: 'GaussianMixture', version: 1, options: this.options(),
      fitted: s && {
        nFeatures: s.nFeatures, weights: encodeDoubles(s.weights), means: encodeDoubles(s.means), covariances: encodeDoubles(s.covariances),
        precisionsCholesky: encodeDoubles(s.precisionsCholesky), lowerBound: encodeDouble(s.lowerBound), lowerBounds: encodeDoubles(s.lowerBounds),
        nIter: s.nIter, converged: s.converged, bestInit: s.bestInit,
      },
    };
  }

  /** The model {@link toJSON} wrote (also after `JSON.stringify`/`JSON.parse`); `E_VALUE` for anything else. */
  static fromJSON(json: unknown): GaussianMixture {
    const what = 'GaussianMixture.fromJSON';
    const { options, fitted } = readFrame(json, 'GaussianMixture');
    const o = checkOptions(fieldsOf(options, `${what}: options`), OPTION_KEYS, `${what}: options`);
    const model = new GaussianMixture({
      nComponents: decodeCount(o.nComponents, `${what}: options.nComponents`),
      covarianceType: o.covarianceType as CovarianceType,
      nInit: decodeCount(o.nInit, `${what}: options.nInit`),
      maxIter: decodeCount(o.maxIter, `${what}: options.maxIter`),
      tol: decodeDouble(o.tol, `${what}: options.tol`),
      regCovar: decodeDouble(o.regCovar, `${what}: options.regCovar`),
      seed: decodeCount(o.seed, `${what}: options.seed`),
    });
    if (fitted) {
      const K = model.nComponents;
      const d = decodeCount(fitted.nFeatures, `${what}: fitted.nFeatures`);
      if (d < 1) throw new PolymorphError('E_VALUE', `${what}: fitted.nFeatures must be >= 1`);
      const size = K * (model.covarianceType === 'full' ? d * d : d);
      const nIter = decodeCount(fitted.nIter, `${what}: fitted.nIter`);
      model.state = {
        nFeatures: d,
        weights: decodeDoubles(fitted.weights, `${what}: fitted.weights`, K),
        means: decodeDoubles(fitted.means, `${what}: fitted.means`, K * d),
        covariances: decodeDoubles(fitted.covariances, `${what}: fitted.covariances`, size),
        precisionsCholesky: decodeDoubles(fitted.precisionsCholesky, `${what}: fitted.precisionsCholesky`, size),
        lowerBound: decodeDouble(fitted.lowerBound, `${what}: fitted.lowerBound`),
        lowerBounds: decodeDoubles(fitted.lowerBounds, `${what}: fitted.lowerBounds`, nIter),
        nIter,
        converged: decodeBoolean(fitted.converged, `${what}: fitted.converged`),
        bestInit: decodeCount(fitted.bestInit, `${what}: fitted.bestInit`),
      };
    }
    return model;
  }

  /** Two lines for `console.log`: the options and a summary of the fit (no arrays). */
  [inspect.custom](): string {
    const s = this.state;
    return summary('GaussianMixture', this.options(), s && `${this.nComponents} components in ${s.nFeatures} features, weights ${Array.from(s.weights, short).join(' ')}, lower bound ${short(s.lowerBound)} after ${s.nIter} EM iterations (${s.converged ? 'converged' : 'not converged'})`);
  }

  /** Same as the inspect summary. */
  toString(): string {
    return this[inspect.custom]();
  }

  private options(): Required<GaussianMixtureOptions> {
    return {
      nComponents: this.nComponents, covarianceType: this.covarianceType, nInit: this.nInit, maxIter: this.maxIter, tol: this.tol,
      regCovar: this.regCovar, seed: this.seed,
    };
  }

  private nativeOptions(): NativeMixtureOptions {
    return {
      nComponents: this.nComponents, diag: this.covarianceType === 'diag', nInit: this.nInit, maxIter: this.maxIter, tol: this.tol,
      regCovar: this.regCovar, seed: this.seed,
    };
  }

  /** Free parameters: K·d(d+1)/2 (full) or K·d (diag) covariance entries, K·d means, K − 1 weights. */
  private nParameters(): number {
    const K = this.nComponents, d = this.fitted('nParameters').nFeatures;
    return K * (this.covarianceType === 'full' ? (d * (d + 1)) / 2 : d) + K * d + K - 1;
  }

  private shapeOf(s: Fitted): number[] {
    return this.covarianceType === 'full' ? [this.nComponents, s.nFeatures, s.nFeatures] : [this.nComponents, s.nFeatures];
  }

  private startOf(start: GaussianMixtureStart, d: number): NativeMixtureStart {
    const what = 'GaussianMixture.fitFrom';
    const s = checkOptions(start, START_KEYS, `${what}: start`);
    const K = this.nComponents;
    for (const key of START_KEYS) if (s[key] === undefined) throw new PolymorphError('E_VALUE', `${what}: start.${key} is required`);
    const weights = toWeights(s.weights, K, `${what}: start.weights`);
    const means = toRows(s.means, K, d, `${what}: start.means`);
    let covariances: Float64Array;
    if (this.covarianceType === 'full') {
      covariances = toStack(s.covariances, K, d, `${what}: start.covariances`);
      checkSymmetric(covariances, K, d, `${what}: start.covariances`);
    } else {
      covariances = toRows(s.covariances, K, d, `${what}: start.covariances`);
    }
    return { weights, means, covariances };
  }

  private scores(X: SampleMatrix, method: string, want: { logProb?: boolean; proba?: boolean; labels?: boolean }): NativeMixtureScores {
    return this.scoresOf(toSamples(X, `GaussianMixture.${method}`, this.fitted(method).nFeatures), method, want);
  }

  private scoresOf(samples: Samples, method: string, want: { logProb?: boolean; proba?: boolean; labels?: boolean }): NativeMixtureScores {
    const s = this.fitted(method);
    const model: NativeMixtureModel = {
      nComponents: this.nComponents, nFeatures: s.nFeatures, diag: this.covarianceType === 'diag', weights: s.weights, means: s.means,
      precisionsCholesky: s.precisionsCholesky,
    };
    return mixtureScore(samples, model, want);
  }

  private fitted(attribute: string): Fitted {
    if (this.state === null) {
      throw new PolymorphError('E_NOT_FITTED', `GaussianMixture.${attribute}: this GaussianMixture is not fitted yet; call fit(X) or await fitAsync(X) first`);
    }
    return this.state;
  }
}

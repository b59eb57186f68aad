/**
 * LassoLars: the Lasso fitted by least-angle regression, reproducing scikit-learn 1.2.1
 * `LassoLars` (precompute='auto', eps = machine epsilon, fit_path=True, normalize=False).
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { inspect } from 'util';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import {
  decodeBoolean, decodeCount, decodeDouble, decodeDoubles, decodeIndices, encodeDouble, encodeDoubles, type EstimatorJSON,
  fieldsOf, type JsonDouble, readFrame,
} from './estimator-json';
import { nonZero, notFitted, short, summary } from './estimator';
import {
  checkCommon, type DesignMatrix, interceptOf, larsStep, linearPredict, type NativeLarsOptions, type NativeLarsResult,
  pathMatrix, pathRow, toDesign, toTarget,
} from './lars-native';
import { fitSteps, runAsync, runSync, type Steps } from './steps';

/** Options of {@link LassoLars}. */
export interface LassoLarsOptions {
  /** Regularisation α ≥ 0 of (1/2n)‖y − Xw − b‖² + α‖w‖₁ (in units of y² per unit of |w|·x). */
  alpha: number;
  /** Fit an intercept b by centring X and y first (default true). */
  fitIntercept?: boolean;
  /** Constrain every coefficient to w ≥ 0 (default false). */
  positive?: boolean;
  /** Largest number of LARS steps (default 500). */
  maxIter?: number;
}

const OPTION_KEYS = ['alpha', 'fitIntercept', 'positive', 'maxIter'] as const;

/** The learned state of {@link LassoLars} in JSON (see {@link LassoLars.toJSON}). */
export interface LassoLarsFittedJSON {
  nFeatures: number;
  coef: JsonDouble[];
  intercept: JsonDouble;
  alphas: JsonDouble[];
  active: number[];
  /** The path [nFeatures, nAlphas], row-major. */
  coefPath: JsonDouble[];
  nIter: number;
  earlyStop: boolean;
}

/** What {@link LassoLars.toJSON} writes: options and, once fitted, the learned state. */
export type LassoLarsJSON = EstimatorJSON<'LassoLars', Required<LassoLarsOptions>, LassoLarsFittedJSON>;

interface Fitted {
  coef: Float64Array;
  intercept: number;
  alphas: Float64Array;
  active: Int32Array;
  coefPath: NdArray<Float64Array>;
  nIter: number;
  earlyStop: boolean;
}

/**
 * Lasso linear model fitted along the LARS path down to `alpha`:
 *
 *   minimise (1/2n) ‖y − X w − b‖² + α ‖w‖₁
 *
 * Same result as scikit-learn 1.2.1 `LassoLars(alpha, fit_intercept, positive=positive,
 * max_iter)` (coefficients to ~1e-15 on well-conditioned data). The path is computed in C++
 * (Gram matrix XᵀX of the centred data, Cholesky updates); see `shared/specs/plip-lassolars.md`.
 *
 * As in scikit-learn, options are fixed in the constructor (unknown keys are `E_VALUE`), `fit`
 * returns `this`, and the learned attributes — `coef` [nFeatures], `intercept`, the breakpoints
 * `alphas` [nAlphas] (descending), `coefPath` [nFeatures, nAlphas] (column k = w at alphas[k];
 * the last column is `coef`), `active` (feature indices in the active set at the end, in order of
 * entry), `nIter` (LARS steps), `earlyStop`, `nFeatures` — are read-only and throw
 * `E_NOT_FITTED` before `fit` (as does `predict`). They are the model's own arrays: copy before
 * modifying. `toJSON`/`fromJSON` round-trip the model exactly (the same `predict` bits).
 *
 * @example
 * ```ts
 * const model = new LassoLars({ alpha: 0.01 }).fit(X, y);   // X: [n, p], y: [n]
 * const yHat = model.predict(X);
 * const same = LassoLars.fromJSON(JSON.parse(JSON.stringify(model)));
 * await new LassoLars({ alpha: 0.01 }).fitAsync(X, y);       // off the event loop
 * ```
 */
export class LassoLars {
  /** Regularisation α ≥ 0 (units of y² per unit of |w|·x). */
  readonly alpha: number;
  /** Whether an intercept is fitted (X and y centred first). */
  readonly fitIntercept: boolean;
  /** Whether the coefficients are constrained to w ≥ 0. */
  readonly positive: boolean;
  /** Largest number of LARS steps. */
  readonly maxIter: number;
  private state: Fitted | null = null;

  constructor(options: LassoLarsOptions) {
    const { alpha, fitIntercept = true, positive = false, maxIter = 500 } = checkOptions(options, OPTION_KEYS, 'LassoLars');
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
      throw new PolymorphError('E_VALUE', `LassoLars: options.alpha must be a finite number >= 0, got ${String(alpha)}`);
    }
    checkCommon('LassoLars', maxIter, fitIntercept, positive);
    this.alpha = alpha;
    this.fitIntercept = fitIntercept;
    this.positive = positive;
    this.maxIter = maxIter;
  }

  /** True once {@link fit} (or {@link fitAsync}) has succeeded. */
  get isFitted(): boolean {
    return this.state !== null;
  }

  /** Coefficients w [nFeatures] (units of y per unit of x). */
  get coef(): Float64Array { return this.fitted('coef').coef; }
  /** Intercept b = ȳ − x̄·w (units of y; 0 when fitIntercept is false). */
  get intercept(): number { return this.fitted('intercept').intercept; }
  /** Path breakpoints [nAlphas], descending; the last is `alpha` unless the path stopped earlier. */
  get alphas(): Float64Array { return this.fitted('alphas').alphas; }
  /** Indices of the active features at the end of the path, in order of entry. */
  get active(): Int32Array { return this.fitted('active').active; }
  /** Coefficients along the path [nFeatures, nAlphas]: column k holds w at alphas[k]. */
  get coefPath(): NdArray<Float64Array> { return this.fitted('coefPath').coefPath; }
  /** Number of LARS steps taken. */
  get nIter(): number { return this.fitted('nIter').nIter; }
  /** True when the path stopped because α grew between steps (round-off; scikit-learn warns). */
  get earlyStop(): boolean { return this.fitted('earlyStop').earlyStop; }
  /** Number of features (columns of X) seen by fit. */
  get nFeatures(): number { return this.fitted('nFeatures').coef.length; }

  /** Fits the model to X [nSamples, nFeatures] and y [nSamples]; returns `this`. */
  fit(X: DesignMatrix, y: ArrayLike<number>): this {
    return runSync(this[fitSteps](X, y));
  }

  /**
   * {@link fit} off the event loop (queued behind other async native jobs); resolves to `this`.
   * X and y must not be modified until the Promise settles.
   */
  fitAsync(X: DesignMatrix, y: ArrayLike<number>): Promise<this> {
    return runAsync(this[fitSteps](X, y));
  }

  /** @internal The fit as native steps, shared by {@link fit}, {@link fitAsync} and the estimators built on this one. */
  *[fitSteps](X: DesignMatrix, y: ArrayLike<number>): Steps<this> {
    const d = toDesign(X, 'LassoLars.fit');
    const target = toTarget(y, d.nSamples, 'LassoLars.fit');
    const options: NativeLarsOptions = {
      fitIntercept: this.fitIntercept, alphaMin: this.alpha, maxIter: this.maxIter, positive: this.positive, rss: false, olsRss: false,
    };
    this.state = this.learn(yield* larsStep(d, target, options), d.nFeatures);
    return this;
  }

  /** Predictions X w + b [nSamples] for X [nSamples, nFeatures]; `E_NOT_FITTED` before fit. */
  predict(X: DesignMatrix): Float64Array {
    const s = this.fitted('predict');
    return linearPredict(toDesign(X, 'LassoLars.predict', s.coef.length), s.coef, s.intercept);
  }

  /** Options and learned state as plain JSON (doubles exact); {@link LassoLars.fromJSON} reads it back. */
  toJSON(): LassoLarsJSON {
    const options = { alpha: this.alpha, fitIntercept: this.fitIntercept, positive: this.positive, maxIter: this.maxIter };
    const s = this.state;
    return {
      type: 'LassoLars', version: 1, options,
      fitted: s && {
        nFeatures: s.coef.length, coef: encodeDoubles(s.coef), intercept: encodeDouble(s.intercept), alphas: encodeDoubles(s.alphas),
        active: Array.from(s.active), coefPath: encodeDoubles(s.coefPath.data), nIter: s.nIter, earlyStop: s.earlyStop,
      },
    };
  }

  /** The model {@link toJSON} wrote (also after `JSON.stringify`/`JSON.parse`); `E_VALUE` for anything else. */
  static fromJSON(json: unknown): LassoLars {
    const what = 'LassoLars.fromJSON';
    const { options, fitted } = readFrame(json, 'LassoLars');
    const o = checkOptions(fieldsOf(options, `${what}: options`), OPTION_KEYS, `${what}: options`);
    const model = new LassoLars({
      alpha: decodeDouble(o.alpha, `${what}: options.alpha`), fitIntercept: decodeBoolean(o.fitIntercept, `${what}: options.fitIntercept`),
      positive: decodeBoolean(o.positive, `${what}: options.positive`), maxIter: decodeCount(o.maxIter, `${what}: options.maxIter`),
    });
    if (fitted) {
      const p = decodeCount(fitted.nFeatures, `${what}: fitted.nFeatures`);
      const alphas = decodeDoubles(fitted.alphas, `${what}: fitted.alphas`);
      model.state = {
        coef: decodeDoubles(fitted.coef, `${what}: fitted.coef`, p),
        intercept: decodeDouble(fitted.intercept, `${what}: fitted.intercept`),
        alphas,
        active: decodeIndices(fitted.active, `${what}: fitted.active`, p),
        coefPath: ndarray(decodeDoubles(fitted.coefPath, `${what}: fitted.coefPath`, p * alphas.length), [p, alphas.length]),
        nIter: decodeCount(fitted.nIter, `${what}: fitted.nIter`),
        earlyStop: decodeBoolean(fitted.earlyStop, `${what}: fitted.earlyStop`),
      };
    }
    return model;
  }

  /** Two lines for `console.log`: the options and a summary of the fit (no arrays). */
  [inspect.custom](): string {
    const s = this.state;
    const options = { alpha: this.alpha, fitIntercept: this.fitIntercept, positive: this.positive, maxIter: this.maxIter };
    return summary('LassoLars', options, s && `${nonZero(s.coef)}, intercept ${short(s.intercept)}, ${s.nIter} LARS steps${s.earlyStop ? ' (stopped early)' : ''}`);
  }

  /** Same as the inspect summary. */
  toString(): string {
    return this[inspect.custom]();
  }

  private fitted(attribute: string): Fitted {
    if (this.state === null) throw notFitted('LassoLars', attribute);
    return this.state;
  }

  private learn(r: NativeLarsResult, p: number): Fitted {
    const k = r.alphas.length;
    const coef = pathRow(r.coefs, p, k - 1);
    return {
      coef, intercept: this.fitIntercept ? interceptOf(r.xMean, r.yMean, coef) : 0, alphas: r.alphas, active: r.active,
      coefPath: pathMatrix(r.coefs, p, k), nIter: r.nIter, earlyStop: r.earlyStop,
    };
  }
}

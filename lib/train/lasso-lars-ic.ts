/**
 * LassoLarsIC: α chosen by the Akaike or Bayes information criterion along one LARS path, as
 * scikit-learn 1.2.1 `LassoLarsIC`.
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { inspect } from 'util';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import {
  decodeBoolean, decodeCount, decodeDouble, decodeDoubles, encodeDouble, encodeDoubles, type EstimatorJSON, fieldsOf,
  type JsonDouble, readFrame,
} from './estimator-json';
import { minimum, nonZero, notFitted, short, summary } from './estimator';
import {
  checkCommon, type DesignMatrix, interceptOf, larsStep, linearPredict, pathMatrix, pathRow, toDesign, toTarget,
} from './lars-native';
import { fitSteps, runAsync, runSync, type Steps } from './steps';

/** Options of {@link LassoLarsIC}. */
export interface LassoLarsICOptions {
  /** 'bic' (c = ln n) or 'aic' (c = 2); default 'aic' as in scikit-learn. */
  criterion?: 'bic' | 'aic';
  /** Fit an intercept (default true). */
  fitIntercept?: boolean;
  /** Constrain coefficients to w ≥ 0 (default false); the noise variance then comes from non-negative least squares, as in scikit-learn. */
  positive?: boolean;
  /** Largest number of LARS steps (default 500). */
  maxIter?: number;
  /** Noise variance σ² (units of y²); default: estimated from a least-squares fit, non-negative when `positive` (needs n > p + fitIntercept). */
  noiseVariance?: number;
}

const OPTION_KEYS = ['criterion', 'fitIntercept', 'positive', 'maxIter', 'noiseVariance'] as const;

/** The learned state of {@link LassoLarsIC} in JSON. */
export interface LassoLarsICFittedJSON {
  nFeatures: number;
  alpha: JsonDouble;
  alphas: JsonDouble[];
  criterionValues: JsonDouble[];
  noiseVariance: JsonDouble;
  coef: JsonDouble[];
  intercept: JsonDouble;
  /** [nFeatures, nAlphas], row-major. */
  coefPath: JsonDouble[];
  nIter: number;
}

/** What {@link LassoLarsIC.toJSON} writes (`options.noiseVariance` only when it was given). */
export type LassoLarsICJSON = EstimatorJSON<'LassoLarsIC', LassoLarsICOptions, LassoLarsICFittedJSON>;

interface Fitted {
  alpha: number;
  alphas: Float64Array;
  criterionValues: Float64Array;
  noiseVariance: number;
  coef: Float64Array;
  intercept: number;
  coefPath: NdArray<Float64Array>;
  nIter: number;
}

/**
 * Lasso with α chosen by an information criterion. One full path (α down to 0) is computed; at
 * each breakpoint k
 *
 *   criterion_k = n ln(2π σ²) + RSS_k / σ² + c · df_k,   df_k = #{ j : |w_kj| > ε₆₄ }
 *
 * with σ² = RSS_OLS / (n − p − fitIntercept) from ordinary least squares on the centred data
 * unless given. `alpha` = alphas[argmin], and `coef` is the path's w at that breakpoint.
 *
 * Learned attributes (read-only, `E_NOT_FITTED` before fit, like `predict`): `alpha`, `alphas`
 * [nAlphas], `criterionValues` [nAlphas] (dimensionless), `noiseVariance` (the σ² used, units
 * of y²; the given one is in `toJSON().options`), `coef` [nFeatures], `intercept`, `coefPath`
 * [nFeatures, nAlphas], `nIter`, `nFeatures`. Options are fixed in the constructor (unknown keys
 * are `E_VALUE`); `toJSON`/`fromJSON` round-trip the model exactly.
 *
 * @example
 * ```ts
 * const model = new LassoLarsIC({ criterion: 'bic' }).fit(X, y);
 * console.log(model);   // LassoLarsIC { criterion: 'bic', … } / fitted: alpha …, 7/30 coefficients non-zero, …
 * ```
 */
export class LassoLarsIC {
  /** The information criterion, 'aic' or 'bic'. */
  readonly criterion: 'bic' | 'aic';
  /** Whether an intercept is fitted. */
  readonly fitIntercept: boolean;
  /** Whether the coefficients are constrained to w ≥ 0. */
  readonly positive: boolean;
  /** Largest number of LARS steps. */
  readonly maxIter: number;
  private readonly givenVariance: number | undefined;
  private state: Fitted | null = null;

  constructor(options: LassoLarsICOptions = {}) {
    const { criterion = 'aic', fitIntercept = true, positive = false, maxIter = 500, noiseVariance } = checkOptions(options, OPTION_KEYS, 'LassoLarsIC');
    if (criterion !== 'aic' && criterion !== 'bic') throw new PolymorphError('E_VALUE', `LassoLarsIC: criterion must be 'aic' or 'bic', got ${String(criterion)}`);
    checkCommon('LassoLarsIC', maxIter, fitIntercept, positive);
    if (noiseVariance !== undefined && !(typeof noiseVariance === 'number' && Number.isFinite(noiseVariance) && noiseVariance > 0)) {
      throw new PolymorphError('E_VALUE', `LassoLarsIC: noiseVariance must be a finite number > 0, got ${String(noiseVariance)}`);
    }
    this.criterion = criterion;
    this.fitIntercept = fitIntercept;
    this.positive = positive;
    this.maxIter = maxIter;
    this.givenVariance = noiseVariance;
  }

  /** True once {@link fit} (or {@link fitAsync}) has succeeded. */
  get isFitted(): boolean {
    return this.state !== null;
  }

  /** α at the minimum of the criterion. */
  get alpha(): number { return this.fitted('alpha').alpha; }
  /** Path breakpoints [nAlphas] (descending, ending at 0 unless maxIter stopped the path). */
  get alphas(): Float64Array { return this.fitted('alphas').alphas; }
  /** The criterion at each breakpoint [nAlphas]. */
  get criterionValues(): Float64Array { return this.fitted('criterionValues').criterionValues; }
  /** The σ² the fit used (units of y²): `options.noiseVariance` when given, else the least-squares estimate. */
  get noiseVariance(): number { return this.fitted('noiseVariance').noiseVariance; }
  /** Coefficients w [nFeatures] at `alpha`. */
  get coef(): Float64Array { return this.fitted('coef').coef; }
  /** Intercept b = ȳ − x̄·w (units of y; 0 when fitIntercept is false). */
  get intercept(): number { return this.fitted('intercept').intercept; }
  /** Coefficients along the path [nFeatures, nAlphas]. */
  get coefPath(): NdArray<Float64Array> { return this.fitted('coefPath').coefPath; }
  /** LARS steps taken. */
  get nIter(): number { return this.fitted('nIter').nIter; }
  /** Number of features (columns of X) seen by fit. */
  get nFeatures(): number { return this.fitted('nFeatures').coef.length; }

  /** Fits the path to X [nSamples, nFeatures], y [nSamples] and picks α; returns `this`. */
  fit(X: DesignMatrix, y: ArrayLike<number>): this {
    return runSync(this[fitSteps](X, y));
  }

  /** {@link fit} off the event loop (one queued native path); X and y must not be modified until it settles. */
  fitAsync(X: DesignMatrix, y: ArrayLike<number>): Promise<this> {
    return runAsync(this[fitSteps](X, y));
  }

  /** @internal The fit as native steps (see `steps.ts`). */
  *[fitSteps](X: DesignMatrix, y: ArrayLike<number>): Steps<this> {
    const d = toDesign(X, 'LassoLarsIC.fit');
    const target = toTarget(y, d.nSamples, 'LassoLarsIC.fit');
    const n = d.nSamples;
    const p = d.nFeatures;
    const given = this.givenVariance;
    const dof = n - p - (this.fitIntercept ? 1 : 0);
    if (given === undefined && dof <= 0) {
      throw new PolymorphError('E_VALUE', `LassoLarsIC: estimating the noise variance needs nSamples > nFeatures + ${this.fitIntercept ? 1 : 0}, got ${n} samples and ${p} features; give noiseVariance`);
    }
    const r = yield* larsStep(d, target, {
      fitIntercept: this.fitIntercept, alphaMin: 0, maxIter: this.maxIter, positive: this.positive, rss: true, olsRss: given === undefined,
    });
    if (r.rss === undefined || (given === undefined && r.olsRss === undefined)) throw new PolymorphError('E_NATIVE', 'LassoLarsIC: the native path returned no residual sums of squares');
    const sigma2 = given ?? (r.olsRss ?? NaN) / dof;
    const k = r.alphas.length;
    const factor = this.criterion === 'aic' ? 2 : Math.log(n);
    const criterionValues = new Float64Array(k);
    for (let q = 0; q < k; ++q) {
      let df = 0;
      for (let j = 0; j < p; ++j) if (Math.abs(r.coefs[q * p + j]) > Number.EPSILON) ++df;
      criterionValues[q] = n * Math.log(2 * Math.PI * sigma2) + r.rss[q] / sigma2 + factor * df;
    }
    let best = 0;
    for (let q = 1; q < k; ++q) if (criterionValues[q] < criterionValues[best]) best = q;
    const coef = pathRow(r.coefs, p, best);
    this.state = {
      alpha: r.alphas[best], alphas: r.alphas, criterionValues, noiseVariance: sigma2, coef,
      intercept: this.fitIntercept ? interceptOf(r.xMean, r.yMean, coef) : 0, coefPath: pathMatrix(r.coefs, p, k), nIter: r.nIter,
    };
    return this;
  }

  /** Predictions X w + b [nSamples] for X [nSamples, nFeatures]; `E_NOT_FITTED` before fit. */
  predict(X: DesignMatrix): Float64Array {
    const s = this.fitted('predict');
    return linearPredict(toDesign(X, 'LassoLarsIC.predict', s.coef.length), s.coef, s.intercept);
  }

  /** Options and learned state as plain JSON (doubles exact); {@link LassoLarsIC.fromJSON} reads it back. */
  toJSON(): LassoLarsICJSON {
    const s = this.state;
    return {
      type: 'LassoLarsIC', version: 1, options: this.options(),
      fitted: s && {
        nFeatures: s.coef.length, alpha: encodeDouble(s.alpha), alphas: encodeDoubles(s.alphas), criterionValues: encodeDoubles(s.criterionValues),
        noiseVariance: encodeDouble(s.noiseVariance), coef: encodeDoubles(s.coef), intercept: encodeDouble(s.intercept),
        coefPath: encodeDoubles(s.coefPath.data), nIter: s.nIter,
      },
    };
  }

  /** The estimator {@link toJSON} wrote (also after `JSON.stringify`/`JSON.parse`); `E_VALUE` for anything else. */
  static fromJSON(json: unknown): LassoLarsIC {
    const what = 'LassoLarsIC.fromJSON';
    const { options, fitted } = readFrame(json, 'LassoLarsIC');
    const o = checkOptions(fieldsOf(options, `${what}: options`), OPTION_KEYS, `${what}: options`);
    if (o.criterion !== 'aic' && o.criterion !== 'bic') throw new PolymorphError('E_VALUE', `${what}: options.criterion must be 'aic' or 'bic'`);
    const ic = new LassoLarsIC({
      criterion: o.criterion, fitIntercept: decodeBoolean(o.fitIntercept, `${what}: options.fitIntercept`),
      positive: decodeBoolean(o.positive, `${what}: options.positive`), maxIter: decodeCount(o.maxIter, `${what}: options.maxIter`),
      noiseVariance: o.noiseVariance === undefined ? undefined : decodeDouble(o.noiseVariance, `${what}: options.noiseVariance`),
    });
    if (fitted) {
      const p = decodeCount(fitted.nFeatures, `${what}: fitted.nFeatures`);
      const alphas = decodeDoubles(fitted.alphas, `${what}: fitted.alphas`);
      ic.state = {
        alpha: decodeDouble(fitted.alpha, `${what}: fitted.alpha`), alphas,
        criterionValues: decodeDoubles(fitted.criterionValues, `${what}: fitted.criterionValues`, alphas.length),
        noiseVariance: decodeDouble(fitted.noiseVariance, `${what}: fitted.noiseVariance`),
        coef: decodeDoubles(fitted.coef, `${what}: fitted.coef`, p), intercept: decodeDouble(fitted.intercept, `${what}: fitted.intercept`),
        coefPath: ndarray(decodeDoubles(fitted.coefPath, `${what}: fitted.coefPath`, p * alphas.length), [p, alphas.length]),
        nIter: decodeCount(fitted.nIter, `${what}: fitted.nIter`),
      };
    }
    return ic;
  }

  /** Two lines for `console.log`: the options and a summary of the fit (no arrays). */
  [inspect.custom](): string {
    const s = this.state;
    return summary('LassoLarsIC', this.options(), s && `alpha ${short(s.alpha)} (${this.criterion} ${short(minimum(s.criterionValues))}), `
      + `noise variance ${short(s.noiseVariance)}, ${nonZero(s.coef)}, intercept ${short(s.intercept)}`);
  }

  /** Same as the inspect summary. */
  toString(): string {
    return this[inspect.custom]();
  }

  private options(): LassoLarsICOptions {
    const o: LassoLarsICOptions = { criterion: this.criterion, fitIntercept: this.fitIntercept, positive: this.positive, maxIter: this.maxIter };
    if (this.givenVariance !== undefined) o.noiseVariance = this.givenVariance;
    return o;
  }

  private fitted(attribute: string): Fitted {
    if (this.state === null) throw notFitted('LassoLarsIC', attribute);
    return this.state;
  }
}

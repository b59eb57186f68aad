/**
 * LassoLarsIC: α chosen by the Akaike or Bayes information criterion along one LARS path, as
 * scikit-learn 1.2.1 `LassoLarsIC`.
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';
import {
  checkCommon, DesignMatrix, interceptOf, larsPath, linearPredict, pathMatrix, pathRow, toDesign, toTarget,
} from './lars-native';

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

/**
 * Lasso with α chosen by an information criterion. One full path (α down to 0) is computed; at
 * each breakpoint k
 *
 *   criterion_k = n ln(2π σ²) + RSS_k / σ² + c · df_k,   df_k = #{ j : |w_kj| > ε₆₄ }
 *
 * with σ² = RSS_OLS / (n − p − fitIntercept) from ordinary least squares on the centred data
 * unless given. `alpha` = alphas[argmin], and `coef` is the path's w at that breakpoint.
 *
 * After {@link fit}: `alpha`, `alphas` [nAlphas], `criterionValues` [nAlphas], `noiseVariance`,
 * `coef` [nFeatures], `intercept`, `coefPath` [nFeatures, nAlphas], `nIter`.
 *
 * @example
 * ```ts
 * const model = new LassoLarsIC({ criterion: 'bic' }).fit(X, y);
 * ```
 */
export class LassoLarsIC {
  readonly criterion: 'bic' | 'aic';
  readonly fitIntercept: boolean;
  readonly positive: boolean;
  readonly maxIter: number;
  /** The σ² given in the options, or the OLS estimate after fit. */
  noiseVariance: number;
  /** α at the minimum of the criterion. */
  alpha = NaN;
  /** Path breakpoints [nAlphas] (descending, ending at 0). */
  alphas: Float64Array = new Float64Array(0);
  /** The criterion at each breakpoint [nAlphas]. */
  criterionValues: Float64Array = new Float64Array(0);
  /** Coefficients w [nFeatures] at `alpha`. */
  coef: Float64Array = new Float64Array(0);
  /** Intercept b = ȳ − x̄·w. */
  intercept = 0;
  /** Coefficients along the path [nFeatures, nAlphas]. */
  coefPath: NdArray<Float64Array> = ndarray(new Float64Array(0), [0, 0]);
  /** LARS steps taken. */
  nIter = 0;
  private readonly givenVariance: boolean;

  constructor(options: LassoLarsICOptions = {}) {
    const { criterion = 'aic', fitIntercept = true, positive = false, maxIter = 500, noiseVariance } = options;
    if (criterion !== 'aic' && criterion !== 'bic') throw new PolymorphError('E_VALUE', `LassoLarsIC: criterion must be 'aic' or 'bic', got ${String(criterion)}`);
    checkCommon('LassoLarsIC', maxIter, fitIntercept, positive);
    if (noiseVariance !== undefined && !(Number.isFinite(noiseVariance) && noiseVariance > 0)) {
      throw new PolymorphError('E_VALUE', `LassoLarsIC: noiseVariance must be a finite number > 0, got ${noiseVariance}`);
    }
    this.criterion = criterion;
    this.fitIntercept = fitIntercept;
    this.positive = positive;
    this.maxIter = maxIter;
    this.noiseVariance = noiseVariance ?? NaN;
    this.givenVariance = noiseVariance !== undefined;
  }

  /** Fits the path to X [nSamples, nFeatures], y [nSamples] and picks α; returns `this`. */
  fit(X: DesignMatrix, y: ArrayLike<number>): this {
    const d = toDesign(X, 'LassoLarsIC.fit');
    const target = toTarget(y, d.nSamples, 'LassoLarsIC.fit');
    const n = d.nSamples;
    const p = d.nFeatures;
    const dof = n - p - (this.fitIntercept ? 1 : 0);
    if (!this.givenVariance && dof <= 0) {
      throw new PolymorphError('E_VALUE', `LassoLarsIC: estimating the noise variance needs nSamples > nFeatures + ${this.fitIntercept ? 1 : 0}, got ${n} samples and ${p} features; give noiseVariance`);
    }
    const r = larsPath(d, target, {
      fitIntercept: this.fitIntercept, alphaMin: 0, maxIter: this.maxIter, positive: this.positive, rss: true, olsRss: !this.givenVariance,
    });
    if (!this.givenVariance) this.noiseVariance = (r.olsRss as number) / dof;
    const k = r.alphas.length;
    const factor = this.criterion === 'aic' ? 2 : Math.log(n);
    const rss = r.rss as Float64Array;
    const sigma2 = this.noiseVariance;
    this.criterionValues = new Float64Array(k);
    for (let q = 0; q < k; ++q) {
      let df = 0;
      for (let j = 0; j < p; ++j) if (Math.abs(r.coefs[q * p + j]) > Number.EPSILON) ++df;
      this.criterionValues[q] = n * Math.log(2 * Math.PI * sigma2) + rss[q] / sigma2 + factor * df;
    }
    let best = 0;
    for (let q = 1; q < k; ++q) if (this.criterionValues[q] < this.criterionValues[best]) best = q;
    this.alphas = r.alphas;
    this.alpha = r.alphas[best];
    this.nIter = r.nIter;
    this.coefPath = pathMatrix(r.coefs, p, k);
    this.coef = pathRow(r.coefs, p, best);
    this.intercept = this.fitIntercept ? interceptOf(r.xMean, r.yMean, this.coef) : 0;
    return this;
  }

  /** Predictions X w + b [nSamples] for X [nSamples, nFeatures]. */
  predict(X: DesignMatrix): Float64Array {
    if (this.coef.length === 0) throw new PolymorphError('E_VALUE', 'LassoLarsIC: call fit() before predict()');
    return linearPredict(toDesign(X, 'LassoLarsIC.predict', this.coef.length), this.coef, this.intercept);
  }
}

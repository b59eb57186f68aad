/**
 * LassoLars: the Lasso fitted by least-angle regression, reproducing scikit-learn 1.2.1
 * `LassoLars` (precompute='auto', eps = machine epsilon, fit_path=True, normalize=False).
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';
import {
  checkCommon, Design, DesignMatrix, interceptOf, larsPath, larsPathAsync, linearPredict, NativeLarsOptions,
  NativeLarsResult, pathMatrix, pathRow, toDesign, toTarget,
} from './lars-native';

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

/**
 * Lasso linear model fitted along the LARS path down to `alpha`:
 *
 *   minimise (1/2n) ‖y − X w − b‖² + α ‖w‖₁
 *
 * Same result as scikit-learn 1.2.1 `LassoLars(alpha, fit_intercept, positive=positive,
 * max_iter)` (coefficients to ~1e-15 on well-conditioned data). The path is computed in C++
 * (Gram matrix XᵀX of the centred data, Cholesky updates); see `shared/specs/plip-lassolars.md`.
 *
 * After {@link fit}: `coef` [nFeatures], `intercept`, the breakpoints `alphas` [nAlphas] (descending),
 * `coefPath` [nFeatures, nAlphas] (column k = w at alphas[k]; the last column is `coef`), `active`
 * (feature indices in the active set at the end, in order of entry), `nIter` (LARS steps).
 *
 * @example
 * ```ts
 * const model = new LassoLars({ alpha: 0.01 }).fit(X, y);   // X: [n, p], y: [n]
 * const yHat = model.predict(X);
 * ```
 */
export class LassoLars {
  readonly alpha: number;
  readonly fitIntercept: boolean;
  readonly positive: boolean;
  readonly maxIter: number;
  /** Coefficients w [nFeatures] (empty before fit). */
  coef: Float64Array = new Float64Array(0);
  /** Intercept b = ȳ − x̄·w (0 when fitIntercept is false). */
  intercept = 0;
  /** Path breakpoints [nAlphas], descending; the last is `alpha` unless the path stopped earlier. */
  alphas: Float64Array = new Float64Array(0);
  /** Indices of the active features at the end of the path, in order of entry. */
  active: Int32Array = new Int32Array(0);
  /** Coefficients along the path [nFeatures, nAlphas]: column k holds w at alphas[k]. */
  coefPath: NdArray<Float64Array> = ndarray(new Float64Array(0), [0, 0]);
  /** Number of LARS steps taken. */
  nIter = 0;
  /** True when the path stopped because α grew between steps (round-off; sklearn warns). */
  earlyStop = false;

  constructor(options: LassoLarsOptions) {
    if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'LassoLars: options must be an object with alpha');
    const { alpha, fitIntercept = true, positive = false, maxIter = 500 } = options;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) {
      throw new PolymorphError('E_VALUE', `LassoLars: alpha must be a finite number >= 0, got ${String(alpha)}`);
    }
    checkCommon('LassoLars', maxIter, fitIntercept, positive);
    this.alpha = alpha;
    this.fitIntercept = fitIntercept;
    this.positive = positive;
    this.maxIter = maxIter;
  }

  /** Fits the model to X [nSamples, nFeatures] and y [nSamples]; returns `this`. */
  fit(X: DesignMatrix, y: ArrayLike<number>): this {
    const [d, target] = this.inputs(X, y);
    return this.accept(larsPath(d, target, this.nativeOptions()), d.nFeatures);
  }

  /** {@link fit} off the event loop. X and y must not be modified until the Promise settles. */
  async fitAsync(X: DesignMatrix, y: ArrayLike<number>): Promise<this> {
    const [d, target] = this.inputs(X, y);
    return this.accept(await larsPathAsync(d, target, this.nativeOptions()), d.nFeatures);
  }

  /** Predictions X w + b [nSamples] for X [nSamples, nFeatures]. */
  predict(X: DesignMatrix): Float64Array {
    if (this.coef.length === 0) throw new PolymorphError('E_VALUE', 'LassoLars: call fit() before predict()');
    return linearPredict(toDesign(X, 'LassoLars.predict', this.coef.length), this.coef, this.intercept);
  }

  private inputs(X: DesignMatrix, y: ArrayLike<number>): [Design, Float64Array] {
    const d = toDesign(X, 'LassoLars.fit');
    return [d, toTarget(y, d.nSamples, 'LassoLars.fit')];
  }

  private nativeOptions(): NativeLarsOptions {
    return { fitIntercept: this.fitIntercept, alphaMin: this.alpha, maxIter: this.maxIter, positive: this.positive, rss: false, olsRss: false };
  }

  private accept(r: NativeLarsResult, p: number): this {
    const k = r.alphas.length;
    this.alphas = r.alphas;
    this.active = r.active;
    this.nIter = r.nIter;
    this.earlyStop = r.earlyStop;
    this.coefPath = pathMatrix(r.coefs, p, k);
    this.coef = pathRow(r.coefs, p, k - 1);
    this.intercept = this.fitIntercept ? interceptOf(r.xMean, r.yMean, this.coef) : 0;
    return this;
  }
}

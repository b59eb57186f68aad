/**
 * LassoLarsCV: α chosen by K-fold cross-validation over the merged LARS breakpoints, as
 * scikit-learn 1.2.1 `LassoLarsCV` (cv=K → KFold(K) without shuffling, max_n_alphas; with
 * sample groups, cv=GroupKFold(K)).
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { inspect } from 'util';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { cvScores, type FoldPath, groupKFold, kFoldLabels } from './cv-mse';
import {
  decodeBoolean, decodeCount, decodeDouble, decodeDoubles, encodeDouble, encodeDoubles, type EstimatorJSON, fieldsOf,
  type JsonDouble, readFrame,
} from './estimator-json';
import { minimum, nonZero, notFitted, short, summary } from './estimator';
import { checkCommon, type Design, type DesignMatrix, larsStep, toDesign, toTarget } from './lars-native';
import { LassoLars, type LassoLarsJSON } from './lasso-lars';
import { fitSteps, runAsync, runSync, type Steps } from './steps';

export { groupKFold, kFold } from './cv-mse';

/** Options of {@link LassoLarsCV}. */
export interface LassoLarsCVOptions {
  /** Number of folds K (contiguous blocks of rows, no shuffling, or whole groups when `fit` gets groups; 2 ≤ K ≤ nSamples; default 5). */
  cv?: number;
  /** Fit an intercept (centre X and y on each training fold; default true). */
  fitIntercept?: boolean;
  /** Constrain coefficients to w ≥ 0 (default false). */
  positive?: boolean;
  /** Largest number of LARS steps per path (default 500). */
  maxIter?: number;
  /** At most this many α values on the merged grid (every stride-th; default 1000). */
  maxNAlphas?: number;
}

const OPTION_KEYS = ['cv', 'fitIntercept', 'positive', 'maxIter', 'maxNAlphas'] as const;

/** The learned state of {@link LassoLarsCV} in JSON. */
export interface LassoLarsCVFittedJSON {
  alpha: JsonDouble;
  cvAlphas: JsonDouble[];
  /** [nGrid, cv], row-major. */
  msePath: JsonDouble[];
  mseMean: JsonDouble[];
  /** The refitted model. */
  model: LassoLarsJSON;
}

/** What {@link LassoLarsCV.toJSON} writes. */
export type LassoLarsCVJSON = EstimatorJSON<'LassoLarsCV', Required<LassoLarsCVOptions>, LassoLarsCVFittedJSON>;

interface Fitted {
  alpha: number;
  cvAlphas: Float64Array;
  msePath: NdArray<Float64Array>;
  mseMean: Float64Array;
  model: LassoLars;
}

/**
 * Cross-validated LassoLars. For each of K folds, the full Lasso path (α down to 0) is fitted on
 * the other folds and the held-out residuals are interpolated linearly in α onto the merged,
 * sorted breakpoints of all folds; `alpha` minimises the mean over folds of the held-out MSE, and
 * the model is refitted on all data at that α.
 *
 * Folds: K contiguous blocks of rows (scikit-learn's KFold without shuffling: shuffle ordered rows
 * yourself), or, when `fit` is given `groups` (one label per row), scikit-learn's GroupKFold(K):
 * rows with the same label are always in the same fold (e.g. all the energy and force rows of one
 * structure), groups assigned largest first to the fold with the fewest rows so far (ties: first
 * appearance, so the row order decides ties). Held-out and training rows keep their order in X.
 *
 * Learned attributes (read-only, `E_NOT_FITTED` before fit, like `predict`): `alpha`,
 * `cvAlphas` [nGrid] (ascending), `msePath` [nGrid, K] (units of y²), `mseMean` [nGrid], the
 * refitted `model` (a {@link LassoLars}) and its `coef`, `intercept`, `alphas`, `active`,
 * `coefPath`, `nIter`, `nFeatures`. Options are fixed in the constructor (unknown keys are
 * `E_VALUE`); `toJSON`/`fromJSON` round-trip the model exactly.
 *
 * @example
 * ```ts
 * const model = new LassoLarsCV({ cv: 5 }).fit(X, y);
 * console.log(model.alpha, model.coef);
 * const again = await new LassoLarsCV({ cv: 5 }).fitAsync(X, y);   // off the event loop, same bits
 * ```
 */
export class LassoLarsCV {
  /** Number of folds K. */
  readonly cv: number;
  /** Whether an intercept is fitted. */
  readonly fitIntercept: boolean;
  /** Whether the coefficients are constrained to w ≥ 0. */
  readonly positive: boolean;
  /** Largest number of LARS steps per path. */
  readonly maxIter: number;
  /** At most this many α values on the merged grid. */
  readonly maxNAlphas: number;
  private state: Fitted | null = null;

  constructor(options: LassoLarsCVOptions = {}) {
    const { cv = 5, fitIntercept = true, positive = false, maxIter = 500, maxNAlphas = 1000 } = checkOptions(options, OPTION_KEYS, 'LassoLarsCV');
    if (!Number.isInteger(cv) || cv < 2) throw new PolymorphError('E_VALUE', `LassoLarsCV: cv must be an integer >= 2, got ${cv}`);
    if (!Number.isInteger(maxNAlphas) || maxNAlphas < 1) throw new PolymorphError('E_VALUE', `LassoLarsCV: maxNAlphas must be an integer >= 1, got ${maxNAlphas}`);
    checkCommon('LassoLarsCV', maxIter, fitIntercept, positive);
    this.cv = cv;
    this.fitIntercept = fitIntercept;
    this.positive = positive;
    this.maxIter = maxIter;
    this.maxNAlphas = maxNAlphas;
  }

  /** True once {@link fit} (or {@link fitAsync}) has succeeded. */
  get isFitted(): boolean {
    return this.state !== null;
  }

  /** The α with the lowest mean held-out MSE. */
  get alpha(): number { return this.fitted('alpha').alpha; }
  /** The α grid (merged fold breakpoints, ascending, non-finite rows removed) [nGrid]. */
  get cvAlphas(): Float64Array { return this.fitted('cvAlphas').cvAlphas; }
  /** Held-out mean squared error per α and fold [nGrid, K] (units of y²). */
  get msePath(): NdArray<Float64Array> { return this.fitted('msePath').msePath; }
  /** Mean over folds of msePath [nGrid] (units of y²). */
  get mseMean(): Float64Array { return this.fitted('mseMean').mseMean; }
  /** The model refitted on all data at `alpha`. */
  get model(): LassoLars { return this.fitted('model').model; }
  /** Coefficients w [nFeatures] of the refitted model. */
  get coef(): Float64Array { return this.fitted('coef').model.coef; }
  /** Intercept b of the refitted model (units of y). */
  get intercept(): number { return this.fitted('intercept').model.intercept; }
  /** Breakpoints of the refitted model's path [nAlphas], descending. */
  get alphas(): Float64Array { return this.fitted('alphas').model.alphas; }
  /** Active features of the refitted model, in order of entry. */
  get active(): Int32Array { return this.fitted('active').model.active; }
  /** The refitted model's path [nFeatures, nAlphas]. */
  get coefPath(): NdArray<Float64Array> { return this.fitted('coefPath').model.coefPath; }
  /** LARS steps of the refit. */
  get nIter(): number { return this.fitted('nIter').model.nIter; }
  /** Number of features (columns of X) seen by fit. */
  get nFeatures(): number { return this.fitted('nFeatures').model.nFeatures; }

  /**
   * Cross-validates α, then refits on all of X [nSamples, nFeatures], y [nSamples]; returns `this`.
   * `groups` [nSamples] (optional, finite numbers used as labels): GroupKFold instead of KFold;
   * needs at least `cv` distinct labels.
   */
  fit(X: DesignMatrix, y: ArrayLike<number>, groups?: ArrayLike<number>): this {
    return runSync(this[fitSteps](X, y, groups));
  }

  /** {@link fit} off the event loop (K + 1 queued native paths); X, y and groups must not be modified until it settles. */
  fitAsync(X: DesignMatrix, y: ArrayLike<number>, groups?: ArrayLike<number>): Promise<this> {
    return runAsync(this[fitSteps](X, y, groups));
  }

  /** @internal The fit as native steps (see `steps.ts`). */
  *[fitSteps](X: DesignMatrix, y: ArrayLike<number>, groups?: ArrayLike<number>): Steps<this> {
    const d = toDesign(X, 'LassoLarsCV.fit');
    const target = toTarget(y, d.nSamples, 'LassoLarsCV.fit');
    if (this.cv > d.nSamples) throw new PolymorphError('E_VALUE', `LassoLarsCV: cv = ${this.cv} folds need at least as many samples, got ${d.nSamples}`);
    const foldOf = groups === undefined ? kFoldLabels(d.nSamples, this.cv) : this.groupFolds(groups, d.nSamples);
    const folds: FoldPath[] = [];
    for (let f = 0; f < this.cv; ++f) folds.push(yield* this.foldPath(d, target, foldOf, f));
    const scores = cvScores(folds, this.maxNAlphas);
    if (scores === null) throw new PolymorphError('E_VALUE', 'LassoLarsCV: no α with a finite cross-validation error');
    const alpha = scores.cvAlphas[scores.best];
    const model = new LassoLars({ alpha, fitIntercept: this.fitIntercept, positive: this.positive, maxIter: this.maxIter });
    yield* model[fitSteps](ndarray(d.data, [d.nSamples, d.nFeatures]), target);
    this.state = {
      alpha, cvAlphas: scores.cvAlphas, msePath: ndarray(scores.msePath, [scores.cvAlphas.length, folds.length]), mseMean: scores.mseMean, model,
    };
    return this;
  }

  /** Predictions of the refitted model [nSamples] for X [nSamples, nFeatures]; `E_NOT_FITTED` before fit. */
  predict(X: DesignMatrix): Float64Array {
    return this.fitted('predict').model.predict(X);
  }

  /** Options and learned state (with the refitted model) as plain JSON; {@link LassoLarsCV.fromJSON} reads it back. */
  toJSON(): LassoLarsCVJSON {
    const s = this.state;
    return {
      type: 'LassoLarsCV', version: 1, options: this.options(),
      fitted: s && {
        alpha: encodeDouble(s.alpha), cvAlphas: encodeDoubles(s.cvAlphas), msePath: encodeDoubles(s.msePath.data),
        mseMean: encodeDoubles(s.mseMean), model: s.model.toJSON(),
      },
    };
  }

  /** The estimator {@link toJSON} wrote (also after `JSON.stringify`/`JSON.parse`); `E_VALUE` for anything else. */
  static fromJSON(json: unknown): LassoLarsCV {
    const what = 'LassoLarsCV.fromJSON';
    const { options, fitted } = readFrame(json, 'LassoLarsCV');
    const o = checkOptions(fieldsOf(options, `${what}: options`), OPTION_KEYS, `${what}: options`);
    const cv = new LassoLarsCV({
      cv: decodeCount(o.cv, `${what}: options.cv`), fitIntercept: decodeBoolean(o.fitIntercept, `${what}: options.fitIntercept`),
      positive: decodeBoolean(o.positive, `${what}: options.positive`), maxIter: decodeCount(o.maxIter, `${what}: options.maxIter`),
      maxNAlphas: decodeCount(o.maxNAlphas, `${what}: options.maxNAlphas`),
    });
    if (fitted) {
      const cvAlphas = decodeDoubles(fitted.cvAlphas, `${what}: fitted.cvAlphas`);
      const model = LassoLars.fromJSON(fitted.model);
      if (!model.isFitted) throw new PolymorphError('E_VALUE', `${what}: fitted.model must be a fitted LassoLars`);
      cv.state = {
        alpha: decodeDouble(fitted.alpha, `${what}: fitted.alpha`), cvAlphas,
        msePath: ndarray(decodeDoubles(fitted.msePath, `${what}: fitted.msePath`, cvAlphas.length * cv.cv), [cvAlphas.length, cv.cv]),
        mseMean: decodeDoubles(fitted.mseMean, `${what}: fitted.mseMean`, cvAlphas.length), model,
      };
    }
    return cv;
  }

  /** Two lines for `console.log`: the options and a summary of the fit (no arrays). */
  [inspect.custom](): string {
    const s = this.state;
    return summary('LassoLarsCV', this.options(), s && `alpha ${short(s.alpha)} (lowest mean held-out MSE ${short(minimum(s.mseMean))} `
      + `of ${s.cvAlphas.length} α), ${nonZero(s.model.coef)}, intercept ${short(s.model.intercept)}`);
  }

  /** Same as the inspect summary. */
  toString(): string {
    return this[inspect.custom]();
  }

  private options(): Required<LassoLarsCVOptions> {
    return { cv: this.cv, fitIntercept: this.fitIntercept, positive: this.positive, maxIter: this.maxIter, maxNAlphas: this.maxNAlphas };
  }

  private fitted(attribute: string): Fitted {
    if (this.state === null) throw notFitted('LassoLarsCV', attribute);
    return this.state;
  }

  /** Checked group labels [nSamples] → the GroupKFold fold of each row. */
  private groupFolds(groups: ArrayLike<number>, nSamples: number): Int32Array {
    if (typeof groups !== 'object' || groups === null || typeof groups.length !== 'number') throw new PolymorphError('E_TYPE', 'LassoLarsCV.fit: groups must be an array of numbers (one label per row)');
    if (groups.length !== nSamples) throw new PolymorphError('E_SHAPE', `LassoLarsCV.fit: groups has ${groups.length} labels, X has ${nSamples} rows`);
    for (let r = 0; r < nSamples; ++r) {
      if (typeof groups[r] !== 'number' || !Number.isFinite(groups[r])) throw new PolymorphError('E_VALUE', `LassoLarsCV.fit: groups[${r}] must be a finite number, got ${String(groups[r])}`);
    }
    const foldOf = groupKFold(groups, this.cv);
    if (foldOf === null) throw new PolymorphError('E_VALUE', `LassoLarsCV: cv = ${this.cv} group folds need at least ${this.cv} distinct groups, got ${new Set(Array.from(groups)).size}`);
    return foldOf;
  }

  /** The full path (α → 0) on the rows outside fold `f`, with the residuals of fold f's rows along it (both in row order). */
  private *foldPath(d: Design, y: Float64Array, foldOf: Int32Array, f: number): Steps<FoldPath> {
    const p = d.nFeatures;
    let nTest = 0;
    for (const g of foldOf) if (g === f) ++nTest;
    const nTrain = d.nSamples - nTest;
    const trainX = new Float64Array(nTrain * p), trainY = new Float64Array(nTrain);
    const testX = new Float64Array(nTest * p), testY = new Float64Array(nTest);
    let a = 0, b = 0;
    for (let r = 0; r < d.nSamples; ++r) {
      const row = d.data.subarray(r * p, (r + 1) * p);
      if (foldOf[r] === f) testX.set(row, b * p), testY[b++] = y[r];
      else trainX.set(row, a * p), trainY[a++] = y[r];
    }
    const r = yield* larsStep({ data: trainX, nSamples: nTrain, nFeatures: p }, trainY, {
      fitIntercept: this.fitIntercept, alphaMin: 0, maxIter: this.maxIter, positive: this.positive, rss: false, olsRss: false,
      testX, testY,
    });
    if (r.residues === undefined) throw new PolymorphError('E_NATIVE', 'LassoLarsCV: the native path returned no held-out residuals');
    return { alphas: r.alphas, residues: r.residues, nTest };
  }
}

/**
 * What the estimators of `polymorph/train` share besides the LARS path: the `E_NOT_FITTED`
 * error of a learned attribute read before `fit`, and the short `util.inspect` summary.
 * @internal
 * @module
 */
import { inspect } from 'util';
import { PolymorphError } from '../core/errors';

/** The error of `estimator.attribute` (or `estimator.predict`) used before `fit`. */
export function notFitted(estimator: string, attribute: string): PolymorphError {
  return new PolymorphError('E_NOT_FITTED', `${estimator}.${attribute}: this ${estimator} is not fitted yet; call fit(X, y) or await fitAsync(X, y) first`);
}

/**
 * Two lines for `console.log`: the class with its options, then what the fit learned (or
 * `not fitted`), never the arrays. E.g.
 * ```
 * LassoLars { alpha: 0.01, fitIntercept: true, positive: false, maxIter: 500 }
 *   fitted: 12/30 coefficients non-zero, intercept 0.1234, 14 LARS steps
 * ```
 */
export function summary(name: string, options: object, fitted: string | null): string {
  const shown = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return `${name} ${inspect(shown, { breakLength: Infinity, colors: false })}\n  ${fitted === null ? 'not fitted' : `fitted: ${fitted}`}`;
}

/** A number with 4 significant digits for summaries (integers as they are). */
export function short(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** `k/p coefficients non-zero` of a coefficient vector. */
export function nonZero(coef: Float64Array): string {
  let k = 0;
  for (const w of coef) if (w !== 0) ++k;
  return `${k}/${coef.length} coefficients non-zero`;
}

/** The smallest element, found as the estimators pick their best index (first strict minimum from index 0). */
export function minimum(a: Float64Array): number {
  let m = a[0];
  for (let i = 1; i < a.length; ++i) if (a[i] < m) m = a[i];
  return m;
}

/**
 * Shared plumbing of the LassoLars estimators: input checks (design matrix, targets, options)
 * and the call into the native path (`native/core/lasso_lars.cpp`).
 * @internal
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { checkFinite, type SampleData, toSampleData } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeLarsOptions, NativeLarsResult } from '../core/native-types';
import { callNativeQueued } from '../core/threads';
import { step, type Steps } from './steps';

export type { NativeLarsOptions, NativeLarsResult } from '../core/native-types';

/** A design matrix `[nSamples, nFeatures]`: a 2-D ndarray or nested number arrays. */
export type DesignMatrix = NdArray | ArrayLike<ArrayLike<number>>;

/** A checked design matrix: row-major Float64 data. */
export type Design = SampleData;

/** Checks X for the LassoLars family (see {@link toSampleData}). */
export const toDesign: (X: DesignMatrix, what: string, nFeatures?: number) => Design = toSampleData;

/** Checks y against X's rows (length, finiteness); returns a Float64Array (a copy unless it was one). */
export function toTarget(y: ArrayLike<number>, nSamples: number, what: string): Float64Array {
  if (typeof y !== 'object' || y === null || typeof y.length !== 'number') throw new PolymorphError('E_TYPE', `${what}: y must be a Float64Array or number[]`);
  if (y.length !== nSamples) throw new PolymorphError('E_SHAPE', `${what}: y has ${y.length} values, X has ${nSamples} rows`);
  const out = y instanceof Float64Array ? y : Float64Array.from(y);
  checkFinite(out, `${what}: y`);
  return out;
}

/** Checks the options every estimator shares. */
export function checkCommon(what: string, maxIter: number, fitIntercept: boolean, positive: boolean): void {
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new PolymorphError('E_VALUE', `${what}: maxIter must be an integer >= 1, got ${maxIter}`);
  if (typeof fitIntercept !== 'boolean') throw new PolymorphError('E_TYPE', `${what}: fitIntercept must be a boolean`);
  if (typeof positive !== 'boolean') throw new PolymorphError('E_TYPE', `${what}: positive must be a boolean`);
}

/** The Lasso path of (X, y), synchronously. */
export function larsPath(d: Design, y: Float64Array, options: NativeLarsOptions): NativeLarsResult {
  return callNative((a) => a.lassoLarsPath(d.data, d.nSamples, d.nFeatures, y, options));
}

/** The Lasso path off the event loop (queued behind other async native jobs). */
export function larsPathAsync(d: Design, y: Float64Array, options: NativeLarsOptions): Promise<NativeLarsResult> {
  return callNativeQueued(() => options, (a, o) => a.lassoLarsPathAsync(d.data, d.nSamples, d.nFeatures, y, o), (raw) => raw);
}

/** The Lasso path as one step of a fit (see `steps.ts`): {@link larsPath} or {@link larsPathAsync}. */
export function larsStep(d: Design, y: Float64Array, options: NativeLarsOptions): Steps<NativeLarsResult> {
  return step({ run: () => larsPath(d, y, options), runAsync: () => larsPathAsync(d, y, options) });
}

/** Row `k` of a row-major `[K, p]` path as a fresh Float64Array. */
export function pathRow(coefs: Float64Array, p: number, k: number): Float64Array {
  return coefs.slice(k * p, (k + 1) * p);
}

/** intercept = ȳ − x̄·w (0 without an intercept, where the means are 0). */
export function interceptOf(xMean: Float64Array, yMean: number, coef: Float64Array): number {
  let s = 0;
  for (let j = 0; j < coef.length; ++j) s += xMean[j] * coef[j];
  return yMean - s;
}

/** X w + b for each row of X. */
export function linearPredict(d: Design, coef: Float64Array, intercept: number): Float64Array {
  const out = new Float64Array(d.nSamples);
  const p = d.nFeatures;
  for (let i = 0; i < d.nSamples; ++i) {
    let s = intercept;
    for (let j = 0; j < p; ++j) s += d.data[i * p + j] * coef[j];
    out[i] = s;
  }
  return out;
}

/** The row-major path [K, p] (rows = breakpoints) as an ndarray [p, K] (columns = breakpoints). */
export function pathMatrix(coefs: Float64Array, p: number, k: number): NdArray<Float64Array> {
  const out = new Float64Array(p * k);
  for (let q = 0; q < k; ++q) for (let j = 0; j < p; ++j) out[j * k + q] = coefs[q * p + j];
  return ndarray(out, [p, k]);
}

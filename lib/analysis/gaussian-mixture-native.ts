/**
 * The Gaussian-mixture entry points of the native addon (`native/addon/gaussian_mixture.cpp`)
 * and the checks of what goes into them: the sample matrix X and the start parameters of
 * `fitFrom`.
 * @internal
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { checkFinite, flatFloat64, isNdArray, type SampleData, toMatrix, toSampleData } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeAddon } from '../core/native-types';
import { callNativeQueued } from '../core/threads';

/** Samples `[nSamples, nFeatures]`: a 2-D ndarray or an array of rows. */
export type SampleMatrix = NdArray | ArrayLike<ArrayLike<number>>;

/** Checked samples: row-major Float64 data. */
export type Samples = SampleData;

/** Options of a native fit (see the binding). */
export interface NativeMixtureOptions {
  nComponents: number;
  diag: boolean;
  nInit: number;
  maxIter: number;
  tol: number;
  regCovar: number;
  seed: number;
}

/** Start parameters of a native fit: weights [K], means [K·d], covariances [K·d·d] (full) or [K·d] (diag). */
export interface NativeMixtureStart {
  weights: Float64Array;
  means: Float64Array;
  covariances: Float64Array;
}

/** What a native fit returns (flat row-major arrays). */
export interface NativeMixtureFit extends NativeMixtureStart {
  precisionsCholesky: Float64Array;
  lowerBound: number;
  lowerBounds: Float64Array;
  nIter: number;
  converged: boolean;
  bestInit: number;
}

/** A mixture as the native scoring takes it. */
export interface NativeMixtureModel {
  nComponents: number;
  nFeatures: number;
  diag: boolean;
  weights: Float64Array;
  means: Float64Array;
  precisionsCholesky: Float64Array;
}

/** What native scoring returns: the mean log-likelihood and what was asked for. */
export interface NativeMixtureScores {
  mean: number;
  logProb?: Float64Array;
  proba?: Float64Array;
  labels?: Int32Array;
}

interface NativeGaussianMixtureAddon {
  gaussianMixtureFit(X: Float64Array, n: number, d: number, options: NativeMixtureOptions, start: NativeMixtureStart | null): NativeMixtureFit;
  gaussianMixtureFitAsync(X: Float64Array, n: number, d: number, options: NativeMixtureOptions, start: NativeMixtureStart | null): Promise<NativeMixtureFit>;
  gaussianMixtureScore(X: Float64Array, n: number, model: NativeMixtureModel, want: { logProb: boolean; proba: boolean; labels: boolean }): NativeMixtureScores;
}

function mixtureAddon(addon: NativeAddon): NativeGaussianMixtureAddon {
  return addon as unknown as NativeGaussianMixtureAddon;
}

/** Checks X for the mixture (see {@link toSampleData}). */
export const toSamples: (X: SampleMatrix, what: string, nFeatures?: number) => Samples = toSampleData;

/** A [K, d, d] array (3-D ndarray, nested arrays or flat K·d·d numbers) as flat row-major Float64 data. */
export function toStack(value: unknown, K: number, d: number, what: string): Float64Array {
  const out = new Float64Array(K * d * d);
  const bad = (): PolymorphError => new PolymorphError('E_SHAPE', `${what}: expected ${K} matrices [${d}, ${d}] (shape [${K}, ${d}, ${d}])`);
  if (isNdArray(value)) {
    const a = value as NdArray;
    if (a.shape.length === 3) {
      if (a.shape[0] !== K || a.shape[1] !== d || a.shape[2] !== d) throw bad();
      for (let k = 0; k < K; ++k) for (let i = 0; i < d; ++i) for (let j = 0; j < d; ++j) out[(k * d + i) * d + j] = a.get(k, i, j);
    } else if (a.shape.length === 1 && a.shape[0] === K * d * d) {
      for (let q = 0; q < K * d * d; ++q) out[q] = a.get(q);
    } else {
      throw bad();
    }
  } else if (typeof value === 'object' && value !== null && typeof (value as ArrayLike<unknown>).length === 'number') {
    const list = value as ArrayLike<unknown>;
    if (list.length === K * d * d && typeof list[0] === 'number') {
      for (let q = 0; q < K * d * d; ++q) out[q] = list[q] as number;
    } else {
      if (list.length !== K) throw bad();
      for (let k = 0; k < K; ++k) out.set(toMatrix(list[k] as ArrayLike<ArrayLike<number>>, d, d, `${what}[${k}]`, true).data, k * d * d);
    }
  } else {
    throw new PolymorphError('E_TYPE', `${what}: expected an array of shape [${K}, ${d}, ${d}]`);
  }
  checkFinite(out, what);
  return out;
}

/** Checks start weights: K finite values ≥ 0 summing to 1 (within 1e-6). */
export function toWeights(value: unknown, K: number, what: string): Float64Array {
  if (typeof value !== 'object' || value === null || (typeof (value as ArrayLike<number>).length !== 'number' && !isNdArray(value))) {
    throw new PolymorphError('E_TYPE', `${what}: expected ${K} numbers`);
  }
  const a = isNdArray(value) ? flatFloat64(value as NdArray) : Float64Array.from(value as ArrayLike<number>);
  if (a.length !== K) throw new PolymorphError('E_SHAPE', `${what}: expected ${K} weights, got ${a.length}`);
  checkFinite(a, what);
  let sum = 0;
  for (const w of a) {
    if (w < 0) throw new PolymorphError('E_VALUE', `${what}: weights must be >= 0, got ${w}`);
    sum += w;
  }
  if (Math.abs(sum - 1) > 1e-6) throw new PolymorphError('E_VALUE', `${what}: weights must sum to 1, got ${sum}`);
  return a;
}

/** Checks that each [d, d] block of `covariances` is symmetric (to 1e-10 of its diagonal scale). */
export function checkSymmetric(covariances: Float64Array, K: number, d: number, what: string): void {
  for (let k = 0; k < K; ++k) {
    const c = (i: number, j: number): number => covariances[(k * d + i) * d + j];
    for (let i = 0; i < d; ++i) {
      for (let j = 0; j < i; ++j) {
        const scale = Math.sqrt(Math.abs(c(i, i) * c(j, j)));
        if (Math.abs(c(i, j) - c(j, i)) > 1e-10 * scale) {
          throw new PolymorphError('E_VALUE', `${what}[${k}] is not symmetric: [${i}][${j}] = ${c(i, j)}, [${j}][${i}] = ${c(j, i)}`);
        }
      }
    }
  }
}

/** A [K, d] start array (means, or diagonal covariances) as flat Float64 data. */
export function toRows(value: unknown, K: number, d: number, what: string): Float64Array {
  return toMatrix(value as NdArray, K, d, what).data;
}

/** The native fit, synchronously. */
export function mixtureFit(X: Samples, options: NativeMixtureOptions, start: NativeMixtureStart | null): NativeMixtureFit {
  return callNative((a) => mixtureAddon(a).gaussianMixtureFit(X.data, X.nSamples, X.nFeatures, options, start));
}

/** The native fit off the event loop (queued behind other async native jobs). */
export function mixtureFitAsync(X: Samples, options: NativeMixtureOptions, start: NativeMixtureStart | null): Promise<NativeMixtureFit> {
  return callNativeQueued(() => options, (a, o) => mixtureAddon(a).gaussianMixtureFitAsync(X.data, X.nSamples, X.nFeatures, o, start), (raw) => raw);
}

/** The E-step with fixed parameters on X: the mean log-likelihood and the requested per-sample results. */
export function mixtureScore(X: Samples, model: NativeMixtureModel, want: { logProb?: boolean; proba?: boolean; labels?: boolean }): NativeMixtureScores {
  const flags = { logProb: want.logProb === true, proba: want.proba === true, labels: want.labels === true };
  return callNative((a) => mixtureAddon(a).gaussianMixtureScore(X.data, X.nSamples, model, flags));
}

/** A flat array as an ndarray of `shape` (no copy). */
export function shaped(data: Float64Array, shape: number[]): NdArray<Float64Array> {
  return ndarray(data, shape);
}

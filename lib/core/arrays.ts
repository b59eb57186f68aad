/**
 * Conversions and checks for array inputs: plain nested arrays, flat typed arrays or ndarrays
 * become contiguous row-major ndarrays over typed arrays (design.md, "Data model").
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { PolymorphError } from './errors';

/** Anything accepted where a matrix `[rows, cols]` of numbers is expected. */
export type MatrixLike = NdArray | ArrayLike<ArrayLike<number>> | ArrayLike<number>;

/** Typed-array storage of an ndarray. */
export type NumericArray = Float64Array | Float32Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array;

function isNdArray(value: unknown): value is NdArray {
  return typeof value === 'object' && value !== null && 'shape' in value && 'stride' in value && 'data' in value;
}
export { isNdArray };

/** True for a contiguous row-major ndarray with offset 0. */
export function isContiguous(a: NdArray): boolean {
  let expected = 1;
  for (let k = a.shape.length - 1; k >= 0; --k) {
    if (a.shape[k] !== 1 && a.stride[k] !== expected) return false;
    expected *= a.shape[k];
  }
  return a.offset === 0 && (a.data as ArrayLike<number>).length === expected;
}

/**
 * A `[rows, cols]` Float64 matrix from any {@link MatrixLike}; always a fresh copy, so callers own it.
 * `rows` may be -1 (inferred). Throws `E_SHAPE` on a wrong shape and `E_VALUE` on non-finite entries.
 */
export function toMatrix(value: MatrixLike, rows: number, cols: number, what: string, allowNonFinite = false): NdArray<Float64Array> {
  let data: Float64Array;
  if (isNdArray(value)) {
    const a = value;
    if (a.shape.length === 2) {
      if (a.shape[1] !== cols || (rows >= 0 && a.shape[0] !== rows)) throw shapeError(what, a.shape, rows, cols);
      data = new Float64Array(a.shape[0] * cols);
      for (let i = 0; i < a.shape[0]; ++i) for (let k = 0; k < cols; ++k) data[i * cols + k] = a.get(i, k);
    } else if (a.shape.length === 1) {
      if (a.shape[0] % cols !== 0 || (rows >= 0 && a.shape[0] !== rows * cols)) throw shapeError(what, a.shape, rows, cols);
      data = new Float64Array(a.shape[0]);
      for (let i = 0; i < a.shape[0]; ++i) data[i] = a.get(i);
    } else {
      throw shapeError(what, a.shape, rows, cols);
    }
  } else if (typeof value === 'object' && value !== null && typeof (value as ArrayLike<unknown>).length === 'number') {
    const list = value as ArrayLike<unknown>;
    if (list.length > 0 && typeof list[0] === 'object' && list[0] !== null) {
      const n = list.length;
      if (rows >= 0 && n !== rows) throw new PolymorphError('E_SHAPE', `${what}: expected ${rows} rows of ${cols}, got ${n} rows`);
      data = new Float64Array(n * cols);
      for (let i = 0; i < n; ++i) {
        const r = list[i] as ArrayLike<unknown>;
        if (typeof r !== 'object' || r === null || r.length !== cols) {
          throw new PolymorphError('E_SHAPE', `${what}: row ${i} must have ${cols} numbers`);
        }
        for (let k = 0; k < cols; ++k) data[i * cols + k] = numeric(r[k], what, i, k);
      }
    } else {
      const n = list.length;
      if (n % cols !== 0 || (rows >= 0 && n !== rows * cols)) {
        throw new PolymorphError('E_SHAPE', `${what}: a flat array needs ${rows >= 0 ? rows * cols : `a multiple of ${cols}`} numbers, got ${n}`);
      }
      data = new Float64Array(n);
      for (let i = 0; i < n; ++i) data[i] = numeric(list[i], what, Math.floor(i / cols), i % cols);
    }
  } else {
    throw new PolymorphError('E_TYPE', `${what}: expected an array of shape [${rows >= 0 ? rows : 'N'}, ${cols}]`);
  }
  if (!allowNonFinite) checkFinite(data, what, cols);
  return ndarray(data, [data.length / cols, cols]);
}

/** A per-atom vector of length `n` as a fresh Float64Array. */
export function toVector(value: ArrayLike<number> | NdArray, n: number, what: string): Float64Array {
  const length = isNdArray(value) ? value.size : (value as ArrayLike<number>).length;
  if (isNdArray(value) && value.shape.length !== 1) throw new PolymorphError('E_SHAPE', `${what}: expected shape [${n}], got [${value.shape.join(', ')}]`);
  if (length !== n) throw new PolymorphError('E_SHAPE', `${what}: expected ${n} values, got ${length}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; ++i) out[i] = numeric(isNdArray(value) ? value.get(i) : (value as ArrayLike<number>)[i], what, i, 0);
  checkFinite(out, what, 1);
  return out;
}

function numeric(x: unknown, what: string, i: number, k: number): number {
  if (typeof x !== 'number') throw new PolymorphError('E_TYPE', `${what}[${i}][${k}] is not a number (${typeof x})`);
  return x;
}

function shapeError(what: string, shape: number[], rows: number, cols: number): PolymorphError {
  return new PolymorphError('E_SHAPE', `${what}: expected shape [${rows >= 0 ? rows : 'N'}, ${cols}], got [${shape.join(', ')}]`);
}

/** Throws `E_VALUE` naming the first non-finite entry. */
export function checkFinite(data: ArrayLike<number>, what: string, cols = 1): void {
  for (let i = 0; i < data.length; ++i) {
    if (!Number.isFinite(data[i])) {
      const where = cols > 1 ? `[${Math.floor(i / cols)}][${i % cols}]` : `[${i}]`;
      throw new PolymorphError('E_VALUE', `${what}${where} is not finite (${data[i]})`);
    }
  }
}

/** The flat Float64Array behind a contiguous Float64 ndarray, or a contiguous copy. */
export function flatFloat64(a: NdArray): Float64Array {
  if (a.data instanceof Float64Array && isContiguous(a)) return a.data;
  const out = new Float64Array(a.size);
  if (a.shape.length === 1) for (let i = 0; i < a.shape[0]; ++i) out[i] = a.get(i);
  else {
    const cols = a.shape[1];
    for (let i = 0; i < a.shape[0]; ++i) for (let k = 0; k < cols; ++k) out[i * cols + k] = a.get(i, k);
  }
  return out;
}

/** Plain nested arrays from a 2-D ndarray (for JSON). */
export function toNested(a: NdArray): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.shape[0]; ++i) {
    const r: number[] = [];
    for (let k = 0; k < a.shape[1]; ++k) r.push(a.get(i, k));
    out.push(r);
  }
  return out;
}

/** A sample matrix as contiguous row-major data: nSamples rows of nFeatures values. */
export interface SampleData {
  data: Float64Array;
  nSamples: number;
  nFeatures: number;
}

/**
 * Checks a sample matrix X [nSamples, nFeatures] (a 2-D ndarray or an array of rows) for the
 * estimators: at least one row and one column, finite, and `nFeatures` columns when given (a
 * fitted model's). A contiguous Float64 ndarray is not copied. `what` names the caller in errors.
 */
export function toSampleData(X: NdArray | ArrayLike<ArrayLike<number>>, what: string, nFeatures?: number): SampleData {
  let data: Float64Array;
  let rows: number;
  let cols: number;
  if (isNdArray(X)) {
    if (X.shape.length !== 2) throw new PolymorphError('E_SHAPE', `${what}: X must be 2-D [nSamples, nFeatures], got shape [${X.shape.join(', ')}]`);
    [rows, cols] = X.shape;
    data = flatFloat64(X);
    checkFinite(data, `${what}: X`, cols);
  } else if (typeof X === 'object' && X !== null && typeof X.length === 'number') {
    if (X.length === 0) throw new PolymorphError('E_SHAPE', `${what}: X is empty (0 samples)`);
    if (typeof X[0] !== 'object' || X[0] === null) throw new PolymorphError('E_TYPE', `${what}: X must be a 2-D ndarray or an array of rows`);
    cols = X[0].length;
    const m = toMatrix(X, -1, cols, `${what}: X`);
    data = m.data;
    rows = m.shape[0];
  } else {
    throw new PolymorphError('E_TYPE', `${what}: X must be a 2-D ndarray or an array of rows`);
  }
  if (rows < 1) throw new PolymorphError('E_SHAPE', `${what}: X is empty (0 samples)`);
  if (cols < 1) throw new PolymorphError('E_SHAPE', `${what}: X must have at least one feature, got [${rows}, ${cols}]`);
  if (nFeatures !== undefined && cols !== nFeatures) {
    throw new PolymorphError('E_SHAPE', `${what}: X has ${cols} features, the model was fitted with ${nFeatures}`);
  }
  return { data, nSamples: rows, nFeatures: cols };
}

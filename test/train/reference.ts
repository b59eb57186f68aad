/** The scikit-learn 1.2.1 LassoLars reference (shared/data/reference/lassolars) and comparison helpers. */
import * as fs from 'fs';
import * as path from 'path';
import ndarray, { NdArray } from 'ndarray';
import { sharedData } from '../helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
const file = path.join(sharedData, 'reference', 'lassolars', 'lassolars_reference.json');
const dataset = JSON.parse(fs.readFileSync(file, 'utf8')).datasets.A_iid_200x30;

/** Design A (200×30 iid) as an ndarray [200, 30], y [200], and every reference result by name. */
export const X: NdArray<Float64Array> = ndarray(Float64Array.from((dataset.X as number[][]).flat()), [200, 30]);
export const y = Float64Array.from(dataset.y as number[]);
export const results: Record<string, any> = dataset.results;

/** Largest |a_i − b_i|; lengths must agree. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Largest difference between an ndarray [p, K] and nested rows. */
export function maxDiffMatrix(a: NdArray, rows: number[][]): number {
  if (a.shape[0] !== rows.length || a.shape[1] !== rows[0].length) return Infinity;
  let m = 0;
  for (let i = 0; i < rows.length; ++i) for (let k = 0; k < rows[0].length; ++k) m = Math.max(m, Math.abs(a.get(i, k) - rows[i][k]));
  return m;
}

// GaussianMixture against scikit-learn 1.2.1 (shared/data/reference/gmm/blobs4d_k3): EM from each
// recorded initialisation (traces and parameters to 1e-10), the full fit up to component order,
// the estimator contract (not fitted, read-only, async, threads, JSON) and bad input.
import * as fs from 'fs';
import ndarray, { NdArray } from 'ndarray';
import * as path from 'path';
import { inspect } from 'util';
import { describe, expect, it } from 'vitest';
import { GaussianMixture } from '../../lib/analysis';
import { getNumThreads, setNumThreads } from '../../lib/core/threads';
import { mulberry32 } from '../../lib/core/random';
import { errorCode, sharedData } from '../helpers';

const folder = path.join(sharedData, 'reference', 'gmm', 'blobs4d_k3');

function readCsv(file: string): number[][] {
  const lines = fs.readFileSync(path.join(folder, file), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => line.split(',').map(Number));
}

interface InitRecord {
  init_weights: number[];
  init_means: number[][];
  init_covariances: number[][][];
  lower_bound_trace: number[];
  final_lower_bound: number;
  n_iter: number;
}
interface Reference {
  weights: number[];
  means: number[][];
  covariances: number[][][];
  precisions_cholesky: number[][][];
  lower_bound: number;
  n_iter: number;
  converged: boolean;
  score_mean_loglik: number;
  bic: number;
  aic: number;
  best_init_index: number;
  inits: InitRecord[];
}

const ref = JSON.parse(fs.readFileSync(path.join(folder, 'fit.json'), 'utf8')) as Reference;
const rows = readCsv('X.csv');
const X = ndarray(Float64Array.from(rows.flat()), [rows.length, rows[0].length]);
const proba = readCsv('predict_proba.csv');
const labels = readCsv('predict.csv').map((r) => r[0]);
const logProb = readCsv('score_samples.csv').map((r) => r[0]);
const K = 3, d = 4, n = 3000;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Component k of the model, in the reference's order (`order[k]` = our index of reference component k). */
function reorder(data: Float64Array, order: number[], size: number): Float64Array {
  const out = new Float64Array(data.length);
  order.forEach((ours, k) => out.set(data.subarray(ours * size, (ours + 1) * size), k * size));
  return out;
}

/** Our component nearest to each reference mean (a permutation, checked). */
function matchComponents(means: NdArray<Float64Array>): number[] {
  const order = ref.means.map((m) => {
    let best = -1, bestDistance = Infinity;
    for (let k = 0; k < K; ++k) {
      let s = 0;
      for (let j = 0; j < d; ++j) s += (means.get(k, j) - m[j]) ** 2;
      if (s < bestDistance) bestDistance = s, best = k;
    }
    return best;
  });
  expect([...order].sort()).toEqual([0, 1, 2]);
  return order;
}

describe('GaussianMixture matches scikit-learn 1.2.1 (blobs4d_k3)', () => {
  it.each(ref.inits.map((init, index) => [index, init] as const))('EM from recorded initialisation %i reproduces its lower-bound trace to 1e-10', (_, init) => {
    const model = new GaussianMixture({ nComponents: K }).fitFrom(X, {
      weights: init.init_weights, means: init.init_means, covariances: init.init_covariances,
    });
    expect(model.nIter).toBe(init.n_iter);
    expect(maxDiff(model.lowerBounds, init.lower_bound_trace)).toBeLessThan(1e-10);
    expect(Math.abs(model.lowerBound - init.final_lower_bound)).toBeLessThan(1e-10);
    expect(model.converged).toBe(true);
    expect(model.bestInit).toBe(0);
  });

  it('EM from the best initialisation reproduces the parameters, predict_proba, predict, score_samples, score, bic, aic to 1e-10', () => {
    const init = ref.inits[ref.best_init_index];
    const model = new GaussianMixture({ nComponents: K }).fitFrom(X, {
      weights: init.init_weights, means: init.init_means, covariances: init.init_covariances,
    });
    const deviations = {
      weights: maxDiff(model.weights, ref.weights),
      means: maxDiff(model.means.data, ref.means.flat()),
      covariances: maxDiff(model.covariances.data, ref.covariances.flat(2)),
      precisionsCholesky: maxDiff(model.precisionsCholesky.data, ref.precisions_cholesky.flat(2)),
      predictProba: maxDiff(model.predictProba(X).data, proba.flat()),
      scoreSamples: maxDiff(model.scoreSamples(X), logProb),
      score: Math.abs(model.score(X) - ref.score_mean_loglik),
      bic: Math.abs(model.bic(X) - ref.bic) / Math.abs(ref.bic),
      aic: Math.abs(model.aic(X) - ref.aic) / Math.abs(ref.aic),
    };
    for (const [name, value] of Object.entries(deviations)) expect(value, name).toBeLessThan(1e-10);
    expect(Array.from(model.predict(X))).toEqual(labels);
    expect(model.lowerBound).toBe(model.lowerBounds[model.nIter - 1]);
  });

  it('a full fit (k-means++ with our own random numbers, nInit 10) finds the same optimum up to component order, to 1e-6', () => {
    const model = new GaussianMixture({ nComponents: K, nInit: 10, seed: 0 }).fit(X);
    const order = matchComponents(model.means);
    expect(maxDiff(reorder(model.weights, order, 1), ref.weights)).toBeLessThan(1e-6);
    expect(maxDiff(reorder(model.means.data, order, d), ref.means.flat())).toBeLessThan(1e-6);
    expect(maxDiff(reorder(model.covariances.data, order, d * d), ref.covariances.flat(2))).toBeLessThan(1e-6);
    expect(Math.abs(model.lowerBound - ref.lower_bound)).toBeLessThan(1e-6);
    expect(Math.abs(model.score(X) - ref.score_mean_loglik)).toBeLessThan(1e-6);
    expect(Math.abs(model.bic(X) - ref.bic)).toBeLessThan(1e-6 * Math.abs(ref.bic));
    expect(model.nIter).toBe(ref.n_iter);
    expect(model.converged).toBe(true);
    const p = model.predictProba(X);
    let worst = 0;
    for (let i = 0; i < n; ++i) order.forEach((ours, k) => { worst = Math.max(worst, Math.abs(p.get(i, ours) - proba[i][k])); });
    expect(worst).toBeLessThan(1e-6);
    const predicted = model.predict(X);
    expect(Array.from(predicted, (ours) => order.indexOf(ours))).toEqual(labels);
  });

  it("covarianceType 'diag' fits the blobs: diagonal covariances, and the likelihood of the full model is higher", () => {
    const diag = new GaussianMixture({ nComponents: K, covarianceType: 'diag', nInit: 3, seed: 1 }).fit(X);
    const full = new GaussianMixture({ nComponents: K, nInit: 3, seed: 1 }).fit(X);
    expect(diag.covariances.shape).toEqual([K, d]);
    expect(diag.precisionsCholesky.shape).toEqual([K, d]);
    const order = matchComponents(diag.means);
    for (let k = 0; k < K; ++k) {
      for (let j = 0; j < d; ++j) {
        expect(diag.covariances.get(order[k], j)).toBeCloseTo(ref.covariances[k][j][j], 1);
        expect(diag.precisionsCholesky.get(order[k], j)).toBeCloseTo(1 / Math.sqrt(diag.covariances.get(order[k], j)), 12);
      }
    }
    expect(full.score(X)).toBeGreaterThan(diag.score(X));
    // bic counts K·d covariance entries for diag: the difference of −2N·score and bic is p ln N
    const p = K * d + K * d + K - 1;
    expect(diag.bic(X) + 2 * n * diag.score(X)).toBeCloseTo(p * Math.log(n), 8);
    expect(diag.aic(X) + 2 * n * diag.score(X)).toBeCloseTo(2 * p, 8);
  });
});

/** Three overlapping 2-D clusters of 1500 samples (so that EM takes a few iterations and several chunks). */
function overlapping(seed: number): NdArray<Float64Array> {
  const random = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const data = new Float64Array(1500 * 2);
  for (let i = 0; i < 1500; ++i) {
    const c = i % 3;
    data[2 * i] = [0, 2, 1][c] + gauss() * [1, 0.7, 0.5][c];
    data[2 * i + 1] = [0, 0.5, 2][c] + gauss() * [0.6, 1, 0.8][c];
  }
  return ndarray(data, [1500, 2]);
}

/** n samples of K overlapping skewed clusters in d dimensions, [n, d]. */
function blobs(n: number, d: number, K: number, seed: number): NdArray<Float64Array> {
  const random = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: K * d }, () => 1.5 * gauss());
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; ++i) {
    const k = i % K;
    let previous = 0;
    for (let j = 0; j < d; ++j) {
      const z = gauss();
      data[i * d + j] = centres[k * d + j] + z + 0.5 * previous;
      previous = z;
    }
  }
  return ndarray(data, [n, d]);
}

const learned = ['weights', 'means', 'covariances', 'precisionsCholesky', 'lowerBound', 'lowerBounds', 'nIter', 'converged', 'bestInit', 'nFeatures'];

function snapshot(model: GaussianMixture): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of learned) {
    const v = Reflect.get(model, key) as unknown;
    out[key] = v && typeof v === 'object' && 'data' in v ? Array.from((v as NdArray).data as Float64Array) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v;
  }
  return out;
}

describe('GaussianMixture: estimator contract', () => {
  const data = overlapping(3);
  const make = (): GaussianMixture => new GaussianMixture({ nComponents: 3, nInit: 2, seed: 7, tol: 1e-8 });

  it('fit returns this; EM increases the lower bound; predictProba rows sum to 1; predict is their argmax', () => {
    const model = make();
    expect(model.isFitted).toBe(false);
    expect(model.fit(data)).toBe(model);
    expect(model.nIter).toBeGreaterThan(3);
    for (let t = 1; t < model.nIter; ++t) expect(model.lowerBounds[t]).toBeGreaterThanOrEqual(model.lowerBounds[t - 1] - 1e-12);
    let weights = 0;
    for (const w of model.weights) weights += w;
    expect(weights).toBeCloseTo(1, 14);
    const p = model.predictProba(data);
    const predicted = model.predict(data);
    const scores = model.scoreSamples(data);
    let mean = 0;
    for (let i = 0; i < 1500; ++i) {
      const row = [p.get(i, 0), p.get(i, 1), p.get(i, 2)];
      expect(row[0] + row[1] + row[2]).toBeCloseTo(1, 14);
      expect(predicted[i]).toBe(row.indexOf(Math.max(...row)));
      mean += scores[i] / 1500;
    }
    expect(model.score(data)).toBeCloseTo(mean, 12);
  });

  it('is deterministic: two fits agree bit for bit, and so do fits and scores on 1 and 2 threads (data large enough to run in parallel)', () => {
    const a = snapshot(make().fit(data));
    expect(snapshot(make().fit(data))).toEqual(a);
    const big = blobs(80_000, 10, 4, 11);  // every native pass is split over threads at this size
    const threads = getNumThreads();
    try {
      setNumThreads(1);
      const one = new GaussianMixture({ nComponents: 4, nInit: 2, seed: 3 }).fit(big);
      setNumThreads(2);
      const two = new GaussianMixture({ nComponents: 4, nInit: 2, seed: 3 }).fit(big);
      expect(two.nIter).toBeGreaterThan(1);
      expect(snapshot(two)).toEqual(snapshot(one));
      const p2 = Array.from(two.predictProba(big).data);
      const s2 = Array.from(two.scoreSamples(big));
      setNumThreads(1);
      expect(Array.from(two.predictProba(big).data)).toEqual(p2);
      expect(Array.from(two.scoreSamples(big))).toEqual(s2);
    } finally {
      setNumThreads(threads);
    }
  });

  it('every learned attribute and the scores throw E_NOT_FITTED before fit; after fit they are read-only', () => {
    const getters = Object.entries(Object.getOwnPropertyDescriptors(GaussianMixture.prototype))
      .filter(([key, desc]) => desc.get !== undefined && key !== 'isFitted').map(([key]) => key);
    expect(getters.sort()).toEqual([...learned].sort());
    const model = make();
    for (const key of learned) expect(errorCode(() => Reflect.get(model, key))).toBe('E_NOT_FITTED');
    for (const method of ['predict', 'predictProba', 'scoreSamples', 'score', 'bic', 'aic'] as const) {
      expect(errorCode(() => model[method](data))).toBe('E_NOT_FITTED');
    }
    model.fit(data);
    for (const key of learned) expect(Reflect.set(model, key, 0), key).toBe(false);
  });

  it('fitAsync and fitFromAsync resolve to the same instance with the bits of fit and fitFrom', async () => {
    const expected = snapshot(make().fit(data));
    const model = make();
    const pending = model.fitAsync(data);
    expect(model.isFitted).toBe(false);
    expect(await pending).toBe(model);
    expect(snapshot(model)).toEqual(expected);
    const many = await Promise.all([0, 1].map(() => make().fitAsync(data)));
    for (const m of many) expect(snapshot(m)).toEqual(expected);
    const start = { weights: [0.3, 0.3, 0.4], means: [[0, 0], [2, 0], [1, 2]], covariances: [[[1, 0], [0, 1]], [[1, 0.1], [0.1, 1]], [[1, 0], [0, 1]]] };
    const fromSync = make().fitFrom(data, start);
    const fromAsync = await make().fitFromAsync(data, start);
    expect(snapshot(fromAsync)).toEqual(snapshot(fromSync));
    await expect(make().fitFromAsync(data, { ...start, weights: [0.5, 0.5, 0.5] })).rejects.toMatchObject({ code: 'E_VALUE' });
  });

  it('toJSON → JSON text → fromJSON reproduces the model and its predictions bit for bit; unfitted too; other JSON is E_VALUE', () => {
    for (const covarianceType of ['full', 'diag'] as const) {
      const model = new GaussianMixture({ nComponents: 3, covarianceType, seed: 2 }).fit(data);
      const back = GaussianMixture.fromJSON(JSON.parse(JSON.stringify(model)));
      expect(snapshot(back)).toEqual(snapshot(model));
      expect(Array.from(back.predictProba(data).data)).toEqual(Array.from(model.predictProba(data).data));
      expect(back.bic(data)).toBe(model.bic(data));
      expect(back.covarianceType).toBe(covarianceType);
    }
    const unfitted = GaussianMixture.fromJSON(JSON.parse(JSON.stringify(make())));
    expect(unfitted.isFitted).toBe(false);
    expect(unfitted.nInit).toBe(2);
    expect(errorCode(() => GaussianMixture.fromJSON({ type: 'LassoLars', version: 1, options: {}, fitted: null }))).toBe('E_VALUE');
    const json = JSON.parse(JSON.stringify(make().fit(data))) as { fitted: { means: number[] } };
    json.fitted.means.pop();
    expect(errorCode(() => GaussianMixture.fromJSON(json))).toBe('E_VALUE');
  });

  it('util.inspect is a two-line summary without arrays', () => {
    expect(inspect(make())).toBe("GaussianMixture { nComponents: 3, covarianceType: 'full', nInit: 2, maxIter: 100, tol: 1e-8, regCovar: 0.000001, seed: 7 }\n  not fitted");
    const text = inspect(make().fit(data));
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toMatch(/3 components in 2 features, weights .*, lower bound -?[\d.]+ after \d+ EM iterations \(converged\)/);
  });
});

describe('GaussianMixture: bad input is a typed error', () => {
  const data = overlapping(5);

  it('options: unknown or misspelt keys, bad values', () => {
    expect(errorCode(() => new GaussianMixture({ nComponents: 2, n_init: 3 } as never))).toBe('E_VALUE');
    expect(() => new GaussianMixture({ nComponents: 2, covariance: 'full' } as never)).toThrow(/covarianceType/);
    expect(errorCode(() => new GaussianMixture({ nComponents: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture({ nComponents: 1.5 }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture({ nComponents: 2, covarianceType: 'tied' as never }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture({ nComponents: 2, nInit: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture({ nComponents: 2, maxIter: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture({ nComponents: 2, tol: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture({ nComponents: 2, regCovar: NaN }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture({ nComponents: 2, seed: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => new GaussianMixture(undefined as never))).toBe('E_TYPE');
  });

  it('X: empty, NaN, wrong shapes, fewer samples than components; fitAsync rejects alike; a failed fit stays unfitted', async () => {
    const model = new GaussianMixture({ nComponents: 3 });
    expect(errorCode(() => model.fit([]))).toBe('E_SHAPE');
    expect(errorCode(() => model.fit(ndarray(new Float64Array(0), [0, 4])))).toBe('E_SHAPE');
    expect(errorCode(() => model.fit(ndarray(new Float64Array(12), [12])))).toBe('E_SHAPE');
    expect(errorCode(() => model.fit([[1, 2], [3]]))).toBe('E_SHAPE');
    expect(errorCode(() => model.fit(42 as never))).toBe('E_TYPE');
    const nan = ndarray(Float64Array.from(data.data), [1500, 2]);
    nan.set(7, 1, NaN);
    expect(errorCode(() => model.fit(nan))).toBe('E_VALUE');
    await expect(model.fitAsync(nan)).rejects.toMatchObject({ code: 'E_VALUE' });
    expect(errorCode(() => model.fit([[0, 1], [1, 0]]))).toBe('E_VALUE');  // 2 samples < 3 components
    expect(() => model.fit([[0, 1], [1, 0]])).toThrow(/nSamples >= nComponents/);
    expect(model.isFitted).toBe(false);
    model.fit(data);
    expect(errorCode(() => model.predict([[1, 2, 3]]))).toBe('E_SHAPE');
    expect(errorCode(() => model.predictProba([[1, NaN]]))).toBe('E_VALUE');
    expect(errorCode(() => model.scoreSamples([]))).toBe('E_SHAPE');
  });

  it('collapsed samples without regularisation: the "ill-defined empirical covariance … increase regCovar" error (E_VALUE), as scikit-learn', async () => {
    const collapsed = [[0, 0], [0, 0], [0, 0], [1, 1], [1, 1], [1, 1], [5, 2]];
    for (const covarianceType of ['full', 'diag'] as const) {
      const model = new GaussianMixture({ nComponents: 3, covarianceType, regCovar: 0 });
      expect(errorCode(() => model.fit(collapsed))).toBe('E_VALUE');
      expect(() => model.fit(collapsed)).toThrow(/ill-defined empirical covariance.*increase regCovar/);
      await expect(model.fitAsync(collapsed)).rejects.toMatchObject({ code: 'E_VALUE', message: expect.stringMatching(/ill-defined/) });
      expect(model.isFitted).toBe(false);
      // the default regularisation makes the same data fine
      expect(new GaussianMixture({ nComponents: 3, covarianceType }).fit(collapsed).converged).toBe(true);
    }
  });

  it('fitFrom: start parameters of the wrong shape or not a valid mixture', () => {
    const model = new GaussianMixture({ nComponents: 2 });
    const start = { weights: [0.5, 0.5], means: [[0, 0], [1, 1]], covariances: [[[1, 0], [0, 1]], [[1, 0], [0, 1]]] };
    expect(model.fitFrom(data, start).isFitted).toBe(true);
    expect(errorCode(() => model.fitFrom(data, { ...start, weights: [1] }))).toBe('E_SHAPE');
    expect(errorCode(() => model.fitFrom(data, { ...start, weights: [0.7, 0.7] }))).toBe('E_VALUE');
    expect(errorCode(() => model.fitFrom(data, { ...start, weights: [1.5, -0.5] }))).toBe('E_VALUE');
    expect(errorCode(() => model.fitFrom(data, { ...start, means: [[0, 0, 0], [1, 1, 1]] }))).toBe('E_SHAPE');
    expect(errorCode(() => model.fitFrom(data, { ...start, covariances: [[[1, 0], [0, 1]]] }))).toBe('E_SHAPE');
    expect(errorCode(() => model.fitFrom(data, { ...start, covariances: [[[1, 0.5], [0, 1]], [[1, 0], [0, 1]]] }))).toBe('E_VALUE');  // not symmetric
    expect(errorCode(() => model.fitFrom(data, { ...start, covariances: [[[1, 2], [2, 1]], [[1, 0], [0, 1]]] }))).toBe('E_VALUE');  // not positive definite
    expect(errorCode(() => model.fitFrom(data, { ...start, covariances: [[[1, 0], [0, NaN]], [[1, 0], [0, 1]]] }))).toBe('E_VALUE');
    expect(errorCode(() => model.fitFrom(data, { weights: start.weights, means: start.means } as never))).toBe('E_VALUE');
    expect(errorCode(() => model.fitFrom(data, { ...start, cov: 1 } as never))).toBe('E_VALUE');
    const diag = new GaussianMixture({ nComponents: 2, covarianceType: 'diag' });
    expect(diag.fitFrom(data, { ...start, covariances: [[1, 1], [1, 1]] }).covariances.shape).toEqual([2, 2]);
    expect(errorCode(() => diag.fitFrom(data, { ...start, covariances: [[1, 0], [1, 1]] }))).toBe('E_VALUE');
  });
});

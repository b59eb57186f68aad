/**
 * The conformance suite every estimator of `polymorph/train` runs (design.md: estimators follow
 * scikit-learn). On a small sparse linear problem:
 *
 * - `fit` returns `this`; `predict` gives [n] finite values equal to X·coef + intercept, with
 *   coef of length p, and fits the data (R² above a floor);
 * - determinism: two fits agree bit for bit, as do fits with 1 and 2 threads; refitting an
 *   estimator on other data gives what a fresh one gives;
 * - before `fit`, every learned attribute (every getter of the class but `isFitted`) and
 *   `predict` throw `E_NOT_FITTED`; after it they are readable and read-only;
 * - bad input: X/y length mismatch → `E_SHAPE`, NaN in X or y → `E_VALUE`, unknown (misspelt)
 *   option → `E_VALUE` naming the right one, predict with the wrong number of columns →
 *   `E_SHAPE`; `fitAsync` rejects with the same codes; a failed fit leaves the estimator unfitted;
 * - `fitAsync` resolves to the same instance with the same bits as `fit` (several in flight too);
 * - `toJSON` → `JSON.stringify` → `JSON.parse` → `fromJSON` reproduces every learned attribute
 *   and `predict` bit for bit (unfitted estimators round-trip too); other JSON is `E_VALUE`;
 * - `util.inspect` is a short summary (≤ 15 lines, no arrays), also inside other objects.
 * @example
 * describeEstimatorConformance('LassoLars', { Estimator: LassoLars, make: () => new LassoLars({ alpha: 0.01 }),
 *   options: { alpha: 0.01 }, learned: ['coef', 'intercept', …] }, linearProblem(1));
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { inspect } from 'util';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/core/random';
import { PolymorphError } from '../../lib/core/errors';
import { getNumThreads, setNumThreads } from '../../lib/core/threads';
import type { DesignMatrix } from '../../lib/train';
import { expectCode } from '../potentials/conformance';

/** What every estimator offers (the scikit-learn contract). */
export interface Estimator {
  readonly isFitted: boolean;
  readonly coef: Float64Array;
  readonly intercept: number;
  fit(X: DesignMatrix, y: ArrayLike<number>): this;
  fitAsync(X: DesignMatrix, y: ArrayLike<number>): Promise<this>;
  predict(X: DesignMatrix): Float64Array;
  toJSON(): unknown;
}

/** How the suite builds one kind of estimator. */
export interface EstimatorSpec<E extends Estimator> {
  /** The class: constructed with raw options (to pass bad ones) and read back with `fromJSON`. */
  Estimator: { new (options: never): E; fromJSON(json: unknown): E; prototype: object };
  /** A fresh, unfitted estimator with {@link options}. */
  make: () => E;
  /** Valid options of `make` (a misspelt key is added to them). */
  options: Record<string, unknown>;
  /** A misspelt option and the option it should be (default `fit_intercept` → `fitIntercept`). */
  misspelt?: [string, string];
  /** Every learned attribute (the getters that throw before fit). */
  learned: readonly string[];
  /** Smallest R² of the fit on the training data. Default 0.9. */
  minR2?: number;
}

/** A regression problem: X [n, p], y [n]. */
export interface Problem {
  X: NdArray<Float64Array>;
  y: Float64Array;
}

/**
 * y = X w + 0.3 + noise with a sparse w (3 of `p` non-zero), X [n, p] uniform in [−1, 1),
 * Gaussian-like noise of standard deviation ~`noise`; seeded.
 */
export function linearProblem(seed: number, n = 60, p = 10, noise = 0.2): Problem {
  const random = mulberry32(seed);
  const w = new Float64Array(p);
  w[0] = 1.5;
  w[2 % p] = -2;
  w[5 % p] = 0.7;
  const X = ndarray(new Float64Array(n * p), [n, p]);
  const y = new Float64Array(n);
  for (let i = 0; i < n; ++i) {
    let s = 0.3;
    for (let j = 0; j < p; ++j) {
      const x = 2 * random() - 1;
      X.set(i, j, x);
      s += w[j] * x;
    }
    const gauss = random() + random() + random() - 1.5;  // variance 1/4
    y[i] = s + 2 * noise * gauss;
  }
  return { X, y };
}

/** Registers the conformance tests of one estimator with vitest. */
export function describeEstimatorConformance<E extends Estimator>(name: string, spec: EstimatorSpec<E>, problem: Problem): void {
  const { X, y } = problem;
  const [n, p] = X.shape;
  const [wrongKey, rightKey] = spec.misspelt ?? ['fit_intercept', 'fitIntercept'];

  describe(`${name}: estimator conformance`, () => {
    it('fit returns this; predict gives [n] values = X·coef + intercept that fit the data', () => {
      const model = spec.make();
      expect(model.isFitted).toBe(false);
      expect(model.fit(X, y)).toBe(model);
      expect(model.isFitted).toBe(true);
      expect(model.coef).toBeInstanceOf(Float64Array);
      expect(model.coef.length).toBe(p);
      expect(Number.isFinite(model.intercept)).toBe(true);
      const yHat = model.predict(X);
      expect(yHat).toBeInstanceOf(Float64Array);
      expect(yHat.length).toBe(n);
      let rss = 0, tss = 0;
      const mean = y.reduce((s, v) => s + v, 0) / n;
      for (let i = 0; i < n; ++i) {
        let s = model.intercept;
        for (let j = 0; j < p; ++j) s += X.get(i, j) * model.coef[j];
        expect(Math.abs(yHat[i] - s)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(s)));
        rss += (y[i] - yHat[i]) ** 2;
        tss += (y[i] - mean) ** 2;
      }
      expect(1 - rss / tss, 'R² on the training data').toBeGreaterThan(spec.minR2 ?? 0.9);
      const one = model.predict(ndarray(X.data.slice(0, p), [1, p]));
      expect(one.length).toBe(1);
      expect(one[0]).toBe(yHat[0]);
    });

    it('is deterministic: two fits, 1 vs 2 threads, and a refit on other data agree bit for bit', () => {
      const a = snapshot(spec.make().fit(X, y), spec.learned);
      expect(snapshot(spec.make().fit(X, y), spec.learned)).toEqual(a);
      const threads = getNumThreads();
      try {
        setNumThreads(1);
        const one = snapshot(spec.make().fit(X, y), spec.learned);
        setNumThreads(2);
        const two = snapshot(spec.make().fit(X, y), spec.learned);
        expect(two).toEqual(one);
      } finally {
        setNumThreads(threads);
      }
      const other = linearProblem(99, n, p);
      const refit = spec.make().fit(X, y).fit(other.X, other.y);
      const fresh = spec.make().fit(other.X, other.y);
      expect(snapshot(refit, spec.learned)).toEqual(snapshot(fresh, spec.learned));
      expect(snapshot(refit, spec.learned)).not.toEqual(a);
    });

    it('every learned attribute and predict throw E_NOT_FITTED before fit; after fit they are read-only', () => {
      const getters = Object.entries(Object.getOwnPropertyDescriptors(spec.Estimator.prototype))
        .filter(([key, d]) => d.get !== undefined && key !== 'isFitted').map(([key]) => key);
      expect(getters.sort(), 'the learned attributes are exactly the getters of the class').toEqual([...spec.learned].sort());
      const model = spec.make();
      for (const key of spec.learned) {
        expectCode(() => Reflect.get(model, key), 'E_NOT_FITTED');
        try {
          Reflect.get(model, key);
        } catch (error) {
          expect((error as PolymorphError).message).toContain(key);
        }
      }
      expectCode(() => model.predict(X), 'E_NOT_FITTED');
      model.fit(X, y);
      for (const key of spec.learned) {
        expect(Reflect.get(model, key), key).toBeDefined();
        expect(Reflect.set(model, key, 0), `${key} is read-only`).toBe(false);
      }
      expect(model.coef.length).toBe(p);
    });

    it('bad input is a typed error: E_SHAPE, E_VALUE (NaN, unknown option), also from fitAsync; a failed fit stays unfitted', async () => {
      const model = spec.make();
      expectCode(() => model.fit(X, y.subarray(0, n - 1)), 'E_SHAPE');
      await expect(model.fitAsync(X, y.subarray(0, n - 1))).rejects.toMatchObject({ code: 'E_SHAPE' });
      const nanX = ndarray(Float64Array.from(X.data), [n, p]);
      nanX.set(3, 1, NaN);
      expectCode(() => model.fit(nanX, y), 'E_VALUE');
      const nanY = Float64Array.from(y);
      nanY[4] = NaN;
      expectCode(() => model.fit(X, nanY), 'E_VALUE');
      await expect(model.fitAsync(X, nanY)).rejects.toMatchObject({ code: 'E_VALUE' });
      expect(model.isFitted).toBe(false);
      expectCode(() => model.coef, 'E_NOT_FITTED');
      let thrown: unknown;
      try {
        Reflect.construct(spec.Estimator, [{ ...spec.options, [wrongKey]: false }]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PolymorphError);
      expect((thrown as PolymorphError).code).toBe('E_VALUE');
      expect((thrown as PolymorphError).message).toContain(`'${wrongKey}'`);
      expect((thrown as PolymorphError).message).toContain(`'${rightKey}'`);
      expectCode(() => Reflect.construct(spec.Estimator, [{ ...spec.options, notAnOption: 1 }]), 'E_VALUE');
      model.fit(X, y);
      expectCode(() => model.predict(ndarray(new Float64Array(2 * (p + 1)), [2, p + 1])), 'E_SHAPE');
    });

    it('fitAsync resolves to the same instance with the bits of fit (several in flight too)', async () => {
      const expected = snapshot(spec.make().fit(X, y), spec.learned);
      const model = spec.make();
      const pending = model.fitAsync(X, y);
      expect(model.isFitted).toBe(false);  // nothing learned before the native work is done
      expect(await pending).toBe(model);
      expect(snapshot(model, spec.learned)).toEqual(expected);
      const many = await Promise.all([0, 1, 2].map(() => spec.make().fitAsync(X, y)));
      for (const m of many) expect(snapshot(m, spec.learned)).toEqual(expected);
    });

    it('toJSON → JSON.stringify/parse → fromJSON reproduces every learned attribute and predict bit for bit', () => {
      const model = spec.make().fit(X, y);
      const text = JSON.stringify(model);
      const copy = spec.Estimator.fromJSON(JSON.parse(text));
      expect(copy).toBeInstanceOf(spec.Estimator);
      expect(copy.isFitted).toBe(true);
      expect(snapshot(copy, spec.learned)).toEqual(snapshot(model, spec.learned));
      expectSameBits(copy.predict(X), model.predict(X));
      const other = linearProblem(7, 5, p).X;
      expectSameBits(copy.predict(other), model.predict(other));
      expect(JSON.stringify(copy)).toBe(text);
      const unfitted = spec.Estimator.fromJSON(JSON.parse(JSON.stringify(spec.make())));
      expect(unfitted.isFitted).toBe(false);
      expect(JSON.stringify(unfitted)).toBe(JSON.stringify(spec.make()));
      expect(snapshot(unfitted.fit(X, y), spec.learned)).toEqual(snapshot(model, spec.learned));
    });

    it('fromJSON refuses other JSON with E_VALUE', () => {
      const good = JSON.parse(JSON.stringify(spec.make().fit(X, y)));
      expectCode(() => spec.Estimator.fromJSON(null), 'E_VALUE');
      expectCode(() => spec.Estimator.fromJSON({ ...good, type: 'Other' }), 'E_VALUE');
      expectCode(() => spec.Estimator.fromJSON({ ...good, version: 2 }), 'E_VALUE');
      expectCode(() => spec.Estimator.fromJSON({ ...good, options: { ...good.options, [wrongKey]: true } }), 'E_VALUE');
      const firstArray = Object.keys(good.fitted).find((k) => Array.isArray(good.fitted[k]) && good.fitted[k].length > 0) as string;
      expectCode(() => spec.Estimator.fromJSON({ ...good, fitted: { ...good.fitted, [firstArray]: ['x'] } }), 'E_VALUE');
    });

    it('util.inspect is a short summary (≤ 15 lines, no arrays), fitted or not', () => {
      const model = spec.make();
      const before = inspect(model);
      expect(before.split('\n').length).toBeLessThanOrEqual(15);
      expect(before).toContain(spec.Estimator.prototype.constructor.name);
      expect(before).toContain('not fitted');
      model.fit(X, y);
      const after = inspect(model);
      expect(after.split('\n').length).toBeLessThanOrEqual(15);
      expect(after).toContain('fitted:');
      expect(after).not.toContain('not fitted');
      expect(after.length).toBeLessThan(400);
      expect(after).not.toMatch(/Float64Array|\[\s*-?\d+\.\d+,\s*-?\d/);
      expect(inspect({ model }).split('\n').length).toBeLessThanOrEqual(16);
      expect(String(model)).toBe(after);
    });
  });
}

/** Every learned attribute as plain data (typed arrays and ndarrays as number lists, nested estimators as JSON). */
function snapshot(model: Estimator, learned: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of learned) out[key] = plain(Reflect.get(model, key));
  return out;
}

function plain(value: unknown): unknown {
  if (value instanceof Float64Array || value instanceof Int32Array) return { type: value.constructor.name, values: Array.from(value) };
  if (typeof value === 'object' && value !== null && 'shape' in value && 'data' in value && value.data instanceof Float64Array) {
    return { shape: value.shape, data: Array.from(value.data) };
  }
  if (typeof value === 'object' && value !== null && 'toJSON' in value && typeof value.toJSON === 'function') return value.toJSON();
  return value;
}

/** The same doubles, bit for bit (−0 ≠ 0, NaN payloads alike). */
export function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
}

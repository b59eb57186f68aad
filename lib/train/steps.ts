/**
 * One algorithm, two drivers: a fit is written once as a generator that yields its native calls
 * ({@link NativeStep}, each in a sync and an async form); {@link runSync} makes the calls on the
 * calling thread, {@link runAsync} awaits their queued async forms, so `fit` and `fitAsync` (and
 * `fitPlip` and `fitPlipAsync`) share every line and give the same bits.
 * @example
 * function* twice(d: Design, y: Float64Array): Steps<number> {
 *   const r = yield* step({ run: () => larsPath(d, y, o), runAsync: () => larsPathAsync(d, y, o) });
 *   return 2 * r.nIter;
 * }
 * runSync(twice(d, y)); await runAsync(twice(d, y));
 * @internal
 * @module
 */

/** One native call in both forms; both must give the same result. */
export interface NativeStep<T> {
  run(): T;
  runAsync(): Promise<T>;
}

/** A fit written as a generator of native calls, returning R. */
export type Steps<R> = Generator<NativeStep<void>, R, void>;

/** Yields one call and returns its result (use as `const r = yield* step(call)`). */
export function* step<T>(call: NativeStep<T>): Steps<T> {
  let out!: T;
  yield {
    run: () => { out = call.run(); },
    runAsync: async () => { out = await call.runAsync(); },
  };
  return out;
}

/** Runs every step synchronously; errors propagate as thrown. */
export function runSync<R>(steps: Steps<R>): R {
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    r.value.run();
  }
}

/** Runs every step through its async form; any error (also from input checks) rejects. */
export async function runAsync<R>(steps: Steps<R>): Promise<R> {
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    await r.value.runAsync();
  }
}

/** The key of an estimator's internal fit generator (not part of the public API). */
export const fitSteps: unique symbol = Symbol('polymorph.fitSteps');

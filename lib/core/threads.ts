/**
 * Thread control and the queue for asynchronous native jobs.
 *
 * polymorph parallelises inside native code with OpenMP. {@link setNumThreads} is the one switch;
 * async jobs run one at a time off the event loop ({@link runQueued}), so concurrent calls do not
 * multiply thread teams on the machine.
 * @module
 */
import { fromNative, PolymorphError } from './errors';
import { callNative } from './native';
import type { NativeAddon } from './native-types';

/**
 * Sets how many threads native code uses. `0` means all available cores.
 * The default is OpenMP's (the `OMP_NUM_THREADS` environment variable, else all cores).
 * @example
 * setNumThreads(1); // reproducible single-thread timings
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new PolymorphError('E_VALUE', `setNumThreads: expected a non-negative integer, got ${n}`);
  callNative((a) => a.setNumThreads(n));
}

/** Threads native code currently uses. */
export function getNumThreads(): number {
  return callNative((a) => a.getNumThreads());
}

/** Cores available to this process, as OpenMP sees them. */
export function availableThreads(): number {
  return callNative((a) => a.availableThreads());
}

let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs `job` after every async job queued before it has settled. All async native calls go
 * through here, so at most one OpenMP team runs at a time. Errors reject only this job.
 */
export function runQueued<T>(job: () => Promise<T>): Promise<T> {
  const result = tail.then(job, job);
  tail = result.catch(() => undefined);
  return result;
}

/**
 * The asynchronous form of a native call: `prepare()` runs at once (its errors reject the
 * promise without queueing), then `call(addon, args)` runs queued behind the other async native
 * jobs ({@link runQueued}), and its result goes through `convert`; native errors become
 * PolymorphErrors.
 */
export function callNativeQueued<Args, Raw, Out>(prepare: () => Args, call: (addon: NativeAddon, args: Args) => Promise<Raw>,
  convert: (raw: Raw, args: Args) => Out): Promise<Out> {
  let args: Args;
  try {
    args = prepare();
  } catch (error) {
    return Promise.reject(error);
  }
  return runQueued(async () => {
    try {
      return convert(await callNative((addon) => call(addon, args)), args);
    } catch (error) {
      throw fromNative(error);
    }
  });
}

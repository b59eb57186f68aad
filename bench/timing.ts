/** Timing helpers for benchmarks: median wall times in seconds, and JSON-line reports. */

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

/** Seconds one call of `run` takes. */
function time(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Median wall time of `repeats` runs after `warmup` untimed ones. */
export function medianSeconds(run: () => void, repeats: number, warmup = 1): number {
  for (let k = 0; k < warmup; ++k) run();
  return median(Array.from({ length: repeats }, () => time(run)));
}

/** Like {@link medianSeconds}, with a turn of the event loop before each run (lets finalizers run). */
export async function medianSecondsAsync(run: () => void, repeats: number, warmup = 1): Promise<number> {
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const times: number[] = [];
  for (let k = 0; k < warmup + repeats; ++k) {
    await turn();
    const seconds = time(run);
    if (k >= warmup) times.push(seconds);
  }
  return median(times);
}

/** Prints one benchmark record as a JSON line. */
export function report(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

/** Timing helpers for benchmarks: median wall time of repeated runs, in seconds. */
export function medianSeconds(run: () => void, repeats: number, warmup = 1): number {
  for (let k = 0; k < warmup; ++k) run();
  const times: number[] = [];
  for (let k = 0; k < repeats; ++k) {
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
}

/** Like {@link medianSeconds}, with a turn of the event loop before each run (lets finalizers run). */
export async function medianSecondsAsync(run: () => void, repeats: number, warmup = 1): Promise<number> {
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  for (let k = 0; k < warmup; ++k) {
    await turn();
    run();
  }
  const times: number[] = [];
  for (let k = 0; k < repeats; ++k) {
    await turn();
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 ? times[mid] : 0.5 * (times[mid - 1] + times[mid]);
}

/** Prints one benchmark record as a JSON line. */
export function report(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

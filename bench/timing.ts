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

/** Prints one benchmark record as a JSON line. */
export function report(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

/**
 * The terminal progress line of HDNNP training (`progress: true`): per epoch a bar, the epoch, the
 * training and validation errors, the learning rate, the elapsed time and an estimate of the time
 * left, on stderr. On a terminal the line is rewritten in place; in a log (stderr not a TTY) every
 * epoch gets its own line.
 * @module
 */
import type { HdnnpEpoch } from './hdnnp-trainer';

const WIDTH = 20;

/** One progress line (no line ending) for `row` of a run of `epochs` epochs. */
export function trainingProgressLine(row: HdnnpEpoch, epochs: number): string {
  const done = Math.min(Math.max(row.epoch, 0), epochs);
  const filled = epochs > 0 ? Math.round((WIDTH * done) / epochs) : WIDTH;
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`;
  const errors = (label: string, e: HdnnpEpoch['train'] | null) =>
    (e ? `${label} E ${e.energyRmse.toExponential(2)} F ${Number.isFinite(e.forceRmse) ? e.forceRmse.toExponential(2) : '-'}` : `${label} -`);
  // The mean time per epoch so far (epoch 0's scaling pass included) times the epochs left.
  const eta = done > 0 && done < epochs ? `, ETA ${((row.seconds / done) * (epochs - done)).toFixed(0)} s` : '';
  return `train: ${bar} epoch ${row.epoch}/${epochs}  ${errors('train', row.train)}  ${errors('val', row.validation)}  η ${row.learningRate.toExponential(2)}  ${row.seconds.toFixed(0)} s${eta}`;
}

/** Writes {@link trainingProgressLine} to stderr, in place on a terminal. */
export function reportTrainingProgress(row: HdnnpEpoch, epochs: number): void {
  const line = trainingProgressLine(row, epochs);
  if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K`);
  else process.stderr.write(`${line}\n`);
}

/** Ends the in-place line on a terminal once training stops. */
export function finishTrainingProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

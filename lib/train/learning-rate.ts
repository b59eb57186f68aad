/**
 * Learning-rate schedules for gradient training, evaluated per epoch (the rate is constant within
 * an epoch, as PyTorch's schedulers stepped once per epoch are).
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';

/**
 * A schedule:
 * - `constant`: η₀ every epoch;
 * - `step`: η₀ · factor^⌊epoch/every⌋;
 * - `cosine` (SGDR, Loshchilov & Hutter 2017): within a cycle of T_i epochs,
 *   η = η_min + (η₀ − η_min)(1 + cos(π t/T_i))/2, t = 0 … T_i − 1; the first cycle lasts `period`
 *   epochs and each next one `multiplier` times longer (warm restarts; multiplier 1 = equal cycles).
 */
export type LearningRateSchedule =
  | { type: 'constant' }
  | { type: 'step'; every: number; factor?: number }
  | { type: 'cosine'; period: number; multiplier?: number; minimum?: number };

/** Checks a schedule; `E_VALUE` naming the bad field. */
export function checkSchedule(schedule: LearningRateSchedule, what: string): LearningRateSchedule {
  if (typeof schedule !== 'object' || schedule === null) throw new PolymorphError('E_TYPE', `${what}: schedule must be an object`);
  if (schedule.type === 'constant') {
    checkOptions(schedule, ['type'], `${what} schedule`);
  } else if (schedule.type === 'step') {
    checkOptions(schedule, ['type', 'every', 'factor'], `${what} schedule`);
    if (!(Number.isInteger(schedule.every) && schedule.every >= 1)) throw new PolymorphError('E_VALUE', `${what}: schedule.every must be a positive integer`);
    const f = schedule.factor ?? 0.1;
    if (!(f > 0 && f <= 1)) throw new PolymorphError('E_VALUE', `${what}: schedule.factor must be in (0, 1]`);
  } else if (schedule.type === 'cosine') {
    checkOptions(schedule, ['type', 'period', 'multiplier', 'minimum'], `${what} schedule`);
    if (!(Number.isInteger(schedule.period) && schedule.period >= 1)) throw new PolymorphError('E_VALUE', `${what}: schedule.period must be a positive integer`);
    const m = schedule.multiplier ?? 1;
    if (!(Number.isInteger(m) && m >= 1)) throw new PolymorphError('E_VALUE', `${what}: schedule.multiplier must be a positive integer`);
    if (!((schedule.minimum ?? 0) >= 0)) throw new PolymorphError('E_VALUE', `${what}: schedule.minimum must be ≥ 0`);
  } else {
    throw new PolymorphError('E_VALUE', `${what}: schedule.type must be 'constant', 'step' or 'cosine', got ${JSON.stringify((schedule as { type?: unknown }).type)}`);
  }
  return schedule;
}

/**
 * The learning rate of `epoch` (0-based) for initial rate `initial`.
 * @example
 * learningRate({ type: 'cosine', period: 10 }, 1e-3, 5); // 5e-4
 */
export function learningRate(schedule: LearningRateSchedule, initial: number, epoch: number): number {
  switch (schedule.type) {
    case 'constant': return initial;
    case 'step': return initial * Math.pow(schedule.factor ?? 0.1, Math.floor(epoch / schedule.every));
    case 'cosine': {
      const minimum = schedule.minimum ?? 0, multiplier = schedule.multiplier ?? 1;
      let length = schedule.period, t = epoch;
      while (t >= length) {
        t -= length;
        length *= multiplier;
      }
      return minimum + ((initial - minimum) * (1 + Math.cos((Math.PI * t) / length))) / 2;
    }
  }
}

/**
 * Radial grids of the PLIP descriptors: the Gaussians exp(−a (r − b)²) are the Cartesian product
 * of a list of widths a (1/Å²) and a list of centres b (Å), widths outer, centres inner.
 * @module
 */
import { PolymorphError } from '../core/errors';

/** A PLIP radial grid: every (width, centre) combination is one Gaussian. */
export interface PlipGridSpec {
  /** Widths a of exp(−a (r − b)²), 1/Å², each > 0. */
  widths: number[];
  /** Centres b, Å. */
  centres: number[];
}

/** A range `min, min + step, …` as PLIP writes it in its input files. */
export interface PlipRange {
  min: number;
  max: number;
  step: number;
}

/**
 * The points of a PLIP-style range, reproducing the public PLIP code's loop
 * `for (x = min; x < max + step; x += step)`: x is accumulated in floating point, so rounding
 * can leave the last x just below `max + step` and add one point beyond `max` (e.g. min 0,
 * max 1, step 0.1 gives 12 points, …, 0.9999999999999999, 1.0999999999999999). Use this helper to get
 * exactly the grids a PLIP input file gives; write the list by hand for anything else.
 * @example
 * plipRange({ min: 0.5, max: 6, step: 0.5 }); // [0.5, 1, 1.5, …, 6]
 */
export function plipRange(range: PlipRange): number[] {
  const { min, max, step } = range ?? ({} as PlipRange);
  for (const [name, v] of [['min', min], ['max', max], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new PolymorphError('E_VALUE', `plipRange: ${name} must be a finite number, got ${String(v)}`);
  }
  if (!(step > 0)) throw new PolymorphError('E_VALUE', `plipRange: step must be positive, got ${step}`);
  if ((max - min) / step > 1e6) throw new PolymorphError('E_VALUE', 'plipRange: more than a million points');
  const out: number[] = [];
  for (let x = min; x < max + step; x += step) out.push(x);
  return out;
}

/**
 * A PLIP grid from min/max/step ranges of widths (1/Å²) and centres (Å), with PLIP's loop
 * (see {@link plipRange}).
 * @example
 * // PLIP's example: a = 0.5…1.5 step 1, b = 0.5…6 step 0.5 → 2 × 12 Gaussians
 * const grid = plipGrid({ widths: { min: 0.5, max: 1.5, step: 1 }, centres: { min: 0.5, max: 6, step: 0.5 } });
 */
export function plipGrid(ranges: { widths: PlipRange; centres: PlipRange }): PlipGridSpec {
  return { widths: plipRange(ranges.widths), centres: plipRange(ranges.centres) };
}

/** Checked copy of a grid; `E_VALUE` for an empty grid or bad numbers. `what` prefixes messages. */
export function checkPlipGrid(grid: PlipGridSpec, what: string): PlipGridSpec {
  if (typeof grid !== 'object' || grid === null || !Array.isArray(grid.widths) || !Array.isArray(grid.centres)) {
    throw new PolymorphError('E_TYPE', `${what}: grid must be { widths: number[], centres: number[] }`);
  }
  if (grid.widths.length === 0 || grid.centres.length === 0) throw new PolymorphError('E_VALUE', `${what}: the grid is empty`);
  for (const a of grid.widths) {
    if (typeof a !== 'number' || !Number.isFinite(a) || !(a > 0)) throw new PolymorphError('E_VALUE', `${what}: grid widths must be positive finite numbers (1/Å²), got ${String(a)}`);
  }
  for (const b of grid.centres) {
    if (typeof b !== 'number' || !Number.isFinite(b)) throw new PolymorphError('E_VALUE', `${what}: grid centres must be finite numbers (Å), got ${String(b)}`);
  }
  return { widths: [...grid.widths], centres: [...grid.centres] };
}

/** The Gaussians of a grid as parallel arrays (a, b), widths outer, centres inner. */
export function expandPlipGrid(grid: PlipGridSpec): { widths: Float64Array; centres: Float64Array } {
  const n = grid.widths.length * grid.centres.length;
  const widths = new Float64Array(n), centres = new Float64Array(n);
  let k = 0;
  for (const a of grid.widths) for (const b of grid.centres) widths[k] = a, centres[k++] = b;
  return { widths, centres };
}

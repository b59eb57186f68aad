/**
 * Mean squared displacement and self-diffusion coefficients (Einstein relation) over a trajectory,
 * with positions unwrapped through the periodic images and every frame a time origin. The sums
 * over lags and atoms are C++ (`native/core/msd.hpp`).
 * @module
 */
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import { checkOptions } from '../core/options';
import { chemicalSymbol } from '../structure/elements';
import type { Structure } from '../structure/structure';
import { eachFrame, eachFrameAsync, type Frames, type SyncFrames } from './frames';

/** Options of {@link msd}. */
export interface MsdOptions {
  /** Time between consecutive frames (fs). */
  timestep: number;
  /** Longest lag, in frames (default 200): a ring of maxLag + 1 unwrapped frames is kept, never the whole trajectory. */
  maxLag?: number;
  /** Subtract the centre-of-mass displacement of all atoms (as LAMMPS `compute msd com yes`; default false). */
  com?: boolean;
}

/** Options of {@link MeanSquaredDisplacement.diffusion}. */
export interface DiffusionOptions {
  /** Fit window (fs, inclusive); default from 20 % of the longest lag to the longest lag. */
  from?: number;
  to?: number;
  /** One element's coefficient instead of all atoms'. */
  element?: string;
}

/** MSD(t) of all atoms and of each element (see {@link msd}). */
export class MeanSquaredDisplacement {
  /** @internal */
  constructor(
    /** Lags (fs), from 0. */
    readonly time: Float64Array,
    /** MSD of all atoms (Å²). */
    readonly msd: Float64Array,
    /** MSD of each element's atoms (Å²). */
    readonly perElement: Record<string, Float64Array>,
    /** Number of time origins averaged at each lag. */
    readonly origins: Float64Array,
  ) {}

  /**
   * Self-diffusion coefficient from the Einstein relation, MSD ≈ 6Dt + b, by least squares over
   * the fit window: D in Å²/fs and in cm²/s (1 Å²/fs = 0.1 cm²/s), with the fit's slope and intercept.
   */
  diffusion(options: DiffusionOptions = {}): { D: number; cm2PerS: number; slope: number; intercept: number } {
    const o = checkOptions(options, ['from', 'to', 'element'], 'diffusion');
    const y = o.element === undefined ? this.msd : this.perElement[o.element];
    if (y === undefined) throw new PolymorphError('E_VALUE', `diffusion: no element '${String(o.element)}'; the elements are ${Object.keys(this.perElement).join(', ')}`);
    const last = this.time[this.time.length - 1];
    const from = o.from ?? 0.2 * last, to = o.to ?? last;
    let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let k = 0; k < this.time.length; ++k) {
      const t = this.time[k];
      if (t < from || t > to || this.origins[k] === 0) continue;
      ++n, sx += t, sy += y[k], sxx += t * t, sxy += t * y[k];
    }
    if (n < 2) throw new PolymorphError('E_VALUE', `diffusion: fewer than two lags in the fit window ${from}…${to} fs`);
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const intercept = (sy - slope * sx) / n;
    const D = slope / 6;
    return { D, cm2PerS: D * 0.1, slope, intercept };
  }
}

/** Feeds frames to the native accumulator (native/core/msd.hpp: unwrapping, the ring of frames, the sums). */
class Accumulator {
  private handle: unknown = null;
  private numbers: Int32Array | null = null;
  private elements: number[] = [];
  private frames = 0;

  constructor(readonly timestep: number, readonly maxLag: number, readonly com: boolean) {}

  add(s: Structure): void {
    const n = s.length;
    if (n === 0) throw new PolymorphError('E_EMPTY', 'msd: a frame has no atoms');
    if (this.numbers === null) {
      this.numbers = Int32Array.from(s.numbers);
      this.elements = [...new Set(this.numbers)].sort((a, b) => a - b);
      const species = Int32Array.from(this.numbers, (z) => this.elements.indexOf(z));
      this.handle = callNative((a) => a.msdCreate(species, this.elements.length, this.maxLag, this.com, Float64Array.from(s.masses)));
    } else if (s.length !== this.numbers.length || s.numbers.some((z, i) => z !== this.numbers![i])) {
      throw new PolymorphError('E_VALUE', `msd: frame ${this.frames} has other atoms than frame 0`);
    }
    const periodic = s.pbc.some((x) => x) && s.cell !== null;
    callNative((a) => a.msdAdd(this.handle, flatFloat64(s.positions), periodic ? flatFloat64(s.cell!) : null, periodic ? [...s.pbc] : [false, false, false]));
    ++this.frames;
  }

  result(): MeanSquaredDisplacement {
    const r = callNative((a) => a.msdResult(this.handle));
    const lags = r.sums.length, S = this.elements.length;
    const time = Float64Array.from({ length: lags }, (_, k) => k * this.timestep);
    const perElement: Record<string, Float64Array> = {};
    this.elements.forEach((z, a) => { perElement[chemicalSymbol(z)] = Float64Array.from({ length: lags }, (_, k) => r.perSpecies[k * S + a] / r.origins[k]); });
    return new MeanSquaredDisplacement(time, Float64Array.from(r.sums, (x, k) => x / r.origins[k]), perElement, r.origins);
  }
}

function accumulator(options: MsdOptions): Accumulator {
  const o = checkOptions(options, ['timestep', 'maxLag', 'com'], 'msd');
  if (!(typeof o.timestep === 'number' && Number.isFinite(o.timestep) && o.timestep > 0)) throw new PolymorphError('E_VALUE', `msd: timestep must be a positive number of fs, got ${String(o.timestep)}`);
  const maxLag = o.maxLag ?? 200;
  if (!(Number.isInteger(maxLag) && maxLag >= 1)) throw new PolymorphError('E_VALUE', `msd: maxLag must be a positive integer, got ${String(maxLag)}`);
  if (o.com !== undefined && typeof o.com !== 'boolean') throw new PolymorphError('E_TYPE', 'msd: com must be a boolean');
  return new Accumulator(o.timestep, maxLag, o.com ?? false);
}

/**
 * Mean squared displacement ⟨|r(t₀ + t) − r(t₀)|²⟩ over atoms and time origins t₀ (every frame),
 * for lags up to `maxLag` frames, of all atoms and per element. Positions are unwrapped frame to
 * frame through the nearest periodic image (frames must be close enough that no atom moves half a
 * cell between them), so wrapped trajectories (LAMMPS dumps, extxyz) work. Frames are the same
 * atoms in the same order.
 * @example
 * const m = await msdAsync(iread('run.extxyz'), { timestep: 100 }); // a frame every 100 fs
 * m.diffusion({ element: 'Al' }).cm2PerS;
 */
export function msd(frames: SyncFrames, options: MsdOptions): MeanSquaredDisplacement {
  const acc = accumulator(options);
  eachFrame(frames, 'msd', (s) => acc.add(s));
  return acc.result();
}

/** {@link msd} for any frame source, including async iterables (`iread`): frames are streamed. */
export async function msdAsync(frames: Frames, options: MsdOptions): Promise<MeanSquaredDisplacement> {
  const acc = accumulator(options);
  await eachFrameAsync(frames, 'msd', (s) => acc.add(s));
  return acc.result();
}

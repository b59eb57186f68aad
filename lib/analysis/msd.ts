/**
 * Mean squared displacement and self-diffusion coefficients (Einstein relation) over a trajectory,
 * with positions unwrapped through the periodic images and every frame a time origin.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { inverse3 } from '../structure/cell';
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

class Accumulator {
  private readonly ring: Float64Array[] = [];   // unwrapped positions of the last maxLag + 1 frames (newest last)
  private previous: Float64Array | null = null; // wrapped positions of the last frame
  private sums: Float64Array;
  private perElement = new Map<number, Float64Array>();
  private counts: Float64Array;
  private numbers: Int32Array | null = null;
  private elementCounts = new Map<number, number>();
  private frames = 0;

  constructor(readonly timestep: number, readonly maxLag: number, readonly com: boolean) {
    this.sums = new Float64Array(maxLag + 1);
    this.counts = new Float64Array(maxLag + 1);
  }

  add(s: Structure): void {
    const n = s.length;
    if (n === 0) throw new PolymorphError('E_EMPTY', 'msd: a frame has no atoms');
    if (this.numbers === null) {
      this.numbers = Int32Array.from(s.numbers);
      for (const z of this.numbers) this.elementCounts.set(z, (this.elementCounts.get(z) ?? 0) + 1);
      for (const z of this.elementCounts.keys()) this.perElement.set(z, new Float64Array(this.maxLag + 1));
    } else if (s.length !== this.numbers.length || s.numbers.some((z, i) => z !== this.numbers![i])) {
      throw new PolymorphError('E_VALUE', `msd: frame ${this.frames} has other atoms than frame 0`);
    }
    const p = s.positions;
    const wrapped = Float64Array.from({ length: 3 * n }, (_, k) => p.get(Math.floor(k / 3), k % 3));
    if (!wrapped.every(Number.isFinite)) throw new PolymorphError('E_VALUE', `msd: frame ${this.frames} has non-finite positions`);
    let unwrapped: Float64Array;
    if (this.previous === null) {
      unwrapped = Float64Array.from(wrapped);
    } else {
      // Displacement since the last frame through the nearest image (atoms move less than half a cell between frames).
      const last = this.ring[this.ring.length - 1];
      unwrapped = new Float64Array(3 * n);
      const periodic = s.pbc.some((x) => x) && s.cell !== null;
      const h = periodic ? s.cellMatrix() : null;
      const inv = h ? inverse3(h) : null;
      for (let i = 0; i < n; ++i) {
        const d = [0, 1, 2].map((a) => wrapped[3 * i + a] - this.previous![3 * i + a]);
        if (h && inv) {
          const f = [0, 1, 2].map((b) => d[0] * inv[b] + d[1] * inv[3 + b] + d[2] * inv[6 + b]);
          for (let b = 0; b < 3; ++b) if (s.pbc[b]) f[b] -= Math.round(f[b]);
          for (let a = 0; a < 3; ++a) d[a] = f[0] * h[a] + f[1] * h[3 + a] + f[2] * h[6 + a];
        }
        for (let a = 0; a < 3; ++a) unwrapped[3 * i + a] = last[3 * i + a] + d[a];
      }
    }
    this.previous = wrapped;
    if (this.com) {
      // Store positions relative to the centre of mass (its own drift then cancels in every displacement).
      let m = 0;
      const c = [0, 0, 0];
      for (let i = 0; i < n; ++i) { m += s.masses[i]; for (let a = 0; a < 3; ++a) c[a] += s.masses[i] * unwrapped[3 * i + a]; }
      for (let i = 0; i < n; ++i) for (let a = 0; a < 3; ++a) unwrapped[3 * i + a] -= c[a] / m;
    }
    this.ring.push(unwrapped);
    if (this.ring.length > this.maxLag + 1) this.ring.shift();
    const newest = this.ring.length - 1;
    for (let lag = 0; lag <= newest; ++lag) {
      const old = this.ring[newest - lag];
      let total = 0;
      const byElement = new Map<number, number>();
      for (let i = 0; i < n; ++i) {
        const dx = unwrapped[3 * i] - old[3 * i], dy = unwrapped[3 * i + 1] - old[3 * i + 1], dz = unwrapped[3 * i + 2] - old[3 * i + 2];
        const d2 = dx * dx + dy * dy + dz * dz;
        total += d2;
        byElement.set(this.numbers[i], (byElement.get(this.numbers[i]) ?? 0) + d2);
      }
      this.sums[lag] += total / n;
      for (const [z, v] of byElement) this.perElement.get(z)![lag] += v / this.elementCounts.get(z)!;
      this.counts[lag] += 1;
    }
    ++this.frames;
  }

  result(): MeanSquaredDisplacement {
    const lags = Math.min(this.maxLag + 1, this.frames);
    const time = Float64Array.from({ length: lags }, (_, k) => k * this.timestep);
    const mean = (a: Float64Array): Float64Array => Float64Array.from({ length: lags }, (_, k) => a[k] / this.counts[k]);
    const perElement: Record<string, Float64Array> = {};
    for (const [z, v] of this.perElement) perElement[chemicalSymbol(z)] = mean(v);
    return new MeanSquaredDisplacement(time, mean(this.sums), perElement, this.counts.slice(0, lags));
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

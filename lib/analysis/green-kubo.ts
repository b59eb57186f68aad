/**
 * Shear viscosity by the Green–Kubo relation from the stress the MD engine records.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { boltzmann } from '../structure/units';

/** One sample of the stress: an MD thermo record has these fields. */
export interface StressSample {
  /** Time (fs). */
  time: number;
  /** Stress [3,3] (eV/Å³), any sign convention. */
  stress: { get(i: number, j: number): number } | null;
  /** Cell volume (Å³). */
  volume: number | null;
  /** Temperature (K). */
  temperature: number;
}

/** Options of {@link greenKubo}. */
export interface GreenKuboOptions {
  /** Longest correlation time (fs); default half the series. */
  maxTime?: number;
  /** Temperature (K) and volume (Å³); default the means of the samples. */
  temperature?: number;
  volume?: number;
}

/** What {@link greenKubo} returns. */
export interface GreenKuboResult {
  /** Correlation times (fs), from 0 at the sampling interval. */
  time: Float64Array;
  /** ⟨σ_αβ(0)σ_αβ(t)⟩ averaged over xy, xz, yz ((eV/Å³)²). */
  autocorrelation: Float64Array;
  /** The running integral η(t) = V/(k_BT) ∫₀ᵗ ACF (Pa·s), by the trapezoid rule. */
  viscosity: Float64Array;
  /** Mean of η(t) over a window (fs) where it has reached its plateau (Pa·s); default the second half of `time`. */
  plateau(from?: number, to?: number): number;
  temperature: number;
  volume: number;
}

const eVPerA3InPa = 1.602176634e11;

/** In-place radix-2 FFT of (re, im), length a power of two; sign −1 forward, +1 inverse (unscaled). */
function fft(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; ++i) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) { [re[i], re[j]] = [re[j], re[i]]; [im[i], im[j]] = [im[j], im[i]]; }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (sign * 2 * Math.PI) / len;
    const wr = Math.cos(angle), wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; ++k) {
        const a = i + k, b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci, ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr, im[b] = im[a] - ti;
        re[a] += tr, im[a] += ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr, cr = nr;
      }
    }
  }
}

/** Autocorrelation of x (mean removed) for lags 0…maxLag, averaged over the overlapping origins (FFT, O(n log n)). */
function autocorrelation(x: Float64Array, maxLag: number): Float64Array {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const re = new Float64Array(size), im = new Float64Array(size);
  for (let k = 0; k < n; ++k) re[k] = x[k] - mean;
  fft(re, im, -1);
  for (let k = 0; k < size; ++k) re[k] = re[k] * re[k] + im[k] * im[k], im[k] = 0;
  fft(re, im, 1);
  return Float64Array.from({ length: maxLag + 1 }, (_, lag) => re[lag] / size / (n - lag));
}

/**
 * Shear viscosity η = V/(k_BT) ∫₀^∞ ⟨σ_αβ(0)σ_αβ(t)⟩ dt from a stress time series (the records
 * `MolecularDynamics` gives `onStep` or an observer, equally spaced in time), the autocorrelation
 * averaged over the three off-diagonal components and over every time origin (computed by FFT),
 * its running integral in Pa·s, and a plateau estimate. Run NVT (or NVE) at the state point; sample
 * every few fs; long runs (≫ the stress relaxation time) make the plateau flat.
 * @example
 * const samples: ThermoRecord[] = [];
 * await sim.run(200_000, { every: 5, onStep: (t) => samples.push(t) });
 * const gk = greenKubo(samples, { maxTime: 2000 });
 * gk.plateau(500, 2000) * 1e3; // mPa·s
 */
export function greenKubo(samples: readonly StressSample[], options: GreenKuboOptions = {}): GreenKuboResult {
  const o = checkOptions(options, ['maxTime', 'temperature', 'volume'], 'greenKubo');
  if (!Array.isArray(samples) || samples.length < 4) throw new PolymorphError('E_VALUE', `greenKubo: needs at least 4 stress samples, got ${Array.isArray(samples) ? samples.length : String(samples)}`);
  const n = samples.length;
  const dt = samples[1].time - samples[0].time;
  if (!(dt > 0)) throw new PolymorphError('E_VALUE', 'greenKubo: sample times must increase');
  for (let k = 1; k < n; ++k) {
    if (Math.abs(samples[k].time - samples[k - 1].time - dt) > 1e-6 * dt) throw new PolymorphError('E_VALUE', `greenKubo: samples must be equally spaced in time (sample ${k})`);
    if (samples[k].stress === null) throw new PolymorphError('E_CELL', `greenKubo: sample ${k} has no stress (a periodic cell is needed)`);
  }
  if (samples[0].stress === null) throw new PolymorphError('E_CELL', 'greenKubo: sample 0 has no stress (a periodic cell is needed)');
  const temperature = o.temperature ?? samples.reduce((a, s) => a + s.temperature, 0) / n;
  const volume = o.volume ?? samples.reduce((a, s) => a + (s.volume ?? Number.NaN), 0) / n;
  if (!(temperature > 0 && Number.isFinite(temperature))) throw new PolymorphError('E_VALUE', `greenKubo: temperature must be > 0 K, got ${temperature}`);
  if (!(volume > 0 && Number.isFinite(volume))) throw new PolymorphError('E_VALUE', `greenKubo: volume must be > 0 Å³, got ${volume}`);
  const maxLag = Math.min(n - 1, Math.floor((o.maxTime ?? (dt * (n - 1)) / 2) / dt));
  if (!(maxLag >= 1)) throw new PolymorphError('E_VALUE', 'greenKubo: maxTime is shorter than the sampling interval');
  const acf = new Float64Array(maxLag + 1);
  for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
    const series = Float64Array.from(samples, (s) => s.stress!.get(i, j));
    if (!series.every(Number.isFinite)) throw new PolymorphError('E_VALUE', 'greenKubo: non-finite stress');
    const c = autocorrelation(series, maxLag);
    for (let k = 0; k <= maxLag; ++k) acf[k] += c[k] / 3;
  }
  const factor = (volume / (boltzmann * temperature)) * dt * eVPerA3InPa * 1e-15;  // (eV/Å³)²·Å³/eV·fs → Pa·s
  const viscosity = new Float64Array(maxLag + 1);
  for (let k = 1; k <= maxLag; ++k) viscosity[k] = viscosity[k - 1] + 0.5 * (acf[k - 1] + acf[k]) * factor;
  const time = Float64Array.from({ length: maxLag + 1 }, (_, k) => k * dt);
  return {
    time, autocorrelation: acf, viscosity, temperature, volume,
    plateau(from = time[maxLag] / 2, to = time[maxLag]): number {
      let sum = 0, count = 0;
      for (let k = 0; k <= maxLag; ++k) if (time[k] >= from && time[k] <= to) sum += viscosity[k], ++count;
      if (count === 0) throw new PolymorphError('E_VALUE', `greenKubo: no correlation time in ${from}…${to} fs`);
      return sum / count;
    },
  };
}

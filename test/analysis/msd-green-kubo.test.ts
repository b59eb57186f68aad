/**
 * MSD and self-diffusion: a random walk through periodic boundaries (unwrapping) gives MSD = 3σ²·lag
 * within its statistics and D = σ²/(2Δt); ballistic motion gives v²t² exactly; streaming equals in
 * memory. Green–Kubo: an Ornstein–Uhlenbeck stress of known variance and correlation time gives
 * η = V s² τ/(k_B T) within its statistics.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { greenKubo } from '../../lib/analysis/green-kubo';
import { msd, msdAsync } from '../../lib/analysis/msd';
import { gaussian, mulberry32 } from '../../lib/core/random';
import { boltzmann } from '../../lib/structure/units';
import { Structure } from '../../lib/structure/structure';
import { errorCode } from '../helpers';

/** A random walk of n atoms (σ Å per component per frame) in a periodic box of side L, wrapped into it. */
function walk(n: number, frames: number, sigma: number, L: number, seed: number): Structure[] {
  const gauss = gaussian(mulberry32(seed));
  const x = Float64Array.from({ length: 3 * n }, () => L * Math.abs(gauss()) % L);
  const out: Structure[] = [];
  for (let f = 0; f < frames; ++f) {
    if (f > 0) for (let k = 0; k < 3 * n; ++k) x[k] += sigma * gauss();
    const wrapped = Array.from({ length: n }, (_, i) => [0, 1, 2].map((a) => ((x[3 * i + a] % L) + L) % L));
    out.push(new Structure({ positions: wrapped, symbols: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 'O' : 'Al')), cell: [[L, 0, 0], [0, L, 0], [0, 0, L]], pbc: true }));
  }
  return out;
}

describe('msd', () => {
  it('a random walk through periodic boundaries: MSD = 3σ²·lag within statistics, D = σ²/(2Δt)', () => {
    const sigma = 0.7, n = 1000, frames = 60, dt = 10;
    const m = msd(walk(n, frames, sigma, 8, 3), { timestep: dt, maxLag: 20 });
    expect(m.time.length).toBe(21);
    expect(m.msd[0]).toBe(0);
    for (let lag = 1; lag <= 20; ++lag) {
      const expected = 3 * sigma * sigma * lag;
      // the mean over n atoms of a χ²₃-scaled variable: sd = expected·√(2/3)/√n, origins correlated: allow 6 sd
      expect(Math.abs(m.msd[lag] - expected)).toBeLessThan((6 * expected * Math.sqrt(2 / 3)) / Math.sqrt(n));
    }
    const d = m.diffusion();
    expect(Math.abs(d.D - (sigma * sigma) / (2 * dt)) / ((sigma * sigma) / (2 * dt))).toBeLessThan(0.05);
    expect(d.cm2PerS).toBeCloseTo(d.D * 0.1, 15);
    expect(Object.keys(m.perElement).sort()).toEqual(['Al', 'O']);
  });

  it('ballistic motion: MSD = v²t² exactly; the centre-of-mass option removes a uniform drift', async () => {
    const n = 10, frames = 12, L = 10;
    const v = Array.from({ length: n }, (_, i) => [0.3 + 0.01 * i, -0.2, 0.1 * (i % 3)]);
    const make = (drift: number): Structure[] => Array.from({ length: frames }, (_, f) => new Structure({
      positions: v.map((vi, i) => [0, 1, 2].map((a) => (((i + f * (vi[a] + drift)) % L) + L) % L)),
      symbols: Array(n).fill('Ar'), cell: [[L, 0, 0], [0, L, 0], [0, 0, L]], pbc: true,
    }));
    const m = msd(make(0), { timestep: 1, maxLag: frames - 1 });
    const v2 = v.reduce((a, vi) => a + vi[0] ** 2 + vi[1] ** 2 + vi[2] ** 2, 0) / n;
    for (let lag = 0; lag < frames; ++lag) expect(m.msd[lag]).toBeCloseTo(v2 * lag * lag, 10);
    // every atom drifting by 0.4 more per frame: with com, the same MSD about the centre of mass
    const withDrift = msd(make(0.4), { timestep: 1, maxLag: frames - 1, com: true });
    const mean = [0, 1, 2].map((a) => v.reduce((s, vi) => s + vi[a], 0) / n);
    const relative = v.reduce((s, vi) => s + (vi[0] - mean[0]) ** 2 + (vi[1] - mean[1]) ** 2 + (vi[2] - mean[2]) ** 2, 0) / n;
    for (let lag = 0; lag < frames; ++lag) expect(withDrift.msd[lag]).toBeCloseTo(relative * lag * lag, 10);
    async function* stream(): AsyncGenerator<Structure> { for (const s of make(0)) yield s; }
    expect((await msdAsync(stream(), { timestep: 1, maxLag: frames - 1 })).msd).toEqual(m.msd);
  });

  it('bad input: typed errors', () => {
    const frames = walk(4, 3, 0.1, 5, 1);
    expect(errorCode(() => msd(frames, { timestep: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => msd(frames, { timestep: 1, maxLag: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => msd([frames[0], walk(5, 1, 0.1, 5, 1)[0]], { timestep: 1 }))).toBe('E_VALUE');
    expect(errorCode(() => msd([], { timestep: 1 }))).toBe('E_EMPTY');
    expect(errorCode(() => msd(frames, { timestep: 1 }).diffusion({ element: 'Cu' }))).toBe('E_VALUE');
  });
});

describe('greenKubo', () => {
  it('an Ornstein–Uhlenbeck stress (variance s², correlation time τ) gives η = V s² τ / (k_B T) within its statistics', () => {
    const s = 1e-4, tau = 50, dt = 2, n = 200_000, volume = 5000, temperature = 1000;
    const gauss = gaussian(mulberry32(17));
    const phi = Math.exp(-dt / tau), kick = s * Math.sqrt(1 - phi * phi);
    const x = [s * gauss(), s * gauss(), s * gauss()];
    const samples = Array.from({ length: n }, (_, k) => {
      if (k > 0) for (let c = 0; c < 3; ++c) x[c] = phi * x[c] + kick * gauss();
      const m = ndarray(Float64Array.from([0, x[0], x[1], x[0], 0, x[2], x[1], x[2], 0]), [3, 3]);
      return { time: k * dt, stress: m, volume, temperature };
    });
    const gk = greenKubo(samples, { maxTime: 600 });
    // the discrete OU integral: s² dt (½ + φ/(1−φ)) by the trapezoid rule
    const exact = (volume / (boltzmann * temperature)) * s * s * dt * (0.5 + phi / (1 - phi)) * 1.602176634e11 * 1e-15;
    expect(gk.autocorrelation[0]).toBeGreaterThan(0.97 * s * s);
    expect(gk.autocorrelation[0]).toBeLessThan(1.03 * s * s);
    // statistical error of the integral ≈ √(2 τ_int / T_run)·(integral scale) over 3 components: a few %
    expect(Math.abs(gk.plateau(300, 600) / exact - 1)).toBeLessThan(0.08);
    expect(gk.temperature).toBe(temperature);
    expect(gk.volume).toBe(volume);
  });

  it('bad input: typed errors', () => {
    const one = { time: 0, stress: ndarray(new Float64Array(9), [3, 3]), volume: 10, temperature: 300 };
    expect(errorCode(() => greenKubo([one]))).toBe('E_VALUE');
    const uneven = [0, 1, 3, 4].map((t) => ({ ...one, time: t }));
    expect(errorCode(() => greenKubo(uneven))).toBe('E_VALUE');
    const noCell = [0, 1, 2, 3].map((t) => ({ ...one, time: t, stress: null, volume: null }));
    expect(errorCode(() => greenKubo(noCell))).toBe('E_CELL');
  });
});

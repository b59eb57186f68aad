/**
 * The tanh fit recovers a known midpoint: exactly from noise-free data (either direction of the
 * step), and within its own standard error as often as a normal variable would (68 % within 1σ,
 * over 200 noisy data sets, within 3 binomial standard deviations); bad input is a typed error.
 */
import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32 } from '../../lib/core/random';
import { fitTanh } from '../../lib/workflows/tanh-fit';
import { errorCode } from '../helpers';

const truth = { a: 200, b: -180, x0: 1630, w: 55 };
const temperatures = Array.from({ length: 61 }, (_, k) => 1300 + 10 * k);
const model = (t: number): number => truth.a + truth.b * Math.tanh((t - truth.x0) / truth.w);

describe('fitTanh', () => {
  it('recovers the parameters of noise-free data, for a falling and a rising step', () => {
    const fit = fitTanh(temperatures, temperatures.map(model));
    expect(fit.converged).toBe(true);
    expect(fit.midpoint).toBeCloseTo(truth.x0, 6);
    expect(fit.width).toBeCloseTo(truth.w, 6);
    expect(fit.low).toBeCloseTo(truth.a - truth.b, 6);
    expect(fit.high).toBeCloseTo(truth.a + truth.b, 6);
    expect(fit.rms).toBeLessThan(1e-6);
    expect(fit.evaluate(1630)).toBeCloseTo(200, 6);
    const rising = fitTanh(temperatures, temperatures.map((t) => 10 + 90 * Math.tanh((t - 1500) / 30)));
    expect(rising.midpoint).toBeCloseTo(1500, 6);
    expect(rising.width).toBeCloseTo(30, 6);
  });

  it('its standard error is calibrated: the truth is within 1σ in 68 % of noisy fits', () => {
    const gauss = gaussian(mulberry32(11));
    const trials = 200;
    let within = 0;
    for (let k = 0; k < trials; ++k) {
      const fit = fitTanh(temperatures, temperatures.map((t) => model(t) + 15 * gauss()));
      expect(fit.converged).toBe(true);
      if (Math.abs(fit.midpoint - truth.x0) <= fit.midpointError) ++within;
    }
    const p = 0.6827, sd = Math.sqrt((p * (1 - p)) / trials);
    expect(Math.abs(within / trials - p)).toBeLessThan(3 * sd);
  });

  it('finds the step in a noisy plateau that crosses its mean level long before the drop (measured SGMA counts)', () => {
    // Crystalline atoms of an 800-atom wurtzite ZnO particle (rigid-ion model, embedded SGMA)
    // along a 10 000 K/ns ramp, 1000 → 3000 K: ~30–100 until ~2350 K, then ~0. The plateau dips
    // below the levels' mean at 1125 K; a fit started there alone ends on a wide, line-like tanh.
    const counts = [69, 90, 96, 72, 60, 34, 48, 41, 72, 77, 84, 55, 57, 62, 69, 98, 89, 64, 84, 60, 66, 80, 100, 33, 59, 42, 27, 37, 0, 5, 4, 3, 2, 1, 4, 3, 5, 0, 2, 6, 3];
    const T = counts.map((_, k) => 1000 + 50 * k);
    const fit = fitTanh(T, counts);
    expect(fit.midpoint).toBeGreaterThan(2150);
    expect(fit.midpoint).toBeLessThan(2400);
    expect(fit.width).toBeLessThan(300);
    expect(fit.midpointError).toBeLessThan(100);
    const single = fitTanh(T, counts, { start: { midpoint: 1125 } });
    expect(single.rms).toBeGreaterThan(fit.rms);
  });

  it('a step sharper than the sampling keeps w at half the spacing and a finite midpoint error of the order of the spacing', () => {
    // Crystalline atoms of the demo's 500-atom wurtzite particle (rigid-ion model, embedded SGMA),
    // 1620 → 2400 K at 2000 K/ns, one frame per 20 K: ~30 atoms falling to ~9 around 2140 K with
    // no frame in between. Without the lower bound on w the fit collapsed to a step 0.8 K wide
    // whose midpoint error was NaN.
    const counts = [44, 26, 48, 50, 19, 23, 19, 31, 38, 27, 28, 20, 13, 31, 24, 35, 24, 14, 25, 27, 47, 61, 41, 44, 25, 35, 17, 9, 14, 8, 13, 4, 9, 13, 9, 11, 5, 11, 3, 4];
    const T = counts.map((_, k) => 1620 + 20 * k);
    const fit = fitTanh(T, counts);
    expect(fit.width).toBeCloseTo(10, 6);
    expect(fit.midpoint).toBeGreaterThan(2120);
    expect(fit.midpoint).toBeLessThan(2160);
    expect(Number.isFinite(fit.midpointError)).toBe(true);
    expect(fit.midpointError).toBeGreaterThan(2);
    expect(fit.midpointError).toBeLessThan(40);
    // a clean step between two frames: the midpoint lies between them, within its error
    const sharp = fitTanh(temperatures, temperatures.map((t, k) => (t < 1634 ? 100 : 0) + (k % 2 === 0 ? 1 : -1)));
    expect(sharp.width).toBeCloseTo(5, 6);
    expect(Math.abs(sharp.midpoint - 1635)).toBeLessThan(5 + sharp.midpointError);
    expect(sharp.midpointError).toBeGreaterThan(0);
    expect(sharp.midpointError).toBeLessThan(10);
  });

  it('bad input is a typed error', () => {
    expect(errorCode(() => fitTanh([1, 2, 3], [1, 2]))).toBe('E_SHAPE');
    expect(errorCode(() => fitTanh([1, 2, 3, 4], [1, 2, 3, 4]))).toBe('E_VALUE');
    expect(errorCode(() => fitTanh([1, 2, 3, 4, NaN], [1, 2, 3, 4, 5]))).toBe('E_VALUE');
    expect(errorCode(() => fitTanh([1, 1, 1, 1, 1], [1, 2, 3, 4, 5]))).toBe('E_VALUE');
    expect(errorCode(() => fitTanh(temperatures, temperatures.map(model), { maxIter: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => fitTanh(temperatures, temperatures.map(model), { bogus: 1 } as never))).toBe('E_VALUE');
  });
});

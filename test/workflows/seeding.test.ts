/**
 * The seeding protocol on Lennard-Jones argon (a 400-atom fcc seed in a ~1100-atom liquid droplet,
 * T0 = 55 K, bulk T_m = 84 K): step 1 keeps the frozen seed exactly in place, step 2 holds the
 * liquid at T0 and the seed on its ramp (each group's mean kinetic temperature within 10 % and
 * 15 % of its target over the second half), the seed survives the relaxation, grows deep below the
 * melting point and melts above it. criticalTemperature narrows a synthetic growth-rate sign
 * change to ≤ 16 K and refuses a bracket whose ends do not grow and melt.
 */
import { inspect } from 'util';
import { describe, expect, it } from 'vitest';
import { errorCodeAsync } from '../helpers';
import { argon, argonSgma } from './argon';
import { fcc } from '../../lib/build/crystals';
import { droplet } from '../../lib/build/droplet';
import { MolecularDynamics } from '../../lib/md/molecular-dynamics';
import { NoseHooverChain } from '../../lib/md/thermostats';
import { maxwellBoltzmann } from '../../lib/md/velocities';
import type { Structure } from '../../lib/structure/structure';
import { criticalTemperature, seeding } from '../../lib/workflows/seeding';


const sgma = argonSgma(0.2, 5.3, 3.75);

async function liquidDroplet(): Promise<Structure> {
  const md = new MolecularDynamics(maxwellBoltzmann(droplet(fcc('Ar', 5.26).repeat(10), { atoms: 1200 }), { temperature: 110, seed: 2 }), argon,
    { timestep: 5, integrator: new NoseHooverChain({ temperature: [110, 55], relaxation: 500 }) });
  await md.run(4000, { every: 1000 });
  return md.structure;
}

describe('seeding', () => {
  it('relaxes in the paper\'s three steps; the seed grows well below T_m and melts above it', async () => {
    const liquid = await liquidDroplet();
    const stages = new Set<string>();
    const s = await seeding(argon, {
      droplet: liquid, seed: fcc('Ar', 5.26), phase: 'fcc', seedAtoms: 400, T0: 55, seedFrom: 10, temperatures: [35, 95], replicas: 2, frames: 11,
      classifier: sgma, timestep: 5, relaxation: 500, durations: { frozen: 5, heatSeed: 5, quench: 5, production: 30 }, onProgress: (p) => stages.add(p.stage),
    });
    expect([...stages].sort()).toEqual(['production', 'quench', 'relaxation']);
    expect(s.relaxation.seedDisplacement).toBe(0);
    expect(Math.abs(s.relaxation.liquidStep2 / 55 - 1)).toBeLessThan(0.1);
    const rampSecondHalf = 10 + 0.75 * (55 - 10);  // mean target of the seed's ramp over the second half
    expect(Math.abs(s.relaxation.seedStep2 / rampSecondHalf - 1)).toBeLessThan(0.15);
    expect(s.relaxation.size).toBeGreaterThan(100);
    const [cold, hot] = s.temperatures;
    expect(cold.sizes.length).toBe(2);
    expect(cold.times.length).toBe(11);
    expect(cold.grows).toBe(true);
    expect(cold.mean[10]).toBeGreaterThan(cold.mean[0]);
    expect(hot.grows).toBe(false);
    expect(hot.mean[10]).toBeLessThan(0.5 * hot.mean[0] + 1);
    // the slope's standard error from the residuals; the steady growth is significant (beyond 2σ). (The
    // melting seed is gone within a few ps, so a line through N(t) fits it badly and its σ is large.)
    expect(cold.growthRate).toBeGreaterThan(2 * cold.growthRateError);
    for (const t of [cold, hot]) {
      expect(t.growthRateError).toBeGreaterThan(0);
      const n = t.times.length, mt = t.times.reduce((a, b) => a + b, 0) / n, mn = t.mean.reduce((a, b) => a + b, 0) / n;
      const sxx = t.times.reduce((a, x) => a + (x - mt) ** 2, 0);
      const rss = t.times.reduce((a, x, k) => a + (t.mean[k] - mn - t.growthRate * (x - mt)) ** 2, 0);
      expect(t.growthRateError).toBeCloseTo(Math.sqrt(rss / (n - 2) / sxx), 10);
      // the slope is linear in N(t): the mean curve's slope is the mean of the replicas' slopes,
      // and their standard error is the spread of the two over √2 (= |r1 − r2| / 2)
      const perReplica = t.sizes.map((s) => s.reduce((a, y, k) => a + (y - s.reduce((b, z) => b + z, 0) / n) * (t.times[k] - mt), 0) / sxx);
      expect(t.replicaRates).toHaveLength(2);
      t.replicaRates.forEach((r, k) => expect(r).toBeCloseTo(perReplica[k], 10));
      expect(t.growthRate).toBeCloseTo((perReplica[0] + perReplica[1]) / 2, 10);
      expect(t.replicaRateError).toBeCloseTo(Math.abs(perReplica[0] - perReplica[1]) / 2, 10);
    }
    for (const t of s.temperatures) for (let k = 0; k < t.times.length; ++k) expect(t.std[k]).toBeGreaterThanOrEqual(0);
    // the nucleus (fcc ∪ hcp) holds the largest fcc cluster, so it is never smaller; its last frame's
    // composition adds up to it and has that cluster's fcc atoms at least
    expect(s.relaxation.nucleus.atoms).toBeGreaterThanOrEqual(s.relaxation.size);
    for (const t of s.temperatures) {
      expect(t.crystal).toHaveLength(2);
      expect(t.finalNucleus).toHaveLength(2);
      t.crystal.forEach((c, r) => {
        expect(c).toHaveLength(t.times.length);
        c.forEach((atoms, k) => expect(atoms).toBeGreaterThanOrEqual(t.sizes[r][k]));
        const last = t.finalNucleus[r];
        expect(last.atoms).toBe(c[c.length - 1]);
        expect(Object.values(last.composition).reduce((a, b) => a + b, 0)).toBe(last.atoms);
        expect(last.composition.fcc ?? 0).toBeGreaterThanOrEqual(t.sizes[r][c.length - 1]);
      });
    }
    // the grown seed is still mostly fcc
    for (const n of cold.finalNucleus) expect(n.phase).toBe('fcc');
    // the summary names the nuclei that end mostly in another phase, and only those
    const text = inspect(s);
    expect(text).toContain(`after relaxation: ${s.relaxation.size} atoms (nucleus ${s.relaxation.nucleus.atoms})`);
    for (const t of s.temperatures) {
      const other = t.finalNucleus.filter((n) => n.phase !== null && n.phase !== 'fcc').length;
      expect(text.includes(`${other} of 2 nuclei end mostly`)).toBe(other > 0);
    }
    expect(await errorCodeAsync(seeding(argon, { droplet: liquid, seedAtoms: 2000, T0: 55, temperatures: [40], classifier: sgma, phase: 'fcc' }))).toBe('E_VALUE');
    expect(await errorCodeAsync(seeding(argon, { droplet: liquid, seedAtoms: 100, T0: 55, temperatures: [40], classifier: sgma }))).toBe('E_VALUE');  // no 'wurtzite' label
    expect(await errorCodeAsync(seeding(argon, { droplet: liquid, seedAtoms: 100, T0: 55, temperatures: [], classifier: sgma, phase: 'fcc' }))).toBe('E_VALUE');
    expect(await errorCodeAsync(seeding(argon, { droplet: liquid, seedAtoms: 100, T0: 55, temperatures: [40], classifier: sgma, phase: 'fcc', replicas: 0 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(seeding(argon, { droplet: liquid, seedAtoms: 100, T0: 55, temperatures: [40], classifier: sgma, phase: 'fcc', crystalLabels: ['hcp'] }))).toBe('E_VALUE');  // without the seed's phase
    expect(await errorCodeAsync(seeding(argon, { droplet: liquid, seedAtoms: 100, T0: 55, temperatures: [40], classifier: sgma, phase: 'fcc', crystalLabels: ['fcc', 'bcc'] }))).toBe('E_VALUE');  // not a label
  });

  it('criticalTemperature brackets the sign change of dN/dt to ≤ 16 K', async () => {
    const tc = 1234.5;
    const r = await criticalTemperature((T) => tc - T, { low: 1000, high: 1500 });
    expect(r.low).toBeLessThan(tc);
    expect(r.high).toBeGreaterThan(tc);
    expect(r.high - r.low).toBeLessThanOrEqual(16);
    expect(r.evaluations.length).toBe(2 + Math.ceil(Math.log2(500 / 16)));
    expect(Math.abs(r.estimate - tc)).toBeLessThanOrEqual(8);
    expect(await errorCodeAsync(criticalTemperature((T) => tc - T, { low: 1300, high: 1500 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(criticalTemperature((T) => tc - T, { low: 1000, high: 1200 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(criticalTemperature(() => Number.NaN, { low: 1000, high: 1200 }))).toBe('E_VALUE');
    // without errors every sign counts: nothing undecided, the significant bracket is the bisection's
    expect(r.undecided).toEqual([]);
    expect(r.significantBracket).toEqual({ low: r.low, high: r.high });
  });

  it('criticalTemperature with errors: rates within 2σ of zero are undecided, and the significant bracket is what they cannot narrow', async () => {
    const tc = 1234.5, sigma = 40;
    const r = await criticalTemperature((T) => ({ rate: tc - T, error: sigma }), { low: 1000, high: 1500 });
    // the bisection itself goes where the signs say, as without errors
    expect(r.high - r.low).toBeLessThanOrEqual(16);
    expect(r.low).toBeLessThan(tc);
    expect(r.high).toBeGreaterThan(tc);
    for (const e of r.evaluations) expect(e.error).toBe(sigma);
    const near = r.evaluations.filter((e) => Math.abs(tc - e.temperature) <= 2 * sigma).map((e) => e.temperature);
    expect(near.length).toBeGreaterThan(0);
    expect(r.undecided).toEqual(near);
    // decided: 1000 and 1125 K grow (234.5, 109.5 > 80), 1500 K melts; everything between is within 2σ
    expect(r.significantBracket).toEqual({ low: 1125, high: 1500 });
    expect(r.significantBracket.low!).toBeLessThan(tc);
    expect(r.significantBracket.high!).toBeGreaterThan(tc);
    // a tighter significance decides more
    const loose = await criticalTemperature((T) => ({ rate: tc - T, error: sigma }), { low: 1000, high: 1500, significance: 0.1 });
    expect(loose.undecided.length).toBeLessThan(r.undecided.length);
    expect(await errorCodeAsync(criticalTemperature(() => ({ rate: 1, error: Number.NaN }), { low: 1000, high: 1200 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(criticalTemperature(() => ({ rate: 1, error: 1 }), { low: 1000, high: 1200, significance: -1 }))).toBe('E_VALUE');
  });
});

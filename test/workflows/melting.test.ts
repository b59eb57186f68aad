/**
 * meltingTemperature on a Lennard-Jones argon cluster (201 atoms, fcc cut, 1000 K/ns, solid-like
 * atoms by ten Wolde bonds): the cluster starts crystalline and ends liquid, and the fitted
 * melting point lies below bulk LJ argon's triple point (T* = 0.694, 83.8 K for ε = 0.0104 eV:
 * small clusters melt lower) and above half of it; cancelling rejects with E_CANCELLED; bad input
 * fails before the run.
 */
import { describe, expect, it } from 'vitest';
import { errorCodeAsync } from '../helpers';
import { argon, argonCluster, argonTripleTemperature } from './argon';
import { crystal } from '../../lib/build/crystal';
import { Coulomb } from '../../lib/potentials/coulomb';
import { meltingTemperature } from '../../lib/workflows/melting';


const particle = argonCluster;
const run = { particle, ramp: { from: 10, to: 110, rate: 1000 }, timestep: 5, frames: 41, solidAtoms: { cutoff: 4.6 } };

describe('meltingTemperature', () => {
  it('an argon cluster melts along the ramp; the tanh midpoint is a cluster melting point', async () => {
    const progress: number[] = [];
    const m = await meltingTemperature(argon, { ...run, onProgress: (p) => progress.push(p.frame) });
    expect(m.atoms).toBe(201);
    expect(m.temperatures.length).toBe(41);
    expect(progress).toEqual(Array.from({ length: 41 }, (_, k) => k + 1));
    expect(m.crystal[0]).toBeGreaterThan(0.8 * 201);
    expect(m.crystal[40]).toBeLessThan(0.05 * 201);
    const tBulk = argonTripleTemperature;
    expect(m.meltingTemperature).toBeGreaterThan(0.5 * tBulk);
    expect(m.meltingTemperature).toBeLessThan(tBulk);
    expect(m.uncertainty).toBeGreaterThan(0);
    expect(m.uncertainty).toBeLessThan(5);
    expect(m.fit.converged).toBe(true);
    // the thermostat follows the ramp: the kinetic temperature of the last third tracks the target
    const late = m.measuredTemperatures.slice(28).map((t, k) => t / m.temperatures[28 + k]);
    expect(late.reduce((a, b) => a + b, 0) / late.length).toBeGreaterThan(0.85);
    expect(late.reduce((a, b) => a + b, 0) / late.length).toBeLessThan(1.15);
    expect(JSON.parse(JSON.stringify(m)).meltingTemperature).toBe(m.meltingTemperature);
  });

  it('several replicas: T_melt is the mean of their midpoints and its error their standard error; replica 0 is the one-ramp run', async () => {
    const replicasSeen = new Set<number>();
    const [one, three] = await Promise.all([
      meltingTemperature(argon, { ...run, seed: 4 }),
      meltingTemperature(argon, { ...run, seed: 4, replicas: 3, onProgress: (p) => replicasSeen.add(p.replica) }),
    ]);
    expect([...replicasSeen].sort()).toEqual([0, 1, 2]);
    expect(three.replicas.map((r) => r.seed)).toEqual([4, 5, 6]);
    // replica 0 starts from the same velocities as the one-ramp run: the same trajectory
    expect(three.replicas[0].crystal).toEqual(one.crystal);
    expect(three.replicas[0].fit.midpoint).toBe(one.meltingTemperature);
    expect(one.replicas.length).toBe(1);
    expect(one.uncertainty).toBe(one.fit.midpointError);
    const midpoints = three.replicas.map((r) => r.fit.midpoint);
    const mean = (midpoints[0] + midpoints[1] + midpoints[2]) / 3;
    const sd = Math.sqrt(midpoints.reduce((a, m) => a + (m - mean) ** 2, 0) / 2);
    expect(three.meltingTemperature).toBeCloseTo(mean, 10);
    expect(three.uncertainty).toBeCloseTo(sd / Math.sqrt(3), 10);
    expect(sd).toBeGreaterThan(0);  // other seeds, other trajectories
    for (const m of midpoints) {
      expect(m).toBeGreaterThan(0.5 * argonTripleTemperature);
      expect(m).toBeLessThan(argonTripleTemperature);
    }
    for (const k of [0, 20, 40]) expect(three.crystal[k]).toBeCloseTo((three.replicas[0].crystal[k] + three.replicas[1].crystal[k] + three.replicas[2].crystal[k]) / 3, 12);
    // the fit of the mean curve lies among the replicas' midpoints
    expect(three.fit.midpoint).toBeGreaterThan(Math.min(...midpoints) - 3 * three.fit.midpointError);
    expect(three.fit.midpoint).toBeLessThan(Math.max(...midpoints) + 3 * three.fit.midpointError);
  });

  it('cancels between frames, and checks its input before any MD', async () => {
    const controller = new AbortController();
    const cancelled = meltingTemperature(argon, { ...run, onProgress: (p) => { if (p.frame === 3) controller.abort(); }, signal: controller.signal });
    expect(await errorCodeAsync(cancelled)).toBe('E_CANCELLED');
    const { solidAtoms: _, ...noMeasure } = run;
    expect(await errorCodeAsync(meltingTemperature(argon, noMeasure))).toBe('E_VALUE');
    expect(await errorCodeAsync(meltingTemperature(argon, { ...run, ramp: { from: 100, to: 50 } }))).toBe('E_VALUE');
    expect(await errorCodeAsync(meltingTemperature(argon, { ...run, frames: 3 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(meltingTemperature(argon, { ...run, replicas: 0 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(meltingTemperature(argon, { ...run, replicas: 1.5 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(meltingTemperature(argon, { ...run, seed: -1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(meltingTemperature(argon, { ...run, particle: crystal('wurtzite') }))).toBe('E_CELL');
    expect(await errorCodeAsync(meltingTemperature({} as never, run))).toBe('E_TYPE');
    // a potential without the particle's elements (charges for Zn and O only, the particle is argon)
    expect(await errorCodeAsync(meltingTemperature(new Coulomb({ charges: { Zn: 2, O: -2 } }), run))).toBe('E_ELEMENT');
  });
});

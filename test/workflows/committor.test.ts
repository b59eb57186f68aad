/**
 * Committor and dynamical propensity on a 201-atom Lennard-Jones argon cluster (T_m ≈ 72 K):
 * a configuration deep in the solid basin has committor 1 and one in neither basin, shot at
 * 150 K, melts in every shot (committor 0); shots that reach no basin are undecided. In the
 * isoconfigurational ensemble at 30 K, surface atoms (≤ 8 neighbours) move more than core atoms
 * (12 neighbours), and every atom more at 50 K than at 20 K.
 */
import { describe, expect, it } from 'vitest';
import { argon, argonCluster } from './argon';
import { solidAtoms } from '../../lib/analysis/solid-atoms';
import { NeighborList } from '../../lib/structure/neighbor-list';
import type { Structure } from '../../lib/structure/structure';
import { committor } from '../../lib/workflows/committor';
import { dynamicalPropensity } from '../../lib/workflows/propensity';

const cluster = argonCluster;
const solid = (s: Structure): number => solidAtoms(s, { cutoff: 4.6 }).indices.length;

describe('committor', () => {
  it('is 1 deep in the solid, 0 for shots that all melt, and undecided for shots that reach no basin', async () => {
    expect(solid(cluster)).toBeGreaterThan(150);
    const deep = await committor(argon, cluster, { temperature: 20, isSolid: (s) => solid(s) > 150, isLiquid: (s) => solid(s) < 10, shots: 3, timestep: 5 });
    expect(deep.committors).toEqual([1]);
    expect(deep.configurations[0].times).toEqual([0, 0, 0]);
    // neither basin at the start (the cluster has fewer than 195 solid atoms); at 150 K every shot melts
    const hot = await committor(argon, cluster, { temperature: 150, isSolid: (s) => solid(s) > 195, isLiquid: (s) => solid(s) < 10, shots: 3, maxTime: 100, checkEvery: 5, timestep: 5 });
    expect(hot.configurations[0].outcomes).toEqual(['liquid', 'liquid', 'liquid']);
    expect(hot.committors).toEqual([0]);
    expect(Math.min(...hot.configurations[0].times)).toBeGreaterThan(0);
    // at 10 K the cluster neither gains 195 solid atoms nor melts
    const stuck = await committor(argon, cluster, { temperature: 10, isSolid: (s) => solid(s) > 195, isLiquid: (s) => solid(s) < 10, shots: 2, maxTime: 5, checkEvery: 2.5, timestep: 5 });
    expect(stuck.configurations[0].outcomes).toEqual(['undecided', 'undecided']);
    expect(Number.isNaN(stuck.committors[0])).toBe(true);
    await expect(committor(argon, cluster, { temperature: 20, isSolid: () => true, isLiquid: () => true })).rejects.toMatchObject({ code: 'E_VALUE' });
    await expect(committor(argon, [], { temperature: 20, isSolid: () => true, isLiquid: () => false })).rejects.toMatchObject({ code: 'E_TYPE' });
    await expect(committor(argon, cluster, { temperature: 20, isSolid: () => true, isLiquid: () => false, shots: 0 })).rejects.toMatchObject({ code: 'E_VALUE' });
  });
});

describe('dynamicalPropensity', () => {
  it('surface atoms are more mobile than core atoms; all atoms more at a higher temperature', async () => {
    const list = NeighborList.build(cluster, 4.6);
    const neighbours = Array.from({ length: cluster.length }, (_, i) => list.rowPtr[i + 1] - list.rowPtr[i]);
    const p30 = await dynamicalPropensity(argon, cluster, { temperature: 30, replicas: 6, time: 10, timestep: 5 });
    expect(p30.propensity.length).toBe(201);
    const mean = (f: (k: number) => boolean): number => { const v = p30.propensity.filter((_, i) => f(neighbours[i])); return v.reduce((a, b) => a + b, 0) / v.length; };
    expect(mean((k) => k <= 8)).toBeGreaterThan(1.5 * mean((k) => k === 12));
    const p20 = await dynamicalPropensity(argon, cluster, { temperature: 20, replicas: 3, time: 10, timestep: 5 });
    const p50 = await dynamicalPropensity(argon, cluster, { temperature: 50, replicas: 3, time: 10, timestep: 5 });
    expect(p50.mean).toBeGreaterThan(p20.mean);
    expect(p30.error.every((e) => e >= 0)).toBe(true);
    await expect(dynamicalPropensity(argon, cluster, { temperature: 30, replicas: 1 })).rejects.toMatchObject({ code: 'E_VALUE' });
  });
});

/**
 * bruteForceNucleation on Lennard-Jones argon with an SGMA classifier (fcc, hcp, disordered):
 * a crystalline droplet kept well below its melting point is found crystalline from the first
 * frame (nucleus at t = 0, fcc) and stays so; a melted droplet starts the quench with no
 * crystal; compositions account for every atom; bad input fails before any MD.
 */
import { describe, expect, it } from 'vitest';
import { errorCodeAsync } from '../helpers';
import { argon, argonCluster, argonSgma } from './argon';
import { crystal } from '../../lib/build/crystal';
import { Coulomb } from '../../lib/potentials/coulomb';
import { bruteForceNucleation } from '../../lib/workflows/brute-force';


const sgma = argonSgma(0.1, 5.26, 3.72);
const particle = argonCluster;
const base = { meltingTemperature: 72, droplet: particle, classifier: sgma, timestep: 5, nucleusAtoms: 10 };

describe('bruteForceNucleation', () => {
  it('a crystalline droplet well below T_melt is a nucleus from the start; a melted one has none at the quench', async () => {
    const frozen = await bruteForceNucleation(argon, { ...base, supercooling: 0.3, melt: false, replicas: 2, duration: 10, frames: 6 });
    expect(frozen.temperature).toBeCloseTo(21.6, 10);
    expect(frozen.replicas.length).toBe(2);
    for (const r of frozen.replicas) {
      expect(r.times).toEqual([0, 2, 4, 6, 8, 10]);
      for (const c of r.composition) expect(Object.values(c).reduce((a, b) => a + b, 0)).toBe(201);
      expect(r.firstNucleusTime).toBe(0);
      expect(r.finalCluster.phase).toBe('fcc');
      expect(Math.min(...r.largest)).toBeGreaterThanOrEqual(10);
    }
    expect(frozen.nucleated).toBe(2);
    const melted = await bruteForceNucleation(argon, { ...base, supercooling: 0.5, melt: { time: 20 }, replicas: 1, duration: 5, frames: 2 });
    const first = melted.replicas[0].composition[0];
    expect(first.fcc + first.hcp).toBeLessThan(0.05 * 201);
    expect(melted.replicas[0].largest[0]).toBeLessThan(10);
    expect(JSON.parse(JSON.stringify(melted)).temperature).toBe(36);
  });

  it('checks its input before any MD', async () => {
    expect(await errorCodeAsync(bruteForceNucleation(argon, { ...base, supercooling: 1.1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(bruteForceNucleation(argon, { ...base, replicas: 0 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(bruteForceNucleation(argon, { ...base, nucleusAtoms: 500 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(bruteForceNucleation(argon, { ...base, droplet: crystal('wurtzite') }))).toBe('E_CELL');
    expect(await errorCodeAsync(bruteForceNucleation(argon, { ...base, classifier: undefined as never }))).toBe('E_VALUE');
    expect(await errorCodeAsync(bruteForceNucleation(argon, { ...base, crystalLabels: ['bcc'] }))).toBe('E_VALUE');
    expect(await errorCodeAsync(bruteForceNucleation(new Coulomb({ charges: { Zn: 2, O: -2 } }), base))).toBe('E_ELEMENT');
  });
});

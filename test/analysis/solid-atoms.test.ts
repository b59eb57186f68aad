import { describe, expect, it } from 'vitest';
import { clusters } from '../../lib/analysis/clusters';
import { solidAtoms, solidAtomsAsync } from '../../lib/analysis/solid-atoms';
import { fcc, rattle } from '../../lib/build/crystals';
import { insertSeed } from '../../lib/build/droplet';
import { setNumThreads } from '../../lib/core/threads';
import { mulberry32 } from '../../lib/core/random';
import { Structure } from '../../lib/structure/structure';
import { errorCode } from '../helpers';

/** Uniform random points at fcc copper's density in a periodic cube (an ideal gas: no order). */
function gas(n: number, seed: number): Structure {
  const L = Math.cbrt((n * 3.61 ** 3) / 4);
  const random = mulberry32(seed);
  return new Structure({ positions: Array.from({ length: n }, () => [L * random(), L * random(), L * random()]), symbols: Array(n).fill('Cu'), cell: [[L, 0, 0], [0, L, 0], [0, 0, L]], pbc: true });
}

describe('solidAtoms', () => {
  it('every atom of an fcc crystal is solid (and > 99 % rattled), with q6 of fcc; an ideal gas has almost none', () => {
    const crystal = fcc('Cu', 3.61).repeat(4);
    const r = solidAtoms(crystal, { cutoff: 3.0 });
    expect(r.solid.every(Boolean)).toBe(true);
    expect(Array.from(new Set(r.connections))).toEqual([12]);
    r.ql.forEach((q) => expect(q).toBeCloseTo(0.5745242597, 9));
    const shaken = solidAtoms(rattle(crystal, 0.1, 3), { cutoff: 3.1 });
    expect(shaken.indices.length / crystal.length).toBeGreaterThan(0.99);
    const g = solidAtoms(gas(2000, 5), { cutoff: 3.1 });
    expect(g.indices.length / 2000).toBeLessThan(0.02);
  });

  it('a crystal seed in a disordered host is found as the largest solid cluster, of about the seed size', () => {
    const host = gas(3000, 8);
    const { structure, seed } = insertSeed(host, fcc('Cu', 3.61), { atoms: 200, minDistance: 2.2 });
    const { solid } = solidAtoms(structure, { cutoff: 3.1 });
    const { largest, largestAtoms } = clusters(structure, solid, { cutoff: 3.1 });
    const inSeed = Array.from(largestAtoms).filter((i) => seed.includes(i)).length;
    // the seed's surface atoms have too few crystalline neighbours; its core is solid, and nothing else
    expect(largest).toBeGreaterThan(0.5 * seed.length);
    expect(largest).toBeLessThan(1.1 * seed.length);
    expect(inSeed / largest).toBeGreaterThan(0.95);
  });

  it('1 thread = 2 threads, async = sync; bad input is a typed error', async () => {
    const s = rattle(fcc('Cu', 3.61).repeat(6), 0.25, 2);
    setNumThreads(1);
    const one = solidAtoms(s, { cutoff: 3.1 });
    setNumThreads(2);
    const two = solidAtoms(s, { cutoff: 3.1 });
    setNumThreads(0);
    expect(two.connections).toEqual(one.connections);
    expect(two.ql).toEqual(one.ql);
    expect((await solidAtomsAsync(s, { cutoff: 3.1 })).connections).toEqual(one.connections);
    expect(errorCode(() => solidAtoms(s, { cutoff: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => solidAtoms(s, { cutoff: 3, l: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => solidAtoms(s, { cutoff: 3, threshold: 1 }))).toBe('E_VALUE');
    expect(errorCode(() => solidAtoms(s, { cutoff: 3, minBonds: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => solidAtoms(s, { cutoff: 3, bonds: 3 } as never))).toBe('E_VALUE');
    expect(errorCode(() => solidAtoms(new Structure({ positions: [], symbols: [] }), { cutoff: 3 }))).toBe('E_EMPTY');
  });
});

/**
 * SGMA on synthetic references: the seven ZnO polymorphs rattled by 0.12 Å (about their thermal
 * motion near 1000 K) and a disordered "liquid" (zincblende rattled by 0.7 Å). Held-out frames of
 * each are classified ≥ 95 % right; an inserted wurtzite seed in a disordered droplet is found as
 * a wurtzite cluster inside the seed; JSON round trips; per-species models; bad input. These are
 * synthetic references; the paper's come from MD of each crystal (see sgmaReferenceDatabase).
 */
import { describe, expect, it } from 'vitest';
import { clusters } from '../../lib/analysis/clusters';
import { Sgma, sgmaFeatures } from '../../lib/analysis/sgma';
import { crystal } from '../../lib/build/crystal';
import { rattle } from '../../lib/build/crystals';
import { droplet, insertSeed } from '../../lib/build/droplet';
import type { Structure } from '../../lib/structure/structure';
import { errorCode } from '../helpers';

const reps: Record<string, [number, number, number]> = {
  wurtzite: [3, 3, 2], zincblende: [2, 2, 2], rocksalt: [2, 2, 2], hBN: [3, 3, 3], BCT: [2, 2, 3], sodalite: [2, 2, 2], cubane: [2, 2, 2],
};

function references(seed: number, frames: number): Record<string, Structure[]> {
  const out: Record<string, Structure[]> = {};
  for (const [name, r] of Object.entries(reps)) out[name] = Array.from({ length: frames }, (_, k) => rattle(crystal(name).repeat(r), 0.12, seed + k));
  out.liquid = Array.from({ length: frames }, (_, k) => rattle(crystal('zincblende').repeat(3), 0.7, seed + 100 + k));
  return out;
}

describe('Sgma', () => {
  const sgma = Sgma.train(references(1, 2));

  it('classifies held-out frames of every reference ≥ 95 % right; the 14 features by default', () => {
    expect(sgma.labels).toEqual([...Object.keys(reps), 'liquid']);
    expect(sgmaFeatures(crystal('wurtzite')).shape).toEqual([4, 14]);
    const c = sgma.confusion(references(50, 2));
    console.log(`confusion (rows true, columns ${c.columns.join(' ')}):\n${c.rows.map((r, i) => `${r}: ${c.counts[i].join(' ')}`).join('\n')}`);
    for (const label of c.rows) expect(c.accuracy[label]).toBeGreaterThanOrEqual(0.95);
    const counts = sgma.composition([crystal('rocksalt').repeat(2), crystal('cubane')]);
    expect(counts[0].rocksalt).toBe(64);
    expect(counts[1].cubane).toBe(16);
  });

  it('finds an inserted wurtzite seed in a disordered droplet as a wurtzite cluster inside the seed', () => {
    const host = droplet(rattle(crystal('zincblende').repeat(8), 0.7, 998), { atoms: 4000 });
    const { structure, seed } = insertSeed(host, crystal('wurtzite'), { atoms: 800 });
    const { labels, probabilities } = sgma.classify(structure);
    expect(probabilities.shape).toEqual([structure.length, 8]);
    const { largest, largestAtoms } = clusters(structure, labels.map((l) => l === 'wurtzite'), { cutoff: 3.5 });
    const inSeed = Array.from(largestAtoms).filter((i) => seed.includes(i)).length;
    // The averaged Voronoi features see two shells: the seed's outer two shells (and every atom of
    // the droplet's surface) look disordered, its interior wurtzite.
    expect(inSeed / largest).toBeGreaterThanOrEqual(0.95);
    expect(largest).toBeGreaterThanOrEqual(0.3 * seed.length);
    const elsewhere = labels.filter((l, i) => l === 'wurtzite' && !seed.includes(i)).length;
    expect(elsewhere).toBeLessThan(0.02 * (structure.length - seed.length));
  });

  it('round-trips through JSON; per-species models classify too', () => {
    const again = Sgma.fromJSON(JSON.parse(JSON.stringify(sgma.toJSON())));
    const s = rattle(crystal('BCT').repeat([2, 2, 3]), 0.12, 77);
    expect(again.classify(s).labels).toEqual(sgma.classify(s).labels);
    expect(again.classify(s).probabilities.data).toEqual(sgma.classify(s).probabilities.data);
    const perSpecies = Sgma.train({ rocksalt: [rattle(crystal('rocksalt').repeat(2), 0.12, 3)], wurtzite: [rattle(crystal('wurtzite').repeat([3, 3, 2]), 0.12, 3)] }, { perSpecies: true });
    expect(perSpecies.toJSON().models.map((m) => m.element)).toEqual([8, 30]);
    const labels = perSpecies.classify(rattle(crystal('rocksalt').repeat(2), 0.12, 9)).labels;
    expect(labels.filter((l) => l === 'rocksalt').length / labels.length).toBeGreaterThanOrEqual(0.95);
  });

  it('bad input: typed errors', () => {
    expect(errorCode(() => Sgma.train({}))).toBe('E_VALUE');
    expect(errorCode(() => Sgma.train({ unassigned: [crystal('rocksalt')] }))).toBe('E_VALUE');
    expect(errorCode(() => Sgma.train({ rs: [crystal('rocksalt')] }, { init: 'random' as never }))).toBe('E_VALUE');
    expect(errorCode(() => Sgma.train({ rs: [crystal('rocksalt')] }, { threshold: 1 }))).toBe('E_VALUE');
    expect(errorCode(() => Sgma.train({ rs: [crystal('rocksalt')] }, { seeds: 3 } as never))).toBe('E_VALUE');
    expect(errorCode(() => Sgma.fromJSON({ kind: 'GaussianMixture' }))).toBe('E_VALUE');
    expect(errorCode(() => sgma.classify({} as never))).toBe('E_TYPE');
    expect(errorCode(() => sgma.confusion({ quartz: [crystal('rocksalt')] }))).toBe('E_VALUE');
  });
});

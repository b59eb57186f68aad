/**
 * The embedded ZnO SGMA classifier: the eight labels, and ideal (slightly rattled) periodic
 * crystals of four polymorphs classified as themselves (≥ 95 % of their atoms).
 */
import { describe, expect, it } from 'vitest';
import { crystal } from '../../lib/build/crystal';
import { rattle } from '../../lib/build/crystals';
import { zincOxideSgma } from '../../lib/workflows/zinc-oxide-sgma';

describe('zincOxideSgma', () => {
  it('knows the seven polymorphs and the liquid, and recognises the crystals', () => {
    const sgma = zincOxideSgma();
    expect([...sgma.labels].sort()).toEqual(['BCT', 'cubane', 'hBN', 'liquid', 'rocksalt', 'sodalite', 'wurtzite', 'zincblende']);
    for (const [name, reps] of [['wurtzite', [4, 4, 3]], ['zincblende', 3], ['rocksalt', 3], ['BCT', [3, 3, 4]]] as const) {
      const { labels } = sgma.classify(rattle(crystal(name).repeat(reps as never), 0.05, 1));
      expect(labels.filter((l) => l === name).length / labels.length).toBeGreaterThanOrEqual(0.95);
    }
    expect(zincOxideSgma()).not.toBe(sgma);
  });
});

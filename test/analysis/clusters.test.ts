import { describe, expect, it } from 'vitest';
import { clusters } from '../../lib/analysis/clusters';
import { fcc } from '../../lib/build/crystals';
import { droplet } from '../../lib/build/droplet';
import { Structure } from '../../lib/structure/structure';
import { errorCode } from '../helpers';

describe('clusters', () => {
  it('two blobs of selected atoms are two clusters, largest first; unselected atoms break bonds', () => {
    const blob = droplet(fcc('Cu', 3.61).repeat(4), { atoms: 43 });
    const far = blob.clone();
    for (let i = 0; i < far.length; ++i) far.positions.set(i, 0, far.positions.get(i, 0) + 30);
    const small = droplet(fcc('Cu', 3.61).repeat(4), { atoms: 19 });
    for (let i = 0; i < small.length; ++i) small.positions.set(i, 1, small.positions.get(i, 1) + 30);
    const positions = [blob, far, small].flatMap((s) => Array.from({ length: s.length }, (_, i) => [0, 1, 2].map((k) => s.positions.get(i, k))));
    const all = new Structure({ positions, symbols: Array(positions.length).fill('Cu') });
    const mask = Array(all.length).fill(true);
    const r = clusters(all, mask, { cutoff: 3.0 });
    expect(r.sizes).toEqual([43, 43, 19]);
    expect(r.largest).toBe(43);
    expect(Array.from(r.largestAtoms)).toEqual(Array.from({ length: 43 }, (_, i) => i));
    expect(Array.from(r.labels.subarray(86))).toEqual(Array(19).fill(2));
    // Deselect the second blob: it is gone, labels −1.
    const some = mask.map((_, i) => i < 43 || i >= 86);
    const s = clusters(all, some, { cutoff: 3.0 });
    expect(s.sizes).toEqual([43, 19]);
    expect(Array.from(s.labels.subarray(43, 86))).toEqual(Array(43).fill(-1));
    expect(clusters(all, Array(all.length).fill(false), { cutoff: 3 }).largest).toBe(0);
  });

  it('a periodic crystal is one cluster across the cell boundary; a slab of it cut by the mask is one too', () => {
    const s = fcc('Cu', 3.61).repeat(3);
    expect(clusters(s, Array(s.length).fill(1), { cutoff: 2.6 }).sizes).toEqual([s.length]);
    const layer = Array.from({ length: s.length }, (_, i) => s.positions.get(i, 2) < 1);  // z = 0 plane only (atoms wrap in x, y)
    const r = clusters(s, layer, { cutoff: 2.6 });
    expect(r.sizes).toEqual([layer.filter(Boolean).length]);
  });

  it('bad input: typed errors', () => {
    const s = fcc('Cu', 3.61);
    expect(errorCode(() => clusters(s, [true], { cutoff: 3 }))).toBe('E_SHAPE');
    expect(errorCode(() => clusters(s, [true, true, true, true], { cutoff: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => clusters(s, [true, true, true, true], { radius: 3 } as never))).toBe('E_VALUE');
    expect(errorCode(() => clusters({} as never, [], { cutoff: 3 }))).toBe('E_TYPE');
  });
});

import { describe, expect, it } from 'vitest';
import { voronoi, voronoiAsync } from '../../lib/analysis';
import { bcc, fcc, hcp } from '../../lib/build/crystals';
import { Structure } from '../../lib/structure/structure';
import { errorCode } from '../helpers';
import { cluster, slab, triclinicCrystal } from '../potentials/structures';

const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);

describe('voronoi', () => {
  it('fcc, bcc, hcp: 12, 14, 12 faces and equal volumes', () => {
    for (const [s, faces] of [[fcc('Cu', 3.6).repeat([2, 2, 2]), 12], [bcc('Fe', 2.9).repeat([2, 2, 2]), 14], [hcp('Mg', 3.2).repeat([2, 2, 2]), 12]] as const) {
      const cells = voronoi(s);
      for (let i = 0; i < s.length; ++i) {
        expect(cells.rowPtr[i + 1] - cells.rowPtr[i]).toBe(faces);
        expect(cells.volumes[i]).toBeCloseTo(s.volume / s.length, 10);
      }
    }
  });

  it('rattled triclinic cell: volumes tile the cell, face areas are symmetric between neighbours', async () => {
    const s = triclinicCrystal({ symbols: ['Zn', 'O'], spacing: 2.5, rattle: 0.4, seed: 11, repeat: [4, 3, 3] });
    const cells = voronoi(s, { areaThreshold: 0 });
    expect(Math.abs(sum(cells.volumes) - s.volume)).toBeLessThan(1e-9 * s.volume);
    const area = new Map<string, number>();
    for (let i = 0; i < s.length; ++i)
      for (let p = cells.rowPtr[i]; p < cells.rowPtr[i + 1]; ++p) {
        const S = cells.shifts.slice(3 * p, 3 * p + 3);
        area.set(`${i} ${cells.neighbors[p]} ${S.join(' ')}`, cells.areas[p]);
      }
    for (const [key, value] of area) {
      const [i, j, a, b, c] = key.split(' ').map(Number);
      expect(area.get(`${j} ${i} ${-a} ${-b} ${-c}`)).toBeCloseTo(value, 9);
    }
    const later = await voronoiAsync(s, { areaThreshold: 0 });
    expect(Array.from(later.areas)).toEqual(Array.from(cells.areas));
  });

  it('open boundaries: a cluster centre is closed, surface cells are bounded by the open-boundary cube', () => {
    const c = cluster({ symbols: ['Cu'], spacing: 2.5, count: 13, seed: 3 });
    const cells = voronoi(c, { openBoundary: 4 });
    expect(cells.openBoundary).toBe(4);
    expect(cells.openArea[0]).toBe(0);
    for (let i = 1; i < c.length; ++i) {
      expect(cells.openArea[i]).toBeGreaterThan(0);
      expect(cells.volumes[i]).toBeLessThanOrEqual(8 * 4 ** 3);
    }
    // A slab (periodic in-plane, open along c): interior layer closed, surfaces open.
    const s = slab({ symbols: ['Cu'], spacing: 2.5, layers: 3, rattle: 0 });
    const slabCells = voronoi(s);
    expect(slabCells.openArea.some((a) => a === 0)).toBe(true);
    expect(slabCells.openArea.some((a) => a > 0)).toBe(true);
  });

  it('bad input', () => {
    expect(errorCode(() => voronoi(new Structure({ positions: [], numbers: [] })))).toBe('E_EMPTY');
    expect(errorCode(() => voronoi(fcc('Cu', 3.6), { areaThreshold: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => voronoi(fcc('Cu', 3.6), { openBoundary: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => voronoi(fcc('Cu', 3.6), { threshold: 0.1 } as never))).toBe('E_VALUE');
  });
});

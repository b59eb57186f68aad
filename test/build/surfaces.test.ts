import { describe, expect, it } from 'vitest';
import { wurtzite } from '../../lib/build/crystals';
import { addVacuum, wurtziteNonPolarSlab, wurtzitePolarSlab } from '../../lib/build/surfaces';
import type { Structure } from '../../lib/structure/structure';
import { expectCode } from '../potentials/conformance';

const a = 3.2496, c = 5.2042, u = 0.3819;

/** Distinct atomic-plane heights along `axis`, ascending (Å), planes merged within 1e-6 Å. */
function planes(s: Structure, axis: number): number[] {
  const h = Array.from({ length: s.length }, (_, i) => s.positions.get(i, axis)).sort((x, y) => x - y);
  return h.filter((x, i) => i === 0 || x - h[i - 1] > 1e-6);
}

function count(s: Structure, symbol: string): number {
  return s.symbols.filter((x) => x === symbol).length;
}

function gaps(p: number[]): number[] {
  return p.slice(1).map((x, i) => x - p[i]);
}

describe('wurtzitePolarSlab (0001)', () => {
  it('atoms, stoichiometry, bilayer spacings, vacuum and in-plane cell', () => {
    const s = wurtzitePolarSlab(4, { vacuum: 12, repeat: [2, 3] });
    expect(s.length).toBe(2 * 4 * 6);
    expect(count(s, 'Zn')).toBe(count(s, 'O'));
    const z = planes(s, 2);
    expect(z.length).toBe(8);
    gaps(z).forEach((g, k) => expect(g).toBeCloseTo(k % 2 === 0 ? (0.5 - u) * c : u * c, 10));
    const height = s.cell!.get(2, 2);
    expect(height - (z[7] - z[0])).toBeCloseTo(12, 10);
    expect(z[0]).toBeCloseTo(6, 10);
    expect([s.cell!.get(0, 0), s.cell!.get(0, 1), s.cell!.get(1, 0), s.cell!.get(1, 1)].map((x) => +x.toFixed(10)))
      .toEqual([2 * a, 0, -1.5 * a, +(3 * Math.sqrt(3) / 2 * a).toFixed(10)]);
    expect(s.pbc).toEqual([true, true, true]);
  });

  it('faces: Zn on top by default, O on top when asked; the bulk stacking in between', () => {
    const top = (s: Structure): string => { const i = Array.from({ length: s.length }, (_, k) => k).reduce((m, k) => (s.positions.get(k, 2) > s.positions.get(m, 2) ? k : m), 0); return s.symbols[i]; };
    const bottom = (s: Structure): string => { const i = Array.from({ length: s.length }, (_, k) => k).reduce((m, k) => (s.positions.get(k, 2) < s.positions.get(m, 2) ? k : m), 0); return s.symbols[i]; };
    const zn = wurtzitePolarSlab(3), o = wurtzitePolarSlab(3, { top: 'O' });
    expect([top(zn), bottom(zn)]).toEqual(['Zn', 'O']);
    expect([top(o), bottom(o)]).toEqual(['O', 'Zn']);
    // Periodicity in-plane: the nearest Zn–O distance inside the slab is the bulk one.
    const s = wurtzitePolarSlab(4);
    let nearest = Infinity;
    const cell = s.cell!;
    for (let i = 0; i < s.length; ++i) for (let j = 0; j < s.length; ++j) {
      if (s.symbols[i] === s.symbols[j]) continue;
      for (let n1 = -1; n1 <= 1; ++n1) for (let n2 = -1; n2 <= 1; ++n2) {
        const d = [0, 1, 2].map((k) => s.positions.get(j, k) + n1 * cell.get(0, k) + n2 * cell.get(1, k) - s.positions.get(i, k));
        nearest = Math.min(nearest, Math.hypot(d[0], d[1], d[2]));
      }
    }
    expect(nearest).toBeCloseTo(Math.min(u * c, Math.sqrt(a * a / 3 + ((0.5 - u) * c) ** 2)), 10);
  });
});

describe('wurtziteNonPolarSlab (10-10)', () => {
  it('atoms, stoichiometry, layer spacings, vacuum and in-plane cell', () => {
    const s = wurtziteNonPolarSlab(3, { vacuum: 10, repeat: [2, 1] });
    expect(s.length).toBe(4 * 3 * 2);
    expect(count(s, 'Zn')).toBe(count(s, 'O'));
    const y = planes(s, 1);
    expect(y.length).toBe(6);
    const h = Math.sqrt(3) * a;
    gaps(y).forEach((g, k) => expect(g).toBeCloseTo(k % 2 === 0 ? h / 6 : h / 3, 10));
    expect(s.cell!.get(1, 1) - (y[5] - y[0])).toBeCloseTo(10, 10);
    expect([s.cell!.get(0, 0), s.cell!.get(2, 2)]).toEqual([2 * a, c]);
    // Every plane is stoichiometric (non-polar).
    for (const plane of y) {
      const atoms = Array.from({ length: s.length }, (_, i) => i).filter((i) => Math.abs(s.positions.get(i, 1) - plane) < 1e-6);
      expect(atoms.filter((i) => s.symbols[i] === 'Zn').length).toBe(atoms.length / 2);
    }
  });

  it('a slab with zero vacuum is bulk wurtzite: same density and nearest distances', () => {
    const s = wurtziteNonPolarSlab(2, { vacuum: Math.sqrt(3) * a / 3 });
    const bulk = wurtzite(['Zn', 'O'], a, c, u);
    expect(s.volume / s.length).toBeCloseTo(bulk.volume / bulk.length, 10);
  });
});

describe('addVacuum', () => {
  it('lengthens the cell height by the thickness and centres the atoms', () => {
    const bulk = wurtzite().repeat([1, 1, 2]);
    const s = addVacuum(bulk, 2, 15);
    expect(s.cell!.get(2, 2)).toBeCloseTo(bulk.cell!.get(2, 2) + 15, 12);
    expect(s.positions.get(0, 2) - bulk.positions.get(0, 2)).toBeCloseTo(7.5, 12);
    expect(s.length).toBe(bulk.length);
    // A non-orthogonal axis: the height along a₁ (normal to a₂, c) grows by the thickness.
    const t = addVacuum(bulk, 0, 4);
    const height = (x: Structure): number => x.volume / (Math.hypot(x.cell!.get(1, 0), x.cell!.get(1, 1)) * x.cell!.get(2, 2));
    expect(height(t) - height(bulk)).toBeCloseTo(4, 10);
    expect(bulk.cell!.get(2, 2)).toBeCloseTo(2 * 5.2042, 12); // the input is unchanged
  });

  it('bad input is a typed error', () => {
    expectCode(() => addVacuum(wurtzite(), 3 as never, 1), 'E_VALUE');
    expectCode(() => addVacuum(wurtzite(), 2, -1), 'E_VALUE');
    expectCode(() => wurtzitePolarSlab(0), 'E_VALUE');
    expectCode(() => wurtziteNonPolarSlab(2.5), 'E_VALUE');
    expectCode(() => wurtzitePolarSlab(2, { top: 'Zr' as never }), 'E_VALUE');
    expectCode(() => wurtzitePolarSlab(2, { vacuum: -1 }), 'E_VALUE');
  });
});

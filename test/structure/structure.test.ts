import ndarray from 'ndarray';
import { inspect } from 'util';
import { describe, expect, it } from 'vitest';
import { wurtzite } from '../../lib/build/crystals';
import { PolymorphError } from '../../lib/core/errors';
import { cellFromParameters, cellParameters, cellVolume } from '../../lib/structure/cell';
import { atomicMass, atomicNumber, chemicalSymbol } from '../../lib/structure/elements';
import { Structure } from '../../lib/structure/structure';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PolymorphError);
    return (e as PolymorphError).code;
  }
  return undefined;
}

const triclinic = [[4, 0.1, -0.2], [0.7, 3.6, 0.3], [-0.4, 0.5, 5.1]];

describe('Structure construction', () => {
  it('accepts nested arrays, flat typed arrays and ndarrays alike', () => {
    const nested = new Structure({ symbols: ['Zn', 'O'], positions: [[0, 0, 0], [0.5, 1.0, 2.0]], cell: triclinic, pbc: true });
    const flat = new Structure({ numbers: [30, 8], positions: new Float64Array([0, 0, 0, 0.5, 1.0, 2.0]), cell: Float64Array.from(triclinic.flat()), pbc: [true, true, true] });
    const nd = new Structure({ numbers: new Int32Array([30, 8]), positions: ndarray(new Float64Array([0, 0, 0, 0.5, 1.0, 2.0]), [2, 3]), cell: ndarray(Float64Array.from(triclinic.flat()), [3, 3]) });
    for (const s of [nested, flat, nd]) {
      expect(s.length).toBe(2);
      expect(s.symbols).toEqual(['Zn', 'O']);
      expect(Array.from(s.numbers)).toEqual([30, 8]);
      expect(s.positions.shape).toEqual([2, 3]);
      expect(s.positions.get(1, 2)).toBe(2.0);
      expect(s.cell!.get(1, 0)).toBe(0.7);
      expect(s.pbc).toEqual([true, true, true]);
      expect(s.masses[0]).toBeCloseTo(65.38, 10);
      expect(s.masses[1]).toBeCloseTo(15.999, 10);
    }
  });

  it('takes a strided (non-contiguous) ndarray view correctly', () => {
    const big = ndarray(new Float64Array([1, 2, 3, 9, 4, 5, 6, 9]), [2, 3], [4, 1]);
    const s = new Structure({ symbols: ['H', 'H'], positions: big });
    expect(Array.from(s.positions.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects bad input with coded errors', () => {
    expect(codeOf(() => new Structure({ symbols: ['Zn'], positions: [[0, 0]] }))).toBe('E_SHAPE');
    expect(codeOf(() => new Structure({ symbols: ['Zn', 'O'], positions: [[0, 0, 0]] }))).toBe('E_SHAPE');
    expect(codeOf(() => new Structure({ symbols: ['Zz'], positions: [[0, 0, 0]] }))).toBe('E_ELEMENT');
    expect(codeOf(() => new Structure({ symbols: ['ZN'], positions: [[0, 0, 0]] }))).toBe('E_ELEMENT');
    expect(codeOf(() => new Structure({ numbers: [0], positions: [[0, 0, 0]] }))).toBe('E_ELEMENT');
    expect(codeOf(() => new Structure({ numbers: [119], positions: [[0, 0, 0]] }))).toBe('E_ELEMENT');
    expect(codeOf(() => new Structure({ numbers: [1.5], positions: [[0, 0, 0]] }))).toBe('E_ELEMENT');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [[0, NaN, 0]] }))).toBe('E_VALUE');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [[0, Infinity, 0]] }))).toBe('E_VALUE');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [[0, 0, 0]], pbc: true }))).toBe('E_CELL');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [[0, 0, 0]], cell: [[1, 0, 0], [2, 0, 0], [0, 0, 1]], pbc: true }))).toBe('E_CELL');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [[0, 0, 0]], masses: [-1] }))).toBe('E_VALUE');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [[0, 0, 0]], velocities: [[0, 0]] }))).toBe('E_SHAPE');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [[0, 0, 0]], arrays: { forces: [[1, 2, 3], [4, 5, 6]] } }))).toBe('E_SHAPE');
    expect(codeOf(() => new Structure({ symbols: ['H'], numbers: [1], positions: [[0, 0, 0]] }))).toBe('E_VALUE');
    expect(codeOf(() => new Structure({ positions: [[0, 0, 0]] }))).toBe('E_VALUE');
    expect(codeOf(() => new Structure({ symbols: ['H'], positions: [['a', 0, 0]] as unknown as number[][] }))).toBe('E_TYPE');
  });

  it('a singular cell is fine for an open cluster; an all-zero cell means no cell (ASE default)', () => {
    const s = new Structure({ symbols: ['H'], positions: [[0, 0, 0]], cell: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], pbc: false });
    expect(s.cell).toBeNull();
    expect(s.pbc).toEqual([false, false, false]);
  });

  it('mixed periodicity: a slab', () => {
    const s = new Structure({ symbols: ['Cu'], positions: [[0, 0, 0]], cell: triclinic, pbc: [true, true, false] });
    expect(s.pbc).toEqual([true, true, false]);
    expect(s.periodic).toBe(true);
  });
});

describe('Structure geometry', () => {
  it('volume, cell parameters and fractional coordinates of a triclinic cell', () => {
    const s = new Structure({ symbols: ['Ar', 'Ar'], positions: [[0.3, 0.2, 0.1], [2.5, 1.5, 3.5]], cell: triclinic, pbc: true });
    const m = triclinic;
    const det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    expect(s.volume).toBeCloseTo(Math.abs(det), 12);
    const f = s.scaledPositions();
    const back = s.clone();
    back.setScaledPositions(f);
    for (let k = 0; k < 6; ++k) expect(back.positions.data[k]).toBeCloseTo(s.positions.data[k], 12);
    const p = cellParameters(cellFromParameters([3.2496, 3.2496, 5.2042, 90, 90, 120]));
    [3.2496, 3.2496, 5.2042, 90, 90, 120].forEach((x, k) => expect(p[k]).toBeCloseTo(x, 10));
    expect(cellVolume(cellFromParameters([2, 3, 4, 90, 90, 90]))).toBeCloseTo(24, 12);
  });

  it('wrap() moves atoms into the cell along periodic directions only', () => {
    const s = new Structure({ symbols: ['Ar', 'Ar'], positions: [[-0.5, 7.9, -3.0], [4.1, 0.2, 12.0]], cell: triclinic, pbc: [true, true, false] });
    const before = s.scaledPositions();
    s.wrap();
    const after = s.scaledPositions();
    for (let i = 0; i < 2; ++i) {
      for (const k of [0, 1]) {
        expect(after.get(i, k)).toBeGreaterThanOrEqual(0);
        expect(after.get(i, k)).toBeLessThan(1);
        const d = after.get(i, k) - before.get(i, k);
        expect(Math.abs(d - Math.round(d))).toBeLessThan(1e-12);
      }
      expect(after.get(i, 2)).toBeCloseTo(before.get(i, 2), 12);
    }
  });

  it('distance with and without the minimum-image convention', () => {
    const s = new Structure({ symbols: ['Ar', 'Ar'], positions: [[0.1, 0.1, 0.1], [3.9, 0.1, 0.1]], cell: [[4, 0, 0], [0, 4, 0], [0, 0, 4]], pbc: true });
    expect(s.distance(0, 1)).toBeCloseTo(3.8, 12);
    expect(s.distance(0, 1, { mic: true })).toBeCloseTo(0.2, 12);
    // Skewed cell: compare with an exhaustive image search.
    const skew = new Structure({ symbols: ['Ar', 'Ar'], positions: [[0, 0, 0], [3.3, 2.9, 0.4]], cell: [[4, 0, 0], [3.7, 1.2, 0], [0.3, 0.2, 3]], pbc: true });
    let best = Infinity;
    for (let a = -4; a <= 4; ++a) for (let b = -4; b <= 4; ++b) for (let c = -4; c <= 4; ++c) {
      const v = [3.3 + 4 * a + 3.7 * b + 0.3 * c, 2.9 + 1.2 * b + 0.2 * c, 0.4 + 3 * c];
      best = Math.min(best, Math.hypot(v[0], v[1], v[2]));
    }
    expect(skew.distance(0, 1, { mic: true })).toBeCloseTo(best, 12);
    expect(codeOf(() => s.distance(0, 2))).toBe('E_VALUE');
  });

  it('repeat() builds supercells in ASE order and carries per-atom arrays', () => {
    const s = new Structure({
      symbols: ['Zn', 'O'], positions: [[0, 0, 0], [1, 1, 1]], cell: triclinic, pbc: true,
      velocities: [[0.1, 0, 0], [0, 0.2, 0]], charges: [1, -1],
      arrays: { forces: [[1, 2, 3], [4, 5, 6]], tag: new Int32Array([7, 8]), label: ['a', 'b'], fixed: [true, false] },
      info: { energy: -3.5 },
    });
    const r = s.repeat([2, 1, 3]);
    expect(r.length).toBe(12);
    expect(r.volume).toBeCloseTo(6 * s.volume, 10);
    expect(r.symbols.slice(0, 4)).toEqual(['Zn', 'O', 'Zn', 'O']);
    // image (0,0,1) is the second block: shifted by c
    for (let k = 0; k < 3; ++k) expect(r.positions.get(2, k)).toBeCloseTo(triclinic[2][k], 12);
    // image (1,0,0) is the fourth block: shifted by a
    for (let k = 0; k < 3; ++k) expect(r.positions.get(6, k)).toBeCloseTo(triclinic[0][k], 12);
    expect(Array.from(r.charges!)).toEqual([1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1]);
    expect((r.arrays.label as string[]).slice(0, 3)).toEqual(['a', 'b', 'a']);
    expect(Array.from((r.arrays.tag as ndarray.NdArray<Int32Array>).data).slice(0, 3)).toEqual([7, 8, 7]);
    expect((r.arrays.fixed as ndarray.NdArray<Uint8Array>).data).toBeInstanceOf(Uint8Array);
    expect((r.arrays.forces as ndarray.NdArray<Float64Array>).get(3, 2)).toBe(6);
    expect(r.velocities!.get(5, 1)).toBe(0.2);
    expect(r.info.energy).toBe(-3.5);
    expect(codeOf(() => s.repeat([0, 1, 1]))).toBe('E_VALUE');
  });

  it('select() and clone() copy deeply', () => {
    const s = wurtzite();
    const c = s.clone();
    c.positions.set(0, 0, 99);
    expect(s.positions.get(0, 0)).not.toBe(99);
    const sel = s.select([3, 0]);
    expect(sel.symbols).toEqual(['O', 'Zn']);
    expect(sel.positions.get(1, 1)).toBe(s.positions.get(0, 1));
    expect(codeOf(() => s.select([4]))).toBe('E_VALUE');
  });

  it('toJSON / fromJSON round trip and a readable inspect summary', () => {
    const s = new Structure({
      symbols: ['Zn', 'O'], positions: [[0, 0, 0], [1, 1, 1]], cell: triclinic, pbc: [true, false, true],
      charges: [2, -2], info: { energy: -1.25, stress: ndarray(new Float64Array([1, 2, 3, 2, 4, 5, 3, 5, 6]), [3, 3]), note: 'x' },
      arrays: { forces: [[1, 2, 3], [4, 5, 6]] },
    });
    const back = Structure.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(back.toJSON()).toEqual(s.toJSON());
    const text = inspect(s);
    expect(text).toContain("formula='OZn'");
    expect(text).toContain('N=2');
    expect(text).toContain('pbc=[T, F, T]');
    expect(String(s)).toBe(text);
  });

  it('formula in Hill order', () => {
    const s = new Structure({ symbols: ['H', 'C', 'O', 'H', 'C', 'H'], positions: Array(6).fill([0, 0, 0]) });
    expect(s.formula).toBe('C2H3O');
    expect(wurtzite().repeat([2, 2, 2]).formula).toBe('O16Zn16');
  });
});

describe('elements', () => {
  it('symbols, numbers and standard atomic weights', () => {
    expect(atomicNumber('Zn')).toBe(30);
    expect(atomicNumber('Og')).toBe(118);
    expect(chemicalSymbol(8)).toBe('O');
    expect(atomicMass(13)).toBeCloseTo(26.9815385, 10);
    expect(atomicMass(29)).toBeCloseTo(63.546, 10);
    expect(() => atomicNumber('zn')).toThrow(/did you mean 'Zn'/);
  });
});

import { describe, expect, it } from 'vitest';
import { fcc, rattle } from '../../lib/build/crystals';
import { PolymorphError } from '../../lib/core/errors';
import { getNumThreads, setNumThreads } from '../../lib/core/threads';
import { planeSpacings } from '../../lib/structure/cell';
import { NeighborList } from '../../lib/structure/neighbor-list';
import { Structure } from '../../lib/structure/structure';
import { randomStructure } from '../helpers';

type Pair = string;

/** The representative of {(i, j, S), (j, i, −S)} used to compare half lists. */
function canonical(i: number, j: number, s: number[]): boolean {
  return i < j || (i === j && (s[0] > 0 || (s[0] === 0 && (s[1] > 0 || (s[1] === 0 && s[2] > 0)))));
}

/** O(N²·images) reference: every (i, j, S) with |r_j + S·cell − r_i| < cutoff. */
function bruteForce(s: Structure, cutoff: number, full: boolean): Map<Pair, number[]> {
  const m = s.cell ? Array.from(s.cell.data) : [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const spacing = s.cell ? planeSpacings(m) : [1, 1, 1];
  const range = [0, 1, 2].map((k) => (s.pbc[k] ? Math.ceil(cutoff / spacing[k]) + 2 : 0));
  const out = new Map<Pair, number[]>();
  const p = s.positions;
  for (let i = 0; i < s.length; ++i) {
    for (let j = 0; j < s.length; ++j) {
      for (let a = -range[0]; a <= range[0]; ++a) {
        for (let b = -range[1]; b <= range[1]; ++b) {
          for (let c = -range[2]; c <= range[2]; ++c) {
            if (i === j && a === 0 && b === 0 && c === 0) continue;
            if (!full && !canonical(i, j, [a, b, c])) continue;
            const v = [0, 1, 2].map((x) => p.get(j, x) + a * m[x] + b * m[3 + x] + c * m[6 + x] - p.get(i, x));
            if (Math.hypot(v[0], v[1], v[2]) < cutoff) out.set(`${i} ${j} ${a} ${b} ${c}`, v);
          }
        }
      }
    }
  }
  return out;
}

/** Listed pairs; half-list pairs in canonical form (so a pair listed twice is caught). */
function listed(list: NeighborList): Map<Pair, number[]> {
  const out = new Map<Pair, number[]>();
  for (let i = 0; i < list.length; ++i) {
    for (let q = list.rowPtr[i]; q < list.rowPtr[i + 1]; ++q) {
      const j = list.neighbors[q];
      const shift = Array.from(list.shifts.subarray(3 * q, 3 * q + 3));
      const vector = Array.from(list.vectors.subarray(3 * q, 3 * q + 3));
      const keep = list.full || canonical(i, j, shift);
      const key = keep ? `${i} ${j} ${shift.join(' ')}` : `${j} ${i} ${shift.map((x) => -x).join(' ')}`;
      expect(out.has(key), `pair ${key} listed twice`).toBe(false);
      out.set(key, keep ? vector : vector.map((x) => -x));
    }
  }
  return out;
}

function expectSameAsBruteForce(s: Structure, cutoff: number, full: boolean): number {
  const list = NeighborList.build(s, cutoff, { full });
  const got = listed(list);
  const want = bruteForce(s, cutoff, full);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [key, v] of want) {
    const w = got.get(key)!;
    for (let k = 0; k < 3; ++k) expect(Math.abs(w[k] - v[k])).toBeLessThan(1e-12);
  }
  for (let q = 0; q < list.size; ++q) {
    const v = list.vectors.subarray(3 * q, 3 * q + 3);
    expect(Math.abs(list.distances[q] - Math.hypot(v[0], v[1], v[2]))).toBeLessThan(1e-12);
  }
  return want.size;
}

describe('NeighborList equals a brute-force search', () => {
  const pbcCases: [string, [boolean, boolean, boolean]][] = [
    ['periodic', [true, true, true]],
    ['slab T T F', [true, true, false]],
    ['wire F T F', [false, true, false]],
    ['mixed T F T', [true, false, true]],
  ];
  for (const [name, pbc] of pbcCases) {
    it(`${name}: random triclinic cells, cutoffs below and above half the plane spacing`, () => {
      for (let seed = 1; seed <= 4; ++seed) {
        const s = randomStructure(seed * 17 + pbc.filter(Boolean).length, 30, pbc);
        const half = Math.min(...planeSpacings(Array.from(s.cell!.data))) / 2;
        for (const cutoff of [0.6 * half, 0.99 * half, 1.5 * half, 3.1 * half]) {
          const pairs = expectSameAsBruteForce(s, cutoff, true);
          expect(pairs).toBeGreaterThan(0);
          expectSameAsBruteForce(s, cutoff, false);
        }
      }
    });
  }

  it('open cluster without a cell', () => {
    const s = randomStructure(5, 60, [false, false, false], false);
    expect(s.cell).toBeNull();
    expect(expectSameAsBruteForce(s, 2.5, true)).toBeGreaterThan(0);
    expectSameAsBruteForce(s, 2.5, false);
  });

  it('a single atom lists its own periodic images, each once in a half list', () => {
    const s = new Structure({ symbols: ['Cu'], positions: [[0.1, 0.2, 0.3]], cell: [[2, 0, 0], [0.4, 2.1, 0], [0.2, 0.3, 2.4]], pbc: true });
    const full = NeighborList.build(s, 4.5);
    const half = NeighborList.build(s, 4.5, { full: false });
    expect(full.size).toBe(2 * half.size);
    expect(full.size).toBeGreaterThan(20);
    expectSameAsBruteForce(s, 4.5, true);
    expectSameAsBruteForce(s, 4.5, false);
  });

  it('fcc: 12 nearest neighbours at a/√2, 6 second neighbours at a', () => {
    const a = 4.05;
    const s = fcc('Al', a).repeat([3, 3, 3]);
    const first = NeighborList.build(s, 0.5 * (a / Math.SQRT2 + a));
    expect(Array.from(first.counts()).every((c) => c === 12)).toBe(true);
    expect(Math.max(...first.distances)).toBeCloseTo(a / Math.SQRT2, 12);
    const second = NeighborList.build(s, 0.5 * (a + a * Math.sqrt(1.5)));
    expect(Array.from(second.counts()).every((c) => c === 18)).toBe(true);
  });
});

describe('NeighborList behaviour', () => {
  it('async equals sync, and 1 thread equals 2 threads', async () => {
    const s = rattle(fcc('Al', 4.05).repeat([4, 4, 4]), 0.1, 3);
    const before = getNumThreads();
    try {
      setNumThreads(1);
      const one = NeighborList.build(s, 6, { full: false });
      setNumThreads(2);
      const two = NeighborList.build(s, 6, { full: false });
      const later = await NeighborList.buildAsync(s, 6, { full: false });
      for (const l of [two, later]) {
        expect(l.rowPtr).toEqual(one.rowPtr);
        expect(l.neighbors).toEqual(one.neighbors);
        expect(l.shifts).toEqual(one.shifts);
        expect(l.vectors).toEqual(one.vectors);
      }
    } finally {
      setNumThreads(before);
    }
  });

  it('concurrent async builds are queued and all resolve correctly', async () => {
    const s = rattle(fcc('Al', 4.05).repeat([3, 3, 3]), 0.05, 4);
    const sync = NeighborList.build(s, 5);
    const lists = await Promise.all(Array.from({ length: 6 }, () => NeighborList.buildAsync(s, 5)));
    for (const l of lists) expect(l.neighbors).toEqual(sync.neighbors);
  });

  it('needsRebuild: displacement beyond skin/2 or a changed cell', () => {
    const s = fcc('Al', 4.05).repeat([2, 2, 2]);
    const list = NeighborList.build(s, 5, { skin: 1 });
    expect(list.cutoff).toBe(5);
    expect(Math.max(...list.distances)).toBeGreaterThan(5); // pairs up to cutoff + skin
    expect(list.needsRebuild(s)).toBe(false);
    const moved = s.clone();
    moved.positions.set(3, 0, moved.positions.get(3, 0) + 0.49);
    expect(list.needsRebuild(moved)).toBe(false);
    moved.positions.set(3, 0, moved.positions.get(3, 0) + 0.02);
    expect(list.needsRebuild(moved)).toBe(true);
    const strained = s.clone();
    strained.cell!.set(0, 0, strained.cell!.get(0, 0) * 1.001);
    expect(list.needsRebuild(strained)).toBe(true);
    expect(list.needsRebuild(s.select([0, 1]))).toBe(true);
  });

  it('bad input is answered with coded errors, never a crash', async () => {
    const s = fcc('Al', 4.05);
    for (const cutoff of [0, -1, NaN, Infinity]) {
      expect(() => NeighborList.build(s, cutoff)).toThrowError(PolymorphError);
    }
    expect(() => NeighborList.build(s, 3, { skin: -1 })).toThrow(/skin/);
    s.positions.set(1, 1, NaN);
    let error: unknown;
    try {
      NeighborList.build(s, 3);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolymorphError);
    expect((error as PolymorphError).code).toBe('E_VALUE');
    await expect(NeighborList.buildAsync(s, 3)).rejects.toMatchObject({ code: 'E_VALUE' });
  });

  it('update() rebuilds in place: same result as a fresh build, memory reused when it fits', () => {
    const s = rattle(fcc('Al', 4.05).repeat([4, 4, 4]), 0.05, 8);
    for (const full of [true, false]) {
      for (const vectors of [true, false]) {
        const options = { full, skin: 0.3, vectors };
        const list = NeighborList.build(s, 5.5, options);
        const buffers = () => [list.neighbors.buffer, list.shifts.buffer, ...(vectors ? [list.vectors.buffer, list.distances.buffer] : [])];
        const before = buffers();
        const moved = rattle(s.clone(), 0.05, 9);
        list.update(moved);
        const fresh = NeighborList.build(moved, 5.5, options);
        expect(list.rowPtr).toEqual(fresh.rowPtr);
        expect(list.neighbors).toEqual(fresh.neighbors);
        expect(list.shifts).toEqual(fresh.shifts);
        expect(list.vectors).toEqual(fresh.vectors);
        expect(list.distances).toEqual(fresh.distances);
        // Rewritten in place (10 % headroom); compared by identity, not printed.
        expect(buffers().every((b, k) => b === before[k])).toBe(true);
        expect(list.needsRebuild(moved)).toBe(false);
        // A denser structure does not fit: new memory, still the right answer.
        const dense = fcc('Al', 3.6).repeat([5, 5, 5]);
        list.update(dense);
        expect(list.neighbors.buffer === before[0]).toBe(false);
        expect(listed(list)).toEqual(listed(NeighborList.build(dense, 5.5, options)));
        expect(list.length).toBe(dense.length);
      }
    }
  });

  it('an empty structure gives an empty list', () => {
    const s = new Structure({ positions: [], numbers: [] });
    const list = NeighborList.build(s, 3);
    expect(list.length).toBe(0);
    expect(list.size).toBe(0);
  });
});

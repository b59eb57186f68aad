/**
 * Radial distribution functions: ideal gases (periodic and a uniform droplet) give g = 1 within
 * counting statistics, crystal shells and coordination numbers are exact, frames average,
 * streamed frames equal in-memory ones, and the structure factors obey their sum rules.
 */
import { describe, expect, it } from 'vitest';
import { rdf, rdfAsync } from '../../lib/analysis/rdf';
import { crystal } from '../../lib/build/crystal';
import { fcc } from '../../lib/build/crystals';
import { mulberry32 } from '../../lib/core/random';
import { Structure } from '../../lib/structure/structure';
import { errorCode } from '../helpers';

/** n atoms uniform in a cube of side L (periodic), half Zn half O. */
function idealGas(n: number, L: number, seed: number): Structure {
  const random = mulberry32(seed);
  const positions = Array.from({ length: n }, () => [L * random(), L * random(), L * random()]);
  return new Structure({ positions, symbols: Array.from({ length: n }, (_, i) => (i % 2 ? 'O' : 'Zn')), cell: [[L, 0, 0], [0, L, 0], [0, 0, L]], pbc: true });
}

/** n atoms uniform in a sphere of radius R (open). */
function uniformDroplet(n: number, R: number, seed: number): Structure {
  const random = mulberry32(seed);
  const positions: number[][] = [];
  while (positions.length < n) {
    const p = [0, 1, 2].map(() => (2 * random() - 1) * R);
    if (Math.hypot(p[0], p[1], p[2]) <= R) positions.push(p);
  }
  return new Structure({ positions, symbols: Array(n).fill('Ar') });
}

describe('rdf', () => {
  it('an ideal gas has g = 1 within counting statistics, total and partial', () => {
    const frames = [0, 1, 2, 3].map((k) => idealGas(2000, 30, 10 + k));
    const g = rdf(frames, { rMax: 10, bins: 50 });
    expect(g.frames).toBe(4);
    expect(g.density).toBeCloseTo(2000 / 27000, 12);
    for (const [name, curve] of [['all', g.g], ['O-Zn', g.partial['O-Zn']], ['Zn-Zn', g.partial['Zn-Zn']]] as const) {
      // bins from 2 Å on hold ≥ ~150 expected pairs: each within 5σ (σ = 1/√expected), and the mean over bins within 3σ of it
      let chi = 0, m = 0, sum = 0;
      for (let k = 10; k < 50; ++k) {
        const shell = (4 / 3) * Math.PI * (g.edges[k + 1] ** 3 - g.edges[k] ** 3);
        const pairs = name === 'all' ? 4 * 2000 * 1999 / 2 : name === 'O-Zn' ? 4 * 1000 * 1000 : 4 * 1000 * 999 / 2;
        const expected = (pairs * shell) / 27000;
        const z = (curve[k] - 1) * Math.sqrt(expected);
        expect(Math.abs(z)).toBeLessThan(5);
        chi += z, sum += curve[k], ++m;
      }
      expect(Math.abs(chi / Math.sqrt(m))).toBeLessThan(3);
      expect(sum / m).toBeGreaterThan(0.97);
    }
  });

  it('a uniform droplet (open boundaries) has g ≈ 1 out to its diameter, thanks to the sphere normalisation', () => {
    const frames = [1, 2, 3].map((k) => uniformDroplet(3000, 15, k));
    const g = rdf(frames, { rMax: 20, bins: 20 });
    expect(g.kind).toBe('open');
    for (let k = 2; k < 20; ++k) expect(Math.abs(g.g[k] - 1)).toBeLessThan(0.05);
    expect(Number.isNaN(g.density)).toBe(true);
    expect(errorCode(() => g.structureFactor([1, 2]))).toBe('E_CELL');
  });

  it('crystals: shells in the right bins; coordination numbers exact (rocksalt ZnO: 6 O around Zn, 12 Zn around Zn)', () => {
    const a = 3.61;
    const g = rdf(fcc('Cu', a).repeat(3), { rMax: 6, bins: 600 });
    const first = g.r.findIndex((_, k) => g.g[k] > 0);
    expect(g.edges[first]).toBeLessThanOrEqual(a / Math.SQRT2);
    expect(g.edges[first + 1]).toBeGreaterThan(a / Math.SQRT2);
    expect(g.coordinationNumber(undefined, 3.0)).toBe(12);
    expect(g.coordinationNumber(undefined, 4.0)).toBe(18);
    expect(g.firstMinimum()).toBeGreaterThan(a / Math.SQRT2);
    expect(g.firstMinimum()).toBeLessThan(a);
    const rs = rdf(crystal('rocksalt').repeat(2), { rMax: 5, bins: 500 });
    expect(rs.coordinationNumber('Zn-O', 2.5)).toBe(6);
    expect(rs.coordinationNumber('O-Zn', 2.5)).toBe(6);
    expect(rs.coordinationNumber('Zn-Zn', 3.2)).toBe(12);
    expect(rs.concentrations).toEqual({ O: 0.5, Zn: 0.5 });
    expect(errorCode(() => rs.coordinationNumber('Zn-Cu', 2))).toBe('E_VALUE');
  });

  it('streamed frames (an async generator) give exactly the in-memory result', async () => {
    const frames = [5, 6].map((k) => idealGas(500, 15, k));
    async function* stream(): AsyncGenerator<Structure> { for (const f of frames) yield f; }
    const now = rdf(frames, { rMax: 7, bins: 70 });
    const later = await rdfAsync(stream(), { rMax: 7, bins: 70 });
    expect(later.g).toEqual(now.g);
    expect(later.partial['Zn-Zn']).toEqual(now.partial['Zn-Zn']);
  });

  it('structure factors: an ideal binary gas has S ≈ 1, S_NN ≈ S, S_NC ≈ 0, S_CC ≈ c_A c_B', () => {
    const frames = [0, 1, 2, 3, 4, 5].map((k) => idealGas(3000, 34, 40 + k));
    const g = rdf(frames, { rMax: 12, bins: 240 });
    const q = [2, 3, 4, 6, 8];
    const s = g.structureFactor(q);
    const bt = g.bhatiaThornton(q);
    q.forEach((_, k) => {
      expect(Math.abs(s[k] - 1)).toBeLessThan(0.05);
      expect(Math.abs(bt.nn[k] - s[k])).toBeLessThan(0.01);
      expect(Math.abs(bt.nc[k])).toBeLessThan(0.02);
      expect(Math.abs(bt.cc[k] - 0.25)).toBeLessThan(0.02);
    });
    // fcc: the transform of a crystal's g peaks at its first reflection, q(111) = 2π√3/a
    const a = 3.61;
    const c = rdf(fcc('Cu', a).repeat(4), { rMax: 7, bins: 700 });
    const grid = Array.from({ length: 300 }, (_, k) => 1 + (k * 3) / 300);
    const sq = c.structureFactor(grid);
    const peak = grid[sq.indexOf(Math.max(...sq))];
    expect(Math.abs(peak - (2 * Math.PI * Math.sqrt(3)) / a)).toBeLessThan(0.25);
  });

  it('bad input: typed errors', () => {
    const s = fcc('Cu', 3.61);
    expect(errorCode(() => rdf(s, { rMax: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => rdf(s, { rMax: 5, bins: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => rdf([], { rMax: 5 }))).toBe('E_EMPTY');
    expect(errorCode(() => rdf([s, uniformDroplet(10, 5, 1)], { rMax: 5 }))).toBe('E_VALUE');
    expect(errorCode(() => rdf(new Structure({ positions: [], symbols: [] }), { rMax: 5 }))).toBe('E_EMPTY');
    expect(errorCode(() => rdf(s, { rMax: 5, width: 1 } as never))).toBe('E_VALUE');
    expect(errorCode(() => rdf(s, { rMax: 5 }).bhatiaThornton([1]))).toBe('E_VALUE');
  });
});

/**
 * Direct structure factors: an ideal gas gives S = 1 (total, Ashcroft–Langreth and Faber–Ziman
 * partials, Bhatia–Thornton S_CC = c_Ac_B) within the statistics of |ρ(k)|²/N (exponential with
 * mean 1, so a bin of M vectors and F frames has σ = 1/√(MF)); a crystal's Bragg peaks are exact
 * (Σ S·vectors = N × the reflections in range); streamed frames equal in-memory ones; bad input
 * is a typed error.
 */
import { describe, expect, it } from 'vitest';
import { structureFactor, structureFactorAsync } from '../../lib/analysis/structure-factor';
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

describe('structureFactor (direct, over k-vectors)', () => {
  it('an ideal gas has S = 1, partials 1 and S_CC = c_A c_B within the statistics of each bin', () => {
    const frames = [0, 1, 2].map((k) => idealGas(1000, 20, 40 + k));
    const sq = structureFactor(frames, { qMin: 0.5, qMax: 6, bins: 22 });
    expect(sq.frames).toBe(3);
    expect(sq.concentrations).toEqual({ O: 0.5, Zn: 0.5 });
    const bt = sq.bhatiaThornton();
    for (let k = 0; k < sq.s.length; ++k) {
      const m = sq.vectors[k];
      expect(m).toBeGreaterThan(20);
      const sigma = 1 / Math.sqrt(m);
      expect(Math.abs(sq.s[k] - 1)).toBeLessThan(5 * sigma);
      expect(Math.abs(sq.ashcroftLangreth['O-O'][k] - 1)).toBeLessThan(5 * sigma);
      expect(Math.abs(sq.partialOf('Zn-O')[k] - 1)).toBeLessThan(5 * 2 * sigma);  // S^FZ − 1 = 2 S^AL_ab, σ(S^AL_ab) ≤ σ
      expect(Math.abs(bt.cc[k] / 0.25 - 1)).toBeLessThan(5 * sigma);
      expect(sq.qMean[k]).toBeGreaterThanOrEqual(sq.edges[k]);
      expect(sq.qMean[k]).toBeLessThan(sq.edges[k + 1]);
    }
  });

  it('fcc Bragg peaks are exact: Σ S·vectors = N × the reflections in range, all in the bins of |G|', () => {
    // Cu, a = 3.6 Å, 3×3×3 conventional cells: (111) 3.023, (200) 3.491, (220) 4.937 Å⁻¹ below 5;
    // 4 + 3 + 6 of each ±G pair.
    const a = 3.6, s = fcc('Cu', a).repeat(3);
    const sq = structureFactor(s, { qMax: 5, bins: 50 });
    const n = s.length;
    let sum = 0;
    for (let k = 0; k < sq.s.length; ++k) if (sq.vectors[k] > 0) sum += sq.s[k] * sq.vectors[k];
    expect(sum / n).toBeCloseTo(13, 9);
    for (const [hkl, count] of [[3, 4], [4, 3], [8, 6]] as const) {
      const g = (2 * Math.PI * Math.sqrt(hkl)) / a, bin = Math.floor(g / 0.1);
      // every vector of the supercell in that bin is a reflection (S = N) or extinct (S = 0)
      expect(sq.s[bin] * sq.vectors[bin]).toBeCloseTo(count * n, 6);
    }
    // rocksalt ZnO: odd reflections are concentration waves (S_CC large), even ones density waves
    const rs = crystal('rocksalt').repeat(2);
    const bt = structureFactor(rs, { qMax: 4, bins: 40 }).bhatiaThornton();
    expect(Math.max(...bt.cc.filter(Number.isFinite))).toBeGreaterThan(1);
  });

  it('streamed frames equal frames in memory; NPT frames of different cells average', async () => {
    const frames = [idealGas(300, 12, 1), idealGas(300, 12.5, 2)];
    async function* stream(): AsyncGenerator<Structure> { for (const f of frames) yield f; }
    const a = structureFactor(frames, { qMax: 5, bins: 10, vectorsPerBin: 30, seed: 3 });
    const b = await structureFactorAsync(stream(), { qMax: 5, bins: 10, vectorsPerBin: 30, seed: 3 });
    expect(Array.from(b.s)).toEqual(Array.from(a.s));
    expect(Array.from(b.vectors)).toEqual(Array.from(a.vectors));
    const all = structureFactor(frames, { qMax: 5, bins: 10 });
    for (let k = 0; k < 10; ++k) expect(a.vectors[k]).toBeLessThanOrEqual(all.vectors[k]);
  });

  it('bad input is a typed error', () => {
    const gas = idealGas(50, 8, 1);
    const open = new Structure({ positions: [[0, 0, 0], [1, 0, 0]], symbols: ['Ar', 'Ar'] });
    expect(errorCode(() => structureFactor(open, { qMax: 5 }))).toBe('E_CELL');
    expect(errorCode(() => structureFactor(gas, {} as never))).toBe('E_VALUE');
    expect(errorCode(() => structureFactor(gas, { qMax: 5, qMin: 6 }))).toBe('E_VALUE');
    expect(errorCode(() => structureFactor(gas, { qMax: 5, bins: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => structureFactor(gas, { qMax: 5, vectorsPerBin: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => structureFactor([gas, fcc('Cu', 3.6)], { qMax: 5 }))).toBe('E_VALUE');
    expect(errorCode(() => structureFactor([], { qMax: 5 }))).toBe('E_EMPTY');
    expect(errorCode(() => structureFactor(gas, { qMax: 5 }).partialOf('Zn-Cu'))).toBe('E_VALUE');
    expect(errorCode(() => structureFactor(fcc('Cu', 3.6).repeat(2), { qMax: 5 }).bhatiaThornton())).toBe('E_VALUE');
  });
});

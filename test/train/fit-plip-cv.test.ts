// fitPlip's cross-validation: folds of whole structures (GroupKFold), seeded, and what their
// held-out error means physically.
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/core/random';
import type { Structure } from '../../lib/structure/structure';
import { fitPlip, fitPlipAsync } from '../../lib/train';
import { crystals, descriptors, label, plainReport, truth } from './plip-fixtures';

/** Crystals (16 atoms) and clusters (10 atoms) labelled by the true model, with seeded noise on energies (±2 meV/atom) and forces (±0.02 eV/Å). */
function noisyMix(seed: number): Structure[] {
  const data = label([...crystals().slice(0, 9), ...crystals(false).slice(0, 7)], truth());
  const random = mulberry32(seed);
  for (const s of data) {
    s.info.energy = (s.info.energy as number) + 2e-3 * s.length * (2 * random() - 1);
    const f = (s.arrays.forces as ndarray.NdArray<Float64Array>).data;
    for (let k = 0; k < f.length; ++k) f[k] += 0.02 * (2 * random() - 1);
  }
  return data;
}

describe('fitPlip cross-validation folds', () => {
  it('puts every training structure, with all its rows, in exactly one fold; folds balance rows; the same seed gives the same folds and alpha', () => {
    const data = noisyMix(1);
    const options = { descriptors, cv: 4, validation: 0.2, seed: 7 };
    const { report } = fitPlip(data, options);
    const folds = report.cv?.structureFolds as number[][];
    expect(folds.length).toBe(4);
    const all = folds.flat().sort((a, b) => a - b);
    expect(all).toEqual([...report.trainIndices].sort((a, b) => a - b));    // each training structure once: none straddles
    const rowsOf = (k: number): number => 1 + 3 * data[k].length;
    const load = folds.map((f) => f.reduce((n, k) => n + rowsOf(k), 0));
    expect(load.reduce((a, b) => a + b, 0)).toBe(report.rows);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(Math.max(...report.trainIndices.map(rowsOf)));
    const again = fitPlip(data, options).report;
    expect(again.cv?.structureFolds).toEqual(folds);
    expect(again.alpha).toBe(report.alpha);
    expect(Array.from(again.cv?.mse ?? [])).toEqual(Array.from(report.cv?.mse ?? []));
    const other = fitPlip(data, { ...options, seed: 8 }).report;
    expect(other.cv?.structureFolds).not.toEqual(folds);
  });

  it('held-out error at the end of the path equals the validation force error of fits made without each fold\'s structures', () => {
    // Force rows only (no offsets to project) and α → 0 (least squares, which does not depend on the column scaling):
    // the CV error of fold f is then exactly what report.validation measures for a fit on the other folds.
    const data = noisyMix(2);
    const options = { descriptors, weights: { energy: 0, forces: 1 } };
    const { report } = fitPlip(data, { ...options, cv: 3, seed: 5 });
    const folds = report.cv?.structureFolds as number[][];
    const heldOut = folds.map((fold) => fitPlip(data, { ...options, alpha: 0, validation: fold }).report.validation?.forceRmse as number);
    for (const rmse of heldOut) expect(rmse).toBeGreaterThan(0.005);              // eV/Å: the noise, not round-off
    const mean = heldOut.reduce((s, r) => s + r * r, 0) / folds.length;           // (eV/Å)²
    expect(report.cv?.alphas[0]).toBeLessThan(1e-12);
    expect(Math.abs((report.cv?.mse[0] as number) - mean) / mean).toBeLessThan(1e-8);   // measured 3e-14
  });

  it('refuses more folds than training structures', () => {
    const data = label(crystals().slice(0, 4), truth());
    expect(() => fitPlip(data, { descriptors, cv: 5 })).toThrow(/at least 5 training structures, got 4/);
  });

  it('fitPlipAsync gives the same folds, alpha and report bit for bit', async () => {
    const data = noisyMix(3);
    const options = { descriptors, cv: 3, validation: 0.25, seed: 2 };
    expect(plainReport((await fitPlipAsync(data, options)).report)).toEqual(plainReport(fitPlip(data, options).report));
  });
});

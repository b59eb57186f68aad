// fitPlip's optional rows: stress rows of periodic structures (weights.stress) and PLIP's |F| filter (maxForce).
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { Ewald } from '../../lib/potentials/ewald';
import { Electrostatics } from '../../lib/potentials/electrostatics';
import { LinearPotential } from '../../lib/potentials/linear';
import { SumPotential } from '../../lib/potentials/sum';
import type { Structure } from '../../lib/structure/structure';
import { evPerA3InGPa } from '../../lib/structure/units';
import { fitPlip, fitPlipAsync } from '../../lib/train';
import { expectCode } from '../potentials/conformance';
import { crystals, descriptors, label, maxDifference, plainReport, strainedCells, truth } from './plip-fixtures';

const s = 0.4;  // the data's charges are s·q₀, so γ = s²
const model = (): SumPotential => new SumPotential([truth(), new Ewald({ charges: { Zn: 2 * s, O: -2 * s } })]);

describe('fitPlip stress rows', () => {
  it('recovers a PLIP+Q model from energies, forces and stresses, and predicts the stress', () => {
    const data = label(strainedCells(30, 1), model(), true);
    const { potential, report } = fitPlip(data, { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-10, weights: { stress: 10 }, validation: 0.2, seed: 3 });
    expect(report.rows).toBe(report.train.structures * (1 + 3 * 16 + 6));
    expect(report.electrostatics?.gamma).toBeCloseTo(s * s, 10);   // measured |γ − s²| ≈ 7e-15
    expect(report.train.stressRmse).toBeLessThan(1e-9);            // GPa (measured 1e-12)
    expect(report.validation?.stressRmse).toBeLessThan(1e-9);
    const diff = maxDifference(data, potential, model());
    expect(diff.energy).toBeLessThan(1e-11);
    expect(diff.stress).toBeLessThan(1e-12);                       // eV/Å³
    // the stresses are not trivially zero: strained cells, ~GPa
    const sigma = (data[0].info.stress as ndarray.NdArray<Float64Array>).data;
    expect(Math.max(...Array.from(sigma, Math.abs)) * evPerA3InGPa).toBeGreaterThan(0.1);
  });

  it('recovers the model from energy and stress rows alone (no force rows), forces included', () => {
    const data = label(strainedCells(30, 1), model(), true);
    const { potential, report } = fitPlip(data, { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-12, weights: { forces: 0, stress: 10 } });
    expect(report.rows).toBe(30 * 7);
    expect(report.train.forceRmse).toBeNaN();
    expect(report.electrostatics?.gamma).toBeCloseTo(s * s, 10);
    const diff = maxDifference(data, potential, model());
    expect(diff.energy).toBeLessThan(1e-10);                       // eV/atom (measured 7e-13)
    expect(diff.stress).toBeLessThan(1e-11);                       // eV/Å³
    expect(diff.forces).toBeLessThan(1e-9);                        // eV/Å, never fitted (measured 8e-12)
  });

  it('gives stress rows to periodic structures only, accepts 6 Voigt values, and names a periodic structure without stress', () => {
    const mixed = (): Structure[] => label([...crystals().slice(0, 6), ...crystals(false).slice(0, 6)], new SumPotential([truth(), new Electrostatics({ charges: { Zn: 0.8, O: -0.8 } })]), true);
    const data = mixed();
    const options = { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-10, weights: { stress: 5 } };
    const { report } = fitPlip(data, options);
    expect(report.rows).toBe(6 * (1 + 48 + 6) + 6 * (1 + 30));
    expect(report.train.stressRmse).toBeLessThan(1e-9);
    const voigt = mixed();
    for (const x of voigt.slice(0, 6)) {
      const m = x.info.stress as ndarray.NdArray<Float64Array>;
      x.info.stress = [m.get(0, 0), m.get(1, 1), m.get(2, 2), m.get(1, 2), m.get(0, 2), m.get(0, 1)];
    }
    expect(plainReport(fitPlip(voigt, options).report)).toEqual(plainReport(report));
    const missing = mixed();
    delete missing[4].info.stress;
    expectCode(() => fitPlip(missing, options), 'E_VALUE');
    expect(() => fitPlip(missing, options)).toThrow(/structures\[4\] is periodic but has no reference stress/);
    expect(fitPlip(missing, { ...options, weights: { stress: 0 } }).report.train.stressRmse).toBeNaN();  // not needed without stress rows
    const bad = mixed();
    bad[2].info.stress = [1, 2, 3];
    expectCode(() => fitPlip(bad, options), 'E_SHAPE');
    expectCode(() => fitPlip(data, { ...options, weights: { energy: 0, forces: 0, stress: 0 } }), 'E_VALUE');
    expectCode(() => fitPlip(data, { ...options, weights: { stress: -1 } }), 'E_VALUE');
  });
});

describe('fitPlip |F| filter (maxForce)', () => {
  /** Labels from the true model, then 3 atoms of structure `outlier` given forces of ~40 eV/Å (a broken reference calculation). */
  function withOutlier(outlier: number): Structure[] {
    const data = label(crystals(), truth());
    const f = data[outlier].arrays.forces as ndarray.NdArray<Float64Array>;
    for (const i of [1, 6, 11]) for (let a = 0; a < 3; ++a) f.set(i, a, f.get(i, a) + 23 * (a === 1 ? -1 : 1));
    return data;
  }

  it('an outlier with huge labelled forces ruins the unfiltered fit and not the filtered one; rows and drops are counted', () => {
    const data = withOutlier(5);
    let largest = 0;
    for (const x of label(crystals(), truth())) for (const v of (x.arrays.forces as ndarray.NdArray<Float64Array>).data) largest = Math.max(largest, Math.abs(v));
    expect(largest).toBeLessThan(10);                              // eV/Å: the honest forces pass a 20 eV/Å filter
    const plain = fitPlip(data, { descriptors, alpha: 1e-10 });
    const filtered = fitPlip(data, { descriptors, alpha: 1e-10, maxForce: 20 });
    const reference = truth();
    const bad = maxDifference(data, plain.potential, reference), good = maxDifference(data, filtered.potential, reference);
    expect(bad.forces).toBeGreaterThan(0.1);
    expect(good.forces).toBeLessThan(1e-10);
    expect(good.energy).toBeLessThan(1e-10);
    expect(plain.report.train.forcesDropped).toBe(0);
    expect(filtered.report.train.forcesDropped).toBe(3);
    expect(filtered.report.rows).toBe(14 * (1 + 48) - 9);
    expect(filtered.report.train.forceRmse).toBeLessThan(1e-10);   // over the kept rows
  });

  it('drops the same atoms from the validation metrics', () => {
    const data = withOutlier(2);
    const { report } = fitPlip(data, { descriptors, alpha: 1e-10, maxForce: 20, validation: [2, 9] });
    expect(report.validation?.forcesDropped).toBe(3);
    expect(report.train.forcesDropped).toBe(0);
    expect(report.validation?.forceRmse).toBeLessThan(1e-10);
    expect(fitPlip(data, { descriptors, alpha: 1e-10, validation: [2, 9] }).report.validation?.forceRmse).toBeGreaterThan(1);
  });

  it('rejects a maxForce that is not a positive number', () => {
    const data = label(crystals().slice(0, 3), truth());
    for (const maxForce of [0, -1, NaN, '5' as unknown as number]) expectCode(() => fitPlip(data, { descriptors, alpha: 1e-6, maxForce }), 'E_VALUE');
  });

  it('fitPlipAsync equals fitPlip bit for bit with stress rows, the filter and grouped cross-validation', async () => {
    const data = label(crystals().slice(0, 9), model(), true);
    const f = data[3].arrays.forces as ndarray.NdArray<Float64Array>;
    f.set(0, 0, 40);
    for (const x of data) x.info.energy = (x.info.energy as number) + 0.01 * Math.sin(7 * (x.positions.data[4] as number));
    const options = { descriptors, charges: { Zn: 2, O: -2 }, cv: 3, weights: { stress: 20 }, maxForce: 20, validation: 0.2, seed: 6 };
    const sync = fitPlip(data, options);
    const async = await fitPlipAsync(data, options);
    expect(plainReport(async.report)).toEqual(plainReport(sync.report));
    expect(sync.report.train.forcesDropped + (sync.report.validation?.forcesDropped ?? 0)).toBe(1);
    const linear = (p: unknown): LinearPotential => ((p instanceof SumPotential ? p.terms[0].potential : p) as LinearPotential);
    expect(Array.from(linear(async.potential).weights)).toEqual(Array.from(linear(sync.potential).weights));
  });
});

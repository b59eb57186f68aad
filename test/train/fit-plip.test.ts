import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/core/random';
import type { PlipDescriptors } from '../../lib/descriptors';
import { Coulomb } from '../../lib/potentials/coulomb';
import { Electrostatics } from '../../lib/potentials/electrostatics';
import { Ewald } from '../../lib/potentials/ewald';
import { LinearPotential } from '../../lib/potentials/linear';
import type { Potential } from '../../lib/potentials/potential';
import { SumPotential } from '../../lib/potentials/sum';
import { Structure } from '../../lib/structure/structure';
import { fitPlip, fitPlipAsync } from '../../lib/train';
import { expectCode } from '../potentials/conformance';
import type { FitPlipOptions } from '../../lib/train';
import { crystals, descriptors, F, label, maxDifference, plainReport as report, truth } from './plip-fixtures';

describe('fitPlip', () => {
  it('recovers a sparse linear model (energies and forces) from its own labels', () => {
    const model = truth();
    const data = label(crystals(), model);
    const { potential, report } = fitPlip(data, { descriptors, alpha: 1e-10, validation: 0.2, seed: 3 });
    expect(potential).toBeInstanceOf(LinearPotential);
    expect(report.validationIndices.length).toBe(3);
    expect(report.trainIndices.length).toBe(11);
    expect(report.train.energyRmse).toBeLessThan(1e-8);       // meV/atom (measured 5e-12)
    expect(report.train.forceRmse).toBeLessThan(1e-11);       // eV/Å (measured 4e-15)
    expect(report.validation?.energyRmse).toBeLessThan(1e-8);
    expect(report.validation?.forceRmse).toBeLessThan(1e-11);
    const diff = maxDifference(data, potential, model);
    expect(diff.energy).toBeLessThan(1e-11);                  // eV/atom
    expect(diff.forces).toBeLessThan(1e-11);
    expect(report.nonZero).toBeGreaterThan(0);
    expect(report.offsets.Zn).toBeCloseTo(-1.3, 9);
    expect(report.offsets.O).toBeCloseTo(-4.2, 9);
  });

  it('leaves out duplicate columns (O-centred 2-body O–Zn = Zn-centred Zn–O summed over a structure); the earlier column carries the sum', () => {
    const model = truth();   // puts weight on 2B Zn-O b=1.9 (column 3) and 2B O-Zn b=2.6 (column F/2 + 1), duplicates of each other's partners
    const names = descriptors.featureNames();
    const { potential, report } = fitPlip(label(crystals(), model), { descriptors, alpha: 1e-10 });
    expect(report.duplicateColumns).toEqual([F / 2, F / 2 + 1, F / 2 + 2]);
    expect(report.duplicateColumns.map((j) => names[j])).toEqual(names.slice(3, 6).map((n) => n.replace('Zn-O', 'O-Zn')));
    const w = (potential as LinearPotential).weights;
    for (const j of report.duplicateColumns) expect(w[j]).toBe(0);
    expect(w[3]).toBeCloseTo(model.weights[3] + model.weights[F / 2], 9);
    expect(w[4]).toBeCloseTo(model.weights[4] + model.weights[F / 2 + 1], 9);
  });

  it('holds out exactly the structures named by validation indices, and rejects bad index lists', () => {
    const data = label(crystals(), truth());
    const { report } = fitPlip(data, { descriptors, alpha: 1e-10, validation: [1, 4], seed: 3 });
    expect(report.validationIndices).toEqual([1, 4]);
    expect([...report.trainIndices].sort((a, b) => a - b)).toEqual(data.map((_, k) => k).filter((k) => k !== 1 && k !== 4));
    expect(report.validation?.structures).toBe(2);
    expectCode(() => fitPlip(data, { descriptors, alpha: 1e-6, validation: [data.length] }), 'E_VALUE');
    expectCode(() => fitPlip(data, { descriptors, alpha: 1e-6, validation: [0, 0] }), 'E_VALUE');
    expectCode(() => fitPlip(data, { descriptors, alpha: 1e-6, validation: data.map((_, k) => k) }), 'E_VALUE');
  });

  it('gives minimum-norm offsets when every structure has the same composition', () => {
    const model = truth();
    const data = label(crystals().filter((_, k) => k % 3 !== 1), model);  // all Zn8O8
    const { potential, report } = fitPlip(data, { descriptors, alpha: 1e-10 });
    expect(report.offsets.Zn).toBeCloseTo(report.offsets.O, 9);
    expect(report.offsets.Zn + report.offsets.O).toBeCloseTo(-1.3 - 4.2, 6);
    expect(maxDifference(data, potential, model).energy).toBeLessThan(1e-9);
  });

  it('recovers PLIP+Q: gamma = s² for data made with charges s·q0, and the model reproduces the data', () => {
    const s = 0.4;
    const model = new SumPotential([truth(), new Ewald({ charges: { Zn: 2 * s, O: -2 * s } })]);
    const data = label(crystals(), model);
    const { potential, report } = fitPlip(data, { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-10 });
    expect(potential).toBeInstanceOf(SumPotential);
    const el = report.electrostatics;
    expect(el?.method).toBe('ewald');
    expect(el?.gamma).toBeCloseTo(s * s, 10);                 // measured |γ − s²| ≈ 7e-15
    expect(el?.charges?.Zn).toBeCloseTo(2 * s, 10);
    expect(el?.charges?.O).toBeCloseTo(-2 * s, 10);
    expect(report.train.energyRmse).toBeLessThan(1e-8);
    expect(report.train.forceRmse).toBeLessThan(1e-11);
    const diff = maxDifference(data, potential, model);
    expect(diff.energy).toBeLessThan(1e-11);
    expect(diff.forces).toBeLessThan(1e-11);
  });

  it('uses Coulomb for open clusters and drops a negative gamma (refit without the column)', () => {
    const clusters = crystals(false).slice(0, 8);
    const model = new SumPotential([truth(), [new Coulomb({ charges: { Zn: 1, O: -1 } }), -0.3]]);
    const { potential, report } = fitPlip(label(clusters, model), { descriptors, charges: { Zn: 1, O: -1 }, alpha: 1e-10 });
    expect(report.electrostatics?.method).toBe('coulomb');
    expect(report.electrostatics?.gammaFitted).toBeLessThan(0);
    expect(report.electrostatics?.gamma).toBe(0);
    expect(report.electrostatics?.charges).toBeNull();
    expect(potential).toBeInstanceOf(LinearPotential);
  });

  it('fits one gamma to a set mixing crystals (Ewald) and clusters (direct sum), and the model evaluates both', () => {
    const s = 0.5;
    const model = new SumPotential([truth(), new Electrostatics({ charges: { Zn: 2 * s, O: -2 * s } })]);
    const data = label([...crystals().slice(0, 8), ...crystals(false).slice(0, 8)], model);
    const { potential, report } = fitPlip(data, { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-10 });
    expect(report.electrostatics?.method).toBe('mixed');
    expect(report.electrostatics?.gamma).toBeCloseTo(s * s, 9);
    const diff = maxDifference(data, potential, model);
    expect(diff.energy).toBeLessThan(1e-9);
    expect(diff.forces).toBeLessThan(1e-9);
    const slab = new Structure({ symbols: data[0].symbols, positions: data[0].positions, cell: data[0].cell, pbc: [true, true, false] });
    slab.info.energy = data[0].info.energy;
    slab.arrays.forces = data[0].arrays.forces;
    expectCode(() => fitPlip([...data, slab], { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-10 }), 'E_VALUE');
    expect(() => fitPlip([...data, slab], { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-10 })).toThrow(/structure 16 has pbc/);
    expectCode(() => fitPlip([...data, slab], { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-10 }), 'E_VALUE');
  });

  it('returns a potential whose compute() equals the design-matrix prediction behind the report', () => {
    const model = new SumPotential([truth(), new Ewald({ charges: { Zn: 0.8, O: -0.8 } })]);
    const data = label(crystals(), model);
    for (const s of data) {  // perturb the labels so that the fit is not exact
      s.info.energy = (s.info.energy as number) + 0.01 * Math.sin(s.length * (s.positions.data[0] as number));
    }
    const { potential, report } = fitPlip(data, { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-4, validation: 0.25, seed: 9 });
    const gamma = report.electrostatics?.gamma as number;
    expect(gamma).toBeGreaterThan(0);
    const linear = (potential as SumPotential).terms[0].potential as LinearPotential;
    const ewald = new Ewald({ charges: { Zn: 2, O: -2 } });
    let e2 = 0, f2 = 0, nF = 0;
    for (const k of report.trainIndices) {
      const s = data[k];
      const rows = descriptors.compute(s, { forces: true });
      const el = ewald.compute(s, { forces: true });
      const w = linear.weights;
      const counts = { Zn: s.symbols.filter((x) => x === 'Zn').length, O: s.symbols.filter((x) => x === 'O').length };
      let energy = counts.Zn * report.offsets.Zn + counts.O * report.offsets.O + gamma * el.energy;
      for (let f = 0; f < F; ++f) energy += w[f] * rows.energyRow[f];
      const r = potential.compute(s, { forces: true });
      expect(Math.abs(r.energy - energy)).toBeLessThan(1e-10 * (1 + Math.abs(energy)));
      const fr = rows.forceRows?.data as Float64Array;
      for (let c = 0; c < 3 * s.length; ++c) {
        let force = gamma * (el.forces?.data[c] as number);
        for (let f = 0; f < F; ++f) force += w[f] * fr[c * F + f];
        expect(Math.abs((r.forces?.data[c] as number) - force)).toBeLessThan(1e-10);
        f2 += (force - (s.arrays.forces as ndarray.NdArray<Float64Array>).data[c]) ** 2;
        ++nF;
      }
      e2 += ((energy - (s.info.energy as number)) / s.length) ** 2;
    }
    expect(1e3 * Math.sqrt(e2 / report.trainIndices.length)).toBeCloseTo(report.train.energyRmse, 8);
    expect(Math.sqrt(f2 / nF)).toBeCloseTo(report.train.forceRmse, 10);
    expect(report.train.energyRmse).toBeGreaterThan(0.01);
  });

  it('chooses alpha by cross-validation on noisy labels', () => {
    const data = label(crystals(), truth());
    const random = mulberry32(5);
    for (const s of data) {  // noise: ±1 meV/atom on energies, ±0.01 eV/Å on forces
      s.info.energy = (s.info.energy as number) + 1e-3 * s.length * (2 * random() - 1);
      const f = (s.arrays.forces as ndarray.NdArray<Float64Array>).data;
      for (let k = 0; k < f.length; ++k) f[k] += 0.01 * (2 * random() - 1);
    }
    const { report } = fitPlip(data, { descriptors, cv: 3, weights: { energy: 2, forces: 0.5 } });
    expect(report.cv?.folds).toBe(3);
    const alphas = report.cv?.alphas as Float64Array, mse = report.cv?.mse as Float64Array;
    expect(alphas.length).toBeGreaterThan(10);
    expect(report.alpha).toBe(alphas[mse.indexOf(Math.min(...mse))]);  // the grid point of lowest mean held-out MSE
    expect(report.train.forceRmse).toBeLessThan(0.01);
    expect(report.train.energyRmse).toBeLessThan(1.5);
  });

  it('fitPlipAsync gives fitPlip\'s potential and report bit for bit (PLIP+Q with cv and validation, and PLIP with alpha)', async () => {
    const model = new SumPotential([truth(), new Ewald({ charges: { Zn: 0.8, O: -0.8 } })]);
    const data = label(crystals().slice(0, 8), model);
    const random = mulberry32(11);
    for (const s of data) s.info.energy = (s.info.energy as number) + 2e-3 * s.length * (2 * random() - 1);
    const options = { descriptors, charges: { Zn: 2, O: -2 }, cv: 3, validation: 0.25, seed: 4 };
    const sync = fitPlip(data, options);
    const pending = fitPlipAsync(data, options);
    expect(pending).toBeInstanceOf(Promise);
    const async = await pending;
    expect(report(async.report)).toEqual(report(sync.report));
    expect(async.report.cv?.alphas.length).toBeGreaterThan(1);
    expect(async.potential).toBeInstanceOf(SumPotential);
    const linear = (p: Potential): LinearPotential => (p as SumPotential).terms[0].potential as LinearPotential;
    expect(Array.from(linear(async.potential).weights)).toEqual(Array.from(linear(sync.potential).weights));
    for (const s of data.slice(0, 3)) expect(async.potential.compute(s).energy).toBe(sync.potential.compute(s).energy);
    const plain = { descriptors, alpha: 1e-6 };
    const [a, b] = await Promise.all([fitPlipAsync(data, plain), fitPlipAsync(data, { ...plain, weights: { forces: 0 } })]);
    expect(report(a.report)).toEqual(report(fitPlip(data, plain).report));
    expect(report(b.report)).toEqual(report(fitPlip(data, { ...plain, weights: { forces: 0 } }).report));
  });

  it('fitPlipAsync rejects bad input with the codes of fitPlip; unknown option keys (also in weights) are E_VALUE', async () => {
    const good = label(crystals().slice(0, 3), truth());
    await expect(fitPlipAsync([], { descriptors, alpha: 0.1 })).rejects.toMatchObject({ code: 'E_EMPTY' });
    await expect(fitPlipAsync(good, { descriptors, alpha: -1 })).rejects.toMatchObject({ code: 'E_VALUE' });
    const noForces = label(crystals().slice(0, 2), truth());
    delete noForces[1].arrays.forces;
    await expect(fitPlipAsync(noForces, { descriptors, alpha: 0.1 })).rejects.toMatchObject({ code: 'E_VALUE' });
    const unknown = { descriptors, alpha: 0.1, valdation: 0.2 } as unknown as FitPlipOptions;
    expectCode(() => fitPlip(good, unknown), 'E_VALUE');
    await expect(fitPlipAsync(good, unknown)).rejects.toMatchObject({ code: 'E_VALUE', message: expect.stringContaining("Did you mean 'validation'") });
    const misspeltWeight = { descriptors, alpha: 0.1, weights: { energy: 1, force: 0 } } as unknown as FitPlipOptions;
    expectCode(() => fitPlip(good, misspeltWeight), 'E_VALUE');
  });

  it('rejects bad input with coded errors', () => {
    const good = label(crystals().slice(0, 3), truth());
    expectCode(() => fitPlip([], { descriptors, alpha: 0.1 }), 'E_EMPTY');
    const noEnergy = crystals().slice(0, 2);
    expectCode(() => fitPlip(noEnergy, { descriptors, alpha: 0.1 }), 'E_VALUE');
    const noForces = label(crystals().slice(0, 2), truth());
    delete noForces[1].arrays.forces;
    expectCode(() => fitPlip(noForces, { descriptors, alpha: 0.1 }), 'E_VALUE');
    expect(fitPlip(noForces, { descriptors, alpha: 0.1, weights: { forces: 0 } }).report.train.forceRmse).toBeNaN();
    const nan = label(crystals().slice(0, 2), truth());
    nan[0].info.energy = NaN;
    expectCode(() => fitPlip(nan, { descriptors, alpha: 0.1 }), 'E_VALUE');
    const nanForce = label(crystals().slice(0, 2), truth());
    (nanForce[1].arrays.forces as ndarray.NdArray<Float64Array>).set(2, 1, NaN);
    expectCode(() => fitPlip(nanForce, { descriptors, alpha: 0.1 }), 'E_VALUE');
    const alien = new Structure({ symbols: ['Zn', 'S'], positions: [[0, 0, 0], [2.3, 0, 0]], info: { energy: -3 }, arrays: { forces: [[0, 0, 0], [0, 0, 0]] } });
    expectCode(() => fitPlip([...good, alien], { descriptors, alpha: 0.1 }), 'E_ELEMENT');
    expectCode(() => fitPlip(good, { descriptors, alpha: 0.1, charges: { Zn: 2 } }), 'E_ELEMENT');
    expectCode(() => fitPlip(good, { descriptors, alpha: 0.1, cv: 3 }), 'E_VALUE');
    expectCode(() => fitPlip(good, { descriptors, alpha: -1 }), 'E_VALUE');
    expectCode(() => fitPlip(good, { descriptors, alpha: 0.1, validation: 1 }), 'E_VALUE');
    expectCode(() => fitPlip(good, { descriptors: {} as PlipDescriptors, alpha: 0.1 }), 'E_TYPE');
    expectCode(() => fitPlip([...good, { length: 1 } as unknown as Structure], { descriptors, alpha: 0.1 }), 'E_TYPE');
  });
});

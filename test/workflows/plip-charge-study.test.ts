import { inspect } from 'util';
import { beforeAll, describe, expect, it } from 'vitest';
import { zincOxideBuckingham } from '../../lib/potentials/zinc-oxide';
import { disorderedBinary, minimumDistanceViolation } from '../../lib/workflows/disordered';
import { compareChargeColumn, type ChargeStudy } from '../../lib/workflows/plip-charge-study';
import { zincOxideDataset, type ZincOxideDataset } from '../../lib/workflows/zinc-oxide-dataset';
import { expectCode } from '../potentials/conformance';

// The example's size (32 structures, 672 atoms).
const SIZE = { bulkCount: 6, slabCount: 4, liquidCount: 6 };
const LIQUID = { symbols: ['Zn', 'O'] as [string, string], atoms: 16, density: 0.075, minimumDistances: { unlike: 1.75, like: 2.6 }, seed: 0,
  potential: zincOxideBuckingham().potential, steps: 20, maxStep: 0.1, fmax: 0.5 };

describe('zincOxideDataset', () => {
  let data: ZincOxideDataset;
  beforeAll(() => { data = zincOxideDataset({ seed: 2, ...SIZE }); }, 60000);

  it('has every kind with energy and force labels', () => {
    const kinds = new Set(data.structures.map((s) => s.info.kind));
    expect([...kinds].sort()).toEqual(['bulk-rocksalt', 'bulk-wurtzite', 'bulk-zincblende', 'liquid', 'slab-nonpolar', 'slab-polar']);
    for (const s of data.structures) {
      expect(Number.isFinite(s.info.energy)).toBe(true);
      expect((s.arrays.forces as { shape: number[] }).shape).toEqual([s.length, 3]);
    }
    expect(data.lattices.wurtzite.energyPerAtom).toBeLessThan(data.lattices.zincblende.energyPerAtom);
  });

  it('liquid-like configurations keep the minimum distances (Zn–O 1.75 Å, like pairs 2.6 Å) and lie above the crystal', () => {
    for (const s of data.structures.filter((x) => x.info.kind === 'liquid')) {
      const L = s.cell!.get(0, 0);
      const cation = s.symbols.map((e) => e === 'Zn');
      expect(minimumDistanceViolation(s.positions.data as Float64Array, cation, L, { unlike: 1.75, like: 2.6 })).toBeNull();
      expect((s.info.energy as number) / s.length).toBeGreaterThan(data.lattices.wurtzite.energyPerAtom + 0.1);
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    const small = { bulkCount: 1, slabCount: 1, liquidCount: 1 };
    const a = zincOxideDataset({ seed: 5, ...small }), b = zincOxideDataset({ seed: 5, ...small });
    expect(a.structures.map((s) => s.info.energy)).toEqual(b.structures.map((s) => s.info.energy));
    expect(a.structures.map((s) => s.info.energy)).not.toEqual(data.structures.slice(0, 6).map((s) => s.info.energy));
    const liquid = (seed: number): number[] => Array.from(disorderedBinary({ ...LIQUID, seed }).structure.positions.data as Float64Array);
    expect(liquid(3)).toEqual(liquid(3));
    expect(liquid(3)).not.toEqual(liquid(4));
  }, 30000);

  it('prints short summaries of the data set and of a study (util.inspect)', () => {
    const text = inspect(data);
    expect(text.split('\n').length).toBeLessThanOrEqual(15);
    expect(text).toMatch(/structures: 32 \(bulk-wurtzite 6, .*liquid 6\)/);
    expect(text).toMatch(/wurtzite: a 3\.\d+ Å, c\/a 1\.\d+, u 0\.\d+; -\d+\.\d+ eV\/atom/);
    const study = compareChargeColumn({ dataset: data, validation: 0.25, alpha: 1e-3, descriptors: { cutoff: 5, grid: { widths: [1], centres: [1, 2, 3, 4] } } });
    const summary = inspect(study);
    expect(summary.split('\n').length).toBeLessThanOrEqual(15);
    expect(summary).toContain(`dataset: 32 structures, 672 atoms (train ${study.trainIndices.length}, validation ${study.validationIndices.length})`);
    expect(summary).toMatch(/PLIP\+Q: validation [\d.]+ meV\/atom, [\d.]+ eV\/Å/);
    expect(summary).toMatch(/\n  polar surface: reference 8\.14\d*, PLIP [\d.]+, PLIP\+Q [\d.]+ J\/m²/);
    expect(Object.keys(study)).toEqual(['dataset', 'trainIndices', 'validationIndices', 'plip', 'plipQ', 'electrostatics', 'surfaces']);
  }, 30000);

  it('rejects bad options with typed errors', () => {
    expectCode(() => zincOxideDataset({ bulkCount: -1 }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ rattle: Number.NaN }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ typo: 1 } as never), 'E_VALUE');
    expectCode(() => zincOxideDataset(null as never), 'E_TYPE');
    expectCode(() => disorderedBinary({ ...LIQUID, steps: 0, density: 0.2 }), 'E_VALUE');
    expectCode(() => disorderedBinary({ ...LIQUID, atoms: 7 }), 'E_VALUE');
    expectCode(() => compareChargeColumn({ validation: 0 }), 'E_VALUE');
    expectCode(() => compareChargeColumn({ folds: 3 } as never), 'E_VALUE');
  });

  describe('compareChargeColumn (PLIP vs PLIP+Q, 5-fold CV each, same split stratified by kind), seeds 1–5', () => {
    // Measured (validation E meV/atom PLIP → PLIP+Q; polar |error| J/m² PLIP → PLIP+Q):
    // seed 1 61.2 → 19.7, 0.115 → 0.051; 2 117.3 → 4.8, 0.359 → 0.029; 3 60.3 → 3.9, 0.156 → 0.014;
    // 4 46.4 → 5.5, 0.021 → 0.011; 5 232.7 → 40.8, 0.019 → 0.039 (the one seed where PLIP's polar
    // surface is closer). The claim is asserted per seed for the validation errors and on the
    // mean over seeds for the polar surface.
    const studies: ChargeStudy[] = [];
    beforeAll(() => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const data = zincOxideDataset({ seed, ...SIZE });
        const study = compareChargeColumn({ dataset: data, validation: 0.25, seed, cv: 5 });
        studies.push(study);
        const { plip, plipQ } = study;
        console.log(`seed ${seed}: PLIP val E/F ${plip.validation.energyRmse.toFixed(1)} ${plip.validation.forceRmse.toFixed(3)}, PLIP+Q ` +
          `${plipQ.validation.energyRmse.toFixed(1)} ${plipQ.validation.forceRmse.toFixed(3)}, gamma ${study.electrostatics.gammaFitted.toFixed(4)}, ` +
          `polar |err| ${study.surfaces.polar.errorPlip.toFixed(3)} ${study.surfaces.polar.errorPlipQ.toFixed(3)}`);
      }
    }, 300000);  // five data sets and fits: 60–100 s on 2 cores while other files run beside it

    it('PLIP+Q has the lower validation energy and force RMSE at every seed', () => {
      for (const study of studies) {
        expect(study.plipQ.validation.energyRmse).toBeLessThan(study.plip.validation.energyRmse);
        expect(study.plipQ.validation.forceRmse).toBeLessThan(study.plip.validation.forceRmse);
      }
    });

    it('PLIP+Q gives polar-surface energies closer to the reference (mean error over the seeds at most half of PLIP\'s)', () => {
      const mean = (f: (s: ChargeStudy) => number): number => studies.reduce((t, s) => t + f(s), 0) / studies.length;
      expect(mean((s) => s.surfaces.polar.errorPlipQ)).toBeLessThan(0.5 * mean((s) => s.surfaces.polar.errorPlip));
      expect(mean((s) => s.surfaces.nonPolar.errorPlipQ)).toBeLessThan(mean((s) => s.surfaces.nonPolar.errorPlip));
      for (const s of studies) expect(s.surfaces.polar.reference).toBeGreaterThan(s.surfaces.nonPolar.reference);
    });

    it('validates every kind with two or more structures, and keeps a positive gamma with charges sqrt(gamma)*q0', () => {
      for (const study of studies) {
        const el = study.electrostatics;
        expect(el.gamma).toBeGreaterThan(0.5);
        expect(el.charges!.Zn).toBeCloseTo(2 * Math.sqrt(el.gamma), 12);
        expect(el.charges!.O).toBeCloseTo(-2 * Math.sqrt(el.gamma), 12);
        expect(study.plip.alphaFromCv && study.plipQ.alphaFromCv).toBe(true);
        expect(Object.keys(study.plipQ.validationByKind).sort()).toEqual(Object.keys(study.dataset.kinds).sort());
        const held = Object.values(study.plipQ.validationByKind).reduce((n, k) => n + k.structures, 0);
        expect(held).toBe(study.validationIndices.length);
      }
    });
  });
});

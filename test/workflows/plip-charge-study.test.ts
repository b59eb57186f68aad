import { beforeAll, describe, expect, it } from 'vitest';
import { zincOxideBuckingham } from '../../lib/potentials/zinc-oxide';
import { disorderedBinary, minimumDistanceViolation } from '../../lib/workflows/disordered';
import { compareChargeColumn, type ChargeStudy } from '../../lib/workflows/plip-charge-study';
import { zincOxideDataset, type ZincOxideDataset } from '../../lib/workflows/zinc-oxide-dataset';
import { expectCode } from '../potentials/conformance';

// The example's size (32 structures, 672 atoms), split seed 2. The claim also holds at seed 3;
// at seed 1 PLIP+Q loses on validation energy (4 of the 8 held-out structures are rocksalt,
// only 2 rocksalt are trained on, and the Lasso shrinks gamma to 0.954): see docs/guides/plip.md.
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

  describe('compareChargeColumn (PLIP vs PLIP+Q, 5-fold CV each, same split)', () => {
    let study: ChargeStudy;
    beforeAll(() => {
      study = compareChargeColumn({ dataset: data, validation: 0.25, seed: 2, cv: 5 });
      const { plip, plipQ } = study;
      console.log('PLIP val E/F', plip.validation.energyRmse, plip.validation.forceRmse, 'PLIP+Q', plipQ.validation.energyRmse, plipQ.validation.forceRmse,
        'gamma', study.electrostatics.gammaFitted, 'surfaces', JSON.stringify(study.surfaces));
    }, 60000);

    it('PLIP+Q has the lower validation energy and force RMSE', () => {
      expect(study.plipQ.validation.energyRmse).toBeLessThan(study.plip.validation.energyRmse);
      expect(study.plipQ.validation.forceRmse).toBeLessThan(study.plip.validation.forceRmse);
    });

    it('PLIP+Q gives the polar-surface energy closer to the reference', () => {
      expect(study.surfaces.polar.errorPlipQ).toBeLessThan(study.surfaces.polar.errorPlip);
      expect(study.surfaces.polar.reference).toBeGreaterThan(study.surfaces.nonPolar.reference);
    });

    it('keeps a positive gamma and reports the implied charges sqrt(gamma)*q0', () => {
      const el = study.electrostatics;
      expect(el.gamma).toBeGreaterThan(0.5);
      expect(el.charges!.Zn).toBeCloseTo(2 * Math.sqrt(el.gamma), 12);
      expect(el.charges!.O).toBeCloseTo(-2 * Math.sqrt(el.gamma), 12);
      expect(study.plip.alphaFromCv && study.plipQ.alphaFromCv).toBe(true);
      const held = Object.values(study.plipQ.validationByKind).reduce((n, k) => n + k.structures, 0);
      expect(held).toBe(study.validationIndices.length);
    });
  });
});

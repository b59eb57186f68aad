import { beforeAll, describe, expect, it } from 'vitest';
import { cesiumChloride, rattle, rocksalt, wurtzite, zincblende } from '../../lib/build/crystals';
import { relaxLattice, type RelaxedLattice } from '../../lib/build/relax-lattice';
import { wurtziteNonPolarSlab, wurtzitePolarSlab } from '../../lib/build/surfaces';
import { zincOxideBuckingham, ZINC_OXIDE_BUCKINGHAM_PAIRS, ZINC_OXIDE_PARAMETER_SETS } from '../../lib/potentials/zinc-oxide';
import type { Structure } from '../../lib/structure/structure';
import { describePotentialConformance, expectCode } from './conformance';

const EV_PER_A2_IN_J_PER_M2 = 16.02176634;

// Ewald at 1e-12: at 1e-8 the supercell (whose α differs) agrees only to ~1e-7 relative. The
// stress is a small difference of large Buckingham and Coulomb parts (~1 eV/Å³ each), so the
// invariances are checked to 1e-8 of the (small) total.
describePotentialConformance('rigid-ion ZnO (Buckingham + Ewald)', () => zincOxideBuckingham({ accuracy: 1e-12 }).potential,
  { 'rattled wurtzite': rattle(wurtzite(), 0.05, 7) }, { displacement: 2e-5, forceTolerance: 2e-6, stressTolerance: 2e-7, invariance: 1e-8 });

describePotentialConformance('rigid-ion ZnO, Buckingham part alone', () => zincOxideBuckingham().buckingham,
  { 'rattled wurtzite': rattle(wurtzite().repeat([1, 1, 2]), 0.05, 8) }, { displacement: 2e-5, forceTolerance: 1e-7, stressTolerance: 1e-8 });

describe('rigid-ion ZnO: polymorphs and surfaces', () => {
  const zno = zincOxideBuckingham({ accuracy: 1e-8 });
  const relaxed: Record<string, RelaxedLattice> = {};
  beforeAll(() => {
    relaxed.wurtzite = relaxLattice(([a, ca, u]) => wurtzite(['Zn', 'O'], a, ca * a, u), zno.potential, [3.25, 1.6, 0.38]);
    relaxed.zincblende = relaxLattice(([a]) => zincblende(['Zn', 'O'], a), zno.potential, [4.6]);
    relaxed.rocksalt = relaxLattice(([a]) => rocksalt(['Zn', 'O'], a), zno.potential, [4.3]);
    relaxed.cesiumChloride = relaxLattice(([a]) => cesiumChloride(['Zn', 'O'], a), zno.potential, [2.7]);
    const report = Object.fromEntries(Object.entries(relaxed).map(([k, r]) => [k, { perFormulaUnit: 2 * r.energyPerAtom, parameters: r.parameters }]));
    console.log('relaxed rigid-ion ZnO (eV per formula unit; a in Å, c/a, u):', JSON.stringify(report));
  }, 60000);

  it('with the Lewis–Catlow set too, wurtzite is lowest (a 3.231 Å, c 5.077 Å, u 0.389)', () => {
    const lc = zincOxideBuckingham({ accuracy: 1e-8, parameters: 'lewis-catlow' }).potential;
    const wz = relaxLattice(([a, ca, u]) => wurtzite(['Zn', 'O'], a, ca * a, u), lc, [3.25, 1.6, 0.38]);
    const zb = relaxLattice(([a]) => zincblende(['Zn', 'O'], a), lc, [4.6]);
    const rs = relaxLattice(([a]) => rocksalt(['Zn', 'O'], a), lc, [4.3]);
    expect(wz.converged && zb.converged && rs.converged).toBe(true);
    expect(wz.energyPerAtom).toBeLessThan(zb.energyPerAtom);
    expect(zb.energyPerAtom).toBeLessThan(rs.energyPerAtom);
    expect(2 * wz.energyPerAtom).toBeCloseTo(-39.663, 2);
    const [a, ca, u] = wz.parameters;
    expect(a).toBeCloseTo(3.2305, 3);
    expect(ca * a).toBeCloseTo(5.077, 2);
    expect(u).toBeCloseTo(0.389, 3);
  }, 60000);

  it('wurtzite is the lowest-energy polymorph: wurtzite < zincblende < rocksalt < CsCl', () => {
    for (const r of Object.values(relaxed)) expect(r.converged).toBe(true);
    const e = (k: string): number => relaxed[k].energyPerAtom;
    expect(e('wurtzite')).toBeLessThan(e('zincblende'));
    expect(e('zincblende')).toBeLessThan(e('rocksalt'));
    expect(e('rocksalt')).toBeLessThan(e('cesiumChloride'));
    // Measured: −39.342, −39.252, −39.059, −37.423 eV per formula unit.
    expect(2 * e('wurtzite')).toBeCloseTo(-39.342, 2);
  });

  it('relaxed wurtzite lattice near experiment (a 3.250 Å, c 5.207 Å, u 0.382)', () => {
    const [a, ca, u] = relaxed.wurtzite.parameters;
    expect(Math.abs(a - 3.25) / 3.25).toBeLessThan(0.02);
    expect(Math.abs(ca * a - 5.207) / 5.207).toBeLessThan(0.02);
    expect(Math.abs(u - 0.382)).toBeLessThan(0.01);
  });

  it('relaxed wurtzite has small residual forces and stress', () => {
    const r = zno.potential.compute(relaxed.wurtzite.structure, { forces: true, stress: true });
    expect(Math.max(...Array.from(r.forces!.data, Math.abs))).toBeLessThan(1e-3); // eV/Å
    expect(Math.max(...Array.from(r.stress!.data, Math.abs))).toBeLessThan(1e-4); // eV/Å³ (16 MPa)
  });

  it('surface energies are positive and the non-polar (10-10) is below the polar (0001)', () => {
    const [a, ca, u] = relaxed.wurtzite.parameters;
    const lattice = { a, c: ca * a, u, vacuum: 15 };
    const bulkPerAtom = relaxed.wurtzite.energyPerAtom;
    const gamma = (s: Structure, area: number): number => (zno.potential.compute(s).energy - s.length * bulkPerAtom) / (2 * area);
    const polar = gamma(wurtzitePolarSlab(6, lattice), (Math.sqrt(3) / 2) * a * a);
    const nonPolar = gamma(wurtziteNonPolarSlab(4, lattice), a * ca * a);
    console.log(`unrelaxed surface energies (J/m²): (10-10) ${(nonPolar * EV_PER_A2_IN_J_PER_M2).toFixed(3)}, (0001)/(000-1) ${(polar * EV_PER_A2_IN_J_PER_M2).toFixed(3)}`);
    expect(nonPolar).toBeGreaterThan(0);
    expect(polar).toBeGreaterThan(nonPolar);
  });

  it('the preset exposes its parts and checks its options', () => {
    expect(zno.buckingham.pairParameters('O', 'Zn')).toEqual({ ...ZINC_OXIDE_BUCKINGHAM_PAIRS['Zn-O'], cutoff: 10 });
    expect(zno.buckingham.pairParameters('Zn', 'Zn')).toBeUndefined();
    expect(zno.potential.cutoff).toBeGreaterThanOrEqual(10);
    expectCode(() => zincOxideBuckingham({ cutoff: 0 }), 'E_VALUE');
    expectCode(() => zincOxideBuckingham({ charges: 1 } as never), 'E_VALUE');
    expectCode(() => zincOxideBuckingham({ parameters: 'shell' } as never), 'E_VALUE');
    expect(ZINC_OXIDE_BUCKINGHAM_PAIRS).toBe(ZINC_OXIDE_PARAMETER_SETS.binks);
  });
});

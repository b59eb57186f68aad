import { describe, expect, it } from 'vitest';
import { Coulomb } from '../../lib/potentials/coulomb';
import { Electrostatics } from '../../lib/potentials/electrostatics';
import { Ewald } from '../../lib/potentials/ewald';
import { LennardJones } from '../../lib/potentials/lennard-jones';
import { SumPotential } from '../../lib/potentials/sum';
import { Structure } from '../../lib/structure/structure';
import { describePotentialConformance, expectCode } from './conformance';
import { cluster, triclinicCrystal } from './structures';

const charges = { Zn: 1.6, O: -1.6 };
const ionic = { symbols: ['Zn', 'O'], spacing: 2.6 };

describePotentialConformance('Electrostatics (Ewald in a periodic cell)', () => new Electrostatics({ charges, accuracy: 1e-12 }), {
  'triclinic crystal': triclinicCrystal({ ...ionic, seed: 3 }),
}, { supercell: [2, 1, 2] });

describePotentialConformance('Electrostatics (direct sum for a cluster)', () => new Electrostatics({ charges, accuracy: 1e-12 }), {
  cluster: cluster({ ...ionic, seed: 2, count: 31 }),
}, { forceTolerance: 2e-6 });

describe('Electrostatics', () => {
  const crystal = triclinicCrystal({ ...ionic, seed: 5 });
  const open = cluster({ ...ionic, seed: 7, count: 43 });

  it('is the Ewald sum in a periodic cell and the direct sum in a cluster, to round-off', () => {
    const el = new Electrostatics({ charges, accuracy: 1e-10 });
    const want = { forces: true, stress: true, atomEnergies: true };
    const a = el.compute(crystal, want), b = new Ewald({ charges, accuracy: 1e-10 }).compute(crystal, want);
    expect(a.energy).toBe(b.energy);
    expect(Array.from(a.forces!.data)).toEqual(Array.from(b.forces!.data));
    expect(Array.from(a.stress!.data)).toEqual(Array.from(b.stress!.data));
    const c = el.compute(open, { forces: true }), d = new Coulomb({ charges }).compute(open, { forces: true });
    expect(c.energy).toBe(d.energy);
    expect(Array.from(c.forces!.data)).toEqual(Array.from(d.forces!.data));
  });

  it('is the limit of the Ewald sum of the cluster in ever larger boxes, once the tin-foil dipole term is removed', () => {
    // A neutral cluster in a cubic box of side L under tin-foil Ewald: E(L) = E_iso − 2π k_e M²/(3L³) + O(L⁻⁵),
    // M the dipole moment (the cubic lattice of image dipoles sums to zero at order L⁻³).
    const el = new Electrostatics({ charges, accuracy: 1e-12 });
    const symbols = Array.from({ length: 42 }, (_, i) => (i % 2 ? 'O' : 'Zn'));  // neutral
    const positions = open.positions.data.slice(0, 126) as Float64Array;
    const isolated = el.compute(new Structure({ symbols, positions: positions.slice() as Float64Array })).energy;
    const M = [0, 1, 2].map((d) => symbols.reduce((m, e, i) => m + charges[e as 'Zn' | 'O'] * positions[3 * i + d], 0));
    const M2 = M[0] ** 2 + M[1] ** 2 + M[2] ** 2;
    const gap = (L: number): number => {
      const shifted = positions.map((x) => x + L / 2) as Float64Array;
      const periodic = el.compute(new Structure({ symbols, positions: shifted, cell: [[L, 0, 0], [0, L, 0], [0, 0, L]], pbc: true })).energy;
      return Math.abs(periodic + (2 * Math.PI * el.ewald.coulombConstant * M2) / (3 * L ** 3) - isolated);
    };
    const [g30, g60] = [gap(30), gap(60)];
    expect(g60).toBeLessThan(g30 / 16);  // L⁻⁵ would give 1/32
    expect(g60 / Math.abs(isolated)).toBeLessThan(1e-4);  // measured 2.7e-5
  });

  it('refuses slabs and wires, and runs natively inside a sum', () => {
    const slab = new Structure({ symbols: crystal.symbols, positions: crystal.positions, cell: crystal.cell, pbc: [true, true, false] });
    expectCode(() => new Electrostatics({ charges }).compute(slab), 'E_CELL');
    expectCode(() => new Electrostatics({ charges, kspace: 1 } as never), 'E_VALUE');
    const sum = new SumPotential([new LennardJones({ epsilon: 0.01, sigma: 2.2, cutoff: 6 }), new Electrostatics({ charges })]);
    expect(sum.native).toBe(true);
    expect(sum.compute(open).energy).toBeCloseTo(
      new LennardJones({ epsilon: 0.01, sigma: 2.2, cutoff: 6 }).compute(open).energy + new Coulomb({ charges }).compute(open).energy, 10);
  });
});

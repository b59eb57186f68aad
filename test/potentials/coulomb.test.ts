import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Coulomb } from '../../lib/potentials/coulomb';
import { COULOMB_CONSTANT } from '../../lib/potentials/ewald';
import { Structure } from '../../lib/structure/structure';
import { describePotentialConformance, expectClose, expectCode } from './conformance';
import { cluster, standardStructures, triclinicCrystal } from './structures';
import { sharedData } from '../helpers';

const charges = { Zn: 2, O: -2 };
const ionic = { symbols: ['Zn', 'O'], spacing: 2.6 };
const dsf = { alpha: 0.25, cutoff: 6.0 };

describePotentialConformance('Coulomb direct sum, Zn²⁺/O²⁻ cluster', () => new Coulomb({ charges }), {
  cluster: cluster({ ...ionic, seed: 2 }),
  'large cluster': cluster({ ...ionic, seed: 5, count: 43 }),
}, { forceTolerance: 2e-6 });

describePotentialConformance('Coulomb damped shifted force, Zn²⁺/O²⁻', () => new Coulomb({ charges, dsf }),
  standardStructures({ ...ionic, seed: 6 }), { forceTolerance: 2e-6 });

interface ReferenceCase {
  name: string;
  positions: number[][];
  charges: number[];
  symbols: string[];
  pbc: boolean[];
  energy_eV: number;
  forces_eV_per_A: number[][];
}

describe('Coulomb direct sum', () => {
  it('matches the open-cluster case of the Ewald reference data (ZnO6_cluster_open) to 1e-12', () => {
    const reference = JSON.parse(readFileSync(join(sharedData, 'reference', 'ewald', 'ewald_reference.json'), 'utf8')) as { cases: ReferenceCase[] };
    const c = reference.cases.find((x) => x.name === 'ZnO6_cluster_open')!;
    expect(c.pbc.some((p) => p)).toBe(false);
    const s = new Structure({ symbols: c.symbols, positions: c.positions, charges: c.charges });
    const r = new Coulomb().compute(s, { forces: true, atomEnergies: true });
    expectClose([r.energy], [c.energy_eV], 1e-12, 'energy');
    expectClose(r.forces!.data, c.forces_eV_per_A.flat(), 1e-12, 'forces');
    expectClose([r.atomEnergies!.reduce((a, b) => a + b, 0)], [r.energy], 1e-13, 'Σ atom energies');
  });

  it('dimer: E = k_e q₁q₂/r, attractive force', () => {
    const s = new Structure({ symbols: ['Zn', 'O'], positions: [[0, 0, 0], [2, 0, 0]] });
    const r = new Coulomb({ charges }).compute(s, { forces: true });
    expect(r.energy).toBeCloseTo((COULOMB_CONSTANT * -4) / 2, 13);
    expect(r.forces!.get(0, 0)).toBeCloseTo(COULOMB_CONSTANT * 4 / 4, 13);
  });

  it('refuses periodic structures (E_CELL), missing charges, NaN charges, overlaps', () => {
    expectCode(() => new Coulomb({ charges }).compute(triclinicCrystal({ ...ionic })), 'E_CELL');
    const s = cluster({ ...ionic });
    expectCode(() => new Coulomb({ charges: { Zn: 2 } }).compute(s), 'E_ELEMENT');
    expectCode(() => new Coulomb().compute(s), 'E_VALUE');
    expectCode(() => new Coulomb({ charges: { Zn: Number.NaN, O: -2 } }), 'E_VALUE');
    expectCode(() => new Coulomb({ charges, dsf: { alpha: -1, cutoff: 5 } }), 'E_VALUE');
    expectCode(() => new Coulomb({ charges, dsf: { alpha: 0.2, cutoff: 0 } }), 'E_VALUE');
    const overlap = new Structure({ symbols: ['Zn', 'O'], positions: [[0, 0, 0], [0, 0, 0]] });
    expectCode(() => new Coulomb({ charges }).compute(overlap), 'E_VALUE');
  });
});

describe('Coulomb damped shifted force', () => {
  const potential = new Coulomb({ charges, dsf });
  const dimer = (r: number): Structure => new Structure({ symbols: ['Zn', 'O'], positions: [[0.1, 0.2, 0.3], [0.1 + r, 0.2, 0.3]] });
  const self = -COULOMB_CONSTANT * 8 * (erfc(dsf.alpha * dsf.cutoff) / (2 * dsf.cutoff) + dsf.alpha / Math.sqrt(Math.PI));

  it('force = −dE/dr along the dimer (central differences over the whole range)', () => {
    let worst = 0;
    for (let r = 1.5; r < dsf.cutoff; r += 0.37) {
      const h = 1e-5;
      const fd = -(potential.compute(dimer(r + h)).energy - potential.compute(dimer(r - h)).energy) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - potential.compute(dimer(r), { forces: true }).forces!.get(1, 0)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('energy and force are continuous at the cutoff (both reach the self term / zero)', () => {
    const eps = 1e-7;
    const inside = potential.compute(dimer(dsf.cutoff - eps), { forces: true });
    const outside = potential.compute(dimer(dsf.cutoff + eps), { forces: true });
    expect(Math.abs(inside.energy - outside.energy)).toBeLessThan(1e-12);
    expect(Math.abs(inside.forces!.get(1, 0))).toBeLessThan(1e-6); // F ∝ (R_c − r) just inside: 3e-8 here
    expect(outside.forces!.get(1, 0)).toBe(0);
    expect(outside.energy).toBeCloseTo(self, 12);
  });
});

/** erfc for the test (Abramowitz–Stegun 7.1.26 is too coarse; use a continued series). */
function erfc(x: number): number {
  // erf by its Taylor series (x small here), erfc = 1 − erf.
  let term = x, sum = x;
  for (let n = 1; n < 200; ++n) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return 1 - (2 / Math.sqrt(Math.PI)) * sum;
}

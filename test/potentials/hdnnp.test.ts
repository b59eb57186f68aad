/**
 * Hdnnp: every shipped n2p2 potential loads, runs on its example (H2O_BLYP-D3, which ships
 * without one, on H2O_RPBE-D3's), passes the conformance suite in physical units, and gives
 * identical results after save + load; stress equals the strain derivative; extrapolation is
 * reported per (atom, function) as n2p2 reports it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { afterAll, describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import { read } from '../../lib/io';
import { Hdnnp, HdnnpUnits } from '../../lib/potentials/hdnnp';
import { Structure } from '../../lib/structure/structure';
import { bohr, hartree } from '../../lib/structure/units';
import { sharedData } from '../helpers';
import { describePotentialConformance } from './conformance';

const potentials = join(sharedData, 'n2p2', 'potentials');
const atomic: HdnnpUnits = { lengthUnit: 'bohr', energyUnit: 'hartree' };

/** forceTolerance: finite differences of energies of ~1e6 eV (1080 water atoms in eV) carry ~1e-6 eV/Å of rounding. */
interface Case { name: string; example: string; units: HdnnpUnits; forceTolerance?: number }
const cases: Case[] = [
  { name: 'H2O_RPBE-D3', example: 'H2O_RPBE-D3', units: atomic, forceTolerance: 5e-6 },
  { name: 'H2O_BLYP-D3', example: 'H2O_RPBE-D3', units: atomic, forceTolerance: 5e-6 },
  { name: 'Cu2S_PBE', example: 'Cu2S_PBE', units: {} },
  { name: 'Anisole_SCAN', example: 'Anisole_SCAN', units: {} },
  { name: 'Ethylbenzene_SCAN', example: 'Ethylbenzene_SCAN', units: {} },
  { name: 'DMABN_SCAN', example: 'DMABN_SCAN', units: {} },
];

/** The first structure of an example file, converted to Å when the potential's files are in Bohr. */
function example(c: Case): Structure {
  const s = read(join(potentials, c.example, 'example.data'), { format: 'n2p2', index: 0 });
  if (c.units.lengthUnit !== 'bohr') return s;
  return new Structure({
    positions: ndarray(Float64Array.from(s.positions.data, (x) => x * bohr), [s.length, 3]),
    numbers: s.numbers,
    cell: s.cell ? ndarray(Float64Array.from(s.cell.data, (x) => x * bohr), [3, 3]) : null,
    pbc: s.pbc,
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'polymorph-hdnnp-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

for (const c of cases) {
  describePotentialConformance(`Hdnnp ${c.name}`, () => Hdnnp.load(join(potentials, c.name), c.units), { example: () => example(c) }, {
    finiteDifferenceAtoms: 3,
    listTestAtoms: 40,
    supercell: [2, 1, 1],
    forceTolerance: c.forceTolerance ?? 1e-6,
    stressTolerance: 1e-7,
  });

  describe(`Hdnnp ${c.name}: save and load`, () => {
    it('gives identical results after save + load', () => {
      const original = Hdnnp.load(join(potentials, c.name), c.units);
      const directory = join(scratch, c.name);
      original.save(directory);
      const copy = Hdnnp.load(directory, c.units);
      const s = example(c);
      const want = { forces: true, atomEnergies: true, stress: s.cell !== null };
      const a = original.compute(s, want), b = copy.compute(s, want);
      expect(b.energy).toBe(a.energy);
      expect(Array.from(b.forces!.data)).toEqual(Array.from(a.forces!.data));
      expect(Array.from(b.atomEnergies!)).toEqual(Array.from(a.atomEnergies!));
      if (want.stress) expect(Array.from(b.stress!.data)).toEqual(Array.from(a.stress!.data));
      expect(b.extrapolations).toEqual(a.extrapolations);
    });
  });
}

describe('Hdnnp units', () => {
  it('converts Bohr/Hartree files to Å/eV exactly', () => {
    const raw = Hdnnp.load(join(potentials, 'H2O_RPBE-D3'));
    const physical = Hdnnp.load(join(potentials, 'H2O_RPBE-D3'), atomic);
    const inBohr = read(join(potentials, 'H2O_RPBE-D3', 'example.data'), { format: 'n2p2', index: 0 });
    const a = raw.compute(inBohr, { forces: true }), b = physical.compute(example(cases[0]), { forces: true });
    expect(Math.abs(b.energy - a.energy * hartree) / Math.abs(b.energy)).toBeLessThan(1e-13);
    let worst = 0;
    for (let k = 0; k < a.forces!.data.length; ++k) worst = Math.max(worst, Math.abs(b.forces!.data[k] - a.forces!.data[k] * hartree / bohr));
    expect(worst).toBeLessThan(1e-10);
    expect(physical.cutoff).toBeCloseTo(12 * bohr, 12);
  });

  it('rejects unknown units', () => {
    expect(() => Hdnnp.load(join(potentials, 'Cu2S_PBE'), { lengthUnit: 'nm' as never })).toThrow(expect.objectContaining({ code: 'E_UNIT' }));
    expect(() => Hdnnp.load(join(potentials, 'Cu2S_PBE'), { energyUnit: -1 })).toThrow(expect.objectContaining({ code: 'E_UNIT' }));
  });
});

describe('Hdnnp stress', () => {
  it('equals the finite-difference strain derivative to 1e-7 relative (Cu2S, Richardson-extrapolated central differences)', () => {
    const potential = Hdnnp.load(join(potentials, 'Cu2S_PBE'));
    const s = example(cases[2]);
    const stress = potential.compute(s, { stress: true }).stress!;
    const volume = Math.abs(det(s.cell!.data));
    const energyAt = (a: number, b: number, e: number): number => {
      const strain = [1, 0, 0, 0, 1, 0, 0, 0, 1];
      strain[3 * a + b] += e / 2;
      strain[3 * b + a] += e / 2;
      return potential.compute(transform(s, strain)).energy;
    };
    let worst = 0, largest = 0;
    for (let a = 0; a < 3; ++a) {
      for (let b = a; b < 3; ++b) {
        const d = (h: number): number => (energyAt(a, b, h) - energyAt(a, b, -h)) / (2 * h);
        const h = 1e-4;
        const fd = (4 * d(h / 2) - d(h)) / 3 / volume;
        worst = Math.max(worst, Math.abs(fd - stress.get(a, b)));
        largest = Math.max(largest, Math.abs(stress.get(a, b)));
      }
    }
    expect(largest).toBeGreaterThan(1e-3);
    expect(worst / largest).toBeLessThan(1e-7);
  });
});

describe('Hdnnp extrapolation', () => {
  const potential = Hdnnp.load(join(potentials, 'Cu2S_PBE'));
  const compressed = transform(example(cases[2]), [0.8, 0, 0, 0, 0.8, 0, 0, 0, 0.8]);

  it('the example is inside the training range', () => {
    expect(potential.compute(example(cases[2])).extrapolations).toEqual([]);
  });

  it('reports every (atom, function) outside [min, max] with its value, as n2p2 does', () => {
    const { extrapolations } = potential.compute(compressed);
    expect(extrapolations.length).toBeGreaterThan(0);
    // Independent evaluation: the descriptor values against scaling.data, strict comparison.
    const { values, atoms } = potential.symmetryFunctions.compute(compressed);
    const expected: { atom: number; element: string; function: number; value: number; min: number; max: number }[] = [];
    potential.settings.elements.forEach((element, e) => {
      const { min, max } = potential.statistics[e];
      const v = values[element];
      for (let r = 0; r < v.shape[0]; ++r) {
        for (let f = 0; f < v.shape[1]; ++f) {
          const g = v.get(r, f);
          if (g < min[f] || g > max[f]) expected.push({ atom: atoms[element][r], element, function: f, value: g, min: min[f], max: max[f] });
        }
      }
    });
    expected.sort((x, y) => x.atom - y.atom || x.function - y.function);
    // Same records; values agree to round-off (the potential sums neighbours in its shared list's order).
    const key = (x: { atom: number; element: string; function: number; min: number; max: number }) => [x.atom, x.element, x.function, x.min, x.max];
    expect(extrapolations.map(key)).toEqual(expected.map(key));
    extrapolations.forEach((x, k) => expect(Math.abs(x.value - expected[k].value)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected[k].value))));
  });

  it("throws E_EXTRAPOLATION with { extrapolation: 'throw' }", () => {
    let caught: unknown;
    try {
      potential.compute(compressed, { forces: true, extrapolation: 'throw' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolymorphError);
    expect((caught as PolymorphError).code).toBe('E_EXTRAPOLATION');
    expect(() => potential.compute(example(cases[2]), { extrapolation: 'throw' })).not.toThrow();
  });
});

describe('Hdnnp errors', () => {
  it('missing files are E_IO naming the file', () => {
    expect(() => Hdnnp.load(join(scratch, 'nowhere'))).toThrow(/input\.nn/);
    expect(() => Hdnnp.load(join(scratch, 'nowhere'))).toThrow(expect.objectContaining({ code: 'E_IO' }));
  });

  it('elements the potential does not cover are E_ELEMENT', () => {
    const potential = Hdnnp.load(join(potentials, 'Cu2S_PBE'));
    const s = new Structure({ positions: [[0, 0, 0], [0, 0, 2]], symbols: ['Cu', 'O'] });
    expect(() => potential.compute(s)).toThrow(expect.objectContaining({ code: 'E_ELEMENT' }));
  });
});

function det(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/** Positions and cell multiplied (as row vectors) by the 3×3 matrix `t`. */
function transform(s: Structure, t: number[]): Structure {
  const apply = (data: ArrayLike<number>, rows: number): Float64Array => {
    const out = new Float64Array(rows * 3);
    for (let i = 0; i < rows; ++i) {
      for (let b = 0; b < 3; ++b) out[3 * i + b] = data[3 * i] * t[b] + data[3 * i + 1] * t[3 + b] + data[3 * i + 2] * t[6 + b];
    }
    return out;
  };
  return new Structure({
    positions: ndarray(apply(s.positions.data, s.length), [s.length, 3]), numbers: s.numbers,
    cell: s.cell ? ndarray(apply(s.cell.data, 3), [3, 3]) : null, pbc: s.pbc,
  });
}

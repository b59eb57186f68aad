// What a newcomer trips on (issue 9, points a–f), one test each, across the public API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  fitPlip, fitPlipAsync, Hdnnp, LassoLars, LassoLarsCV, LassoLarsIC, NeighborList, PlipDescriptors, plipGrid, rattle,
  read, readAll, readAllAsync, readAsync, Structure, wurtzite, write, writeAsync, zincOxideBuckingham,
} from '../../lib';
import * as units from '../../lib/structure/units';
import { sharedData } from '../helpers';

const water = join(sharedData, 'n2p2', 'potentials', 'H2O_RPBE-D3');

function expectMisspelt(call: () => unknown, key: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `misspelt '${key}' must be refused`).toMatchObject({ code: 'E_VALUE' });
  expect(String((thrown as Error).message)).toContain(`'${key}'`);
}

describe('(a) a misspelt option is refused, never ignored', () => {
  const s = wurtzite().repeat([2, 2, 2]);
  it('in constructors, builders, readers and requests', () => {
    expectMisspelt(() => NeighborList.build(s, 5, { ful: false } as never), 'ful');
    expectMisspelt(() => read(join(water, 'example.data'), { formt: 'n2p2' } as never), 'formt');
    expectMisspelt(() => Hdnnp.load(water, { lenghtUnit: 'bohr' } as never), 'lenghtUnit');
    expectMisspelt(() => new LassoLars({ alpha: 0.1, fit_intercept: false } as never), 'fit_intercept');
    expectMisspelt(() => zincOxideBuckingham().potential.compute(s, { force: true } as never), 'force');
    expectMisspelt(() => zincOxideBuckingham().ewald.compute(s, { strees: true } as never), 'strees');
  });
});

describe('(b) an async call evaluates the structure as it was when called', () => {
  it('SumPotential([buckingham, ewald]) does not mix old and new positions', async () => {
    const s = rattle(wurtzite().repeat([2, 2, 2]), 0.05, 1);
    const { potential } = zincOxideBuckingham();
    const before = potential.compute(s, { forces: true });
    const pending = potential.computeAsync(s, { forces: true });
    s.positions.data.forEach((_, k) => (s.positions.data[k] += 0.1 * Math.sin(k)));
    const r = await pending;
    expect(r.energy).toBe(before.energy);
    expect(Array.from(r.forces!.data)).toEqual(Array.from(before.forces!.data));
  });
});

describe('(c) builders return new structures', () => {
  it('rattle leaves its input unchanged', () => {
    const s = wurtzite().repeat([2, 2, 1]);
    const copy = Float64Array.from(s.positions.data);
    const moved = rattle(s, 0.1, 3);
    expect(Array.from(s.positions.data)).toEqual(Array.from(copy));
    expect(moved).not.toBe(s);
    expect(moved.positions.data.some((x, k) => x !== copy[k])).toBe(true);
  });
});

describe('(d) n2p2 data in Bohr/Hartree are converted on reading', () => {
  it('a Bohr/Hartree file read with its units gives the energy of the hand-converted structure, and n2p2\'s', async () => {
    const potential = await Hdnnp.loadAsync(water, { lengthUnit: 'bohr', energyUnit: 'hartree' });
    const file = join(water, 'example.data');
    const converted = read(file, { format: 'n2p2', lengthUnit: 'Bohr', energyUnit: 'Hartree' });
    const raw = read(file, { format: 'n2p2' });
    const byHand = new Structure({
      positions: Array.from({ length: raw.length }, (_, i) => [0, 1, 2].map((a) => raw.positions.get(i, a) * units.bohr)),
      numbers: raw.numbers,
      cell: raw.cell ? [0, 1, 2].map((r) => [0, 1, 2].map((a) => raw.cell!.get(r, a) * units.bohr)) : null,
      pbc: raw.pbc,
    });
    const a = potential.compute(converted).energy, b = potential.compute(byHand).energy;
    expect(Math.abs(a - b)).toBeLessThan(1e-12 * Math.abs(b));
    // n2p2's own prediction for this file, in Hartree (energy.out: column 4, Ennp).
    const line = readFileSync(join(sharedData, 'n2p2', 'reference', 'H2O_RPBE-D3', 'energy.out'), 'utf8').split('\n').find((l) => l.trim() && !l.startsWith('#'))!;
    const n2p2 = Number(line.trim().split(/\s+/)[3]) * units.hartree;
    expect(Math.abs(a - n2p2)).toBeLessThan(1e-10 * Math.abs(n2p2));
  });
});

describe('(e) every public object prints a short summary', () => {
  it('potentials, lists, descriptors, estimators and results print ≤ 15 lines', async () => {
    const s = wurtzite().repeat([2, 2, 2]);
    const plip = new PlipDescriptors({ elements: ['Zn', 'O'], cutoff: 5, grid: plipGrid({ widths: { min: 1, max: 1, step: 1 }, centres: { min: 1, max: 5, step: 1 } }) });
    const X = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i), i / 30]);
    const y = X.map((r) => 2 * r[0] - r[2]);
    const objects: unknown[] = [
      await Hdnnp.loadAsync(water, { lengthUnit: 'bohr', energyUnit: 'hartree' }), NeighborList.build(s, 5), plip,
      zincOxideBuckingham().potential, zincOxideBuckingham().potential.compute(s, { forces: true, stress: true }),
      new LassoLars({ alpha: 0.01 }).fit(X, y), new LassoLarsCV({ cv: 3 }).fit(X, y), new LassoLarsIC().fit(X, y),
    ];
    for (const o of objects) {
      const text = inspect(o);
      expect(text.split('\n').length, text).toBeLessThanOrEqual(15);
    }
  });
});

describe('(f) everything slower than 50 ms has a sync and an async form', () => {
  it('Hdnnp.load, file I/O, fitPlip and the LassoLars family', async () => {
    const loaded = Hdnnp.load(water, { lengthUnit: 'bohr', energyUnit: 'hartree' });
    const later = await Hdnnp.loadAsync(water, { lengthUnit: 'bohr', energyUnit: 'hartree' });
    const s = read(join(water, 'example.data'), { format: 'n2p2', lengthUnit: 'Bohr', energyUnit: 'Hartree' });
    expect(later.compute(s).energy).toBe(loaded.compute(s).energy);
    expect((await readAsync(join(water, 'example.data'), { format: 'n2p2' })).length).toBe(s.length);
    expect((await readAllAsync(join(water, 'example.data'), { format: 'n2p2' })).length).toBe(readAll(join(water, 'example.data'), { format: 'n2p2' }).length);
    expect(typeof write).toBe('function');
    expect(typeof writeAsync).toBe('function');
    expect(typeof fitPlip).toBe('function');
    expect(typeof fitPlipAsync).toBe('function');
    for (const Estimator of [LassoLars, LassoLarsCV, LassoLarsIC]) expect(typeof Estimator.prototype.fitAsync).toBe('function');
  });
});

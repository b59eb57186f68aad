/**
 * n2p2 files in other units: read(…, { lengthUnit, energyUnit }) converts to Å, eV and eV/Å, the
 * writer converts back, and unknown units are E_UNIT.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NdArray } from 'ndarray';
import { fileEnergyUnitInEv, fileLengthUnitInAngstrom } from '../../lib/io/file-units';
import { formatText, iread, parseText, read, readAll, readAllAsync, write, writeAsync } from '../../lib/io/index';
import { formatN2p2 } from '../../lib/io/n2p2';
import { Structure } from '../../lib/structure/structure';
import { sharedData } from '../helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-n2p2-units-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** CODATA 2018, written out here so that the test does not reuse the library's constants. */
const BOHR_IN_ANGSTROM = 0.529177210903;
const HARTREE_IN_EV = 27.211386245988;
const atomic = { format: 'n2p2', lengthUnit: 'Bohr', energyUnit: 'Hartree' } as const;

const example = path.join(sharedData, 'n2p2', 'potentials', 'H2O_RPBE-D3', 'example.data'); // 1 structure, Bohr/Hartree
const training = path.join(sharedData, 'n2p2', 'train', 'H2O_RPBE-D3', 'input.data'); // 20 structures with forces and charges

const forces = (s: Structure): NdArray<Float64Array> => s.arrays.forces as NdArray<Float64Array>;

/** |a − b| ≤ 2 ulps of |b| for every element (round-off of one or two multiplications). */
function expectRoundOff(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; ++i) {
    if (!(Math.abs(a[i] - b[i]) <= 4.5e-16 * Math.abs(b[i]))) throw new Error(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

function expectBitIdentical(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; ++i) if (!Object.is(a[i], b[i])) throw new Error(`${what}[${i}]: ${a[i]} !== ${b[i]}`);
}

describe('reading n2p2 files in Bohr and Hartree', () => {
  it('example.data of H2O_RPBE-D3: positions and cell × a₀, energy × E_h, forces × E_h/a₀, as a hand conversion', () => {
    const raw = read(example, { format: 'n2p2' });
    const s = read(example, atomic);
    expect(s.length).toBe(raw.length);
    expect(s.length).toBeGreaterThan(1000);
    expectRoundOff(s.positions.data, Array.from(raw.positions.data, (x) => x * BOHR_IN_ANGSTROM), 'positions');
    expectRoundOff(s.cell!.data, Array.from(raw.cell!.data, (x) => x * BOHR_IN_ANGSTROM), 'cell');
    expect(s.cell!.get(0, 0)).toBeCloseTo(42.888632301285426 * BOHR_IN_ANGSTROM, 12);
    expect(s.info.energy).toBe((raw.info.energy as number) * HARTREE_IN_EV);
    expectRoundOff(forces(s).data, Array.from(forces(raw).data, (f) => (f * HARTREE_IN_EV) / BOHR_IN_ANGSTROM), 'forces');
    expect(Object.keys(s.info).sort()).toEqual(Object.keys(raw.info).sort());
    expect(Object.keys(s.arrays)).toEqual(Object.keys(raw.arrays));
  });

  it('training data with non-zero forces, energies and charges: charges unchanged, labels kept', () => {
    const raw = readAll(training, { format: 'n2p2' });
    const converted = readAll(training, atomic);
    expect(converted.length).toBe(20);
    converted.forEach((s, k) => {
      const r = raw[k];
      expectRoundOff(s.positions.data, Array.from(r.positions.data, (x) => x * BOHR_IN_ANGSTROM), `positions ${k}`);
      expectRoundOff([s.info.energy as number], [(r.info.energy as number) * HARTREE_IN_EV], `energy ${k}`);
      expectRoundOff(forces(s).data, Array.from(forces(r).data, (f) => (f * HARTREE_IN_EV) / BOHR_IN_ANGSTROM), `forces ${k}`);
      expectBitIdentical(s.charges!, r.charges!, `charges ${k}`);
      expect(s.info.charge).toBe(r.info.charge);
      expect(s.info.comment).toBe(r.info.comment);
      expect(s.symbols).toEqual(r.symbols);
    });
    expect(Array.from(forces(raw[0]).data).some((f) => f !== 0)).toBe(true);
    expect(Array.from(raw[0].charges!).some((q) => q !== 0)).toBe(true);
  });

  it('readAll, iread, readAllAsync and parseText convert alike', async () => {
    const sync = readAll(training, { ...atomic, index: '::7' });
    const streamed: Structure[] = [];
    for await (const s of iread(training, { ...atomic, index: '::7' })) streamed.push(s);
    const promised = await readAllAsync(training, { ...atomic, index: '::7' });
    const parsed = parseText(fs.readFileSync(training, 'utf8'), { ...atomic, index: '::7' });
    for (const other of [streamed, promised, parsed]) {
      expect(other.length).toBe(sync.length);
      other.forEach((s, k) => {
        expectBitIdentical(s.positions.data, sync[k].positions.data, 'positions');
        expectBitIdentical(forces(s).data, forces(sync[k]).data, 'forces');
        expect(s.info.energy).toBe(sync[k].info.energy);
      });
    }
  });
});

describe('writing n2p2 files in other units', () => {
  it('write → read with the same units is lossless for structures read with those units', async () => {
    const frames = readAll(training, atomic);
    const file = path.join(dir, 'atomic.data');
    write(file, frames, atomic);
    const asyncFile = path.join(dir, 'atomic-async.data');
    await writeAsync(asyncFile, frames, atomic);
    expect(fs.readFileSync(asyncFile, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
    const back = readAll(file, atomic);
    back.forEach((s, k) => {
      expectBitIdentical(s.positions.data, frames[k].positions.data, 'positions');
      expectBitIdentical(s.cell!.data, frames[k].cell!.data, 'cell');
      expectBitIdentical(forces(s).data, forces(frames[k]).data, 'forces');
      expectBitIdentical(s.charges!, frames[k].charges!, 'charges');
      expect(s.info).toEqual(frames[k].info);
    });
    // The file is in Bohr and Hartree: the same numbers as the original file, to round-off.
    const original = readAll(training, { format: 'n2p2' });
    readAll(file, { format: 'n2p2' }).forEach((s, k) => {
      expectRoundOff(s.positions.data, original[k].positions.data, 'file positions');
      expectRoundOff([s.info.energy as number], [original[k].info.energy as number], 'file energy');
    });
  });

  it('arbitrary structures in Å and eV come back within one ulp, in every unit', () => {
    const s = new Structure({
      positions: [[0.1, 0.2, 0.3], [1.2345678901234567, -2.5, 3.75], [Math.PI, Math.E, -0]],
      symbols: ['O', 'H', 'H'], cell: [[9.87654321, 0, 0], [0.5, 8.1, 0], [0, -0.25, 7.3]], pbc: true,
      charges: [-0.8, 0.4, 0.4], info: { energy: -472.123456789, charge: 0, comment: 'units' },
      arrays: { forces: [[0.01, -1.5, 2.25], [1e-8, 0, -3.3], [0.7, 0.1, -0.2]] },
    });
    for (const [lengthUnit, energyUnit] of [['Bohr', 'Hartree'], ['nm', 'kcal/mol'], ['Angstrom', 'kJ/mol'], [0.9, 'Ry'], ['bohr', 'hartree']] as const) {
      const [back] = parseText(formatText(s, { format: 'n2p2', lengthUnit, energyUnit }), { format: 'n2p2', lengthUnit, energyUnit });
      expectRoundOff(back.positions.data, s.positions.data, `positions ${lengthUnit}`);
      expectRoundOff(back.cell!.data, s.cell!.data, `cell ${lengthUnit}`);
      expectRoundOff(forces(back).data, forces(s).data, `forces ${lengthUnit} ${energyUnit}`);
      expectRoundOff([back.info.energy as number], [s.info.energy as number], `energy ${energyUnit}`);
      expectBitIdentical(back.charges!, s.charges!, 'charges');
      expect(back.info.charge).toBe(0);
      expect(back.info.comment).toBe('units');
    }
    // Å and eV (the default): every number bit for bit, −0 included.
    const [same] = parseText(formatText(s, { format: 'n2p2' }), { format: 'n2p2' });
    expectBitIdentical(same.positions.data, s.positions.data, 'positions');
    expectBitIdentical(forces(same).data, forces(s).data, 'forces');
  });

  it('the file holds the numbers divided by the unit sizes', () => {
    const s = new Structure({ positions: [[BOHR_IN_ANGSTROM, 0, 0]], symbols: ['H'], info: { energy: HARTREE_IN_EV }, arrays: { forces: [[HARTREE_IN_EV / BOHR_IN_ANGSTROM, 0, 0]] } });
    const text = formatN2p2(s, { lengthUnit: 'Bohr', energyUnit: 'Hartree' });
    expect(text).toMatch(/^atom {3}1\.0000000000000000E\+00 /m);
    expect(text).toMatch(/^energy {3}1\.0000000000000000E\+00$/m);
    const fx = Number(text.split('\n')[1].trim().split(/\s+/)[7]);
    expect(fx).toBeCloseTo(1, 15);
  });
});

describe('unit names and numbers', () => {
  it('sizes: CODATA 2018 a₀ and E_h, Ry = E_h/2, molar units from exact N_A and e, numbers as given', () => {
    expect(fileLengthUnitInAngstrom('Angstrom')).toBe(1);
    expect(fileLengthUnitInAngstrom('Bohr')).toBe(BOHR_IN_ANGSTROM);
    expect(fileLengthUnitInAngstrom('bohr')).toBe(BOHR_IN_ANGSTROM);
    expect(fileLengthUnitInAngstrom('nm')).toBe(10);
    expect(fileLengthUnitInAngstrom(2.5)).toBe(2.5);
    expect(fileEnergyUnitInEv('eV')).toBe(1);
    expect(fileEnergyUnitInEv('Hartree')).toBe(HARTREE_IN_EV);
    expect(fileEnergyUnitInEv('Ry')).toBe(HARTREE_IN_EV / 2);
    expect(fileEnergyUnitInEv('kcal/mol')).toBeCloseTo(0.043364104241800934, 16); // 4.184 kJ/mol; ASE ≥ 3.22: units.kcal / units.mol
    expect(fileEnergyUnitInEv('kJ/mol')).toBeCloseTo(0.010364269656262174, 16);
    expect(fileEnergyUnitInEv(0.5)).toBe(0.5);
  });

  it('a number is the size of the unit: lengthUnit 10 reads as nm', () => {
    const text = 'begin\natom 0.1 0.2 0.3 H 0 0 1 2 3\nenergy 2\nend\n';
    const [byName] = parseText(text, { format: 'n2p2', lengthUnit: 'nm', energyUnit: 'kcal/mol' });
    const [byNumber] = parseText(text, { format: 'n2p2', lengthUnit: 10, energyUnit: fileEnergyUnitInEv('kcal/mol') });
    expectBitIdentical(byNumber.positions.data, byName.positions.data, 'positions');
    expectBitIdentical(forces(byNumber).data, forces(byName).data, 'forces');
    expect(byName.positions.get(0, 0)).toBe(1);
    expect(byName.info.energy).toBe(2 * fileEnergyUnitInEv('kcal/mol'));
  });

  it('unknown units, zero, negative and non-finite sizes are E_UNIT, on reading and on writing', async () => {
    const bad = [{ lengthUnit: 'parsec' }, { lengthUnit: 0 }, { lengthUnit: -1 }, { energyUnit: 'erg' }, { energyUnit: Infinity }, { energyUnit: NaN }];
    for (const units of bad) {
      const options = { format: 'n2p2', ...units } as never;
      expect(() => read(example, options), JSON.stringify(units)).toThrow(expect.objectContaining({ code: 'E_UNIT' }));
      expect(() => formatText(new Structure({ positions: [[0, 0, 0]], symbols: ['H'] }), options)).toThrow(expect.objectContaining({ code: 'E_UNIT' }));
    }
    await expect(readAllAsync(example, { format: 'n2p2', lengthUnit: 'furlong' as never })).rejects.toMatchObject({ code: 'E_UNIT', message: expect.stringMatching(/'Angstrom', 'Bohr', 'nm'/) });
    expect(() => formatN2p2(new Structure({ positions: [[0, 0, 0]], symbols: ['H'] }), { energyUnit: 'cal' as never })).toThrow(/'eV', 'Hartree', 'Ry', 'kcal\/mol', 'kJ\/mol'/);
  });
});

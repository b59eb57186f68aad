import * as fs from 'fs';
import * as os from 'os';
import ndarray from 'ndarray';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ParseError, PolymorphError } from '../../lib/core/errors';
import { extxyzFormat, momentumText, pythonFloat, velocityFromMomentum } from '../../lib/io/extxyz';
import { forEachLineSync, linesOf } from '../../lib/io/lines';
import { atomicMasses } from '../../lib/structure/elements';
import { Structure } from '../../lib/structure/structure';
import { aseTimeUnitInFs } from '../../lib/structure/units';
import { parseWith } from '../../lib/io/parse-with';
import { sharedData } from '../helpers';

const referenceDir = path.join(sharedData, 'reference', 'structures');
const fixtures = path.join(__dirname, 'fixtures/extxyz');

/** Every frame of an extended XYZ text. */
const parse = (text: string, name = '<string>'): Structure[] => parseWith(extxyzFormat, text, {}, name);

/** Reads a file line by line with the push parser. */
function readFile(file: string): Structure[] {
  const parser = extxyzFormat.createParser(file, {});
  const out: Structure[] = [];
  const last = forEachLineSync(file, (line, n) => {
    const frame = parser.push(line, n);
    if (frame) out.push(frame);
  });
  const frame = parser.end(last);
  if (frame) out.push(frame);
  return out;
}

function format(frames: Structure | Structure[]): string {
  return (Array.isArray(frames) ? frames : [frames]).map((s, i) => extxyzFormat.formatFrame(s, {}, i)).join('');
}

/** Bit patterns of doubles: equal only if every number is identical (including -0). */
function bits(values: ArrayLike<number>): bigint[] {
  return Array.from(new BigUint64Array(Float64Array.from(values).buffer));
}

/** The ParseError thrown by `f` (fails the test if none). */
function parseErrorOf(f: () => unknown): ParseError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error('expected a ParseError, nothing was thrown');
}

function rows(a: { get(i: number, k: number): number; shape: number[] }): number[][] {
  return Array.from({ length: a.shape[0] }, (_, i) => Array.from({ length: a.shape[1] }, (_, k) => a.get(i, k)));
}

describe('pythonFloat (the number form ASE writes for Lattice and info)', () => {
  it.each([
    [5.587, '5.587'], [2, '2.0'], [0, '0.0'], [-0, '-0.0'], [1e-4, '0.0001'], [1e-5, '1e-05'], [1.5e-7, '1.5e-07'],
    [1e15, '1000000000000000.0'], [1e16, '1e+16'], [1.5e300, '1.5e+300'], [-1.6247999999999991, '-1.6247999999999991'],
    [2.8142361521379122, '2.8142361521379122'], [123456789012345680000, '1.2345678901234568e+20'], [0.1 + 0.2, '0.30000000000000004'],
  ])('%s → %s', (x, text) => {
    expect(pythonFloat(x)).toBe(text);
    expect(Object.is(Number(text), x)).toBe(true);
  });
});

describe('momenta ↔ velocities', () => {
  it('converts with the ASE time unit: v = p / m / 10.18 fs', () => {
    expect(velocityFromMomentum('0.10000000', 63.546)).toBe(0.1 / 63.546 / aseTimeUnitInFs);
    expect(velocityFromMomentum('6.0', 2)).toBeCloseTo(3 / 10.1805057, 9);
    expect(Number(momentumText(3 / aseTimeUnitInFs, 2))).toBeCloseTo(6, 14);
  });

  it('round-trips every velocity bit for bit through the written momentum', () => {
    let state = 12345;
    const random = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    let long = 0;
    for (let k = 0; k < 20000; ++k) {
      const v = (random() - 0.5) * 10 ** (Math.floor(random() * 12) - 8);
      const m = k % 7 === 0 ? atomicMasses[1 + (k % 90)] : 0.01 + random() * 300;
      const text = momentumText(v, m);
      const p = Number(text);
      expect(Math.abs(p - v * m * aseTimeUnitInFs)).toBeLessThanOrEqual(Math.abs(p) * 1e-15);
      expect(Object.is(velocityFromMomentum(text.trim(), m), v)).toBe(true);
      if (text.trim().length > 20) long++;
    }
    // Most momenta are plain doubles; the exact long form is the exception.
    expect(long).toBeGreaterThan(0);
    expect(long).toBeLessThan(20000 * 0.5);
    for (const v of [0, -0, 1e-300, -2.5e-310, 1e300]) {
      expect(Object.is(velocityFromMomentum(momentumText(v, 1.008).trim(), 1.008), v)).toBe(true);
    }
  });
});

describe('reading the ZnO reference structures written by ASE', () => {
  const files = fs.readdirSync(referenceDir).filter((f) => f.endsWith('.xyz'));
  const json = JSON.parse(fs.readFileSync(path.join(referenceDir, 'zno_polymorphs.json'), 'utf8')) as Record<string, { cell: number[][]; species: string[]; frac_positions: number[][]; natoms_cell: number }>;

  it('finds the seven files', () => {
    expect(files.sort()).toEqual(['BCT.xyz', 'BCT_betaBeO_scaled.xyz', 'hBN.xyz', 'rocksalt.xyz', 'sodalite.xyz', 'wurtzite.xyz', 'zincblende.xyz']);
  });

  it('reads wurtzite exactly', () => {
    const [s, ...rest] = readFile(path.join(referenceDir, 'wurtzite.xyz'));
    expect(rest).toHaveLength(0);
    expect(s.length).toBe(4);
    expect(s.symbols).toEqual(['Zn', 'Zn', 'O', 'O']);
    expect(s.pbc).toEqual([true, true, true]);
    expect(rows(s.cell!)).toEqual([[3.2496, 0, 0], [-1.6247999999999991, 2.8142361521379122, 0], [0, 0, 5.2042]]);
    expect(rows(s.positions)[2]).toEqual([0, 1.87615743, 1.98748398]);
    expect(rows(s.positions)[3]).toEqual([1.6248, 0.93807872, 4.58958398]);
    expect(s.arrays.spacegroup_kinds).toBeDefined();
    const kinds = s.arrays.spacegroup_kinds as ndarray.NdArray<Int32Array>;
    expect(kinds.data).toBeInstanceOf(Int32Array);
    expect(kinds.shape).toEqual([4]);
    expect(Array.from(kinds.data)).toEqual([0, 0, 1, 1]);
    expect(s.info).toEqual({ spacegroup: 'P 63 m c', unit_cell: 'conventional' });
    expect(s.velocities).toBeNull();
    expect(s.charges).toBeNull();
    expect(Array.from(s.masses)).toEqual([atomicMasses[30], atomicMasses[30], atomicMasses[8], atomicMasses[8]]);
  });

  it.each(files)('%s agrees with zno_polymorphs.json and its own count line', (file) => {
    const text = fs.readFileSync(path.join(referenceDir, file), 'utf8');
    const [s] = readFile(path.join(referenceDir, file));
    expect(s.length).toBe(Number(text.split('\n')[0]));
    expect(s.pbc).toEqual([true, true, true]);
    expect(typeof s.info.spacegroup).toBe('string');
    expect(s.info.unit_cell).toBe('conventional');
    expect((s.arrays.spacegroup_kinds as ndarray.NdArray<Int32Array>).shape).toEqual([s.length]);
    const key = file.replace('.xyz', '');
    const ref = json[key];
    if (!ref) return; // not every file has an entry
    expect(s.length).toBe(ref.natoms_cell);
    expect(s.symbols).toEqual(ref.species);
    rows(s.cell!).forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(ref.cell[i][k], 5)));
    const frac = rows(s.scaledPositions());
    frac.forEach((row, i) => row.forEach((x, k) => {
      const d = x - ref.frac_positions[i][k];
      expect(Math.abs(d - Math.round(d))).toBeLessThan(2e-6);
    }));
  });

  it.each(files)('%s is written back byte for byte as ASE wrote it', (file) => {
    const text = fs.readFileSync(path.join(referenceDir, file), 'utf8');
    expect(format(readFile(path.join(referenceDir, file)))).toBe(text);
  });
});

describe('round trip', () => {
  function richStructure(): Structure {
    let state = 7;
    const random = (): number => ((state = (state * 16807) % 2147483647) / 2147483647);
    const n = 6;
    const symbols = ['Zn', 'O', 'Zn', 'O', 'H', 'C'];
    const positions = Array.from({ length: n }, () => [random() * 5 - 1, random() * 7, random() * 3 + 1e-9]);
    positions[0][1] = -0; // the sign of zero survives
    positions[1][0] = 1e-12;
    positions[2][2] = 12345678.123456789;
    return new Structure({
      symbols,
      positions,
      cell: [[5.1 + random(), 0.3 * random(), -0.2], [-2.6, 4.4 + random(), 0.1 * random()], [0.7, -0.4, 9 + random()]],
      pbc: [true, true, false],
      velocities: Array.from({ length: n }, () => [random() - 0.5, (random() - 0.5) * 1e-3, random() * 0.02]),
      masses: symbols.map((_, i) => 1 + random() * 100 + i),
      charges: Array.from({ length: n }, () => random() * 2 - 1),
      arrays: {
        forces: Array.from({ length: n }, () => [random() - 0.5, random() - 0.5, (random() - 0.5) * 1e-7]),
        tags: Int32Array.from([0, 1, -2, 2147483647, -2147483648, 5]),
        fixed: [true, false, false, true, false, true],
        labels: ['a', 'b"c', 'T', '1.5', 'x', 'y'],
        grid: ndarray(Int32Array.from({ length: 2 * n }, (_, i) => i - 3), [n, 2]),
        moves: ndarray(Uint8Array.from({ length: 3 * n }, (_, i) => i % 2), [n, 3]),
      },
      info: {
        energy: -123.456789012345,
        free_energy: -124,
        stress: ndarray(Float64Array.from([0.1, 0.02, -0.03, 0.02, -0.5, 0.006, -0.03, 0.006, 1e-9]), [3, 3]),
        virial: ndarray(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [3, 3]),
        comment: 'a "quoted" string with spaces and \'apostrophes\' = {braces} [brackets] \\ backslash',
        looks_numeric: '42',
        looks_bool: 'T',
        looks_list: '1, 2',
        empty: '',
        multiline: 'line one\nline two',
        json_like: '_JSON [1, 2]',
        converged: true,
        failed: false,
        step: 10,
        temperature: 300.5,
        ints: [1, -2, 3],
        one: [7],
        reals: [0.1, 2.5e-20, -3],
        flags: [true, false, true],
        one_flag: [false],
        names: ['Zn O', 'x', '"q"'],
        matrix: ndarray(Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
        float_matrix: ndarray(Float64Array.from([1, 2, 3.5, 4]), [2, 2]),
        'key with space': 'v',
      },
    });
  }

  it('writes and reads back every field identically, bit for bit', () => {
    const s = richStructure();
    const text = format(s);
    const [t] = parse(text);
    expect(t.symbols).toEqual(s.symbols);
    expect(bits(t.positions.data)).toEqual(bits(s.positions.data));
    expect(bits(t.cell!.data)).toEqual(bits(s.cell!.data));
    expect(t.pbc).toEqual([true, true, false]);
    expect(bits(t.velocities!.data)).toEqual(bits(s.velocities!.data));
    expect(bits(t.masses)).toEqual(bits(s.masses));
    expect(bits(t.charges!)).toEqual(bits(s.charges!));
    expect(Object.keys(t.arrays)).toEqual(Object.keys(s.arrays));
    const forces = t.arrays.forces as ndarray.NdArray<Float64Array>;
    expect(forces.data).toBeInstanceOf(Float64Array);
    expect(forces.shape).toEqual([6, 3]);
    expect(bits(forces.data)).toEqual(bits((s.arrays.forces as ndarray.NdArray<Float64Array>).data));
    for (const name of ['tags', 'fixed', 'grid', 'moves']) {
      const a = t.arrays[name] as ndarray.NdArray<Int32Array | Uint8Array>;
      const b = s.arrays[name] as ndarray.NdArray<Int32Array | Uint8Array>;
      expect(a.data.constructor).toBe(b.data.constructor);
      expect(a.shape).toEqual(b.shape);
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    }
    expect(t.arrays.labels).toEqual(['a', 'b"c', 'T', '1.5', 'x', 'y']);
    const { stress, virial, matrix, float_matrix: floatMatrix, ...plain } = t.info;
    const { stress: s0, virial: v0, matrix: m0, float_matrix: f0, ...plain0 } = s.info;
    expect(plain).toEqual(plain0);
    expect(Object.keys(t.info)).toEqual(Object.keys(s.info));
    for (const [a, b] of [[stress, s0], [virial, v0], [matrix, m0], [floatMatrix, f0]] as ndarray.NdArray[][]) {
      expect(a.data.constructor).toBe(b.data.constructor);
      expect(a.shape).toEqual(b.shape);
      expect(bits(a.data as Float64Array)).toEqual(bits(b.data as Float64Array));
    }
    // Writing again gives the same text.
    expect(format(t)).toBe(text);
  });

  it('uses ASE names, units and layout in the text', () => {
    const s = richStructure();
    const text = format(s);
    const [count, comment, first] = text.split('\n');
    expect(count).toBe('6');
    expect(comment.startsWith('Lattice="')).toBe(true);
    expect(comment).toContain(' Properties=species:S:1:pos:R:3:masses:R:1:initial_charges:R:1:momenta:R:3:forces:R:3:tags:I:1:fixed:L:1:labels:S:1:grid:I:2:moves:L:3 ');
    expect(comment.endsWith(' pbc="T T F"')).toBe(true);
    expect(comment).toContain(' energy=-123.456789012345 free_energy=-124.0 ');
    expect(comment).toContain(' virial="1.0 4.0 7.0 2.0 5.0 8.0 3.0 6.0 9.0" '); // column-major, as ASE
    expect(comment).toContain(' converged=T failed=F step=10 temperature=300.5 ints="1 -2 3" one="_JSON [7]" ');
    expect(comment).toContain(' flags="T F T" one_flag="_JSON [false]" ');
    expect(comment).toContain(' looks_numeric="_JSON \\"42\\"" ');
    expect(comment).toContain(' "key with space"=v ');
    // momenta = m v / (ASE time unit in fs)⁻¹
    const fields = first.trim().split(/\s+/);
    expect(fields[0]).toBe('Zn');
    const momentum = Number(fields[6]);
    expect(momentum).toBeCloseTo(s.masses[0] * s.velocities!.get(0, 0) * aseTimeUnitInFs, 12);
    expect(first.slice(0, 3)).toBe('Zn ');
  });

  it('writes doubles of every magnitude so that they read back exactly', () => {
    let state = 3;
    const random = (): number => ((state = (state * 16807) % 2147483647) / 2147483647);
    const n = 3000;
    const values = Array.from({ length: 3 * n }, (_, i) => {
      const x = (random() - 0.5) * 10 ** (Math.floor(random() * 40) - 20);
      return i % 5 === 0 ? Math.round(x * 1e8) / 1e8 : i % 7 === 0 ? Math.round(x * 100) / 100 : x;
    });
    const s = new Structure({ numbers: Array.from({ length: n }, (_, i) => 1 + (i % 100)), positions: values });
    const text = format(s);
    const [t] = parse(text);
    expect(bits(t.positions.data)).toEqual(bits(s.positions.data));
    // ASE's fixed layout wherever it is exact
    const lines = text.split('\n');
    expect(lines[2]).toMatch(/^H  /);
    const tokens = lines.slice(2, -1).flatMap((l) => l.trim().split(/\s+/).slice(1));
    let fixed = 0;
    tokens.forEach((token, i) => {
      const x = values[i];
      const ase = x.toFixed(8); // what %.8f prints
      if (Math.abs(x) < 1e16 && !Object.is(x, -0) && Object.is(Number(ase), x)) {
        expect(token).toBe(ase);
        fixed++;
      } else {
        expect(Object.is(Number(token), x)).toBe(true);
      }
    });
    expect(fixed).toBeGreaterThan(n / 3);
  });

  it('keeps an open cluster without a Lattice', () => {
    const s = new Structure({ symbols: ['Ar', 'Ar'], positions: [[0, 0, 0], [3.8, 0.1, -0.2]] });
    const text = format(s);
    expect(text).toBe('2\nProperties=species:S:1:pos:R:3 pbc="F F F"\nAr       0.00000000       0.00000000       0.00000000\nAr       3.80000000       0.10000000      -0.20000000\n');
    const [t] = parse(text);
    expect(t.cell).toBeNull();
    expect(t.pbc).toEqual([false, false, false]);
    expect(rows(t.positions)).toEqual([[0, 0, 0], [3.8, 0.1, -0.2]]);
  });

  it('keeps a cell with pbc F F F', () => {
    const s = new Structure({ symbols: ['Ne'], positions: [[1, 2, 3]], cell: [[10, 0, 0], [0, 10, 0], [0, 0, 10]], pbc: false });
    const [t] = parse(format(s));
    expect(rows(t.cell!)).toEqual([[10, 0, 0], [0, 10, 0], [0, 0, 10]]);
    expect(t.pbc).toEqual([false, false, false]);
  });

  it('writes 6-value (Voigt) and flat stress as the 3×3 ASE reads', () => {
    const voigt = [1, 2, 3, 4, 5, 6];
    const s = new Structure({ symbols: ['H'], positions: [[0, 0, 0]], info: { stress: voigt } });
    expect(format(s)).toContain('stress="1.0 6.0 5.0 6.0 2.0 4.0 5.0 4.0 3.0"');
    const [t] = parse(format(s));
    expect(rows(t.info.stress as ndarray.NdArray)).toEqual([[1, 6, 5], [6, 2, 4], [5, 4, 3]]);
  });

  it('writes structures with zero atoms', () => {
    const s = new Structure({ positions: [], numbers: [], info: { energy: 0 } });
    const text = format([s, s]);
    expect(text).toBe('0\nProperties=species:S:1:pos:R:3 energy=0.0 pbc="F F F"\n'.repeat(2));
    const frames = parse(text);
    expect(frames.map((f) => f.length)).toEqual([0, 0]);
  });
});

describe('ASE-style files', () => {
  it('reads calculator results, momenta and forces with the right units', () => {
    const [s] = readFile(path.join(fixtures, 'ase_calculator.xyz'));
    expect(s.symbols).toEqual(['Cu', 'Cu']);
    expect(s.pbc).toEqual([true, true, true]);
    expect(rows(s.cell!)).toEqual([[3.61, 0, 0], [0, 3.61, 0], [0, 0, 3.61]]);
    const m = atomicMasses[29];
    expect(Array.from(s.masses)).toEqual([m, m]);
    expect(s.velocities!.get(0, 0)).toBe(0.1 / m / aseTimeUnitInFs);
    expect(s.velocities!.get(1, 2)).toBe(-0.3 / m / aseTimeUnitInFs);
    expect(s.velocities!.get(0, 1)).toBeCloseTo(-0.2 / 63.546 / 10.1805, 8); // Å/fs, about 3.09e-4
    const forces = s.arrays.forces as ndarray.NdArray<Float64Array>;
    expect(rows(forces)).toEqual([[0.01, 0.02, -0.03], [-0.01, -0.02, 0.03]]);
    expect(s.info.energy).toBe(-1.5);
    expect(s.info.free_energy).toBe(-1.52);
    expect(rows(s.info.stress as ndarray.NdArray)).toEqual([[0.01, 0.004, 0.005], [0.004, 0.02, 0.006], [0.005, 0.006, 0.03]]);
    expect(Object.keys(s.info)).toEqual(['energy', 'stress', 'free_energy']);
    expect(Object.keys(s.arrays)).toEqual(['forces']);
  });

  it('writes the calculator file back with the same comment line and momenta', () => {
    const file = path.join(fixtures, 'ase_calculator.xyz');
    const original = fs.readFileSync(file, 'utf8').split('\n');
    const written = format(readFile(file)).split('\n');
    expect(written[1]).toBe(original[1]);
    const [s] = readFile(file);
    const [t] = parse(written.join('\n'));
    expect(bits(t.velocities!.data)).toEqual(bits(s.velocities!.data));
    // momenta written are the ones ASE wrote, to the last digit
    written.slice(2, 4).forEach((line, i) => {
      const a = line.trim().split(/\s+/).slice(4, 7).map(Number);
      const b = original[2 + i].trim().split(/\s+/).slice(4, 7).map(Number);
      a.forEach((x, k) => expect(x).toBeCloseTo(b[k], 15));
    });
  });

  it('reads a cluster as ASE writes it', () => {
    const [s] = readFile(path.join(fixtures, 'ase_cluster.xyz'));
    expect(s.cell).toBeNull();
    expect(s.pbc).toEqual([false, false, false]);
    expect(s.symbols).toEqual(['O', 'H', 'H']);
    expect(s.positions.get(1, 1)).toBe(0.763239);
    expect(fs.readFileSync(path.join(fixtures, 'ase_cluster.xyz'), 'utf8')).toBe(format(s));
  });

  it('parses info values as ASE does', () => {
    const text = [
      '1',
      `Properties=species:S:1:pos:R:3 int=7 real=1.5 exp=1e-3 neg=-2 bool=T b2=False b3=true list="1 2 3" flist="1 2.5" comma=[1, 2, 3] braces={4 5 6} ` +
        `bools="T F T" single='it is' escaped="say \\"hi\\"" bare uid=007 spaced = value json="_JSON [\\"a\\", \\"b\\"]" jm="_JSON [[1, 2], [3, 4]]" ` +
        `jobj="_JSON {\\"a\\": 1}" name=Zn2 equation=a=b stress="1 2 3 4 5 6 7 8 9" virial="1 2 3 4 5 6" Time=0.0 empty=""`,
      'zn 0 0 0',
    ].join('\n');
    const [s] = parse(text);
    expect(s.symbols).toEqual(['Zn']); // species are capitalised, as ASE does
    const info = s.info;
    expect(info.int).toBe(7);
    expect(info.real).toBe(1.5);
    expect(info.exp).toBe(0.001);
    expect(info.neg).toBe(-2);
    expect([info.bool, info.b2, info.b3]).toEqual([true, false, true]);
    expect(info.list).toEqual([1, 2, 3]);
    expect(info.flist).toEqual([1, 2.5]);
    expect(info.comma).toEqual([1, 2, 3]);
    expect(info.braces).toEqual([4, 5, 6]);
    expect(info.bools).toEqual([true, false, true]);
    expect(info.single).toBe('it is');
    expect(info.escaped).toBe('say "hi"');
    expect(info.bare).toBe(true);
    expect(info.uid).toBe('007'); // ASE leaves uid unprocessed
    expect(info.spaced).toBe('value');
    expect(info.json).toEqual(['a', 'b']);
    expect(rows(info.jm as ndarray.NdArray)).toEqual([[1, 2], [3, 4]]);
    expect((info.jm as ndarray.NdArray).data).toBeInstanceOf(Int32Array);
    expect(info.jobj).toBe('_JSON {"a": 1}');
    expect(info.name).toBe('Zn2');
    expect(info.equation).toBe('a=b');
    // 9 values are column-major (Fortran order), as ASE reads them
    expect(rows(info.stress as ndarray.NdArray)).toEqual([[1, 4, 7], [2, 5, 8], [3, 6, 9]]);
    // 6 values are Voigt xx yy zz yz xz xy
    expect(rows(info.virial as ndarray.NdArray)).toEqual([[1, 6, 5], [6, 2, 4], [5, 4, 3]]);
    expect(info.Time).toBe(0);
    expect(info.empty).toEqual([]); // as ASE: an empty value is an empty list
    // And back again: the same values.
    const [t] = parse(format(s));
    expect(t.info).toEqual(s.info);
  });

  it('accepts plain XYZ: a prose comment, no Properties, extra columns ignored', () => {
    const text = '3\nwater molecule\nO 0.0 0.0 0.1 -0.8\nH 0.0 0.76 -0.47 0.4\nH 0.0 -0.76 -0.47 0.4\n\n\n';
    const [s] = parse(text);
    expect(s.symbols).toEqual(['O', 'H', 'H']);
    expect(s.info).toEqual({ water: true, molecule: true }); // ASE: bare words are keys set to True
    expect(Object.keys(s.arrays)).toEqual([]);
    expect(s.cell).toBeNull();
    const [t] = parse("2\nBob's dimer, made by hand\nH 0 0 0\nH 0 0 0.74\n");
    expect(t.info).toEqual({ comment: "Bob's dimer, made by hand" });
    const [u] = parse('1\n\nAr 0 0 0\n');
    expect(u.info).toEqual({});
  });

  it('takes Z when there is no species column, and T/True in logical columns', () => {
    const [s] = parse('2\nProperties=Z:I:1:pos:R:3:fix:L:1\n30 0 0 0 T\n8 0 0 2 False\n');
    expect(s.symbols).toEqual(['Zn', 'O']);
    expect(Array.from((s.arrays.fix as ndarray.NdArray<Uint8Array>).data)).toEqual([1, 0]);
  });

  it('maps pbc and Lattice as ASE (Lattice alone → periodic)', () => {
    const [s] = parse('1\nLattice="2 0 0 0 2 0 0 0 2" Properties=species:S:1:pos:R:3\nH 0 0 0\n');
    expect(s.pbc).toEqual([true, true, true]);
    const [t] = parse('1\nLattice="2 0 0 0 2 0 0 0 2" pbc="T F T"\nH 0 0 0\n');
    expect(t.pbc).toEqual([true, false, true]);
    const [u] = parse('1\nLattice="2 0 0 0 2 0 0 0 2" pbc=F\nH 0 0 0\n');
    expect(u.pbc).toEqual([false, false, false]);
  });
});

describe('multi-frame files and streaming', () => {
  const text = [
    '2',
    'Lattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3 step=0',
    'Zn 0 0 0',
    'O 2 2 2',
    '',
    '   3   ',
    'Properties=species:S:1:pos:R:3:forces:R:3 step=1 pbc="F F F"',
    'H 0 0 0 1 0 0',
    'H 0 0 1 0 1 0',
    'O 0 1 0 0 0 1',
    '1',
    'step=2',
    'Ar 5 5 5',
    '',
  ].join('\n');

  it('returns each frame as soon as its last atom line arrives', () => {
    const parser = extxyzFormat.createParser('traj.xyz', {});
    const completed: [number, number][] = [];
    let last = 0;
    for (const [line, n] of linesOf(text)) {
      last = n;
      const frame = parser.push(line, n);
      if (frame) completed.push([n, frame.length]);
    }
    expect(parser.end(last)).toBeUndefined();
    expect(completed).toEqual([[4, 2], [10, 3], [13, 1]]);
  });

  it('reads different atom counts and columns per frame', () => {
    const frames = parse(text);
    expect(frames.map((f) => f.length)).toEqual([2, 3, 1]);
    expect(frames.map((f) => f.info.step)).toEqual([0, 1, 2]);
    expect(frames[0].pbc).toEqual([true, true, true]);
    expect(frames[1].cell).toBeNull();
    expect(rows(frames[1].arrays.forces as ndarray.NdArray)).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(frames[2].arrays).toEqual({});
    const again = parse(format(frames));
    expect(again.map((f) => f.symbols)).toEqual(frames.map((f) => f.symbols));
    expect(again.map((f) => bits(f.positions.data))).toEqual(frames.map((f) => bits(f.positions.data)));
  });

  it('streams a large file from disk frame by frame', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extxyz-'));
    const file = path.join(dir, 'big.xyz');
    const frames = Array.from({ length: 50 }, (_, k) => new Structure({
      symbols: Array.from({ length: k + 1 }, () => 'Si'),
      positions: Array.from({ length: k + 1 }, (_, i) => [i * 1.1 + k / 7, 0.5, -i / 3]),
      info: { frame: k },
    }));
    fs.writeFileSync(file, format(frames));
    const back = readFile(file);
    expect(back.map((f) => f.info.frame)).toEqual(frames.map((_, k) => k));
    back.forEach((f, k) => expect(bits(f.positions.data)).toEqual(bits(frames[k].positions.data)));
    fs.rmSync(dir, { recursive: true });
  });
});

describe('malformed input', () => {
  const header = 'Properties=species:S:1:pos:R:3';
  const cases: [string, string, number, RegExp][] = [
    ['non-integer count', 'abc\nx\n', 1, /number of atoms/],
    ['negative count', '-1\nx\n', 1, /number of atoms/],
    ['fractional count', '2.5\nx\n', 1, /number of atoms/],
    ['count with words', '2 atoms\nx\n', 1, /number of atoms/],
    ['missing comment line', '2\n', 2, /comment line/],
    ['truncated frame', `3\n${header}\nZn 0 0 0\nO 0 0 1\n`, 5, /atom line 3 of 3/],
    ['too many atom lines', `1\n${header}\nZn 0 0 0\nO 0 0 1\n`, 4, /number of atoms.*declared 1 atoms/],
    ['too few atom lines in the first of two frames', `3\n${header}\nZn 0 0 0\nO 0 0 1\n1\n${header}\nH 0 0 0\n`, 5, /4 columns/],
    ['missing column', `1\n${header}\nZn 0 0\n`, 3, /4 columns/],
    ['extra column with Properties', `1\n${header}\nZn 0 0 0 7\n`, 3, /4 columns/],
    ['non-numeric position', `1\n${header}\nZn 0 x 0\n`, 3, /pos \(column 3\)/],
    ['NaN position', `1\n${header}\nZn nan 0 0\n`, 3, /finite/],
    ['infinite position', `1\n${header}\nZn 1e999 0 0\n`, 3, /finite/],
    ['unknown element', `1\n${header}\nQq 0 0 0\n`, 3, /chemical symbol/],
    ['numeric species', `1\n${header}\n30 0 0 0\n`, 3, /chemical symbol/],
    ['Properties columns do not match', '1\nProperties=species:S:1:pos:R:3:forces:R:3\nZn 0 0 0\n', 3, /7 columns/],
    ['Properties not in triplets', '1\nProperties=species:S:1:pos:R\nZn 0 0 0\n', 2, /triplets/],
    ['unknown property type', '1\nProperties=species:S:1:pos:X:3\nZn 0 0 0\n', 2, /R, I, S or L/],
    ['zero property columns', '1\nProperties=species:S:1:pos:R:0\nZn 0 0 0\n', 2, /number of columns/],
    ['pos with two columns', '1\nProperties=species:S:1:pos:R:2\nZn 0 0\n', 2, /pos.*R:3/],
    ['no positions', '1\nProperties=species:S:1:x:R:3\nZn 0 0 0\n', 2, /pos:R:3/],
    ['duplicate property', '1\nProperties=species:S:1:pos:R:3:pos:R:3\nZn 0 0 0 0 0 0\n', 2, /only once/],
    ['non-integer in I column', '1\nProperties=species:S:1:pos:R:3:tag:I:1\nZn 0 0 0 1.5\n', 3, /tag/],
    ['int32 overflow', '1\nProperties=species:S:1:pos:R:3:tag:I:1\nZn 0 0 0 3000000000\n', 3, /32-bit/],
    ['bad logical', '1\nProperties=species:S:1:pos:R:3:fix:L:1\nZn 0 0 0 yes\n', 3, /T or F/],
    ['atomic number 0', '1\nProperties=Z:I:1:pos:R:3\n0 0 0 0\n', 3, /atomic number/],
    ['Lattice with 8 numbers', '1\nLattice="1 0 0 0 1 0 0 0" Properties=species:S:1:pos:R:3\nZn 0 0 0\n', 2, /Lattice/],
    ['non-numeric Lattice', '1\nLattice="1 0 0 0 a 0 0 0 1"\nZn 0 0 0\n', 2, /Lattice/],
    ['singular Lattice', '1\nLattice="1 0 0 2 0 0 0 0 1"\nZn 0 0 0\n', 2, /singular/],
    ['periodic without Lattice', '1\npbc="T T T"\nZn 0 0 0\n', 2, /Lattice/],
    ['bad pbc', '1\nLattice="1 0 0 0 1 0 0 0 1" pbc="T T"\nZn 0 0 0\n', 2, /pbc/],
    ['unterminated quote', '1\nLattice="1 0 0 0 1 0 0 0 1 Properties=species:S:1:pos:R:3\nZn 0 0 0\n', 2, /closing "/],
    ['unterminated bracket', '1\nx=[1 2 3\nZn 0 0 0\n', 2, /closing ]/],
    ['missing key', '1\n=5\nZn 0 0 0\n', 2, /key/],
    ['bad stress', '1\nstress="1 2 3"\nZn 0 0 0\n', 2, /stress/],
    ['non-numeric energy', '1\nenergy=abc\nZn 0 0 0\n', 2, /energy/],
    ['bad JSON', '1\nx="_JSON [1,"\nZn 0 0 0\n', 2, /JSON/],
    ['error in a later frame', `1\n${header}\nZn 0 0 0\n1\n${header}\nZn 0 0 zero\n`, 6, /pos/],
  ];

  it.each(cases)('%s', (_name, text, line, message) => {
    const error = parseErrorOf(() => parse(text, 'bad.xyz'));
    expect(error.code).toBe('E_PARSE');
    expect(error.file).toBe('bad.xyz');
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`bad.xyz:${line}: expected`)).toBe(true);
  });

});

describe('writer checks', () => {
  const base = { symbols: ['H', 'H'], positions: [[0, 0, 0], [0, 0, 0.74]] };
  it.each([
    ['a reserved array name', { arrays: { pos: [[0, 0, 0], [1, 1, 1]] } }, /clashes/],
    ['a property name with a colon', { arrays: { 'a:b': [1, 2] } }, /property name/],
    ['a string with a space in a column', { arrays: { label: ['a b', 'c'] } }, /without whitespace/],
    ['an info key the writer owns', { info: { Lattice: 'x' } }, /clashes/],
    ['a non-finite info number', { info: { energy: NaN } }, /not finite/],
    ['a non-numeric energy', { info: { energy: 'low' } }, /must be a number/],
    ['a stress of the wrong size', { info: { stress: [1, 2, 3] } }, /stress/],
    ['a logical array with 2', { arrays: { flag: Uint8Array.from([0, 2]) } }, /0 or 1/],
  ])('rejects %s with E_VALUE', (_name, extra, message) => {
    const s = new Structure({ ...base, ...(extra as object) });
    let error: unknown;
    try {
      format(s);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolymorphError);
    expect((error as PolymorphError).code).toBe('E_VALUE');
    expect((error as Error).message).toMatch(message);
  });

  it('writes default masses only when they differ from the standard weights', () => {
    expect(format(new Structure(base))).not.toContain('masses');
    expect(format(new Structure({ ...base, masses: [2.014, 1.008] }))).toContain('masses:R:1');
  });
});

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import ndarray from 'ndarray';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { findLammps } from '../helpers';
import { ParseError, PolymorphError } from '../../lib/core/errors';
import type { ReadOptions, WriteOptions } from '../../lib/io/format';
import { boundsOfBox, boxFromBounds, LammpsBox } from '../../lib/io/lammps-box';
import { lammpsDataFormat } from '../../lib/io/lammps-data';
import { lammpsDumpFormat } from '../../lib/io/lammps-dump';
import { linesOf } from '../../lib/io/lines';
import { cellEntries, cellParameters } from '../../lib/structure/cell';
import { Structure } from '../../lib/structure/structure';
import { parseWith } from '../../lib/io/parse-with';
import { catchParseError, rows } from './helpers';
import { mulberry32 } from '../../lib/core/random';

const fixtures = path.join(__dirname, 'fixtures', 'lammps');
const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');

/** Every frame of a dump held in a string. */
const readAll = (text: string, options: ReadOptions = {}, name = 'test.dump'): Structure[] => parseWith(lammpsDumpFormat, text, options, name);

const write = (s: Structure, options: WriteOptions = {}, frame = 0): string => lammpsDumpFormat.formatFrame(s, options, frame);

/** Asserts that reading `text` throws a ParseError (E_PARSE) at `line` of 'test.dump'. */
const expectParseError = (text: string, line: number, pattern?: RegExp, options: ReadOptions = { types: ['Zn', 'O'] }): ParseError =>
  catchParseError(() => readAll(text, options), 'test.dump', line, pattern);

/** The atom lines of every frame of a dump, keyed by column name then id. */
function dumpFrames(text: string): { columns: string[]; byId: Map<number, number[]> }[] {
  const out: { columns: string[]; byId: Map<number, number[]> }[] = [];
  let current: { columns: string[]; byId: Map<number, number[]> } | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('ITEM: ATOMS')) {
      current = { columns: line.trim().split(/\s+/).slice(2), byId: new Map() };
      out.push(current);
    } else if (line.startsWith('ITEM:')) {
      current = null;
    } else if (current && line.trim() !== '') {
      const values = line.trim().split(/\s+/).map((t) => (/^[A-Z][a-z]?$/.test(t) ? NaN : Number(t)));
      current.byId.set(values[current.columns.indexOf('id')], values);
    }
  }
  return out;
}

/** A dump with only the columns `keep` (in that order) in every frame. */
function keepColumns(text: string, keep: string[]): string {
  let columns: number[] | null = null;
  return text.split('\n').map((line) => {
    if (line.startsWith('ITEM: ATOMS')) {
      const names = line.trim().split(/\s+/).slice(2);
      columns = keep.map((k) => names.indexOf(k));
      return `ITEM: ATOMS ${keep.join(' ')}`;
    }
    if (line.startsWith('ITEM:')) columns = null;
    if (columns === null || line.trim() === '') return line;
    const fields = line.trim().split(/\s+/);
    return (columns as number[]).map((c) => fields[c]).join(' ');
  }).join('\n');
}

const random = mulberry32; // seeded uniform numbers in [0, 1)

/** A structure in a general triclinic cell with an arbitrary orientation, velocities, forces and charges. */
function rotatedStructure(seed: number, n = 10): Structure {
  const r = random(seed);
  const base = [[5 + r(), 0, 0], [1.2 * r() - 0.6, 5 + r(), 0], [r() - 0.5, r() - 0.5, 5 + r()]];
  const t = 0.3 + 2 * r(), u = 0.2 + r();
  const Rz = (v: number[]): number[] => [Math.cos(t) * v[0] - Math.sin(t) * v[1], Math.sin(t) * v[0] + Math.cos(t) * v[1], v[2]];
  const Rx = (v: number[]): number[] => [v[0], Math.cos(u) * v[1] - Math.sin(u) * v[2], Math.sin(u) * v[1] + Math.cos(u) * v[2]];
  const rot = (v: number[]): number[] => Rx(Rz(v));
  const cell = base.map(rot);
  const positions = Array.from({ length: n }, () => {
    const f = [1.4 * r() - 0.2, 1.4 * r() - 0.2, 1.4 * r() - 0.2];
    return [0, 1, 2].map((k) => f[0] * cell[0][k] + f[1] * cell[1][k] + f[2] * cell[2][k]);
  });
  const vector = (scale: number): number[][] => Array.from({ length: n }, () => [r() - 0.5, r() - 0.5, r() - 0.5].map((v) => v * scale));
  return new Structure({
    positions,
    symbols: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'Zn' : 'O')),
    cell,
    pbc: true,
    velocities: vector(0.02),
    charges: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1.2 : -1.2)),
    arrays: { forces: vector(2) },
    info: { timestep: 1000 + seed },
  });
}

/** `b` is `a` moved by an orthogonal map: cell parameters, distances and vector products kept. */
function expectEquivalent(a: Structure, b: Structure, digits = 10): void {
  expect(b.symbols).toEqual(a.symbols);
  const pa = cellParameters(a.cell!), pb = cellParameters(b.cell!);
  for (let k = 0; k < 6; ++k) expect(pb[k]).toBeCloseTo(pa[k], digits);
  expect(b.volume).toBeCloseTo(a.volume, digits - 1);
  const vec = (s: Structure, name: 'velocities' | 'forces', i: number): number[] => {
    const v = name === 'velocities' ? s.velocities! : (s.arrays.forces as ndarray.NdArray<Float64Array>);
    return [0, 1, 2].map((k) => v.get(i, k));
  };
  const dot = (p: number[], q: number[]): number => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
  const d = (s: Structure, i: number, j: number): number[] => [0, 1, 2].map((k) => s.positions.get(j, k) - s.positions.get(i, k));
  for (let i = 0; i < a.length; ++i) {
    for (let j = i + 1; j < a.length; ++j) {
      expect(b.distance(i, j)).toBeCloseTo(a.distance(i, j), digits);
      expect(b.distance(i, j, { mic: true })).toBeCloseTo(a.distance(i, j, { mic: true }), digits);
    }
    for (const name of ['velocities', 'forces'] as const) {
      if (name === 'velocities' ? !a.velocities : !a.arrays.forces) continue;
      expect(Math.hypot(...vec(b, name, i))).toBeCloseTo(Math.hypot(...vec(a, name, i)), digits);
      for (const j of [0, a.length - 1]) expect(dot(vec(b, name, i), d(b, j, i))).toBeCloseTo(dot(vec(a, name, i), d(a, j, i)), digits);
    }
  }
}

describe('LAMMPS dump reader: dumps written by LAMMPS (29 Sep 2021)', () => {
  it('streams the ZnO dump frame by frame, each frame at its last atom line', () => {
    const parser = lammpsDumpFormat.createParser('zno.dump', {});
    const at: number[] = [];
    const frames: Structure[] = [];
    let last = 0;
    for (const [line, n] of linesOf(fixture('zno.dump'))) {
      last = n;
      const frame = parser.push(line, n);
      if (frame) {
        at.push(n);
        frames.push(frame);
      }
    }
    expect(parser.end(last)).toBeUndefined();
    expect(at).toEqual([29, 56, 83]);
    expect(frames.map((f) => f.info.timestep)).toEqual([0, 10, 20]);
    expect(frames.map((f) => f.info.time)).toEqual([0, 10, 20]); // ps → fs
    expect(frames.map((f) => f.info.units)).toEqual(['metal', 'metal', 'metal']);
  });

  it('reads the triclinic ZnO box, elements, unwrapped positions, velocities, forces, charges and extra columns', () => {
    const text = fixture('zno.dump');
    const frames = readAll(text);
    const files = dumpFrames(text);
    const cell = [[6.5, 0, 0], [-3.25, 5.62916, 0], [0, 0, 5.207]];
    frames.forEach((s, f) => {
      expect(s.formula).toBe('O8Zn8');
      expect(s.pbc).toEqual([true, true, true]);
      // BOX BOUNDS xy xz yz: -3.25 6.5 -3.25 / 0 5.62916 0 / 0 5.207 0 → xlo = 0, xhi = 6.5 exactly.
      expect(rows(s.cell!)).toEqual(cell);
      const { columns, byId } = files[f];
      const col = (name: string): number => columns.indexOf(name);
      for (let i = 0; i < s.length; ++i) {
        const v = byId.get(i + 1)!;
        expect(s.symbols[i]).toBe(v[col('type')] === 1 ? 'Zn' : 'O');
        const image = ['ix', 'iy', 'iz'].map((c) => v[col(c)]);
        for (let k = 0; k < 3; ++k) {
          const shift = image[0] * cell[0][k] + image[1] * cell[1][k] + image[2] * cell[2][k];
          expect(s.positions.get(i, k)).toBeCloseTo(v[col('xyz'[k])] + shift, 12);
          expect(s.velocities!.get(i, k)).toBeCloseTo(v[col(`v${'xyz'[k]}`)] / 1000, 15);
          expect((s.arrays.forces as ndarray.NdArray<Float64Array>).get(i, k)).toBe(v[col(`f${'xyz'[k]}`)]);
        }
        expect(s.charges![i]).toBe(v[col('q')]);
        expect((s.arrays.c_pe as ndarray.NdArray<Float64Array>).get(i)).toBe(v[col('c_pe')]);
        expect(s.masses[i]).toBeCloseTo(v[col('type')] === 1 ? 65.38 : 15.999, 12); // standard weights
      }
    });
    // Some atoms crossed the periodic boundary in z.
    expect(files[0].byId.get(8)![files[0].columns.indexOf('iz')]).toBe(1);
  });

  it('agrees with the data file LAMMPS wrote at the same timestep', () => {
    const last = readAll(fixture('zno.dump'))[2];
    const parser = lammpsDataFormat.createParser('zno.data', { unwrap: true });
    let n = 0;
    for (const [line, k] of linesOf(fixture('zno.data'))) parser.push(line, (n = k));
    const data = parser.end(n)!;
    expect(data.symbols).toEqual(last.symbols);
    for (let i = 0; i < data.length; ++i) {
      for (let k = 0; k < 3; ++k) {
        expect(last.positions.get(i, k)).toBeCloseTo(data.positions.get(i, k), 4); // %g: 6 digits
        expect(last.velocities!.get(i, k)).toBeCloseTo(data.velocities!.get(i, k), 7);
      }
    }
  });

  it('needs types without an element column, and sorts unsorted atoms by id', () => {
    const text = fixture('tric.dump');
    expectParseErrorFile(text, 'tric.dump', 9, /column 'element'.*pass \{ types/);
    const frames = readAll(text, { types: ['Ar'] });
    expect(frames.length).toBe(3);
    const first = dumpFrames(text)[0];
    expect([...first.byId.keys()]).not.toEqual([...first.byId.keys()].sort((a, b) => a - b));
    const xu = first.columns.indexOf('xu');
    for (let i = 0; i < frames[0].length; ++i) {
      for (let k = 0; k < 3; ++k) expect(frames[0].positions.get(i, k)).toBe(first.byId.get(i + 1)![xu + k]);
    }
  });

  it('undoes the bounding box of a fully triclinic box (xy, xz, yz ≠ 0)', () => {
    const s = readAll(fixture('tric.dump'), { types: ['Ar'] })[0];
    // region prism 0 9 0 8 0 7.5 2.5 -1.8 1.2: bounds -1.8 11.5 2.5 / 0 9.2 -1.8 / 0 7.5 1.2.
    const expected = [[9, 0, 0], [2.5, 8, 0], [-1.8, 1.2, 7.5]];
    rows(s.cell!).forEach((r, i) => r.forEach((x, k) => expect(x).toBeCloseTo(expected[i][k], 14)));
  });

  it('gives the same positions from every kind of coordinate column', () => {
    const text = fixture('tric.dump');
    const variants = [
      ['id', 'type', 'xu', 'yu', 'zu'],
      ['id', 'type', 'xsu', 'ysu', 'zsu'],
      ['id', 'type', 'x', 'y', 'z', 'ix', 'iy', 'iz'],
      ['id', 'type', 'xs', 'ys', 'zs', 'ix', 'iy', 'iz'],
      ['type', 'ix', 'iy', 'iz', 'zs', 'xs', 'ys', 'id'], // any column order
    ].map((keep) => readAll(keepColumns(text, keep), { types: ['Ar'] }));
    for (const frames of variants.slice(1)) {
      frames.forEach((s, f) => {
        for (let i = 0; i < s.length; ++i) for (let k = 0; k < 3; ++k) expect(s.positions.get(i, k)).toBeCloseTo(variants[0][f].positions.get(i, k), 3);
      });
    }
    // Wrapped coordinates without image flags stay wrapped: they differ by lattice vectors.
    const wrapped = readAll(keepColumns(text, ['id', 'type', 'x', 'y', 'z']), { types: ['Ar'] })[0];
    const unwrapped = variants[0][0];
    const frac = (s: Structure): number[][] => rows(s.scaledPositions());
    frac(wrapped).forEach((f, i) => f.forEach((x, k) => {
      const periods = frac(unwrapped)[i][k] - x;
      expect(Math.abs(periods - Math.round(periods))).toBeLessThan(1e-4);
    }));
  });

  it('reads dump atom files (scaled, with image flags) and non-periodic boundary flags', () => {
    const text = fixture('al.dump');
    expect(text).toMatch(/ITEM: BOX BOUNDS pp ss ff/);
    const frames = readAll(text, { types: ['Al'] });
    expect(frames.length).toBe(3);
    for (const s of frames) {
      expect(s.pbc).toEqual([true, false, false]);
      expect(s.symbols.every((x) => x === 'Al')).toBe(true);
    }
    // The slab at step 40 against LAMMPS's data file of the same step (origins differ: compare distances).
    const parser = lammpsDataFormat.createParser('al.data', { unwrap: true });
    let n = 0;
    for (const [line, k] of linesOf(fixture('al.data'))) parser.push(line, (n = k));
    const data = parser.end(n)!;
    const last = frames[2];
    expect(last.info.timestep).toBe(40);
    for (let i = 0; i < data.length; i += 3) for (let j = i + 1; j < data.length; j += 2) expect(last.distance(i, j)).toBeCloseTo(data.distance(i, j), 3);
  });
});

function expectParseErrorFile(text: string, file: string, line: number, pattern: RegExp, options: ReadOptions = {}): void {
  let caught: unknown;
  try {
    readAll(text, options, file);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ParseError);
  expect((caught as ParseError).file).toBe(file);
  expect((caught as ParseError).line).toBe(line);
  expect((caught as ParseError).message).toMatch(pattern);
}

describe('LAMMPS dump reader: boxes and columns', () => {
  it('converts triclinic bounding boxes exactly, both ways', () => {
    const box: LammpsBox = { lo: [1, 2, 3], hi: [11, 10, 9], tilt: [1.5, -0.5, 0.25] };
    const b = boundsOfBox(box);
    expect(b).toEqual({ lo: [0.5, 2, 3], hi: [12.5, 10.25, 9] });
    expect(boxFromBounds(b.lo, b.hi, box.tilt)).toEqual(box);
    for (const tilt of [[-2, -1, -0.5], [2, -3, 1], [-1, 2, -0.75], [0, 0, 0]] as [number, number, number][]) {
      const t = { lo: [0.25, -1, 2] as [number, number, number], hi: [8, 6, 5] as [number, number, number], tilt };
      const bounds = boundsOfBox(t);
      expect(boxFromBounds(bounds.lo, bounds.hi, tilt)).toEqual(t);
    }
    const text = [
      'ITEM: TIMESTEP', '7', 'ITEM: NUMBER OF ATOMS', '1', 'ITEM: BOX BOUNDS xy xz yz pp pp pp',
      '0.5 12.5 1.5', '2 10.25 -0.5', '3 9 0.25', 'ITEM: ATOMS id element x y z', '1 Cu 2 3 4',
    ].join('\n');
    const [s] = readAll(text);
    expect(rows(s.cell!)).toEqual([[10, 0, 0], [1.5, 8, 0], [-0.5, 0.25, 6]]);
    expect(rows(s.positions)).toEqual([[1, 1, 1]]); // origin (1, 2, 3) subtracted
    expect(s.info).toEqual({ timestep: 7 });
  });

  it('reads the general triclinic box of newer LAMMPS (abc origin)', () => {
    const text = (columns: string, values: string): string => [
      'ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', '1', 'ITEM: BOX BOUNDS abc origin pp ff pp',
      '4 0 0 -2', '1 5 0 -3', '0.5 0.25 6 -4', `ITEM: ATOMS id element ${columns}`, `1 O ${values}`,
    ].join('\n');
    for (const [columns, values] of [['x y z', '0.75 -0.375 -1'], ['xs ys zs', '0.5 0.5 0.5'], ['xsu ysu zsu', '0.5 0.5 0.5'], ['xu yu zu', '0.75 -0.375 -1']]) {
      const [s] = readAll(text(columns, values));
      expect(rows(s.cell!)).toEqual([[4, 0, 0], [1, 5, 0], [0.5, 0.25, 6]]);
      expect(s.pbc).toEqual([true, false, true]);
      expect(rows(s.positions)).toEqual([[2.75, 2.625, 3]]);
    }
  });

  it('reads old dumps without column names, empty frames, blank lines and CRLF', () => {
    const old = 'ITEM: TIMESTEP\r\n0\r\nITEM: NUMBER OF ATOMS\r\n2\r\nITEM: BOX BOUNDS\r\n0 4\r\n0 4\r\n0 4\r\nITEM: ATOMS\r\n2 1 0.5 0.5 0.5 1 0 0\r\n1 1 0 0 0 0 0 -1\r\n\r\n';
    const [s] = readAll(old, { types: ['Cu'] });
    expect(s.pbc).toEqual([true, true, true]);
    expect(rows(s.positions)).toEqual([[0, 0, -4], [6, 2, 2]]);
    const empty = 'ITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n0\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id type x y z\n';
    const frames = readAll(empty + empty.replace('\n5\n', '\n6\n'));
    expect(frames.map((f) => [f.length, f.info.timestep])).toEqual([[0, 5], [0, 6]]);
    expect(readAll('')).toEqual([]);
    expect(readAll('\n  \n')).toEqual([]);
  });

  it('keeps the file order without an id column and takes masses and any other column', () => {
    const text = [
      'ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', '2', 'ITEM: BOX BOUNDS pp pp pp', '0 5', '0 5', '0 5',
      'ITEM: ATOMS type xu yu zu mass c_q6[1] v_ke proc', '2 1 1 1 2.014 0.5 -3 0', '1 0 0 0 1.008 0.25 1e-3 1',
    ].join('\n');
    const [s] = readAll(text, { types: ['H', 'O'] });
    expect(s.symbols).toEqual(['O', 'H']);
    expect(Array.from(s.masses)).toEqual([2.014, 1.008]);
    expect(Array.from((s.arrays['c_q6[1]'] as ndarray.NdArray<Float64Array>).data)).toEqual([0.5, 0.25]);
    expect(Array.from((s.arrays.v_ke as ndarray.NdArray<Float64Array>).data)).toEqual([-3, 0.001]);
    expect(Object.keys(s.arrays).sort()).toEqual(['c_q6[1]', 'proc', 'v_ke']);
  });

  it('prefers the element column to the types option, and uses typelabel symbols as a last resort', () => {
    const text = (columns: string, line: string): string =>
      `ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\nITEM: ATOMS ${columns}\n${line}\n`;
    expect(readAll(text('id type element x y z', '1 1 Ga 0 0 0'), { types: ['Zn'] })[0].symbols).toEqual(['Ga']);
    // An element column holding labels that are not symbols falls back to the types option.
    expect(readAll(text('id type element x y z', '1 1 Zn1 0 0 0'), { types: ['Zn'] })[0].symbols).toEqual(['Zn']);
    expectParseError(text('id type element x y z', '1 1 Zn1 0 0 0'), 10, /element: a chemical symbol.*pass \{ types/, {});
    expect(readAll(text('id type typelabel x y z', '1 1 N 0 0 0'))[0].symbols).toEqual(['N']);
    expect(readAll(text('id type typelabel x y z', '1 1 N 0 0 0'), { types: ['Zn'] })[0].symbols).toEqual(['Zn']);
    expectParseError(text('id type typelabel x y z', '1 1 Nw 0 0 0'), 10, /typelabel: a chemical symbol, or pass \{ types/, {});
  });
});

describe('LAMMPS dump reader: malformed files', () => {
  const good = [
    'ITEM: TIMESTEP', '100', 'ITEM: NUMBER OF ATOMS', '2', 'ITEM: BOX BOUNDS pp pp pp', '0 10', '0 10', '0 10',
    'ITEM: ATOMS id type x y z', '2 1 1 1 1', '1 2 0 0 0', '',
  ].join('\n');
  const line = (n: number, text: string): string => good.split('\n').map((l, i) => (i === n - 1 ? text : l)).join('\n');

  it('reads the good frame', () => {
    const [s] = readAll(good, { types: ['Zn', 'O'] });
    expect(s.symbols).toEqual(['O', 'Zn']);
    expect(rows(s.positions)).toEqual([[0, 0, 0], [1, 1, 1]]);
  });

  it.each([
    ['text before the first ITEM', `hello\n${good}`, 1, /ITEM: TIMESTEP/],
    ['a non-integer timestep', line(2, '1.5'), 2, /timestep \(an integer/],
    ['two values after TIMESTEP', line(2, '100 200'), 2, /one value after ITEM: TIMESTEP/],
    ['a negative number of atoms', line(4, '-1'), 4, /number of atoms/],
    ['NUMBER OF ATOMS before TIMESTEP', good.split('\n').slice(2).join('\n'), 1, /ITEM: TIMESTEP before/],
    ['an unknown ITEM', line(3, 'ITEM: NUMBER OF ATOM'), 3, /TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS or ATOMS/],
    ['two boundary flags', line(5, 'ITEM: BOX BOUNDS pp pp'), 5, /three boundary flags/],
    ['a bad boundary flag', line(5, 'ITEM: BOX BOUNDS pp xx pp'), 5, /three boundary flags/],
    ['a half-periodic boundary', line(5, 'ITEM: BOX BOUNDS pf pp pp'), 5, /three boundary flags/],
    ['a box line with one number', line(6, '0'), 6, /2 numbers: xlo xhi/],
    ['a non-numeric box value', line(7, '0 ten'), 7, /yhi/],
    ['an inverted box', line(8, '10 0'), 8, /zlo < zhi/],
    ['an ITEM inside the box', line(8, 'ITEM: ATOMS id type x y z'), 8, /3 lines after ITEM: BOX BOUNDS \(found 2\)/],
    ['ATOMS before the box', good.split('\n').filter((_, i) => i < 4 || i > 7).join('\n'), 5, /BOX BOUNDS before ITEM: ATOMS/],
    ['a repeated item', line(5, 'ITEM: NUMBER OF ATOMS'), 5, /each ITEM once per frame/],
    ['too few fields', line(10, '2 1 1 1'), 10, /5 fields \(id type x y z\)/],
    ['too many fields', line(10, '2 1 1 1 1 1'), 10, /5 fields/],
    ['a non-numeric coordinate', line(10, '2 1 a 1 1'), 10, /x: a coordinate/],
    ['a NaN coordinate', line(10, '2 1 nan 1 1'), 10, /finite real number/],
    ['an infinite coordinate', line(10, '2 1 1 inf 1'), 10, /finite real number/],
    ['a non-integer type', line(10, '2 1.0 1 1 1'), 10, /type: an atom type/],
    ['a type beyond the types option', line(10, '2 3 1 1 1'), 10, /atom type 1…2 \(options\.types lists \["Zn","O"\]\)/],
    ['a duplicate id', line(11, '2 2 0 0 0'), 11, /unique atom id within the frame \(id 2 is also on line 10\)/],
    ['a huge atom count in a short file', line(4, '2147483648'), 11, /2147483648 atom lines after ITEM: ATOMS on line 9 \(found 2\)/],
    ['a truncated frame at the end', good.split('\n').slice(0, 10).join('\n'), 10, /2 atom lines after ITEM: ATOMS on line 9 \(found 1\).*end of file/],
    ['a truncated frame before the next', line(11, 'ITEM: TIMESTEP'), 11, /2 atom lines after ITEM: ATOMS on line 9/],
    ['a frame cut after its header', good.split('\n').slice(0, 5).join('\n'), 5, /3 lines after ITEM: BOX BOUNDS/],
    ['a frame cut after TIMESTEP', 'ITEM: TIMESTEP\n1\n', 2, /ITEM: NUMBER OF ATOMS/],
    ['a missing value', 'ITEM: TIMESTEP\n', 1, /a value after the ITEM line/],
    ['a frame starting without TIMESTEP', `${good}ITEM: NUMBER OF ATOMS\n2\n`, 12, /ITEM: TIMESTEP before/],
    ['an incomplete coordinate triple', line(9, 'ITEM: ATOMS id type x y q'), 9, /all of the columns x y z or none, got "x y"/],
    ['no coordinates', line(9, 'ITEM: ATOMS id type vx vy vz'), 9, /coordinate columns/],
    ['a repeated column', line(9, 'ITEM: ATOMS id type x y z x'), 9, /each column once/],
    ['a non-integer image flag', `${line(9, 'ITEM: ATOMS id type x y z ix iy iz')}`.replace('2 1 1 1 1', '2 1 1 1 1 0 0.5 0').replace('1 2 0 0 0', '1 2 0 0 0 0 0 0'), 10, /iy: an image flag/],
    ['a non-numeric extra column', line(9, 'ITEM: ATOMS id type x y c_pe z').replace('2 1 1 1 1', '2 1 1 1 abc 1').replace('1 2 0 0 0', '1 2 0 0 1 0'), 10, /c_pe: a real number/],
    ['a zero mass', line(9, 'ITEM: ATOMS id type x y z mass').replace('2 1 1 1 1', '2 1 1 1 1 0').replace('1 2 0 0 0', '1 2 0 0 0 1'), 10, /positive mass/],
    ['a non-numeric time', `ITEM: TIME\nsoon\n${good}`, 2, /simulation time/],
    ['units other than metal', `ITEM: UNITS\nreal\n${good}`, 2, /units 'metal'/],
    ['UNITS after TIME', `ITEM: TIME\n0\nITEM: UNITS\nmetal\n${good}`, 3, /ITEM: UNITS before ITEM: TIME/],
    ['TIME inside a frame', line(3, 'ITEM: TIME'), 3, /ITEM: NUMBER OF ATOMS to complete the frame that starts on line 1/],
  ])('rejects %s', (_what, text, n, pattern) => {
    expectParseError(text, n, pattern);
  });

  it('asks for types when there is no element column', () => {
    const e = expectParseError(good, 9, /pass \{ types: \[\.\.\.\] \}/, {});
    expect(e.message).toMatch(/type 1 first/);
  });

  it('rejects unknown elements and bad options', () => {
    const text = line(9, 'ITEM: ATOMS id element x y z').replace('2 1 1 1 1', '2 Xx 1 1 1').replace('1 2 0 0 0', '1 O 0 0 0');
    expectParseError(text, 10, /element: a chemical symbol/, {});
    expect(() => lammpsDumpFormat.createParser('x', { types: ['zn'] })).toThrow(expect.objectContaining({ code: 'E_ELEMENT' }));
    expect(() => lammpsDumpFormat.createParser('x', { types: 'Zn' as unknown as string[] })).toThrow(PolymorphError);
  });
});

describe('LAMMPS dump writer', () => {
  it('round-trips a lower-triangular tilted cell: positions exactly, cell to the last bit or two', () => {
    const s = new Structure({
      positions: [[0.1, 0.2, 0.3], [1.23456789012345, -2.5, 6.75], [7.1, 3.3, 2.2]],
      symbols: ['Zn', 'O', 'Zn'],
      cell: [[3.25, 0, 0], [-1.625, 2.8145825622994254, 0], [0.3, -0.2, 5.207]],
      velocities: [[0.001, -0.002, 0.003], [1e-5, 0, 0.0123], [0.5, 0.25, -0.125]],
      charges: [1.2, -1.2, 1.2],
      arrays: { forces: [[1, 2, 3], [-0.5, 0.25, 0], [1e-3, 0, -7]] },
      info: { timestep: 4200, time: 4.2 },
    });
    const text = write(s);
    const head = text.split('\n').slice(0, 6);
    expect(head.filter((_, i) => i !== 1)).toEqual(['ITEM: TIME', 'ITEM: TIMESTEP', '4200', 'ITEM: NUMBER OF ATOMS', '3']);
    expect(Number(head[1])).toBeCloseTo(0.0042, 17); // fs → ps
    expect(text).toMatch(/^ITEM: BOX BOUNDS xy xz yz pp pp pp\n-1\.625 3\.55 -1\.625\n-0\.2 2\.8145825622994254 0\.3\n0 5\.207 -0\.2$/m);
    expect(text).toMatch(/^ITEM: ATOMS id type element x y z vx vy vz fx fy fz q$/m);
    expect(text).toMatch(/^1 1 Zn 0\.1 0\.2 0\.3 1 -2 3 1 2 3 1\.2$/m); // velocities in Å/ps
    const [back] = readAll(text);
    expect(Array.from(back.positions.data)).toEqual(Array.from(s.positions.data));
    cellEntries(back.cell!).forEach((x, k) => expect(x).toBeCloseTo(cellEntries(s.cell!)[k], 14));
    expect(back.symbols).toEqual(s.symbols);
    expect(Array.from(back.charges!)).toEqual([1.2, -1.2, 1.2]);
    expect(Array.from((back.arrays.forces as ndarray.NdArray<Float64Array>).data)).toEqual(Array.from((s.arrays.forces as ndarray.NdArray<Float64Array>).data));
    Array.from(back.velocities!.data).forEach((v, i) => expect(v).toBeCloseTo(s.velocities!.data[i], 16));
    expect(back.info.timestep).toBe(4200);
    expect(back.info.time).toBeCloseTo(4.2, 14);
  });

  it('round-trips an orthogonal cell bit for bit', () => {
    const s = new Structure({ positions: [[0.1, 9.9, 3.3], [-0.7, 1.1, 12.5]], symbols: ['Al', 'Al'], cell: [[4.05, 0, 0], [0, 4.05, 0], [0, 0, 8.1]] });
    const text = write(s, {}, 3);
    expect(text).toMatch(/^ITEM: TIMESTEP\n3$/m); // the frame index without info.timestep
    expect(text).toMatch(/^ITEM: BOX BOUNDS pp pp pp\n0 4\.05\n0 4\.05\n0 8\.1$/m);
    const [back] = readAll(text);
    expect(Array.from(back.positions.data)).toEqual(Array.from(s.positions.data));
    expect(Array.from(back.cell!.data)).toEqual(Array.from(s.cell!.data));
  });

  it('rotates a general cell into LAMMPS form with positions, velocities and forces', () => {
    for (const seed of [1, 2, 3]) {
      const s = rotatedStructure(seed);
      const [back] = readAll(write(s));
      const m = cellEntries(back.cell!);
      expect([m[1], m[2], m[5]]).toEqual([0, 0, 0]);
      expectEquivalent(s, back);
      expect(back.info.timestep).toBe(1000 + seed);
    }
  });

  it('writes wrapped coordinates with image flags, scaled and unwrapped ones on request', () => {
    const s = rotatedStructure(5, 16);
    const unwrappedBack = readAll(write(s))[0];
    for (const columns of [
      ['id', 'element', 'x', 'y', 'z', 'ix', 'iy', 'iz'],
      ['id', 'element', 'xs', 'ys', 'zs', 'ix', 'iy', 'iz'],
      ['id', 'element', 'xsu', 'ysu', 'zsu'],
      ['id', 'element', 'xu', 'yu', 'zu'],
    ]) {
      const text = write(s, { columns });
      const [back] = readAll(text);
      for (let i = 0; i < s.length; ++i) for (let k = 0; k < 3; ++k) expect(back.positions.get(i, k)).toBeCloseTo(unwrappedBack.positions.get(i, k), 12);
      if (columns.includes('ix')) {
        const frame = dumpFrames(text)[0];
        const images = [...frame.byId.values()].map((v) => v.slice(5, 8));
        expect(images.some((im) => im.some((x) => x !== 0))).toBe(true);
        if (columns.includes('xs')) for (const v of frame.byId.values()) for (const x of v.slice(2, 5)) expect(x >= 0 && x < 1).toBe(true);
      }
    }
    const typed = write(s, { columns: ['id', 'type', 'x', 'y', 'z'], types: ['O', 'Zn'] });
    expect(readAll(typed, { types: ['O', 'Zn'] })[0].symbols).toEqual(s.symbols);
    expect(dumpFrames(typed)[0].byId.get(1)![1]).toBe(2); // Zn is type 2
  });

  it('writes other arrays and masses as columns', () => {
    const s = new Structure({
      positions: [[0, 0, 0], [1, 1, 1]], symbols: ['H', 'H'], masses: [1.008, 2.014], cell: [[5, 0, 0], [0, 5, 0], [0, 0, 5]],
      arrays: { c_q6: [0.5, 0.25], label: ['a', 'b'] },
    });
    const [back] = readAll(write(s, { columns: ['id', 'element', 'mass', 'xu', 'yu', 'zu', 'c_q6'] }));
    expect(Array.from(back.masses)).toEqual([1.008, 2.014]);
    expect(Array.from((back.arrays.c_q6 as ndarray.NdArray<Float64Array>).data)).toEqual([0.5, 0.25]);
    for (const columns of [['id', 'x', 'y'], ['id', 'x', 'y', 'z', 'nope'], ['id', 'x', 'y', 'z', 'label'], ['id', 'x', 'y', 'z', 'constructor'], ['id', 'x', 'y', 'z', 'vx', 'vy', 'vz'], ['id', 'x', 'y', 'z', 'q'], ['id', 'x', 'y', 'z', 'fx', 'fy', 'fz'], ['id', 'type'], ['id', 'id', 'x', 'y', 'z'], ['id', 'x y', 'z']]) {
      expect(() => write(s, { columns })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    }
  });

  it('writes non-periodic directions as ff and open structures in a padded bounding box', () => {
    const slab = new Structure({ positions: [[1, 1, 1]], symbols: ['Cu'], cell: [[3, 0, 0], [0, 3, 0], [0, 0, 20]], pbc: [true, true, false] });
    const text = write(slab);
    expect(text).toMatch(/ITEM: BOX BOUNDS pp pp ff/);
    expect(readAll(text)[0].pbc).toEqual([true, true, false]);
    const cluster = new Structure({ positions: [[1, -2, 3], [4, 5, -6]], symbols: ['O', 'H'] });
    const clusterText = write(cluster);
    expect(clusterText).toMatch(/ITEM: BOX BOUNDS ff ff ff\n-9 14\n-12 15\n-16 13\n/);
    const [back] = readAll(clusterText);
    expect(back.pbc).toEqual([false, false, false]);
    expect(rows(back.positions)).toEqual([[10, 10, 19], [13, 17, 10]]);
  });

  it('reads back a frame larger than the initial storage of the parser (3000 atoms)', () => {
    const big = rotatedStructure(8, 10).repeat([10, 10, 3]);
    const [back] = readAll(write(big, { columns: ['id', 'element', 'xu', 'yu', 'zu', 'vx', 'vy', 'vz'] }));
    expect(back.length).toBe(3000);
    for (const i of [0, 1023, 1024, 2047, 2999]) expect(back.distance(0, i)).toBeCloseTo(big.distance(0, i), 10);
  });

  it('writes frames that stream back one at a time', () => {
    const frames = [1, 2, 3].map((seed) => rotatedStructure(seed, 4 + seed));
    const text = frames.map((s, i) => write(s, {}, i)).join('');
    const back = readAll(text);
    expect(back.map((s) => s.length)).toEqual([5, 6, 7]);
    back.forEach((s, i) => expectEquivalent(frames[i], s));
  });
});


/** The LAMMPS binary on PATH, or null. */

const lammps = findLammps();

describe('LAMMPS itself reads what polymorph writes', () => {
  it.skipIf(lammps === null)(`read_dump takes the box (bounding box + tilts), positions and velocities of a polymorph dump (${lammps ? `with ${lammps}` : 'SKIPPED: no lmp on PATH'})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-lammps-'));
    try {
      const s = rotatedStructure(21, 12);
      // The data file sets up atoms and a box; the dump, with every atom moved and a different box, replaces both.
      const moved = s.clone();
      delete moved.arrays.forces;
      for (let i = 0; i < moved.length; ++i) for (let k = 0; k < 3; ++k) moved.positions.set(i, k, moved.positions.get(i, k) + 0.1 * Math.sin(i + k));
      moved.cell = ndarray(Float64Array.from(s.cell!.data, (x) => 1.05 * x), [3, 3]);
      fs.writeFileSync(path.join(dir, 'in.data'), lammpsDataFormat.formatFrame(s, { types: ['Zn', 'O'] }, 0));
      fs.writeFileSync(path.join(dir, 'in.dump'), write(moved, { types: ['Zn', 'O'], columns: ['id', 'type', 'x', 'y', 'z', 'vx', 'vy', 'vz', 'ix', 'iy', 'iz'] }));
      const script = [
        'units metal', 'atom_style charge', 'boundary p p p', 'box tilt large', 'read_data in.data',
        `read_dump in.dump ${moved.info.timestep} x y z vx vy vz ix iy iz box yes replace yes format native`,
        'write_dump all custom out.dump id type xu yu zu vx vy vz modify sort id format float %.17g',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'in.lmp'), script);
      execFileSync(lammps as string, ['-in', 'in.lmp', '-log', 'none', '-screen', 'none'], { cwd: dir, timeout: 60_000 });
      const [mine] = readAll(fs.readFileSync(path.join(dir, 'in.dump'), 'utf8'), { types: ['Zn', 'O'] });
      const [theirs] = readAll(fs.readFileSync(path.join(dir, 'out.dump'), 'utf8'), { types: ['Zn', 'O'] });
      cellEntries(theirs.cell!).forEach((x, k) => expect(x).toBeCloseTo(cellEntries(mine.cell!)[k], 12));
      for (let i = 0; i < s.length; ++i) {
        for (let k = 0; k < 3; ++k) {
          expect(theirs.positions.get(i, k)).toBeCloseTo(mine.positions.get(i, k), 10);
          expect(theirs.velocities!.get(i, k)).toBeCloseTo(mine.velocities!.get(i, k), 14);
        }
      }
      expectEquivalent(moved, theirs, 9);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

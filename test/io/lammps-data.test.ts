import { execFileSync } from 'child_process';
import * as fs from 'fs';
import ndarray from 'ndarray';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { findLammps } from '../helpers';
import { ParseError, PolymorphError } from '../../lib/core/errors';
import type { ReadOptions, WriteOptions } from '../../lib/io/format';
import { OPEN_BOX_PADDING, restrictedCell } from '../../lib/io/lammps-box';
import { lammpsDataFormat } from '../../lib/io/lammps-data';
import { lammpsDumpFormat } from '../../lib/io/lammps-dump';
import { linesOf } from '../../lib/io/lines';
import { cellEntries, cellParameters, determinant3 } from '../../lib/structure/cell';
import { Structure } from '../../lib/structure/structure';
import { parseWith } from '../../lib/io/parse-with';
import { catchParseError, rows } from './helpers';
import { mulberry32 } from '../../lib/core/random';

const fixtures = path.join(__dirname, 'fixtures', 'lammps');
const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');

/** Parses a data file (one structure). */
function read(text: string, options: ReadOptions = {}, name = 'test.data'): Structure {
  const frames = parseWith(lammpsDataFormat, text, options, name);
  expect(frames.length).toBe(1);
  return frames[0];
}

const write = (s: Structure, options: WriteOptions = {}): string => lammpsDataFormat.formatFrame(s, options, 0);

/** Asserts that reading `text` throws a ParseError (E_PARSE) at `line` of 'test.data'. */
const expectParseError = (text: string, line: number, pattern?: RegExp, options: ReadOptions = {}): ParseError =>
  catchParseError(() => read(text, options), 'test.data', line, pattern);

/** Atom lines of a data file section, as number rows keyed by id. */
function sectionRows(text: string, section: string): Map<number, number[]> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.split('#')[0].trim() === section);
  const out = new Map<number, number[]>();
  for (let i = start + 2; i < lines.length && lines[i].trim() !== ''; ++i) {
    const v = lines[i].trim().split(/\s+/).map(Number);
    out.set(v[0], v);
  }
  return out;
}

const random = mulberry32; // seeded uniform numbers in [0, 1)

/** A general triclinic cell in an arbitrary orientation, with atoms, velocities and charges. */
function rotatedStructure(seed: number, n = 12, leftHanded = false): Structure {
  const r = random(seed);
  const base = [[5 + r(), 0, 0], [1.2 * r() - 0.6, 5 + r(), 0], [r() - 0.5, r() - 0.5, 5 + r()]];
  if (leftHanded) base[2][2] *= -1;
  // Rotate about a random axis.
  const axis = [r() - 0.5, r() - 0.5, r() - 0.5];
  const len = Math.hypot(...axis);
  const [x, y, z] = axis.map((v) => v / len);
  const t = 0.4 + 2 * r(), c = Math.cos(t), s = Math.sin(t), C = 1 - c;
  const R = [[c + x * x * C, x * y * C - z * s, x * z * C + y * s], [y * x * C + z * s, c + y * y * C, y * z * C - x * s], [z * x * C - y * s, z * y * C + x * s, c + z * z * C]];
  const rot = (v: number[]): number[] => [0, 1, 2].map((i) => R[i][0] * v[0] + R[i][1] * v[1] + R[i][2] * v[2]);
  const cell = base.map(rot);
  const positions = Array.from({ length: n }, () => {
    const f = [1.2 * r() - 0.1, 1.2 * r() - 0.1, 1.2 * r() - 0.1];
    return [0, 1, 2].map((k) => f[0] * cell[0][k] + f[1] * cell[1][k] + f[2] * cell[2][k]);
  });
  return new Structure({
    positions,
    symbols: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'O' : 'Zn')),
    cell,
    pbc: true,
    velocities: Array.from({ length: n }, () => [r() - 0.5, r() - 0.5, r() - 0.5].map((v) => v * 0.02)),
    charges: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1.2 : 0.6)),
  });
}

/** Checks that `b` is `a` moved by an orthogonal map: every cell parameter, distance and velocity product kept. */
function expectEquivalent(a: Structure, b: Structure, digits = 10): void {
  expect(b.length).toBe(a.length);
  expect(b.symbols).toEqual(a.symbols);
  const pa = cellParameters(a.cell!), pb = cellParameters(b.cell!);
  for (let k = 0; k < 6; ++k) expect(pb[k]).toBeCloseTo(pa[k], digits);
  expect(b.volume).toBeCloseTo(a.volume, digits - 1);
  for (let i = 0; i < a.length; ++i) {
    for (let j = i + 1; j < a.length; ++j) {
      expect(b.distance(i, j)).toBeCloseTo(a.distance(i, j), digits);
      expect(b.distance(i, j, { mic: true })).toBeCloseTo(a.distance(i, j, { mic: true }), digits);
    }
  }
  // Positions relative to the cell (fractional coordinates) are the same.
  const fa = rows(a.scaledPositions()), fb = rows(b.scaledPositions());
  fa.forEach((f, i) => f.forEach((x, k) => expect(fb[i][k]).toBeCloseTo(x, digits)));
  if (a.velocities) {
    // v_i · (r_j − r_0) and |v_i| are invariant under an orthogonal map.
    for (let i = 0; i < a.length; ++i) {
      const dot = (s: Structure, j: number): number => [0, 1, 2].reduce((t, k) => t + s.velocities!.get(i, k) * (s.positions.get(j, k) - s.positions.get(0, k)), 0);
      for (const j of [1, a.length - 1]) expect(dot(b, j)).toBeCloseTo(dot(a, j), digits);
      const norm = (s: Structure): number => Math.hypot(...[0, 1, 2].map((k) => s.velocities!.get(i, k)));
      expect(norm(b)).toBeCloseTo(norm(a), digits + 2);
    }
  }
}

describe('LAMMPS data reader: files written by LAMMPS (write_data, 29 Sep 2021)', () => {
  it('reads the triclinic charge-style ZnO file: box, elements from masses, charges, velocities, image flags', () => {
    const text = fixture('zno.data');
    const s = read(text);
    const unwrapped = read(text, { unwrap: true });
    const image = s.arrays.image as ndarray.NdArray<Int32Array>;
    expect(image.data).toBeInstanceOf(Int32Array);
    expect(image.shape).toEqual([16, 3]);
    expect(unwrapped.arrays.image).toBeUndefined();
    expect(s.length).toBe(16);
    expect(s.formula).toBe('O8Zn8');
    expect(s.pbc).toEqual([true, true, true]);
    // 0 6.5 xlo xhi, 0 5.62916 ylo yhi, 0 5.207 zlo zhi, -3.25 0 0 xy xz yz.
    expect(rows(s.cell!)).toEqual([[6.5, 0, 0], [-3.25, 5.62916, 0], [0, 0, 5.207]]);
    const atoms = sectionRows(text, 'Atoms');
    const velocities = sectionRows(text, 'Velocities');
    // Sorted by id; charge style: id type q x y z ix iy iz.
    for (let i = 0; i < 16; ++i) {
      const [id, type, q, x, y, z, ix, iy, iz] = atoms.get(i + 1)!;
      expect(id).toBe(i + 1);
      expect(s.symbols[i]).toBe(type === 1 ? 'Zn' : 'O');
      expect(s.masses[i]).toBe(type === 1 ? 65.38 : 15.999);
      expect(s.charges![i]).toBe(q);
      const a = [6.5, 0, 0], b = [-3.25, 5.62916, 0], c = [0, 0, 5.207];
      // Positions as written, flags kept (as ASE's travel); unwrap adds them.
      [x, y, z].forEach((v, k) => expect(s.positions.get(i, k)).toBe(v));
      expect([0, 1, 2].map((k) => image.get(i, k))).toEqual([ix, iy, iz]);
      [x, y, z].forEach((v, k) => expect(unwrapped.positions.get(i, k)).toBeCloseTo(v + ix * a[k] + iy * b[k] + iz * c[k], 12));
      // Å/ps → Å/fs.
      velocities.get(i + 1)!.slice(1).forEach((v, k) => expect(s.velocities!.get(i, k)).toBeCloseTo(v / 1000, 15));
    }
  });

  it('sorts atoms by id, keeps image flags, and unwraps them on request in a fully triclinic box', () => {
    const text = fixture('tric.data');
    const s = read(text, { unwrap: true });
    const asWritten = read(text);
    expect(s.symbols.every((x) => x === 'Ar')).toBe(true); // 39.948 amu is argon
    expect(rows(s.cell!)).toEqual([[9, 0, 0], [2.5, 8, 0], [-1.8, 1.2, 7.5]]);
    const atoms = sectionRows(text, 'Atoms');
    const fileOrder = [...atoms.keys()];
    expect(fileOrder).not.toEqual([...fileOrder].sort((p, q) => p - q)); // LAMMPS wrote them unsorted
    const cell = [[9, 0, 0], [2.5, 8, 0], [-1.8, 1.2, 7.5]];
    let unwrapped = 0;
    for (let i = 0; i < s.length; ++i) {
      const [, , x, y, z, ix, iy, iz] = atoms.get(i + 1)!;
      if (ix !== 0 || iy !== 0 || iz !== 0) unwrapped++;
      [x, y, z].forEach((v, k) => expect(s.positions.get(i, k)).toBeCloseTo(v + ix * cell[0][k] + iy * cell[1][k] + iz * cell[2][k], 12));
      [x, y, z].forEach((v, k) => expect(asWritten.positions.get(i, k)).toBe(v));
      expect(rows(asWritten.arrays.image as ndarray.NdArray<Int32Array>)[i]).toEqual([ix, iy, iz]);
    }
    expect(unwrapped).toBeGreaterThan(5);
  });

  it('agrees with the unwrapped coordinates LAMMPS dumped at the same timestep', () => {
    const data = read(fixture('tric.data'), { unwrap: true }); // written at step 50
    const parser = lammpsDumpFormat.createParser('tric.dump', { types: ['Ar'] });
    const frames: Structure[] = [];
    for (const [line, n] of linesOf(fixture('tric.dump'))) {
      const f = parser.push(line, n);
      if (f) frames.push(f);
    }
    const last = frames[frames.length - 1];
    expect(last.info.timestep).toBe(50);
    // The dump prints 6 significant digits (%g).
    for (let i = 0; i < data.length; ++i) {
      for (let k = 0; k < 3; ++k) {
        expect(last.positions.get(i, k)).toBeCloseTo(data.positions.get(i, k), 4);
        expect(last.velocities!.get(i, k)).toBeCloseTo(data.velocities!.get(i, k), 8);
      }
    }
  });

  it('subtracts the box origin (shrink-wrapped slab with ylo < 0)', () => {
    const text = fixture('al.data');
    const s = read(text, { unwrap: true });
    const asWritten = read(text);
    expect(s.symbols[0]).toBe('Al'); // 26.982 amu
    expect(s.masses[0]).toBe(26.982);
    const ylo = -0.4366057920064103, zlo = -4.05;
    expect(s.cell!.get(1, 1)).toBeCloseTo(8.35769409932538 - ylo, 13);
    const atoms = sectionRows(text, 'Atoms');
    for (let i = 0; i < s.length; ++i) {
      const [, , x, y, z, ix] = atoms.get(i + 1)!;
      expect(s.positions.get(i, 0)).toBeCloseTo(x + 8.1 * ix, 12);
      expect(asWritten.positions.get(i, 0)).toBe(x);
      expect(asWritten.positions.get(i, 1)).toBe(s.positions.get(i, 1));
      expect(s.positions.get(i, 1)).toBeCloseTo(y - ylo, 12);
      expect(s.positions.get(i, 2)).toBeCloseTo(z - zlo, 12);
    }
  });
});

const header = (atoms: number, types: number, extra = ''): string =>
  `title line is skipped: 99 atoms\n\n${atoms} atoms\n${types} atom types\n${extra}0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n`;

describe('LAMMPS data reader: elements, styles and sections', () => {
  const twoTypes = `${header(2, 2)}\nMasses\n\n1 65.38\n2 15.9994\n\nAtoms\n\n2 2 1 1 1\n1 1 0 0 0\n`;

  it('guesses elements from masses within 0.01 amu', () => {
    const s = read(twoTypes);
    expect(s.symbols).toEqual(['Zn', 'O']);
    expect(Array.from(s.masses)).toEqual([65.38, 15.9994]);
  });

  it('lets the types option override everything (type 1 first)', () => {
    expect(read(twoTypes, { types: ['Ga', 'N'] }).symbols).toEqual(['Ga', 'N']);
  });

  it('uses an element comment on a Masses line, then Atom Type Labels', () => {
    const commented = twoTypes.replace('1 65.38', '1 65.0 # Zn atoms').replace('2 15.9994', '2 16.5 # O');
    expect(read(commented).symbols).toEqual(['Zn', 'O']);
    const labelled = `${header(2, 2)}\nAtom Type Labels\n\n1 Si\n2 C\n\nAtoms # atomic\n\n1 Si 0 0 0\n2 C 1 1 1\n`;
    const s = read(labelled);
    expect(s.symbols).toEqual(['Si', 'C']);
    expect(s.masses[0]).toBeCloseTo(28.085, 10); // no Masses section: standard weights
  });

  it('asks for types when a mass is ambiguous, unknown or missing', () => {
    const ambiguous = `${header(1, 1)}\nMasses\n\n1 247.07\n\nAtoms\n\n1 1 0 0 0\n`;
    const e = expectParseError(ambiguous, 15, /pass \{ types.*Cm and Bk|Bk and Cm/);
    expect(e.message).toMatch(/atom type 1/);
    expectParseError(ambiguous.replace('247.07', '12.5'), 15, /types.*no element's standard atomic weight/);
    expectParseError(`${header(1, 1)}\nAtoms\n\n1 1 0 0 0\n`, 11, /types/);
    expect(read(ambiguous, { types: ['Cm'] }).symbols).toEqual(['Cm']);
    // A type beyond the list given in options.types.
    expectParseError(twoTypes, 16, /atom types 1…1.*options\.types/, { types: ['Zn'] });
  });

  it('rejects bad types options with PolymorphError codes', () => {
    expect(() => lammpsDataFormat.createParser('x', { types: ['Zn', 'Qq'] })).toThrow(expect.objectContaining({ code: 'E_ELEMENT' }));
    expect(() => lammpsDataFormat.createParser('x', { atomStyle: 'sphere' as 'atomic' })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
  });

  it('takes the atom style from the Atoms comment, the option overriding it', () => {
    const charge = `${header(2, 1)}\nMasses\n\n1 26.98\n\nAtoms # charge\n\n1 1 0.5 0 0 0\n2 1 -0.5 1 2 3 1 0 -1\n`;
    const s = read(charge);
    expect(Array.from(s.charges!)).toEqual([0.5, -0.5]);
    expect(rows(s.positions)).toEqual([[0, 0, 0], [1, 2, 3]]);
    expect(rows(s.arrays.image as ndarray.NdArray<Int32Array>)).toEqual([[0, 0, 0], [1, 0, -1]]); // no flags on line 1: 0 0 0
    expect(rows(read(charge, { unwrap: true }).positions)).toEqual([[0, 0, 0], [11, 2, -7]]);
    const noComment = charge.replace('Atoms # charge', 'Atoms');
    expectParseError(noComment, 15, /5 fields \(id type x y z\) or 8/);
    expect(Array.from(read(noComment, { atomStyle: 'charge' }).charges!)).toEqual([0.5, -0.5]);
    expectParseError(charge.replace('# charge', '# sphere'), 13, /supported atom style/);
  });

  it('reads full and molecular styles with molecule ids', () => {
    const full = `${header(2, 1)}\nMasses\n\n1 15.999\n\nAtoms # full\n\n2 7 1 -0.8 1 1 1\n1 7 1 0.4 0 0 0 0 0 1\n`;
    const s = read(full);
    expect(Array.from(s.charges!)).toEqual([0.4, -0.8]);
    expect(Array.from((s.arrays['mol-id'] as ndarray.NdArray<Int32Array>).data)).toEqual([7, 7]);
    expect(s.positions.get(0, 2)).toBe(0);
    expect(read(full, { unwrap: true }).positions.get(0, 2)).toBe(10);
    const molecular = read(full.replace('# full', '# molecular').replace(' -0.8', '').replace(' 0.4', ''));
    expect(molecular.charges).toBeNull();
  });

  it('accepts other counts and skips the sections they announce', () => {
    const text = [
      'LAMMPS data file', '', '3 atoms', '2 bonds', '1 angles', '2 atom types', '1 bond types', '1 angle types',
      '2 extra bond per atom', '0 ellipsoids', '', '-5 5 xlo xhi', '-5 5 ylo yhi', '-5 5 zlo zhi', '',
      'Masses', '', '1 15.999', '2 1.008', '', 'Pair Coeffs # lj/cut', '', '1 0.1 3.0', '2 0.0 1.0', '',
      'Bond Coeffs', '', '1 450 0.96', '', 'Atoms # full', '', '1 1 1 -0.8 0 0 0', '2 1 2 0.4 0.96 0 0', '3 1 2 0.4 -0.24 0.93 0', '',
      'Bonds', '', '1 1 1 2', '2 1 1 3', '', 'Angles', '', '1 1 2 1 3', '',
    ].join('\n');
    const s = read(text);
    expect(s.symbols).toEqual(['O', 'H', 'H']);
    expect(rows(s.positions)[1]).toEqual([5.96, 5, 5]); // origin (-5, -5, -5) subtracted
  });

  it('reads the general triclinic header of newer LAMMPS (avec, bvec, cvec, abc origin)', () => {
    const text = `general\n\n1 atoms\n1 atom types\n4 1 0 avec\n-1 3 0.5 bvec\n0.5 0.25 5 cvec\n1 2 3 abc origin\n\nMasses\n\n1 26.98\n\nAtoms\n\n1 1 2 3 4 1 0 0\n`;
    const s = read(text);
    expect(rows(s.cell!)).toEqual([[4, 1, 0], [-1, 3, 0.5], [0.5, 0.25, 5]]);
    expect(rows(s.positions)).toEqual([[1, 1, 1]]); // minus abc origin
    expect(rows(read(text, { unwrap: true }).positions)).toEqual([[5, 2, 1]]); // plus avec
    expectParseError(text.replace('1 2 3 abc origin', '0 4 xlo xhi'), 8, /not both/);
    expectParseError(text.replace('-1 3 0.5 bvec\n', ''), 9, /'avec', 'bvec' and 'cvec'/);
  });

  it('reads an empty box (0 atoms) and a file with tabs, CRLF and trailing comments', () => {
    const empty = read(`${header(0, 1)}`);
    expect(empty.length).toBe(0);
    const messy = 'title\r\n\r\n 1 atoms  # count\r\n1\tatom types\r\n0 2 xlo xhi\r\n0 2 ylo yhi\r\n0 2 zlo zhi\r\n\r\nMasses\r\n\r\n1 26.98\r\n\r\nAtoms # atomic\r\n\r\n1\t1 0.5 0.5 0.5   # an atom\r\n';
    expect(rows(read(messy).positions)).toEqual([[0.5, 0.5, 0.5]]);
  });
});

describe('LAMMPS data reader: malformed files', () => {
  const good = `${header(2, 1)}\nMasses\n\n1 26.98\n\nAtoms # atomic\n\n1 1 0 0 0\n2 1 1 1 1\n\nVelocities\n\n1 1 2 3\n2 4 5 6\n`;
  // Line numbers in `good`: 3 atoms, 4 atom types, 5-7 box, 9 Masses, 11 mass, 13 Atoms, 15-16 atoms, 18 Velocities, 20-21.

  it('reads the good file (velocities ÷ 1000)', () => {
    const s = read(good);
    expect(rows(s.velocities!)).toEqual([[0.001, 0.002, 0.003], [0.004, 0.005, 0.006]]);
  });

  it.each([
    ['an empty file', '', 0, /empty file/],
    ['an unknown header line', good.replace('1 atom types', '1 atom kinds'), 4, /header line/],
    ['a repeated header keyword', good.replace('0 10 ylo yhi', '0 10 xlo xhi'), 6, /once/],
    ['a non-numeric count', good.replace('2 atoms', 'two atoms'), 3, /number of atoms \(an integer\), got "two"/],
    ['a non-integer count', good.replace('2 atoms', '2.5 atoms'), 3, /number of atoms.*integer/],
    ['a non-numeric box bound', good.replace('0 10 zlo', '0 1O zlo'), 7, /zlo zhi/],
    ['an inverted box', good.replace('0 10 ylo yhi', '10 0 ylo yhi'), 6, /ylo < yhi/],
    ['a missing box line', good.replace('0 10 zlo zhi\n', ''), 8, /zlo zhi/],
    ['no atoms line', good.replace('2 atoms\n', ''), 12, /'N atoms' header line before the Atoms section/],
    ['a missing atom line', good.replace('2 1 1 1 1\n', ''), 17, /2 lines in the Atoms section that starts on line 13/],
    ['an extra atom line', good.replace('2 1 1 1 1\n', '2 1 1 1 1\n3 1 2 2 2\n'), 17, /section keyword after the 2 lines/],
    ['a huge atom count in a short file', good.replace('2 atoms', '3000000000 atoms'), 18, /3000000000 lines in the Atoms section/],
    ['a missing Atoms section', `${header(2, 1)}\nMasses\n\n1 26.98\n`, 11, /Atoms section with 2 lines/],
    ['a wrong number of fields', good.replace('2 1 1 1 1', '2 1 1 1'), 16, /5 fields/],
    ['a non-numeric coordinate', good.replace('2 1 1 1 1', '2 1 1 x 1'), 16, /y \(Å\)/],
    ['a NaN coordinate', good.replace('2 1 1 1 1', '2 1 1 nan 1'), 16, /finite real number/],
    ['a fractional image flag', good.replace('2 1 1 1 1', '2 1 1 1 1 0 0.5 0'), 16, /image flag iy/],
    ['a duplicate id', good.replace('2 1 1 1 1', '1 1 1 1 1'), 16, /unique atom id \(1 is already used on line 15\)/],
    ['an id of 0', good.replace('2 1 1 1 1', '0 1 1 1 1'), 16, /atom id/],
    ['a type out of range', good.replace('2 1 1 1 1', '2 2 1 1 1'), 16, /atom type 1…1/],
    ['a missing mass line', good.replace('1 26.98\n', ''), 12, /1 lines in the Masses section/],
    ['a negative mass', good.replace('1 26.98', '1 -26.98'), 11, /positive mass/],
    ['a velocity for an unknown atom', good.replace('2 4 5 6', '3 4 5 6'), 21, /atom of the Atoms section/],
    ['two velocities for one atom', good.replace('2 4 5 6', '1 4 5 6'), 21, /one velocity per atom/],
    ['a missing velocity', good.replace('2 4 5 6\n', ''), 20, /2 lines in the Velocities section/],
    ['a short velocity line', good.replace('2 4 5 6', '2 4 5'), 21, /id vx vy vz/],
    ['a second Atoms section', `${good}\nAtoms\n\n1 1 0 0 0\n`, 23, /one Atoms section/],
    ['an unknown atom style comment', good.replace('# atomic', '# dipole'), 13, /supported atom style/],
    ['an atom style named like an Object property', good.replace('# atomic', '# constructor'), 13, /supported atom style/],
  ])('rejects %s', (_what, text, line, pattern) => {
    expectParseError(text, line, pattern);
  });

  it('never returns NaN or silently drops a header', () => {
    // A flat box (zero volume) through tilts is still caught.
    const flat = `${header(1, 1).replace('0 10 zlo zhi', '0 1e-300 zlo zhi')}\nMasses\n\n1 26.98\n\nAtoms\n\n1 1 0 0 0\n`;
    expectParseError(flat, 9, /non-zero volume/);
  });
});


describe('LAMMPS data writer', () => {
  it('round-trips a lower-triangular cell exactly', () => {
    const s = new Structure({
      positions: [[0.1, 0.2, 0.3], [1.23456789012345, 2.5, 3.75], [-0.5, 7.1, 2.2]],
      symbols: ['Zn', 'O', 'Zn'],
      cell: [[3.25, 0, 0], [-1.625, 2.8145825622994254, 0], [0.1, -0.2, 5.207]],
      velocities: [[0.001, -0.002, 0.003], [1e-5, 0, 0.0123], [0.5, 0.25, -0.125]],
    });
    const text = write(s);
    expect(text).toMatch(/^3 atoms$/m);
    expect(text).toMatch(/^2 atom types$/m);
    expect(text).toMatch(/^-1\.625 0\.1 -0\.2 xy xz yz$/m);
    expect(text).toMatch(/^1 65\.38 # Zn$/m);
    expect(text).toMatch(/^Atoms # atomic$/m);
    const back = read(text);
    expect(Array.from(back.positions.data)).toEqual(Array.from(s.positions.data));
    expect(Array.from(back.cell!.data)).toEqual(Array.from(s.cell!.data));
    expect(back.symbols).toEqual(s.symbols);
    Array.from(back.velocities!.data).forEach((v, i) => expect(v).toBeCloseTo(s.velocities!.data[i], 16));
    // Å/fs → Å/ps in the file.
    expect(sectionRows(text, 'Velocities').get(1)).toEqual([1, 1, -2, 3]);
  });

  it('writes orthogonal boxes without a tilt line', () => {
    const s = new Structure({ positions: [[1, 2, 3]], symbols: ['Al'], cell: [[4.05, 0, 0], [0, 4.05, 0], [0, 0, 4.05]] });
    const text = write(s);
    expect(text).not.toMatch(/xy xz yz/);
    expect(text).toMatch(/^0 4\.05 xlo xhi$/m);
  });

  it('rotates a general triclinic cell to LAMMPS form, keeping distances, volume and cell parameters', () => {
    for (const seed of [1, 2, 3, 4]) {
      const s = rotatedStructure(seed);
      const back = read(write(s));
      const m = cellEntries(back.cell!);
      expect([m[1], m[2], m[5]]).toEqual([0, 0, 0]); // lower triangular
      expect(m[0] > 0 && m[4] > 0 && m[8] > 0).toBe(true);
      expectEquivalent(s, back);
      expect(Array.from(back.charges!)).toEqual(Array.from(s.charges!));
      // The LAMMPS documentation's formulas: ax = |a|, bx = b·â, by = |â×b|, cx = c·â, cy = (b·c − bx cx)/by.
      const [a, b, c] = rows(s.cell!);
      const dot = (u: number[], v: number[]): number => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
      const ax = Math.sqrt(dot(a, a)), bx = dot(b, a) / ax, cx = dot(c, a) / ax;
      const by = Math.sqrt(dot(b, b) - bx * bx), cy = (dot(b, c) - bx * cx) / by;
      [ax, 0, 0, bx, by, 0, cx, cy, Math.sqrt(dot(c, c) - cx * cx - cy * cy)].forEach((x, k) => expect(m[k]).toBeCloseTo(x, 12));
    }
  });

  it('mirrors a left-handed cell (LAMMPS boxes are right-handed), keeping every distance', () => {
    const s = rotatedStructure(7, 10, true);
    expect(determinant3(cellEntries(s.cell!))).toBeLessThan(0);
    const back = read(write(s));
    expect(determinant3(cellEntries(back.cell!))).toBeGreaterThan(0);
    expectEquivalent(s, back);
    const { rotation } = restrictedCell(cellEntries(s.cell!));
    expect(determinant3(rotation!)).toBeCloseTo(-1, 14);
  });

  it('puts a structure without a cell in its bounding box padded by 10 Å', () => {
    const s = new Structure({ positions: [[1, -2, 3], [4, 5, -6]], symbols: ['O', 'H'] });
    const text = write(s);
    expect(OPEN_BOX_PADDING).toBe(10);
    expect(text).toMatch(/^-9 14 xlo xhi$/m);
    expect(text).toMatch(/^-12 15 ylo yhi$/m);
    expect(text).toMatch(/^-16 13 zlo zhi$/m);
    const back = read(text);
    expect(rows(back.cell!)).toEqual([[23, 0, 0], [0, 27, 0], [0, 0, 29]]);
    expect(rows(back.positions)).toEqual([[10, 10, 19], [13, 17, 10]]); // shifted by −lo
    expect(back.distance(0, 1)).toBeCloseTo(s.distance(0, 1), 14);
  });

  it('follows the types option and the atom style', () => {
    const s = new Structure({ positions: [[0, 0, 0], [1, 1, 1]], symbols: ['Zn', 'O'], cell: [[5, 0, 0], [0, 5, 0], [0, 0, 5]], charges: [1.2, -1.2] });
    const text = write(s, { types: ['O', 'Ga', 'Zn'] });
    expect(text).toMatch(/^3 atom types$/m);
    expect(text).toMatch(/^2 69\.723 # Ga$/m);
    expect(text).toMatch(/^Atoms # charge$/m); // default with charges
    expect(text).toMatch(/^1 3 1\.2 0 0 0$/m);
    expect(read(text).symbols).toEqual(['Zn', 'O']);
    const atomic = write(s, { atomStyle: 'atomic' });
    expect(atomic).toMatch(/^1 1 0 0 0$/m);
    expect(read(atomic).charges).toBeNull();
    const noCharges = new Structure({ positions: [[0, 0, 0]], symbols: ['Zn'], cell: [[5, 0, 0], [0, 5, 0], [0, 0, 5]] });
    expect(write(noCharges, { atomStyle: 'charge' })).toMatch(/^1 1 0 0 0 0$/m);
    expect(() => write(s, { types: ['Zn'] })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    expect(() => write(s, { types: ['Zn', 'O', 'Zn'] })).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    expect(() => write(s, { types: ['Zn', 'O', 'Xx'] })).toThrow(expect.objectContaining({ code: 'E_ELEMENT' }));
  });

  it('refuses two masses for one type', () => {
    const s = new Structure({ positions: [[0, 0, 0], [1, 1, 1]], symbols: ['H', 'H'], masses: [1.008, 2.014], cell: [[5, 0, 0], [0, 5, 0], [0, 0, 5]] });
    expect(() => write(s)).toThrow(PolymorphError);
    expect(() => write(s)).toThrow(/one mass per atom type/);
  });
});

describe('LAMMPS data image flags (arrays.image, as ASE 3.22 kept them in travel)', () => {
  /** A structure with random image flags in a rotated triclinic cell. */
  function withImages(seed: number): Structure {
    const s = rotatedStructure(seed, 15);
    const r = random(seed + 100);
    const image = Int32Array.from({ length: 3 * s.length }, () => Math.floor(7 * r()) - 3);
    return new Structure({ positions: s.positions, numbers: s.numbers, cell: s.cell, pbc: true, charges: s.charges, arrays: { image: ndarray(image, [s.length, 3]) } });
  }

  it('round trip: positions and flags come back as written, flags as Int32 [N,3]', () => {
    const cell = [[6, 0, 0], [1, 5, 0], [-0.5, 0.25, 4]];
    const s = new Structure({
      positions: [[0.5, 1.5, 2.5], [5.9, 0.1, 3.9], [3, 3, 0.01]], symbols: ['Zn', 'O', 'O'], cell,
      arrays: { image: ndarray(Int32Array.from([0, 0, 0, -1, 2, 0, 5, -3, 1]), [3, 3]) },
    });
    const text = write(s);
    expect(text).toMatch(/^2 2 5\.9 0\.1 3\.9 -1 2 0$/m);
    expect(text).toMatch(/^3 2 3 3 0\.01 5 -3 1$/m);
    const back = read(text);
    expect(Array.from(back.positions.data)).toEqual(Array.from(s.positions.data));
    const image = back.arrays.image as ndarray.NdArray<Int32Array>;
    expect(image.data).toBeInstanceOf(Int32Array);
    expect(image.shape).toEqual([3, 3]);
    expect(Array.from(image.data)).toEqual([0, 0, 0, -1, 2, 0, 5, -3, 1]);
    expect(write(back)).toBe(text); // written again byte for byte
  });

  it('round trip through a rotated cell keeps the flags; unwrap equals r + image·cell', () => {
    for (const seed of [3, 4, 5]) {
      const s = withImages(seed);
      const back = read(write(s));
      expect(Array.from((back.arrays.image as ndarray.NdArray<Int32Array>).data)).toEqual(Array.from((s.arrays.image as ndarray.NdArray<Int32Array>).data));
      expectEquivalent(s, back);
      const unwrapped = read(write(s), { unwrap: true });
      expect(unwrapped.arrays.image).toBeUndefined();
      const m = cellEntries(back.cell!);
      const image = back.arrays.image as ndarray.NdArray<Int32Array>;
      for (let i = 0; i < s.length; ++i) {
        for (let k = 0; k < 3; ++k) {
          const shift = image.get(i, 0) * m[k] + image.get(i, 1) * m[3 + k] + image.get(i, 2) * m[6 + k];
          expect(unwrapped.positions.get(i, k)).toBeCloseTo(back.positions.get(i, k) + shift, 12);
        }
      }
      // The unwrapped structure is the original moved by lattice vectors: the same relative to the cell.
      const fs0 = rows(unwrapped.scaledPositions()), fb = rows(back.scaledPositions());
      fs0.forEach((f, i) => f.forEach((x, k) => expect(x - fb[i][k]).toBeCloseTo(image.get(i, k), 10)));
    }
  });

  it('a file without image flags gives no arrays.image, and a structure without it writes none', () => {
    const text = `${header(2, 1)}\nMasses\n\n1 26.98\n\nAtoms # atomic\n\n1 1 0 0 0\n2 1 1 1 1\n`;
    const s = read(text);
    expect(s.arrays.image).toBeUndefined();
    expect(write(s)).toMatch(/^2 1 1 1 1$/m);
  });

  it('arrays.image that is not integer [N,3] is refused when writing', () => {
    const base = { positions: [[0, 0, 0], [1, 1, 1]], symbols: ['Al', 'Al'], cell: [[4, 0, 0], [0, 4, 0], [0, 0, 4]] };
    expect(() => write(new Structure({ ...base, arrays: { image: [[0, 0, 0.5], [0, 0, 0]] } }))).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    expect(() => write(new Structure({ ...base, arrays: { image: [1, 2] } }))).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => write(new Structure({ ...base, arrays: { image: ['a', 'b'] } }))).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
  });

  it('unwrap must be a boolean', () => {
    expect(() => lammpsDataFormat.createParser('x', { unwrap: 'yes' as never })).toThrow(expect.objectContaining({ code: 'E_TYPE' }));
  });
});

/** The LAMMPS binary on PATH (`lmp`, `lmp_serial`, `lmp_mpi`), or null. */

const lammps = findLammps();

describe('LAMMPS itself reads what polymorph writes', () => {
  it.skipIf(lammps === null)(`read_data + write_dump give back the same box, positions and velocities (${lammps ? `with ${lammps}` : 'SKIPPED: no lmp on PATH'})`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-lammps-'));
    try {
      const s = rotatedStructure(11, 20);
      fs.writeFileSync(path.join(dir, 'in.data'), write(s, { types: ['Zn', 'O'] }));
      const script = [
        'units metal', 'atom_style charge', 'boundary p p p', 'box tilt large', 'read_data in.data',
        'write_dump all custom out.dump id type q xu yu zu vx vy vz modify sort id format float %.17g',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'in.lmp'), script);
      execFileSync(lammps as string, ['-in', 'in.lmp', '-log', 'none', '-screen', 'none'], { cwd: dir, timeout: 60_000 });
      const parser = lammpsDumpFormat.createParser('out.dump', { types: ['Zn', 'O'] });
      let frame: Structure | undefined;
      for (const [line, n] of linesOf(fs.readFileSync(path.join(dir, 'out.dump'), 'utf8'))) frame = parser.push(line, n) ?? frame;
      const mine = read(fs.readFileSync(path.join(dir, 'in.data'), 'utf8'));
      expect(frame).toBeDefined();
      const f = frame as Structure;
      cellEntries(f.cell!).forEach((x, k) => expect(x).toBeCloseTo(cellEntries(mine.cell!)[k], 12));
      for (let i = 0; i < s.length; ++i) {
        for (let k = 0; k < 3; ++k) {
          expect(f.positions.get(i, k)).toBeCloseTo(mine.positions.get(i, k), 10);
          expect(f.velocities!.get(i, k)).toBeCloseTo(mine.velocities!.get(i, k), 14);
        }
      }
      expect(Array.from(f.charges!)).toEqual(Array.from(s.charges!));
      expectEquivalent(s, f);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

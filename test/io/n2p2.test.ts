import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ParseError, PolymorphError } from '../../lib/core/errors';
import { commentText, formatN2p2, n2p2Format } from '../../lib/io/n2p2';
import { Structure } from '../../lib/structure/structure';
import { parseWith } from '../../lib/io/parse-with';
import { sharedData } from '../helpers';
import { catchParseError } from './helpers';

const shared = path.join(sharedData, 'n2p2');

/** Every n2p2 configuration file in ../shared: potentials/*\/example.data and train/*\/input.data. */
function sharedFiles(): string[] {
  const out: string[] = [];
  for (const [dir, name] of [['potentials', 'example.data'], ['train', 'input.data']]) {
    for (const sub of fs.readdirSync(path.join(shared, dir)).sort()) {
      const file = path.join(shared, dir, sub, name);
      if (fs.existsSync(file)) out.push(file);
    }
  }
  return out;
}

const parse = (text: string): Structure[] => parseWith(n2p2Format, text, {}, 'test.data');
const write = (frames: Structure[]): string => frames.map((s, i) => n2p2Format.formatFrame(s, {}, i)).join('');

/** Asserts that `fn` throws a ParseError (E_PARSE) at `line` of 'test.data'. */
function expectParseError(fn: () => unknown, line: number, pattern?: RegExp): ParseError {
  const e = catchParseError(fn, 'test.data', line, pattern);
  expect(e.message).toContain(`test.data:${line}:`);
  return e;
}

/** Element-wise identity of numbers (Object.is: bit-exact, −0 ≠ 0, no tolerance). */
function expectSameNumbers(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; ++i) {
    if (!Object.is(a[i], b[i])) throw new Error(`${what}[${i}]: ${a[i]} !== ${b[i]}`);
  }
}

/** Same meaning: every quantity n2p2 stores, bit for bit. */
function expectSameStructure(a: Structure, b: Structure, what: string): void {
  expect(b.symbols, what).toEqual(a.symbols);
  expectSameNumbers(a.positions.data, b.positions.data, `${what} positions`);
  expect(b.pbc, what).toEqual(a.pbc);
  if (a.cell === null) expect(b.cell, what).toBeNull();
  else expectSameNumbers(a.cell.data, b.cell!.data, `${what} cell`);
  expectSameNumbers(a.charges!, b.charges!, `${what} charges`);
  const fa = a.arrays.forces as { data: Float64Array }, fb = b.arrays.forces as { data: Float64Array };
  expectSameNumbers(fa.data, fb.data, `${what} forces`);
  expect(b.info, what).toEqual(a.info);
}

/** An independent reading of the raw text: fields of every line by keyword. */
function rawFields(text: string, keyword: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[0] === keyword);
}

describe('n2p2 input.data: the shared example and training files', () => {
  const files = sharedFiles();

  it('finds the data files', () => {
    expect(files.length).toBe(8);
  });

  for (const file of files) {
    const label = path.relative(shared, file);
    it(`${label}: reads every structure and atom, and reads back its own output with the same meaning`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const frames = parse(text);
      // Independent counts: `begin` lines and `atom` lines of the raw text.
      expect(frames.length).toBe(rawFields(text, 'begin').length);
      const atoms = rawFields(text, 'atom');
      expect(frames.reduce((n, s) => n + s.length, 0)).toBe(atoms.length);
      // Every atom field as JavaScript reads the decimal text.
      const all = frames.flatMap((s) => Array.from({ length: s.length }, (_, i) => ({ s, i })));
      all.forEach(({ s, i }, k) => {
        const f = atoms[k];
        expect(s.symbols[i]).toBe(f[4]);
        for (let a = 0; a < 3; ++a) expect(Object.is(s.positions.get(i, a), Number(f[1 + a]))).toBe(true);
        expect(Object.is(s.charges![i], Number(f[5]))).toBe(true);
        const forces = s.arrays.forces as unknown as { get(i: number, k: number): number };
        for (let a = 0; a < 3; ++a) expect(Object.is(forces.get(i, a), Number(f[7 + a]))).toBe(true);
      });
      const energies = rawFields(text, 'energy').map((f) => Number(f[1]));
      expect(frames.map((s) => s.info.energy)).toEqual(energies);
      const lattices = rawFields(text, 'lattice').length;
      expect(frames.filter((s) => s.cell !== null).length * 3).toBe(lattices);

      const written = write(frames);
      // One \n per line, no blank lines, no \r.
      expect(written.endsWith('end\n')).toBe(true);
      expect(written.slice(0, -1).split('\n').every((l) => l.trim() !== '')).toBe(true);
      expect(written).not.toContain('\r');
      const again = parse(written);
      expect(again.length).toBe(frames.length);
      frames.forEach((s, k) => expectSameStructure(s, again[k], `${label} structure ${k}`));
      // Writing is a fixed point: the second write is the same text.
      expect(write(again)).toBe(written);
    });
  }

  it('reads known values of train/Cu2S_PBE/input.data (periodic, triclinic, Å/eV)', () => {
    const frames = parse(fs.readFileSync(path.join(shared, 'train/Cu2S_PBE/input.data'), 'utf8'));
    const s = frames[0];
    expect(s.info.comment).toBe('source_file_name=OUTCAR_3_1');
    expect(s.info.energy).toBe(-571.723972);
    expect(s.info.charge).toBe(0);
    expect(s.pbc).toEqual([true, true, true]);
    expect(Array.from(s.cell!.data)).toEqual([15.108884, 0, 0, -0.444607, 11.968873, 0, -6.474115, -0.622266, 12.064082]);
    expect(s.symbols[0]).toBe('S');
    expect([0, 1, 2].map((k) => s.positions.get(0, k))).toEqual([8.9774, 0.46815, 10.16037]);
    const f = s.arrays.forces as unknown as { get(i: number, k: number): number };
    expect([0, 1, 2].map((k) => f.get(0, k))).toEqual([-0.222358, 0.152265, 0.200886]);
    expect(frames[1].info.energy).toBe(-570.358649);
    expect(s.info.set).toBeUndefined();
  });

  it('reads known values of the RuNNer file train/H2O_RPBE-D3/input.data (leading blank before begin)', () => {
    const s = parse(fs.readFileSync(path.join(shared, 'train/H2O_RPBE-D3/input.data'), 'utf8'))[0];
    expect(s.info.comment).toBe('written by RuNNerDecom');
    expect(Array.from(s.cell!.data)).toEqual([24.623508, 0, 0, 0, 24.623508, 0, 0, 0, 24.623508]);
    expect(s.symbols[0]).toBe('O');
    expect([0, 1, 2].map((k) => s.positions.get(0, k))).toEqual([3.735290838, 2.327841157, 3.501304856]);
    expect(s.charges![0]).toBe(-0.22638936);
  });

  it('reads open structures (LJ: no lattice, no charge line, comment after energy)', () => {
    const frames = parse(fs.readFileSync(path.join(shared, 'train/LJ/input.data'), 'utf8'));
    const s = frames[0];
    expect(s.cell).toBeNull();
    expect(s.pbc).toEqual([false, false, false]);
    expect(s.symbols).toEqual(['Ne', 'Ne']);
    expect(s.info.charge).toBeUndefined();
    expect(s.info.energy).toBe(0);
    expect(s.info.comment).toBe('r =   1.00000000E+00, E =   0.00000000E+00, dEdr =  -2.40000000E+01');
    expect(s.positions.get(1, 2)).toBe(0.577350269);
  });

  it('keeps the raw comment text (Anisole: blanks after the keyword survive, one removed)', () => {
    const s = parse(fs.readFileSync(path.join(shared, 'potentials/Anisole_SCAN/example.data'), 'utf8'))[0];
    expect(s.info.comment).toBe('      frame number       26');
    expect(s.length).toBe(256);
  });
});

describe('n2p2 writer layout (spec §4.2)', () => {
  const structure = (): Structure =>
    new Structure({
      symbols: ['H', 'Zn'],
      positions: [[0.1, 0.2, -0.3], [1, 2, 3]],
      cell: [[5, 0, 0], [-2.5, 4.330127018922194, 0], [0, 0, 1e-3 * 12345.678]],
      charges: [0.5, -0.5],
      info: { set: 'test', comment: ' two atoms, 0.1 spacing', energy: -1234.5678, charge: 0 },
      arrays: { forces: [[1e-5, -2, 3.25], [0, -0, 123456789]] },
    });

  it('matches %24.16E / %2s character for character', () => {
    const expected = [
      'begin set=test',
      'comment  two atoms, 0.1 spacing',
      'lattice   5.0000000000000000E+00   0.0000000000000000E+00   0.0000000000000000E+00',
      'lattice  -2.5000000000000000E+00   4.3301270189221936E+00   0.0000000000000000E+00',
      'lattice   0.0000000000000000E+00   0.0000000000000000E+00   1.2345677999999999E+01',
      'atom   1.0000000000000001E-01   2.0000000000000001E-01  -2.9999999999999999E-01  H   5.0000000000000000E-01   0.0000000000000000E+00   1.0000000000000001E-05  -2.0000000000000000E+00   3.2500000000000000E+00',
      'atom   1.0000000000000000E+00   2.0000000000000000E+00   3.0000000000000000E+00 Zn  -5.0000000000000000E-01   0.0000000000000000E+00   0.0000000000000000E+00  -0.0000000000000000E+00   1.2345678900000000E+08',
      'energy  -1.2345678000000000E+03',
      'charge   0.0000000000000000E+00',
      'end',
      '',
    ].join('\n');
    expect(formatN2p2(structure())).toBe(expected);
    expect(n2p2Format.formatFrame(structure(), {}, 3)).toBe(expected);
  });

  it('round-trips the small structure exactly, including −0', () => {
    const [s] = parse(formatN2p2(structure()));
    expectSameStructure(structure(), s, 'small');
  });

  it('writes zeros for absent charges and forces, and omits absent comment/energy/charge', () => {
    const s = new Structure({ symbols: ['O'], positions: [[1, 2, 3]] });
    const zero = '   0.0000000000000000E+00';
    expect(formatN2p2(s)).toBe(
      `begin\natom   1.0000000000000000E+00   2.0000000000000000E+00   3.0000000000000000E+00  O${zero}${zero}${zero}${zero}${zero}\nend\n`,
    );
    const [back] = parse(formatN2p2(s));
    expect(back.info).toEqual({});
    expect(Array.from(back.charges!)).toEqual([0]);
  });

  it('drops the cell of a non-periodic structure and refuses mixed periodicity', () => {
    const cluster = new Structure({ symbols: ['O'], positions: [[1, 2, 3]], cell: [[4, 0, 0], [0, 4, 0], [0, 0, 4]], pbc: false });
    expect(formatN2p2(cluster)).not.toContain('lattice');
    const slab = new Structure({ symbols: ['O'], positions: [[1, 2, 3]], cell: [[4, 0, 0], [0, 4, 0], [0, 0, 4]], pbc: [true, true, false] });
    expect(() => formatN2p2(slab)).toThrow(PolymorphError);
    try {
      formatN2p2(slab);
    } catch (e) {
      expect((e as PolymorphError).code).toBe('E_CELL');
    }
  });

  it('refuses labels it cannot write', () => {
    const base = { symbols: ['O'], positions: [[0, 0, 0]] };
    const code = (info: Structure['info']): string | undefined => {
      try {
        formatN2p2(new Structure({ ...base, info }));
      } catch (e) {
        expect(e).toBeInstanceOf(PolymorphError);
        return (e as PolymorphError).code;
      }
      return undefined;
    };
    expect(code({ set: 'validation' })).toBe('E_VALUE');
    expect(code({ comment: 'two\nlines' })).toBe('E_VALUE');
    expect(code({ energy: 'high' })).toBe('E_VALUE');
    expect(code({ energy: Number.NaN })).toBe('E_VALUE');
    expect(code({ comment: 'fine', energy: 1, set: 'train' })).toBeUndefined();
  });
});

describe('n2p2 reader: accepted variants', () => {
  const atom = 'atom 0 0 0 H 0 0 0 0 0';

  it('accepts blank lines anywhere (Q7), leading blanks and tabs', () => {
    const frames = parse(`\n begin\n\n\t${atom}\n  \nend\n\nbegin set=train\n${atom}\nend\n\n`);
    expect(frames.length).toBe(2);
    expect(frames[1].info.set).toBe('train');
  });

  it('reads Fortran d exponents as e (unlike n2p2, which reads 1.5d-3 as 1.5)', () => {
    const [s] = parse(`begin\natom 1.5d-3 0 0 H 0 0 2.0D+1 0 0\nenergy -1.0d2\nend\n`);
    expect(s.positions.get(0, 0)).toBe(1.5e-3);
    expect((s.arrays.forces as unknown as { get(i: number, k: number): number }).get(0, 0)).toBe(20);
    expect(s.info.energy).toBe(-100);
  });

  it('keeps periodic atoms outside the cell where they are (n2p2 would wrap them)', () => {
    const [s] = parse('begin\nlattice 2 0 0\nlattice 0 2 0\nlattice 0 0 2\natom 5.5 -1 2 H 0 0 0 0 0\nend\n');
    expect([0, 1, 2].map((k) => s.positions.get(0, k))).toEqual([5.5, -1, 2]);
  });

  it('stores comments as n2p2 does: first "comment" and one character removed', () => {
    expect(commentText('comment hello world ')).toBe('hello world ');
    expect(commentText(' comment  x ')).toBe('  x ');
    expect(commentText('comment')).toBe('');
    expect(commentText('comment\tx # y')).toBe('x # y');
    const [s] = parse(`begin\ncomment first\ncomment  second # kept\n${atom}\nend\n`);
    expect(s.info.comment).toBe(' second # kept');
    expect(parse(formatN2p2(s))[0].info.comment).toBe(' second # kept');
  });

  it('ignores fields after the ninth of an atom line, as n2p2 does', () => {
    const [s] = parse('begin\natom 1 2 3 H 0.5 9 1 2 3 extra\nend\n');
    expect(s.charges![0]).toBe(0.5);
  });

  it('returns each structure at its end line (streaming)', () => {
    const parser = n2p2Format.createParser('test.data', {});
    expect(parser.push('begin', 1)).toBeUndefined();
    expect(parser.push(atom, 2)).toBeUndefined();
    expect(parser.push('end', 3)).toBeInstanceOf(Structure);
    expect(parser.end(3)).toBeUndefined();
  });
});

describe('n2p2 reader: malformed input raises ParseError with the line', () => {
  const atom = 'atom 0 0 0 H 0 0 0 0 0';
  const cases: [string, string, number, RegExp?][] = [
    ['a line outside a block', `${atom}\n`, 1, /'begin'/],
    ['a line after end', `begin\n${atom}\nend\nenergy 1\n`, 4, /'begin'/],
    ['a nested begin', `begin\n${atom}\nbegin\n`, 3, /'end' of the structure begun on line 1/],
    ['a missing end', `begin\n${atom}\nenergy 1\n`, 3, /'end' of the structure begun on line 1.*end of file/],
    ['a missing end before the blank tail', `begin\n${atom}\n\n\n`, 4, /'end'/],
    ['a fourth lattice line', `begin\nlattice 1 0 0\nlattice 0 1 0\nlattice 0 0 1\nlattice 1 1 1\n`, 5, /exactly 3 'lattice'/],
    ['one lattice line', `begin\nlattice 1 0 0\n${atom}\nend\n`, 4, /0 or 3 'lattice' lines .*found 1/],
    ['two lattice lines', `begin\nlattice 1 0 0\nlattice 0 1 0\n${atom}\nend\n`, 5, /found 2/],
    ['a short lattice line', `begin\nlattice 1 0\n`, 2, /component 3/],
    ['an atom line with 9 fields', 'begin\natom 0 0 0 H 0 0 0 0\nend\n', 2, /10 fields.*found 9/],
    ['a non-numeric coordinate', 'begin\natom 0 0 x H 0 0 0 0 0\nend\n', 2, /coordinate z/],
    ['a number with trailing garbage', 'begin\natom 0 0 1.0x H 0 0 0 0 0\nend\n', 2, /finite real number/],
    ['a non-numeric force', 'begin\natom 0 0 0 H 0 0 0 0 fz\nend\n', 2, /force component z/],
    ['a non-numeric column 6', 'begin\natom 0 0 0 H 0 e 0 0 0\nend\n', 2, /column 6/],
    ['nan', 'begin\natom 0 nan 0 H 0 0 0 0 0\nend\n', 2, /finite/],
    ['inf', 'begin\natom 0 0 0 H 0 0 0 0 0\nenergy inf\nend\n', 3, /finite/],
    ['an unknown element', 'begin\natom 0 0 0 Xx 0 0 0 0 0\nend\n', 2, /chemical symbol/],
    ['a wrongly cased element', 'begin\natom 0 0 0 zn 0 0 0 0 0\nend\n', 2, /case-sensitive/],
    ['an unknown keyword', `begin\n${atom}\nforce 1 2 3\nend\n`, 3, /comment, lattice, atom, energy, charge or end/],
    ['a bad set label', `begin set=validation\n${atom}\nend\n`, 1, /set=train/],
    ['two set labels', `begin set=train set=test\n${atom}\nend\n`, 1, /at most one/],
    ['energy without a value', `begin\n${atom}\nenergy\nend\n`, 3, /total energy/],
    ['charge that is not a number', `begin\n${atom}\ncharge zero\nend\n`, 3, /total charge/],
    ['a structure without atoms', 'begin\ncomment empty\nenergy 1\nend\n', 4, /at least one 'atom'/],
    ['a singular cell', `begin\nlattice 1 0 0\nlattice 2 0 0\nlattice 0 0 1\n${atom}\nend\n`, 6, /valid structure .*singular/],
  ];
  for (const [what, text, line, pattern] of cases) {
    it(`${what} → line ${line}`, () => {
      expectParseError(() => parse(text), line, pattern);
    });
  }

  it('reports errors in later structures at their own line', () => {
    const text = fs.readFileSync(path.join(shared, 'train/LJ/input.data'), 'utf8').split('\n');
    text[7] = text[7].replace('Ne', 'Qq');
    expect(text[7]).toMatch(/^atom/);
    expectParseError(() => parse(text.join('\n')), 8, /Qq/);
  });
});


import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import type { ReadOptions, WriteOptions } from '../../lib/io/format';
import { groupBySpecies, poscarFormat, speciesRuns } from '../../lib/io/poscar';
import { Structure } from '../../lib/structure/structure';
import { parseWith } from '../../lib/io/parse-with';
import { catchParseError, rows } from './helpers';

/** Parses a POSCAR held in a string. */
function read(text: string, options: ReadOptions = {}, name = 'POSCAR'): Structure {
  const frames = parseWith(poscarFormat, text, options, name);
  expect(frames.length).toBe(1);
  return frames[0];
}

const write = (s: Structure, options: WriteOptions = {}): string => poscarFormat.formatFrame(s, options, 0);

/** Asserts that reading `text` throws a ParseError (E_PARSE) at `line` of 'POSCAR'. */
function expectParseError(text: string, line: number, pattern?: RegExp, options: ReadOptions = {}): void {
  catchParseError(() => read(text, options), 'POSCAR', line, pattern);
}

/** Bit-exact equality (Object.is) of two number lists. */
function expectSameNumbers(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; ++i) if (!Object.is(a[i], b[i])) throw new Error(`${what}[${i}]: ${a[i]} !== ${b[i]}`);
}

const silicon = ['Si diamond', '5.43', '0.0 0.5 0.5', '0.5 0.0 0.5', '0.5 0.5 0.0', 'Si', '2', 'Direct', '0 0 0', '0.25 0.25 0.25', ''].join('\n');

describe('POSCAR reader', () => {
  it('reads direct coordinates with a uniform scale factor', () => {
    const s = read(silicon);
    expect(s.info.comment).toBe('Si diamond');
    expect(s.symbols).toEqual(['Si', 'Si']);
    expect(s.pbc).toEqual([true, true, true]);
    expect(rows(s.cell!)).toEqual([[0, 2.715, 2.715], [2.715, 0, 2.715], [2.715, 2.715, 0]]);
    expect(s.volume).toBeCloseTo(5.43 ** 3 / 4, 12);
    // r = f·cell: (¼,¼,¼)·cell = (1.3575, 1.3575, 1.3575) Å, not scaled again.
    expect(rows(s.positions)).toEqual([[0, 0, 0], [1.3575, 1.3575, 1.3575]]);
    expect(s.velocities).toBeNull();
    expect(s.arrays.selective_dynamics).toBeUndefined();
  });

  it('reads Cartesian coordinates, which the scale factor multiplies', () => {
    const text = ['cubic', '2.0', '1 0 0', '0 1 0', '0 0 1', 'Zn O', '1 1', 'Cartesian', '0 0 0', '0.25 0.5 0.125'].join('\n');
    const s = read(text);
    expect(rows(s.cell!)).toEqual([[2, 0, 0], [0, 2, 0], [0, 0, 2]]);
    expect(rows(s.positions)).toEqual([[0, 0, 0], [0.5, 1, 0.25]]);
    expect(read(text.replace('Cartesian', 'k')).positions.get(1, 0)).toBe(0.5);
  });

  it('reads a negative scale factor as the target volume (Å³)', () => {
    const text = ['volume', '-64', '1 0 0', '0.5 1 0', '0 0 2', 'Ar', '1', 'Cartesian', '0.5 0.5 0.5'].join('\n');
    const s = read(text);
    // det = 2 → factor (64/2)^(1/3) = 32^(1/3); the cell and Cartesian positions both scale.
    const f = Math.cbrt(32);
    expect(s.volume).toBeCloseTo(64, 11);
    expect(rows(s.cell!)).toEqual([[f, 0, 0], [0.5 * f, f, 0], [0, 0, 2 * f]]);
    expect(rows(s.positions)).toEqual([[0.5 * f, 0.5 * f, 0.5 * f]]);
  });

  it('reads VASP 6 three-value scale factors per Cartesian axis', () => {
    const text = ['axes', '2 3 4', '1 0 0', '1 1 0', '0 1 1', 'Ar', '1', 'Cartesian', '1 1 1'].join('\n');
    const s = read(text);
    expect(rows(s.cell!)).toEqual([[2, 0, 0], [2, 3, 0], [0, 3, 4]]);
    expect(rows(s.positions)).toEqual([[2, 3, 4]]);
    // Direct coordinates are never scaled: (½,½,½)·cell.
    expect(rows(read(text.replace('Cartesian', 'Direct').replace('1 1 1', '0.5 0.5 0.5')).positions)).toEqual([[2, 3, 2]]);
  });

  it('reads selective dynamics into a Uint8 [N,3] array (1 = T, free to move)', () => {
    const text = ['slab', '1.0', '4 0 0', '0 4 0', '0 0 20', 'Pt O', '2 1', 'Selective dynamics', 'Direct',
      '0 0 0 F F F', '0.5 0.5 0.1 T T t', '0.5 0.5 0.2 .TRUE. .false. T ! adsorbate'].join('\n');
    const s = read(text);
    const flags = s.arrays.selective_dynamics as ndarray.NdArray<Uint8Array>;
    expect(flags.data).toBeInstanceOf(Uint8Array);
    expect(flags.shape).toEqual([3, 3]);
    expect(Array.from(flags.data)).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 1]);
    const out = write(s);
    expect(out).toContain('\nSelective dynamics\nDirect\n');
    expect(out).toMatch(/E-01 T F T\n$/);
    expect(Array.from((read(out).arrays.selective_dynamics as ndarray.NdArray<Uint8Array>).data)).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 1]);
  });

  it('reads VASP 4 files (no species line) with options.types', () => {
    const text = ['old file', '3.0', '1 0 0', '0 1 0', '0 0 1', '2 1', 'Direct', '0 0 0', '0.5 0.5 0.5', '0 0 0.5'].join('\n');
    const s = read(text, { types: ['Zn', 'O'] });
    expect(s.symbols).toEqual(['Zn', 'Zn', 'O']);
    expect(s.positions.get(1, 0)).toBe(1.5);
  });

  it('reads VASP 4 species from the comment line when no types are given', () => {
    const text = ['Zn O wurtzite', '1.0', '3 0 0', '0 3 0', '0 0 5', '1 1', 'Direct', '0 0 0', '0 0 0.5'].join('\n');
    expect(read(text).symbols).toEqual(['Zn', 'O']);
  });

  it('reads POTCAR-style species names (Zn_pv, O_s, Si/hash)', () => {
    const text = ['potcar names', '1.0', '3 0 0', '0 3 0', '0 0 3', 'Zn_pv O_s Si/7a0c9f', '1 1 1', 'Direct', '0 0 0', '0.5 0 0', '0 0.5 0'].join('\n');
    expect(read(text).symbols).toEqual(['Zn', 'O', 'Si']);
  });

  it('reads a CONTCAR velocity block (Cartesian Å/fs, not scaled) and skips the MD extra block', () => {
    const contcar = ['CONTCAR', '2.0', '1 0 0', '0 1 0', '0 0 1', 'Ar', '2', 'Direct', '0 0 0', '0.5 0.5 0.5', '',
      '  1.0E-03 -2.0E-03 0.5E-03', '  0.0 0.0 -1.0E-03', '', ' 1', ' 0.1E+01', ' 1 2 3'].join('\n');
    const s = read(contcar);
    expect(rows(s.velocities!)).toEqual([[1e-3, -2e-3, 0.5e-3], [0, 0, -1e-3]]);
    expect(rows(s.positions)).toEqual([[0, 0, 0], [1, 1, 1]]);
    // An explicit "Cartesian" header works too, and the lattice-velocity block is skipped.
    const withLattice = contcar.replace('0.5 0.5 0.5\n\n', '0.5 0.5 0.5\nLattice velocities and vectors\n 1\n0 0 0\n0 0 0\n0 0 0\n2 0 0\n0 2 0\n0 0 2\nCartesian\n');
    expect(rows(read(withLattice).velocities!)).toEqual([[1e-3, -2e-3, 0.5e-3], [0, 0, -1e-3]]);
    // Trailing blank lines are no velocity block.
    expect(read(`${silicon}\n\n`).velocities).toBeNull();
  });

  it('accepts comments after the counts and labels after the coordinates', () => {
    const text = ['labels', '1.0', '3 0 0', '0 3 0', '0 0 3', 'Zn O  ! species', '1 1 # counts', 'direct', '0 0 0 Zn', '0.5 0.5 0.5 O'].join('\n');
    expect(read(text).symbols).toEqual(['Zn', 'O']);
  });
});

describe('POSCAR writer', () => {
  const zno = (): Structure =>
    new Structure({ symbols: ['Zn', 'O'], positions: [[0, 0, 0], [0.5, 1, 1.5]], cell: [[2, 0, 0], [0, 2, 0], [0, 0, 4]], info: { comment: 'ZnO test' } });

  it('writes the layout character for character (Cartesian and direct)', () => {
    const z = '   0.0000000000000000E+00'; // separator + %24.16E
    const z0 = '    0.0000000000000000E+00'; // row indent + %24.16E
    const cell = ['    2.0000000000000000E+00' + z + z, z0 + '   2.0000000000000000E+00' + z, z0 + z + '   4.0000000000000000E+00'];
    const head = ['ZnO test', '1.0', ...cell, '   Zn    O', '    1    1'];
    expect(write(zno(), { direct: false })).toBe(
      [...head, 'Cartesian', z0 + z + z, '    5.0000000000000000E-01   1.0000000000000000E+00   1.5000000000000000E+00', ''].join('\n'),
    );
    expect(write(zno())).toBe([...head, 'Direct', z0 + z + z, '    2.5000000000000000E-01   5.0000000000000000E-01   3.7500000000000000E-01', ''].join('\n'));
    expect(write(zno(), { direct: true })).toBe(write(zno()));
  });

  it('round-trips a triclinic cell: Cartesian bit for bit, direct to rounding', () => {
    const cell = [[4.123456789012345, 0.1, -0.2], [-1.9876543210987654, 3.3333333333333335, 0.3], [0.7, -0.45, 5.1234567890123]];
    const positions = [[0.1, 0.2, 0.3], [1e-17, -2.5, 7.25], [3.14159265358979, 2.718281828459045, -0]];
    const s = new Structure({ symbols: ['Zn', 'O', 'O'], positions, cell, velocities: [[1e-3, 0, 0], [0, -2e-3, 0], [1 / 3, 0, 0]] });
    const back = read(write(s, { direct: false }));
    expectSameNumbers(back.cell!.data, s.cell!.data, 'cell');
    expectSameNumbers(back.positions.data, s.positions.data, 'positions');
    expectSameNumbers(back.velocities!.data, s.velocities!.data, 'velocities');
    expect(back.symbols).toEqual(s.symbols);
    const direct = read(write(s));
    expectSameNumbers(direct.cell!.data, s.cell!.data, 'cell (direct)');
    direct.positions.data.forEach((x, i) => expect(Math.abs(x - s.positions.data[i])).toBeLessThan(1e-14));
    // The written fractional coordinates themselves read back as the same doubles.
    const f = s.scaledPositions();
    expectSameNumbers(
      write(s).split('\n').slice(8, 11).flatMap((l) => l.trim().split(/\s+/).map(Number)),
      f.data,
      'fractional coordinates',
    );
  });

  it('keeps the atom order: one species entry per run of equal symbols, as ASE (sort=False)', () => {
    const s = new Structure({ symbols: ['Zn', 'O', 'O', 'Zn'], positions: [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0]], cell: [[5, 0, 0], [0, 5, 0], [0, 0, 5]] });
    expect(speciesRuns(s.symbols)).toEqual([['Zn', 1], ['O', 2], ['Zn', 1]]);
    const text = write(s, { direct: false });
    expect(text.split('\n').slice(5, 7)).toEqual(['   Zn    O   Zn', '    1    2    1']);
    expect(text.split('\n')[0]).toBe('Zn O Zn');
    const back = read(text);
    expect(back.symbols).toEqual(['Zn', 'O', 'O', 'Zn']);
    expect(rows(back.positions).map((r) => r[0])).toEqual([0, 1, 2, 3]);
  });

  it('groupBySpecies regroups stably in the order of first appearance, moving per-atom data along', () => {
    const s = new Structure({
      symbols: ['O', 'Zn', 'O', 'Zn'], positions: [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0]], cell: [[5, 0, 0], [0, 5, 0], [0, 0, 5]],
      arrays: { selective_dynamics: ndarray(Uint8Array.from([1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0]), [4, 3]) },
    });
    const g = groupBySpecies(s);
    expect(g.symbols).toEqual(['O', 'O', 'Zn', 'Zn']);
    expect(rows(g.positions).map((r) => r[0])).toEqual([0, 2, 1, 3]);
    expect(Array.from((g.arrays.selective_dynamics as ndarray.NdArray<Uint8Array>).data)).toEqual([1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0]);
    expect(write(g).split('\n').slice(5, 7)).toEqual(['    O   Zn', '    2    2']);
  });

  it('names the species on the comment line when info.comment is absent', () => {
    const s = new Structure({ symbols: ['Zn', 'O'], positions: [[0, 0, 0], [0, 0, 2]], cell: [[3, 0, 0], [0, 3, 0], [0, 0, 5]] });
    expect(write(s).split('\n')[0]).toBe('Zn O');
  });

  it('refuses structures a POSCAR cannot hold', () => {
    const code = (s: Structure): string | undefined => {
      try {
        write(s);
      } catch (e) {
        expect(e).toBeInstanceOf(PolymorphError);
        return (e as PolymorphError).code;
      }
      return undefined;
    };
    expect(code(new Structure({ symbols: ['Ar'], positions: [[0, 0, 0]] }))).toBe('E_CELL');
    const cell = [[3, 0, 0], [0, 3, 0], [0, 0, 3]];
    expect(code(new Structure({ symbols: [], positions: ndarray(new Float64Array(0), [0, 3]), cell }))).toBe('E_EMPTY');
    expect(code(new Structure({ symbols: ['Ar'], positions: [[0, 0, 0]], cell, info: { comment: 'a\nb' } }))).toBe('E_VALUE');
    expect(code(new Structure({ symbols: ['Ar'], positions: [[0, 0, 0]], cell, arrays: { selective_dynamics: ndarray(Uint8Array.from([1, 2, 0]), [1, 3]) } }))).toBe('E_VALUE');
    expect(code(new Structure({ symbols: ['Ar'], positions: [[0, 0, 0]], cell, arrays: { selective_dynamics: [true] } }))).toBe('E_SHAPE');
  });
});

describe('POSCAR reader: malformed input raises ParseError with the line', () => {
  const lines = (...l: string[]): string => l.join('\n');
  const head = ['c', '1.0', '3 0 0', '0 3 0', '0 0 3'];
  const cases: [string, string, number, RegExp?, ReadOptions?][] = [
    ['an empty file', '', 0, /end of file/],
    ['a file cut after the scale', lines('c', '1.0'), 2, /lattice vector a/],
    ['a non-numeric scale', lines('c', 'abc', ...head.slice(2)), 2, /scale factor/],
    ['a zero scale', lines('c', '0', ...head.slice(2), 'Ar', '1', 'Direct', '0 0 0'), 2, /not zero/],
    ['two scale factors', lines('c', '1.0 2.0', ...head.slice(2)), 2, /three positive/],
    ['three scale factors with a negative one', lines('c', '1 -1 1', ...head.slice(2)), 2, /three positive/],
    ['a short lattice line', lines('c', '1.0', '3 0 0', '0 3', '0 0 3'), 4, /component z of lattice vector b/],
    ['a non-numeric lattice component', lines('c', '1.0', '3 0 0', '0 3 0', '0 0 x'), 5, /lattice vector c/],
    ['a singular cell', lines('c', '1.0', '3 0 0', '6 0 0', '0 0 3', 'Ar', '1', 'Direct', '0 0 0'), 3, /singular/],
    ['an unknown element', lines(...head, 'Zn Qq', '1 1', 'Direct', '0 0 0', '0 0 0'), 6, /Qq/],
    ['a wrongly cased element', lines(...head, 'zn', '1', 'Direct', '0 0 0'), 6, /case-sensitive/],
    ['fewer counts than species', lines(...head, 'Zn O', '2', 'Direct', '0 0 0', '0 0 0'), 7, /2 atom counts/],
    ['a non-integer count', lines(...head, 'Zn O', '1 1.5', 'Direct', '0 0 0', '0 0 0'), 7, /integer/],
    ['a negative count', lines(...head, 'Zn', '-1', 'Direct', '0 0 0'), 7, /integer >= 0/],
    ['only zero counts', lines(...head, 'Zn', '0', 'Direct'), 7, /at least one atom/],
    ['a VASP 4 file without types or symbols in the comment', lines(...head, '1 1', 'Direct', '0 0 0', '0 0 0'), 6, /VASP 4 .*types/],
    ['VASP 4 types of the wrong length', lines(...head, '1 1', 'Direct', '0 0 0', '0 0 0'), 6, /2 counts, 1 types/, { types: ['Zn'] }],
    ['VASP 4 types naming no element', lines(...head, '1', 'Direct', '0 0 0'), 6, /options.types/, { types: ['Zinc'] }],
    ['a missing mode line', lines(...head, 'Ar', '1', '0 0 0'), 8, /'Direct' or 'Cartesian'/],
    ['a bad mode after selective dynamics', lines(...head, 'Ar', '1', 'Selective dynamics', 'Fractional', '0 0 0 T T T'), 9, /after the positions|before the positions/],
    ['counts larger than the file', lines(...head, 'Ar', '1000000000', 'Direct', '0 0 0'), 7, /1000000000 atoms/],
    ['a truncated position block', lines(...head, 'Ar', '3', 'Direct', '0 0 0', '0.5 0.5 0.5', '', ''), 11, /coordinate 1 of atom 3/],
    ['a short position line', lines(...head, 'Ar', '2', 'Direct', '0 0 0', '0.5 0.5'), 10, /coordinate 3 of atom 2/],
    ['a non-numeric coordinate', lines(...head, 'Ar', '1', 'Direct', '0 x 0'), 9, /coordinate 2 of atom 1/],
    ['more position lines than atoms', lines(...head, 'Ar', '1', 'Direct', '0 0 0', '0.5 0.5 0.5'), 10, /do the atom counts match/],
    ['a bad selective flag', lines(...head, 'Ar', '1', 'Selective dynamics', 'Direct', '0 0 0 T X T'), 10, /flag 2 of 3/],
    ['missing selective flags', lines(...head, 'Ar', '1', 'Selective dynamics', 'Direct', '0 0 0 T T'), 10, /flag 3 of 3/],
    ['a truncated velocity block', lines(...head, 'Ar', '2', 'Direct', '0 0 0', '0.5 0.5 0.5', '', '0.1 0.1 0.1'), 12, /velocity of atom 2/],
    ['a non-numeric velocity', lines(...head, 'Ar', '1', 'Direct', '0 0 0', '', '0.1 v 0.1'), 11, /velocity component y/],
    ['more velocities than atoms', lines(...head, 'Ar', '1', 'Direct', '0 0 0', '', '0.1 0.1 0.1', '0.2 0.2 0.2'), 12, /more velocity lines than atoms/],
    ['direct velocities', lines(...head, 'Ar', '1', 'Direct', '0 0 0', 'Direct', '0.1 0.1 0.1'), 10, /POTIM/],
    ['a truncated lattice-velocity block', lines(...head, 'Ar', '1', 'Direct', '0 0 0', 'Lattice velocities and vectors', ' 1', '0 0 0'), 12, /Lattice velocities/],
    ['an overflowing scale', lines('c', '1e300', '1e10 0 0', '0 1e10 0', '0 0 1e10', 'Ar', '1', 'Direct', '0 0 0'), 3, /finite/],
  ];
  for (const [what, text, line, pattern, options] of cases) {
    it(`${what} → line ${line}`, () => {
      expectParseError(text, line, pattern, options);
    });
  }
});


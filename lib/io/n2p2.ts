/**
 * n2p2 `input.data` (also `output.data`): the configuration files of n2p2 and RuNNer, read and
 * written as `specs/n2p2-formats.md` §4 describes.
 *
 * ```text
 * begin [set=train|set=test]
 * comment <free text>
 * lattice <ax> <ay> <az>                       (0 or 3 lines)
 * atom <x> <y> <z> <sym> <q> <n> <fx> <fy> <fz> (one per atom)
 * energy <E>
 * charge <Q>
 * end
 * ```
 *
 * Mapping onto {@link Structure}:
 *
 * | file | Structure |
 * | --- | --- |
 * | 3 `lattice` lines (rows a, b, c) | `cell`, `pbc = [true, true, true]` |
 * | no `lattice` line | `cell = null`, `pbc = [false, false, false]` |
 * | `atom` columns 1–3, 4 | `positions`, symbols (`numbers`) |
 * | `atom` column 5 (atomic charge) | `charges` |
 * | `atom` column 6 (RuNNer atomic energy) | ignored on read, written as 0 |
 * | `atom` columns 7–9 (reference force) | `arrays.forces` `[N,3]` |
 * | `energy` | `info.energy` |
 * | `charge` (total charge) | `info.charge` |
 * | `comment` | `info.comment` (the raw text: the line minus the first `comment` and the one character after it) |
 * | `begin set=train` / `set=test` | `info.set = 'train'` / `'test'` |
 *
 * **Units.** An n2p2 file carries whatever units its potential was trained in (the H2O examples
 * are in Bohr and Hartree, Cu2S in Å and eV) and does not say which. By default the numbers are
 * taken as Å and eV. Give the file's units to convert on reading, and to write in them:
 *
 * | option | converts |
 * | --- | --- |
 * | `lengthUnit` (`'Angstrom'`, `'Bohr'`, `'nm'`, or Å per unit) | positions and cell: × L |
 * | `energyUnit` (`'eV'`, `'Hartree'`, `'Ry'`, `'kcal/mol'`, `'kJ/mol'`, or eV per unit) | `info.energy`: × E |
 * | both | forces (`arrays.forces`): × E/L |
 *
 * Atomic charges and the total charge (e) are never converted; `info` and `arrays` keep their
 * keys. Writing with the same options divides instead. A structure read with units survives
 * write → read with the same units bit for bit; other values may come back one ulp off (relative
 * 2·10⁻¹⁶, since x / L · L is not always x), and so may the file's own numbers. Unit sizes are
 * `units.bohr` and `units.hartree` (CODATA 2018), see `file-units.ts`; an unknown unit is
 * `E_UNIT`.
 *
 * **Decisions on n2p2's quirks** (spec §7):
 * - Blank lines are accepted and skipped on read (Q7, a superset of n2p2); never written.
 * - Fortran `d` exponents (`1.0d-3`) are read as `e` (`1.0e-3`). n2p2's `atof` would stop at the
 *   `d` and read `1.0` (Q2); polymorph reads the value the author meant, so such files differ
 *   from n2p2's reading of them.
 * - Malformed input (non-numeric fields, `inf`/`nan`, unknown or wrongly cased elements, atom
 *   lines with fewer than 10 fields, 1, 2 or 4 lattice lines, nested `begin`, lines outside a
 *   block, a missing `end`) raises a {@link ParseError} instead of n2p2's silent zero or abort.
 * - Periodic atoms outside the cell are kept where the file puts them. n2p2 wraps them into the
 *   cell on read; polymorph never moves atoms silently (call `structure.wrap()` to do so).
 * - Each structure needs at least one `atom` line.
 * - Several `comment`, `energy` or `charge` lines: the last wins, as in n2p2.
 * - Extra fields after the ninth of an `atom` line or the third of a `lattice` line are ignored,
 *   as in n2p2.
 *
 * **Writer.** The layout of spec §4.2, one `\n` per line, numbers as C `%24.16E` (17 significant
 * digits, so doubles round-trip exactly), symbols as `%2s`. Atomic charges and forces that the
 * structure does not have are written as 0 (n2p2 needs the columns). The `comment`, `energy` and
 * `charge` lines are written only when `info` has them (n2p2 reads a missing line as an empty
 * comment or a zero), so a missing label stays missing after a round trip instead of turning into a
 * silent zero. `begin set=train|test` is written when `info.set` says so. n2p2 cannot represent
 * mixed periodicity: a structure periodic in one or two directions is refused (`E_CELL`); a
 * non-periodic structure is written without `lattice` lines (its cell, if any, is dropped).
 *
 * @example
 * import { parseText, read, write } from 'polymorph/io';
 * const [s] = parseText('begin\natom 0 0 0 H 0 0 0 0 0\natom 0 0 0.74 H 0 0 0 0 0\nenergy -1.17\nend\n', { format: 'n2p2' });
 * s.info.energy; // -1.17 (eV: the default units are Å and eV)
 * const water = read('H2O_RPBE-D3/input.data', { format: 'n2p2', lengthUnit: 'Bohr', energyUnit: 'Hartree' }); // now Å, eV, eV/Å
 * write('input.data', water, { format: 'n2p2', lengthUnit: 'Bohr', energyUnit: 'Hartree' });                    // back in Bohr and Hartree
 * @module
 */
import ndarray from 'ndarray';
import { ParseError, PolymorphError } from '../core/errors';
import { isChemicalSymbol } from '../structure/elements';
import { InfoValue, Structure } from '../structure/structure';
import { fileEnergyUnitInEv, fileLengthUnitInAngstrom } from './file-units';
import type { Format, FrameParser, ReadOptions, WriteOptions } from './format';
import { checkFormatOptions } from './options';
import { formatE, parseReal, splitFields, Where } from './tokens';

/** Factors from the file's units to Å and eV: positions and cell × length, energy × energy, forces × force. */
interface Scale {
  length: number;
  energy: number;
  force: number;
}

/** The {@link Scale} of the `lengthUnit` and `energyUnit` options (1, 1, 1 without them). */
function scaleOf(options: { lengthUnit?: ReadOptions['lengthUnit']; energyUnit?: ReadOptions['energyUnit'] }): Scale {
  const length = fileLengthUnitInAngstrom(options.lengthUnit ?? 'Angstrom', 'n2p2: lengthUnit');
  const energy = fileEnergyUnitInEv(options.energyUnit ?? 'eV', 'n2p2: energyUnit');
  return { length, energy, force: energy / length };
}

const times = (values: number[], factor: number): Float64Array => Float64Array.from(values, (x) => x * factor);

/** The labels `begin` may carry. */
const SETS = ['train', 'test'] as const;

/** One structure being read: everything between `begin` and `end`. */
interface Block {
  beginLine: number;
  set?: (typeof SETS)[number];
  comment?: string;
  lattice: number[];
  latticeLines: number;
  positions: number[];
  symbols: string[];
  charges: number[];
  forces: number[];
  energy?: number;
  charge?: number;
}

/**
 * The comment text as n2p2 stores it: the raw line without the first occurrence of `comment`
 * and the single character after it (leading blanks before the keyword, further blanks after it
 * and trailing blanks survive).
 * @example commentText('comment  frame 26') // ' frame 26'
 */
export function commentText(line: string): string {
  const at = line.indexOf('comment');
  return line.slice(0, at) + line.slice(at + 'comment'.length + 1);
}

/** `begin [set=train|set=test]` → a fresh block. */
function beginBlock(fields: string[], where: Where, line: string): Block {
  const block: Block = { beginLine: where.line, lattice: [], latticeLines: 0, positions: [], symbols: [], charges: [], forces: [] };
  if (fields.length > 2) throw new ParseError(where.file, where.line, "'begin' followed by at most one of set=train, set=test", line);
  if (fields.length === 2) {
    const set = SETS.find((s) => fields[1] === `set=${s}`);
    if (set === undefined) throw new ParseError(where.file, where.line, "'set=train' or 'set=test' after 'begin'", fields[1]);
    block.set = set;
  }
  return block;
}

/** `lattice ax ay az`: one more cell row (at most three). */
function addLattice(block: Block, fields: string[], where: Where): void {
  if (block.latticeLines === 3) {
    throw new ParseError(where.file, where.line, `exactly 3 'lattice' lines per structure (a 4th found in the structure begun on line ${block.beginLine})`, fields.join(' '));
  }
  block.latticeLines++;
  for (let k = 1; k <= 3; ++k) block.lattice.push(parseReal(fields[k], where, `lattice vector component ${k} of 3`));
}

/** `atom x y z sym q n fx fy fz`: one atom (column 6 is ignored). */
function addAtom(block: Block, fields: string[], where: Where, line: string): void {
  if (fields.length < 10) {
    throw new ParseError(where.file, where.line, `an atom line with 10 fields 'atom x y z element charge energy fx fy fz' (found ${fields.length})`, line);
  }
  for (let k = 1; k <= 3; ++k) block.positions.push(parseReal(fields[k], where, `atom coordinate ${'xyz'[k - 1]}`));
  const symbol = fields[4];
  if (!isChemicalSymbol(symbol)) throw new ParseError(where.file, where.line, "a chemical symbol in column 4 of the atom line (case-sensitive, e.g. 'Zn')", symbol);
  block.symbols.push(symbol);
  block.charges.push(parseReal(fields[5], where, 'atomic charge (column 5)'));
  parseReal(fields[6], where, 'atomic energy (column 6, ignored but must be a number)');
  for (let k = 7; k <= 9; ++k) block.forces.push(parseReal(fields[k], where, `force component ${'xyz'[k - 7]} (column ${k})`));
}

/** A single real number after a keyword (`energy E`, `charge Q`). */
function keywordValue(fields: string[], where: Where, what: string): number {
  if (fields.length < 2) throw new ParseError(where.file, where.line, `${what} after '${fields[0]}'`, fields.join(' '));
  return parseReal(fields[1], where, what);
}

/** `end`: checks the block and builds the Structure. */
function finishBlock(block: Block, where: Where, scale: Scale): Structure {
  const n = block.symbols.length;
  if (block.latticeLines !== 0 && block.latticeLines !== 3) {
    throw new ParseError(where.file, where.line, `0 or 3 'lattice' lines in the structure begun on line ${block.beginLine} (found ${block.latticeLines})`, 'end');
  }
  if (n === 0) throw new ParseError(where.file, where.line, `at least one 'atom' line in the structure begun on line ${block.beginLine}`, 'end');
  const info: Record<string, InfoValue> = {};
  if (block.comment !== undefined) info.comment = block.comment;
  if (block.energy !== undefined) info.energy = block.energy * scale.energy;
  if (block.charge !== undefined) info.charge = block.charge;
  if (block.set !== undefined) info.set = block.set;
  const periodic = block.latticeLines === 3;
  try {
    return new Structure({
      positions: ndarray(times(block.positions, scale.length), [n, 3]),
      symbols: block.symbols,
      cell: periodic ? ndarray(times(block.lattice, scale.length), [3, 3]) : null,
      pbc: periodic,
      charges: Float64Array.from(block.charges),
      info,
      arrays: { forces: ndarray(times(block.forces, scale.force), [n, 3]) },
    });
  } catch (error) {
    if (!(error instanceof PolymorphError)) throw error;
    const e = new ParseError(where.file, where.line, `a valid structure (begun on line ${block.beginLine}): ${error.message}`);
    (e as { cause?: unknown }).cause = error;
    throw e;
  }
}

/** Push parser for `input.data`: returns each structure at its `end` line. */
class N2p2Parser implements FrameParser {
  private block: Block | null = null;

  constructor(private readonly file: string, private readonly scale: Scale) {}

  push(line: string, lineNumber: number): Structure | undefined {
    const fields = splitFields(line);
    if (fields.length === 0) return undefined;
    const where: Where = { file: this.file, line: lineNumber };
    const keyword = fields[0];
    const block = this.block;
    if (block === null) {
      if (keyword !== 'begin') throw new ParseError(this.file, lineNumber, "'begin' (every line outside a structure must start a new one)", line);
      this.block = beginBlock(fields, where, line);
      return undefined;
    }
    switch (keyword) {
      case 'begin':
        throw new ParseError(this.file, lineNumber, `'end' of the structure begun on line ${block.beginLine} before the next 'begin'`, line);
      case 'comment':
        block.comment = commentText(line);
        return undefined;
      case 'lattice':
        addLattice(block, fields, where);
        return undefined;
      case 'atom':
        addAtom(block, fields, where, line);
        return undefined;
      case 'energy':
        block.energy = keywordValue(fields, where, 'the total energy');
        return undefined;
      case 'charge':
        block.charge = keywordValue(fields, where, 'the total charge');
        return undefined;
      case 'end':
        this.block = null;
        return finishBlock(block, where, this.scale);
      default:
        throw new ParseError(this.file, lineNumber, "a line starting with comment, lattice, atom, energy, charge or end", line);
    }
  }

  end(lastLine: number): Structure | undefined {
    if (this.block !== null) {
      throw new ParseError(this.file, lastLine, `'end' of the structure begun on line ${this.block.beginLine}`, '<end of file>');
    }
    return undefined;
  }
}

/** C's `%24.16E` (17 significant digits), keeping the sign of −0 as printf does. */
function real(x: number): string {
  return Object.is(x, -0) ? formatE(0).replace(' 0', '-0') : formatE(x);
}

/** A finite number for `%24.16E`, or an error naming the quantity. */
function finite(x: number, what: string): string {
  if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `n2p2: ${what} must be a finite number, got ${x}`);
  return real(x);
}

/** `info[key]` as a number, or undefined; anything else is an error. */
function infoNumber(s: Structure, key: string): number | undefined {
  const v = s.info[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new PolymorphError('E_VALUE', `n2p2: info.${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** The `begin` line (with the set label) and the `comment` line, if any. */
function headerLines(s: Structure): string[] {
  const out: string[] = [];
  const set = s.info.set;
  if (set === undefined) out.push('begin');
  else if (set === 'train' || set === 'test') out.push(`begin set=${set}`);
  else throw new PolymorphError('E_VALUE', `n2p2: info.set must be 'train' or 'test' (the only labels 'begin' can carry), got ${JSON.stringify(set)}; delete it to write the structure`);
  const comment = s.info.comment;
  if (comment !== undefined) {
    if (typeof comment !== 'string') throw new PolymorphError('E_VALUE', `n2p2: info.comment must be a string, got ${JSON.stringify(comment)}`);
    if (/[\r\n]/.test(comment)) throw new PolymorphError('E_VALUE', 'n2p2: info.comment must be a single line (it contains a line break)');
    out.push(`comment ${comment}`);
  }
  return out;
}

/** The three `lattice` lines of a fully periodic structure; none for an open one. */
function latticeLines(s: Structure, scale: Scale): string[] {
  const periodic = s.pbc.filter((p) => p).length;
  if (periodic === 0) return [];
  if (periodic !== 3) {
    throw new PolymorphError('E_CELL', `n2p2: a structure is periodic in all three directions or in none; this one has pbc [${s.pbc.join(', ')}]`);
  }
  const m = s.cellMatrix();
  const entry = (k: number): string => finite(m[k] / scale.length, 'cell');
  return [0, 1, 2].map((i) => `lattice ${entry(3 * i)} ${entry(3 * i + 1)} ${entry(3 * i + 2)}`);
}

/** Reference forces `[N,3]` as a getter, zeros when the structure has none. */
function forceGetter(s: Structure): (i: number, k: number) => number {
  const f = s.arrays.forces;
  if (f === undefined) return () => 0;
  if (Array.isArray(f) || f.shape.length !== 2 || f.shape[1] !== 3) {
    throw new PolymorphError('E_SHAPE', `n2p2: arrays.forces must be a numeric [${s.length}, 3] array`);
  }
  return (i, k) => f.get(i, k);
}

/** One `atom` line per atom: `%24.16E` ×3, `%2s`, `%24.16E` ×5. */
function atomLines(s: Structure, scale: Scale): string[] {
  const force = forceGetter(s);
  const symbols = s.symbols;
  const zero = real(0);
  const out: string[] = [];
  for (let i = 0; i < s.length; ++i) {
    const r = [0, 1, 2].map((k) => real(s.positions.get(i, k) / scale.length));
    const q = finite(s.charges ? s.charges[i] : 0, 'charge');
    const f = [0, 1, 2].map((k) => finite(force(i, k) / scale.force, 'force'));
    out.push(`atom ${r.join(' ')} ${symbols[i].padStart(2)} ${q} ${zero} ${f.join(' ')}`);
  }
  return out;
}

/**
 * The text of one structure in `input.data` format (spec §4.2), ending with `end\n`. With
 * `lengthUnit`/`energyUnit`, positions and cell (Å), `info.energy` (eV) and forces (eV/Å) are
 * written in those units (see the module documentation); charges (e) as they are.
 * @example
 * formatN2p2(s) // 'begin\ncomment …\nlattice   5.0000000000000000E+00 …\natom … Zn …\nenergy …\nend\n'
 * formatN2p2(s, { lengthUnit: 'Bohr', energyUnit: 'Hartree' }) // the same structure in atomic units
 */
export function formatN2p2(s: Structure, options: Pick<WriteOptions, 'lengthUnit' | 'energyUnit'> = {}): string {
  const scale = scaleOf(checkFormatOptions(options, 'write', n2p2Format, 'formatN2p2'));
  const lines = [...headerLines(s), ...latticeLines(s, scale), ...atomLines(s, scale)];
  const energy = infoNumber(s, 'energy');
  if (energy !== undefined) lines.push(`energy ${finite(energy / scale.energy, 'info.energy')}`);
  const charge = infoNumber(s, 'charge');
  if (charge !== undefined) lines.push(`charge ${finite(charge, 'info.charge')}`);
  lines.push('end');
  return `${lines.join('\n')}\n`;
}

/** The n2p2 `input.data` format (many structures per file). */
export const n2p2Format: Format = {
  name: 'n2p2',
  multiFrame: true,
  readOptions: ['lengthUnit', 'energyUnit'],
  writeOptions: ['lengthUnit', 'energyUnit'],
  createParser(file: string, options: ReadOptions): FrameParser {
    return new N2p2Parser(file, scaleOf(options));
  },
  formatFrame(structure: Structure, options: WriteOptions, _frame: number): string {
    return formatN2p2(structure, { lengthUnit: options.lengthUnit, energyUnit: options.energyUnit });
  },
};

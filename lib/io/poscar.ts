/**
 * VASP POSCAR / CONTCAR: one periodic structure per file.
 *
 * ```text
 * ZnO wurtzite                    comment (→ info.comment)
 * 1.0                             scale: s > 0, −V (target volume, Å³), or sx sy sz (VASP 6)
 *   3.25  0.00  0.00              lattice vectors a, b, c (rows; × scale)
 *  -1.625 2.81  0.00
 *   0.00  0.00  5.21
 * Zn O                            species line (VASP 5+; absent in VASP 4)
 * 2 2                             atoms per species
 * Selective dynamics              optional
 * Direct                          or Cartesian (first letter C, c, K or k)
 *   0.3333 0.6667 0.0000 T T F    positions (fractional, or Å × scale), flags if selective
 *   ...
 *                                 optional CONTCAR velocity block: a blank (or `Cartesian`) line,
 *   1.0E-03 2.0E-03 0.0           then one line per atom, Cartesian Å/fs (never scaled)
 * ```
 *
 * Reading:
 * - The scale factor multiplies the lattice vectors and Cartesian positions; a negative value is
 *   the target cell volume (Å³; the factor is (V/|det L|)^⅓); three positive values scale the x, y
 *   and z components separately (VASP 6). Direct coordinates are fractional and never scaled.
 * - VASP 4 files have no species line. Their species come from `options.types` (one symbol per
 *   count, e.g. `{ types: ['Zn', 'O'] }`) or, failing that, from the first words of the comment line
 *   if they are chemical symbols (`Zn O wurtzite`); otherwise a {@link ParseError} says so. For
 *   VASP 5 files the species line wins and `types` is not used.
 * - Species names may carry POTCAR suffixes (`Zn_pv`, `O_s`, `Si/7a0c…` as VASP 6 writes them):
 *   the element is the part before the first `_` or `/`. Symbols are case-sensitive.
 * - `Selective dynamics` flags (T = free to move) go to `arrays.selective_dynamics`, a Uint8
 *   ndarray `[N,3]` (1 = T, 0 = F). Fortran spellings `T`, `F`, `.TRUE.`, `.FALSE.`, `.T.`, `.F.`
 *   (any case) are accepted.
 * - After the positions, CONTCAR may hold a lattice-velocity block (`Lattice velocities and
 *   vectors`, 8 lines; skipped) and the ion velocities: VASP writes them in Cartesian Å/fs — the
 *   unit polymorph uses — after a blank line; they become `velocities` unchanged. Velocities in
 *   direct coordinates (lattice vectors per time step) would need the time step POTIM, which the
 *   file does not hold, so they are refused with a ParseError. Anything after a blank line that
 *   follows the velocities (VASP's predictor-corrector block of MD runs) is ignored.
 * - Fields after the coordinates and flags (e.g. `Zn` labels written by pymatgen) and words after
 *   `!` or `#` on the count lines are ignored. The structure is periodic in all directions.
 * - Anything else that is off — a missing or non-numeric field, a scale line with two numbers or
 *   a negative one among three, a singular cell, unknown elements, counts that do not match the
 *   species or the position lines, bad flags, a truncated file — raises a {@link ParseError} with
 *   the file, the line and what was expected.
 *
 * Writing (`formatFrame`): comment (`info.comment`, else the species names), scale `1.0`, the cell,
 * species and counts lines, `Selective dynamics` if the structure has `arrays.selective_dynamics`,
 * then positions as `Direct` (default) or `Cartesian` (`{ direct: false }`, in Å) with 17
 * significant digits, so every written number reads back as the same double (Cartesian files
 * round-trip positions bit for bit; direct ones go through r = f·cell and agree to rounding),
 * then the velocities (Å/fs) after a blank line if the structure has them.
 *
 * Atom order: VASP needs the atoms of one species entry to be contiguous. Like ASE's
 * `write_vasp` (default `sort=False`), the writer keeps the atoms in their order and writes one
 * species entry per run of equal symbols, so `Zn O Zn` atoms give the species line `Zn O Zn` with
 * counts `1 1 1` — valid for VASP if the POTCAR repeats the species the same way. To write one
 * entry per element instead, regroup first with {@link groupBySpecies} (which changes the order).
 *
 * Charges, masses, forces and other labels have no place in a POSCAR and are not written; `pbc`
 * is always read back as periodic.
 *
 * @example
 * import { parseText, formatText } from 'polymorph/io';
 * const [s] = parseText('Si\n5.43\n0 .5 .5\n.5 0 .5\n.5 .5 0\nSi\n2\nDirect\n0 0 0\n.25 .25 .25\n', { format: 'poscar' });
 * s.volume; // 40.03 Å³
 * formatText(groupBySpecies(s), { format: 'poscar', direct: false });
 * @module
 */
import ndarray from 'ndarray';
import { ParseError, PolymorphError } from '../core/errors';
import { determinant3, isSingular } from '../structure/cell';
import { isChemicalSymbol } from '../structure/elements';
import { AtomArray, InfoValue, Structure } from '../structure/structure';
import type { Format, FrameParser, ReadOptions, WriteOptions } from './format';
import { checkFormatOptions } from './options';
import { formatE, parseInteger, parseReal, splitFields } from './tokens';

/** One line of the file with its 1-based number. */
interface Line {
  text: string;
  number: number;
}

/** Reads the stored lines in order; running past the end is a ParseError. */
class Cursor {
  private index = 0;

  constructor(
    readonly file: string,
    private readonly lines: readonly Line[],
    private readonly lastLine: number,
  ) {}

  /** The next line, or a ParseError saying `what` was expected at the end of the file. */
  next(what: string): Line {
    const line = this.lines[this.index];
    if (line === undefined) throw new ParseError(this.file, this.lastLine, what, '<end of file>');
    this.index++;
    return line;
  }

  /** The next line without consuming it. */
  peek(): Line | undefined {
    return this.lines[this.index];
  }

  /** Number of lines not read yet. */
  get remaining(): number {
    return this.lines.length - this.index;
  }

  /** Skips `count` lines, each described by `what`. */
  skip(count: number, what: string): void {
    for (let k = 0; k < count; ++k) this.next(what);
  }
}

/** Fields of a line up to the first one starting a comment (`!` or `#`). */
function fieldsBeforeComment(text: string): string[] {
  const fields = splitFields(text);
  const cut = fields.findIndex((f) => f.startsWith('!') || f.startsWith('#'));
  return cut < 0 ? fields : fields.slice(0, cut);
}

/** The scale line, resolved later against the lattice: a uniform factor, a target volume or per-axis factors. */
type Scale = { kind: 'uniform'; factor: number } | { kind: 'volume'; volume: number } | { kind: 'axes'; factors: [number, number, number] };

/**
 * Line 2: one number (factor, or −volume in Å³ if negative) or three positive numbers (VASP 6).
 * Words after the numbers are ignored.
 */
function readScale(cursor: Cursor): Scale {
  const line = cursor.next('the scale factor (line 2)');
  const where = { file: cursor.file, line: line.number };
  const fields = fieldsBeforeComment(line.text);
  let count = fields.findIndex((f) => !/^[+-]?\.?\d/.test(f));
  if (count < 0) count = fields.length;
  const values = fields.slice(0, count).map((f) => parseReal(f, where, 'scale factor'));
  const expected = 'one scale factor (negative: the cell volume in Å³) or three positive ones';
  if (values.length === 1) {
    const [s] = values;
    if (s === 0) throw new ParseError(cursor.file, line.number, `${expected}, not zero`, line.text);
    return s > 0 ? { kind: 'uniform', factor: s } : { kind: 'volume', volume: -s };
  }
  if (values.length === 3 && values.every((s) => s > 0)) return { kind: 'axes', factors: [values[0], values[1], values[2]] };
  throw new ParseError(cursor.file, line.number, expected, line.text);
}

/** Lines 3–5: the three lattice vectors as rows (before scaling), and the first line's number. */
function readLattice(cursor: Cursor): { rows: number[]; line: number } {
  const rows: number[] = [];
  let first = 0;
  for (let i = 0; i < 3; ++i) {
    const line = cursor.next(`lattice vector ${'abc'[i]} (3 numbers)`);
    if (i === 0) first = line.number;
    const fields = splitFields(line.text);
    const where = { file: cursor.file, line: line.number };
    for (let k = 0; k < 3; ++k) rows.push(parseReal(fields[k], where, `component ${'xyz'[k]} of lattice vector ${'abc'[i]}`));
  }
  return { rows, line: first };
}

/**
 * Applies the scale to the lattice: the cell (Å) and the factors (per Cartesian axis) that also
 * scale Cartesian positions.
 */
function scaleLattice(rows: number[], scale: Scale, file: string, line: number): { cell: number[]; factors: [number, number, number] } {
  if (isSingular(rows)) throw new ParseError(file, line, 'three linearly independent lattice vectors (the cell is singular)', rows.join(' '));
  let factors: [number, number, number];
  if (scale.kind === 'axes') factors = scale.factors;
  else {
    const s = scale.kind === 'uniform' ? scale.factor : Math.cbrt(scale.volume / Math.abs(determinant3(rows)));
    factors = [s, s, s];
  }
  const cell = rows.map((x, j) => x * factors[j % 3]);
  if (!cell.every(Number.isFinite)) throw new ParseError(file, line, 'a cell of finite size (the scaled lattice vectors overflow)', cell.join(' '));
  return { cell, factors };
}

/** The element named by a species entry, without POTCAR suffixes (`Zn_pv` → `Zn`, `Si/7a0c` → `Si`). */
function elementOf(name: string): string {
  return name.split(/[_/]/)[0];
}

/** Species entries and counts, from the species line (VASP 5) or from `types` / the comment (VASP 4). */
interface Species {
  symbols: string[];
  counts: number[];
  /** The counts line. */
  line: Line;
}

/** The counts line: non-negative integers, at least one atom in total. */
function parseCounts(line: Line, file: string): number[] {
  const where = { file, line: line.number };
  const fields = fieldsBeforeComment(line.text);
  if (fields.length === 0) throw new ParseError(file, line.number, 'the number of atoms of each species', line.text);
  const counts = fields.map((f, k) => parseInteger(f, where, `number of atoms of species ${k + 1}`, 0));
  if (counts.every((c) => c === 0)) throw new ParseError(file, line.number, 'at least one atom', line.text);
  return counts;
}

/** Checks that every name is a chemical symbol; `what` says where the names came from. */
function checkElements(names: string[], file: string, line: number, what: string): string[] {
  const symbols = names.map(elementOf);
  const bad = symbols.findIndex((s) => !isChemicalSymbol(s));
  if (bad >= 0) throw new ParseError(file, line, `${what}: chemical symbols (case-sensitive, e.g. 'Zn O')`, names[bad]);
  return symbols;
}

/** VASP 4: species from `options.types`, else from the first words of the comment line. */
function vasp4Species(counts: number[], comment: Line, countsLine: Line, file: string, types: readonly string[] | undefined): string[] {
  const k = counts.length;
  if (types !== undefined) {
    if (types.length !== k) {
      throw new ParseError(file, countsLine.number, `one element in options.types per species count (${k} counts, ${types.length} types given)`, countsLine.text);
    }
    return checkElements([...types], file, countsLine.number, 'options.types');
  }
  const words = splitFields(comment.text).slice(0, k);
  if (words.length === k && words.every((w) => isChemicalSymbol(elementOf(w)))) return words.map(elementOf);
  throw new ParseError(
    file,
    countsLine.number,
    `a species line before the counts (VASP 5), or the element names: this is a VASP 4 file; pass { types: [${k} symbols] } or start the comment line with the ${k} element symbols`,
    countsLine.text,
  );
}

/** Line 6 (and 7): the species names and counts, VASP 5 or VASP 4. */
function readSpecies(cursor: Cursor, comment: Line, types: readonly string[] | undefined): Species {
  const line = cursor.next('the species names or the numbers of atoms (line 6)');
  const fields = fieldsBeforeComment(line.text);
  if (fields.length === 0) throw new ParseError(cursor.file, line.number, 'the species names (e.g. Zn O) or the numbers of atoms', line.text);
  if (/^[+-]?\d+$/.test(fields[0])) {
    const counts = parseCounts(line, cursor.file);
    return { symbols: vasp4Species(counts, comment, line, cursor.file, types), counts, line };
  }
  const symbols = checkElements(fields, cursor.file, line.number, 'species names');
  const countsLine = cursor.next(`the number of atoms of each species (${symbols.join(' ')})`);
  const counts = parseCounts(countsLine, cursor.file);
  if (counts.length !== symbols.length) {
    throw new ParseError(cursor.file, countsLine.number, `${symbols.length} atom counts, one per species (${symbols.join(' ')})`, countsLine.text);
  }
  return { symbols, counts, line: countsLine };
}

/** The optional `Selective dynamics` line and the `Direct` / `Cartesian` line. */
function readMode(cursor: Cursor): { selective: boolean; cartesian: boolean } {
  let line = cursor.next("'Selective dynamics', 'Direct' or 'Cartesian'");
  const selective = /^[sS]/.test(line.text.trim());
  if (selective) line = cursor.next("'Direct' or 'Cartesian' after 'Selective dynamics'");
  const mode = line.text.trim();
  if (/^[cCkK]/.test(mode)) return { selective, cartesian: true };
  if (/^[dD]/.test(mode)) return { selective, cartesian: false };
  throw new ParseError(cursor.file, line.number, `'Direct' or 'Cartesian'${selective ? '' : " (or 'Selective dynamics')"} before the positions`, line.text);
}

/** A Fortran logical selective-dynamics flag: 1 for T (free), 0 for F (fixed). */
function parseFlag(token: string | undefined, file: string, line: number, k: number): number {
  const t = token?.toUpperCase();
  if (t === 'T' || t === '.T.' || t === '.TRUE.') return 1;
  if (t === 'F' || t === '.F.' || t === '.FALSE.') return 0;
  throw new ParseError(file, line, `selective-dynamics flag ${k + 1} of 3 (T or F)`, token ?? '<end of line>');
}

/** N position lines: raw coordinates (fractional or unscaled Cartesian), flags if selective, first line number. */
function readPositions(cursor: Cursor, n: number, selective: boolean): { coords: Float64Array; flags: Uint8Array | null; firstLine: number } {
  const firstLine = cursor.peek()?.number ?? 0;
  const coords = new Float64Array(3 * n);
  const flags = selective ? new Uint8Array(3 * n) : null;
  for (let i = 0; i < n; ++i) {
    const line = cursor.next(`position of atom ${i + 1} of ${n}`);
    const fields = splitFields(line.text);
    const where = { file: cursor.file, line: line.number };
    for (let k = 0; k < 3; ++k) coords[3 * i + k] = parseReal(fields[k], where, `coordinate ${k + 1} of atom ${i + 1}`);
    if (flags) for (let k = 0; k < 3; ++k) flags[3 * i + k] = parseFlag(fields[3 + k], cursor.file, line.number, k);
  }
  return { coords, flags, firstLine };
}

/**
 * The optional CONTCAR tail: the lattice-velocity block (skipped), then Cartesian velocities in
 * Å/fs after a blank or `Cartesian` line. Returns null when there are none.
 */
function readVelocities(cursor: Cursor, n: number): Float64Array | null {
  const next = cursor.peek();
  if (next !== undefined && /^[lL]/.test(next.text.trim())) cursor.skip(8, "the 8 lines of the 'Lattice velocities and vectors' block");
  const modeLine = cursor.peek();
  if (modeLine === undefined) return null;
  cursor.next('the velocity header');
  const mode = modeLine.text.trim();
  if (/^[dD]/.test(mode)) {
    throw new ParseError(cursor.file, modeLine.number, 'Cartesian velocities in Å/fs (velocities in direct coordinates need the time step POTIM, which a POSCAR does not hold)', modeLine.text);
  }
  if (mode !== '' && !/^[cCkK]/.test(mode)) {
    throw new ParseError(cursor.file, modeLine.number, `a blank line, 'Cartesian' or 'Lattice velocities and vectors' after the ${n} positions (do the atom counts match the position lines?)`, modeLine.text);
  }
  const first = cursor.peek();
  if (mode === '' && (first === undefined || first.text.trim() === '')) return null;
  const velocities = new Float64Array(3 * n);
  for (let i = 0; i < n; ++i) {
    const line = cursor.next(`velocity of atom ${i + 1} of ${n} (3 numbers, Å/fs)`);
    const fields = splitFields(line.text);
    const where = { file: cursor.file, line: line.number };
    for (let k = 0; k < 3; ++k) velocities[3 * i + k] = parseReal(fields[k], where, `velocity component ${'xyz'[k]} of atom ${i + 1} (Å/fs)`);
  }
  const after = cursor.peek();
  if (after !== undefined && after.text.trim() !== '') {
    throw new ParseError(cursor.file, after.number, `a blank line or the end of the file after the ${n} velocities (are there more velocity lines than atoms?)`, after.text);
  }
  return velocities;
}

/** Cartesian positions (Å): r = f·cell for direct coordinates, r_k = c_k·factor_k for Cartesian ones. */
function cartesianPositions(coords: Float64Array, cartesian: boolean, cell: number[], factors: number[]): Float64Array {
  const n = coords.length / 3;
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; ++i) {
    const [a, b, c] = [coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]];
    for (let k = 0; k < 3; ++k) {
      out[3 * i + k] = cartesian ? coords[3 * i + k] * factors[k] : a * cell[k] + b * cell[3 + k] + c * cell[6 + k];
    }
  }
  return out;
}

/** Parses the whole file (the parser calls this at the end of input). */
function parsePoscar(cursor: Cursor, options: ReadOptions): Structure {
  const comment = cursor.next('a POSCAR file: comment line, scale factor, 3 lattice vectors, species, counts, positions');
  const scale = readScale(cursor);
  const lattice = readLattice(cursor);
  const { cell, factors } = scaleLattice(lattice.rows, scale, cursor.file, lattice.line);
  const species = readSpecies(cursor, comment, options.types);
  const n = species.counts.reduce((a, b) => a + b, 0);
  const { selective, cartesian } = readMode(cursor);
  if (n > cursor.remaining) {
    throw new ParseError(cursor.file, species.line.number, `atom counts that the ${cursor.remaining} remaining lines can hold (they add up to ${n} atoms)`, species.line.text);
  }
  const { coords, flags, firstLine } = readPositions(cursor, n, selective);
  const velocities = readVelocities(cursor, n);
  const positions = cartesianPositions(coords, cartesian, cell, factors);
  const bad = positions.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new ParseError(cursor.file, firstLine + Math.floor(bad / 3), 'a position of finite size (the scaled coordinates overflow)');
  const symbols = species.symbols.flatMap((s, k) => Array<string>(species.counts[k]).fill(s));
  const info: Record<string, InfoValue> = { comment: comment.text };
  const arrays: Record<string, AtomArray> = flags ? { selective_dynamics: ndarray(flags, [n, 3]) } : {};
  try {
    return new Structure({
      positions: ndarray(positions, [n, 3]),
      symbols,
      cell: ndarray(Float64Array.from(cell), [3, 3]),
      pbc: true,
      velocities: velocities ? ndarray(velocities, [n, 3]) : null,
      info,
      arrays,
    });
  } catch (error) {
    if (!(error instanceof PolymorphError)) throw error;
    const e = new ParseError(cursor.file, 0, `a valid structure: ${error.message}`);
    (e as { cause?: unknown }).cause = error;
    throw e;
  }
}

/** Collects the lines; the structure is built at the end of input. */
class PoscarParser implements FrameParser {
  private readonly lines: Line[] = [];

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions,
  ) {}

  push(line: string, lineNumber: number): Structure | undefined {
    this.lines.push({ text: line, number: lineNumber });
    return undefined;
  }

  end(lastLine: number): Structure | undefined {
    return parsePoscar(new Cursor(this.file, this.lines, lastLine), this.options);
  }
}

/** Runs of equal consecutive symbols: `[['Zn', 2], ['O', 2]]`. */
export function speciesRuns(symbols: readonly string[]): [string, number][] {
  const runs: [string, number][] = [];
  for (const s of symbols) {
    const last = runs[runs.length - 1];
    if (last && last[0] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs;
}

/**
 * A copy with the atoms grouped by element in the order of first appearance, keeping their
 * relative order within each element (a stable regrouping), so a POSCAR gets one species entry
 * per element. Every per-atom array moves with its atom.
 * @example
 * groupBySpecies(s).symbols; // ['Zn', 'Zn', 'O', 'O'] for Zn O Zn O
 */
export function groupBySpecies(s: Structure): Structure {
  const symbols = s.symbols;
  const order = [...new Set(symbols)];
  const rank = new Map(order.map((sym, k) => [sym, k]));
  const indices = symbols.map((_, i) => i).sort((i, j) => rank.get(symbols[i])! - rank.get(symbols[j])! || i - j);
  return s.select(indices);
}

/** C's `%24.16E` (17 significant digits), keeping the sign of −0 as printf does. */
function real(x: number): string {
  return Object.is(x, -0) ? formatE(0).replace(' 0', '-0') : formatE(x);
}

/** A row of three numbers with 17 significant digits. */
function row(values: number[]): string {
  return values.map(real).join(' ');
}

/** The selective-dynamics flags as `T`/`F` getters, or null if the structure has none. */
function flagGetter(s: Structure): ((i: number, k: number) => string) | null {
  const a = s.arrays.selective_dynamics;
  if (a === undefined) return null;
  if (Array.isArray(a) || a.shape.length !== 2 || a.shape[1] !== 3) {
    throw new PolymorphError('E_SHAPE', `poscar: arrays.selective_dynamics must be a [${s.length}, 3] array of 0/1 (1 = free to move)`);
  }
  return (i, k) => {
    const v = a.get(i, k);
    if (v !== 0 && v !== 1) throw new PolymorphError('E_VALUE', `poscar: arrays.selective_dynamics[${i}][${k}] must be 0 or 1, got ${v}`);
    return v === 1 ? 'T' : 'F';
  };
}

/** The comment line: `info.comment` if it is one line of text, else the species names. */
function commentLine(s: Structure, runs: [string, number][]): string {
  const c = s.info.comment;
  if (c === undefined) return runs.map((r) => r[0]).join(' ');
  if (typeof c !== 'string') throw new PolymorphError('E_VALUE', `poscar: info.comment must be a string, got ${JSON.stringify(c)}`);
  if (/[\r\n]/.test(c)) throw new PolymorphError('E_VALUE', 'poscar: info.comment must be a single line (it contains a line break)');
  return c;
}

/**
 * The text of a POSCAR for `s` (see the module documentation for the layout).
 * @param direct fractional coordinates (default) or Cartesian Å.
 * @example
 * formatPoscar(s, { direct: false });
 */
export function formatPoscar(s: Structure, options: WriteOptions = {}): string {
  options = checkFormatOptions(options, 'write', poscarFormat, 'formatPoscar');
  if (s.cell === null) throw new PolymorphError('E_CELL', 'poscar: a POSCAR needs a cell; the structure has none');
  if (s.length === 0) throw new PolymorphError('E_EMPTY', 'poscar: the structure has no atoms');
  const direct = options.direct ?? true;
  const m = s.cellMatrix();
  const runs = speciesRuns(s.symbols);
  const flags = flagGetter(s);
  const coords = direct ? s.scaledPositions() : s.positions;
  const lines = [commentLine(s, runs), '1.0', ...[0, 1, 2].map((i) => `  ${row([m[3 * i], m[3 * i + 1], m[3 * i + 2]])}`)];
  lines.push(runs.map(([sym]) => sym.padStart(5)).join(''), runs.map(([, count]) => String(count).padStart(5)).join(''));
  if (flags) lines.push('Selective dynamics');
  lines.push(direct ? 'Direct' : 'Cartesian');
  for (let i = 0; i < s.length; ++i) {
    const r = `  ${row([0, 1, 2].map((k) => coords.get(i, k)))}`;
    lines.push(flags ? `${r} ${[0, 1, 2].map((k) => flags(i, k)).join(' ')}` : r);
  }
  const v = s.velocities;
  if (v) {
    lines.push('');
    for (let i = 0; i < s.length; ++i) lines.push(`  ${row([0, 1, 2].map((k) => v.get(i, k)))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The VASP POSCAR/CONTCAR format (one structure per file). */
export const poscarFormat: Format = {
  name: 'poscar',
  multiFrame: false,
  readOptions: ['types'],
  writeOptions: ['direct'],
  createParser(file: string, options: ReadOptions): FrameParser {
    return new PoscarParser(file, options);
  },
  formatFrame(structure: Structure, options: WriteOptions, _frame: number): string {
    return formatPoscar(structure, options);
  },
};

/**
 * Extended XYZ (`extxyz`), read and written as ASE ≥ 3.22 (`ase.io.extxyz`) does, so files move
 * between polymorph and ASE without loss.
 *
 * A frame is a count line, a comment line of `key=value` pairs and one line per atom:
 * ```text
 * 2
 * Lattice="3.61 0.0 0.0 0.0 3.61 0.0 0.0 0.0 3.61" Properties=species:S:1:pos:R:3:forces:R:3 energy=-7.5 pbc="T T T"
 * Cu       0.00000000       0.00000000       0.00000000       0.00000000       0.00000000       0.00000000
 * Cu       1.80500000       1.80500000       0.00000000       0.00000000       0.00000000       0.00000000
 * ```
 *
 * Mapping to {@link Structure} (units: Å, Å/fs, amu, e, eV):
 * - `Lattice="ax ay az bx by bz cx cy cz"` ↔ `cell` rows (Å); `pbc="T T F"` ↔ `pbc` (default: periodic
 *   when a Lattice is given, open otherwise, as in ASE).
 * - `Properties=name:type:columns:…` with types R (real), I (integer), S (string), L (logical):
 *   `species` (or `Z`) ↔ `numbers`, `pos` ↔ `positions`, `masses` ↔ `masses`, `initial_charges` ↔
 *   `charges`, `momenta` (ASE units, amu·Å per ASE time unit) ↔ `velocities` (Å/fs, v = p / m /
 *   {@link aseTimeUnitInFs}); every other column ↔ `arrays[name]` (R → Float64, I → Int32, L → Uint8
 *   ndarrays of shape `[N]` or `[N, k]`, S → `string[]`), e.g. `forces:R:3` ↔ `arrays.forces`.
 * - Other pairs ↔ `info`: integers and reals → numbers, several → `number[]`; `T`/`F`/`True`/… →
 *   booleans; quoted (`"…"`, `'…'`, `{…}`, `[…]`, `\` escapes) → strings; `_JSON …` → JSON values;
 *   a bare word → `true`. `stress` and `virial` (9 values, column-major as ASE writes them, or 6
 *   Voigt values xx yy zz yz xz xy) → `[3,3]` Float64 ndarrays (eV/Å³ for stress).
 *
 * The writer keeps ASE's layout (`%-2s` species, `%16.8f` reals, `%8d` integers, `Lattice`,
 * `Properties`, info, `pbc` last; ASE's key names and units) but writes any real that `%16.8f`
 * would round in its shortest exact form, so every number reads back bit for bit; a file ASE wrote
 * reads and writes back byte-identical. Momenta that no double can carry exactly (v → m·v·t → v
 * loses an ulp for about one velocity in five) are written with 21+ digits and divided exactly
 * on reading; ASE reads them as ordinary reals.
 *
 * Where polymorph differs from ASE: 6-value `stress`/`virial` are accepted (ASE refuses them);
 * an empty quoted value (`key=""`) ends at its closing quote (ASE runs on into the next item);
 * a comment line that cannot be split (an unmatched quote) and has no `=` is kept whole as
 * `info.comment` instead of being mangled; malformed input that ASE silently accepts (extra
 * columns beyond `Properties`, unknown logical values, unterminated quotes, NaN) is a ParseError;
 * the dummy element `X` (Z = 0), multi-column string properties and ASE's `VEC` cell lines are
 * not supported; `pbc="T T T"` without `Lattice` is a ParseError (a Structure needs a cell to be
 * periodic); ASE's move_mask constraints stay a plain logical array.
 * @example
 * import { read, write } from 'polymorph/io';
 * write('ZnO.xyz', structure);                     // Lattice, Properties=species:S:1:pos:R:3:…, pbc
 * const frames = readAll('md.xyz', { index: '::10' });
 * @module
 */
import ndarray from 'ndarray';
import { ParseError, PolymorphError } from '../core/errors';
import { atomicMasses, atomicNumber, maxAtomicNumber } from '../structure/elements';
import { AtomArray, Structure, StructureInit } from '../structure/structure';
import { Column, formatHeader, Header, parseHeader, propertiesSpec, RESERVED_COLUMNS } from './extxyz-header';
import { formatColumnReal, momentumText, velocityFromMomentum } from './extxyz-numbers';
import { Format, FrameParser, WriteOptions } from './format';
import { parseInteger, parseReal, splitFields, Where } from './tokens';

export { interpretValue, splitKeyValues } from './extxyz-header';
export type { KeyValue } from './extxyz-header';
export { momentumText, pythonFloat, velocityFromMomentum } from './extxyz-numbers';

// ---------------------------------------------------------------------------------------------
// Reading a frame
// ---------------------------------------------------------------------------------------------

/** Values of one column while a frame is read. */
type ColumnValues = number[] | string[];

const LOGICAL: ReadonlyMap<string, number> = new Map([['T', 1], ['F', 0], ['True', 1], ['False', 0]]);

/** ASE capitalises species (`ZN`, `zn` → `Zn`). */
function capitalize(symbol: string): string {
  return symbol.charAt(0).toUpperCase() + symbol.slice(1).toLowerCase();
}

/** Collects the atom lines of one frame and builds its Structure. */
class FrameBuilder {
  private readonly values: ColumnValues[];
  private readonly width: number;
  private atoms = 0;

  constructor(
    private readonly file: string,
    private readonly header: Header,
    private readonly natoms: number,
    private readonly countLine: number,
    private readonly headerLine: number,
  ) {
    this.values = header.columns.map(() => []);
    this.width = header.columns.reduce((sum, c) => sum + c.count, 0);
  }

  /** True once every atom line has arrived. */
  get complete(): boolean {
    return this.atoms === this.natoms;
  }

  /** Which atom line comes next, for messages. */
  get progress(): string {
    return `atom line ${this.atoms + 1} of ${this.natoms} of the frame that starts at line ${this.countLine}`;
  }

  /** Parses one atom line. */
  addAtom(line: string, lineNumber: number): void {
    const where: Where = { file: this.file, line: lineNumber };
    const fields = splitFields(line);
    if (this.header.explicit ? fields.length !== this.width : fields.length < this.width) {
      const spec = propertiesSpec(this.header.columns);
      throw new ParseError(this.file, lineNumber, `${this.width} columns (${spec}) on ${this.progress}, found ${fields.length}`, line);
    }
    let f = 0;
    this.header.columns.forEach((column, k) => {
      for (let c = 0; c < column.count; ++c, ++f) this.parseField(column, fields[f], f + 1, this.values[k], where);
    });
    this.atoms++;
  }

  private parseField(column: Column, token: string, position: number, out: ColumnValues, where: Where): void {
    const what = `${column.name} (column ${position})`;
    if (column.name === 'species') {
      try {
        (out as number[]).push(atomicNumber(capitalize(token)));
      } catch {
        throw new ParseError(where.file, where.line, `a chemical symbol in ${what}`, token);
      }
    } else if (column.name === 'Z') {
      const z = parseInteger(token, where, `an atomic number in ${what}`, 1);
      if (z > maxAtomicNumber) throw new ParseError(where.file, where.line, `an atomic number 1…${maxAtomicNumber} in ${what}`, token);
      (out as number[]).push(z);
    } else if (column.name === 'momenta') {
      parseReal(token, where, what);
      (out as string[]).push(token); // converted with the masses once the frame is complete
    } else if (column.type === 'R') {
      (out as number[]).push(parseReal(token, where, what));
    } else if (column.type === 'I') {
      const x = parseInteger(token, where, what);
      if (x < -2147483648 || x > 2147483647) throw new ParseError(where.file, where.line, `a 32-bit integer in ${what}`, token);
      (out as number[]).push(x);
    } else if (column.type === 'L') {
      const b = LOGICAL.get(token);
      if (b === undefined) throw new ParseError(where.file, where.line, `T or F in ${what}`, token);
      (out as number[]).push(b);
    } else {
      (out as string[]).push(token);
    }
  }

  /** The frame as a Structure (throws ParseError naming the comment line if it is inconsistent). */
  build(): Structure {
    const n = this.natoms;
    const byName = new Map(this.header.columns.map((c, k) => [c.name, this.values[k]]));
    const numbers = Int32Array.from((byName.get('Z') ?? byName.get('species')) as number[]);
    const masses = byName.has('masses') ? Float64Array.from(byName.get('masses') as number[]) : null;
    const init: StructureInit = {
      positions: ndarray(Float64Array.from(byName.get('pos') as number[]), [n, 3]),
      numbers,
      cell: this.header.cell,
      pbc: this.header.pbc,
      masses,
      charges: byName.has('initial_charges') ? Float64Array.from(byName.get('initial_charges') as number[]) : null,
      velocities: null,
      info: this.header.info,
      arrays: {},
    };
    const momenta = byName.get('momenta') as string[] | undefined;
    if (momenta) {
      const v = new Float64Array(3 * n);
      for (let i = 0; i < 3 * n; ++i) v[i] = velocityFromMomentum(momenta[i], masses ? masses[Math.floor(i / 3)] : atomicMasses[numbers[Math.floor(i / 3)]]);
      init.velocities = ndarray(v, [n, 3]);
    }
    const arrays: Record<string, AtomArray> = {};
    this.header.columns.forEach((column, k) => {
      if (!RESERVED_COLUMNS.has(column.name)) arrays[column.name] = toAtomArray(column, this.values[k], n);
    });
    init.arrays = arrays;
    try {
      return new Structure(init);
    } catch (error) {
      throw asParseError(error, this.file, this.headerLine);
    }
  }
}

/** A column's values as a per-atom array of the right kind and shape. */
function toAtomArray(column: Column, values: ColumnValues, n: number): AtomArray {
  if (column.type === 'S') return values as string[];
  const Ctor = column.type === 'R' ? Float64Array : column.type === 'I' ? Int32Array : Uint8Array;
  const data = Ctor.from(values as number[]);
  return ndarray(data, column.count === 1 ? [n] : [n, column.count]) as AtomArray;
}

/** Any error as a ParseError naming file and line (ParseErrors pass unchanged). */
function asParseError(error: unknown, file: string, line: number): ParseError {
  if (error instanceof ParseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const out = new ParseError(file, line, `a consistent frame (${message})`);
  (out as { cause?: unknown }).cause = error;
  return out;
}

/** The push parser: count line, comment line, atom lines, repeated; blank lines between frames are skipped. */
class ExtxyzParser implements FrameParser {
  private state: 'count' | 'comment' | 'atoms' = 'count';
  private natoms = 0;
  private countLine = 0;
  private frame: FrameBuilder | null = null;
  private previous: { line: number; natoms: number } | null = null;

  constructor(private readonly file: string) {}

  push(line: string, lineNumber: number): Structure | undefined {
    try {
      return this.step(line, lineNumber);
    } catch (error) {
      throw asParseError(error, this.file, lineNumber);
    }
  }

  end(lastLine: number): Structure | undefined {
    if (this.state === 'count') return undefined;
    const missing = this.state === 'comment' || this.frame === null
      ? `the comment line of the frame that starts at line ${this.countLine}`
      : this.frame.progress;
    throw new ParseError(this.file, lastLine + 1, missing, '<end of file>');
  }

  private step(line: string, lineNumber: number): Structure | undefined {
    if (this.state === 'count') return this.readCount(line, lineNumber);
    if (this.state === 'comment') {
      this.frame = new FrameBuilder(this.file, parseHeader(line, { file: this.file, line: lineNumber }), this.natoms, this.countLine, lineNumber);
      this.state = 'atoms';
    } else {
      (this.frame as FrameBuilder).addAtom(line, lineNumber);
    }
    return (this.frame as FrameBuilder).complete ? this.finish() : undefined;
  }

  private readCount(line: string, lineNumber: number): undefined {
    const fields = splitFields(line);
    if (fields.length === 0) return undefined;
    const hint = this.previous ? `; the frame at line ${this.previous.line} declared ${this.previous.natoms} atoms` : '';
    const what = `the number of atoms of a frame (a non-negative integer${hint})`;
    if (fields.length !== 1) throw new ParseError(this.file, lineNumber, what, line);
    this.natoms = parseInteger(fields[0], { file: this.file, line: lineNumber }, what, 0);
    this.countLine = lineNumber;
    this.state = 'comment';
    return undefined;
  }

  private finish(): Structure {
    const frame = this.frame as FrameBuilder;
    this.previous = { line: this.countLine, natoms: this.natoms };
    this.frame = null;
    this.state = 'count';
    return frame.build();
  }
}

// ---------------------------------------------------------------------------------------------
// Writing a frame
// ---------------------------------------------------------------------------------------------

/** One per-atom output column: its Properties entry and the text of atom i (fields joined by spaces). */
interface OutputColumn extends Column {
  text(i: number): string;
}

/** The Properties column of a per-atom array, with its formatter. */
function arrayColumn(name: string, array: AtomArray, n: number): OutputColumn {
  if (name === '' || /[\s:="'{}[\]\\,]/.test(name)) throw new PolymorphError('E_VALUE', `extxyz: array name ${JSON.stringify(name)} cannot be a property name (no spaces, ':', '=', quotes, brackets or commas)`);
  if (RESERVED_COLUMNS.has(name)) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name} clashes with the ${name} column the writer makes from the structure; rename it`);
  if (Array.isArray(array)) {
    const bad = array.findIndex((s) => typeof s !== 'string' || s === '' || /\s/.test(s));
    if (bad >= 0) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name}[${bad}] must be a non-empty string without whitespace, got ${JSON.stringify(array[bad])}`);
    return { name, type: 'S', count: 1, text: (i) => array[i] };
  }
  const count = array.shape.length === 2 ? array.shape[1] : 1;
  if (count < 1) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name} has no columns`);
  const get = (i: number, c: number): number => (array.shape.length === 2 ? array.get(i, c) : array.get(i));
  const fields = (i: number, f: (x: number) => string): string => joinFields(count, (c) => f(get(i, c)));
  if (array.data instanceof Float64Array) return { name, type: 'R', count, text: (i) => fields(i, formatColumnReal) };
  if (array.data instanceof Int32Array) return { name, type: 'I', count, text: (i) => fields(i, (x) => String(x).padStart(8)) };
  for (let i = 0; i < n; ++i) {
    for (let c = 0; c < count; ++c) {
      if (get(i, c) > 1) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name} is logical (Uint8); expected 0 or 1, got ${get(i, c)}`);
    }
  }
  return { name, type: 'L', count, text: (i) => fields(i, (x) => (x ? ' T' : ' F')) };
}

/** Real columns from a `[N, k]` ndarray or a flat per-atom vector. */
function realColumn(name: string, count: number, get: (i: number, c: number) => number): OutputColumn {
  return { name, type: 'R', count, text: (i) => joinFields(count, (c) => formatColumnReal(get(i, c))) };
}

/** `count` fields joined by single spaces. */
function joinFields(count: number, field: (c: number) => string): string {
  let line = field(0);
  for (let c = 1; c < count; ++c) line += ` ${field(c)}`;
  return line;
}

/** Every column of a structure, in ASE's order: species, pos, then the rest. */
function outputColumns(s: Structure): OutputColumn[] {
  const symbols = s.symbols;
  const columns: OutputColumn[] = [
    { name: 'species', type: 'S', count: 1, text: (i) => symbols[i].padEnd(2) },
    realColumn('pos', 3, (i, c) => s.positions.get(i, c)),
  ];
  if (s.masses.some((m, i) => m !== atomicMasses[s.numbers[i]])) columns.push(realColumn('masses', 1, (i) => s.masses[i]));
  const charges = s.charges;
  if (charges) columns.push(realColumn('initial_charges', 1, (i) => charges[i]));
  const velocities = s.velocities;
  if (velocities) {
    columns.push({ name: 'momenta', type: 'R', count: 3, text: (i) => joinFields(3, (c) => momentumText(velocities.get(i, c), s.masses[i])) });
  }
  for (const [name, array] of Object.entries(s.arrays)) columns.push(arrayColumn(name, array, s.length));
  return columns;
}

/**
 * The text of one frame in extended XYZ, ending in a newline.
 * @throws PolymorphError `E_VALUE` for labels that cannot be written (names clashing with the
 * columns/keys the writer makes, strings with whitespace in a string column, non-finite info numbers).
 */
function formatExtxyzFrame(structure: Structure, _options: WriteOptions, _frame: number): string {
  const columns = outputColumns(structure);
  const lines = [String(structure.length), formatHeader(structure, columns)];
  for (let i = 0; i < structure.length; ++i) lines.push(columns.map((c) => c.text(i)).join(' '));
  return `${lines.join('\n')}\n`;
}

/**
 * The extended XYZ format (ASE ≥ 3.22 conventions); multi-frame, streamed one frame at a time.
 * @example
 * const parser = extxyzFormat.createParser('traj.xyz', {});
 * for (const [line, n] of linesOf(text)) { const frame = parser.push(line, n); if (frame) use(frame); }
 * parser.end(lastLine);
 */
export const extxyzFormat: Format = {
  name: 'extxyz',
  multiFrame: true,
  readOptions: [],
  writeOptions: [],
  createParser: (file: string) => new ExtxyzParser(file),
  formatFrame: formatExtxyzFrame,
};

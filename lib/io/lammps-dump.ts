/**
 * LAMMPS text dump files (`dump custom`, `dump atom`), metal units: trajectories, read frame by
 * frame.
 *
 * ```text
 * ITEM: UNITS                        optional (dump_modify units yes; once, at the start)
 * metal
 * ITEM: TIME                         optional (dump_modify time yes), ps
 * 0.002
 * ITEM: TIMESTEP
 * 2
 * ITEM: NUMBER OF ATOMS
 * 4
 * ITEM: BOX BOUNDS xy xz yz pp pp pp triclinic: bounding box and tilts (orthogonal: no "xy xz yz", 2 numbers a line)
 * -1.625 3.25 -1.625                 xlo_bound xhi_bound xy
 * 0 2.8146 0                         ylo_bound yhi_bound xz
 * 0 5.21 0                           zlo_bound zhi_bound yz
 * ITEM: ATOMS id type element x y z vx vy vz fx fy fz
 * 3 1 Zn 0 1.8764 2.605 …
 * …
 * ```
 *
 * Reading — each frame is returned as soon as its last atom line arrives:
 * - Box: an orthogonal box gives a = (xhi − xlo, 0, 0), b = (0, yhi − ylo, 0), c = (0, 0, zhi − zlo).
 *   A triclinic box is written as its bounding box, which is undone exactly as the dump
 *   documentation defines it: xlo = xlo_bound − min(0, xy, xz, xy + xz),
 *   xhi = xhi_bound − max(0, xy, xz, xy + xz), ylo = ylo_bound − min(0, yz),
 *   yhi = yhi_bound − max(0, yz); then a = (xhi − xlo, 0, 0), b = (xy, yhi − ylo, 0),
 *   c = (xz, yz, zhi − zlo). The general triclinic form of newer LAMMPS
 *   (`ITEM: BOX BOUNDS abc origin`, lines `ax ay az originx` …) gives the rows directly. **The
 *   origin (xlo, ylo, zlo) is subtracted from every position** (polymorph cells start at 0).
 * - Boundary flags: `pp` is periodic, `f`, `s`, `m` are not (→ `pbc`); old dumps without flags are
 *   periodic.
 * - Positions, in order of preference: unwrapped `xu yu zu`; scaled unwrapped `xsu ysu zsu`
 *   (r = s·cell); wrapped `x y z`; scaled `xs ys zs` (the default of `dump atom`; fractional in the
 *   triclinic cell). Wrapped ones are unwrapped with image flags `ix iy iz` when present:
 *   r = x − origin + ix·a + iy·b + iz·c (Å).
 * - `vx vy vz` (Å/ps) → `velocities` in Å/fs (÷ 1000); `fx fy fz` (eV/Å) → `arrays.forces`
 *   `[N,3]`; `q` (e) → `charges`; `mass` (amu) → `masses` (default: standard atomic weights); any
 *   other column (`c_pe`, `v_ke`, `c_q6[1]`, `proc`, …) → `arrays[name]`, Float64 `[N]`.
 * - `ITEM: TIMESTEP` → `info.timestep`; `ITEM: TIME` (ps) → `info.time` in fs; `ITEM: UNITS` →
 *   `info.units` (only `metal` is accepted: other unit styles would need other conversions).
 * - Elements: the `element` column (dump_modify element), else `options.types` (`['Zn', 'O']`:
 *   type 1 is Zn), else a `typelabel` column holding chemical symbols; otherwise a
 *   {@link ParseError} asks for `types`. An `element` entry that is not a chemical symbol (a label
 *   such as `Zn1`) falls back to `types` when given.
 * - Atoms are sorted by id within each frame (LAMMPS writes them in no particular order unless
 *   `dump_modify sort id`); without an `id` column the file order is kept. `dump atom` files
 *   from very old versions without column names are read as `id type xs ys zs [ix iy iz]`.
 * - Anything malformed — a missing or misplaced ITEM, a truncated frame, more or fewer atom lines
 *   than `NUMBER OF ATOMS`, a line whose fields do not match the `ITEM: ATOMS` columns, incomplete
 *   coordinate triples (`x y` without `z`), non-numeric values, duplicate ids, unknown elements,
 *   types outside `options.types`, bad boundary flags, an inverted or flat box, units other than
 *   metal — raises a {@link ParseError} naming the file, the line and what was expected.
 *
 * Writing (`formatFrame`): one `dump custom` frame with columns `id type element x y z`, plus
 * `vx vy vz` (Å/ps), `fx fy fz` (from `arrays.forces`) and `q` when the structure has them;
 * `options.columns` chooses others (any of `id type element mass q x y z xs ys zs xu yu zu xsu ysu
 * zsu ix iy iz vx vy vz fx fy fz` or the name of a one-column numeric `arrays` entry). With image
 * columns, `x y z`/`xs ys zs` are wrapped into the box along periodic directions and the image
 * flags say by how many periods; otherwise every coordinate is written unwrapped. The timestep is
 * `info.timestep` (a non-negative integer) or the frame index; `info.time` (fs) is written as
 * `ITEM: TIME` in ps. The box is the cell in LAMMPS form (rotated or mirrored if needed, see
 * `lammps-box.ts`; vectors rotated with it), written as LAMMPS does (bounding box + tilts for a
 * tilted box); non-periodic directions get `ff`; a structure without a cell gets the atoms'
 * bounding box padded by 10 Å. Numbers are written with the shortest text that reads back as the
 * same double. Types follow `options.types` or the elements in order of first appearance.
 *
 * @example
 * import { iread, write } from 'polymorph/io';
 * for await (const frame of iread('run.dump', { types: ['Zn', 'O'] })) console.log(frame.info.timestep);
 * write('out.lammpstrj', frames, { columns: ['id', 'type', 'xu', 'yu', 'zu', 'c_q6'] });
 * @module
 */
import ndarray from 'ndarray';
import { ParseError } from '../core/errors';
import { isSingular, Matrix3 } from '../structure/cell';
import { atomicNumber, isChemicalSymbol } from '../structure/elements';
import { AtomArray, InfoValue, Pbc, Structure } from '../structure/structure';
import type { Format, FrameParser, ReadOptions, WriteOptions } from './format';
import { boxFromBounds, cellOfBox, FS_PER_PS, typesOption, Vector3 } from './lammps-box';
import { POSITION_KINDS, PositionKind, SCALARS, ScalarName, TRIPLE_OF, TRIPLES, TripleName } from './lammps-dump-columns';
import { DUMP_WRITE_OPTIONS, formatDump } from './lammps-dump-writer';
import { parseInteger, parseReal, splitFields, Where } from './tokens';

/** How the columns of `ITEM: ATOMS` map onto a structure (column indices; −1 or null: absent). */
interface ColumnPlan {
  names: string[];
  scalar: Record<ScalarName, number>;
  position: { kind: PositionKind; cols: Vector3 };
  image: Vector3 | null;
  velocity: Vector3 | null;
  force: Vector3 | null;
  extra: { name: string; col: number }[];
}

/** A box as read from `ITEM: BOX BOUNDS`: cell rows (Å), origin (Å) and periodicity. */
interface FrameBox {
  cell: Matrix3;
  origin: Vector3;
  pbc: Pbc;
}

/** The `ITEM: BOX BOUNDS` line and the box lines read so far. */
interface BoxHeader {
  kind: 'orthogonal' | 'triclinic' | 'general';
  pbc: Pbc;
  rows: number[][];
  lines: number[];
}

/**
 * Per-atom values of the frame being read, in file order. Storage grows with the lines actually
 * read (doubling, up to NUMBER OF ATOMS), so a huge count in a damaged file costs nothing.
 */
interface FrameRows {
  capacity: number;
  id: Float64Array;
  numbers: Int32Array;
  coords: Float64Array;
  image: Float64Array | null;
  velocity: Float64Array | null;
  force: Float64Array | null;
  charge: Float64Array | null;
  mass: Float64Array | null;
  extra: Float64Array[];
  line: Float64Array;
}

/** The frame being read. */
interface Pending {
  startLine: number;
  timestep?: number;
  time?: number;
  natoms?: number;
  boxHeader?: BoxHeader;
  box?: FrameBox;
  /** Line of `ITEM: ATOMS`. */
  atomsLine?: number;
  plan?: ColumnPlan;
  rows?: FrameRows;
  count: number;
}

/** What the next non-blank line must be. */
type Expect = 'item' | 'units' | 'time' | 'timestep' | 'natoms' | 'box' | 'atoms';

/** Push parser of a dump file: returns each frame when its last atom line arrives. */
class LammpsDumpParser implements FrameParser {
  private expect: Expect = 'item';
  private frame: Pending | null = null;
  private units: string | null = null;
  private readonly typeNumbers: number[] | null;

  constructor(private readonly file: string, private readonly options: ReadOptions) {
    this.typeNumbers = typesOption(options.types);
  }

  push(line: string, lineNumber: number): Structure | undefined {
    const text = line.trim();
    if (text === '') return undefined;
    const where = { file: this.file, line: lineNumber };
    switch (this.expect) {
      case 'item':
        return this.item(text, where);
      case 'atoms':
        return this.atomLine(text, where);
      case 'box':
        this.boxLine(text, where);
        return undefined;
      default:
        this.value(text, where);
        return undefined;
    }
  }

  end(lastLine: number): Structure | undefined {
    const f = this.frame;
    if (f === null && this.expect === 'item') return undefined;
    const what = f === null ? 'the units after ITEM: UNITS' : this.missing(f);
    throw new ParseError(this.file, lastLine, `${what} (the file ends inside the frame${f ? ` that starts on line ${f.startLine}` : ''})`, '<end of file>');
  }

  // ---- items ----

  private item(text: string, where: Where): Structure | undefined {
    const match = /^ITEM:\s*(.*)$/.exec(text);
    if (match === null) {
      throw new ParseError(this.file, where.line, this.frame ? `an ITEM: line (${this.missing(this.frame)})` : 'ITEM: TIMESTEP (the start of a LAMMPS dump frame)', text);
    }
    const words = splitFields(match[1]);
    const name = words.join(' ');
    if (name === 'UNITS' || name === 'TIME' || name === 'TIMESTEP') return this.frameItem(name, text, where);
    const f = this.frame;
    if (f === null || f.timestep === undefined) throw new ParseError(this.file, where.line, 'ITEM: TIMESTEP before the other items of a frame', text);
    if (name === 'NUMBER OF ATOMS') {
      this.once(f.natoms === undefined, text, where);
      this.expect = 'natoms';
    } else if (words[0] === 'BOX' && words[1] === 'BOUNDS') {
      this.once(f.boxHeader === undefined, text, where);
      f.boxHeader = this.boxHeader(words.slice(2), text, where);
      this.expect = 'box';
    } else if (words[0] === 'ATOMS') {
      if (f.natoms === undefined || f.box === undefined) throw new ParseError(this.file, where.line, 'ITEM: NUMBER OF ATOMS and ITEM: BOX BOUNDS before ITEM: ATOMS', text);
      f.atomsLine = where.line;
      // Very old `dump atom` files name no columns: the first atom line tells (see legacyColumns).
      if (words.length > 1 || f.natoms === 0) this.setPlan(f, words.length > 1 ? words.slice(1) : legacyColumns(5));
      if (f.natoms === 0) return this.finish();
      this.expect = 'atoms';
    } else {
      throw new ParseError(this.file, where.line, 'ITEM: TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS or ATOMS', text);
    }
    return undefined;
  }

  /** `ITEM: UNITS`, `ITEM: TIME` and `ITEM: TIMESTEP`, which open a frame (in that order). */
  private frameItem(name: 'UNITS' | 'TIME' | 'TIMESTEP', text: string, where: Where): undefined {
    const f = this.frame;
    if (f !== null && f.timestep !== undefined) {
      throw new ParseError(this.file, where.line, `${this.missing(f)} to complete the frame that starts on line ${f.startLine}`, text);
    }
    if (name === 'UNITS') {
      if (f !== null) throw new ParseError(this.file, where.line, 'ITEM: UNITS before ITEM: TIME', text);
      this.expect = 'units';
      return undefined;
    }
    const frame = f ?? (this.frame = { startLine: where.line, count: 0 });
    if (name === 'TIME') this.once(frame.time === undefined, text, where);
    this.expect = name === 'TIME' ? 'time' : 'timestep';
    return undefined;
  }

  private once(first: boolean, text: string, where: Where): void {
    if (!first) throw new ParseError(this.file, where.line, `each ITEM once per frame (the frame that starts on line ${this.frame?.startLine})`, text);
  }

  /** The value line after UNITS, TIME, TIMESTEP or NUMBER OF ATOMS. */
  private value(text: string, where: Where): void {
    const tokens = splitFields(text);
    const item = { units: 'UNITS', time: 'TIME', timestep: 'TIMESTEP', natoms: 'NUMBER OF ATOMS' }[this.expect as 'units' | 'time' | 'timestep' | 'natoms'];
    if (tokens.length !== 1) throw new ParseError(this.file, where.line, `one value after ITEM: ${item}`, text);
    const f = this.frame as Pending;
    if (this.expect === 'units') {
      if (tokens[0] !== 'metal') throw new ParseError(this.file, where.line, "units 'metal' (polymorph reads LAMMPS dumps in metal units only)", tokens[0]);
      this.units = tokens[0];
    } else if (this.expect === 'time') {
      f.time = parseReal(tokens[0], where, 'the simulation time (ps)');
    } else if (this.expect === 'timestep') {
      f.timestep = parseInteger(tokens[0], where, 'the timestep', 0);
    } else {
      f.natoms = parseInteger(tokens[0], where, 'the number of atoms', 0);
    }
    this.expect = 'item';
  }

  /** What the pending frame still lacks, for error messages. */
  private missing(f: Pending): string {
    if (this.expect === 'atoms') return `${f.natoms} atom lines after ITEM: ATOMS on line ${f.atomsLine} (found ${f.count})`;
    if (this.expect === 'box') return `3 lines after ITEM: BOX BOUNDS (found ${f.boxHeader?.rows.length ?? 0})`;
    if (this.expect !== 'item') return `a value after the ITEM line`;
    if (f.timestep === undefined) return 'ITEM: TIMESTEP';
    if (f.natoms === undefined) return 'ITEM: NUMBER OF ATOMS';
    if (f.box === undefined) return 'ITEM: BOX BOUNDS';
    return 'ITEM: ATOMS';
  }

  // ---- box ----

  /** Parses `xy xz yz` / `abc origin` and the boundary flags after `ITEM: BOX BOUNDS`. */
  private boxHeader(words: string[], text: string, where: Where): BoxHeader {
    let kind: BoxHeader['kind'] = 'orthogonal';
    let rest = words;
    if (rest[0] === 'xy' && rest[1] === 'xz' && rest[2] === 'yz') {
      kind = 'triclinic';
      rest = rest.slice(3);
    } else if (rest[0] === 'abc' && rest[1] === 'origin') {
      kind = 'general';
      rest = rest.slice(2);
    }
    let pbc: Pbc = [true, true, true];
    if (rest.length === 3 && rest.every((flag) => /^[pfsm]{2}$/.test(flag) && (flag[0] === 'p') === (flag[1] === 'p'))) {
      pbc = [rest[0][0] === 'p', rest[1][0] === 'p', rest[2][0] === 'p'];
    } else if (rest.length !== 0) {
      throw new ParseError(this.file, where.line, "ITEM: BOX BOUNDS [xy xz yz | abc origin] followed by three boundary flags such as 'pp pp pp' (p: periodic on both sides; f, s, m: not)", text);
    }
    return { kind, pbc, rows: [], lines: [] };
  }

  private boxLine(text: string, where: Where): void {
    const f = this.frame as Pending;
    const header = f.boxHeader as BoxHeader;
    const k = header.rows.length;
    const names = {
      orthogonal: [['xlo', 'xhi'], ['ylo', 'yhi'], ['zlo', 'zhi']],
      triclinic: [['xlo_bound', 'xhi_bound', 'xy'], ['ylo_bound', 'yhi_bound', 'xz'], ['zlo_bound', 'zhi_bound', 'yz']],
      general: [['ax', 'ay', 'az', 'originx'], ['bx', 'by', 'bz', 'originy'], ['cx', 'cy', 'cz', 'originz']],
    }[header.kind][k];
    if (text.startsWith('ITEM:')) throw new ParseError(this.file, where.line, `3 lines after ITEM: BOX BOUNDS (found ${k})`, text);
    const tokens = splitFields(text);
    if (tokens.length !== names.length) throw new ParseError(this.file, where.line, `${names.length} numbers: ${names.join(' ')} (Å)`, text);
    header.rows.push(tokens.map((t, i) => parseReal(t, where, `${names[i]} (Å)`)));
    header.lines.push(where.line);
    if (header.rows.length === 3) {
      f.box = this.frameBox(header);
      this.expect = 'item';
    }
  }

  /** Cell rows, origin and pbc from the three box lines (see the module documentation). */
  private frameBox(h: BoxHeader): FrameBox {
    const r = h.rows;
    if (h.kind === 'general') {
      const cell = [...r[0].slice(0, 3), ...r[1].slice(0, 3), ...r[2].slice(0, 3)] as Matrix3;
      if (isSingular(cell)) throw new ParseError(this.file, h.lines[2], 'box vectors a, b, c that span a volume', JSON.stringify(r));
      return { cell, origin: [r[0][3], r[1][3], r[2][3]], pbc: h.pbc };
    }
    const lo: Vector3 = [r[0][0], r[1][0], r[2][0]];
    const hi: Vector3 = [r[0][1], r[1][1], r[2][1]];
    const box = h.kind === 'triclinic' ? boxFromBounds(lo, hi, [r[0][2], r[1][2], r[2][2]]) : { lo, hi, tilt: [0, 0, 0] as Vector3 };
    for (let k = 0; k < 3; ++k) {
      if (!(box.hi[k] > box.lo[k])) {
        const axis = 'xyz'[k];
        throw new ParseError(this.file, h.lines[k], `${axis}lo < ${axis}hi${h.kind === 'triclinic' ? ' once the bounding box is undone' : ''}`, `${axis}lo = ${box.lo[k]}, ${axis}hi = ${box.hi[k]}`);
      }
    }
    return { cell: cellOfBox(box), origin: box.lo, pbc: h.pbc };
  }

  // ---- atoms ----

  private setPlan(f: Pending, names: string[]): void {
    f.plan = this.columnPlan(names, f.natoms as number, { file: this.file, line: f.atomsLine as number });
    f.rows = allocateRows(f.plan, f.natoms as number);
  }

  /** Maps the column names of `ITEM: ATOMS` (see the module documentation). */
  private columnPlan(names: string[], natoms: number, where: Where): ColumnPlan {
    const index = new Map<string, number>();
    names.forEach((name, col) => {
      if (name === '__proto__') throw new ParseError(this.file, where.line, 'column names that can be keys of structure.arrays', name);
      if (index.has(name)) throw new ParseError(this.file, where.line, `each column once in ITEM: ATOMS`, `'${name}' twice`);
      index.set(name, col);
    });
    const triple = (t: TripleName): Vector3 | null => {
      const cols = TRIPLES[t].map((c) => index.get(c));
      if (cols.every((c) => c === undefined)) return null;
      if (cols.some((c) => c === undefined)) {
        throw new ParseError(this.file, where.line, `all of the columns ${TRIPLES[t].join(' ')} or none`, TRIPLES[t].filter((_, k) => cols[k] !== undefined).join(' '));
      }
      return cols as Vector3;
    };
    const triples = Object.fromEntries((Object.keys(TRIPLES) as TripleName[]).map((t) => [t, triple(t)])) as Record<TripleName, Vector3 | null>;
    const kind = POSITION_KINDS.find((k) => triples[k] !== null);
    if (kind === undefined) throw new ParseError(this.file, where.line, 'coordinate columns x y z, xs ys zs, xu yu zu or xsu ysu zsu in ITEM: ATOMS', names.join(' '));
    const scalar = Object.fromEntries(SCALARS.map((s) => [s, index.get(s) ?? -1])) as Record<ScalarName, number>;
    if (natoms > 0 && scalar.element < 0 && (this.typeNumbers === null || scalar.type < 0) && scalar.typelabel < 0) {
      const why = scalar.type < 0 ? 'no element or type column' : 'an ITEM: ATOMS line without an element column';
      throw new ParseError(this.file, where.line, "the elements: a column 'element' (dump_modify element), or pass { types: [...] } with the element of each atom type, type 1 first (e.g. ['Zn', 'O'])", why);
    }
    const extra = names.map((name, col) => ({ name, col })).filter(({ name }) => !TRIPLE_OF.has(name) && !(SCALARS as readonly string[]).includes(name));
    return {
      names,
      scalar,
      position: { kind, cols: triples[kind] as Vector3 },
      image: kind === 'x' || kind === 'xs' ? triples.image : null,
      velocity: triples.velocity,
      force: triples.force,
      extra,
    };
  }

  private atomLine(text: string, where: Where): Structure | undefined {
    const f = this.frame as Pending;
    if (text.startsWith('ITEM:')) throw new ParseError(this.file, where.line, `${f.natoms} atom lines after ITEM: ATOMS on line ${f.atomsLine}`, `${f.count} atom lines, then '${text}'`);
    const tokens = splitFields(text);
    if (f.plan === undefined) this.setPlan(f, legacyColumns(tokens.length));
    const plan = f.plan as ColumnPlan;
    if (tokens.length !== plan.names.length) throw new ParseError(this.file, where.line, `${plan.names.length} fields (${plan.names.join(' ')})`, text);
    const rows = f.rows as FrameRows;
    if (f.count >= rows.capacity) growRows(rows, Math.min(f.natoms as number, 2 * rows.capacity));
    this.readAtom(tokens, f.count, plan, rows, where);
    f.count++;
    return f.count === f.natoms ? this.finish() : undefined;
  }

  /** Parses one atom line into row `i`. */
  private readAtom(tokens: string[], i: number, plan: ColumnPlan, rows: FrameRows, where: Where): void {
    const s = plan.scalar;
    const real = (col: number, what: string): number => parseReal(tokens[col], where, `${plan.names[col]}: ${what}`);
    if (s.id >= 0) rows.id[i] = parseInteger(tokens[s.id], where, 'id: an atom id', 0);
    const type = s.type >= 0 ? parseInteger(tokens[s.type], where, 'type: an atom type', 1) : 0;
    rows.numbers[i] = this.elementOf(tokens, type, plan, where);
    const p = plan.position.cols;
    const unit = isScaled(plan.position.kind) ? 'a fractional coordinate' : 'a coordinate (Å)';
    for (let k = 0; k < 3; ++k) rows.coords[3 * i + k] = real(p[k], unit);
    if (plan.image && rows.image) for (let k = 0; k < 3; ++k) rows.image[3 * i + k] = parseInteger(tokens[plan.image[k]], where, `${plan.names[plan.image[k]]}: an image flag`);
    if (plan.velocity && rows.velocity) for (let k = 0; k < 3; ++k) rows.velocity[3 * i + k] = real(plan.velocity[k], 'a velocity (Å/ps)') / FS_PER_PS;
    if (plan.force && rows.force) for (let k = 0; k < 3; ++k) rows.force[3 * i + k] = real(plan.force[k], 'a force (eV/Å)');
    if (rows.charge) rows.charge[i] = real(s.q, 'a charge (e)');
    if (rows.mass) {
      rows.mass[i] = real(s.mass, 'a mass (amu)');
      if (!(rows.mass[i] > 0)) throw new ParseError(this.file, where.line, 'mass: a positive mass (amu)', tokens[s.mass]);
    }
    plan.extra.forEach(({ col }, e) => {
      rows.extra[e][i] = real(col, 'a real number');
    });
    rows.line[i] = where.line;
  }

  /** Atomic number from the element column, the types option or a typelabel column. */
  private elementOf(tokens: string[], type: number, plan: ColumnPlan, where: Where): number {
    const s = plan.scalar;
    const types = this.typeNumbers;
    const typed = types !== null && s.type >= 0;
    if (s.element >= 0) {
      if (isChemicalSymbol(tokens[s.element])) return atomicNumber(tokens[s.element]);
      if (!typed) throw new ParseError(this.file, where.line, 'element: a chemical symbol (Zn, O, …), or pass { types: [...] } to name the elements of the atom types', tokens[s.element]);
    }
    if (typed) {
      if (type > types.length) throw new ParseError(this.file, where.line, `type: an atom type 1…${types.length} (options.types lists ${JSON.stringify(this.options.types)})`, tokens[s.type]);
      return types[type - 1];
    }
    const label = tokens[s.typelabel];
    if (!isChemicalSymbol(label)) throw new ParseError(this.file, where.line, 'typelabel: a chemical symbol, or pass { types: [...] } with the element of each atom type', label);
    return atomicNumber(label);
  }

  /** The completed frame as a structure (atoms sorted by id); resets the parser for the next one. */
  private finish(): Structure {
    const f = this.frame as Pending;
    this.frame = null;
    this.expect = 'item';
    const plan = f.plan as ColumnPlan;
    const rows = f.rows as FrameRows;
    const box = f.box as FrameBox;
    const n = f.natoms as number;
    const order = Array.from({ length: n }, (_, i) => i);
    if (plan.scalar.id >= 0) {
      order.sort((i, j) => rows.id[i] - rows.id[j]);
      for (let k = 1; k < n; ++k) {
        const [i, j] = [order[k - 1], order[k]];
        if (rows.id[i] === rows.id[j]) {
          const [first, second] = rows.line[i] < rows.line[j] ? [i, j] : [j, i];
          throw new ParseError(this.file, rows.line[second], `a unique atom id within the frame (id ${rows.id[i]} is also on line ${rows.line[first]})`, String(rows.id[i]));
        }
      }
    }
    const info: Record<string, InfoValue> = { timestep: f.timestep as number };
    if (f.time !== undefined) info.time = f.time * FS_PER_PS;
    if (this.units !== null) info.units = this.units;
    const arrays: Record<string, AtomArray> = {};
    if (rows.force) arrays.forces = ndarray(pick(rows.force, order, 3), [n, 3]);
    plan.extra.forEach(({ name }, e) => {
      arrays[name] = ndarray(pick(rows.extra[e], order, 1), [n]);
    });
    return new Structure({
      positions: ndarray(positionsOf(rows, order, plan.position.kind, box), [n, 3]),
      numbers: Int32Array.from(order, (i) => rows.numbers[i]),
      cell: ndarray(Float64Array.from(box.cell), [3, 3]),
      pbc: box.pbc,
      velocities: rows.velocity ? ndarray(pick(rows.velocity, order, 3), [n, 3]) : null,
      masses: rows.mass ? pick(rows.mass, order, 1) : null,
      charges: rows.charge ? pick(rows.charge, order, 1) : null,
      info,
      arrays,
    });
  }
}

/** Columns of `dump atom` files from versions that did not name them: id type xs ys zs, plus ix iy iz if there are 8 fields. */
function legacyColumns(fields: number): string[] {
  return fields === 8 ? ['id', 'type', 'xs', 'ys', 'zs', 'ix', 'iy', 'iz'] : ['id', 'type', 'xs', 'ys', 'zs'];
}

function isScaled(kind: PositionKind): boolean {
  return kind === 'xs' || kind === 'xsu';
}

/** Initial number of atoms a frame's storage holds. */
const INITIAL_ROWS = 1024;

function allocateRows(plan: ColumnPlan, natoms: number): FrameRows {
  const s = plan.scalar;
  const n = Math.min(natoms, INITIAL_ROWS);
  return {
    capacity: n,
    id: new Float64Array(n),
    numbers: new Int32Array(n),
    coords: new Float64Array(3 * n),
    image: plan.image ? new Float64Array(3 * n) : null,
    velocity: plan.velocity ? new Float64Array(3 * n) : null,
    force: plan.force ? new Float64Array(3 * n) : null,
    charge: s.q >= 0 ? new Float64Array(n) : null,
    mass: s.mass >= 0 ? new Float64Array(n) : null,
    extra: plan.extra.map(() => new Float64Array(n)),
    line: new Float64Array(n),
  };
}

/** Enlarges every array of `rows` to hold `capacity` atoms, keeping their values. */
function growRows(rows: FrameRows, capacity: number): void {
  const grow = <T extends Float64Array | Int32Array>(a: T, width: number): T => {
    const out = new (a.constructor as new (n: number) => T)(capacity * width);
    out.set(a);
    return out;
  };
  rows.id = grow(rows.id, 1);
  rows.numbers = grow(rows.numbers, 1);
  rows.coords = grow(rows.coords, 3);
  if (rows.image) rows.image = grow(rows.image, 3);
  if (rows.velocity) rows.velocity = grow(rows.velocity, 3);
  if (rows.force) rows.force = grow(rows.force, 3);
  if (rows.charge) rows.charge = grow(rows.charge, 1);
  if (rows.mass) rows.mass = grow(rows.mass, 1);
  rows.extra = rows.extra.map((a) => grow(a, 1));
  rows.line = grow(rows.line, 1);
  rows.capacity = capacity;
}

/** Rows `order` of a flat array with `width` values per row. */
function pick(values: Float64Array, order: number[], width: number): Float64Array {
  const out = new Float64Array(order.length * width);
  order.forEach((src, i) => {
    for (let k = 0; k < width; ++k) out[width * i + k] = values[width * src + k];
  });
  return out;
}

/**
 * Cartesian positions relative to the box origin (Å), unwrapped: r = x − origin + n·cell for
 * Cartesian columns, r = (s + n)·cell for scaled ones (n: image flags, 0 if absent or unwrapped).
 */
function positionsOf(rows: FrameRows, order: number[], kind: PositionKind, box: FrameBox): Float64Array {
  const m = box.cell;
  const scaled = isScaled(kind);
  const out = new Float64Array(3 * order.length);
  order.forEach((src, i) => {
    const c = [0, 1, 2].map((k) => rows.coords[3 * src + k]);
    const n = rows.image ? [0, 1, 2].map((k) => (rows.image as Float64Array)[3 * src + k]) : [0, 0, 0];
    for (let k = 0; k < 3; ++k) {
      const shift = n[0] * m[k] + n[1] * m[3 + k] + n[2] * m[6 + k];
      out[3 * i + k] = scaled ? c[0] * m[k] + c[1] * m[3 + k] + c[2] * m[6 + k] + shift : c[k] - box.origin[k] + shift;
    }
  });
  return out;
}

/** The LAMMPS text dump format (metal units); see the module documentation. */
export const lammpsDumpFormat: Format = {
  name: 'lammps-dump',
  readOptions: ['types'],
  writeOptions: DUMP_WRITE_OPTIONS,
  multiFrame: true,
  createParser: (file: string, options: ReadOptions): FrameParser => new LammpsDumpParser(file, options),
  formatFrame: (structure: Structure, options: WriteOptions, frame: number): string => formatDump(structure, options, frame),
};

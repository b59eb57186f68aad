/**
 * LAMMPS data files (`read_data` / `write_data`), metal units: one periodic structure per file.
 *
 * ```text
 * ZnO wurtzite written by …        title line (always skipped)
 *
 * 4 atoms                          header: counts and the box
 * 2 atom types
 * 0 3.25 xlo xhi
 * 0 2.8146 ylo yhi
 * 0 5.21 zlo zhi
 * -1.625 0 0 xy xz yz              tilt factors (triclinic boxes only)
 *
 * Masses
 *
 * 1 65.38 # Zn                     type mass(amu) [# comment]
 * 2 15.999 # O
 *
 * Atoms # charge                   the comment names the atom style
 *
 * 1 1 1.2 0 1.8764 0 0 0 0         id type q x y z [ix iy iz]
 * …
 *
 * Velocities
 *
 * 1 0.52 -1.3 2.04                 id vx vy vz (Å/ps)
 * …
 * ```
 *
 * Reading:
 * - Atom styles `atomic` (id type x y z), `charge` (id type q x y z), and for convenience `full`
 *   (id mol type q x y z) and `molecular`/`bond`/`angle` (id mol type x y z), each optionally
 *   followed by the image flags ix iy iz. The style is `options.atomStyle` if given, else the
 *   comment after `Atoms` (`Atoms # charge`, as `write_data` writes it), else `atomic`. Charges
 *   (e) become `charges`, molecule ids `arrays['mol-id']` (Int32, as ASE names them).
 * - Box: a = (xhi − xlo, 0, 0), b = (xy, yhi − ylo, 0), c = (xz, yz, zhi − zlo) become the cell
 *   rows; the general triclinic header of newer LAMMPS (`avec`, `bvec`, `cvec`, `abc origin`) gives
 *   the rows directly. **The box origin (xlo, ylo, zlo) — or `abc origin` — is subtracted from
 *   every position**, because polymorph cells start at 0. Data files do not say which directions
 *   are periodic; `pbc` is read as all true.
 * - **Positions are read as written** (minus the box origin): r = (x, y, z) − origin (Å). The image
 *   flags ix iy iz, when the file has them, are kept as `arrays.image`, an `[N,3]` Int32 array (ASE
 *   3.22 called it `travel`); an atom line without flags gets 0 0 0. This changed: earlier versions
 *   of polymorph added the flags to the positions by default. For those unwrapped positions,
 *   r = (x, y, z) − origin + ix·a + iy·b + iz·c, pass `{ unwrap: true }` (then no `arrays.image`).
 * - Atoms are sorted by id (ids need not be contiguous, but must be unique).
 * - `Velocities` are Å/ps in metal units and become Å/fs (× 10⁻³).
 * - `Masses` (amu) become `masses`; a type without a Masses entry gets its element's standard
 *   atomic weight.
 * - Elements of the atom types, in order of preference: `options.types` (`['Zn', 'O']`: type 1 is
 *   Zn); an `Atom Type Labels` section whose labels are chemical symbols; a chemical symbol as the
 *   first word of the comment of a Masses line (`1 65.38 # Zn`, which polymorph, OVITO and atomsk
 *   write); the mass, if it is within 0.01 amu of exactly one element's standard atomic weight.
 *   Otherwise a {@link ParseError} asks for `types`.
 * - Other header counts (bonds, angles, … types, extra … per atom, ellipsoids, …) are accepted and
 *   ignored, and so are the sections they announce (Bonds, Angles, Pair Coeffs, …); types given as
 *   labels (from `Atom Type Labels`) are resolved.
 * - Anything malformed — an unknown header line or section, a missing or inverted box, a missing
 *   `N atoms` line, an Atoms or Velocities section with a different number of lines, a wrong
 *   number of fields, non-numeric values, duplicate ids, a type outside 1…`atom types`, a velocity
 *   for an unknown atom, an empty file — raises a {@link ParseError} naming the file, the line and
 *   what was expected.
 *
 * Writing (`formatFrame`): title, `N atoms`, `T atom types`, the box, `Masses` (one per type, with
 * the element as a comment), `Atoms # atomic` or `Atoms # charge` (default `charge` if the
 * structure has charges; `options.atomStyle` overrides; charge style without charges writes q = 0),
 * and `Velocities` (Å/ps) if the structure has velocities. Types follow `options.types` (type 1
 * first) or, by default, the elements in order of first appearance. Numbers are written with the
 * shortest text that reads back as the same double. Positions are written as they are (LAMMPS
 * wraps periodic coordinates into the box itself); a structure with `arrays.image` (integers,
 * `[N,3]`) gets its flags written after the coordinates (`id type [q] x y z ix iy iz`), so a file
 * read without `unwrap` is written back with the same positions and flags.
 * - A cell that is not lower-triangular is rotated (or mirrored, if left-handed) into LAMMPS's
 *   form together with the positions and velocities (see `lammps-box.ts`); reading the file back
 *   gives that equivalent structure. Tilt factors are written as they are: LAMMPS before 2023
 *   refuses tilts beyond half the box length ("Triclinic box skew is too large") unless the
 *   input script says `box tilt large` before `read_data`.
 * - A structure without a cell gets the atoms' bounding box padded by {@link OPEN_BOX_PADDING} Å
 *   (10 Å) on every side, atoms left in place; reading that file back gives a periodic structure
 *   with that box, shifted so the box starts at 0. Use `boundary f f f` or `s s s` in LAMMPS.
 * - LAMMPS holds one mass per type: atoms of one element with different masses raise `E_VALUE`.
 *
 * @example
 * import { formatText, parseText } from 'polymorph/io';
 * const text = formatText(zno, { format: 'lammps-data' });          // types Zn = 1, O = 2
 * const [s] = parseText(text, { format: 'lammps-data' });           // elements from the Masses comments
 * const [t] = parseText(lammpsFile, { format: 'lammps-data', types: ['Zn', 'O'] });
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { ParseError, PolymorphError } from '../core/errors';
import { isSingular, Matrix3 } from '../structure/cell';
import { atomicMasses, atomicNumber, chemicalSymbol, isChemicalSymbol, maxAtomicNumber } from '../structure/elements';
import { AtomArray, Structure } from '../structure/structure';
import type { Format, FrameParser, ReadOptions, WriteOptions } from './format';
import { cellOfBox, formatNumber, FS_PER_PS, isTilted, lammpsBoxOf, OPEN_BOX_PADDING, transformRows, typesForWriting, typesOption, Vector3 } from './lammps-box';
import { parseInteger, parseReal, splitFields, Where } from './tokens';

/** Atom styles the reader understands. */
type AtomStyle = 'atomic' | 'charge' | 'full' | 'molecular' | 'bond' | 'angle';

/** Where each field sits in an Atoms line of a style (−1: absent). */
interface Layout {
  fields: number;
  type: number;
  charge: number;
  mol: number;
  x: number;
  names: string;
}

const MOLECULAR: Layout = { fields: 6, mol: 1, type: 2, charge: -1, x: 3, names: 'id mol type x y z' };
const LAYOUTS: Record<AtomStyle, Layout> = {
  atomic: { fields: 5, mol: -1, type: 1, charge: -1, x: 2, names: 'id type x y z' },
  charge: { fields: 6, mol: -1, type: 1, charge: 2, x: 3, names: 'id type q x y z' },
  full: { fields: 7, mol: 1, type: 2, charge: 3, x: 4, names: 'id mol type q x y z' },
  molecular: MOLECULAR,
  bond: MOLECULAR,
  angle: MOLECULAR,
};

function isAtomStyle(word: unknown): word is AtomStyle {
  return typeof word === 'string' && Object.prototype.hasOwnProperty.call(LAYOUTS, word);
}

/** Header keywords that describe the box, with their number of values. */
const BOX_KEYWORDS = new Map<string, number>([
  ['xlo xhi', 2], ['ylo yhi', 2], ['zlo zhi', 2], ['xy xz yz', 3], ['avec', 3], ['bvec', 3], ['cvec', 3], ['abc origin', 3],
]);

/** Header keywords that take one count; all but `atoms` and `atom types` are ignored. */
const COUNT_KEYWORDS = new Set([
  'atoms', 'atom types', 'bonds', 'angles', 'dihedrals', 'impropers', 'bond types', 'angle types',
  'dihedral types', 'improper types', 'extra bond per atom', 'extra angle per atom', 'extra dihedral per atom',
  'extra improper per atom', 'extra special per atom', 'ellipsoids', 'lines', 'triangles', 'bodies', 'crossterms',
]);

/** Every section keyword of a LAMMPS data file (read_data documentation). */
const SECTIONS = new Set([
  'Atoms', 'Velocities', 'Masses', 'Ellipsoids', 'Lines', 'Triangles', 'Bodies',
  'Bonds', 'Angles', 'Dihedrals', 'Impropers', 'CMAP',
  'Atom Type Labels', 'Bond Type Labels', 'Angle Type Labels', 'Dihedral Type Labels', 'Improper Type Labels',
  'Pair Coeffs', 'PairIJ Coeffs', 'Bond Coeffs', 'Angle Coeffs', 'Dihedral Coeffs', 'Improper Coeffs',
  'BondBond Coeffs', 'BondAngle Coeffs', 'MiddleBondTorsion Coeffs', 'EndBondTorsion Coeffs',
  'AngleTorsion Coeffs', 'AngleAngleTorsion Coeffs', 'BondBond13 Coeffs', 'AngleAngle Coeffs',
]);

/** Sections the reader uses (each may appear once); the others are skipped. */
const READ_SECTIONS = new Set(['Atoms', 'Velocities', 'Masses', 'Atom Type Labels']);

/** Largest difference (amu) between a mass and a standard atomic weight for the mass to name the element. */
const MASS_MATCH_TOLERANCE = 0.01;

/** The Atoms section as read, in file order. */
interface AtomRows {
  id: number[];
  type: number[];
  xyz: number[];
  image: number[];
  charge: number[];
  mol: number[];
  line: number[];
}

/** A Masses entry. */
interface MassEntry {
  mass: number;
  comment: string;
  line: number;
}

/** The section being read. */
interface Section {
  name: string;
  line: number;
  count: number;
  style?: AtomStyle;
}

/** Push parser of one data file; the structure is complete only at the end of the input. */
class LammpsDataParser implements FrameParser {
  private started = false;
  private hasImageFlags = false;
  private section: Section | null = null;
  private firstSectionLine = 0;
  private readonly counts = new Map<string, { value: number; line: number }>();
  private readonly box = new Map<string, { values: number[]; line: number }>();
  private readonly seenSections = new Set<string>();
  private readonly atoms: AtomRows = { id: [], type: [], xyz: [], image: [], charge: [], mol: [], line: [] };
  private readonly idLine = new Map<number, number>();
  private readonly velocities = { id: [] as number[], v: [] as number[], line: [] as number[] };
  private readonly masses = new Map<number, MassEntry>();
  private readonly labels = new Map<number, string>();
  private readonly typeOfLabel = new Map<string, number>();
  private readonly typeNumbers: number[] | null;

  constructor(private readonly file: string, private readonly options: ReadOptions) {
    this.typeNumbers = typesOption(options.types);
    if (options.atomStyle !== undefined && !isAtomStyle(options.atomStyle)) {
      throw new PolymorphError('E_VALUE', `atomStyle: expected one of ${Object.keys(LAYOUTS).join(', ')}, got ${JSON.stringify(options.atomStyle)}`);
    }
    if (options.unwrap !== undefined && typeof options.unwrap !== 'boolean') {
      throw new PolymorphError('E_TYPE', `unwrap: expected true or false, got ${JSON.stringify(options.unwrap)}`);
    }
  }

  push(line: string, lineNumber: number): undefined {
    if (!this.started) {
      this.started = true; // the title line
      return undefined;
    }
    const hash = line.indexOf('#');
    const content = (hash >= 0 ? line.slice(0, hash) : line).trim();
    const comment = hash >= 0 ? line.slice(hash + 1).trim() : '';
    if (content === '') return undefined;
    const where = { file: this.file, line: lineNumber };
    if (SECTIONS.has(content)) this.startSection(content, comment, where);
    else if (this.section === null) this.headerLine(content, where);
    else this.sectionLine(content, comment, where);
    return undefined;
  }

  end(lastLine: number): Structure {
    if (!this.started) throw new ParseError(this.file, 0, 'a LAMMPS data file (title line, header, Atoms section)', 'an empty file');
    this.finishSection(lastLine);
    const natoms = this.count('atoms');
    if (natoms === undefined) throw new ParseError(this.file, lastLine, "an 'N atoms' header line", 'none in the file');
    if (natoms > 0 && !this.seenSections.has('Atoms')) throw new ParseError(this.file, lastLine, `an Atoms section with ${natoms} lines`, 'the end of the file');
    return this.build(natoms);
  }

  // ---- header ----

  /** `value(s) keyword` lines before the first section. */
  private headerLine(content: string, where: Where): void {
    const tokens = splitFields(content);
    for (let k = 1; k <= 3 && k < tokens.length; ++k) {
      const keyword = tokens.slice(k).join(' ');
      if (k === 1 && COUNT_KEYWORDS.has(keyword)) {
        this.once(keyword, where);
        this.counts.set(keyword, { value: parseInteger(tokens[0], where, `the number of ${keyword}`, 0), line: where.line });
        return;
      }
      if (BOX_KEYWORDS.get(keyword) === k) {
        this.once(keyword, where);
        this.box.set(keyword, { values: tokens.slice(0, k).map((t) => parseReal(t, where, `a box value for '${keyword}' (Å)`)), line: where.line });
        return;
      }
    }
    throw new ParseError(
      this.file, where.line,
      "a header line ('4 atoms', '2 atom types', '0 4.05 xlo xhi', '0 0 0 xy xz yz', …) or a section keyword (Masses, Atoms, Velocities, …)",
      content,
    );
  }

  private once(keyword: string, where: Where): void {
    const earlier = this.counts.get(keyword) ?? this.box.get(keyword);
    if (earlier) throw new ParseError(this.file, where.line, `'${keyword}' once in the header (it is already on line ${earlier.line})`, keyword);
  }

  private count(keyword: string): number | undefined {
    return this.counts.get(keyword)?.value;
  }

  // ---- sections ----

  private startSection(name: string, comment: string, where: Where): void {
    this.finishSection(where.line);
    if (this.firstSectionLine === 0) this.firstSectionLine = where.line;
    if (READ_SECTIONS.has(name)) {
      if (this.seenSections.has(name)) throw new ParseError(this.file, where.line, `one ${name} section`, `a second ${name} section`);
      const needs = name === 'Atoms' || name === 'Velocities' ? 'atoms' : 'atom types';
      if (this.count(needs) === undefined) throw new ParseError(this.file, where.line, `an 'N ${needs}' header line before the ${name} section`, name);
    }
    this.seenSections.add(name);
    this.section = { name, line: where.line, count: 0 };
    if (name === 'Atoms') this.section.style = this.atomStyle(comment, where);
  }

  /** The atom style: the option, else the section comment, else `atomic`. */
  private atomStyle(comment: string, where: Where): AtomStyle {
    if (this.options.atomStyle !== undefined) return this.options.atomStyle;
    const word = splitFields(comment)[0];
    if (word === undefined) return 'atomic';
    if (isAtomStyle(word)) return word;
    throw new ParseError(this.file, where.line, `a supported atom style (${Object.keys(LAYOUTS).join(', ')}), or pass { atomStyle } if the comment is wrong`, word);
  }

  /** Checks the number of lines of the section that ends at `line`. */
  private finishSection(line: number): void {
    const s = this.section;
    if (s === null) return;
    this.section = null;
    const expected = s.name === 'Atoms' || s.name === 'Velocities' ? this.count('atoms') : s.name === 'Masses' || s.name === 'Atom Type Labels' ? this.count('atom types') : undefined;
    if (expected !== undefined && s.count !== expected) {
      throw new ParseError(this.file, line, `${expected} lines in the ${s.name} section that starts on line ${s.line}`, `${s.count} lines`);
    }
  }

  private sectionLine(content: string, comment: string, where: Where): void {
    const s = this.section as Section;
    if (!READ_SECTIONS.has(s.name)) return;
    const limit = s.name === 'Atoms' || s.name === 'Velocities' ? (this.count('atoms') as number) : (this.count('atom types') as number);
    if (s.count >= limit) throw new ParseError(this.file, where.line, `a section keyword after the ${limit} lines of the ${s.name} section (line ${s.line})`, content);
    s.count++;
    const tokens = splitFields(content);
    if (s.name === 'Atoms') this.atomLine(tokens, content, where, LAYOUTS[s.style as AtomStyle], s.style as AtomStyle);
    else if (s.name === 'Velocities') this.velocityLine(tokens, content, where);
    else if (s.name === 'Masses') this.massLine(tokens, content, comment, where);
    else this.labelLine(tokens, content, where);
  }

  private atomLine(tokens: string[], content: string, where: Where, layout: Layout, style: AtomStyle): void {
    if (tokens.length !== layout.fields && tokens.length !== layout.fields + 3) {
      throw new ParseError(this.file, where.line, `${layout.fields} fields (${layout.names}) or ${layout.fields + 3} (with ix iy iz) for atom style ${style}`, content);
    }
    const a = this.atoms;
    const id = parseInteger(tokens[0], where, 'an atom id', 1);
    const earlier = this.idLine.get(id);
    if (earlier !== undefined) throw new ParseError(this.file, where.line, `a unique atom id (${id} is already used on line ${earlier})`, tokens[0]);
    this.idLine.set(id, where.line);
    a.id.push(id);
    a.type.push(this.parseType(tokens[layout.type], where));
    for (let k = 0; k < 3; ++k) a.xyz.push(parseReal(tokens[layout.x + k], where, `${'xyz'[k]} (Å)`));
    if (tokens.length > layout.fields) this.hasImageFlags = true;
    for (let k = 0; k < 3; ++k) a.image.push(tokens.length > layout.fields ? this.imageFlag(tokens[layout.fields + k], where, k) : 0);
    if (layout.charge >= 0) a.charge.push(parseReal(tokens[layout.charge], where, 'a charge q (e)'));
    if (layout.mol >= 0) a.mol.push(parseInteger(tokens[layout.mol], where, 'a molecule id', 0));
    a.line.push(where.line);
  }

  /** An image flag: an integer that fits an Int32 (LAMMPS stores them in 10 bits, ±512). */
  private imageFlag(token: string, where: Where, k: number): number {
    const flag = parseInteger(token, where, `image flag ${'i' + 'xyz'[k]}`);
    if (Math.abs(flag) > 2 ** 31 - 1) throw new ParseError(this.file, where.line, `image flag ${'i' + 'xyz'[k]}: an integer of at most 2³¹ − 1 in size`, token);
    return flag;
  }

  private velocityLine(tokens: string[], content: string, where: Where): void {
    if (tokens.length !== 4) throw new ParseError(this.file, where.line, '4 fields: id vx vy vz (Å/ps)', content);
    this.velocities.id.push(parseInteger(tokens[0], where, 'an atom id', 1));
    for (let k = 1; k <= 3; ++k) this.velocities.v.push(parseReal(tokens[k], where, `v${'xyz'[k - 1]} (Å/ps)`));
    this.velocities.line.push(where.line);
  }

  private massLine(tokens: string[], content: string, comment: string, where: Where): void {
    if (tokens.length !== 2) throw new ParseError(this.file, where.line, '2 fields: atom type, mass (amu)', content);
    const type = this.parseType(tokens[0], where);
    if (this.masses.has(type)) throw new ParseError(this.file, where.line, `one mass per type (type ${type} already has one on line ${this.masses.get(type)?.line})`, content);
    const mass = parseReal(tokens[1], where, 'a mass (amu)');
    if (!(mass > 0)) throw new ParseError(this.file, where.line, 'a positive mass (amu)', tokens[1]);
    this.masses.set(type, { mass, comment, line: where.line });
  }

  private labelLine(tokens: string[], content: string, where: Where): void {
    if (tokens.length !== 2 || /^[0-9+-]/.test(tokens[1])) throw new ParseError(this.file, where.line, '2 fields: atom type, type label (not starting with a digit)', content);
    const type = parseInteger(tokens[0], where, 'an atom type', 1);
    this.checkTypeRange(type, tokens[0], where);
    if (this.labels.has(type) || this.typeOfLabel.has(tokens[1])) throw new ParseError(this.file, where.line, 'each type and each label once', content);
    this.labels.set(type, tokens[1]);
    this.typeOfLabel.set(tokens[1], type);
  }

  /** An atom type: an integer 1…ntypes, or a label from `Atom Type Labels`. */
  private parseType(token: string, where: Where): number {
    const labelled = this.typeOfLabel.get(token);
    if (labelled !== undefined) return labelled;
    if (!/^[+-]?\d+$/.test(token)) throw new ParseError(this.file, where.line, 'an atom type (an integer, or a label defined in an earlier Atom Type Labels section)', token);
    const type = parseInteger(token, where, 'an atom type', 1);
    this.checkTypeRange(type, token, where);
    return type;
  }

  private checkTypeRange(type: number, token: string, where: Where): void {
    const ntypes = this.count('atom types') ?? 0;
    if (type > ntypes) throw new ParseError(this.file, where.line, `an atom type 1…${ntypes} (the header says '${ntypes} atom types')`, token);
  }

  // ---- the structure ----

  private build(natoms: number): Structure {
    const { cell, origin } = this.resolveBox();
    const order = Array.from({ length: natoms }, (_, i) => i).sort((i, j) => this.atoms.id[i] - this.atoms.id[j]);
    const elements = this.resolveElements();
    const a = this.atoms;
    const unwrap = this.options.unwrap === true;
    const positions = new Float64Array(3 * natoms);
    const image = new Int32Array(3 * natoms);
    const numbers = new Int32Array(natoms);
    const masses = new Float64Array(natoms);
    order.forEach((src, i) => {
      for (let k = 0; k < 3; ++k) image[3 * i + k] = a.image[3 * src + k];
      const im = unwrap ? [image[3 * i], image[3 * i + 1], image[3 * i + 2]] : [0, 0, 0];
      for (let k = 0; k < 3; ++k) positions[3 * i + k] = a.xyz[3 * src + k] - origin[k] + im[0] * cell[k] + im[1] * cell[3 + k] + im[2] * cell[6 + k];
      const type = a.type[src];
      numbers[i] = elements.get(type) as number;
      masses[i] = this.masses.get(type)?.mass ?? atomicMasses[numbers[i]];
    });
    const arrays: Record<string, AtomArray> = {};
    if (a.mol.length > 0) arrays['mol-id'] = ndarray(Int32Array.from(order, (src) => a.mol[src]), [natoms]);
    if (this.hasImageFlags && !unwrap) arrays.image = ndarray(image, [natoms, 3]);
    return new Structure({
      positions: ndarray(positions, [natoms, 3]),
      numbers,
      cell: ndarray(Float64Array.from(cell), [3, 3]),
      pbc: true,
      masses,
      charges: a.charge.length > 0 ? Float64Array.from(order, (src) => a.charge[src]) : null,
      velocities: this.seenSections.has('Velocities') ? this.resolveVelocities(order) : null,
      arrays,
    });
  }

  /** Cell rows (Å) and origin from the header: restricted (xlo xhi …) or general (avec …) triclinic. */
  private resolveBox(): { cell: Matrix3; origin: Vector3 } {
    const line = this.firstSectionLine;
    const get = (k: string): number[] | undefined => this.box.get(k)?.values;
    const general = ['avec', 'bvec', 'cvec', 'abc origin'].filter((k) => this.box.has(k));
    const restricted = ['xlo xhi', 'ylo yhi', 'zlo zhi', 'xy xz yz'].filter((k) => this.box.has(k));
    let cell: Matrix3;
    let origin: Vector3;
    if (general.length > 0) {
      if (restricted.length > 0) throw new ParseError(this.file, this.box.get(restricted[0])?.line ?? line, `either the restricted box (xlo xhi, …) or the general one (${general.join(', ')}), not both`, restricted[0]);
      const missing = ['avec', 'bvec', 'cvec'].filter((k) => !this.box.has(k));
      if (missing.length > 0) throw new ParseError(this.file, line, `header lines 'avec', 'bvec' and 'cvec' for a general triclinic box`, `no '${missing.join("', '")}'`);
      cell = [...(get('avec') as number[]), ...(get('bvec') as number[]), ...(get('cvec') as number[])] as Matrix3;
      origin = (get('abc origin') ?? [0, 0, 0]) as Vector3;
    } else {
      const missing = ['xlo xhi', 'ylo yhi', 'zlo zhi'].filter((k) => !this.box.has(k));
      if (missing.length > 0) throw new ParseError(this.file, line, "the box: header lines 'xlo xhi', 'ylo yhi' and 'zlo zhi'", `no '${missing.join("', '")}'`);
      const lo: Vector3 = [0, 1, 2].map((k) => (get(['xlo xhi', 'ylo yhi', 'zlo zhi'][k]) as number[])[0]) as Vector3;
      const hi: Vector3 = [0, 1, 2].map((k) => (get(['xlo xhi', 'ylo yhi', 'zlo zhi'][k]) as number[])[1]) as Vector3;
      for (let k = 0; k < 3; ++k) {
        const key = ['xlo xhi', 'ylo yhi', 'zlo zhi'][k];
        if (!(hi[k] > lo[k])) throw new ParseError(this.file, this.box.get(key)?.line ?? line, `${key.replace(' ', ' < ')}`, `${lo[k]} ${hi[k]}`);
      }
      cell = cellOfBox({ lo, hi, tilt: (get('xy xz yz') ?? [0, 0, 0]) as Vector3 });
      origin = lo;
    }
    if (isSingular(cell)) throw new ParseError(this.file, line, 'a box with non-zero volume', `cell ${JSON.stringify(cell)}`);
    return { cell, origin };
  }

  /** Atomic number of every atom type in use (see the module documentation for the rules). */
  private resolveElements(): Map<number, number> {
    const firstLine = new Map<number, number>();
    this.atoms.type.forEach((t, i) => {
      if (!firstLine.has(t)) firstLine.set(t, this.atoms.line[i]);
    });
    const out = new Map<number, number>();
    for (const [type, line] of firstLine) out.set(type, this.elementOfType(type, line));
    return out;
  }

  private elementOfType(type: number, line: number): number {
    const types = this.typeNumbers;
    if (types !== null) {
      if (type > types.length) {
        throw new ParseError(this.file, line, `atom types 1…${types.length} (options.types lists ${JSON.stringify(this.options.types)})`, `type ${type}`);
      }
      return types[type - 1];
    }
    const label = this.labels.get(type);
    if (label !== undefined && isChemicalSymbol(label)) return atomicNumber(label);
    const entry = this.masses.get(type);
    const word = entry ? splitFields(entry.comment)[0] : undefined;
    if (word !== undefined && isChemicalSymbol(word)) return atomicNumber(word);
    if (entry !== undefined) {
      const matches = elementsOfMass(entry.mass);
      if (matches.length === 1) return matches[0];
      const why = matches.length === 0 ? `mass ${entry.mass} amu, which is no element's standard atomic weight (±${MASS_MATCH_TOLERANCE})` : `mass ${entry.mass} amu, which fits ${matches.map((z) => chemicalSymbol(z)).join(' and ')}`;
      throw new ParseError(this.file, line, `the element of atom type ${type}: pass { types: [...] } (element of type 1 first, e.g. ['Zn', 'O'])`, why);
    }
    throw new ParseError(this.file, line, `the element of atom type ${type}: pass { types: [...] } (element of type 1 first, e.g. ['Zn', 'O'])`, 'no mass, label or element comment for it');
  }

  /** Velocities `[N,3]` in Å/fs, in sorted atom order. */
  private resolveVelocities(order: number[]): NdArray<Float64Array> {
    const indexOfId = new Map<number, number>();
    order.forEach((src, i) => indexOfId.set(this.atoms.id[src], i));
    const out = new Float64Array(3 * order.length);
    const done = new Uint8Array(order.length);
    const v = this.velocities;
    v.id.forEach((id, r) => {
      const i = indexOfId.get(id);
      if (i === undefined) throw new ParseError(this.file, v.line[r], 'the id of an atom of the Atoms section', String(id));
      if (done[i]) throw new ParseError(this.file, v.line[r], `one velocity per atom (atom ${id} already has one)`, String(id));
      done[i] = 1;
      for (let k = 0; k < 3; ++k) out[3 * i + k] = v.v[3 * r + k] / FS_PER_PS;
    });
    return ndarray(out, [order.length, 3]);
  }
}

/** Atomic numbers whose standard atomic weight is within 0.01 amu of `mass`. */
function elementsOfMass(mass: number): number[] {
  const out: number[] = [];
  for (let z = 1; z <= maxAtomicNumber; ++z) if (Math.abs(atomicMasses[z] - mass) <= MASS_MATCH_TOLERANCE + 1e-9) out.push(z);
  return out;
}

// ---- writing ----

/** One mass per type (amu): the atoms' masses, which must agree within a type, else the standard weight. */
function massesOfTypes(structure: Structure, symbols: string[], atomTypes: Int32Array): number[] {
  const masses: (number | undefined)[] = symbols.map(() => undefined);
  atomTypes.forEach((t, i) => {
    const m = structure.masses[i];
    const known = masses[t - 1];
    if (known === undefined) masses[t - 1] = m;
    else if (Math.abs(known - m) > 1e-12 * known) {
      throw new PolymorphError('E_VALUE', `LAMMPS data files hold one mass per atom type, but atoms of type ${t} (${symbols[t - 1]}) have masses ${known} and ${m} amu; give them different types`);
    }
  });
  return masses.map((m, k) => m ?? atomicMasses[atomicNumber(symbols[k])]);
}

/** The image flags of `arrays.image` as text per atom (' ix iy iz'), or null without them. */
function imageFlagText(structure: Structure): ((i: number) => string) | null {
  const image = structure.arrays.image;
  if (image === undefined) return null;
  if (Array.isArray(image) || image.shape.length !== 2 || image.shape[1] !== 3) {
    throw new PolymorphError('E_SHAPE', `LAMMPS data: arrays.image (image flags) must be a numeric [${structure.length}, 3] array`);
  }
  return (i) => {
    const flags = [0, 1, 2].map((k) => image.get(i, k));
    if (!flags.every((x) => Number.isSafeInteger(x))) throw new PolymorphError('E_VALUE', `LAMMPS data: arrays.image must hold integers (image flags), atom ${i} has ${flags.join(' ')}`);
    return ` ${flags.join(' ')}`;
  };
}

function formatData(structure: Structure, options: WriteOptions): string {
  const style = options.atomStyle ?? (structure.charges ? 'charge' : 'atomic');
  if (style !== 'atomic' && style !== 'charge') throw new PolymorphError('E_VALUE', `atomStyle: expected 'atomic' or 'charge', got ${JSON.stringify(style)}`);
  const { symbols, atomTypes } = typesForWriting(structure, options.types);
  const masses = massesOfTypes(structure, symbols, atomTypes);
  const { box, rotation, open } = lammpsBoxOf(structure);
  const n = structure.length;
  const f = formatNumber;
  const out: string[] = [
    `LAMMPS data file written by polymorph: ${structure.formula || 'no atoms'}, units metal${open ? `, box = atoms' bounding box + ${OPEN_BOX_PADDING} A` : ''}`,
    '',
    `${n} atoms`,
    `${symbols.length} atom types`,
    '',
    `${f(box.lo[0])} ${f(box.hi[0])} xlo xhi`,
    `${f(box.lo[1])} ${f(box.hi[1])} ylo yhi`,
    `${f(box.lo[2])} ${f(box.hi[2])} zlo zhi`,
  ];
  if (isTilted(box)) out.push(`${f(box.tilt[0])} ${f(box.tilt[1])} ${f(box.tilt[2])} xy xz yz`);
  out.push('', 'Masses', '', ...symbols.map((s, k) => `${k + 1} ${f(masses[k])} # ${s}`), '', `Atoms # ${style}`, '');
  const r = transformRows(structure.positions, rotation);
  const image = imageFlagText(structure);
  for (let i = 0; i < n; ++i) {
    const q = style === 'charge' ? ` ${f(structure.charges ? structure.charges[i] : 0)}` : '';
    out.push(`${i + 1} ${atomTypes[i]}${q} ${f(r[3 * i])} ${f(r[3 * i + 1])} ${f(r[3 * i + 2])}${image ? image(i) : ''}`);
  }
  if (structure.velocities) {
    const v = transformRows(structure.velocities, rotation);
    out.push('', 'Velocities', '');
    for (let i = 0; i < n; ++i) out.push(`${i + 1} ${f(v[3 * i] * FS_PER_PS)} ${f(v[3 * i + 1] * FS_PER_PS)} ${f(v[3 * i + 2] * FS_PER_PS)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The LAMMPS data file format (metal units); see the module documentation. */
export const lammpsDataFormat: Format = {
  name: 'lammps-data',
  multiFrame: false,
  readOptions: ['types', 'atomStyle', 'unwrap'],
  writeOptions: ['types', 'atomStyle'],
  createParser: (file: string, options: ReadOptions): FrameParser => new LammpsDataParser(file, options),
  formatFrame: (structure: Structure, options: WriteOptions): string => formatData(structure, options),
};

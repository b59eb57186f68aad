/**
 * LAMMPS simulation boxes ↔ polymorph cells, shared by the data (`lammps-data.ts`) and dump
 * (`lammps-dump.ts`) formats. Lengths in Å.
 *
 * LAMMPS stores a *restricted triclinic* box: an origin (xlo, ylo, zlo), upper bounds (xhi, yhi,
 * zhi) and three tilt factors (xy, xz, yz), meaning the edge vectors
 *
 * ```text
 * a = (xhi − xlo, 0,         0        )
 * b = (xy,        yhi − ylo, 0        )
 * c = (xz,        yz,        zhi − zlo)
 * ```
 *
 * (an orthogonal box has zero tilts). A polymorph cell has rows a, b, c in any orientation and its
 * origin at 0. Reading subtracts the LAMMPS origin from every position, so the structure's cell
 * starts at 0 as every polymorph cell does. Writing turns a general cell into LAMMPS's form with
 * the orthogonal transformation Q whose columns are
 *
 * ```text
 * x̂ = a/|a|,   ŷ = (b − (b·x̂)x̂)/|b − (b·x̂)x̂|,   ẑ = ±x̂ × ŷ   (sign: c·ẑ > 0)
 * ```
 *
 * so that r' = r · Q for positions and every per-atom vector (velocities, forces), giving
 * ax = |a|, bx = b·x̂, by = |x̂ × b|, cx = c·x̂, cy = (b·c − bx·cx)/by, cz = √(|c|² − cx² − cy²) as
 * in the LAMMPS documentation ("Triclinic (non-orthogonal) simulation boxes"). Distances, the
 * volume and the cell lengths and angles are preserved. A right-handed cell is rotated (det Q = +1);
 * a left-handed one (det(cell) < 0) cannot be rotated into LAMMPS's right-handed form and is
 * mirrored instead (det Q = −1), which keeps every distance and angle but inverts chirality. A
 * cell that is already lower-triangular with a positive diagonal is used as it is, bit for bit.
 *
 * @example
 * const { box, rotation } = lammpsBoxOf(structure); // box.hi, box.tilt in Å; rotation null if none
 * @module
 */
import { NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';
import { cellEntries, isSingular, Matrix3 } from '../structure/cell';
import { atomicNumber } from '../structure/elements';
import type { Structure } from '../structure/structure';

/** Three numbers (x, y, z). */
export type Vector3 = [number, number, number];

/** A LAMMPS restricted triclinic box (Å). */
export interface LammpsBox {
  /** Origin (xlo, ylo, zlo). */
  lo: Vector3;
  /** Upper bounds (xhi, yhi, zhi) of the box itself (not the bounding box of a tilted box). */
  hi: Vector3;
  /** Tilt factors (xy, xz, yz); all zero for an orthogonal box. */
  tilt: Vector3;
}

/**
 * Padding (Å) around the atoms of a structure without a cell when it is written to a LAMMPS
 * file: the box is the atoms' bounding box grown by this much on every side.
 */
export const OPEN_BOX_PADDING = 10;

/**
 * Femtoseconds per picosecond. LAMMPS metal velocities are Å/ps, polymorph's Å/fs:
 * v(Å/fs) = v(Å/ps) / 1000 (the same factor as `angstromPerPsInAngstromPerFs` = 10⁻³, applied as a
 * division by an exact 1000 so that writing and reading back returns the same double far more often).
 * @example
 * 2.5 / FS_PER_PS // 0.0025 Å/fs for 2.5 Å/ps
 */
export const FS_PER_PS = 1000;

/** The edge vectors a, b, c (rows, Å) of a LAMMPS box. */
export function cellOfBox(box: LammpsBox): Matrix3 {
  const [xy, xz, yz] = box.tilt;
  return [box.hi[0] - box.lo[0], 0, 0, xy, box.hi[1] - box.lo[1], 0, xz, yz, box.hi[2] - box.lo[2]];
}

/** True if any tilt factor is non-zero. */
export function isTilted(box: LammpsBox): boolean {
  return box.tilt.some((t) => t !== 0);
}

/**
 * The orthogonal bounding box of a (tilted) LAMMPS box, as `dump` writes it in
 * `ITEM: BOX BOUNDS xy xz yz`: xlo_bound = xlo + min(0, xy, xz, xy + xz),
 * xhi_bound = xhi + max(0, xy, xz, xy + xz), ylo_bound = ylo + min(0, yz),
 * yhi_bound = yhi + max(0, yz), z unchanged.
 * @example
 * boundsOfBox({ lo: [0, 0, 0], hi: [4, 4, 4], tilt: [1, -2, 0.5] }) // { lo: [-2, 0, 0], hi: [5, 4.5, 4] }
 */
export function boundsOfBox(box: LammpsBox): { lo: Vector3; hi: Vector3 } {
  const [xy, xz, yz] = box.tilt;
  return {
    lo: [box.lo[0] + Math.min(0, xy, xz, xy + xz), box.lo[1] + Math.min(0, yz), box.lo[2]],
    hi: [box.hi[0] + Math.max(0, xy, xz, xy + xz), box.hi[1] + Math.max(0, yz), box.hi[2]],
  };
}

/** The inverse of {@link boundsOfBox}: the box from its bounding box and tilts (Å). */
export function boxFromBounds(lo: Vector3, hi: Vector3, tilt: Vector3): LammpsBox {
  const [xy, xz, yz] = tilt;
  return {
    lo: [lo[0] - Math.min(0, xy, xz, xy + xz), lo[1] - Math.min(0, yz), lo[2]],
    hi: [hi[0] - Math.max(0, xy, xz, xy + xz), hi[1] - Math.max(0, yz), hi[2]],
    tilt: [xy, xz, yz],
  };
}

/** A structure's cell in LAMMPS form. */
export interface LammpsBoxOf {
  /** The box to write. */
  box: LammpsBox;
  /**
   * Orthogonal matrix Q (row-major) taking polymorph coordinates to LAMMPS ones, r' = r · Q;
   * null when none is needed (the cell is already in LAMMPS form, or the structure has no cell).
   */
  rotation: Matrix3 | null;
  /** True when the box was made up around the atoms of a structure without a (usable) cell. */
  open: boolean;
}

/**
 * The LAMMPS box of a structure. A periodic or boxed structure gives its cell in LAMMPS form with
 * the origin at 0; a structure without a cell (or with a singular one, possible only when nothing
 * is periodic) gives the atoms' bounding box padded by `padding` Å on every side, with the atoms
 * left where they are.
 * @example
 * lammpsBoxOf(wurtzite).box.tilt // [-1.625, 0, 0] for a = (3.25, 0, 0), b = (−1.625, 2.81, 0)
 */
export function lammpsBoxOf(structure: Structure, padding = OPEN_BOX_PADDING): LammpsBoxOf {
  if (structure.cell !== null && !isSingular(cellEntries(structure.cell))) {
    const { cell, rotation } = restrictedCell(cellEntries(structure.cell));
    return { box: { lo: [0, 0, 0], hi: [cell[0], cell[4], cell[8]], tilt: [cell[3], cell[6], cell[7]] }, rotation, open: false };
  }
  return { box: paddedBoundingBox(structure.positions, padding), rotation: null, open: true };
}

/**
 * A cell (rows a, b, c) in LAMMPS's lower-triangular form and the orthogonal Q with
 * cell' = cell · Q (see the module documentation). Throws `E_CELL` for a singular cell.
 * @example
 * restrictedCell([0, 3, 0, 0, 0, 4, 5, 0, 0]).cell // [3, 0, 0, 0, 4, 0, 0, 0, 5]
 */
export function restrictedCell(m: Matrix3): { cell: Matrix3; rotation: Matrix3 | null } {
  if (m[1] === 0 && m[2] === 0 && m[5] === 0 && m[0] > 0 && m[4] > 0 && m[8] > 0) return { cell: [...m] as Matrix3, rotation: null };
  const a = [m[0], m[1], m[2]], b = [m[3], m[4], m[5]], c = [m[6], m[7], m[8]];
  const la = Math.hypot(a[0], a[1], a[2]);
  const ex = a.map((x) => x / la);
  const bx = dot(b, ex);
  const bPerp = b.map((x, k) => x - bx * ex[k]);
  const by = Math.hypot(bPerp[0], bPerp[1], bPerp[2]);
  const ey = bPerp.map((x) => x / by);
  let ez = cross(ex, ey);
  if (dot(c, ez) < 0) ez = ez.map((x) => -x);
  const cz = dot(c, ez);
  if (!(la > 0 && by > 0 && cz > 0) || !Number.isFinite(la * by * cz)) {
    throw new PolymorphError('E_CELL', 'cannot express the cell as a LAMMPS box: it is singular (its vectors are linearly dependent)');
  }
  const rotation: Matrix3 = [ex[0], ey[0], ez[0], ex[1], ey[1], ez[1], ex[2], ey[2], ez[2]];
  // Tilts that are only rounding noise of a rotated orthogonal cell become exact zeros.
  const noise = 1e-14 * Math.max(la, by, cz);
  const tilt = (t: number): number => (Math.abs(t) < noise ? 0 : t);
  return { cell: [la, 0, 0, tilt(bx), by, 0, tilt(dot(c, ex)), tilt(dot(c, ey)), cz], rotation };
}

/**
 * Rows of an `[N,3]` array (Å, Å/fs, eV/Å, …) times `rotation`, plus `shift` (default none), as a
 * flat row-major Float64Array: out_i = v_i · Q + shift.
 */
export function transformRows(rows: NdArray, rotation: Matrix3 | null, shift: Vector3 = [0, 0, 0]): Float64Array {
  const n = rows.shape[0];
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; ++i) {
    const x = rows.get(i, 0), y = rows.get(i, 1), z = rows.get(i, 2);
    for (let k = 0; k < 3; ++k) {
      const v = rotation === null ? (k === 0 ? x : k === 1 ? y : z) : x * rotation[k] + y * rotation[3 + k] + z * rotation[6 + k];
      out[3 * i + k] = v + shift[k];
    }
  }
  return out;
}

/** The atoms' bounding box grown by `padding` Å on every side (a 2·padding cube around 0 if there are no atoms). */
function paddedBoundingBox(positions: NdArray, padding: number): LammpsBox {
  const lo: Vector3 = [Infinity, Infinity, Infinity];
  const hi: Vector3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.shape[0]; ++i) {
    for (let k = 0; k < 3; ++k) {
      lo[k] = Math.min(lo[k], positions.get(i, k));
      hi[k] = Math.max(hi[k], positions.get(i, k));
    }
  }
  if (positions.shape[0] === 0) return { lo: [-padding, -padding, -padding], hi: [padding, padding, padding], tilt: [0, 0, 0] };
  return { lo: lo.map((x) => x - padding) as Vector3, hi: hi.map((x) => x + padding) as Vector3, tilt: [0, 0, 0] };
}

function dot(x: number[], y: number[]): number {
  return x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
}

function cross(x: number[], y: number[]): number[] {
  return [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
}

/**
 * Shortest decimal text that reads back as the same double (`String(x)`, with `-0` as `0`), for
 * numbers in LAMMPS files; LAMMPS parses exponents (`1e-7`) with strtod.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `cannot write the non-finite number ${x} to a LAMMPS file`);
  return x === 0 ? '0' : String(x);
}

/**
 * The element of each LAMMPS atom type for writing: `types` (type 1 first) if given, else the
 * elements in order of first appearance. Returns the symbols and each atom's 1-based type.
 * Throws `E_VALUE` if `types` repeats a symbol or misses an element of the structure.
 */
export function typesForWriting(structure: Structure, types: readonly string[] | undefined): { symbols: string[]; atomTypes: Int32Array } {
  const symbols = structure.symbols;
  const order = types === undefined ? [...new Set(symbols)] : [...types];
  const index = new Map<string, number>();
  order.forEach((s, k) => {
    if (index.has(s)) throw new PolymorphError('E_VALUE', `types: '${s}' appears twice in ${JSON.stringify(order)}`);
    index.set(s, k + 1);
  });
  const atomTypes = Int32Array.from(symbols, (s) => {
    const t = index.get(s);
    if (t === undefined) throw new PolymorphError('E_VALUE', `types ${JSON.stringify(order)} has no entry for element '${s}' of the structure; add it`);
    return t;
  });
  return { symbols: order, atomTypes };
}

/**
 * Atomic numbers of the `types` read option (type 1 first), or null without it.
 * Throws `E_ELEMENT` for an unknown symbol and `E_TYPE` for something that is not a list of strings.
 */
export function typesOption(types: readonly string[] | undefined): number[] | null {
  if (types === undefined) return null;
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) {
    throw new PolymorphError('E_TYPE', `types: expected a list of chemical symbols, type 1 first (e.g. ['Zn', 'O']), got ${JSON.stringify(types)}`);
  }
  return types.map((t) => atomicNumber(t));
}

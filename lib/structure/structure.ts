/**
 * `Structure`: the one atomistic container (positions, elements, cell, boundary conditions,
 * optional velocities, masses, charges and labels), shaped like ASE's `Atoms`.
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { inspect } from 'util';
import { checkFinite, isNdArray, MatrixLike, toMatrix, toNested, toVector } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { cellEntries, cellParameters, cellVolume, inverse3, isSingular, Matrix3, planeSpacings } from './cell';
import { atomicMasses, atomicNumber, chemicalSymbol } from './elements';

/** Periodic boundary conditions along a, b, c. */
export type Pbc = [boolean, boolean, boolean];

/**
 * A per-atom label array (`structure.arrays[name]`): a Float64 (`R`), Int32 (`I`) or Uint8 (`L`,
 * booleans as 0/1) ndarray of shape `[N]` or `[N, k]`, or a string array of length N (`S`).
 */
export type AtomArray = NdArray<Float64Array> | NdArray<Int32Array> | NdArray<Uint8Array> | string[];

/** A per-structure label (`structure.info[key]`): scalars, lists, or a numeric ndarray (e.g. stress `[3,3]`). */
export type InfoValue = number | string | boolean | number[] | string[] | boolean[] | NdArray<Float64Array> | NdArray<Int32Array>;

/** What `new Structure(...)` accepts. Arrays may be nested arrays, flat arrays or ndarrays. */
export interface StructureInit {
  /** Cartesian positions, `[N,3]`, Å. */
  positions: MatrixLike;
  /** Atomic numbers (give these or `symbols`). */
  numbers?: ArrayLike<number>;
  /** Chemical symbols (give these or `numbers`). */
  symbols?: readonly string[];
  /** Cell, `[3,3]`, rows = lattice vectors, Å. Required if any direction is periodic. */
  cell?: MatrixLike | null;
  /** Periodicity along a, b, c; one boolean for all three. Default: true if a cell is given, else false. */
  pbc?: boolean | readonly boolean[];
  /** Velocities, `[N,3]`, Å/fs. */
  velocities?: MatrixLike | null;
  /** Masses, amu. Default: standard atomic weights. */
  masses?: ArrayLike<number> | null;
  /** Charges, e. */
  charges?: ArrayLike<number> | null;
  /** Per-structure labels (energy in eV, stress `[3,3]` in eV/Å³, …). */
  info?: Record<string, InfoValue>;
  /** Per-atom labels (e.g. `forces` `[N,3]` in eV/Å). Plain arrays become Float64 ndarrays. */
  arrays?: Record<string, AtomArray | ArrayLike<number> | ArrayLike<ArrayLike<number>> | readonly boolean[]>;
}

/** Options of {@link Structure.distance}. */
export interface DistanceOptions {
  /** Use the minimum-image convention in periodic directions (default false, as in ASE). */
  mic?: boolean;
}

/**
 * An atomic structure: a molecule, cluster, slab or periodic crystal.
 *
 * Units: positions Å, velocities Å/fs, masses amu, charges e, cell Å (rows = lattice vectors).
 * @example
 * const s = new Structure({
 *   symbols: ['Zn', 'O'],
 *   positions: [[0, 0, 0], [0, 0, 1.99]],
 *   cell: [[3.25, 0, 0], [-1.625, 2.814, 0], [0, 0, 5.2]],
 *   pbc: true,
 * });
 * s.length; // 2
 */
export class Structure {
  /** Cartesian positions `[N,3]` (Å). */
  positions: NdArray<Float64Array>;
  /** Atomic numbers. */
  numbers: Int32Array;
  /** Cell `[3,3]` (Å, rows = lattice vectors), or null for an open cluster without a box. */
  cell: NdArray<Float64Array> | null;
  /** Periodicity along a, b, c. */
  pbc: Pbc;
  /** Velocities `[N,3]` (Å/fs), or null. */
  velocities: NdArray<Float64Array> | null;
  /** Masses (amu). */
  masses: Float64Array;
  /** Charges (e), or null. */
  charges: Float64Array | null;
  /** Per-structure labels. */
  info: Record<string, InfoValue>;
  /** Per-atom labels. */
  arrays: Record<string, AtomArray>;

  constructor(init: StructureInit) {
    if (typeof init !== 'object' || init === null) throw new PolymorphError('E_TYPE', 'Structure: expected an object with positions and numbers or symbols');
    this.positions = toMatrix(init.positions, -1, 3, 'positions');
    const n = this.positions.shape[0];
    this.numbers = resolveNumbers(init, n);
    this.cell = resolveCell(init.cell);
    this.pbc = resolvePbc(init.pbc, this.cell !== null);
    if (this.pbc.some((p) => p)) {
      if (this.cell === null) throw new PolymorphError('E_CELL', 'Structure: a periodic structure needs a cell');
      if (isSingular(cellEntries(this.cell))) throw new PolymorphError('E_CELL', 'Structure: the cell is singular but the structure is periodic');
    }
    this.velocities = init.velocities == null ? null : toMatrix(init.velocities, n, 3, 'velocities');
    if (init.masses == null) {
      this.masses = Float64Array.from(this.numbers, (z) => atomicMasses[z]);
    } else {
      this.masses = toVector(init.masses, n, 'masses');
      const bad = this.masses.findIndex((m) => !(m > 0));
      if (bad >= 0) throw new PolymorphError('E_VALUE', `masses[${bad}] must be positive (amu), got ${this.masses[bad]}`);
    }
    this.charges = init.charges == null ? null : toVector(init.charges, n, 'charges');
    this.info = { ...(init.info ?? {}) };
    this.arrays = {};
    for (const [key, value] of Object.entries(init.arrays ?? {})) this.arrays[key] = toAtomArray(value, n, key);
  }

  /** Number of atoms. */
  get length(): number {
    return this.numbers.length;
  }

  /** Chemical symbols. */
  get symbols(): string[] {
    return Array.from(this.numbers, (z) => chemicalSymbol(z));
  }

  /** Chemical formula in Hill order (C, H, then alphabetical; alphabetical without carbon), e.g. `O48Zn48`. */
  get formula(): string {
    const counts = new Map<string, number>();
    for (const s of this.symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
    let keys = [...counts.keys()].sort();
    if (counts.has('C')) keys = ['C', ...(counts.has('H') ? ['H'] : []), ...keys.filter((k) => k !== 'C' && k !== 'H')];
    return keys.map((k) => `${k}${counts.get(k) === 1 ? '' : counts.get(k)}`).join('');
  }

  /** Cell volume (Å³); throws `E_CELL` without a cell. */
  get volume(): number {
    if (this.cell === null) throw new PolymorphError('E_CELL', 'volume: the structure has no cell');
    return cellVolume(this.cell);
  }

  /** True if any direction is periodic. */
  get periodic(): boolean {
    return this.pbc[0] || this.pbc[1] || this.pbc[2];
  }

  /** Cell as 9 row-major numbers; throws `E_CELL` without a cell. */
  cellMatrix(): Matrix3 {
    if (this.cell === null) throw new PolymorphError('E_CELL', 'the structure has no cell');
    return cellEntries(this.cell);
  }

  /** A deep copy. */
  clone(): Structure {
    return this.select(Array.from({ length: this.length }, (_, i) => i));
  }

  /**
   * A new structure with the atoms at `indices` (in that order; repeats allowed), carrying every
   * per-atom array and a copy of `info`.
   */
  select(indices: ArrayLike<number>): Structure {
    const n = this.length;
    const idx = Array.from(indices);
    idx.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new PolymorphError('E_VALUE', `select: index ${i} at position ${k} is out of range 0…${n - 1}`);
    });
    return this.rebuild(idx, (i) => [0, 0, 0], idx.length);
  }

  /** Fractional coordinates `[N,3]` (s = r · cell⁻¹); throws `E_CELL` without a non-singular cell. */
  scaledPositions(): NdArray<Float64Array> {
    const inv = inverse3(this.cellMatrix());
    const n = this.length;
    const out = new Float64Array(3 * n);
    const p = this.positions;
    for (let i = 0; i < n; ++i) {
      const x = p.get(i, 0), y = p.get(i, 1), z = p.get(i, 2);
      for (let k = 0; k < 3; ++k) out[3 * i + k] = x * inv[k] + y * inv[3 + k] + z * inv[6 + k];
    }
    return ndarray(out, [n, 3]);
  }

  /** Sets positions from fractional coordinates `[N,3]`. */
  setScaledPositions(scaled: MatrixLike): void {
    const s = toMatrix(scaled, this.length, 3, 'scaled positions');
    const m = this.cellMatrix();
    for (let i = 0; i < this.length; ++i) {
      for (let a = 0; a < 3; ++a) {
        this.positions.set(i, a, s.get(i, 0) * m[a] + s.get(i, 1) * m[3 + a] + s.get(i, 2) * m[6 + a]);
      }
    }
  }

  /** Moves every atom into the cell ([0,1) fractional) along periodic directions, in place. Returns `this`. */
  wrap(): this {
    if (!this.periodic) return this;
    const s = this.scaledPositions();
    for (let i = 0; i < this.length; ++i) {
      for (let k = 0; k < 3; ++k) {
        if (!this.pbc[k]) continue;
        let x = s.get(i, k) - Math.floor(s.get(i, k));
        if (x >= 1) x -= 1;
        s.set(i, k, x);
      }
    }
    // Only periodic coordinates change; open ones are written back unchanged.
    this.setScaledPositions(s);
    return this;
  }

  /**
   * A supercell `nx × ny × nz` (ASE's `Atoms.repeat`): images outermost (a, then b, then c),
   * atoms innermost; per-atom arrays repeat with the atoms, the cell rows scale.
   */
  repeat(reps: number | readonly [number, number, number]): Structure {
    const r = typeof reps === 'number' ? [reps, reps, reps] : [...reps];
    if (r.length !== 3 || !r.every((x) => Number.isInteger(x) && x >= 1)) {
      throw new PolymorphError('E_VALUE', `repeat: expected three positive integers, got ${JSON.stringify(reps)}`);
    }
    const m = this.cellMatrix();
    const n = this.length;
    const images: [number, number, number][] = [];
    for (let a = 0; a < r[0]; ++a) for (let b = 0; b < r[1]; ++b) for (let c = 0; c < r[2]; ++c) images.push([a, b, c]);
    const idx: number[] = [];
    const shift: number[][] = [];
    for (const img of images) {
      const t = [0, 1, 2].map((x) => img[0] * m[x] + img[1] * m[3 + x] + img[2] * m[6 + x]);
      for (let i = 0; i < n; ++i) {
        idx.push(i);
        shift.push(t);
      }
    }
    const out = this.rebuild(idx, (k) => shift[k], idx.length);
    const cell = new Float64Array(9);
    for (let i = 0; i < 3; ++i) for (let k = 0; k < 3; ++k) cell[3 * i + k] = m[3 * i + k] * r[i];
    out.cell = ndarray(cell, [3, 3]);
    return out;
  }

  /**
   * Distance between atoms i and j (Å). With `{ mic: true }`, the shortest distance over periodic
   * images (exact for any triclinic cell: candidate images are bounded by the plane spacings).
   */
  distance(i: number, j: number, options: DistanceOptions = {}): number {
    for (const k of [i, j]) {
      if (!Number.isInteger(k) || k < 0 || k >= this.length) throw new PolymorphError('E_VALUE', `distance: index ${k} is out of range 0…${this.length - 1}`);
    }
    const d = [0, 1, 2].map((a) => this.positions.get(j, a) - this.positions.get(i, a));
    if (!options.mic || !this.periodic) return Math.hypot(d[0], d[1], d[2]);
    return minimumImageLength(d, this.cellMatrix(), this.pbc);
  }

  /** A plain JSON-able object; `Structure.fromJSON` reads it back. */
  toJSON(): StructureJSON {
    const arrays: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.arrays)) {
      arrays[key] = Array.isArray(value) ? value : value.shape.length === 1 ? Array.from(value.data as ArrayLike<number>) : toNested(value);
    }
    const info: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.info)) info[key] = isNdArray(value) ? toNested(value) : value;
    return {
      numbers: Array.from(this.numbers),
      positions: toNested(this.positions),
      cell: this.cell ? toNested(this.cell) : null,
      pbc: [...this.pbc],
      masses: Array.from(this.masses),
      ...(this.velocities ? { velocities: toNested(this.velocities) } : {}),
      ...(this.charges ? { charges: Array.from(this.charges) } : {}),
      info,
      arrays,
    };
  }

  /** Reads what {@link toJSON} wrote. */
  static fromJSON(json: StructureJSON): Structure {
    const info: Record<string, InfoValue> = {};
    for (const [key, value] of Object.entries(json.info ?? {})) {
      info[key] = Array.isArray(value) && Array.isArray(value[0]) ? toMatrix(value as number[][], -1, (value[0] as number[]).length, `info.${key}`) : (value as InfoValue);
    }
    return new Structure({ ...json, info, arrays: json.arrays as StructureInit['arrays'] });
  }

  /** A one-line summary for notebooks and `console.log`. */
  [inspect.custom](): string {
    const parts = [`formula='${this.formula}'`, `N=${this.length}`];
    if (this.cell) {
      const p = cellParameters(this.cell);
      parts.push(`cell=[${p.slice(0, 3).map((x) => x.toFixed(4)).join(', ')} Å; ${p.slice(3).map((x) => x.toFixed(2)).join(', ')}°]`);
    } else {
      parts.push('cell=none');
    }
    parts.push(`pbc=[${this.pbc.map((x) => (x ? 'T' : 'F')).join(', ')}]`);
    const extra = [...(this.velocities ? ['velocities'] : []), ...(this.charges ? ['charges'] : []), ...Object.keys(this.arrays)];
    if (extra.length) parts.push(`arrays=[${extra.join(', ')}]`);
    if (Object.keys(this.info).length) parts.push(`info=[${Object.keys(this.info).join(', ')}]`);
    return `Structure(${parts.join(', ')})`;
  }

  /** Same as the inspect summary. */
  toString(): string {
    return this[inspect.custom]();
  }

  /** A new structure from source atoms `idx` (with Cartesian shifts), copying every per-atom array. */
  private rebuild(idx: number[], shift: (k: number) => number[], count: number): Structure {
    const pos = new Float64Array(3 * count);
    idx.forEach((i, k) => {
      const t = shift(k);
      for (let a = 0; a < 3; ++a) pos[3 * k + a] = this.positions.get(i, a) + t[a];
    });
    const pick = (v: Float64Array): Float64Array => Float64Array.from(idx, (i) => v[i]);
    const arrays: Record<string, AtomArray> = {};
    for (const [key, value] of Object.entries(this.arrays)) arrays[key] = selectAtomArray(value, idx);
    const info: Record<string, InfoValue> = {};
    for (const [key, value] of Object.entries(this.info)) info[key] = copyInfo(value);
    return new Structure({
      positions: ndarray(pos, [count, 3]),
      numbers: Int32Array.from(idx, (i) => this.numbers[i]),
      cell: this.cell ? ndarray(Float64Array.from(this.cell.data), [3, 3]) : null,
      pbc: [...this.pbc],
      velocities: this.velocities ? selectRows(this.velocities, idx) : null,
      masses: pick(this.masses),
      charges: this.charges ? pick(this.charges) : null,
      info,
      arrays,
    });
  }
}

/** The JSON form of a structure. */
export interface StructureJSON {
  numbers: number[];
  positions: number[][];
  cell: number[][] | null;
  pbc: boolean[];
  masses?: number[];
  velocities?: number[][];
  charges?: number[];
  info?: Record<string, unknown>;
  arrays?: Record<string, unknown>;
}

function resolveNumbers(init: StructureInit, n: number): Int32Array {
  if (init.numbers != null && init.symbols != null) throw new PolymorphError('E_VALUE', 'Structure: give numbers or symbols, not both');
  if (init.symbols != null) {
    if (init.symbols.length !== n) throw new PolymorphError('E_SHAPE', `Structure: ${init.symbols.length} symbols for ${n} positions`);
    return Int32Array.from(init.symbols, (s) => atomicNumber(s));
  }
  if (init.numbers != null) {
    if (init.numbers.length !== n) throw new PolymorphError('E_SHAPE', `Structure: ${init.numbers.length} atomic numbers for ${n} positions`);
    const z = Int32Array.from(init.numbers as ArrayLike<number>);
    for (let i = 0; i < n; ++i) {
      if (z[i] !== (init.numbers as ArrayLike<number>)[i]) throw new PolymorphError('E_ELEMENT', `numbers[${i}] is not an integer`);
      chemicalSymbol(z[i]);
    }
    return z;
  }
  throw new PolymorphError('E_VALUE', 'Structure: numbers or symbols are required');
}

function resolveCell(cell: MatrixLike | null | undefined): NdArray<Float64Array> | null {
  if (cell == null) return null;
  const m = toMatrix(cell, 3, 3, 'cell');
  if (m.data.every((x) => x === 0)) return null;
  return m;
}

function resolvePbc(pbc: boolean | readonly boolean[] | undefined, hasCell: boolean): Pbc {
  if (pbc === undefined) return [hasCell, hasCell, hasCell];
  if (typeof pbc === 'boolean') return [pbc, pbc, pbc];
  if (!Array.isArray(pbc) || pbc.length !== 3 || !pbc.every((p) => typeof p === 'boolean')) {
    throw new PolymorphError('E_TYPE', `pbc: expected a boolean or three booleans, got ${JSON.stringify(pbc)}`);
  }
  return [pbc[0], pbc[1], pbc[2]];
}

function toAtomArray(value: unknown, n: number, key: string): AtomArray {
  const what = `arrays.${key}`;
  if (isNdArray(value)) {
    if (value.shape[0] !== n || value.shape.length > 2) throw new PolymorphError('E_SHAPE', `${what}: expected shape [${n}] or [${n}, k], got [${value.shape.join(', ')}]`);
    const data = value.data as unknown;
    const cols = value.shape.length === 2 ? value.shape[1] : 1;
    const Ctor = data instanceof Int32Array ? Int32Array : data instanceof Uint8Array ? Uint8Array : Float64Array;
    const out = new Ctor(n * cols);
    for (let i = 0; i < n; ++i) for (let k = 0; k < cols; ++k) out[i * cols + k] = value.shape.length === 2 ? value.get(i, k) : value.get(i);
    if (Ctor === Float64Array) checkFinite(out, what, cols);
    return ndarray(out, value.shape.length === 2 ? [n, cols] : [n]) as AtomArray;
  }
  if (typeof value !== 'object' || value === null || typeof (value as ArrayLike<unknown>).length !== 'number') {
    throw new PolymorphError('E_TYPE', `${what}: expected an array with one entry per atom`);
  }
  const list = value as ArrayLike<unknown>;
  if (list.length !== n) throw new PolymorphError('E_SHAPE', `${what}: expected ${n} entries, got ${list.length}`);
  if (value instanceof Int32Array) return ndarray(Int32Array.from(value), [n]);
  if (value instanceof Uint8Array) return ndarray(Uint8Array.from(value), [n]);
  if (n > 0 && typeof list[0] === 'string') {
    const out = Array.from(list, (x, i) => {
      if (typeof x !== 'string') throw new PolymorphError('E_TYPE', `${what}[${i}] is not a string`);
      return x;
    });
    return out;
  }
  if (n > 0 && typeof list[0] === 'boolean') {
    return ndarray(Uint8Array.from(list, (x, i) => {
      if (typeof x !== 'boolean') throw new PolymorphError('E_TYPE', `${what}[${i}] is not a boolean`);
      return x ? 1 : 0;
    }), [n]);
  }
  if (n > 0 && typeof list[0] === 'object') {
    const cols = (list[0] as ArrayLike<number>).length;
    return toMatrix(list as ArrayLike<ArrayLike<number>>, n, cols, what);
  }
  return ndarray(toVector(list as ArrayLike<number>, n, what), [n]);
}

function selectRows(a: NdArray<Float64Array>, idx: number[]): NdArray<Float64Array> {
  const cols = a.shape[1];
  const out = new Float64Array(idx.length * cols);
  idx.forEach((i, k) => {
    for (let c = 0; c < cols; ++c) out[k * cols + c] = a.get(i, c);
  });
  return ndarray(out, [idx.length, cols]);
}

function selectAtomArray(a: AtomArray, idx: number[]): AtomArray {
  if (Array.isArray(a)) return idx.map((i) => a[i]);
  const cols = a.shape.length === 2 ? a.shape[1] : 1;
  const Ctor = a.data.constructor as { new (n: number): Float64Array | Int32Array | Uint8Array };
  const out = new Ctor(idx.length * cols);
  idx.forEach((i, k) => {
    for (let c = 0; c < cols; ++c) out[k * cols + c] = a.shape.length === 2 ? a.get(i, c) : a.get(i);
  });
  return ndarray(out, a.shape.length === 2 ? [idx.length, cols] : [idx.length]) as AtomArray;
}

function copyInfo(value: InfoValue): InfoValue {
  if (isNdArray(value)) {
    const Ctor = value.data.constructor as unknown as { from(x: ArrayLike<number>): Float64Array };
    return ndarray(Ctor.from(value.data as ArrayLike<number>), [...value.shape]) as NdArray<Float64Array>;
  }
  return Array.isArray(value) ? ([...value] as InfoValue) : value;
}

/** Shortest |d + S·cell| over integer image shifts S in periodic directions (exact search). */
function minimumImageLength(d: number[], m: Matrix3, pbc: Pbc): number {
  const inv = inverse3(m);
  const s = [0, 1, 2].map((k) => d[0] * inv[k] + d[1] * inv[3 + k] + d[2] * inv[6 + k]);
  for (let k = 0; k < 3; ++k) if (pbc[k]) s[k] -= Math.round(s[k]);
  const base = [0, 1, 2].map((a) => s[0] * m[a] + s[1] * m[3 + a] + s[2] * m[6 + a]);
  let best = Math.hypot(base[0], base[1], base[2]);
  // Any shorter image differs by at most best / spacing_k periods along k.
  const spacing = planeSpacings(m);
  const range = [0, 1, 2].map((k) => (pbc[k] ? Math.floor(best / spacing[k]) + 1 : 0));
  for (let a = -range[0]; a <= range[0]; ++a) {
    for (let b = -range[1]; b <= range[1]; ++b) {
      for (let c = -range[2]; c <= range[2]; ++c) {
        const v = [0, 1, 2].map((x) => base[x] + a * m[x] + b * m[3 + x] + c * m[6 + x]);
        best = Math.min(best, Math.hypot(v[0], v[1], v[2]));
      }
    }
  }
  return best;
}


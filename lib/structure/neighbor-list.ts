/**
 * Neighbour lists, built in C++ on a cell list (O(N), OpenMP-parallel, any triclinic cell,
 * periodic/open/mixed boundaries, cutoffs larger than half the cell).
 * @module
 */
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import { NativeNeighborList } from '../core/native-types';
import { runQueued } from '../core/threads';
import { fromNative } from '../core/errors';
import { Structure } from './structure';
import { inspect } from 'util';
import { formatNumber, summary } from '../core/inspect';

/** Options of {@link NeighborList.build}. */
export interface NeighborListOptions {
  /** Full list (each pair under both atoms, default) or half list (each pair once). */
  full?: boolean;
  /** Verlet skin (Å): pairs are listed up to cutoff + skin, so the list stays valid while atoms move less than skin/2. */
  skin?: number;
}

/**
 * A neighbour list in compressed-row form. The neighbours of atom i are entries
 * `rowPtr[i] … rowPtr[i+1]-1` of `neighbors`, `shifts`, `vectors` and `distances`.
 *
 * A pair (i, j, S) is listed when |r_j + S·cell − r_i| < cutoff + skin (S: integer image shift,
 * zero along open directions), except i = j with S = 0. A half list keeps each pair once, under
 * one of its two atoms — which one depends on the positions (as in LAMMPS; do not assume i < j);
 * an atom's own periodic image (i = j) is kept with S lexicographically positive. Summing a pair
 * term over a half list and adding it to both atoms counts every pair exactly once.
 * @example
 * const list = NeighborList.build(structure, 6.0);
 * const coordination = list.counts(); // neighbours per atom
 */
export class NeighborList {
  /** Interaction cutoff (Å), without the skin. */
  readonly cutoff: number;
  /** Verlet skin (Å). */
  readonly skin: number;
  /** True for a full list, false for a half list. */
  readonly full: boolean;
  private data: NativeNeighborList;
  private reference!: Float64Array;
  private referenceCell!: Float64Array | null;

  private constructor(raw: NativeNeighborList, s: Structure, cutoff: number, skin: number, full: boolean) {
    this.data = raw;
    this.cutoff = cutoff;
    this.skin = skin;
    this.full = full;
    this.remember(s);
  }

  /** Row pointers, length N+1. */
  get rowPtr(): Int32Array {
    return this.data.rowPtr;
  }
  /** Neighbour indices j, length M. */
  get neighbors(): Int32Array {
    return this.data.neighbors;
  }
  /** Integer image shifts S, length 3M (row-major `[M,3]`). */
  get shifts(): Int32Array {
    return this.data.shifts;
  }
  /** Vectors r_j + S·cell − r_i (Å), length 3M (row-major `[M,3]`). */
  get vectors(): Float64Array {
    return this.data.vectors;
  }
  /** Distances |vectors| (Å), length M. */
  get distances(): Float64Array {
    return this.data.distances;
  }

  /** Builds the list for `structure` with the given cutoff (Å). */
  static build(structure: Structure, cutoff: number, options: NeighborListOptions = {}): NeighborList {
    const { full, skin, args } = prepare(structure, cutoff, options);
    const raw = callNative((a) => a.neighborList(...args));
    return new NeighborList(raw, structure, cutoff, skin, full);
  }

  /** {@link build} off the event loop. */
  static buildAsync(structure: Structure, cutoff: number, options: NeighborListOptions = {}): Promise<NeighborList> {
    const { full, skin, args } = prepare(structure, cutoff, options);
    return runQueued(async () => {
      try {
        const raw = await callNative((a) => a.neighborListAsync(...args));
        return new NeighborList(raw, structure, cutoff, skin, full);
      } catch (error) {
        throw fromNative(error);
      }
    });
  }

  /**
   * Rebuilds the list for `structure` (same cutoff, skin and kind) in place, writing into this
   * list's memory when the new list fits (arrays are allocated with 10 % headroom), as MD codes
   * do when a Verlet list expires. Typed arrays obtained from this list before the call may be
   * overwritten: read the properties again afterwards. Returns `this`.
   * @example
   * if (list.needsRebuild(structure)) list.update(structure);
   */
  update(structure: Structure): this {
    const { args } = prepare(structure, this.cutoff, { full: this.full, skin: this.skin });
    const reuse = {
      rowPtr: this.data.rowPtr.buffer, neighbors: this.data.neighbors.buffer, shifts: this.data.shifts.buffer,
      vectors: this.data.vectors.buffer, distances: this.data.distances.buffer,
    };
    this.data = callNative((a) => a.neighborList(...args, reuse));
    this.remember(structure);
    return this;
  }

  private remember(s: Structure): void {
    const positions = flatFloat64(s.positions);
    if (this.reference?.length === positions.length) this.reference.set(positions);
    else this.reference = new Float64Array(positions);
    this.referenceCell = s.cell ? new Float64Array(s.cell.data) : null;
  }

  /** Number of atoms. */
  get length(): number {
    return this.rowPtr.length - 1;
  }

  /** Number of listed pairs M. */
  get size(): number {
    return this.neighbors.length;
  }

  /** Neighbours per atom. */
  counts(): Int32Array {
    return Int32Array.from({ length: this.length }, (_, i) => this.rowPtr[i + 1] - this.rowPtr[i]);
  }

  /** Neighbour indices of atom i (a view, no copy). */
  neighborsOf(i: number): Int32Array {
    return this.neighbors.subarray(this.rowPtr[i], this.rowPtr[i + 1]);
  }

  /**
   * True if the list must be rebuilt for `structure`: the atom count or the cell changed, or an
   * atom moved more than skin/2 since the build (then a pair may have crossed cutoff + skin).
   */
  needsRebuild(structure: Structure): boolean {
    if (structure.length !== this.length) return true;
    const cell = structure.cell ? structure.cell.data : null;
    if ((cell === null) !== (this.referenceCell === null)) return true;
    if (cell && this.referenceCell) for (let k = 0; k < 9; ++k) if (cell[k] !== this.referenceCell[k]) return true;
    const limit2 = (this.skin / 2) ** 2;
    const p = structure.positions;
    for (let i = 0; i < this.length; ++i) {
      const dx = p.get(i, 0) - this.reference[3 * i], dy = p.get(i, 1) - this.reference[3 * i + 1], dz = p.get(i, 2) - this.reference[3 * i + 2];
      if (dx * dx + dy * dy + dz * dz > limit2) return true;
    }
    return false;
  }

  /** A short summary for notebooks and `console.log` (atoms, pairs, cutoff, neighbours per atom). */
  [inspect.custom](): string {
    let min = Infinity, max = 0;
    for (let i = 0; i < this.length; ++i) {
      const c = this.rowPtr[i + 1] - this.rowPtr[i];
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    const mean = this.length ? this.size / this.length : 0;
    return summary('NeighborList', {
      atoms: this.length, pairs: `${this.size} (${this.full ? 'full' : 'half'} list)`,
      cutoff: `${formatNumber(this.cutoff)} Å${this.skin ? ` + skin ${formatNumber(this.skin)} Å` : ''}`,
      'neighbours per atom': this.length ? `${formatNumber(mean)} (${min}–${max})` : undefined,
    });
  }
}

function prepare(s: Structure, cutoff: number, options: NeighborListOptions) {
  if (!(s instanceof Structure)) throw new PolymorphError('E_TYPE', 'NeighborList.build: expected a Structure');
  if (!(typeof cutoff === 'number' && Number.isFinite(cutoff) && cutoff > 0)) {
    throw new PolymorphError('E_VALUE', `NeighborList.build: cutoff must be a positive number of Å, got ${cutoff}`);
  }
  const skin = options.skin ?? 0;
  if (!(Number.isFinite(skin) && skin >= 0)) throw new PolymorphError('E_VALUE', `NeighborList.build: skin must be >= 0 Å, got ${skin}`);
  const full = options.full ?? true;
  const args: [Float64Array, Float64Array | null, boolean[], number, boolean] = [
    flatFloat64(s.positions), s.cell ? flatFloat64(s.cell) : null, [...s.pbc], cutoff + skin, full,
  ];
  return { full, skin, args };
}

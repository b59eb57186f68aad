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
import { checkOptions } from '../core/options';
import { Structure } from './structure';
import { inspect } from 'util';
import { formatNumber, summary } from '../core/inspect';

/** Default memory budget of one neighbour list: 4 GiB (bytes). */
export const NEIGHBOR_LIST_MEMORY_LIMIT = 4 * 1024 ** 3;

/** Options of {@link NeighborList.build}. */
export interface NeighborListOptions {
  /** Full list (each pair under both atoms, default) or half list (each pair once). */
  full?: boolean;
  /** Verlet skin (Å): pairs are listed up to cutoff + skin, so the list stays valid while atoms move less than skin/2. */
  skin?: number;
  /**
   * Also store pair vectors and distances at build time (48 bytes a pair instead of 16).
   * Default false: a lean list of indices and image shifts, which is what potentials and MD
   * need; {@link NeighborList.vectors} and {@link NeighborList.distances} are then computed on
   * first access.
   */
  vectors?: boolean;
  /**
   * Memory budget in bytes (default {@link NEIGHBOR_LIST_MEMORY_LIMIT}, 4 GiB). The pair count
   * is estimated from the density before anything is allocated, and a list that would not fit
   * is refused with `E_VALUE` stating the estimate (e.g. a cutoff typed as 1e4 Å).
   */
  memoryLimit?: number;
}

const optionKeys = ['full', 'skin', 'vectors', 'memoryLimit'] as const;

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
  /** Memory budget used for (re)builds, bytes. */
  readonly memoryLimit: number;
  /** Whether vectors and distances are stored at build time (else computed on first access). */
  readonly storesVectors: boolean;
  private data: NativeNeighborList;
  private reference!: Float64Array;
  private referenceCell!: Float64Array | null;
  private computed: { vectors: Float64Array; distances: Float64Array } | null = null;

  private constructor(raw: NativeNeighborList, s: Structure, settings: Settings) {
    this.data = raw;
    this.cutoff = settings.cutoff;
    this.skin = settings.skin;
    this.full = settings.full;
    this.storesVectors = settings.vectors;
    this.memoryLimit = settings.memoryLimit;
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
  /**
   * Vectors r_j + S·cell − r_i (Å) at the positions of the last build, length 3M (row-major
   * `[M,3]`). Stored at build time with `{ vectors: true }`, else computed on first access.
   */
  get vectors(): Float64Array {
    return this.data.vectors.length === 3 * this.size ? this.data.vectors : this.materialised().vectors;
  }
  /** Distances |vectors| (Å) at the positions of the last build, length M. */
  get distances(): Float64Array {
    return this.data.distances.length === this.size ? this.data.distances : this.materialised().distances;
  }

  private materialised(): { vectors: Float64Array; distances: Float64Array } {
    if (!this.computed) {
      const { rowPtr, neighbors, shifts } = this.data;
      this.computed = callNative((a) => a.neighborListVectors(this.reference, this.referenceCell, rowPtr, neighbors, shifts));
    }
    return this.computed;
  }

  /**
   * Builds the list for `structure` with the given cutoff (Å).
   * @example
   * const list = NeighborList.build(structure, 6.0, { full: false, skin: 0.5 }); // a Verlet half list
   */
  static build(structure: Structure, cutoff: number, options: NeighborListOptions = {}): NeighborList {
    const { settings, args } = prepare(structure, cutoff, options);
    const raw = callNative((a) => a.neighborList(...args));
    return new NeighborList(raw, structure, settings);
  }

  /** {@link build} off the event loop; the positions are copied at the call. */
  static buildAsync(structure: Structure, cutoff: number, options: NeighborListOptions = {}): Promise<NeighborList> {
    let prepared: ReturnType<typeof prepare>;
    let snapshot: Structure;
    try {
      prepared = prepare(structure, cutoff, options, true);
      snapshot = structure.clone(); // the positions the list is built for (needsRebuild compares with them)
    } catch (error) {
      return Promise.reject(error);
    }
    const { settings, args } = prepared;
    return runQueued(async () => {
      try {
        const raw = await callNative((a) => a.neighborListAsync(...args));
        return new NeighborList(raw, snapshot, settings);
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
    const { args } = prepare(structure, this.cutoff, { full: this.full, skin: this.skin, vectors: this.storesVectors, memoryLimit: this.memoryLimit });
    const reuse = {
      rowPtr: this.data.rowPtr.buffer, neighbors: this.data.neighbors.buffer, shifts: this.data.shifts.buffer,
      vectors: this.data.vectors.buffer, distances: this.data.distances.buffer,
    };
    this.data = callNative((a) => a.neighborList(...args, reuse));
    this.remember(structure);
    return this;
  }

  private remember(s: Structure): void {
    this.computed = null;
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
    return this.data.neighbors.length;
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

interface Settings {
  cutoff: number;
  skin: number;
  full: boolean;
  vectors: boolean;
  memoryLimit: number;
}

type BuildArgs = [Float64Array, Float64Array | null, boolean[], number, boolean, { vectors: boolean; memoryLimit: number }];

function prepare(s: Structure, cutoff: number, options: NeighborListOptions, copy = false): { settings: Settings; args: BuildArgs } {
  if (!(s instanceof Structure)) throw new PolymorphError('E_TYPE', 'NeighborList.build: expected a Structure');
  const o = checkOptions(options, optionKeys, 'NeighborList.build');
  if (!(typeof cutoff === 'number' && Number.isFinite(cutoff) && cutoff > 0)) {
    throw new PolymorphError('E_VALUE', `NeighborList.build: cutoff must be a positive number of Å, got ${cutoff}`);
  }
  const skin = o.skin ?? 0;
  if (!(typeof skin === 'number' && Number.isFinite(skin) && skin >= 0)) throw new PolymorphError('E_VALUE', `NeighborList.build: skin must be >= 0 Å, got ${skin}`);
  const full = o.full ?? true;
  const vectors = o.vectors ?? false;
  if (typeof full !== 'boolean' || typeof vectors !== 'boolean') throw new PolymorphError('E_TYPE', 'NeighborList.build: full and vectors must be booleans');
  const memoryLimit = o.memoryLimit ?? NEIGHBOR_LIST_MEMORY_LIMIT;
  if (!(typeof memoryLimit === 'number' && memoryLimit > 0)) throw new PolymorphError('E_VALUE', `NeighborList.build: memoryLimit must be a positive number of bytes, got ${String(memoryLimit)}`);
  const positions = flatFloat64(s.positions);
  const cell = s.cell ? flatFloat64(s.cell) : null;
  const args: BuildArgs = [
    copy ? Float64Array.from(positions) : positions, cell && copy ? Float64Array.from(cell) : cell, [...s.pbc], cutoff + skin, full,
    { vectors, memoryLimit },
  ];
  return { settings: { cutoff, skin, full, vectors, memoryLimit }, args };
}

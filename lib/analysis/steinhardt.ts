/**
 * Steinhardt bond-orientational order parameters per atom — plain, Lechner–Dellago averaged,
 * Voronoi-weighted (Mickel et al.), per species — and the Voronoi tessellation they use,
 * computed in C++ (OpenMP; results bitwise identical for any thread count).
 *
 * For atom i with neighbours j (weights w_ij: 1, or the area of the Voronoi face between i and j):
 *
 * - q_lm(i) = Σ_j w_ij Y_lm(r̂_ij) / Σ_j w_ij
 * - q_l(i) = √(4π/(2l+1) Σ_m |q_lm(i)|²)
 * - ŵ_l(i) = Σ_{m1+m2+m3=0} (l l l; m1 m2 m3) q_lm1 q_lm2 q_lm3 / (Σ_m |q_lm|²)^{3/2} (0 when q_l ≈ 0)
 * - averaged: q̄_lm(i) = (q_lm(i) + Σ_j q_lm(j)) / (N_b(i) + 1), unweighted, over the same
 *   neighbours (as pyscal, freud ≥ 2021 and AtomHIC); q̄_l, w̄_l from q̄_lm.
 *
 * Neighbours: `{ cutoff }` (every atom closer than cutoff Å, periodic images included),
 * `{ count }` (the N nearest; ties broken by atom index, then image), `{ voronoi: true }` (the
 * atoms sharing a Voronoi face, weighted by face area; faces smaller than `areaThreshold` × the
 * cell's surface are dropped, default 1e-5; see {@link voronoi} for open boundaries).
 * `species: 'same'` computes everything on the atom's own species' sub-lattice (the other species
 * removed; for Voronoi the sub-lattice is tessellated anew) — the homonuclear features of SGMA.
 *
 * Atoms without neighbours get a NaN row and `neighborCounts[i] = 0`.
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { flatFloat64 } from '../core/arrays';
import { fromNative, PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeAddon } from '../core/native-types';
import { checkOptions } from '../core/options';
import { runQueued } from '../core/threads';
import { Structure } from '../structure/structure';

/** Largest degree l accepted. */
export const STEINHARDT_MAX_DEGREE = 20;

/** Voronoi options shared by {@link voronoi} and `neighbors: { voronoi: true }`. */
export interface VoronoiOptions {
  /**
   * Faces with area below this fraction of the cell's total surface area are dropped (not
   * neighbours, no weight; their volume still counts). Perfect crystals have degenerate vertices
   * that give zero- or near-zero-area faces. Default 1e-5; must be in [0, 1).
   */
  areaThreshold?: number;
  /**
   * Open boundaries (any non-periodic direction): every cell is also clipped by the 26-face
   * polyhedron around the sphere of this radius (Å) centred on its atom (faces normal to the
   * axes, face and body diagonals); its faces are artificial (not neighbours, no weight; their
   * area is `openArea`). Default: 2 × the median nearest-neighbour distance. Ignored when all
   * directions are periodic.
   */
  openBoundary?: number;
}

/** Neighbour definition of {@link steinhardt}: exactly one of cutoff, count, voronoi. */
export type SteinhardtNeighbors = { cutoff: number } | { count: number } | ({ voronoi: true } & VoronoiOptions);

/** Options of {@link steinhardt}. */
export interface SteinhardtOptions {
  /** Degree(s) l, integers 0…20. Default [2, 3, 4, 5, 6, 7, 8]. */
  l?: number | readonly number[];
  /** Which atoms are neighbours (required). */
  neighbors: SteinhardtNeighbors;
  /** Lechner–Dellago averages q̄_l (or w̄_l). Default false. */
  average?: boolean;
  /** Normalised third-order invariants ŵ_l instead of q_l. Default false. */
  wl?: boolean;
  /** `'all'` (default): every atom; `'same'`: only atoms of the central atom's element (its sub-lattice). */
  species?: 'all' | 'same';
}

/** What {@link steinhardt} returns: an `[N, n_l]` ndarray (rows = atoms, columns = `degrees`) with two more fields. */
export type SteinhardtArray = NdArray<Float64Array> & {
  /** The degree l of each column. */
  readonly degrees: readonly number[];
  /** Neighbours (or Voronoi faces) each atom's values used; 0 flags a NaN row. */
  readonly neighborCounts: Int32Array;
};

/** The Voronoi tessellation returned by {@link voronoi}. */
export interface VoronoiCells {
  /** `[N]` cell volumes, Å³. */
  volumes: Float64Array;
  /** `[N]` area of each cell's artificial open-boundary faces, Å² (> 0: a surface atom). */
  openArea: Float64Array;
  /** `[N+1]`: the faces of atom i are `rowPtr[i] … rowPtr[i+1] − 1`. */
  rowPtr: Int32Array;
  /** `[F]` atom j across each face. */
  neighbors: Int32Array;
  /** `[F, 3]` image shift S of j (row-major). */
  shifts: Int32Array;
  /** `[F, 3]` d = r_j + S·cell − r_i, Å. */
  vectors: NdArray<Float64Array>;
  /** `[F]` face areas, Å². */
  areas: Float64Array;
  /** Radius (Å) of the open-boundary polyhedron used, 0 when fully periodic. */
  openBoundary: number;
}

interface NativeSteinhardtOptions {
  degrees: Int32Array;
  mode: 'cutoff' | 'count' | 'voronoi';
  cutoff: number;
  count: number;
  areaThreshold: number;
  openBoundary: number;
  average: boolean;
  wl: boolean;
  sameSpecies: boolean;
}
type NativeStructureArgs = [Float64Array, Int32Array, Float64Array | null, boolean[]];
interface NativeSteinhardtResult {
  values: Float64Array;
  neighborCounts: Int32Array;
}
interface NativeVoronoi extends Omit<VoronoiCells, 'vectors'> {
  vectors: Float64Array;
}
/** The addon's Steinhardt entry points (native/addon/steinhardt.cpp). */
interface SteinhardtAddon {
  steinhardt(...args: [...NativeStructureArgs, NativeSteinhardtOptions]): NativeSteinhardtResult;
  steinhardtAsync(...args: [...NativeStructureArgs, NativeSteinhardtOptions]): Promise<NativeSteinhardtResult>;
  voronoi(...args: [...NativeStructureArgs, { areaThreshold: number; openBoundary: number }]): NativeVoronoi;
  voronoiAsync(...args: [...NativeStructureArgs, { areaThreshold: number; openBoundary: number }]): Promise<NativeVoronoi>;
}
const addon = (a: NativeAddon): SteinhardtAddon => a as unknown as SteinhardtAddon;

const DEFAULT_DEGREES = [2, 3, 4, 5, 6, 7, 8];

/**
 * Per-atom Steinhardt order parameters of a structure (one frame; call it per frame of a
 * trajectory). The neighbours (or the Voronoi tessellation) are computed once per call and used
 * for every l; with `species: 'same'` once per species' sub-lattice.
 * @returns `[N, n_l]` Float64 ndarray, with `degrees` and `neighborCounts` (0 = no neighbours, NaN row).
 * @example
 * import { steinhardt } from 'polymorph/analysis';
 * const q = steinhardt(structure, { l: [4, 6], neighbors: { cutoff: 3.5 } });
 * q.get(0, 1); // q6 of atom 0
 * // The 14 SGMA features: Voronoi-weighted averaged q2…q8, all species and own sub-lattice.
 * const all = steinhardt(structure, { neighbors: { voronoi: true }, average: true });
 * const homo = steinhardt(structure, { neighbors: { voronoi: true }, average: true, species: 'same' });
 */
export function steinhardt(structure: Structure, options: SteinhardtOptions): SteinhardtArray {
  const { args, degrees } = prepare(structure, options, false);
  return toArray(callNative((a) => addon(a).steinhardt(...args)), degrees);
}

/** {@link steinhardt} off the event loop (positions are copied at the call). */
export function steinhardtAsync(structure: Structure, options: SteinhardtOptions): Promise<SteinhardtArray> {
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare(structure, options, true);
  } catch (error) {
    return Promise.reject(error);
  }
  const { args, degrees } = prepared;
  return runQueued(async () => {
    try {
      return toArray(await callNative((a) => addon(a).steinhardtAsync(...args)), degrees);
    } catch (error) {
      throw fromNative(error);
    }
  });
}

/**
 * The Voronoi tessellation of a structure: per cell its volume and faces (neighbour, image
 * shift, vector, area). Periodic triclinic cells use periodic images; with open directions every
 * cell is also clipped by a near-spherical polyhedron of radius `openBoundary` around its atom,
 * and the faces on it are reported as `openArea`, not as faces. Faces below `areaThreshold` × the
 * cell's surface are dropped.
 * @example
 * const cells = voronoi(structure);
 * cells.volumes.reduce((a, b) => a + b); // = structure.volume for a periodic structure
 */
export function voronoi(structure: Structure, options: VoronoiOptions = {}): VoronoiCells {
  const { args } = prepareVoronoi(structure, options, false);
  return toCells(callNative((a) => addon(a).voronoi(...args)));
}

/** {@link voronoi} off the event loop. */
export function voronoiAsync(structure: Structure, options: VoronoiOptions = {}): Promise<VoronoiCells> {
  let prepared: ReturnType<typeof prepareVoronoi>;
  try {
    prepared = prepareVoronoi(structure, options, true);
  } catch (error) {
    return Promise.reject(error);
  }
  return runQueued(async () => {
    try {
      return toCells(await callNative((a) => addon(a).voronoiAsync(...prepared.args)));
    } catch (error) {
      throw fromNative(error);
    }
  });
}

function structureArgs(structure: Structure, what: string, copy: boolean): NativeStructureArgs {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', `${what}: expected a Structure`);
  if (structure.length === 0) throw new PolymorphError('E_EMPTY', `${what}: the structure has no atoms`);
  const positions = flatFloat64(structure.positions);
  const cell = structure.cell ? flatFloat64(structure.cell) : null;
  return [
    copy ? Float64Array.from(positions) : positions,
    copy ? Int32Array.from(structure.numbers) : structure.numbers,
    cell && copy ? Float64Array.from(cell) : cell,
    [...structure.pbc],
  ];
}

function voronoiSettings(options: VoronoiOptions, what: string): { areaThreshold: number; openBoundary: number } {
  const areaThreshold = options.areaThreshold ?? 1e-5;
  if (typeof areaThreshold !== 'number' || !(areaThreshold >= 0 && areaThreshold < 1)) {
    throw new PolymorphError('E_VALUE', `${what}: areaThreshold must be a number in [0, 1), got ${String(areaThreshold)}`);
  }
  const openBoundary = options.openBoundary ?? 0;
  if (typeof openBoundary !== 'number' || !Number.isFinite(openBoundary) || openBoundary < 0 || (options.openBoundary !== undefined && openBoundary === 0)) {
    throw new PolymorphError('E_VALUE', `${what}: openBoundary must be a positive number of Å, got ${String(options.openBoundary)}`);
  }
  return { areaThreshold, openBoundary };
}

function prepareVoronoi(structure: Structure, options: VoronoiOptions, copy: boolean) {
  const o = checkOptions(options, ['areaThreshold', 'openBoundary'], 'voronoi');
  const settings = voronoiSettings(o, 'voronoi');
  const args: [...NativeStructureArgs, { areaThreshold: number; openBoundary: number }] = [...structureArgs(structure, 'voronoi', copy), settings];
  return { args };
}

function checkDegrees(l: unknown): number[] {
  const list = l === undefined ? DEFAULT_DEGREES : typeof l === 'number' ? [l] : l;
  if (!Array.isArray(list) || list.length === 0) {
    throw new PolymorphError('E_VALUE', `steinhardt: l must be an integer or a non-empty array of integers 0…${STEINHARDT_MAX_DEGREE}, got ${JSON.stringify(l)}`);
  }
  for (const x of list) {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > STEINHARDT_MAX_DEGREE) {
      throw new PolymorphError('E_VALUE', `steinhardt: l must be integers in 0…${STEINHARDT_MAX_DEGREE}, got ${JSON.stringify(x)}`);
    }
  }
  return [...(list as number[])];
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new PolymorphError('E_TYPE', `steinhardt: ${name} must be a boolean, got ${typeof value}`);
  return value;
}

function prepare(structure: Structure, options: SteinhardtOptions, copy: boolean) {
  const what = 'steinhardt';
  if (options === undefined || options === null) {
    throw new PolymorphError('E_VALUE', `${what}: options with neighbors are required, e.g. { neighbors: { cutoff: 3.5 } } or { neighbors: { voronoi: true } }`);
  }
  const o = checkOptions(options, ['l', 'neighbors', 'average', 'wl', 'species'], what);
  const degrees = checkDegrees(o.l);
  const species = o.species ?? 'all';
  if (species !== 'all' && species !== 'same') throw new PolymorphError('E_VALUE', `${what}: species must be 'all' or 'same', got ${JSON.stringify(species)}`);
  const native: NativeSteinhardtOptions = {
    degrees: Int32Array.from(degrees), mode: 'cutoff', cutoff: 0, count: 0, areaThreshold: 1e-5, openBoundary: 0,
    average: flag(o.average, 'average'), wl: flag(o.wl, 'wl'), sameSpecies: species === 'same',
  };
  const n = o.neighbors as Record<string, unknown> | undefined;
  if (n === undefined || n === null || typeof n !== 'object') {
    throw new PolymorphError('E_VALUE', `${what}: neighbors must be { cutoff: Å }, { count: N } or { voronoi: true }, got ${JSON.stringify(n)}`);
  }
  checkOptions(n, ['cutoff', 'count', 'voronoi', 'areaThreshold', 'openBoundary'], `${what}: neighbors`);
  const kinds = ['cutoff', 'count', 'voronoi'].filter((k) => n[k] !== undefined);
  if (kinds.length !== 1) throw new PolymorphError('E_VALUE', `${what}: neighbors needs exactly one of cutoff, count, voronoi (got ${kinds.join(', ') || 'none'})`);
  if (kinds[0] !== 'voronoi' && (n.areaThreshold !== undefined || n.openBoundary !== undefined)) {
    throw new PolymorphError('E_VALUE', `${what}: areaThreshold and openBoundary apply to { voronoi: true } neighbours only`);
  }
  if (kinds[0] === 'cutoff') {
    if (typeof n.cutoff !== 'number' || !Number.isFinite(n.cutoff) || !(n.cutoff > 0)) {
      throw new PolymorphError('E_VALUE', `${what}: neighbors.cutoff must be a positive finite number of Å, got ${String(n.cutoff)}`);
    }
    native.cutoff = n.cutoff;
  } else if (kinds[0] === 'count') {
    if (typeof n.count !== 'number' || !Number.isInteger(n.count) || n.count < 1 || n.count > 10000) {
      throw new PolymorphError('E_VALUE', `${what}: neighbors.count must be an integer in 1…10000, got ${String(n.count)}`);
    }
    native.mode = 'count';
    native.count = n.count;
  } else {
    if (n.voronoi !== true) throw new PolymorphError('E_VALUE', `${what}: neighbors.voronoi must be true, got ${String(n.voronoi)}`);
    native.mode = 'voronoi';
    Object.assign(native, voronoiSettings(n as VoronoiOptions, `${what}: neighbors`));
  }
  const args: [...NativeStructureArgs, NativeSteinhardtOptions] = [...structureArgs(structure, what, copy), native];
  return { args, degrees };
}

function toArray(raw: NativeSteinhardtResult, degrees: number[]): SteinhardtArray {
  const n = raw.neighborCounts.length;
  const array = ndarray(raw.values, [n, degrees.length]) as SteinhardtArray;
  Object.defineProperty(array, 'degrees', { value: Object.freeze([...degrees]), enumerable: false });
  Object.defineProperty(array, 'neighborCounts', { value: raw.neighborCounts, enumerable: false });
  return array;
}

function toCells(raw: NativeVoronoi): VoronoiCells {
  return { ...raw, vectors: ndarray(raw.vectors, [raw.areas.length, 3]) };
}

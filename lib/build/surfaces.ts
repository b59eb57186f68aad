/**
 * Surface slabs: wurtzite polar (0001) and non-polar (10-10) slabs, and vacuum padding.
 * Slabs are periodic along all three axes (so Ewald sums apply) with a vacuum gap along the
 * surface normal; lengths in Å.
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { Structure } from '../structure/structure';

/** Options shared by the wurtzite slab builders. */
export interface WurtziteSlabOptions {
  /** Cation and anion symbols. Default ['Zn', 'O']. */
  symbols?: [string, string];
  /** Lattice parameter a, Å. Default 3.2496 (ZnO, as {@link wurtzite}). */
  a?: number;
  /** Lattice parameter c, Å. Default 5.2042. */
  c?: number;
  /** Internal parameter u (fraction of c). Default 0.3819. */
  u?: number;
  /** Vacuum gap between the two faces across the periodic boundary, Å. Default 15. */
  vacuum?: number;
  /** In-plane repeats of the surface cell. Default [1, 1]. */
  repeat?: [number, number];
}

/** Options of {@link wurtzitePolarSlab}. */
export interface WurtzitePolarSlabOptions extends WurtziteSlabOptions {
  /**
   * Element of the top face (+z). 'Zn' (default): the cation-terminated (0001) face on top and
   * the anion-terminated (000-1) face at the bottom; 'O': the slab turned upside down.
   */
  top?: 'Zn' | 'O';
}

const SLAB_OPTIONS = ['symbols', 'a', 'c', 'u', 'vacuum', 'repeat'] as const;
const POLAR_SLAB_OPTIONS = [...SLAB_OPTIONS, 'top'] as const;

interface Site {
  symbol: string;
  position: [number, number, number];
}

function checkPositive(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) throw new PolymorphError('E_VALUE', `${what} must be a positive finite number, got ${String(x)}`);
  return x;
}

function checkCount(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) throw new PolymorphError('E_VALUE', `${what} must be a positive integer, got ${String(x)}`);
  return x;
}

function wurtziteParameters(o: WurtziteSlabOptions): { cation: string; anion: string; a: number; c: number; u: number; vacuum: number; repeat: [number, number] } {
  const [cation, anion] = o.symbols ?? ['Zn', 'O'];
  const a = checkPositive(o.a ?? 3.2496, 'wurtzite slab: a (Å)');
  const c = checkPositive(o.c ?? 5.2042, 'wurtzite slab: c (Å)');
  const u = o.u ?? 0.3819;
  if (!(u > 0 && u < 0.5)) throw new PolymorphError('E_VALUE', `wurtzite slab: u must lie in (0, 0.5), got ${String(u)}`);
  const vacuum = o.vacuum ?? 15;
  if (typeof vacuum !== 'number' || !Number.isFinite(vacuum) || vacuum < 0) throw new PolymorphError('E_VALUE', `wurtzite slab: vacuum must be >= 0 Å, got ${String(vacuum)}`);
  const repeat = o.repeat ?? [1, 1];
  if (!Array.isArray(repeat) || repeat.length !== 2) throw new PolymorphError('E_VALUE', 'wurtzite slab: repeat must be [n1, n2]');
  repeat.forEach((r, k) => checkCount(r, `wurtzite slab: repeat[${k}]`));
  return { cation, anion, a, c, u, vacuum, repeat };
}

/**
 * A slab from atoms whose coordinate along `axis` spans [0, thickness]: the cell has the two
 * in-plane vectors and, along the normal, height thickness + vacuum; atoms sit vacuum/2 above
 * the cell's lower face, so each face sees vacuum/2 before the periodic boundary.
 */
function slab(sites: Site[], inPlane: [number[], number[]], axis: 0 | 1 | 2, vacuum: number, repeat: [number, number]): Structure {
  const heights = sites.map((s) => s.position[axis]);
  const thickness = Math.max(...heights) - Math.min(...heights);
  const bottom = Math.min(...heights);
  const normal = [0, 0, 0];
  normal[axis] = thickness + vacuum;
  if (!(normal[axis] > 0)) throw new PolymorphError('E_VALUE', 'slab: a single atomic plane needs vacuum > 0');
  const cell = [inPlane[0], inPlane[1]];
  cell.splice(axis, 0, normal);
  const positions = sites.map((s) => s.position.map((x, k) => (k === axis ? x - bottom + vacuum / 2 : x)));
  const structure = new Structure({ symbols: sites.map((s) => s.symbol), positions, cell: ndarray(Float64Array.from(cell.flat()), [3, 3]), pbc: true });
  const reps: [number, number, number] = [1, 1, 1];
  [0, 1, 2].filter((k) => k !== axis).forEach((k, j) => (reps[k] = repeat[j]));
  return structure.repeat(reps);
}

/**
 * Polar wurtzite (0001) slab of `bilayers` cation–anion bilayers, surface normal along z, cell
 * a₁ = (a, 0, 0), a₂ = (−a/2, √3a/2, 0) (times `repeat`), vacuum along c.
 *
 * A bilayer is a cation plane and an anion plane (0.5 − u)c apart (0.61 Å for ZnO); bilayers are
 * c/2 apart and the slab is cut through the long bonds parallel to c (length uc), leaving
 * threefold-coordinated atoms on both faces: cations on the (0001) face, anions on the (000-1)
 * face. It is stoichiometric (one formula unit per bilayer per surface cell) and unreconstructed,
 * so it carries the dipole of a polar (Tasker type 3) surface. Atoms: 2·bilayers·n₁n₂.
 * @example
 * const s = wurtzitePolarSlab(6, { vacuum: 20 }); // 12 atoms, Zn face on top
 */
export function wurtzitePolarSlab(bilayers: number, options: WurtzitePolarSlabOptions = {}): Structure {
  options = checkOptions(options, POLAR_SLAB_OPTIONS, 'wurtzitePolarSlab');
  checkCount(bilayers, 'wurtzitePolarSlab: bilayers');
  const { cation, anion, a, c, u, vacuum, repeat } = wurtziteParameters(options);
  const top = options.top ?? 'Zn';
  if (top !== 'Zn' && top !== 'O') throw new PolymorphError('E_VALUE', `wurtzitePolarSlab: top must be 'Zn' or 'O' (the cation or the anion face), got ${String(top)}`);
  // Sites A = (1/3, 2/3) and B = (2/3, 1/3) of the hexagonal cell, in Å.
  const siteA = [0, a / Math.sqrt(3)], siteB = [a / 2, a / (2 * Math.sqrt(3))];
  const sites: Site[] = [];
  for (let j = 0; j < bilayers; ++j) {
    // Bilayer j: anion at (j/2 + u)c, cation at (j + 1)c/2 on the other site (the bulk stacking).
    const [anionSite, cationSite] = j % 2 === 0 ? [siteA, siteB] : [siteB, siteA];
    sites.push({ symbol: anion, position: [anionSite[0], anionSite[1], (j / 2 + u) * c] });
    sites.push({ symbol: cation, position: [cationSite[0], cationSite[1], ((j + 1) / 2) * c] });
  }
  if (top === 'O') for (const s of sites) s.position[2] = -s.position[2];
  return slab(sites, [[a, 0, 0], [-a / 2, (Math.sqrt(3) / 2) * a, 0]], 2, vacuum, repeat);
}

/**
 * Non-polar wurtzite (10-10) slab of `layers` layers, surface normal along y, in the orthorhombic
 * setting of wurtzite (a × √3a × c): in-plane cell (a, 0, 0) and (0, 0, c) (times `repeat`,
 * along x and z), vacuum along y.
 *
 * A layer is a pair of mixed cation–anion planes √3a/6 apart (0.94 Å for ZnO), four atoms
 * (2 formula units) per a × c surface cell; layers are √3a/2 apart. The slab is cut between
 * layers (the "type A" termination, one broken bond per surface atom), so both faces are
 * identical, stoichiometric and non-polar. Atoms: 4·layers·n₁n₂.
 * @example
 * const s = wurtziteNonPolarSlab(4, { vacuum: 20, repeat: [2, 1] }); // 32 atoms
 */
export function wurtziteNonPolarSlab(layers: number, options: WurtziteSlabOptions = {}): Structure {
  options = checkOptions(options, SLAB_OPTIONS, 'wurtziteNonPolarSlab');
  checkCount(layers, 'wurtziteNonPolarSlab: layers');
  const { cation, anion, a, c, u, vacuum, repeat } = wurtziteParameters(options);
  const h = Math.sqrt(3) * a;
  const sites: Site[] = [];
  for (let k = 0; k < layers; ++k) {
    const dx = k % 2 === 0 ? 0 : a / 2, dy = (k * h) / 2;
    // Site B (a/2, h/6): cation at z = c/2, anion at (1/2 + u)c; site A (0, h/3): cation at 0, anion at uc.
    const bx = (a / 2 + dx) % a, ax = dx;
    sites.push({ symbol: cation, position: [bx, h / 6 + dy, c / 2] }, { symbol: anion, position: [bx, h / 6 + dy, (0.5 + u) * c] });
    sites.push({ symbol: cation, position: [ax, h / 3 + dy, 0] }, { symbol: anion, position: [ax, h / 3 + dy, u * c] });
  }
  return slab(sites, [[a, 0, 0], [0, 0, c]], 1, vacuum, repeat);
}

/**
 * Adds `thickness` Å of vacuum along lattice vector `axis` (0, 1 or 2): that vector is lengthened
 * so the cell's height along it (the distance between the cell faces spanned by the other two
 * vectors) grows by `thickness`, and every atom moves thickness/2 along the same normal, so a
 * slab that filled the old cell ends up with thickness/2 of vacuum on each side. Returns a new
 * structure (velocities, masses, charges, info and arrays kept; pbc unchanged).
 * @example
 * const slab = addVacuum(wurtzite().repeat([2, 2, 3]), 2, 15); // (0001) slab, 15 Å gap
 */
export function addVacuum(structure: Structure, axis: 0 | 1 | 2, thickness: number): Structure {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'addVacuum: expected a Structure');
  if (axis !== 0 && axis !== 1 && axis !== 2) throw new PolymorphError('E_VALUE', `addVacuum: axis must be 0, 1 or 2, got ${String(axis)}`);
  if (typeof thickness !== 'number' || !Number.isFinite(thickness) || thickness < 0) throw new PolymorphError('E_VALUE', `addVacuum: thickness must be >= 0 Å, got ${String(thickness)}`);
  if (structure.cell === null) throw new PolymorphError('E_CELL', 'addVacuum: the structure has no cell');
  const out = structure.clone();
  const cell = out.cell!;
  const v = [0, 1, 2].map((k) => cell.get(axis, k));
  const p = [0, 1, 2].map((k) => cell.get((axis + 1) % 3, k)), q = [0, 1, 2].map((k) => cell.get((axis + 2) % 3, k));
  const n = [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
  const nn = Math.hypot(n[0], n[1], n[2]);
  const height = Math.abs(v[0] * n[0] + v[1] * n[1] + v[2] * n[2]) / nn;
  const scale = (height + thickness) / height;
  for (let k = 0; k < 3; ++k) cell.set(axis, k, v[k] * scale);
  const shift = v.map((x) => (x * (thickness / 2)) / height); // thickness/2 along the normal
  for (let i = 0; i < out.length; ++i) for (let k = 0; k < 3; ++k) out.positions.set(i, k, out.positions.get(i, k) + shift[k]);
  return out;
}

/**
 * Crystal builders: conventional or primitive cells of common lattices, in Å.
 * Combine with {@link Structure.repeat} for supercells.
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import { gaussian, mulberry32 } from '../core/random';
import { cellFromParameters } from '../structure/cell';
import { Structure } from '../structure/structure';

function positive(x: number, what: string): number {
  if (!(typeof x === 'number' && Number.isFinite(x) && x > 0)) throw new PolymorphError('E_VALUE', `${what} must be a positive number of Å, got ${x}`);
  return x;
}

/** A periodic structure from a cell (rows, Å), fractional positions and symbols. */
export function fromFractional(cell: number[][], fractional: number[][], symbols: string[]): Structure {
  const c = ndarray(Float64Array.from(cell.flat()), [3, 3]);
  const positions = fractional.map((f) => [0, 1, 2].map((a) => f[0] * c.get(0, a) + f[1] * c.get(1, a) + f[2] * c.get(2, a)));
  return new Structure({ symbols, positions, cell: c, pbc: true });
}

/**
 * Conventional cubic cell of an fcc crystal (4 atoms), lattice constant `a` (Å).
 * @example
 * const al = fcc('Al', 4.05).repeat([30, 30, 28]); // 100 800 atoms
 */
export function fcc(symbol: string, a: number): Structure {
  positive(a, 'fcc lattice constant');
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]], Array(4).fill(symbol));
}

/** Conventional cubic cell of a bcc crystal (2 atoms), lattice constant `a` (Å). */
export function bcc(symbol: string, a: number): Structure {
  positive(a, 'bcc lattice constant');
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [[0, 0, 0], [0.5, 0.5, 0.5]], [symbol, symbol]);
}

/** Simple cubic cell (1 atom), lattice constant `a` (Å). */
export function simpleCubic(symbol: string, a: number): Structure {
  positive(a, 'simple cubic lattice constant');
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [[0, 0, 0]], [symbol]);
}

/** Hexagonal close-packed cell (2 atoms), `a` and `c` in Å (default ideal c = √(8/3)·a). */
export function hcp(symbol: string, a: number, c = Math.sqrt(8 / 3) * a): Structure {
  positive(a, 'hcp a');
  positive(c, 'hcp c');
  const cell = toRows(cellFromParameters([a, a, c, 90, 90, 120]).data);
  return fromFractional(cell, [[1 / 3, 2 / 3, 0.25], [2 / 3, 1 / 3, 0.75]], [symbol, symbol]);
}

/** Conventional cubic cell of diamond (8 atoms), `a` in Å. */
export function diamond(symbol: string, a: number): Structure {
  return zincblende([symbol, symbol], a);
}

/** Conventional cubic cell of rocksalt (NaCl structure, 8 atoms): cation, anion; `a` in Å. */
export function rocksalt(symbols: [string, string], a: number): Structure {
  positive(a, 'rocksalt lattice constant');
  const fccSites = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]];
  const anion = fccSites.map((f) => [(f[0] + 0.5) % 1, f[1], f[2]]);
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [...fccSites, ...anion], [...Array(4).fill(symbols[0]), ...Array(4).fill(symbols[1])]);
}

/** Conventional cubic cell of zincblende (8 atoms): cation on fcc sites, anion shifted by (¼,¼,¼); `a` in Å. */
export function zincblende(symbols: [string, string], a: number): Structure {
  positive(a, 'zincblende lattice constant');
  const fccSites = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]];
  const anion = fccSites.map((f) => f.map((x) => x + 0.25));
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [...fccSites, ...anion], [...Array(4).fill(symbols[0]), ...Array(4).fill(symbols[1])]);
}

/**
 * Wurtzite (4 atoms, P6₃mc): cations at (⅓,⅔,0), (⅔,⅓,½), anions shifted by u·c along c.
 * Defaults are ZnO at room temperature (Kisi & Elcombe, Acta Cryst. C45, 1867 (1989)):
 * a = 3.2496 Å, c = 5.2042 Å, u = 0.3819.
 * @example
 * const zno = wurtzite().repeat([6, 6, 4]); // 576 atoms
 */
export function wurtzite(symbols: [string, string] = ['Zn', 'O'], a = 3.2496, c = 5.2042, u = 0.3819): Structure {
  positive(a, 'wurtzite a');
  positive(c, 'wurtzite c');
  if (!(u > 0 && u < 1)) throw new PolymorphError('E_VALUE', `wurtzite u must lie in (0, 1), got ${u}`);
  const cell = toRows(cellFromParameters([a, a, c, 90, 90, 120]).data);
  const frac = [[1 / 3, 2 / 3, 0], [2 / 3, 1 / 3, 0.5], [1 / 3, 2 / 3, u], [2 / 3, 1 / 3, 0.5 + u]];
  return fromFractional(cell, frac, [symbols[0], symbols[0], symbols[1], symbols[1]]);
}

function toRows(d: ArrayLike<number>): number[][] {
  return [[d[0], d[1], d[2]], [d[3], d[4], d[5]], [d[6], d[7], d[8]]];
}

/**
 * A copy of `structure` with every atom displaced by a Gaussian random vector of standard
 * deviation `stdev` (Å) per component, drawn with a seeded generator (the same seed gives the same
 * displacements). The input is left unchanged; velocities, masses, charges, `info` and `arrays` are
 * copied as they are.
 * @example
 * const base = fcc('Al', 4.05).repeat(3);
 * const moved = rattle(base, 0.05, 1); // base keeps its positions
 */
export function rattle(structure: Structure, stdev: number, seed = 42): Structure {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'rattle: expected a Structure');
  if (!(typeof stdev === 'number' && stdev >= 0 && Number.isFinite(stdev))) throw new PolymorphError('E_VALUE', `rattle: stdev must be >= 0 Å, got ${stdev}`);
  if (!Number.isInteger(seed)) throw new PolymorphError('E_VALUE', `rattle: seed must be an integer, got ${seed}`);
  const out = structure.clone();
  const gauss = gaussian(mulberry32(seed));
  const p = out.positions;
  for (let i = 0; i < out.length; ++i) for (let k = 0; k < 3; ++k) p.set(i, k, p.get(i, k) + stdev * gauss());
  return out;
}

/** Cesium-chloride (B2) structure, simple cubic cell (2 atoms): cation at the corner, anion at the centre; `a` in Å. */
export function cesiumChloride(symbols: [string, string], a: number): Structure {
  positive(a, 'cesium-chloride lattice constant');
  return fromFractional([[a, 0, 0], [0, a, 0], [0, 0, a]], [[0, 0, 0], [0.5, 0.5, 0.5]], [symbols[0], symbols[1]]);
}

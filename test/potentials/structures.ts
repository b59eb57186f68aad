/**
 * Small rattled test structures for the potential conformance suite: a general triclinic periodic
 * crystal, a slab (pbc T T F), an open cluster without a cell, and a tiny cell whose atoms see
 * their own periodic images. All are fcc-derived with a chosen nearest-neighbour distance,
 * deterministic (seeded) and small enough for finite differences of every coordinate.
 * @module
 */
import { Structure } from '../../lib/structure/structure';
import { mulberry32 } from '../../lib/core/random';

/** Options shared by the builders. */
export interface TestStructureOptions {
  /** Element symbols, assigned to atoms at random (seeded); one symbol gives a pure element. */
  symbols?: readonly string[];
  /** Nearest-neighbour distance of the underlying fcc lattice, Å. Default 3.8 (argon-like). */
  spacing?: number;
  /** Largest random displacement of each Cartesian coordinate, Å. Default 0.05·spacing. */
  rattle?: number;
  /** Random seed. */
  seed?: number;
}

type Vec = [number, number, number];

/** A small seeded PRNG (mulberry32): uniform numbers in [0, 1). */
export const seededRandom = mulberry32;

/** A uniformly random rotation matrix (row-major 3×3) from a seeded random source. */
export function randomRotation(random: () => number): number[] {
  // Uniform unit quaternion (Shoemake).
  const u1 = random(), u2 = 2 * Math.PI * random(), u3 = 2 * Math.PI * random();
  const a = Math.sqrt(1 - u1), b = Math.sqrt(u1);
  const [w, x, y, z] = [a * Math.sin(u2), a * Math.cos(u2), b * Math.sin(u3), b * Math.cos(u3)];
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

/** The fcc primitive vectors (rows, Å) for nearest-neighbour distance `spacing`. */
function fccPrimitive(spacing: number): Vec[] {
  const h = spacing / Math.SQRT2; // a/2 with a = √2·spacing
  return [[0, h, h], [h, 0, h], [h, h, 0]];
}

/** v · M for a row vector v and row-major M. */
function times(v: readonly number[], m: readonly number[]): Vec {
  return [0, 1, 2].map((c) => v[0] * m[c] + v[1] * m[3 + c] + v[2] * m[6 + c]) as Vec;
}

/** Lattice points i·a + j·b + k·c for 0 ≤ i < n0, … (Å). */
function latticePoints(vectors: Vec[], n: Vec): Vec[] {
  const out: Vec[] = [];
  for (let i = 0; i < n[0]; ++i)
    for (let j = 0; j < n[1]; ++j)
      for (let k = 0; k < n[2]; ++k) out.push([0, 1, 2].map((c) => i * vectors[0][c] + j * vectors[1][c] + k * vectors[2][c]) as Vec);
  return out;
}

function settings(options: TestStructureOptions) {
  const spacing = options.spacing ?? 3.8;
  const random = seededRandom(options.seed ?? 1);
  return { spacing, rattle: options.rattle ?? 0.05 * spacing, random, symbols: options.symbols ?? ['Ar'] };
}

function rattled(points: Vec[], rattle: number, random: () => number): Vec[] {
  return points.map((p) => p.map((x) => x + rattle * (2 * random() - 1)) as Vec);
}

function pickSymbols(n: number, symbols: readonly string[], random: () => number): string[] {
  // Every symbol at least once (when n allows), the rest at random.
  return Array.from({ length: n }, (_, i) => (i < symbols.length ? symbols[i] : symbols[Math.floor(random() * symbols.length)]));
}

/**
 * A general triclinic periodic crystal: `repeat` fcc primitive cells, strained by a few percent
 * and rotated at random (the cell is neither lower-triangular nor symmetric), atoms rattled.
 * Default 3×2×2 = 12 atoms.
 * @example
 * const s = triclinicCrystal({ symbols: ['Ar', 'Kr'], spacing: 3.8, seed: 2 });
 */
export function triclinicCrystal(options: TestStructureOptions & { repeat?: Vec } = {}): Structure {
  const { spacing, rattle, random, symbols } = settings(options);
  const repeat = options.repeat ?? [3, 2, 2];
  const strain = [1 + 0.04 * random(), 0.03 * random(), -0.02 * random(), 0.01, 1 - 0.03 * random(), 0.02 * random(), 0.015, -0.01, 1 + 0.05 * random()];
  const rotation = randomRotation(random);
  const transform = (v: readonly number[]) => times(times(v, strain), transpose(rotation));
  const primitive = fccPrimitive(spacing).map(transform);
  const points = rattled(latticePoints(primitive, repeat), rattle, random);
  const cell = primitive.map((v, k) => v.map((x) => x * repeat[k]));
  return new Structure({ positions: points, symbols: pickSymbols(points.length, symbols, random), cell, pbc: true });
}

/**
 * A slab periodic along a and b (pbc T T F): `layers` layers of a 2×2 fcc (111)-like net, with
 * `vacuum` Å of empty space in the cell along c. The cell is slanted in-plane and out of plane.
 * Default 3 layers, 12 atoms.
 */
export function slab(options: TestStructureOptions & { layers?: number; vacuum?: number } = {}): Structure {
  const { spacing, rattle, random, symbols } = settings(options);
  const layers = options.layers ?? 3;
  const vacuum = options.vacuum ?? 2 * spacing;
  const d = spacing;
  const a: Vec = [d, 0, 0], b: Vec = [d / 2, (d * Math.sqrt(3)) / 2, 0];
  const step: Vec = [d / 2, (d * Math.sqrt(3)) / 6, d * Math.sqrt(2 / 3)]; // ABC stacking
  const net = [2, 2];
  const points: Vec[] = [];
  for (let l = 0; l < layers; ++l)
    for (let i = 0; i < net[0]; ++i)
      for (let j = 0; j < net[1]; ++j) points.push([0, 1, 2].map((c) => i * a[c] + j * b[c] + l * step[c]) as Vec);
  const height = (layers - 1) * step[2] + vacuum;
  const cell: Vec[] = [a.map((x) => x * net[0]) as Vec, b.map((x) => x * net[1]) as Vec, [0.2 * d, -0.1 * d, height]];
  return new Structure({ positions: rattled(points, rattle, random), symbols: pickSymbols(points.length, symbols, random), cell, pbc: [true, true, false] });
}

/** An open cluster without a cell: the `count` fcc sites nearest to the origin (default 13, a cuboctahedron), rattled. */
export function cluster(options: TestStructureOptions & { count?: number } = {}): Structure {
  const { spacing, rattle, random, symbols } = settings(options);
  const count = options.count ?? 13;
  const primitive = fccPrimitive(spacing);
  const sites: Vec[] = [];
  const r = 3;
  for (let i = -r; i <= r; ++i)
    for (let j = -r; j <= r; ++j)
      for (let k = -r; k <= r; ++k) sites.push([0, 1, 2].map((c) => i * primitive[0][c] + j * primitive[1][c] + k * primitive[2][c]) as Vec);
  sites.sort((p, q) => Math.hypot(...p) - Math.hypot(...q));
  const points = rattled(sites.slice(0, count), rattle, random);
  return new Structure({ positions: points, symbols: pickSymbols(points.length, symbols, random), cell: null, pbc: false });
}

/**
 * A tiny periodic cell (default 2 atoms: a 2×1×1 strained fcc primitive cell), so that with any
 * realistic cutoff every atom interacts with many images of itself and of the other atom.
 */
export function tinyCell(options: TestStructureOptions = {}): Structure {
  return triclinicCrystal({ ...options, repeat: [2, 1, 1] });
}

/** The four standard structures of the conformance suite, keyed by a readable name. */
export function standardStructures(options: TestStructureOptions = {}): Record<string, Structure> {
  const seed = options.seed ?? 1;
  return {
    'triclinic crystal': triclinicCrystal({ ...options, seed }),
    'slab (pbc T T F)': slab({ ...options, seed: seed + 1 }),
    'open cluster': cluster({ ...options, seed: seed + 2 }),
    'tiny cell (own images)': tinyCell({ ...options, seed: seed + 3 }),
  };
}

function transpose(m: readonly number[]): number[] {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

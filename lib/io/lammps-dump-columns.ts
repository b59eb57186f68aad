/**
 * The column names of LAMMPS dump files that the reader and the writer share: coordinate and
 * vector triples, the kinds of coordinates in order of preference, and single columns.
 * @module
 */

/** Column triples: coordinates (in order of preference) and per-atom vectors. */
export const TRIPLES = {
  xu: ['xu', 'yu', 'zu'],
  xsu: ['xsu', 'ysu', 'zsu'],
  x: ['x', 'y', 'z'],
  xs: ['xs', 'ys', 'zs'],
  image: ['ix', 'iy', 'iz'],
  velocity: ['vx', 'vy', 'vz'],
  force: ['fx', 'fy', 'fz'],
} as const;
export type TripleName = keyof typeof TRIPLES;

/** Kinds of coordinates, most preferred first: unwrapped, scaled unwrapped, wrapped, scaled. */
export const POSITION_KINDS = ['xu', 'xsu', 'x', 'xs'] as const;
export type PositionKind = (typeof POSITION_KINDS)[number];

/** Single columns with a meaning of their own. */
export const SCALARS = ['id', 'type', 'element', 'mass', 'q', 'typelabel'] as const;
export type ScalarName = (typeof SCALARS)[number];

/** Column names that are part of a triple, with the triple. */
export const TRIPLE_OF = new Map<string, TripleName>(
  (Object.keys(TRIPLES) as TripleName[]).flatMap((t) => TRIPLES[t].map((c): [string, TripleName] => [c, t])),
);

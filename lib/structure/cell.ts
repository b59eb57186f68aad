/**
 * Cell geometry. A cell is a `[3,3]` matrix whose rows are the lattice vectors **a**, **b**, **c**
 * in Å (ASE's convention); fractional coordinates s relate to Cartesian r by r = s · cell.
 * Any triclinic cell is allowed — there is no lower-triangular requirement.
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';

/** A 3×3 matrix as 9 row-major numbers. */
export type Matrix3 = [number, number, number, number, number, number, number, number, number];
/** Lengths a, b, c (Å) and angles α, β, γ (degrees). */
export type CellParameters = [number, number, number, number, number, number];

/** The 9 entries of a `[3,3]` ndarray, row-major. */
export function cellEntries(cell: NdArray): Matrix3 {
  const m = new Array(9) as Matrix3;
  for (let i = 0; i < 3; ++i) for (let k = 0; k < 3; ++k) m[3 * i + k] = cell.get(i, k);
  return m;
}

/** Determinant of a row-major 3×3 matrix (the signed cell volume in Å³). */
export function determinant3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

/** Inverse of a row-major 3×3 matrix; throws `E_CELL` if it is singular. */
export function inverse3(m: ArrayLike<number>): Matrix3 {
  const det = determinant3(m);
  const scale = Math.max(...[0, 1, 2].map((i) => Math.hypot(m[3 * i], m[3 * i + 1], m[3 * i + 2])));
  if (!(Math.abs(det) > 1e-12 * scale ** 3)) throw new PolymorphError('E_CELL', 'the cell is singular (its vectors are linearly dependent)');
  return [
    (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
    (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
    (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det,
  ];
}

/** True if the cell's volume is non-negligible compared with its vector lengths. */
export function isSingular(m: ArrayLike<number>): boolean {
  const det = determinant3(m);
  const scale = Math.max(...[0, 1, 2].map((i) => Math.hypot(m[3 * i], m[3 * i + 1], m[3 * i + 2])));
  return !(Math.abs(det) > 1e-12 * scale ** 3) || scale === 0;
}

/** Cell volume |det(cell)| in Å³. */
export function cellVolume(cell: NdArray | ArrayLike<number>): number {
  const m = 'shape' in cell ? cellEntries(cell as NdArray) : (cell as ArrayLike<number>);
  return Math.abs(determinant3(m));
}

/** Lengths (Å) and angles (degrees) of a cell: [a, b, c, α, β, γ] with α = ∠(b,c), β = ∠(a,c), γ = ∠(a,b). */
export function cellParameters(cell: NdArray | ArrayLike<number>): CellParameters {
  const m = 'shape' in cell ? cellEntries(cell as NdArray) : (cell as ArrayLike<number>);
  const v = [0, 1, 2].map((i) => [m[3 * i], m[3 * i + 1], m[3 * i + 2]]);
  const len = v.map((x) => Math.hypot(x[0], x[1], x[2]));
  const angle = (p: number, q: number): number => {
    if (len[p] === 0 || len[q] === 0) return 90;
    const c = (v[p][0] * v[q][0] + v[p][1] * v[q][1] + v[p][2] * v[q][2]) / (len[p] * len[q]);
    return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
  };
  return [len[0], len[1], len[2], angle(1, 2), angle(0, 2), angle(0, 1)];
}

/**
 * The cell with given lengths (Å) and angles (degrees), in ASE's standard orientation:
 * **a** along x, **b** in the xy plane.
 * @example
 * cellFromParameters([3.2496, 3.2496, 5.2042, 90, 90, 120]) // wurtzite ZnO
 */
export function cellFromParameters(p: CellParameters): NdArray<Float64Array> {
  const [a, b, c, alpha, beta, gamma] = p;
  if (![a, b, c].every((x) => Number.isFinite(x) && x > 0)) throw new PolymorphError('E_CELL', 'cell lengths must be positive and finite');
  const rad = Math.PI / 180;
  const cosOf = (deg: number): number => (Math.abs(deg - 90) < 1e-12 ? 0 : Math.cos(deg * rad));
  const ca = cosOf(alpha), cb = cosOf(beta), cg = cosOf(gamma);
  const sg = Math.abs(gamma - 90) < 1e-12 ? 1 : Math.sin(gamma * rad);
  const cx = cb, cy = (ca - cb * cg) / sg, cz2 = 1 - cx * cx - cy * cy;
  if (!(cz2 > 0)) throw new PolymorphError('E_CELL', `cell angles ${alpha}, ${beta}, ${gamma} do not describe a cell`);
  return ndarray(new Float64Array([a, 0, 0, b * cg, b * sg, 0, c * cx, c * cy, c * Math.sqrt(cz2)]), [3, 3]);
}

/** Distance between lattice planes k (spanned by the two other vectors): V / |a_j × a_l| (Å). */
export function planeSpacings(cell: ArrayLike<number>): [number, number, number] {
  const row = (i: number): number[] => [cell[3 * i], cell[3 * i + 1], cell[3 * i + 2]];
  const cross = (x: number[], y: number[]): number[] => [x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]];
  const volume = Math.abs(determinant3(cell));
  return [0, 1, 2].map((k) => {
    const n = cross(row((k + 1) % 3), row((k + 2) % 3));
    return volume / Math.hypot(n[0], n[1], n[2]);
  }) as [number, number, number];
}

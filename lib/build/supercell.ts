/**
 * Supercells: a repetition n × n × n (or n₁ × n₂ × n₃), or any cell spanned by integer
 * combinations of the lattice vectors.
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import { determinant3, inverse3 } from '../structure/cell';
import { Structure } from '../structure/structure';

/**
 * A supercell of a periodic structure. `n` (a positive integer, or three) repeats the cell as
 * `Structure.repeat`; a 3 × 3 integer matrix P makes the cell with rows P·cell (each new lattice
 * vector an integer combination of the old ones, |det P| > 0) and fills it with the |det P|·N atoms
 * of the lattice inside it, wrapped into it. Per-atom arrays, velocities, masses and charges follow
 * their atoms; `info` is copied.
 * @example
 * const cube = supercell(primitiveFcc, [[-1, 1, 1], [1, -1, 1], [1, 1, -1]]); // conventional cell, 4 atoms
 * const slab = supercell(wurtzite(), [[1, 0, 0], [1, 2, 0], [0, 0, 3]]);      // orthorhombic, 24 atoms
 */
export function supercell(structure: Structure, n: number | readonly [number, number, number] | readonly (readonly number[])[]): Structure {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'supercell: expected a Structure');
  if (!structure.cell || !structure.pbc.every((p) => p)) throw new PolymorphError('E_CELL', 'supercell: needs a cell periodic in all three directions');
  if (typeof n === 'number' || (Array.isArray(n) && n.length === 3 && n.every((x) => typeof x === 'number'))) {
    return structure.repeat(n as number | [number, number, number]);
  }
  const p = n as readonly (readonly number[])[];
  if (!Array.isArray(p) || p.length !== 3 || !p.every((row) => Array.isArray(row) && row.length === 3 && row.every((x) => Number.isInteger(x)))) {
    throw new PolymorphError('E_VALUE', `supercell: expected a positive integer, three of them, or a 3×3 integer matrix, got ${JSON.stringify(n)}`);
  }
  const P = p.map((row) => [...row]);
  const volume = Math.round(determinant3(P.flat()));
  if (volume === 0) throw new PolymorphError('E_VALUE', `supercell: the matrix ${JSON.stringify(p)} is singular (det 0)`);
  const count = Math.abs(volume);
  const h = structure.cellMatrix();
  const H = [0, 1, 2].map((i) => [0, 1, 2].map((a) => P[i][0] * h[a] + P[i][1] * h[3 + a] + P[i][2] * h[6 + a]));
  // New fractional coordinates of a lattice translation t (in old lattice units): t · P⁻¹.
  const flatInverse = inverse3(P.flat());
  const Pinv = [0, 1, 2].map((i) => [0, 1, 2].map((j) => flatInverse[3 * i + j]));
  // Translations to try: integer points of the box spanned by the new cell's corners in old units.
  const lo = [0, 0, 0], hi = [0, 0, 0];
  for (let corner = 0; corner < 8; ++corner) {
    const w = [corner & 1, (corner >> 1) & 1, (corner >> 2) & 1];
    for (let a = 0; a < 3; ++a) {
      const v = w[0] * P[0][a] + w[1] * P[1][a] + w[2] * P[2][a];
      lo[a] = Math.min(lo[a], v), hi[a] = Math.max(hi[a], v);
    }
  }
  const frac = structure.scaledPositions();
  const eps = 1e-9;
  const idx: number[] = [], wrapped: number[][] = [];
  const base = Array.from({ length: structure.length }, (_, i) => [frac.get(i, 0), frac.get(i, 1), frac.get(i, 2)].map((x) => x - Math.floor(x)));
  // Images outermost, atoms innermost (as Structure.repeat).
  for (let t0 = lo[0] - 1; t0 <= hi[0]; ++t0) for (let t1 = lo[1] - 1; t1 <= hi[1]; ++t1) for (let t2 = lo[2] - 1; t2 <= hi[2]; ++t2) {
    for (let i = 0; i < structure.length; ++i) {
      const f0 = base[i];
      const x = [f0[0] + t0, f0[1] + t1, f0[2] + t2];
      const g = [0, 1, 2].map((b) => x[0] * Pinv[0][b] + x[1] * Pinv[1][b] + x[2] * Pinv[2][b]);
      if (!g.every((v) => v >= -eps && v < 1 - eps)) continue;
      idx.push(i);
      wrapped.push(g.map((v) => Math.min(Math.max(v, 0), 1 - Number.EPSILON)));
    }
  }
  if (idx.length !== count * structure.length) {
    throw new PolymorphError('E_NATIVE', `supercell: internal: found ${idx.length} atoms for ${count}×${structure.length}`);
  }
  const out = structure.select(idx);
  out.cell = ndarray(Float64Array.from(H.flat()), [3, 3]);
  out.setScaledPositions(ndarray(Float64Array.from(wrapped.flat()), [idx.length, 3]));
  return out;
}

/**
 * Duplicate columns of a PLIP design matrix. Some PLIP columns are the same function of the
 * positions once summed over a structure: the 2-body column "Zn-centred, O neighbours" and
 * "O-centred, Zn neighbours" both sum φ(r) over every Zn–O pair, so their energy, force and stress
 * rows are equal (to round-off). LARS cannot use both: the second one is a degenerate regressor,
 * and scikit-learn's handling of that (reproduced by {@link LassoLars}) can stop the path early, far
 * from the requested α. So the later column of each such pair is zeroed before the Lasso; its
 * weight stays 0 and the earlier column carries the sum (the same model, and one of the Lasso's
 * equally good solutions, since ℓ1 does not prefer any split of a weight between equal columns).
 * @internal
 * @module
 */

/**
 * Columns j < `columns` of the row-major Z [rows, P] that equal an earlier, non-zero column k on
 * every row, to within `tolerance` × max_i |Z_ik|: returns k for each such j, −1 otherwise. Cost
 * O(rows·P) for fingerprints (a fixed pseudo-random projection of each column) plus one full
 * comparison per pair with matching fingerprints.
 */
export function duplicateColumns(Z: Float64Array, rows: number, P: number, columns = P, tolerance = 1e-10): Int32Array {
  const print = new Float64Array(columns), size = new Float64Array(columns), largest = new Float64Array(columns);
  for (let i = 0; i < rows; ++i) {
    const u = projection(i);
    for (let j = 0; j < columns; ++j) {
      const z = Z[i * P + j];
      print[j] += u * z;
      size[j] += Math.abs(u * z);
      largest[j] = Math.max(largest[j], Math.abs(z));
    }
  }
  const of = new Int32Array(columns).fill(-1);
  for (let j = 1; j < columns; ++j) {
    for (let k = 0; k < j && of[j] < 0; ++k) {
      if (of[k] >= 0 || largest[k] === 0) continue;
      if (Math.abs(print[j] - print[k]) > tolerance * (size[k] + size[j])) continue;
      if (equalColumns(Z, rows, P, j, k, tolerance * largest[k])) of[j] = k;
    }
  }
  return of;
}

/** max_i |Z_ij − Z_ik| ≤ bound. */
function equalColumns(Z: Float64Array, rows: number, P: number, j: number, k: number, bound: number): boolean {
  for (let i = 0; i < rows; ++i) if (Math.abs(Z[i * P + j] - Z[i * P + k]) > bound) return false;
  return true;
}

/** A fixed value in [−0.5, 0.5) per row (a multiplicative hash), the same on every run. */
function projection(i: number): number {
  return (Math.imul(i + 1, 0x9e3779b1) >>> 0) / 4294967296 - 0.5;
}

/**
 * Unpenalised per-element energy offsets for a Lasso fit, by projection (Frisch–Waugh–Lovell).
 *
 * With count columns C (rows: weighted n_e/N on energy rows, 0 on force rows), the problem
 *   min_{w, ε} ½‖y − A w − C ε‖² + λ‖w‖₁
 * has ε(w) = C⁺(y − A w) for any w, so it equals the plain Lasso min_w ½‖P⊥y − P⊥A w‖² + λ‖w‖₁
 * with P⊥ = 1 − C (CᵀC)⁺ Cᵀ (the projection away from the count columns; centring for an
 * intercept is the special case C = 1). The pseudo-inverse (eigenvalues below 1e-12 of the
 * largest are dropped) gives the minimum-norm offsets when compositions do not determine them
 * all, e.g. only the sum ε_Zn + ε_O when every structure is stoichiometric ZnO.
 * @internal
 * @module
 */

/** The T×T pseudo-inverse of a symmetric positive semi-definite matrix (row-major), by Jacobi rotations. */
export function pseudoInverse(G: Float64Array, T: number): Float64Array {
  const a = Float64Array.from(G);
  const v = new Float64Array(T * T);
  for (let i = 0; i < T; ++i) v[i * T + i] = 1;
  for (let sweep = 0; sweep < 100; ++sweep) {
    let off = 0;
    for (let p = 0; p < T; ++p) for (let q = p + 1; q < T; ++q) off += a[p * T + q] ** 2;
    if (off < 1e-300) break;
    for (let p = 0; p < T; ++p) {
      for (let q = p + 1; q < T; ++q) {
        const apq = a[p * T + q];
        if (apq === 0) continue;
        const theta = (a[q * T + q] - a[p * T + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < T; ++k) {  // a ← Jᵀ a J, v ← v J
          const akp = a[k * T + p], akq = a[k * T + q];
          a[k * T + p] = c * akp - s * akq, a[k * T + q] = s * akp + c * akq;
        }
        for (let k = 0; k < T; ++k) {
          const apk = a[p * T + k], aqk = a[q * T + k];
          a[p * T + k] = c * apk - s * aqk, a[q * T + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < T; ++k) {
          const vkp = v[k * T + p], vkq = v[k * T + q];
          v[k * T + p] = c * vkp - s * vkq, v[k * T + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let largest = 0;
  for (let i = 0; i < T; ++i) largest = Math.max(largest, a[i * T + i]);
  const out = new Float64Array(T * T);
  for (let k = 0; k < T; ++k) {
    const lambda = a[k * T + k];
    if (!(lambda > 1e-12 * largest)) continue;
    for (let i = 0; i < T; ++i) for (let j = 0; j < T; ++j) out[i * T + j] += (v[i * T + k] * v[j * T + k]) / lambda;
  }
  return out;
}

/**
 * Projects the count columns C [rows, T] out of A [rows, P] and y [rows], in place:
 * A ← A − C G⁺ CᵀA, y ← y − C G⁺ Cᵀy, G = CᵀC. Returns G⁺ (for {@link offsetsOf}).
 */
export function projectOut(A: Float64Array, y: Float64Array, C: Float64Array, rows: number, P: number, T: number): Float64Array {
  const G = new Float64Array(T * T);
  const CtA = new Float64Array(T * P);
  const Cty = new Float64Array(T);
  for (let r = 0; r < rows; ++r) {
    for (let e = 0; e < T; ++e) {
      const c = C[r * T + e];
      if (c === 0) continue;
      for (let e2 = 0; e2 < T; ++e2) G[e * T + e2] += c * C[r * T + e2];
      for (let j = 0; j < P; ++j) CtA[e * P + j] += c * A[r * P + j];
      Cty[e] += c * y[r];
    }
  }
  const Gp = pseudoInverse(G, T);
  const coefA = new Float64Array(T * P);  // G⁺ CᵀA
  const coefY = new Float64Array(T);
  for (let e = 0; e < T; ++e) {
    for (let e2 = 0; e2 < T; ++e2) {
      const g = Gp[e * T + e2];
      for (let j = 0; j < P; ++j) coefA[e * P + j] += g * CtA[e2 * P + j];
      coefY[e] += g * Cty[e2];
    }
  }
  for (let r = 0; r < rows; ++r) {
    for (let e = 0; e < T; ++e) {
      const c = C[r * T + e];
      if (c === 0) continue;
      for (let j = 0; j < P; ++j) A[r * P + j] -= c * coefA[e * P + j];
      y[r] -= c * coefY[e];
    }
  }
  return Gp;
}

/** ε = G⁺ Cᵀ r for the residuals r [rows] = y − A w of the unprojected problem. */
export function offsetsOf(Gp: Float64Array, C: Float64Array, residuals: Float64Array, rows: number, T: number): Float64Array {
  const Ctr = new Float64Array(T);
  for (let r = 0; r < rows; ++r) for (let e = 0; e < T; ++e) Ctr[e] += C[r * T + e] * residuals[r];
  const out = new Float64Array(T);
  for (let e = 0; e < T; ++e) for (let e2 = 0; e2 < T; ++e2) out[e] += Gp[e * T + e2] * Ctr[e2];
  return out;
}

/**
 * Eigenvalues (and eigenvectors) of small real symmetric and complex Hermitian matrices by cyclic
 * Jacobi rotations (dynamical matrices, feature covariances: a few hundred rows at most; O(n³) per
 * sweep, a handful of sweeps).
 * @module
 * @internal
 */
import { PolymorphError } from './errors';

/**
 * Eigenvalues and eigenvectors of the real symmetric n×n matrix `a` (row-major, not changed) by
 * cyclic Jacobi rotations A ← JᵀAJ, V ← VJ; column j of `vectors` (row-major n×n) belongs to
 * `values[j]` (unsorted). Stops when the off-diagonal norm is below 1e-14 of the Frobenius norm.
 * `withVectors` false skips the vectors (an empty array), a third less work.
 */
export function symmetricEigensystem(a: ArrayLike<number>, n: number, withVectors = true): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(withVectors ? n * n : 0);
  for (let i = 0; i < n && withVectors; ++i) v[i * n + i] = 1;
  let total = 0;
  for (const x of m) total += x * x;
  for (let sweep = 0; sweep < 100; ++sweep) {
    let off = 0;
    for (let p = 0; p < n; ++p) for (let q = p + 1; q < n; ++q) off += m[p * n + q] ** 2;
    if (off <= 1e-28 * total) break;
    for (let p = 0; p < n - 1; ++p) for (let q = p + 1; q < n; ++q) rotate(m, v, n, p, q);
  }
  return { values: Float64Array.from({ length: n }, (_, i) => m[i * n + i]), vectors: v };
}

/** One Jacobi rotation in the (p, q) plane that zeroes m[p, q]. */
function rotate(m: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = m[p * n + q];
  if (apq === 0) return;
  const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1), s = t * c;
  for (let k = 0; k < n; ++k) {
    const mkp = m[k * n + p], mkq = m[k * n + q];
    m[k * n + p] = c * mkp - s * mkq;
    m[k * n + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; ++k) {
    const mpk = m[p * n + k], mqk = m[q * n + k];
    m[p * n + k] = c * mpk - s * mqk;
    m[q * n + k] = s * mpk + c * mqk;
  }
  m[p * n + q] = m[q * n + p] = 0;
  if (v.length === 0) return;
  for (let k = 0; k < n; ++k) {
    const vkp = v[k * n + p], vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

/**
 * Eigenvalues, ascending, of the real symmetric n×n matrix `a` (row-major; only its values are
 * read, `a` is not changed; it is symmetrised first). Accurate to round-off relative to the
 * largest eigenvalue.
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) throw new PolymorphError('E_SHAPE', `symmetricEigenvalues: expected ${n}×${n} values, got ${a.length}`);
  const m = Float64Array.from(a);
  for (let k = 0; k < n * n; ++k) {
    if (!Number.isFinite(m[k])) throw new PolymorphError('E_VALUE', 'symmetricEigenvalues: the matrix has a non-finite element');
  }
  for (let i = 0; i < n; ++i) for (let j = 0; j < i; ++j) m[i * n + j] = m[j * n + i] = 0.5 * (m[i * n + j] + m[j * n + i]);
  return symmetricEigensystem(m, n, false).values.sort();
}

/**
 * Eigenvalues, ascending, of the Hermitian n×n matrix H = re + i·im (row-major real and imaginary
 * parts): those of the real symmetric 2n×2n matrix [[re, −im], [im, re]], which holds each
 * eigenvalue of H twice; every other one is returned.
 */
export function hermitianEigenvalues(re: ArrayLike<number>, im: ArrayLike<number>, n: number): Float64Array {
  if (re.length !== n * n || im.length !== n * n) throw new PolymorphError('E_SHAPE', `hermitianEigenvalues: expected ${n}×${n} real and imaginary parts`);
  const N = 2 * n;
  const big = new Float64Array(N * N);
  for (let i = 0; i < n; ++i) {
    for (let j = 0; j < n; ++j) {
      const r = re[i * n + j], c = im[i * n + j];
      big[i * N + j] = r;
      big[(i + n) * N + (j + n)] = r;
      big[i * N + (j + n)] = -c;
      big[(i + n) * N + j] = c;
    }
  }
  const doubled = symmetricEigenvalues(big, N);
  return Float64Array.from({ length: n }, (_, k) => 0.5 * (doubled[2 * k] + doubled[2 * k + 1]));
}

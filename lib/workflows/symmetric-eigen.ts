/**
 * Eigenvalues of small real symmetric and complex Hermitian matrices by cyclic Jacobi rotations
 * (for dynamical matrices of a few hundred rows at most; O(n³) per sweep, a handful of sweeps).
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';

/**
 * Eigenvalues, ascending, of the real symmetric n×n matrix `a` (row-major; only its values are
 * read, `a` is not changed). Cyclic Jacobi: each sweep zeroes every off-diagonal element once by a
 * plane rotation; stops when the off-diagonal norm is below 1e-14 of the Frobenius norm (or after
 * 100 sweeps). Accurate to round-off relative to the largest eigenvalue.
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) throw new PolymorphError('E_SHAPE', `symmetricEigenvalues: expected ${n}×${n} values, got ${a.length}`);
  const m = Float64Array.from(a);
  let total = 0;
  for (let k = 0; k < n * n; ++k) {
    if (!Number.isFinite(m[k])) throw new PolymorphError('E_VALUE', 'symmetricEigenvalues: the matrix has a non-finite element');
    total += m[k] * m[k];
  }
  for (let i = 0; i < n; ++i) for (let j = 0; j < i; ++j) m[i * n + j] = m[j * n + i] = 0.5 * (m[i * n + j] + m[j * n + i]);
  const threshold = 1e-28 * total;
  for (let sweep = 0; sweep < 100; ++sweep) {
    let off = 0;
    for (let p = 0; p < n; ++p) for (let q = p + 1; q < n; ++q) off += m[p * n + q] * m[p * n + q];
    if (off <= threshold) break;
    for (let p = 0; p < n - 1; ++p) {
      for (let q = p + 1; q < n; ++q) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p], aqq = m[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; ++k) {
          const akp = m[k * n + p], akq = m[k * n + q];
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; ++k) {
          const apk = m[p * n + k], aqk = m[q * n + k];
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        m[p * n + q] = m[q * n + p] = 0;
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; ++i) values[i] = m[i * n + i];
  return values.sort();
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

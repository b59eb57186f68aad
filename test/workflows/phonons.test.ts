import { describe, expect, it } from 'vitest';
import { fromFractional, wurtzite } from '../../lib/build/crystals';
import { LennardJones } from '../../lib/potentials/lennard-jones';
import { zincOxideBuckingham } from '../../lib/potentials/zinc-oxide';
import { amuA2PerFs2InEv } from '../../lib/structure/units';
import { dosAgreement, dynamicalMatrix, forceConstants, phononDos, phononFrequencies, THZ_PER_SQRT_EV_PER_A2_AMU } from '../../lib/workflows/phonons';
import { hermitianEigenvalues, symmetricEigenvalues } from '../../lib/core/symmetric-eigen';
import { expectCode } from '../potentials/conformance';

// Argon-like fcc with nearest-neighbour interactions only: cutoff 0.85 a lies between the 12
// neighbours at a/√2 = 0.707 a and the 6 second neighbours at a.
const EPS = 0.0104, SIG = 3.4, A = 5.4, CUT = 0.85 * A;
const lj = new LennardJones({ epsilon: EPS, sigma: SIG, cutoff: CUT });
const primitiveFcc = fromFractional([[0, A / 2, A / 2], [A / 2, 0, A / 2], [A / 2, A / 2, 0]], [[0, 0, 0]], ['Ar']);

/** Exact D(q) of a nearest-neighbour pair potential on fcc: Σ_R (1 − cos q·R) [φ'' êê + (φ'/r)(I − êê)] / m, q Cartesian (1/Å). */
function analyticFrequencies(qCart: number[]): number[] {
  const r = A / Math.SQRT2;
  const d1 = 4 * EPS * (-12 * SIG ** 12 / r ** 13 + 6 * SIG ** 6 / r ** 7);
  const d2 = 4 * EPS * (156 * SIG ** 12 / r ** 14 - 42 * SIG ** 6 / r ** 8);
  const m = primitiveFcc.masses[0];
  const D = new Float64Array(9);
  for (const [x, y, z] of [[1, 1, 0], [1, -1, 0], [1, 0, 1], [1, 0, -1], [0, 1, 1], [0, 1, -1]]) {
    for (const sgn of [1, -1]) {
      const R = [sgn * x * A / 2, sgn * y * A / 2, sgn * z * A / 2];
      const e = R.map((v) => v / r);
      const w = 1 - Math.cos(qCart[0] * R[0] + qCart[1] * R[1] + qCart[2] * R[2]);
      for (let a = 0; a < 3; ++a) for (let b = 0; b < 3; ++b) D[3 * a + b] += (w * (d2 * e[a] * e[b] + (d1 / r) * ((a === b ? 1 : 0) - e[a] * e[b]))) / m;
    }
  }
  return Array.from(symmetricEigenvalues(D, 3)).map((l) => Math.sign(l) * Math.sqrt(Math.abs(l)) * THZ_PER_SQRT_EV_PER_A2_AMU);
}

/** Cartesian q (1/Å) of fractional reciprocal coordinates of the primitive fcc cell: q = 2π f·A⁻ᵀ. */
function cartesian(f: number[]): number[] {
  // Reciprocal vectors of the fcc primitive cell (a/2)(0,1,1), … are (2π/a)(−1,1,1), (1,−1,1), (1,1,−1).
  const b = [[-1, 1, 1], [1, -1, 1], [1, 1, -1]];
  return [0, 1, 2].map((x) => (2 * Math.PI / A) * (f[0] * b[0][x] + f[1] * b[1][x] + f[2] * b[2][x]));
}

describe('eigenvalues', () => {
  it('symmetric and Hermitian matrices with known spectra', () => {
    // [[2,1],[1,2]] → 1, 3; the Hermitian [[1, i],[−i, 1]] → 0, 2.
    expect(Array.from(symmetricEigenvalues([2, 1, 1, 2], 2))).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
    expect(Array.from(hermitianEigenvalues([1, 0, 0, 1], [0, 1, -1, 0], 2))).toEqual([expect.closeTo(0, 14), expect.closeTo(2, 14)]);
    // The path Laplacian of 12 nodes: 2 − 2cos(kπ/12), k = 0…11.
    const n = 12, L = new Float64Array(n * n);
    for (let i = 0; i < n; ++i) { L[i * n + i] = i === 0 || i === n - 1 ? 1 : 2; if (i > 0) L[i * n + i - 1] = L[(i - 1) * n + i] = -1; }
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((k * Math.PI) / n)).sort((a, b) => a - b);
    symmetricEigenvalues(L, n).forEach((v, k) => expect(v).toBeCloseTo(exact[k], 12));
  });
});

describe('phonons by finite displacements', () => {
  const fc = forceConstants(primitiveFcc, lj, { supercell: [4, 4, 4] });

  it('the THz conversion is √(eV/(Å² amu))/2π', () => {
    expect(THZ_PER_SQRT_EV_PER_A2_AMU).toBeCloseTo(15.6330, 3);
    expect(amuA2PerFs2InEv).toBeGreaterThan(100);
  });

  it('fcc with nearest-neighbour Lennard-Jones: the analytic dispersion at commensurate and general q', () => {
    // Central differences with δ = 0.01 Å: relative error ~ (δ/r)² φ''''/φ'' ≈ 1e-5; the minimum images are
    // exact for a nearest-neighbour model in this supercell, so every q (not only commensurate ones) agrees.
    for (const f of [[0.5, 0, 0], [0.25, 0.25, 0], [0.5, 0.5, 0.5], [0.13, 0.31, 0.07], [0.4, -0.2, 0.3]]) {
      const got = Array.from(phononFrequencies(fc, f)), want = analyticFrequencies(cartesian(f));
      got.forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThan(1e-4 * Math.max(...want) + 1e-6));
    }
  });

  it('frequencies do not depend on the supercell: [2,2,2] and [4,4,4] agree at q commensurate with both and at a general q', () => {
    // In the 2×2×2 supercell the neighbours at ±a₁ are one atom: the two minimum images (weight ½ each) restore 2cos(q·R).
    const small = forceConstants(primitiveFcc, lj, { supercell: [2, 2, 2] });
    for (const f of [[0.5, 0, 0], [0.5, 0.5, 0], [0.5, 0.5, 0.5], [0.21, 0.13, 0.4]]) {
      const a = phononFrequencies(small, f), b = phononFrequencies(fc, f);
      a.forEach((v, k) => expect(Math.abs(v - b[k])).toBeLessThan(1e-6));
    }
  });

  it('commensurate q of a supercell give the Γ-point modes of that supercell (wurtzite ZnO, rigid-ion reference)', () => {
    const zno = zincOxideBuckingham().potential;
    const cell = wurtzite(['Zn', 'O'], 3.271, 5.139, 0.389);
    const fcw = forceConstants(cell, zno, { supercell: [2, 2, 2] });
    // Full 96×96 mass-weighted Hessian of the supercell from translational symmetry: Φ(j, j') = Φ(κ, j' − L_j).
    const n = 4, reps = [2, 2, 2], N = 32, size = 3 * N;
    const image = (j: number): number[] => { const k = Math.floor(j / n); return [Math.floor(k / 4), Math.floor(k / 2) % 2, k % 2]; };
    const index = (l: number[], kappa: number): number => (((l[0] + reps[0]) % 2) * 4 + ((l[1] + reps[1]) % 2) * 2 + ((l[2] + reps[2]) % 2)) * n + kappa;
    const H = new Float64Array(size * size), m = fcw.primitive.masses;
    for (let j = 0; j < N; ++j) for (let jj = 0; jj < N; ++jj) {
      const lj_ = image(j), ljj = image(jj);
      const rel = index([ljj[0] - lj_[0], ljj[1] - lj_[1], ljj[2] - lj_[2]], jj % n);
      for (let a = 0; a < 3; ++a) for (let b = 0; b < 3; ++b) {
        H[(3 * j + a) * size + 3 * jj + b] = fcw.values[(3 * (j % n) + a) * 3 * N + 3 * rel + b] / Math.sqrt(m[j % n] * m[jj % n]);
      }
    }
    const gamma = Array.from(symmetricEigenvalues(H, size)).map((l) => Math.sign(l) * Math.sqrt(Math.abs(l)) * THZ_PER_SQRT_EV_PER_A2_AMU);
    const folded: number[] = [];
    for (const f of [[0, 0, 0], [0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5], [0.5, 0.5, 0.5]]) folded.push(...phononFrequencies(fcw, f));
    folded.sort((x, y) => x - y);
    // The same matrix, block-diagonalised: equal to round-off (1e-9 of the top frequency).
    folded.forEach((v, k) => expect(Math.abs(v - gamma[k])).toBeLessThan(1e-9 * gamma[size - 1] + 1e-6));
  });

  it('acoustic sum rule: three zero modes at Γ for wurtzite ZnO (rigid-ion reference, 3×3×2 supercell)', () => {
    const zno = zincOxideBuckingham().potential;
    const fcw = forceConstants(wurtzite(['Zn', 'O'], 3.271, 5.139, 0.389), zno, { supercell: [3, 3, 2] });
    const nu = Array.from(phononFrequencies(fcw, [0, 0, 0]));
    // Translation invariance makes Σ_j Φ = 0 up to the finite-difference and Ewald errors (accuracy 1e-6
    // relative on forces of ~1 eV/Å over 2δ = 0.02 Å → Φ noise ~1e-4 eV/Å², ν ~ 15.6 √(1e-4/16) ≈ 0.04 THz).
    for (const v of nu.slice(0, 3)) expect(Math.abs(v)).toBeLessThan(0.1);
    for (const v of nu.slice(3)) expect(v).toBeGreaterThan(3);
    const dyn = dynamicalMatrix(fcw, [0.1, 0.2, 0.3]);
    for (let i = 0; i < dyn.size; ++i) expect(Math.abs(dyn.im[i * dyn.size + i])).toBe(0);
  }, 60000);

  it('the density of states is normalised, and a model compared with itself agrees exactly', () => {
    const dos = phononDos(fc, { mesh: [4, 4, 4], sigma: 0.1 });
    const step = dos.frequency[1] - dos.frequency[0];
    expect(dos.dos.reduce((a, b) => a + b, 0) * step).toBeCloseTo(1, 3);
    expect(dos.imaginaryModes).toBe(0);
    expect(dosAgreement(dos, dos)).toEqual({ overlap: expect.closeTo(1, 12), difference: 0 });
    // Mean and highest frequency over the mesh equal the analytic ones on the same mesh.
    const exact: number[] = [];
    for (let i = 0; i < 4; ++i) for (let j = 0; j < 4; ++j) for (let k = 0; k < 4; ++k) exact.push(...analyticFrequencies(cartesian([i / 4, j / 4, k / 4])));
    // The mean: the three acoustic modes at Γ come out as √(round-off) ~ 1e-2 THz instead of 0 (3 of 192 modes).
    expect(Math.abs(dos.meanFrequency - exact.reduce((a, b) => a + b, 0) / exact.length)).toBeLessThan(3e-4);
    expect(Math.abs(dos.maxFrequency - Math.max(...exact))).toBeLessThan(1e-4 * Math.max(...exact));  // the O(δ²) error, as above
  });

  it('rejects bad input with typed errors', () => {
    expectCode(() => forceConstants(primitiveFcc, lj, { supercell: [0, 2, 2] as never }), 'E_VALUE');
    expectCode(() => forceConstants(primitiveFcc, lj, { displacement: -1 }), 'E_VALUE');
    expectCode(() => forceConstants(primitiveFcc, lj, { typo: 1 } as never), 'E_VALUE');
    expectCode(() => phononDos(fc, { sigma: 0 }), 'E_VALUE');
    expectCode(() => phononFrequencies(fc, [0, 0] as never), 'E_VALUE');
  });
});

/**
 * Smooth PME parameters from a target accuracy: error estimates of the real-space and mesh
 * parts and the choice of α, real-space cutoff and grid (see docs/guides/electrostatics.md).
 *
 * Accuracy metric (the same as LAMMPS' and as {@link Ewald}'s): the RMS over atoms of the force
 * error |ΔF_i|, relative to the force between two unit charges 1 Å apart (k_e/Å²), i.e.
 * ΔF_rms (eV/Å) ≤ ε·k_e.
 * @module
 */

/**
 * Constant C_p of the mesh error estimate per B-spline order p (index p). Fitted to measured RMS
 * force errors of rattled rocksalt (216 ions) against a converged Ewald sum for α = 0.3 and
 * 0.45 Å⁻¹ and grid spacings with hα ≤ 0.5 (the largest ratio found, rounded up); orders 3
 * and 4 raised 6× after the triclinic ZnO validation in test/potentials/ewald.test.ts.
 */
export const PME_ERROR_CONSTANTS: readonly number[] = [0, 0, 0, 1.5, 0.6, 0.03, 0.02, 0.02, 0.015, 0.02, 0.025, 0.03, 0.04];

/** Kolafa–Perram estimate of the RMS real-space force error (units of k_e/Å²): 2Σq²/√(N r_c V) e^{−α² r_c²}. */
export function pmeRealSpaceError(alpha: number, cutoff: number, sumQ2: number, n: number, volume: number): number {
  return ((2 * sumQ2) / Math.sqrt(n * cutoff * volume)) * Math.exp(-alpha * alpha * cutoff * cutoff);
}

/**
 * Estimate of the RMS mesh force error (units of k_e/Å²) of smooth PME with analytic spline
 * derivatives: the Deserno–Holm functional form for an order-p assignment,
 * ΔF_d = C_p Σq²/√(N V) · √α · (h_d α)^p with h_d = |a_d|/K_d, combined as √(mean_d ΔF_d²).
 */
export function pmeReciprocalError(alpha: number, spacings: readonly number[], order: number, sumQ2: number, n: number, volume: number): number {
  const scale = (PME_ERROR_CONSTANTS[order] * sumQ2 * Math.sqrt(alpha)) / Math.sqrt(n * volume);
  let sum = 0;
  for (const h of spacings) sum += (scale * Math.pow(h * alpha, order)) ** 2;
  return Math.sqrt(sum / spacings.length);
}

/** Input of {@link choosePmeParameters}. */
export interface PmeChoiceInput {
  accuracy: number;
  /** Σ q_i² (e²), N, V (Å³), lattice vector lengths |a_d| (Å). */
  sumQ2: number;
  n: number;
  volume: number;
  lengths: readonly number[];
  order: number;
  /** Fixed by the user, if given. */
  alpha?: number;
  cutoff?: number;
  grid?: readonly [number, number, number];
  /** Real-space cutoff used when neither α nor the cutoff is given, Å. */
  defaultCutoff: number;
}

/** Chosen parameters and their error estimates (k_e/Å² units, i.e. relative to the accuracy metric; total = real + reciprocal). */
export interface PmeChoice {
  alpha: number;
  cutoff: number;
  grid: [number, number, number];
  errorEstimate: { real: number; reciprocal: number; total: number };
}

/**
 * Splits the target: ε/4 for the real-space estimate (measured errors reach 2× the
 * Kolafa–Perram estimate in small dense crystals, e.g. 216-ion rocksalt ZnO, where the
 * neglected pairs are not random), ε/2 for the mesh estimate (measured 1/3 of it there), so the
 * sum stays within ε: r_c (given or default) → α from the real-space
 * estimate (or r_c from a given α); then each K_d is the smallest 2·3·5-smooth size ≥ order
 * whose mesh term meets ε/√2, i.e. the cheapest grid for that α.
 */
export function choosePmeParameters(c: PmeChoiceInput): PmeChoice {
  const target = c.accuracy / 4; // real space
  const q2 = c.sumQ2 > 0 ? c.sumQ2 : 1;
  const logOf = (rc: number): number => Math.max(1, Math.log((2 * q2) / (target * Math.sqrt(c.n * rc * c.volume))));
  let alpha: number;
  let cutoff: number;
  if (c.alpha !== undefined && c.cutoff !== undefined) {
    alpha = c.alpha, cutoff = c.cutoff;
  } else if (c.alpha !== undefined) {
    alpha = c.alpha;
    cutoff = Math.sqrt(-Math.log(c.accuracy)) / alpha;
    for (let i = 0; i < 20; ++i) cutoff = Math.sqrt(logOf(cutoff)) / alpha;
  } else {
    cutoff = c.cutoff ?? c.defaultCutoff;
    alpha = Math.sqrt(logOf(cutoff)) / cutoff;
  }
  const meshTarget = c.accuracy / 2;
  const grid = c.grid ? [c.grid[0], c.grid[1], c.grid[2]] as [number, number, number] : c.lengths.map((length) => {
    // (hα)^p ≤ target √(NV) / (C_p Σq² √α)
    const bound = (meshTarget * Math.sqrt(c.n * c.volume)) / (PME_ERROR_CONSTANTS[c.order] * q2 * Math.sqrt(alpha));
    const h = Math.pow(bound, 1 / c.order) / alpha;
    return smoothSize(Math.max(c.order, Math.ceil(length / h)));
  }) as [number, number, number];
  const real = pmeRealSpaceError(alpha, cutoff, c.sumQ2, c.n, c.volume);
  const reciprocal = pmeReciprocalError(alpha, c.lengths.map((l, d) => l / grid[d]), c.order, c.sumQ2, c.n, c.volume);
  return { alpha, cutoff, grid, errorEstimate: { real, reciprocal, total: real + reciprocal } };
}

/** Smallest integer ≥ n whose prime factors are 2, 3 and 5 (FFT-friendly). */
export function smoothSize(n: number): number {
  for (let m = Math.max(1, n); ; ++m) {
    let r = m;
    for (const f of [2, 3, 5]) while (r % f === 0) r /= f;
    if (r === 1) return m;
  }
}

/**
 * Harmonic phonons by finite displacements on a supercell (the Parlinski–Li–Kawazoe method, as
 * phonopy uses it): force constants from ±δ displacements of the atoms of one primitive cell,
 * the dynamical matrix D(q) at any wave vector with minimum-image weights, frequencies (THz) and a
 * Gaussian-broadened density of states. Lengths Å, energies eV, masses amu.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { Potential } from '../potentials/potential';
import { amuA2PerFs2InEv } from '../structure/units';
import { Structure } from '../structure/structure';
import { hermitianEigenvalues } from '../core/symmetric-eigen';

/** 1 √(eV/(Å²·amu)) as a frequency ν = ω/2π, THz (15.633 THz). */
export const THZ_PER_SQRT_EV_PER_A2_AMU = 1000 / (2 * Math.PI * Math.sqrt(amuA2PerFs2InEv));

/** Options of {@link forceConstants}. */
export interface ForceConstantsOptions {
  /** Repeats of the primitive cell along its three lattice vectors (default [3, 3, 3]). */
  supercell?: readonly [number, number, number];
  /** Displacement δ, Å (default 0.01): Φ = −(F(+δ) − F(−δ)) / 2δ, error O(δ²). */
  displacement?: number;
}

/**
 * Force constants of a crystal: Φ[κα, jβ] = ∂²E/∂u_κα ∂u_jβ (eV/Å²) between each atom κ of the
 * primitive cell (which is the image at the origin of the supercell) and every atom j of the
 * supercell, with the data to build D(q).
 */
export interface ForceConstants {
  /** The primitive cell (its positions are the atoms displaced). */
  primitive: Structure;
  /** Repeats of the supercell. */
  supercell: [number, number, number];
  /** Displacement used, Å. */
  displacement: number;
  /** Φ, row-major [3n, 3N]: row 3κ+α, column 3j+β (n primitive atoms, N = n·n₁n₂n₃ supercell atoms), eV/Å². */
  values: Float64Array;
  /**
   * Minimum images: for each pair (κ, j), the shortest vectors r_j + T − r_κ over supercell
   * translations T (all those within 1e-4 Å of the shortest), in fractional coordinates of the
   * primitive cell, weighted equally.
   */
  images: number[][][][];
  /** Force evaluations used (6n). */
  evaluations: number;
}

const FC_KEYS = ['supercell', 'displacement'] as const;

function reps(x: unknown, what: string): [number, number, number] {
  if (!Array.isArray(x) || x.length !== 3 || !x.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new PolymorphError('E_VALUE', `${what}: expected three positive integers, got ${JSON.stringify(x)}`);
  }
  return [x[0], x[1], x[2]];
}

function inverse(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (!(Math.abs(det) > 1e-12)) throw new PolymorphError('E_CELL', 'phonons: the cell is singular');
  return [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det, (f * g - d * i) / det, (a * i - c * g) / det,
    (c * d - a * f) / det, (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det];
}

/**
 * Force constants by central finite differences: each atom κ of `primitive` is displaced by ±δ
 * along x, y, z in the supercell `primitive.repeat(supercell)` and Φ[κα, jβ] = −(F_jβ(+) −
 * F_jβ(−)) / 2δ; 6n force evaluations of N atoms. No symmetry is used. The supercell must be
 * large enough for the interactions to decay within half of it (the interpolation folds what
 * lies beyond onto the minimum images); a long-range Coulomb term is handled exactly by the
 * potential in the supercell but its q → 0 non-analytic part (LO–TO splitting) is not included.
 * @example
 * const fc = forceConstants(wurtzite(['Zn', 'O'], 3.27, 5.14, 0.389), zno.potential, { supercell: [3, 3, 2] });
 * const dos = phononDos(fc, { mesh: [6, 6, 4] });
 */
export function forceConstants(primitive: Structure, potential: Potential, options: ForceConstantsOptions = {}): ForceConstants {
  if (!(primitive instanceof Structure)) throw new PolymorphError('E_TYPE', 'forceConstants: expected a Structure');
  const o = checkOptions(options, FC_KEYS, 'forceConstants');
  if (!primitive.cell || !primitive.pbc.every((p) => p)) throw new PolymorphError('E_CELL', 'forceConstants: the primitive cell must be periodic in all three directions');
  if (primitive.length === 0) throw new PolymorphError('E_EMPTY', 'forceConstants: the cell has no atoms');
  const supercell = reps(o.supercell ?? [3, 3, 3], 'forceConstants: supercell');
  const delta = o.displacement ?? 0.01;
  if (!(typeof delta === 'number' && delta > 0 && delta < 0.5)) throw new PolymorphError('E_VALUE', `forceConstants: displacement must lie in (0, 0.5) Å, got ${String(delta)}`);
  const n = primitive.length;
  const big = primitive.repeat(supercell);
  const N = big.length;
  const values = new Float64Array(3 * n * 3 * N);
  const forcesAt = (atom: number, axis: number, shift: number): Float64Array => {
    const s = big.clone();
    s.positions.set(atom, axis, s.positions.get(atom, axis) + shift);
    const f = potential.compute(s, { forces: true }).forces;
    if (!f) throw new PolymorphError('E_VALUE', 'forceConstants: the potential returned no forces');
    const data = Float64Array.from(f.data as ArrayLike<number>);
    if (!data.every(Number.isFinite)) throw new PolymorphError('E_VALUE', `forceConstants: non-finite forces with atom ${atom} displaced`);
    return data;
  };
  for (let kappa = 0; kappa < n; ++kappa) {
    for (let alpha = 0; alpha < 3; ++alpha) {
      const plus = forcesAt(kappa, alpha, delta), minus = forcesAt(kappa, alpha, -delta);
      const row = (3 * kappa + alpha) * 3 * N;
      for (let k = 0; k < 3 * N; ++k) values[row + k] = -(plus[k] - minus[k]) / (2 * delta);
    }
  }
  return { primitive: primitive.clone(), supercell, displacement: delta, values, images: minimumImages(primitive, big, supercell), evaluations: 6 * n };
}

/** Shortest vectors r_j + T − r_κ (fractional coordinates of the primitive cell) for each κ and supercell atom j. */
function minimumImages(primitive: Structure, big: Structure, supercell: [number, number, number]): number[][][][] {
  const n = primitive.length, N = big.length;
  const cell = primitive.cellMatrix();
  const inv = inverse(Array.from(cell));
  const superRows = [0, 1, 2].map((r) => [0, 1, 2].map((x) => cell[3 * r + x] * supercell[r]));
  const p = big.positions;
  const out: number[][][][] = [];
  for (let kappa = 0; kappa < n; ++kappa) {
    const row: number[][][] = [];
    for (let j = 0; j < N; ++j) {
      const d0 = [0, 1, 2].map((x) => p.get(j, x) - p.get(kappa, x));
      const candidates: { v: number[]; r: number }[] = [];
      for (let a = -2; a <= 2; ++a) for (let b = -2; b <= 2; ++b) for (let c = -2; c <= 2; ++c) {
        const v = [0, 1, 2].map((x) => d0[x] + a * superRows[0][x] + b * superRows[1][x] + c * superRows[2][x]);
        candidates.push({ v, r: Math.hypot(v[0], v[1], v[2]) });
      }
      const shortest = Math.min(...candidates.map((c) => c.r));
      row.push(candidates.filter((c) => c.r <= shortest + 1e-4).map(({ v }) => [0, 1, 2].map((y) => v[0] * inv[y] + v[1] * inv[3 + y] + v[2] * inv[6 + y])));
    }
    out.push(row);
  }
  return out;
}

/**
 * The dynamical matrix D(q) (eV/(Å²·amu)), 3n×3n Hermitian, at q in fractional coordinates of the
 * primitive reciprocal lattice (q·r = 2π q·f for a vector with fractional coordinates f):
 * D[κα, κ'β] = Σ_j∈κ' Φ[κα, jβ] · (1/|images|) Σ_images e^{2πi q·f} / √(m_κ m_κ'),
 * made exactly Hermitian by (D + D†)/2. Returns the real and imaginary parts, row-major.
 */
export function dynamicalMatrix(fc: ForceConstants, q: readonly number[]): { re: Float64Array; im: Float64Array; size: number } {
  if (!Array.isArray(q) || q.length !== 3 || !q.every(Number.isFinite)) throw new PolymorphError('E_VALUE', 'dynamicalMatrix: q must be three finite fractional coordinates');
  const n = fc.primitive.length, N = n * fc.supercell[0] * fc.supercell[1] * fc.supercell[2], size = 3 * n;
  const masses = fc.primitive.masses;
  const re = new Float64Array(size * size), im = new Float64Array(size * size);
  for (let kappa = 0; kappa < n; ++kappa) {
    for (let j = 0; j < N; ++j) {
      const other = j % n;  // Structure.repeat: atoms innermost
      const images = fc.images[kappa][j];
      let cr = 0, ci = 0;
      for (const f of images) {
        const phase = 2 * Math.PI * (q[0] * f[0] + q[1] * f[1] + q[2] * f[2]);
        cr += Math.cos(phase);
        ci += Math.sin(phase);
      }
      const scale = 1 / (images.length * Math.sqrt(masses[kappa] * masses[other]));
      cr *= scale;
      ci *= scale;
      for (let alpha = 0; alpha < 3; ++alpha) {
        for (let beta = 0; beta < 3; ++beta) {
          const phi = fc.values[(3 * kappa + alpha) * 3 * N + 3 * j + beta];
          const at = (3 * kappa + alpha) * size + 3 * other + beta;
          re[at] += phi * cr;
          im[at] += phi * ci;
        }
      }
    }
  }
  for (let i = 0; i < size; ++i) {
    for (let k = i; k < size; ++k) {
      const r = 0.5 * (re[i * size + k] + re[k * size + i]), c = 0.5 * (im[i * size + k] - im[k * size + i]);
      re[i * size + k] = re[k * size + i] = r;
      im[i * size + k] = c;
      im[k * size + i] = -c;
    }
  }
  return { re, im, size };
}

/** Frequencies ν = sign(λ)·√|λ| / 2π of D(q), THz, ascending (an unstable mode has a negative value). */
export function phononFrequencies(fc: ForceConstants, q: readonly number[]): Float64Array {
  const { re, im, size } = dynamicalMatrix(fc, q);
  return hermitianEigenvalues(re, im, size).map((l) => Math.sign(l) * Math.sqrt(Math.abs(l)) * THZ_PER_SQRT_EV_PER_A2_AMU);
}

/** Options of {@link phononDos}. */
export interface PhononDosOptions {
  /** Γ-centred q-mesh in the primitive reciprocal cell (default [6, 6, 6]). */
  mesh?: readonly [number, number, number];
  /** Gaussian broadening σ, THz (default 0.3). */
  sigma?: number;
  /** Frequency grid: from, to (THz) and points (default from min(0, lowest − 3σ) to highest + 3σ, 301 points). */
  grid?: { from?: number; to?: number; points?: number };
}

/** A phonon density of states. */
export interface PhononDos {
  /** Grid frequencies, THz. */
  frequency: number[];
  /** g(ν), states per THz normalised to ∫g dν = 1 (a fraction of the 3n modes per THz). */
  dos: number[];
  /** Mean frequency over all modes of the mesh, THz, and the highest. */
  meanFrequency: number;
  maxFrequency: number;
  /** Modes of the mesh with ν < −0.1 THz (unstable), and the mesh size. */
  imaginaryModes: number;
  qPoints: number;
}

const DOS_KEYS = ['mesh', 'sigma', 'grid'] as const;

/** Frequencies (THz) of every mode at every q of the Γ-centred mesh q = (i/m₁, j/m₂, k/m₃), q-point by q-point. */
export function meshFrequencies(fc: ForceConstants, mesh: readonly [number, number, number]): number[] {
  const m = reps(mesh, 'meshFrequencies: mesh');
  const modes: number[] = [];
  for (let i = 0; i < m[0]; ++i) for (let j = 0; j < m[1]; ++j) for (let k = 0; k < m[2]; ++k) {
    modes.push(...phononFrequencies(fc, [i / m[0], j / m[1], k / m[2]]));
  }
  return modes;
}

/**
 * Density of states from the frequencies on a Γ-centred q-mesh (q = (i/m₁, j/m₂, k/m₃)), each
 * mode a normalised Gaussian of width σ: g(ν) = (1/(3n·M)) Σ_q,s exp(−(ν − ν_qs)²/2σ²)/(σ√2π).
 * Unstable modes enter at their (negative) value.
 */
export function phononDos(fc: ForceConstants, options: PhononDosOptions = {}): PhononDos {
  const o = checkOptions(options, DOS_KEYS, 'phononDos');
  const mesh = reps(o.mesh ?? [6, 6, 6], 'phononDos: mesh');
  return dosOfModes(meshFrequencies(fc, mesh), mesh[0] * mesh[1] * mesh[2], { sigma: o.sigma, grid: o.grid });
}

/** {@link phononDos} of frequencies already computed on a mesh of `qPoints` points (THz). */
export function dosOfModes(modes: readonly number[], qPoints: number, options: Omit<PhononDosOptions, 'mesh'> = {}): PhononDos {
  const o = checkOptions(options, ['sigma', 'grid'], 'phononDos');
  if (modes.length === 0 || !modes.every(Number.isFinite)) throw new PolymorphError('E_VALUE', 'phononDos: expected finite frequencies');
  const sigma = o.sigma ?? 0.3;
  if (!(typeof sigma === 'number' && sigma > 0 && Number.isFinite(sigma))) throw new PolymorphError('E_VALUE', `phononDos: sigma must be a positive number of THz, got ${String(sigma)}`);
  const grid = checkOptions(o.grid ?? {}, ['from', 'to', 'points'], 'phononDos: grid');
  let lowest = Infinity, highest = -Infinity, sum = 0;
  for (const m of modes) { lowest = Math.min(lowest, m); highest = Math.max(highest, m); sum += m; }
  const from = grid.from ?? Math.min(0, lowest - 3 * sigma), to = grid.to ?? highest + 3 * sigma, points = grid.points ?? 301;
  if (!(Number.isFinite(from) && Number.isFinite(to) && to > from && Number.isInteger(points) && points >= 2)) {
    throw new PolymorphError('E_VALUE', `phononDos: grid needs from < to (THz) and at least 2 points, got ${from}, ${to}, ${points}`);
  }
  const step = (to - from) / (points - 1);
  const frequency = Array.from({ length: points }, (_, k) => from + step * k);
  const dos = new Array<number>(points).fill(0);
  const norm = 1 / (modes.length * sigma * Math.sqrt(2 * Math.PI));
  const reach = 6 * sigma;
  for (const m of modes) {
    const k0 = Math.max(0, Math.ceil((m - reach - from) / step)), k1 = Math.min(points - 1, Math.floor((m + reach - from) / step));
    for (let k = k0; k <= k1; ++k) dos[k] += Math.exp(-0.5 * ((frequency[k] - m) / sigma) ** 2) * norm;
  }
  return { frequency, dos, meanFrequency: sum / modes.length, maxFrequency: highest, imaginaryModes: modes.filter((m) => m < -0.1).length, qPoints };
}

/**
 * Agreement of two densities of states on the same grid: the overlap ∫g₁g₂ / √(∫g₁² ∫g₂²)
 * (1 for identical shapes, 0 for disjoint) and half the L1 distance ½∫|g₁ − g₂| dν (0 identical,
 * 1 disjoint; both g normalised to 1).
 */
export function dosAgreement(a: PhononDos, b: PhononDos): { overlap: number; difference: number } {
  if (a.frequency.length !== b.frequency.length || a.frequency.some((f, k) => Math.abs(f - b.frequency[k]) > 1e-9)) {
    throw new PolymorphError('E_SHAPE', 'dosAgreement: the two densities of states must share their frequency grid');
  }
  const step = a.frequency.length > 1 ? a.frequency[1] - a.frequency[0] : 1;
  let ab = 0, aa = 0, bb = 0, l1 = 0;
  for (let k = 0; k < a.dos.length; ++k) {
    ab += a.dos[k] * b.dos[k];
    aa += a.dos[k] ** 2;
    bb += b.dos[k] ** 2;
    l1 += Math.abs(a.dos[k] - b.dos[k]);
  }
  return { overlap: ab / Math.sqrt(aa * bb), difference: 0.5 * l1 * step };
}

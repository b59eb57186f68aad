/**
 * Disordered (liquid-like) binary configurations without molecular dynamics: random sequential
 * insertion in a cubic periodic box under minimum-distance constraints, then a short
 * constrained steepest descent on a potential's forces. The result is a quenched disordered
 * configuration, not a sample of a liquid at a temperature. Lengths in Å, energies in eV.
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import { mulberry32 } from '../core/random';
import type { Potential } from '../potentials/potential';
import { Structure } from '../structure/structure';

/** Minimum distances of a disordered binary configuration, Å. */
export interface MinimumDistances {
  /** Between unlike atoms (cation–anion), Å. */
  unlike: number;
  /** Between like atoms (cation–cation and anion–anion), Å. */
  like: number;
}

/** Options of {@link disorderedBinary}. */
export interface DisorderedBinaryOptions {
  /** Cation and anion symbols (equal numbers of each). */
  symbols: [string, string];
  /** Total number of atoms (even, ≥ 2). */
  atoms: number;
  /** Number density, atoms/Å³ (the cubic box edge is (atoms/density)^(1/3)). */
  density: number;
  /** Minimum distances enforced at insertion and kept during the descent, Å. */
  minimumDistances: MinimumDistances;
  /** Seed of the insertion. */
  seed: number;
  /** Potential whose forces drive the descent (needs energies and forces for the periodic box). */
  potential: Potential;
  /** Largest number of descent steps (0: insertion only). */
  steps: number;
  /** Largest displacement of any atom in one step, Å. */
  maxStep: number;
  /** Stop the descent once the largest force component is below this, eV/Å. */
  fmax: number;
}

/** Smallest pair distance violating `d` (by minimum image in a cubic box of edge L), or null if none. */
export function minimumDistanceViolation(positions: Float64Array, cation: boolean[], L: number, d: MinimumDistances): { i: number; j: number; r: number } | null {
  const n = cation.length;
  for (let i = 0; i < n; ++i) {
    for (let j = i + 1; j < n; ++j) {
      const r = imageDistance(positions, i, j, L);
      if (r < (cation[i] === cation[j] ? d.like : d.unlike)) return { i, j, r };
    }
  }
  return null;
}

function imageDistance(p: Float64Array, i: number, j: number, L: number): number {
  let s = 0;
  for (let k = 0; k < 3; ++k) {
    let x = p[3 * i + k] - p[3 * j + k];
    x -= L * Math.round(x / L);
    s += x * x;
  }
  return Math.sqrt(s);
}

/**
 * Random sequential insertion of `atoms` atoms (cations and anions alternately) in a cubic
 * periodic box: each atom is tried at up to 2000 uniform random positions and put at the first
 * one at least the minimum distance from every atom already placed (minimum image). Near the
 * jamming density of sequential insertion an atom may find no such place: it then goes to the
 * tried position with the smallest violation, and afterwards overlapping pairs are pushed apart
 * (each atom of a too-close pair by 60 % of the deficit along the minimum-image separation, for up
 * to 500 sweeps); if overlaps remain, the whole insertion restarts (up to 50 times, then `E_VALUE`:
 * lower the density or the distances).
 */
function insert(o: DisorderedBinaryOptions, L: number, random: () => number): { positions: Float64Array; cation: boolean[] } {
  const n = o.atoms;
  const cation = Array.from({ length: n }, (_, i) => i % 2 === 0);
  const p = new Float64Array(3 * n);
  const limit = (i: number, j: number): number => (cation[i] === cation[j] ? o.minimumDistances.like : o.minimumDistances.unlike);
  const best = new Float64Array(3);
  for (let restart = 0; restart < 50; ++restart) {
    for (let placed = 0; placed < n; ++placed) {
      let bestDeficit = Infinity;
      for (let t = 0; t < 2000 && bestDeficit > 0; ++t) {
        for (let k = 0; k < 3; ++k) p[3 * placed + k] = L * random();
        let deficit = 0;
        for (let j = 0; j < placed; ++j) deficit = Math.max(deficit, limit(placed, j) - imageDistance(p, placed, j, L));
        if (deficit < bestDeficit) bestDeficit = deficit, best.set(p.subarray(3 * placed, 3 * placed + 3));
      }
      p.set(best, 3 * placed);
    }
    if (separate(p, cation, L, o.minimumDistances, 500)) return { positions: p, cation };
  }
  throw new PolymorphError('E_VALUE', `disorderedBinary: could not place ${n} atoms at ${o.density} atoms/Å³ with minimum distances ${o.minimumDistances.unlike}/${o.minimumDistances.like} Å (lower the density or the distances)`);
}

/**
 * Pushes every pair closer than its minimum distance apart along the minimum-image separation,
 * each atom by 60 % of the deficit (so the pair ends 20 % of the deficit beyond the minimum),
 * sweeping over all pairs until none is too close (true) or `sweeps` sweeps are done (false).
 */
function separate(p: Float64Array, cation: boolean[], L: number, md: MinimumDistances, sweeps: number): boolean {
  const n = cation.length;
  for (let sweep = 0; sweep < sweeps; ++sweep) {
    let clean = true;
    for (let i = 0; i < n; ++i) {
      for (let j = i + 1; j < n; ++j) {
        const r = imageDistance(p, i, j, L), d = cation[i] === cation[j] ? md.like : md.unlike;
        if (r >= d) continue;
        clean = false;
        const dx = [0, 1, 2].map((k) => { const x = p[3 * i + k] - p[3 * j + k]; return x - L * Math.round(x / L); });
        const s = r > 1e-12 ? (0.6 * (d - r)) / r : 0.6 * d;
        for (let k = 0; k < 3; ++k) p[3 * i + k] += s * dx[k], p[3 * j + k] -= s * dx[k];
      }
    }
    if (clean) return true;
  }
  return false;
}

function structureOf(o: DisorderedBinaryOptions, positions: Float64Array, cation: boolean[], L: number): Structure {
  const symbols = cation.map((c) => (c ? o.symbols[0] : o.symbols[1]));
  const cell = ndarray(Float64Array.from([L, 0, 0, 0, L, 0, 0, 0, L]), [3, 3]);
  return new Structure({ symbols, positions: ndarray(Float64Array.from(positions), [cation.length, 3]), cell, pbc: true });
}

/**
 * A quenched disordered binary configuration: {@link DisorderedBinaryOptions} random insertion,
 * then up to `steps` steps of steepest descent on `potential`'s forces F (eV/Å): Δr = η F, with
 * η (Å²/eV) capped so that no atom moves more than `maxStep`, followed by pushing apart any pair
 * the step brought closer than its minimum distance (the same push-apart sweeps as the insertion); the step is accepted only
 * if then every minimum distance holds and the energy dropped (η grows by 20 %), otherwise η is
 * halved and the step retried (damping). Stops early when max |F| < `fmax` or η underflows.
 * A few dozen to a few hundred steps remove the insertion's worst contacts while keeping the
 * disorder; it is not an MD sample. Deterministic for a seed. Returns the structure (atoms
 * wrapped into the box) and the number of accepted steps.
 */
export function disorderedBinary(o: DisorderedBinaryOptions): { structure: Structure; steps: number } {
  if (!Number.isInteger(o.atoms) || o.atoms < 2 || o.atoms % 2 !== 0) throw new PolymorphError('E_VALUE', `disorderedBinary: atoms must be an even integer >= 2, got ${String(o.atoms)}`);
  if (!(o.density > 0 && Number.isFinite(o.density))) throw new PolymorphError('E_VALUE', `disorderedBinary: density must be a positive number of atoms/Å³, got ${String(o.density)}`);
  const L = Math.cbrt(o.atoms / o.density);
  const random = mulberry32(o.seed);
  const { positions, cation } = insert(o, L, random);
  let current = structureOf(o, positions, cation, L);
  let result = o.potential.compute(current, { forces: true });
  let eta = 0.01, accepted = 0;
  for (let step = 0; step < o.steps; ++step) {
    const f = result.forces!.data as Float64Array;
    const fmax = f.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    if (fmax < o.fmax || eta < 1e-8) break;
    let norm = 0;
    for (let i = 0; i < cation.length; ++i) norm = Math.max(norm, Math.hypot(f[3 * i], f[3 * i + 1], f[3 * i + 2]));
    const h = Math.min(eta, o.maxStep / norm);
    const trial = Float64Array.from(current.positions.data as Float64Array, (x, k) => x + h * f[k]);
    if (separate(trial, cation, L, o.minimumDistances, 50)) {
      const next = structureOf(o, trial, cation, L);
      const r = o.potential.compute(next, { forces: true });
      if (r.energy < result.energy) {
        current = next, result = r, eta *= 1.2, accepted++;
        continue;
      }
    }
    eta *= 0.5;
  }
  return { structure: current.wrap(), steps: accepted };
}

/**
 * Energy minimisation at fixed cell by FIRE (Bitzek et al., PRL 97, 170201, 2006, with the FIRE 2.0
 * restart of Guénolé et al., 2020) or conjugate gradients (formulas in `native/core/minimize.hpp`):
 * in C++ on a Verlet list for native potentials; FIRE also with one potential call per step for a
 * TypeScript one.
 * @module
 */
import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeFireOptions } from '../core/native-types';
import { checkOptions } from '../core/options';
import { isNativePotential } from '../potentials/native-potential';
import type { Potential } from '../potentials/potential';
import { Structure } from '../structure/structure';

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** `'fire'` (default) or `'cg'` (conjugate gradients, Polak–Ribière+ with a secant line search; native potentials only). */
  method?: 'fire' | 'cg';
  /** Converged when the largest force on a moving atom is at most this (eV/Å). Default 0.05. */
  fmax?: number;
  /** Largest number of FIRE steps. Default 1000. */
  steps?: number;
  /** Atoms that stay where they are (indices or a mask with one entry per atom). */
  frozen?: ArrayLike<number> | ArrayLike<boolean>;
  /** Largest displacement of an atom in one step (Å). Default 0.2 (as ASE). */
  maxStep?: number;
  /** FIRE's starting and largest timestep (its own units: unit masses, eV, Å). Defaults 0.1 and 1.0 (as ASE). */
  timestep?: number;
  maxTimestep?: number;
  /** Verlet-list skin for native potentials (Å). Default 1. */
  neighborSkin?: number;
  /**
   * Relax the cell too (FIRE, native potentials, a cell periodic in every direction), toward the
   * stress −`pressure`·I: converged when forces and (σ + P)·V/N are all ≤ fmax. Default false.
   */
  cell?: boolean;
  /** Target pressure for `cell` (bar). Default 0. */
  pressure?: number;
}

/** The result of {@link minimize}. */
export interface MinimizeResult {
  /** A copy of the input at the minimised positions (and cell). */
  structure: Structure;
  /** Energy (eV) and forces (eV/Å) there. */
  energy: number;
  forces: NdArray<Float64Array>;
  /** Largest force on a moving atom (eV/Å). */
  maxForce: number;
  steps: number;
  converged: boolean;
}

const optionKeys = ['method', 'cell', 'pressure', 'fmax', 'steps', 'frozen', 'maxStep', 'timestep', 'maxTimestep', 'neighborSkin'];

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new PolymorphError('E_VALUE', `minimize: ${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/** The frozen mask (Int32Array of 0/1) of `spec`, or null. */
function frozenMask(spec: MinimizeOptions['frozen'], n: number): Int32Array | null {
  if (spec === undefined) return null;
  const values = Array.from(spec as ArrayLike<number | boolean>);
  const mask = new Int32Array(n);
  if (values.length > 0 && values.every((v) => typeof v === 'boolean')) {
    if (values.length !== n) throw new PolymorphError('E_SHAPE', `minimize: a frozen mask needs one entry per atom (${n}), got ${values.length}`);
    values.forEach((v, i) => (mask[i] = v ? 1 : 0));
    return mask;
  }
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) throw new PolymorphError('E_VALUE', `minimize: frozen atom ${String(v)} does not exist (${n} atoms)`);
    mask[v] = 1;
  }
  return mask;
}

/**
 * Minimises the energy of `structure` under `potential` at fixed cell.
 * @example
 * const { structure: relaxed, maxForce, converged } = minimize(rattled, zincOxideBuckingham().potential, { fmax: 1e-4 });
 */
export function minimize(structure: Structure, potential: Potential, options: MinimizeOptions = {}): MinimizeResult {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'minimize: expected a Structure');
  const o = checkOptions(options, optionKeys, 'minimize');
  if (structure.length === 0) throw new PolymorphError('E_EMPTY', 'minimize: the structure has no atoms');
  const steps = o.steps ?? 1000;
  if (!Number.isSafeInteger(steps) || steps < 0) throw new PolymorphError('E_VALUE', `minimize: steps must be an integer ≥ 0, got ${String(steps)}`);
  const fire: NativeFireOptions = {
    fmax: positive(o.fmax ?? 0.05, 'fmax'), maxSteps: steps, timestep: positive(o.timestep ?? 0.1, 'timestep'),
    maxTimestep: positive(o.maxTimestep ?? 1.0, 'maxTimestep'), maxStep: positive(o.maxStep ?? 0.2, 'maxStep'),
  };
  const method = o.method ?? 'fire';
  if (method !== 'fire' && method !== 'cg') throw new PolymorphError('E_VALUE', `minimize: method must be 'fire' or 'cg', got ${String(method)}`);
  if (method === 'cg' && !isNativePotential(potential)) {
    throw new PolymorphError('E_VALUE', "minimize: method 'cg' needs a native potential; use 'fire' for a potential written in TypeScript");
  }
  const relaxCell = o.cell ?? false;
  const pressure = o.pressure ?? 0;
  if (typeof pressure !== 'number' || !Number.isFinite(pressure)) throw new PolymorphError('E_VALUE', `minimize: pressure must be a finite number (bar), got ${String(pressure)}`);
  if (relaxCell && (method !== 'fire' || !isNativePotential(potential))) {
    throw new PolymorphError('E_VALUE', "minimize: relaxing the cell needs method 'fire' and a native potential");
  }
  if (relaxCell && !(structure.cell && structure.pbc.every((p) => p))) throw new PolymorphError('E_CELL', 'minimize: relaxing the cell needs a cell periodic in every direction');
  const skin = o.neighborSkin ?? 1.0;
  if (typeof skin !== 'number' || !Number.isFinite(skin) || skin < 0) throw new PolymorphError('E_VALUE', `minimize: neighborSkin must be ≥ 0 Å, got ${String(skin)}`);
  const n = structure.length;
  const frozen = frozenMask(o.frozen, n);
  const at = (positions: Float64Array): Structure => {
    const s = structure.clone();
    s.positions = ndarray(positions, [n, 3]);
    return s;
  };
  if (isNativePotential(potential)) {
    const evaluator = potential.evaluatorFor(structure);
    const r = callNative((a) => a.minimizeFire(evaluator, {
      positions: Float64Array.from(flatFloat64(structure.positions)), numbers: structure.numbers, charges: structure.charges,
      cell: structure.cell ? flatFloat64(structure.cell) : null, pbc: [...structure.pbc], frozen, skin, method,
      relaxCell, pressure: pressure / 1.602176634e6,
    }, fire));
    const relaxed = at(r.positions);
    if (r.cell) relaxed.cell = ndarray(r.cell, [3, 3]);
    return { structure: relaxed, energy: r.energy, forces: ndarray(r.forces, [n, 3]), maxForce: r.maxForce, steps: r.steps, converged: r.converged };
  }
  // A potential outside the core: the same FIRE steps, one potential call each.
  const stepper = callNative((a) => a.createFire(n, frozen, fire));
  let positions: Float64Array = Float64Array.from(flatFloat64(structure.positions));
  for (let step = 0; ; ++step) {
    const s = at(positions);
    const r = potential.compute(s, { forces: true });
    if (!r.forces) throw new PolymorphError('E_VALUE', 'minimize: the potential returned no forces');
    const forces = Float64Array.from(flatFloat64(r.forces));
    if (!Number.isFinite(r.energy) || forces.some((f) => !Number.isFinite(f))) {
      throw new PolymorphError('E_VALUE', `minimize: step ${step}: the energy or forces are not finite (atoms too close?)`);
    }
    let worst = 0;
    for (let i = 0; i < n; ++i) if (!frozen?.[i]) worst = Math.max(worst, Math.hypot(forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]));
    if (worst <= fire.fmax || step >= steps) {
      return { structure: s, energy: r.energy, forces: ndarray(forces, [n, 3]), maxForce: worst, steps: step, converged: worst <= fire.fmax };
    }
    positions = callNative((a) => a.fireStep(stepper, positions, forces));
  }
}

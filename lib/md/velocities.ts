/**
 * Initial velocities: Maxwell–Boltzmann draws from a seed, optionally for some atoms only.
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { gaussian, mulberry32 } from '../core/random';
import { boltzmann } from '../structure/units';
import { Structure } from '../structure/structure';

/** 1 eV/(Å·amu) in Å/fs² (a = F/m · this). */
const FORCE_TO_ACCELERATION = 9.648533212e-3;

/** Options of {@link maxwellBoltzmann}. */
export interface MaxwellBoltzmannOptions {
  /** Temperature (K). */
  temperature: number;
  /** Seed of the draws; default 0. */
  seed?: number;
  /** Atoms to draw for (indices); the others keep their velocities (zero when there were none). Default: all. */
  atoms?: ArrayLike<number>;
  /** Remove the drawn atoms' total momentum (default true), as ASE's `Stationary` does. */
  zeroMomentum?: boolean;
}

/**
 * A copy of `structure` with velocities (Å/fs) drawn from the Maxwell–Boltzmann distribution at
 * `temperature`: each component normal with variance k_B T / m. Not rescaled to the exact
 * temperature (a finite sample fluctuates, as it should).
 * @example
 * const hot = maxwellBoltzmann(liquid, { temperature: 1500, seed: 1 });
 */
export function maxwellBoltzmann(structure: Structure, options: MaxwellBoltzmannOptions): Structure {
  const o = checkOptions(options, ['temperature', 'seed', 'atoms', 'zeroMomentum'], 'maxwellBoltzmann');
  if (typeof o.temperature !== 'number' || !Number.isFinite(o.temperature) || o.temperature < 0) {
    throw new PolymorphError('E_VALUE', `maxwellBoltzmann: temperature must be a number ≥ 0 (K), got ${String(o.temperature)}`);
  }
  const n = structure.length;
  const atoms = o.atoms === undefined ? Array.from({ length: n }, (_, i) => i) : Array.from(o.atoms);
  for (const i of atoms) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new PolymorphError('E_VALUE', `maxwellBoltzmann: atom ${i} does not exist (${n} atoms)`);
  }
  const v = structure.velocities ? Float64Array.from(structure.velocities.data) : new Float64Array(3 * n);
  const normal = gaussian(mulberry32(o.seed ?? 0));
  const p = [0, 0, 0];
  let mass = 0;
  for (const i of atoms) {
    const m = structure.masses[i];
    const sigma = Math.sqrt((boltzmann * o.temperature * FORCE_TO_ACCELERATION) / m);
    for (let k = 0; k < 3; ++k) {
      v[3 * i + k] = sigma * normal();
      p[k] += m * v[3 * i + k];
    }
    mass += m;
  }
  if ((o.zeroMomentum ?? true) && mass > 0 && atoms.length > 1) {
    for (const i of atoms) for (let k = 0; k < 3; ++k) v[3 * i + k] -= p[k] / mass;
  }
  const copy = structure.clone();
  copy.velocities = ndarray(v, [n, 3]);
  return copy;
}

/**
 * Dynamical propensity (Widmer-Cooper, Harrowell, Fynewever, Phys. Rev. Lett. 93, 135701 (2004)):
 * the isoconfigurational ensemble — many trajectories from one configuration, each with fresh
 * random velocities — and each atom's mean squared displacement over them. It tells which atoms
 * the structure, not the velocities, makes mobile; the Rogal/Díaz Leines perspective on
 * nucleation uses it to find where crystallites form.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { formatNumber, summary, withInspect } from '../core/inspect';
import { checkOptions } from '../core/options';
import { MolecularDynamics } from '../md/molecular-dynamics';
import { NoseHooverChain } from '../md/thermostats';
import { maxwellBoltzmann } from '../md/velocities';
import type { Potential } from '../potentials';
import { Structure } from '../structure/structure';
import { checkPotential, positive } from './checks';

/** Options of {@link dynamicalPropensity}. */
export interface PropensityOptions {
  /** Temperature of the velocities and thermostat (K). */
  temperature: number;
  /** Trajectories (default 20) and their length (ps, default 5). */
  replicas?: number;
  time?: number;
  /** MD timestep (fs, default 1), Nosé–Hoover relaxation time (fs, default 100), velocity seed (default 1). */
  timestep?: number;
  relaxation?: number;
  seed?: number;
  onProgress?: (progress: { replica: number; replicas: number }) => void;
  signal?: AbortSignal;
}

/** What {@link dynamicalPropensity} returns (plain data). */
export interface PropensityResult {
  /** Per atom: mean over replicas of |r(t) − r(0)|² (Å²). */
  propensity: number[];
  /** Its standard error over replicas (Å²). */
  error: number[];
  /** Mean over atoms (Å²). */
  mean: number;
  replicas: number;
  time: number;
  temperature: number;
  seconds: number;
}

/**
 * Runs `replicas` trajectories of `time` ps from `structure` (Nosé–Hoover at `temperature`,
 * velocities drawn afresh for each) and returns each atom's mean squared displacement over them.
 * Displacements are taken along the trajectory (positions are not wrapped by the engine).
 * @example
 * const p = await dynamicalPropensity(potential, frame, { temperature: 1200, replicas: 30, time: 10 });
 */
export async function dynamicalPropensity(potential: Potential, structure: Structure, options: PropensityOptions): Promise<PropensityResult> {
  const o = checkOptions(options, ['temperature', 'replicas', 'time', 'timestep', 'relaxation', 'seed', 'onProgress', 'signal'], 'dynamicalPropensity');
  checkPotential(potential, 'dynamicalPropensity');
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'dynamicalPropensity: expected a Structure');
  const temperature = positive(o.temperature, 'dynamicalPropensity', 'temperature');
  const replicas = o.replicas ?? 20;
  if (!(Number.isInteger(replicas) && replicas >= 2)) throw new PolymorphError('E_VALUE', `dynamicalPropensity: replicas must be an integer ≥ 2, got ${String(o.replicas)}`);
  const time = positive(o.time ?? 5, 'dynamicalPropensity', 'time'), timestep = positive(o.timestep ?? 1, 'dynamicalPropensity', 'timestep'), relaxation = positive(o.relaxation ?? 100, 'dynamicalPropensity', 'relaxation');
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw new PolymorphError('E_VALUE', `dynamicalPropensity: seed must be an integer, got ${String(o.seed)}`);
  potential.compute(structure);
  const started = Date.now();
  const n = structure.length;
  const sum = new Float64Array(n), sum2 = new Float64Array(n);
  const steps = Math.max(1, Math.round((time * 1000) / timestep));
  const x0 = structure.positions;
  for (let r = 0; r < replicas; ++r) {
    if (o.signal?.aborted) throw new PolymorphError('E_CANCELLED', `dynamicalPropensity: cancelled before replica ${r}`);
    const md = new MolecularDynamics(maxwellBoltzmann(structure, { temperature, seed: seed + r }), potential, { timestep, integrator: new NoseHooverChain({ temperature, relaxation }) });
    await md.run(steps, { every: Math.min(steps, 1000), signal: o.signal });
    const x = md.structure.positions;
    for (let i = 0; i < n; ++i) {
      const d2 = (x.get(i, 0) - x0.get(i, 0)) ** 2 + (x.get(i, 1) - x0.get(i, 1)) ** 2 + (x.get(i, 2) - x0.get(i, 2)) ** 2;
      sum[i] += d2;
      sum2[i] += d2 * d2;
    }
    o.onProgress?.({ replica: r + 1, replicas });
  }
  const propensity = Array.from(sum, (s) => s / replicas);
  const error = Array.from(sum2, (s2, i) => Math.sqrt(Math.max(s2 / replicas - propensity[i] ** 2, 0) / (replicas - 1)));
  const mean = propensity.reduce((a, b) => a + b, 0) / n;
  const result: PropensityResult = { propensity, error, mean, replicas, time, temperature, seconds: (Date.now() - started) / 1000 };
  return withInspect(result, () => summary('DynamicalPropensity', {
    atoms: n, replicas, time: `${formatNumber(time)} ps`, T: `${formatNumber(temperature)} K`,
    'mean ⟨Δr²⟩': `${formatNumber(mean, 4)} Å²`, range: `${formatNumber(Math.min(...propensity), 3)}–${formatNumber(Math.max(...propensity), 3)} Å²`,
  }));
}

/**
 * Liquid configurations sampled by molecular dynamics: a disordered binary start in a cubic
 * periodic box ({@link disorderedBinary}), melted and equilibrated with Langevin dynamics at each
 * target temperature, then snapshots a fixed time apart. Units: K, fs, ps, Å, eV.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { mulberry32 } from '../core/random';
import { MolecularDynamics } from '../md/molecular-dynamics';
import { Langevin } from '../md/thermostats';
import { maxwellBoltzmann } from '../md/velocities';
import type { Potential } from '../potentials/potential';
import type { Structure } from '../structure/structure';
import { disorderedBinary, type MinimumDistances } from './disordered';

/** How the starting configuration of each trajectory is made ({@link disorderedBinary}'s insertion and descent). */
export interface LiquidStart {
  /** Minimum distances of the random insertion, Å. */
  minimumDistances: MinimumDistances;
  /** Largest number of steepest-descent steps after the insertion (removes the worst contacts before the MD). */
  steps: number;
  /** Largest displacement of an atom in one descent step, Å. */
  maxStep: number;
  /** Descent stops once the largest force component is below this, eV/Å. */
  fmax: number;
}

/** Options of {@link liquidSamples}. */
export interface LiquidSamplesOptions {
  /** Potential of the dynamics (energies and forces in a periodic cubic box). */
  potential: Potential;
  /** Cation and anion symbols (equal numbers of each). */
  symbols: [string, string];
  /** Atoms per box (even, ≥ 2). */
  atoms: number;
  /** Number density, atoms/Å³ (box edge (atoms/density)^(1/3) Å, constant volume). */
  density: number;
  /** Target temperature of each trajectory, K (one trajectory per entry, at least one). */
  temperatures: readonly number[];
  /** Snapshots in all, dealt to the trajectories in turn (the first `snapshots mod T` get one more); at least one per trajectory. */
  snapshots: number;
  /** Equilibration before the first snapshot, ps. */
  equilibration: number;
  /** Time between snapshots of one trajectory (and from the end of equilibration to the first), ps. */
  interval: number;
  /** Timestep, fs (default 1). */
  timestep?: number;
  /** Langevin relaxation time τ = 1/γ, fs (default 100). */
  relaxation?: number;
  /** Seed of every random choice (starts, velocities, Langevin noise); default 0. */
  seed?: number;
  /** Starting configuration. */
  start: LiquidStart;
}

/** One trajectory of {@link liquidSamples}. */
export interface LiquidTrajectory {
  /** Target temperature, K. */
  temperature: number;
  /** Snapshots (positions wrapped into the box, no velocities), one every `interval` after the equilibration. */
  snapshots: Structure[];
  /** Kinetic temperature after every step of the sampling window (from the end of equilibration to the last snapshot), K. */
  temperatures: Float64Array;
  /** Mean of `temperatures`, K. */
  meanTemperature: number;
  /** Degrees of freedom of the kinetic temperature (3 × atoms: the Langevin thermostat acts on the centre of mass too). */
  dof: number;
  /** Mean square displacement of the atoms over the sampling window (unwrapped), Å². */
  meanSquareDisplacement: number;
}

const KEYS = ['potential', 'symbols', 'atoms', 'density', 'temperatures', 'snapshots', 'equilibration', 'interval', 'timestep', 'relaxation', 'seed', 'start'] as const;

function positive(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) throw new PolymorphError('E_VALUE', `liquidSamples: ${what} must be a positive number, got ${String(x)}`);
  return x;
}

function stepsOf(picoseconds: number, timestep: number, what: string, allowZero: boolean): number {
  if (typeof picoseconds !== 'number' || !Number.isFinite(picoseconds) || picoseconds < 0 || (!allowZero && picoseconds === 0)) {
    throw new PolymorphError('E_VALUE', `liquidSamples: ${what} must be a ${allowZero ? 'non-negative' : 'positive'} number of ps, got ${String(picoseconds)}`);
  }
  const steps = Math.round((1000 * picoseconds) / timestep);
  if (!allowZero && steps < 1) throw new PolymorphError('E_VALUE', `liquidSamples: ${what} (${picoseconds} ps) is shorter than one timestep (${timestep} fs)`);
  return steps;
}

/** Draws a non-negative 31-bit seed from a uniform generator. */
function draw(uniform: () => number): number {
  return Math.floor(uniform() * 2 ** 31);
}

/**
 * Samples liquid configurations by molecular dynamics at constant volume. For each target
 * temperature T: a random start ({@link disorderedBinary} with `start`), Maxwell–Boltzmann
 * velocities at T, then Langevin dynamics (BAOAB, τ = `relaxation`, in C++) for `equilibration`
 * ps and, after it, a snapshot every `interval` ps. The Langevin thermostat samples the canonical
 * ensemble, so the kinetic temperature fluctuates about T with relative standard deviation
 * √(2/dof) per step (dof = 3N); its mean over a window of length t has a standard error of
 * about T √(2/dof) √(2τ_K/t), τ_K the kinetic energy's correlation time (at most about τ).
 *
 * Deterministic for a seed at a fixed number of OpenMP threads. With another thread count the
 * forces differ in the last bits (reductions in another order) and the chaotic dynamics amplifies
 * that: measured for 32-atom boxes at one and two threads, after 6–8 ps the 2500 and 3000 K
 * trajectories had parted completely, the 2000 K one differed by 1e-6 Å and the 1500 K one by
 * 1e-11 Å. Same statistics, other snapshots.
 * @example
 * const [hot] = liquidSamples({ potential, symbols: ['Zn', 'O'], atoms: 32, density: 0.075, temperatures: [3000],
 *   snapshots: 2, equilibration: 2, interval: 0.5, start: { minimumDistances: { unlike: 1.75, like: 2.6 }, steps: 50, maxStep: 0.1, fmax: 0.5 } });
 * console.log(hot.meanTemperature, hot.snapshots.length);
 */
export function liquidSamples(options: LiquidSamplesOptions): LiquidTrajectory[] {
  const o = checkOptions(options, KEYS, 'liquidSamples');
  const timestep = positive(o.timestep ?? 1, 'timestep (fs)');
  const relaxation = positive(o.relaxation ?? 100, 'relaxation (fs)');
  const temperatures = o.temperatures;
  if (!Array.isArray(temperatures) || temperatures.length === 0) throw new PolymorphError('E_VALUE', 'liquidSamples: temperatures must be a non-empty list of K');
  temperatures.forEach((t: unknown) => positive(t, 'every temperature (K)'));
  if (!Number.isInteger(o.snapshots) || o.snapshots < temperatures.length) {
    throw new PolymorphError('E_VALUE', `liquidSamples: snapshots must be an integer ≥ the number of temperatures (${temperatures.length}), got ${String(o.snapshots)}`);
  }
  const equilibration = stepsOf(o.equilibration, timestep, 'equilibration', true);
  const interval = stepsOf(o.interval, timestep, 'interval', false);
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new PolymorphError('E_VALUE', `liquidSamples: seed must be an integer ≥ 0, got ${String(seed)}`);
  const next = mulberry32(seed);
  return temperatures.map((temperature, t) => {
    const count = Math.floor(o.snapshots / temperatures.length) + (t < o.snapshots % temperatures.length ? 1 : 0);
    const [startSeed, velocitySeed, noiseSeed] = [draw(next), draw(next), draw(next)];
    const { structure } = disorderedBinary({ symbols: o.symbols, atoms: o.atoms, density: o.density, seed: startSeed, potential: o.potential, ...o.start });
    return trajectory(o.potential, maxwellBoltzmann(structure, { temperature, seed: velocitySeed }), {
      temperature, timestep, relaxation, seed: noiseSeed, equilibration, interval, count,
    });
  });
}

/** One trajectory: equilibration, then `count` snapshots `interval` steps apart, recording the temperature every step. */
function trajectory(potential: Potential, start: Structure,
  o: { temperature: number; timestep: number; relaxation: number; seed: number; equilibration: number; interval: number; count: number }): LiquidTrajectory {
  const sim = new MolecularDynamics(start, potential, {
    timestep: o.timestep, integrator: new Langevin({ temperature: o.temperature, relaxation: o.relaxation, seed: o.seed }),
  });
  for (let k = 0; k < o.equilibration; ++k) sim.step();
  const origin = sim.structure.positions.data as Float64Array;
  const temperatures = new Float64Array(o.count * o.interval);
  const snapshots: Structure[] = [];
  let dof = 0, last = origin;
  for (let s = 0; s < o.count; ++s) {
    for (let k = 0; k < o.interval; ++k) {
      const record = sim.step();
      temperatures[s * o.interval + k] = record.temperature;
      dof = record.dof;
    }
    const snapshot = sim.structure;
    last = Float64Array.from(snapshot.positions.data as Float64Array);
    snapshot.velocities = null;
    snapshots.push(snapshot.wrap());
  }
  let msd = 0;
  for (let k = 0; k < origin.length; ++k) msd += (last[k] - origin[k]) ** 2;
  return {
    temperature: o.temperature, snapshots, temperatures, dof,
    meanTemperature: temperatures.reduce((a, b) => a + b, 0) / temperatures.length,
    meanSquareDisplacement: msd / (origin.length / 3),
  };
}

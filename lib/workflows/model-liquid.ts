/**
 * Partial radial distribution functions of liquid ZnO under several models, from short
 * molecular-dynamics runs that all start from one liquid equilibrated with the reference model;
 * a model that collapses (atoms fall onto each other, energy without bound) is detected and
 * reported. Lengths Å, time fs, temperature K, energy eV.
 * @module
 */
import { rdf } from '../analysis/rdf';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { MolecularDynamics, type ThermoRecord } from '../md/molecular-dynamics';
import { Langevin } from '../md/thermostats';
import { maxwellBoltzmann } from '../md/velocities';
import type { Potential } from '../potentials/potential';
import type { Structure } from '../structure/structure';
import { disorderedBinary } from './disordered';
import { shortestDistance } from './model-lattices';

/** Options of {@link liquidRdfs}. */
export interface LiquidRdfOptions {
  /** Atoms (even, half Zn; default 64) and number density (atoms/Å³, default 0.075, the data set's liquid). */
  atoms?: number;
  density?: number;
  /** Temperature of the liquid, K (default 1500), and of the reference's melt before it (default 3000). */
  temperature?: number;
  meltTemperature?: number;
  /** Timestep, fs (default 1). */
  timestep?: number;
  /** Reference-only steps at meltTemperature, then at temperature (defaults 2000 and 1000): the common starting liquid. */
  meltSteps?: number;
  coolSteps?: number;
  /** Each model, from the common liquid: equilibration steps (default 200), then sampling steps (default 400) with a frame every `sampleEvery` (default 20). */
  equilibrationSteps?: number;
  sampleSteps?: number;
  sampleEvery?: number;
  /** Langevin relaxation time, fs (default 100). */
  relaxation?: number;
  /** g(r) bins (default 80) up to rMax (default half the box, at most 6 Å). */
  bins?: number;
  rMax?: number;
  /** Collapse: shortest distance below this, Å (default 1.2), checked every `checkEvery` steps (default 10). */
  collapseDistance?: number;
  checkEvery?: number;
  /** Seed of the starting configuration, velocities and thermostats (default 1). */
  seed?: number;
}

/** First peak of a partial g(r): position (Å) and height. */
export interface RdfPeak {
  position: number;
  height: number;
}

/** The liquid under one model. */
export interface LiquidModelRun {
  /** null, or when and why the run stopped: step (of this model's run), time (fs), reason, shortest distance (Å). */
  collapsed: { step: number; time: number; reason: string; shortestDistance: number } | null;
  /** Frames sampled (0 if the model collapsed before or while sampling: no g(r) is then reported). */
  frames: number;
  /** Mean temperature (K) and potential energy (eV/atom) over the sampled frames (NaN without frames). */
  temperature: number;
  potentialEnergy: number;
  /** Partial g(r) (keys 'O-O', 'O-Zn', 'Zn-Zn') on bin centres r (Å); null after a collapse. */
  rdf: { r: number[]; partial: Record<string, number[]> } | null;
  /** First peak of each partial (its maximum); null after a collapse. */
  peaks: Record<string, RdfPeak> | null;
}

/** What {@link liquidRdfs} returns. */
export interface LiquidRdfs {
  atoms: number;
  density: number;
  temperature: number;
  /** Simulated time per model (equilibration + sampling), fs. */
  time: number;
  models: Record<string, LiquidModelRun>;
  /** First-peak errors against the reference (position Å, height), by model then pair; null for a model without g(r). */
  peakErrors: Record<string, Record<string, { position: number; height: number }> | null>;
  reference: string;
}

const KEYS = ['atoms', 'density', 'temperature', 'meltTemperature', 'timestep', 'meltSteps', 'coolSteps', 'equilibrationSteps', 'sampleSteps',
  'sampleEvery', 'relaxation', 'bins', 'rMax', 'collapseDistance', 'checkEvery', 'seed'] as const;

function count(v: unknown, fallback: number, what: string, least = 0): number {
  const x = v ?? fallback;
  if (!(Number.isInteger(x) && (x as number) >= least)) throw new PolymorphError('E_VALUE', `liquidRdfs: ${what} must be an integer ≥ ${least}, got ${String(x)}`);
  return x as number;
}

function positive(v: unknown, fallback: number, what: string): number {
  const x = v ?? fallback;
  if (!(typeof x === 'number' && Number.isFinite(x) && x > 0)) throw new PolymorphError('E_VALUE', `liquidRdfs: ${what} must be a positive number, got ${String(x)}`);
  return x;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Runs `steps` steps, checking every `every` steps; returns the collapse, if any. */
function advance(sim: MolecularDynamics, steps: number, every: number, limits: { distance: number; temperature: number }, offset: number,
  onCheck?: (record: ThermoRecord, step: number) => void): LiquidModelRun['collapsed'] {
  for (let done = 0; done < steps;) {
    const chunk = Math.min(every, steps - done);
    let record: ThermoRecord | undefined;
    try {
      for (let k = 0; k < chunk; ++k) record = sim.step();
    } catch (e) {
      if (e instanceof PolymorphError && e.code === 'E_VALUE') return { step: offset + done, time: (offset + done) * sim.timestep, reason: `the engine stopped: ${e.message}`, shortestDistance: NaN };
      throw e;
    }
    done += chunk;
    const step = offset + done, time = step * sim.timestep;
    const shortest = shortestDistance(sim.structure, limits.distance + 1);
    if (shortest < limits.distance) return { step, time, reason: `atoms ${shortest.toFixed(2)} Å apart (below ${limits.distance} Å)`, shortestDistance: shortest };
    if (!(record!.temperature < limits.temperature) || !Number.isFinite(record!.potentialEnergy)) {
      return { step, time, reason: `runaway: temperature ${record!.temperature.toExponential(2)} K`, shortestDistance: shortest };
    }
    onCheck?.(record!, step);
  }
  return null;
}

/**
 * Partial g(r) of liquid ZnO at `temperature` under each model. The reference model melts a
 * quenched disordered configuration ({@link disorderedBinary}) of `atoms` at `density` at
 * meltTemperature and cools it to temperature (Langevin); from that liquid (positions and
 * velocities) every model, the reference included, runs the same protocol: equilibration, then
 * sampling a frame every `sampleEvery` steps, at constant volume with a Langevin thermostat (the
 * same seed for every model). A model collapses when two atoms come closer than `collapseDistance` or the
 * temperature runs away (above 5× the target) or the engine refuses a non-finite step; the run
 * stops, the collapse is reported and no g(r) is given for that model. Peaks are each partial's
 * maximum (bin centre).
 * @example
 * const liquid = liquidRdfs({ reference: ref, plipQ: fit.potential }, 'reference', { atoms: 64 });
 * liquid.models.plipQ.peaks?.['O-Zn'];   // { position, height }
 */
export function liquidRdfs(models: Record<string, Potential>, reference: string, options: LiquidRdfOptions = {}): LiquidRdfs {
  const o = checkOptions(options, KEYS, 'liquidRdfs');
  if (models === null || typeof models !== 'object' || !(reference in models)) throw new PolymorphError('E_VALUE', `liquidRdfs: the models must include the reference '${String(reference)}'`);
  const atoms = count(o.atoms, 64, 'atoms', 2);
  if (atoms % 2 !== 0) throw new PolymorphError('E_VALUE', `liquidRdfs: atoms must be even (half Zn, half O), got ${atoms}`);
  const density = positive(o.density, 0.075, 'density (atoms/Å³)');
  const temperature = positive(o.temperature, 1500, 'temperature (K)'), melt = positive(o.meltTemperature, 3000, 'meltTemperature (K)');
  const timestep = positive(o.timestep, 1, 'timestep (fs)'), relaxation = positive(o.relaxation, 100, 'relaxation (fs)');
  const meltSteps = count(o.meltSteps, 2000, 'meltSteps'), coolSteps = count(o.coolSteps, 1000, 'coolSteps');
  const equilibration = count(o.equilibrationSteps, 200, 'equilibrationSteps'), sampling = count(o.sampleSteps, 400, 'sampleSteps', 1);
  const every = count(o.sampleEvery, 20, 'sampleEvery', 1), checkEvery = count(o.checkEvery, 10, 'checkEvery', 1);
  const collapse = positive(o.collapseDistance, 1.2, 'collapseDistance (Å)');
  const seed = count(o.seed, 1, 'seed');
  const box = Math.cbrt(atoms / density);
  const rMax = positive(o.rMax, Math.min(box / 2, 6), 'rMax (Å)');
  if (rMax > box / 2 + 1e-9) throw new PolymorphError('E_VALUE', `liquidRdfs: rMax ${rMax} Å exceeds half the box (${(box / 2).toFixed(2)} Å)`);
  const bins = count(o.bins, 80, 'bins', 2);
  const limits = { distance: collapse, temperature: 5 * temperature };
  const thermostat = (t: number, k: number): Langevin => new Langevin({ temperature: t, relaxation, seed: seed * 1000 + k });

  const start0 = disorderedBinary({
    symbols: ['Zn', 'O'], atoms, density, minimumDistances: { unlike: 1.75, like: 2.6 }, seed, potential: models[reference], steps: 100, maxStep: 0.1, fmax: 0.5,
  }).structure;
  let sim = new MolecularDynamics(maxwellBoltzmann(start0, { temperature: melt, seed }), models[reference], { timestep, integrator: thermostat(melt, 1) });
  const failed = advance(sim, meltSteps, 100, { distance: collapse, temperature: 5 * melt }, 0);
  if (failed) throw new PolymorphError('E_VALUE', `liquidRdfs: the reference model's melt failed: ${failed.reason}`);
  sim = new MolecularDynamics(sim.structure, models[reference], { timestep, integrator: thermostat(temperature, 2) });
  const cooled = advance(sim, coolSteps, 100, limits, 0);
  if (cooled) throw new PolymorphError('E_VALUE', `liquidRdfs: the reference model's liquid failed at ${temperature} K: ${cooled.reason}`);
  const liquid = sim.structure;

  const runs: Record<string, LiquidModelRun> = {};
  for (const [name, model] of Object.entries(models)) {
    // One thermostat seed for every model (common random numbers): differences between the runs
    // come from the models, and a model identical to the reference gives the reference's run.
    const md = new MolecularDynamics(liquid, model, { timestep, integrator: thermostat(temperature, 3) });
    const frames: Structure[] = [];
    let tSum = 0, eSum = 0;
    let collapsed = advance(md, equilibration, checkEvery, limits, 0);
    if (!collapsed) {
      collapsed = advance(md, sampling, gcd(checkEvery, every), limits, equilibration, (record, step) => {
        if ((step - equilibration) % every !== 0) return;
        frames.push(md.structure);
        tSum += record.temperature;
        eSum += record.potentialEnergy / atoms;
      });
    }
    if (collapsed || frames.length === 0) {
      runs[name] = { collapsed, frames: 0, temperature: NaN, potentialEnergy: NaN, rdf: null, peaks: null };
      continue;
    }
    const g = rdf(frames, { rMax, bins });
    const partial = Object.fromEntries(Object.entries(g.partial).map(([pair, v]) => [pair, Array.from(v)]));
    const r = Array.from(g.r);
    const peaks = Object.fromEntries(Object.entries(partial).map(([pair, v]) => {
      let best = 0;
      for (let b = 1; b < v.length; ++b) if (v[b] > v[best]) best = b;
      return [pair, { position: r[best], height: v[best] }];
    }));
    runs[name] = { collapsed: null, frames: frames.length, temperature: tSum / frames.length, potentialEnergy: eSum / frames.length, rdf: { r, partial }, peaks };
  }
  const refPeaks = runs[reference].peaks;
  const peakErrors = Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, run.peaks === null || refPeaks === null ? null
    : Object.fromEntries(Object.entries(run.peaks).map(([pair, p]) => [pair, { position: p.position - refPeaks[pair].position, height: p.height - refPeaks[pair].height }]))]));
  return { atoms, density, temperature, time: (equilibration + sampling) * timestep, models: runs, peakErrors, reference };
}

/**
 * The melting temperature of a nanoparticle from a heating ramp, as Salazar et al. (npj Comput.
 * Mater. 10, 199 (2024)) estimate it: the particle heated under Nosé–Hoover NVT along a linear
 * ramp, the number of crystalline atoms measured along it, and a tanh fitted to that number
 * against temperature; its midpoint is the melting temperature.
 * @module
 */
import { solidAtomsAsync, type SolidAtomsOptions } from '../analysis/solid-atoms';
import type { Sgma } from '../analysis/sgma';
import { crystal } from '../build/crystal';
import { droplet } from '../build/droplet';
import { PolymorphError } from '../core/errors';
import { formatNumber, summary, withInspect } from '../core/inspect';
import { checkOptions } from '../core/options';
import { MolecularDynamics } from '../md/molecular-dynamics';
import { NoseHooverChain } from '../md/thermostats';
import { maxwellBoltzmann } from '../md/velocities';
import type { Potential } from '../potentials';
import { Structure } from '../structure/structure';
import { checkPotential, openCluster, positive } from './checks';
import { ResumeStore, structureFingerprint } from './resume';
import { fitTanh } from './tanh-fit';

/** Options of {@link meltingTemperature}. */
export interface MeltingTemperatureOptions {
  /** The particle: an open cluster (default: a wurtzite ZnO particle of `atoms` atoms cut from the crystal). */
  particle?: Structure;
  /** Atoms of the default particle (default 500). */
  atoms?: number;
  /** The ramp: from, to (K) at rate (K/ns); default 500 → 2500 K at 2000 K/ns (the paper's rate). */
  ramp?: { from?: number; to?: number; rate?: number };
  /** Time at `ramp.from` before the ramp (ps, default 5): the first frame is measured after it. */
  equilibration?: number;
  /** MD timestep (fs, default 1) and Nosé–Hoover relaxation time (fs, default 100). */
  timestep?: number;
  relaxation?: number;
  /** Frames measured along the ramp (default 41). */
  frames?: number;
  /**
   * How crystalline atoms are counted: an SGMA classifier (atoms labelled one of `crystalLabels`,
   * default every label but 'liquid') or ten Wolde solid-like atoms (`solidAtoms` options).
   * One of the two is needed.
   */
  classifier?: Sgma;
  crystalLabels?: readonly string[];
  solidAtoms?: SolidAtomsOptions;
  /** Seed of the starting velocities (default 1); replica r starts from seed + r. */
  seed?: number;
  /**
   * Independent ramps of the same particle (default 1), from velocity seeds seed, seed + 1, …: T_melt
   * is then the mean of their midpoints and its uncertainty their standard error, which includes the
   * run-to-run scatter that one ramp's fit error misses (docs/guides/nucleation.md).
   */
  replicas?: number;
  /** Called after each measured frame (replica counts from 0). */
  onProgress?: (progress: { frame: number; frames: number; temperature: number; crystal: number; replica: number }) => void;
  /** Cancels the run between frames (rejects with E_CANCELLED). */
  signal?: AbortSignal;
  /**
   * A directory where the run keeps its checkpoints ({@link ResumeStore}): started again with the
   * same directory and settings, an interrupted or cancelled run continues where it stopped and
   * gives the uninterrupted results bit for bit (same thread count and potential).
   */
  checkpoint?: string;
  /** Wall time between MD checkpoints (s, default 30). */
  checkpointSeconds?: number;
}

/** A tanh fit N(T) = a + b·tanh((T − T_m)/w): midpoint, width (K) and levels (atoms), with standard errors, rms residual. */
export interface MeltingFit {
  midpoint: number; midpointError: number; width: number; widthError: number; low: number; high: number; rms: number; converged: boolean;
}

/** One ramp of {@link meltingTemperature}. */
export interface MeltingReplica {
  /** Seed of its starting velocities. */
  seed: number;
  /** Its tanh fit (T_m = `fit.midpoint`). */
  fit: MeltingFit;
  /** Instantaneous kinetic temperature (K) and crystalline atoms of each frame. */
  measuredTemperatures: number[];
  crystal: number[];
}

/** What {@link meltingTemperature} returns (plain data: serialises to JSON). */
export interface MeltingTemperatureResult {
  /** Melting temperature (K): the tanh fit's midpoint; with several replicas, the mean of their midpoints. */
  meltingTemperature: number;
  /**
   * Its standard error (K). One replica: the fit's alone (ramps with other seeds or thread counts can
   * differ by more, docs/guides/nucleation.md). Several: sd/√n of the replicas' midpoints.
   */
  uncertainty: number;
  /** The fit of `crystal` (one replica: its fit; several: the fit of their mean curve). */
  fit: MeltingFit;
  /** Target (ramp) temperature of each frame (K). */
  temperatures: number[];
  /** Instantaneous kinetic temperature of each frame (K), averaged over replicas. */
  measuredTemperatures: number[];
  /** Crystalline atoms in each frame, averaged over replicas. */
  crystal: number[];
  /** Each ramp. */
  replicas: MeltingReplica[];
  /** Atoms in the particle. */
  atoms: number;
  /** The ramp used (K, K/ns) and the MD timestep (fs). */
  ramp: { from: number; to: number; rate: number };
  timestep: number;
  /** How the crystal was counted: 'sgma' or 'solidAtoms'. */
  measure: 'sgma' | 'solidAtoms';
  /** Wall time (s). */
  seconds: number;
}

/**
 * Heats a nanoparticle along a linear temperature ramp (Nosé–Hoover NVT, open boundaries) after
 * `equilibration` ps at the ramp's start, counts its crystalline atoms in `frames` frames along the
 * ramp, and fits
 * N(T) = a + b·tanh((T − T_m)/w): T_m is the melting temperature, with the fit's standard error.
 * At the paper's 2000 K/ns, 500 → 2500 K takes 10⁶ steps of 1 fs; faster ramps superheat more.
 * Checks every input (and evaluates the potential on the particle once) before the long run.
 * @example
 * const zno = zincOxideBuckingham();
 * const potential = new SumPotential([zno.buckingham, new Coulomb({ charges: { Zn: 2, O: -2 } })]);
 * const m = await meltingTemperature(potential, { atoms: 500, classifier: sgma });
 * m.meltingTemperature, m.uncertainty;
 */
export async function meltingTemperature(potential: Potential, options: MeltingTemperatureOptions = {}): Promise<MeltingTemperatureResult> {
  const o = checkOptions(options, ['particle', 'atoms', 'ramp', 'equilibration', 'timestep', 'relaxation', 'frames', 'classifier', 'crystalLabels', 'solidAtoms', 'seed', 'replicas', 'onProgress', 'signal', 'checkpoint', 'checkpointSeconds'], 'meltingTemperature');
  checkPotential(potential, 'meltingTemperature');
  const ramp = checkOptions(o.ramp ?? {}, ['from', 'to', 'rate'], 'meltingTemperature ramp');
  const from = positive(ramp.from ?? 500, 'meltingTemperature', 'ramp.from'), to = positive(ramp.to ?? 2500, 'meltingTemperature', 'ramp.to'), rate = positive(ramp.rate ?? 2000, 'meltingTemperature', 'ramp.rate');
  if (!(to > from)) throw new PolymorphError('E_VALUE', `meltingTemperature: the ramp must heat (to > from), got ${from} → ${to} K`);
  const timestep = positive(o.timestep ?? 1, 'meltingTemperature', 'timestep'), relaxation = positive(o.relaxation ?? 100, 'meltingTemperature', 'relaxation');
  const frames = o.frames ?? 41;
  if (!(Number.isInteger(frames) && frames >= 5)) throw new PolymorphError('E_VALUE', `meltingTemperature: frames must be an integer ≥ 5 (the fit has 4 parameters), got ${String(frames)}`);
  if ((o.classifier === undefined) === (o.solidAtoms === undefined)) throw new PolymorphError('E_VALUE', 'meltingTemperature: give a classifier (SGMA) or solidAtoms options to count crystalline atoms (exactly one)');
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && 'aborted' in o.signal)) throw new PolymorphError('E_TYPE', 'meltingTemperature: signal must be an AbortSignal');
  let particle: Structure;
  if (o.particle !== undefined) {
    particle = openCluster(o.particle, 'meltingTemperature', 'particle');
  } else {
    const atoms = o.atoms ?? 500;
    if (!(Number.isInteger(atoms) && atoms >= 20)) throw new PolymorphError('E_VALUE', `meltingTemperature: atoms must be an integer ≥ 20, got ${String(o.atoms)}`);
    // A sphere cut from a block of ⌈∛(2.2 N/4)⌉² × 0.62 of that cells (c/a ≈ 1.6 makes it near cubic),
    // centred on the block: where the centre falls on the lattice decides the surface. Measured with
    // the embedded SGMA for 800 atoms at 1000 K: 135 crystalline atoms in this cut against 69 in the
    // cut droplet(crystal('wurtzite'), { atoms }) makes, whose count then declines too gradually for a
    // tanh (T_m 1000 ± 3700 K at 40 000 K/ns; this cut: 1854 ± 25 K).
    const cell = crystal('wurtzite');
    const reps = Math.ceil(Math.cbrt((2.2 * atoms) / cell.length));
    particle = droplet(cell.repeat([reps, reps, Math.max(1, Math.round(reps * 0.62))]), { atoms: atoms + (atoms % 2) });
  }
  const labels = o.classifier ? (o.crystalLabels ?? o.classifier.labels.filter((l) => l !== 'liquid')) : [];
  if (o.classifier) {
    const unknown = labels.find((l) => !o.classifier!.labels.includes(l));
    if (unknown !== undefined) throw new PolymorphError('E_VALUE', `meltingTemperature: crystalLabels: '${unknown}' is not a label of the classifier (${o.classifier.labels.join(', ')})`);
    if (labels.length === 0) throw new PolymorphError('E_VALUE', 'meltingTemperature: no crystalline label to count');
  }
  potential.compute(particle);  // the potential must cover the particle's elements: fail now, not after the run
  const started = Date.now();

  const steps = Math.round(((to - from) / rate) * 1e6 / timestep);
  const every = Math.max(1, Math.floor(steps / (frames - 1)));
  const equilibration = o.equilibration === 0 ? 0 : positive(o.equilibration ?? 5, 'meltingTemperature', 'equilibration (ps)');
  const seed = o.seed ?? 1;
  if (!(Number.isInteger(seed) && seed >= 0)) throw new PolymorphError('E_VALUE', `meltingTemperature: seed must be an integer ≥ 0, got ${String(o.seed)}`);
  const replicas = o.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) throw new PolymorphError('E_VALUE', `meltingTemperature: replicas must be an integer ≥ 1, got ${String(o.replicas)}`);
  // Replica 0 keeps the one-ramp stage names, so a checkpoint directory of one ramp serves a run of several.
  const store = ResumeStore.open(o.checkpoint, 'meltingTemperature', {
    particle: structureFingerprint(particle), ramp: { from, to, rate }, equilibration, timestep, relaxation, frames, seed,
    measure: o.classifier ? { sgma: labels } : { solidAtoms: o.solidAtoms },
  }, o.checkpointSeconds);
  const total = every * (frames - 1);
  const rampEnd = from + (to - from) * (total / steps);
  const count = async (frame: Structure): Promise<number> => {
    if (o.classifier) {
      const { labels: got } = await o.classifier.classifyAsync(frame);
      return got.filter((l) => labels.includes(l)).length;
    }
    return (await solidAtomsAsync(frame, o.solidAtoms!)).indices.length;
  };
  const temperatures = Array.from({ length: frames }, (_, k) => from + (rampEnd - from) * (k / (frames - 1)));
  const tanh = (counts: number[]): MeltingFit => {
    const f = fitTanh(temperatures, counts);
    return { midpoint: f.midpoint, midpointError: f.midpointError, width: f.width, widthError: f.widthError, low: f.low, high: f.high, rms: f.rms, converged: f.converged };
  };
  const ramps: MeltingReplica[] = [];
  for (let r = 0; r < replicas; ++r) {
    const tag = r === 0 ? '' : `-${r}`;
    let start = maxwellBoltzmann(particle, { temperature: from, seed: seed + r });
    if (equilibration > 0) {
      const n = Math.max(1, Math.round((equilibration * 1000) / timestep));
      const first = start;
      start = (await store.segment(`equilibration${tag}`, {
        create: () => new MolecularDynamics(first, potential, { timestep, integrator: new NoseHooverChain({ temperature: from, relaxation }) }),
        potential, steps: n, every: Math.min(n, 1000), signal: o.signal,
      })).structure;
    }
    const measured: number[] = [from], counts: number[] = [await count(start)];
    o.onProgress?.({ frame: 1, frames, temperature: from, crystal: counts[0], replica: r });
    const rampStart = start;
    const { frames: along } = await store.segment(`ramp${tag}`, {
      create: () => new MolecularDynamics(rampStart, potential, { timestep, integrator: new NoseHooverChain({ temperature: [from, rampEnd], relaxation }) }),
      potential, steps: total, every, signal: o.signal,
      observe: async (record, sim) => {
        const n = await count(sim.structure);
        const k = Math.round(record.step / every);
        o.onProgress?.({ frame: k + 1, frames, temperature: temperatures[k], crystal: n, replica: r });
        return { temperature: record.temperature, crystal: n };
      },
    });
    for (const f of along) measured.push(f.temperature), counts.push(f.crystal);
    ramps.push({ seed: seed + r, fit: tanh(counts), measuredTemperatures: measured, crystal: counts });
  }
  const mean = (pick: (r: MeltingReplica) => number[]): number[] => temperatures.map((_, k) => ramps.reduce((a, r) => a + pick(r)[k], 0) / replicas);
  const meanCrystal = replicas === 1 ? ramps[0].crystal : mean((r) => r.crystal);
  const fit = replicas === 1 ? ramps[0].fit : tanh(meanCrystal);
  const midpoints = ramps.map((r) => r.fit.midpoint);
  const centre = midpoints.reduce((a, b) => a + b, 0) / replicas;
  const spread = replicas === 1 ? fit.midpointError : Math.sqrt(midpoints.reduce((a, m) => a + (m - centre) ** 2, 0) / (replicas - 1) / replicas);
  const result: MeltingTemperatureResult = {
    meltingTemperature: centre, uncertainty: spread, fit, temperatures,
    measuredTemperatures: replicas === 1 ? ramps[0].measuredTemperatures : mean((r) => r.measuredTemperatures), crystal: meanCrystal, replicas: ramps,
    atoms: particle.length, ramp: { from, to: rampEnd, rate }, timestep, measure: o.classifier ? 'sgma' : 'solidAtoms', seconds: (Date.now() - started) / 1000,
  };
  return withInspect(result, () => summary('MeltingTemperature', {
    T_melt: `${formatNumber(centre, 5)} ± ${formatNumber(spread, 2)} K${replicas > 1 ? ` (${replicas} replicas: ${midpoints.map((m) => formatNumber(m, 4)).join(', ')} K)` : ''}`,
    atoms: particle.length, ramp: `${formatNumber(from)} → ${formatNumber(rampEnd)} K at ${formatNumber(rate)} K/ns`,
    crystal: `${formatNumber(meanCrystal[0], 4)} → ${formatNumber(meanCrystal[meanCrystal.length - 1], 4)} atoms (${result.measure})`, frames: meanCrystal.length,
  }));
}

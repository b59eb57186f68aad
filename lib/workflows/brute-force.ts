/**
 * Brute-force nucleation (Salazar et al., npj Comput. Mater. 10, 199 (2024), Fig. 3): a liquid
 * droplet quenched to T = supercooling × T_melt and run under Nosé–Hoover NVT, its SGMA
 * composition followed over time in each replica, with the time the first nucleus appears and the
 * phase of the largest crystalline cluster.
 * @module
 */
import type { Sgma } from '../analysis/sgma';
import { crystal } from '../build/crystal';
import { droplet as cutDroplet } from '../build/droplet';
import { PolymorphError } from '../core/errors';
import { formatNumber, summary, withInspect } from '../core/inspect';
import { checkOptions } from '../core/options';
import { MolecularDynamics } from '../md/molecular-dynamics';
import { NoseHooverChain } from '../md/thermostats';
import { maxwellBoltzmann } from '../md/velocities';
import type { Potential } from '../potentials';
import { Structure } from '../structure/structure';
import { checkPotential, integerAtLeast, medianNearestDistance, openCluster, positive } from './checks';
import { largestNucleus } from './nucleus';
import { ResumeStore, structureFingerprint } from './resume';

/** What one classified frame of a replica gives (time ps, atoms per label, largest crystalline cluster and its phase). */
interface BruteForceFrame {
  time: number;
  counts: Record<string, number>;
  largest: number;
  phase: string | null;
}

/** Options of {@link bruteForceNucleation}. */
export interface BruteForceOptions {
  /** The melting temperature of the droplet (K), e.g. from `meltingTemperature`. */
  meltingTemperature: number;
  /** Quench temperature as a fraction of the melting temperature (default 0.625, the paper's). */
  supercooling?: number;
  /** The droplet: an open cluster (default: a ZnO droplet of `atoms` atoms cut from zincblende, melted first). */
  droplet?: Structure;
  atoms?: number;
  /** Melting before the quench: temperature (K, default 1.5 × T_melt) and time (ps, default 10); false if the droplet is already liquid. */
  melt?: { temperature?: number; time?: number } | false;
  /** Independent runs from the same liquid with different velocities (default 3). */
  replicas?: number;
  /** Length of each run (ps, default 100) and frames classified along it (default 51). */
  duration?: number;
  frames?: number;
  /** The SGMA classifier and its crystalline labels (default every label but 'liquid'). */
  classifier: Sgma;
  crystalLabels?: readonly string[];
  /** Crystalline atoms closer than this (Å) are in one cluster (default 1.3 × the median nearest-neighbour distance). */
  clusterCutoff?: number;
  /** A nucleus has at least this many atoms in one crystalline cluster (default 30). */
  nucleusAtoms?: number;
  /** MD timestep (fs, default 1), Nosé–Hoover relaxation time (fs, default 100), velocity seed (default 1; replica r uses seed + r). */
  timestep?: number;
  relaxation?: number;
  seed?: number;
  /** Called after each classified frame. */
  onProgress?: (progress: { replica: number; frame: number; frames: number; time: number; largest: number }) => void;
  /** Cancels between frames (E_CANCELLED). */
  signal?: AbortSignal;
  /** A checkpoint directory: an interrupted run started again with it continues where it stopped (see {@link ResumeStore}). */
  checkpoint?: string;
  /** Wall time between MD checkpoints (s, default 30). */
  checkpointSeconds?: number;
}

/** One replica of {@link bruteForceNucleation}. */
export interface BruteForceReplica {
  /** Velocity seed. */
  seed: number;
  /** Time of each frame (ps). */
  times: number[];
  /** Atoms per label (and 'unassigned') in each frame. */
  composition: Record<string, number>[];
  /** Largest crystalline cluster in each frame (atoms). */
  largest: number[];
  /** First time (ps) the largest crystalline cluster reached `nucleusAtoms`, or null. */
  firstNucleusTime: number | null;
  /** The largest crystalline cluster at the end: its atoms and majority label (null without one). */
  finalCluster: { atoms: number; phase: string | null };
}

/** What {@link bruteForceNucleation} returns (plain data: serialises to JSON). */
export interface BruteForceResult {
  /** Run temperature (K) = supercooling × meltingTemperature. */
  temperature: number;
  meltingTemperature: number;
  supercooling: number;
  atoms: number;
  labels: string[];
  crystalLabels: string[];
  clusterCutoff: number;
  nucleusAtoms: number;
  replicas: BruteForceReplica[];
  /** Replicas that nucleated within the run. */
  nucleated: number;
  seconds: number;
}

/**
 * Runs `replicas` NVT simulations of a liquid droplet at T = supercooling × T_melt (Nosé–Hoover),
 * classifying `frames` frames of each with SGMA: composition over time, the largest crystalline
 * cluster (union of the crystalline labels, by `clusterCutoff`), the first time it reaches
 * `nucleusAtoms`, and its phase at the end. Every input is checked, and the potential evaluated
 * once on the droplet, before any MD.
 * @example
 * const bf = await bruteForceNucleation(potential, { meltingTemperature: 1630, classifier: sgma, replicas: 3, duration: 500 });
 * bf.replicas.map((r) => r.firstNucleusTime);
 */
export async function bruteForceNucleation(potential: Potential, options: BruteForceOptions): Promise<BruteForceResult> {
  const o = checkOptions(options, ['meltingTemperature', 'supercooling', 'droplet', 'atoms', 'melt', 'replicas', 'duration', 'frames', 'classifier', 'crystalLabels',
    'clusterCutoff', 'nucleusAtoms', 'timestep', 'relaxation', 'seed', 'onProgress', 'signal', 'checkpoint', 'checkpointSeconds'], 'bruteForceNucleation');
  checkPotential(potential, 'bruteForceNucleation');
  const tMelt = positive(o.meltingTemperature, 'bruteForceNucleation', 'meltingTemperature');
  const supercooling = positive(o.supercooling ?? 0.625, 'bruteForceNucleation', 'supercooling');
  if (!(supercooling < 1)) throw new PolymorphError('E_VALUE', `bruteForceNucleation: the run temperature ${formatNumber(supercooling * tMelt)} K is not below the melting point ${formatNumber(tMelt)} K (supercooling must be < 1)`);
  const temperature = supercooling * tMelt;
  const replicas = integerAtLeast(o.replicas ?? 3, 1, 'bruteForceNucleation', 'replicas');
  const duration = positive(o.duration ?? 100, 'bruteForceNucleation', 'duration (ps)');
  const frames = integerAtLeast(o.frames ?? 51, 2, 'bruteForceNucleation', 'frames');
  const timestep = positive(o.timestep ?? 1, 'bruteForceNucleation', 'timestep'), relaxation = positive(o.relaxation ?? 100, 'bruteForceNucleation', 'relaxation');
  const nucleusAtoms = integerAtLeast(o.nucleusAtoms ?? 30, 1, 'bruteForceNucleation', 'nucleusAtoms');
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw new PolymorphError('E_VALUE', `bruteForceNucleation: seed must be an integer, got ${String(seed)}`);
  const sgma = o.classifier;
  if (sgma === undefined || sgma === null || typeof (sgma as Sgma).classifyAsync !== 'function') throw new PolymorphError('E_VALUE', 'bruteForceNucleation: a classifier (a trained Sgma) is needed');
  const crystalLabels = [...(o.crystalLabels ?? sgma.labels.filter((l) => l !== 'liquid'))];
  const unknown = crystalLabels.find((l) => !sgma.labels.includes(l));
  if (unknown !== undefined) throw new PolymorphError('E_VALUE', `bruteForceNucleation: crystalLabels: '${unknown}' is not a label of the classifier (${sgma.labels.join(', ')})`);
  if (crystalLabels.length === 0) throw new PolymorphError('E_VALUE', 'bruteForceNucleation: no crystalline label');
  let start: Structure;
  if (o.droplet !== undefined) {
    start = openCluster(o.droplet, 'bruteForceNucleation', 'droplet');
  } else {
    const atoms = integerAtLeast(o.atoms ?? 1000, 20, 'bruteForceNucleation', 'atoms');
    start = cutDroplet(crystal('zincblende'), { atoms: atoms + (atoms % 2) });
  }
  if (start.length < nucleusAtoms) throw new PolymorphError('E_VALUE', `bruteForceNucleation: a droplet of ${start.length} atoms cannot hold a nucleus of ${nucleusAtoms}`);
  const melt = o.melt === false ? null : checkOptions(o.melt ?? {}, ['temperature', 'time'], 'bruteForceNucleation melt');
  const meltTemperature = melt ? positive(melt.temperature ?? 1.5 * tMelt, 'bruteForceNucleation', 'melt.temperature') : 0;
  const meltTime = melt ? positive(melt.time ?? 10, 'bruteForceNucleation', 'melt.time (ps)') : 0;
  const clusterCutoff = o.clusterCutoff === undefined ? 1.3 * medianNearestDistance(start) : positive(o.clusterCutoff, 'bruteForceNucleation', 'clusterCutoff');
  potential.compute(start);  // the potential must cover the droplet's elements: fail now, not after the run
  const started = Date.now();

  const cancelled = (where: string): void => {
    if (o.signal?.aborted) throw new PolymorphError('E_CANCELLED', `bruteForceNucleation: cancelled ${where}`);
  };
  const steps = Math.round((duration * 1000) / timestep);
  const every = Math.max(1, Math.floor(steps / (frames - 1)));
  const store = ResumeStore.open(o.checkpoint, 'bruteForceNucleation', {
    droplet: structureFingerprint(start), temperature, melt: melt ? { temperature: meltTemperature, time: meltTime } : false, replicas, duration, frames,
    timestep, relaxation, seed, labels: sgma.labels, crystalLabels, clusterCutoff, nucleusAtoms,
  }, o.checkpointSeconds);
  // The liquid.
  let liquid = start;
  if (melt) {
    const n = Math.round((meltTime * 1000) / timestep);
    liquid = (await store.segment('melt', {
      create: () => new MolecularDynamics(maxwellBoltzmann(start, { temperature: meltTemperature, seed }), potential,
        { timestep, integrator: new NoseHooverChain({ temperature: meltTemperature, relaxation }) }),
      potential, steps: n, every: Math.max(1, Math.min(n, 1000)), signal: o.signal,
    })).structure;
  }
  const runs: BruteForceReplica[] = [];
  for (let r = 0; r < replicas; ++r) {
    cancelled(`before replica ${r}`);
    const replicaSeed = seed + 1 + r;
    const analyse = async (frame: Structure, time: number, index: number): Promise<BruteForceFrame> => {
      const { labels } = await sgma.classifyAsync(frame);
      const counts: Record<string, number> = Object.fromEntries([...sgma.labels, 'unassigned'].map((l) => [l, 0]));
      for (const l of labels) ++counts[l];
      const { atoms: largest, phase } = largestNucleus(frame, labels, crystalLabels, clusterCutoff);
      o.onProgress?.({ replica: r, frame: index + 1, frames, time, largest });
      return { time, counts, largest, phase };
    };
    const quenched = maxwellBoltzmann(liquid, { temperature, seed: replicaSeed });
    const first = await analyse(quenched, 0, 0);
    const { frames: rest } = await store.segment(`replica-${r}`, {
      create: () => new MolecularDynamics(quenched, potential, { timestep, integrator: new NoseHooverChain({ temperature, relaxation }) }),
      potential, steps: every * (frames - 1), every, signal: o.signal,
      observe: (record, sim) => analyse(sim.structure, (record.step * timestep) / 1000, Math.round(record.step / every)),
    });
    const all = [first, ...rest];
    const nucleus = all.find((f) => f.largest >= nucleusAtoms);
    const last = all[all.length - 1];
    runs.push({
      seed: replicaSeed, times: all.map((f) => f.time), composition: all.map((f) => f.counts), largest: all.map((f) => f.largest),
      firstNucleusTime: nucleus ? nucleus.time : null, finalCluster: { atoms: last.largest, phase: last.phase },
    });
  }
  const result: BruteForceResult = {
    temperature, meltingTemperature: tMelt, supercooling, atoms: start.length, labels: [...sgma.labels], crystalLabels, clusterCutoff, nucleusAtoms,
    replicas: runs, nucleated: runs.filter((r) => r.firstNucleusTime !== null).length, seconds: (Date.now() - started) / 1000,
  };
  return withInspect(result, () => summary('BruteForceNucleation', {
    T: `${formatNumber(temperature, 5)} K (${formatNumber(supercooling, 3)} T_melt)`, atoms: start.length,
    replicas: `${runs.length}, ${result.nucleated} nucleated`,
    'first nucleus': runs.map((x) => (x.firstNucleusTime === null ? '—' : `${formatNumber(x.firstNucleusTime, 4)} ps`)).join(', '),
    'largest cluster at the end': runs.map((x) => `${x.finalCluster.atoms}${x.finalCluster.phase ? ` ${x.finalCluster.phase}` : ''}`).join(', '),
  }));
}

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
  /** Seed of the starting velocities (default 1). */
  seed?: number;
  /** Called after each measured frame. */
  onProgress?: (progress: { frame: number; frames: number; temperature: number; crystal: number }) => void;
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

/** What {@link meltingTemperature} returns (plain data: serialises to JSON). */
export interface MeltingTemperatureResult {
  /** Melting temperature (K): the tanh fit's midpoint. */
  meltingTemperature: number;
  /** Its standard error from the fit (K): the fit's alone; ramps with other seeds or thread counts can differ by more (docs/guides/nucleation.md). */
  uncertainty: number;
  /** The fit: midpoint, width (K) and levels (atoms), with standard errors, rms residual. */
  fit: { midpoint: number; midpointError: number; width: number; widthError: number; low: number; high: number; rms: number; converged: boolean };
  /** Target (ramp) temperature of each frame (K). */
  temperatures: number[];
  /** Instantaneous kinetic temperature of each frame (K). */
  measuredTemperatures: number[];
  /** Crystalline atoms in each frame. */
  crystal: number[];
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
  const o = checkOptions(options, ['particle', 'atoms', 'ramp', 'equilibration', 'timestep', 'relaxation', 'frames', 'classifier', 'crystalLabels', 'solidAtoms', 'seed', 'onProgress', 'signal', 'checkpoint', 'checkpointSeconds'], 'meltingTemperature');
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
  const store = ResumeStore.open(o.checkpoint, 'meltingTemperature', {
    particle: structureFingerprint(particle), ramp: { from, to, rate }, equilibration, timestep, relaxation, frames, seed,
    measure: o.classifier ? { sgma: labels } : { solidAtoms: o.solidAtoms },
  }, o.checkpointSeconds);
  let start = maxwellBoltzmann(particle, { temperature: from, seed });
  if (equilibration > 0) {
    const n = Math.max(1, Math.round((equilibration * 1000) / timestep));
    const first = start;
    start = (await store.segment('equilibration', {
      create: () => new MolecularDynamics(first, potential, { timestep, integrator: new NoseHooverChain({ temperature: from, relaxation }) }),
      potential, steps: n, every: Math.min(n, 1000), signal: o.signal,
    })).structure;
  }
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
  const measured: number[] = [from], counts: number[] = [await count(start)];
  o.onProgress?.({ frame: 1, frames, temperature: from, crystal: counts[0] });
  const rampStart = start;
  const { frames: along } = await store.segment('ramp', {
    create: () => new MolecularDynamics(rampStart, potential, { timestep, integrator: new NoseHooverChain({ temperature: [from, rampEnd], relaxation }) }),
    potential, steps: total, every, signal: o.signal,
    observe: async (record, sim) => {
      const n = await count(sim.structure);
      const k = Math.round(record.step / every);
      o.onProgress?.({ frame: k + 1, frames, temperature: temperatures[k], crystal: n });
      return { temperature: record.temperature, crystal: n };
    },
  });
  for (const f of along) measured.push(f.temperature), counts.push(f.crystal);
  const fit = fitTanh(temperatures, counts);
  const result: MeltingTemperatureResult = {
    meltingTemperature: fit.midpoint, uncertainty: fit.midpointError,
    fit: { midpoint: fit.midpoint, midpointError: fit.midpointError, width: fit.width, widthError: fit.widthError, low: fit.low, high: fit.high, rms: fit.rms, converged: fit.converged },
    temperatures, measuredTemperatures: measured, crystal: counts, atoms: particle.length,
    ramp: { from, to: rampEnd, rate }, timestep, measure: o.classifier ? 'sgma' : 'solidAtoms', seconds: (Date.now() - started) / 1000,
  };
  return withInspect(result, () => summary('MeltingTemperature', {
    T_melt: `${formatNumber(fit.midpoint, 5)} ± ${formatNumber(fit.midpointError, 2)} K`,
    atoms: particle.length, ramp: `${formatNumber(from)} → ${formatNumber(rampEnd)} K at ${formatNumber(rate)} K/ns`,
    crystal: `${counts[0]} → ${counts[counts.length - 1]} atoms (${result.measure})`, frames: counts.length,
  }));
}

/**
 * The seeding method as Salazar et al. (npj Comput. Mater. 10, 199 (2024), Methods B) run it: a
 * crystal seed inserted into a liquid droplet, relaxed in three steps, then followed at several
 * temperatures; whether the seed grows or melts at T brackets the temperature at which a nucleus
 * of its size is critical ({@link criticalTemperature}).
 * @module
 */
import { clusters } from '../analysis/clusters';
import type { Sgma } from '../analysis/sgma';
import { crystal } from '../build/crystal';
import { insertSeed } from '../build/droplet';
import { PolymorphError } from '../core/errors';
import { formatNumber, summary, withInspect } from '../core/inspect';
import { checkOptions } from '../core/options';
import { MolecularDynamics } from '../md/molecular-dynamics';
import { Langevin, NoseHooverChain } from '../md/thermostats';
import type { Potential } from '../potentials';
import { Structure } from '../structure/structure';
import { ResumeStore, structureFingerprint } from './resume';
import { checkPotential, medianNearestDistance, openCluster, positive } from './checks';
import { largestNucleus, type Nucleus } from './nucleus';

/** Durations of the three relaxation steps and of the run at T (ps). */
export interface SeedingDurations {
  /** Step 1: seed frozen, liquid Nosé–Hoover at T0 (default 10). */
  frozen?: number;
  /** Step 2: seed Nosé–Hoover ramped seedFrom (100 K) → T0, liquid Nosé–Hoover at T0 (default 10). */
  heatSeed?: number;
  /** Step 3: every atom Langevin T0 → T, one random seed per replica (default 10). */
  quench?: number;
  /** Then Nosé–Hoover at T, measured (default 50). */
  production?: number;
}

/** Options of {@link seeding}. */
export interface SeedingOptions {
  /** The liquid droplet (an open cluster at about T0). */
  droplet: Structure;
  /** The seed's crystal: a name of `crystal()` ('wurtzite', 'BCT', …; also 'WRZ') or a periodic Structure; default 'wurtzite'. */
  seed?: string | Structure;
  /** Atoms of the seed (before the host's composition is restored). */
  seedAtoms: number;
  /** The relaxation temperature T0 (K; the liquid's). */
  T0: number;
  /** Where step 2's ramp of the seed starts (K, default 100, the paper's value for ZnO; keep it well below the melting point). */
  seedFrom?: number;
  /** Temperatures T at which the seed is followed (K). */
  temperatures: readonly number[];
  /** Replicas per temperature (default 5). */
  replicas?: number;
  durations?: SeedingDurations;
  /** Frames classified during the production run (default 21). */
  frames?: number;
  /** The SGMA classifier, and the label of the seed's phase (default the seed's name: 'wurtzite', 'BCT', …). */
  classifier: Sgma;
  phase?: string;
  /** The crystalline labels, whose largest cluster is the nucleus whatever its polymorph (default every label but 'liquid'; must include `phase`). */
  crystalLabels?: readonly string[];
  /** Atoms of the seed's phase closer than this (Å) are one cluster (default 1.3 × the median nearest-neighbour distance). */
  clusterCutoff?: number;
  /** MD timestep (fs, default 1), thermostat relaxation time (fs, default 100; the Langevin friction is 1/relaxation), random seed (default 1). */
  timestep?: number;
  relaxation?: number;
  randomSeed?: number;
  onProgress?: (progress: { stage: 'relaxation' | 'quench' | 'production'; temperature?: number; replica?: number; time?: number; size?: number }) => void;
  signal?: AbortSignal;
  /**
   * A checkpoint directory: an interrupted run started again with it continues where it stopped
   * (see {@link ResumeStore}). The relaxation is kept once and each temperature's runs by T, so
   * the directory also serves calls with other `temperatures` (the evaluations of a
   * {@link criticalTemperature} bisection relax once).
   */
  checkpoint?: string;
  /** Wall time between MD checkpoints (s, default 30). */
  checkpointSeconds?: number;
}

/** How the relaxation went: what tests and users check before trusting the runs. */
export interface SeedingRelaxation {
  /** Largest displacement of a seed atom during step 1 (Å; 0 when frozen). */
  seedDisplacement: number;
  /** Mean temperature of the liquid over step 1 and of each group over the second half of step 2 (K). */
  liquidStep1: number;
  seedStep2: number;
  liquidStep2: number;
  /** The seed's temperature at the end of step 2 (K; the ramp's end is T0). */
  seedEndStep2: number;
  /** Atoms of the seed's phase in the largest cluster after the relaxation. */
  size: number;
  /** The largest crystalline cluster after the relaxation. */
  nucleus: Nucleus;
}

/** The runs at one temperature. */
export interface SeedingTemperature {
  temperature: number;
  /** Time of each production frame (ps, from the start of production). */
  times: number[];
  /** N(t) per replica: atoms of the largest cluster of the seed's phase. */
  sizes: number[][];
  /**
   * Per replica, atoms of the largest crystalline cluster (any of `crystalLabels`) in each frame:
   * the nucleus whatever polymorph it reads as. Where N(t) falls while this grows, the seed is
   * turning into another phase (see `finalNucleus`), not melting.
   */
  crystal: number[][];
  /** Per replica, the largest crystalline cluster of the last frame with its composition. */
  finalNucleus: Nucleus[];
  /** Mean and standard deviation of N(t) over replicas. */
  mean: number[];
  std: number[];
  /** Least-squares slope of the mean N(t) (atoms/ps): > 0 the seed grows, < 0 it melts. */
  growthRate: number;
  /**
   * Standard error of that slope from the fit's residuals (atoms/ps; NaN with fewer than three
   * frames). With one replica it is the only error there is; with several, judge the sign by
   * `replicaRateError`: a rate within about two of it of zero is not a significant growth or melting.
   */
  growthRateError: number;
  /** Least-squares slope of each replica's N(t) (atoms/ps); their mean is `growthRate`. */
  replicaRates: number[];
  /**
   * Standard error of `growthRate` from the replicas: the standard deviation of `replicaRates`
   * over √replicas (atoms/ps; NaN with one replica). The replicas are independent (each has its
   * own Langevin seed), so this is the error to judge a sign by; `growthRateError` sees only the
   * scatter of the mean curve about its line, which is correlated in time and blind to
   * replica-to-replica spread, and is usually smaller.
   */
  replicaRateError: number;
  grows: boolean;
}

/** What {@link seeding} returns (plain data: serialises to JSON). */
export interface SeedingResult {
  phase: string;
  T0: number;
  atoms: number;
  seedAtoms: number;
  /** Indices of the seed's atoms in the droplet. */
  seed: number[];
  relaxation: SeedingRelaxation;
  temperatures: SeedingTemperature[];
  seconds: number;
}

/**
 * The Langevin seed of replica `r` at temperature T: a function of (randomSeed, T, r) only, so a
 * temperature's runs are the same whatever other temperatures are asked for (and a checkpoint
 * directory serves every temperature of a bisection).
 */
function replicaSeed(randomSeed: number, T: number, r: number): number {
  const bits = new Uint32Array(new Float64Array([T]).buffer);
  let h = (randomSeed ^ 0x9e3779b9) >>> 0;
  for (const w of [bits[0], bits[1], r]) h = Math.imul(h ^ w, 0x85ebca6b) >>> 0, h ^= h >>> 13;
  return h & 0x7fffffff;
}

/** Least-squares slope of y against x, and its standard error from the residuals (NaN for n < 3). */
function slope(x: number[], y: number[]): { slope: number; error: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let k = 0; k < n; ++k) sxy += (x[k] - mx) * (y[k] - my), sxx += (x[k] - mx) ** 2;
  if (!(sxx > 0)) return { slope: 0, error: Number.NaN };
  const b = sxy / sxx;
  let r2 = 0;
  for (let k = 0; k < n; ++k) r2 += (y[k] - my - b * (x[k] - mx)) ** 2;
  return { slope: b, error: n > 2 ? Math.sqrt(r2 / (n - 2) / sxx) : Number.NaN };
}

const seedNames: Record<string, string> = { WRZ: 'wurtzite', ZB: 'zincblende', RS: 'rocksalt' };

/**
 * Inserts a crystal seed into a liquid droplet and follows it at each temperature, in the paper's
 * protocol: (1) seed frozen, liquid Nosé–Hoover at T0; (2) seed Nosé–Hoover ramped 100 K → T0
 * while the liquid keeps its own Nosé–Hoover at T0; (3) every atom Langevin T0 → T, one random
 * seed per replica; then Nosé–Hoover at T, classifying `frames` frames: N(t), the largest cluster
 * of the seed's phase, averaged over replicas with its standard deviation, and the sign of its
 * growth rate. Every input is checked, and the potential evaluated once, before any MD.
 * @example
 * const s = await seeding(potential, { droplet: liquid, seed: 'WRZ', seedAtoms: 300, T0: 1500,
 *   temperatures: [1150, 1200, 1250], classifier: sgma });
 * s.temperatures.map((t) => t.grows);
 */
export async function seeding(potential: Potential, options: SeedingOptions): Promise<SeedingResult> {
  const o = checkOptions(options, ['droplet', 'seed', 'seedAtoms', 'T0', 'seedFrom', 'temperatures', 'replicas', 'durations', 'frames', 'classifier', 'phase',
    'crystalLabels', 'clusterCutoff', 'timestep', 'relaxation', 'randomSeed', 'onProgress', 'signal', 'checkpoint', 'checkpointSeconds'], 'seeding');
  checkPotential(potential, 'seeding');
  const liquidDroplet = openCluster(o.droplet, 'seeding', 'droplet');
  const T0 = positive(o.T0, 'seeding', 'T0');
  const seedFrom = positive(o.seedFrom ?? 100, 'seeding', 'seedFrom');
  if (!Array.isArray(o.temperatures) || o.temperatures.length === 0) throw new PolymorphError('E_VALUE', 'seeding: temperatures must be a non-empty array of K');
  const temperatures = o.temperatures.map((t, k) => positive(t, 'seeding', `temperatures[${k}]`));
  const replicas = o.replicas ?? 5;
  if (!(Number.isInteger(replicas) && replicas >= 1)) throw new PolymorphError('E_VALUE', `seeding: replicas must be an integer ≥ 1, got ${String(o.replicas)}`);
  const frames = o.frames ?? 21;
  if (!(Number.isInteger(frames) && frames >= 2)) throw new PolymorphError('E_VALUE', `seeding: frames must be an integer ≥ 2, got ${String(o.frames)}`);
  const d = checkOptions(o.durations ?? {}, ['frozen', 'heatSeed', 'quench', 'production'], 'seeding durations');
  const durations = { frozen: positive(d.frozen ?? 10, 'seeding', 'durations.frozen'), heatSeed: positive(d.heatSeed ?? 10, 'seeding', 'durations.heatSeed'),
    quench: positive(d.quench ?? 10, 'seeding', 'durations.quench'), production: positive(d.production ?? 50, 'seeding', 'durations.production') };
  const timestep = positive(o.timestep ?? 1, 'seeding', 'timestep'), tau = positive(o.relaxation ?? 100, 'seeding', 'relaxation');
  const randomSeed = o.randomSeed ?? 1;
  if (!Number.isInteger(randomSeed)) throw new PolymorphError('E_VALUE', `seeding: randomSeed must be an integer, got ${String(o.randomSeed)}`);
  const seedName = typeof o.seed === 'string' ? (seedNames[o.seed] ?? o.seed) : o.seed === undefined ? 'wurtzite' : null;
  const seedCell = o.seed instanceof Structure ? o.seed : crystal(seedName ?? 'wurtzite');
  const sgma = o.classifier;
  if (sgma === undefined || sgma === null || typeof (sgma as Sgma).classifyAsync !== 'function') throw new PolymorphError('E_VALUE', 'seeding: a classifier (a trained Sgma) is needed');
  const phase = o.phase ?? seedName ?? '';
  if (!sgma.labels.includes(phase)) throw new PolymorphError('E_VALUE', `seeding: the seed's phase '${phase}' is not a label of the classifier (${sgma.labels.join(', ')}); give phase`);
  const crystalLabels = [...(o.crystalLabels ?? sgma.labels.filter((l) => l !== 'liquid'))];
  const unknown = crystalLabels.find((l) => !sgma.labels.includes(l));
  if (unknown !== undefined) throw new PolymorphError('E_VALUE', `seeding: crystalLabels: '${unknown}' is not a label of the classifier (${sgma.labels.join(', ')})`);
  if (!crystalLabels.includes(phase)) throw new PolymorphError('E_VALUE', `seeding: crystalLabels (${crystalLabels.join(', ')}) must include the seed's phase '${phase}'`);
  const seedAtoms = o.seedAtoms;
  if (!(Number.isInteger(seedAtoms) && seedAtoms >= 2)) throw new PolymorphError('E_VALUE', `seeding: seedAtoms must be an integer ≥ 2, got ${String(seedAtoms)}`);
  if (seedAtoms > 0.5 * liquidDroplet.length) throw new PolymorphError('E_VALUE', `seeding: a seed of ${seedAtoms} atoms does not fit a droplet of ${liquidDroplet.length} (at most half of it)`);
  const { structure, seed } = insertSeed(liquidDroplet, seedCell, { atoms: seedAtoms });
  const liquidAtoms = Int32Array.from({ length: structure.length }, (_, i) => i).filter((i) => !seed.includes(i));
  const clusterCutoff = o.clusterCutoff === undefined ? 1.3 * medianNearestDistance(structure) : positive(o.clusterCutoff, 'seeding', 'clusterCutoff');
  potential.compute(structure);  // fail now, not after the run, when the potential does not cover the elements
  const started = Date.now();
  const stepsOf = (ps: number): number => Math.max(1, Math.round((ps * 1000) / timestep));
  const groups = { seed: Array.from(seed), liquid: Array.from(liquidAtoms) };
  /** N, the largest cluster of the seed's phase, and the nucleus, the largest crystalline cluster. */
  const analyse = async (frame: Structure): Promise<{ size: number; nucleus: Nucleus }> => {
    const { labels } = await sgma.classifyAsync(frame);
    return { size: clusters(frame, labels.map((l) => l === phase), { cutoff: clusterCutoff }).largest, nucleus: largestNucleus(frame, labels, crystalLabels, clusterCutoff) };
  };

  const store = ResumeStore.open(o.checkpoint, 'seeding', {
    droplet: structureFingerprint(liquidDroplet), seed: seedName ?? structureFingerprint(seedCell), seedAtoms, T0, seedFrom, durations, frames,
    labels: sgma.labels, phase, crystalLabels, clusterCutoff, timestep, relaxation: tau, randomSeed,
  }, o.checkpointSeconds);

  // Step 1: seed frozen, liquid Nosé–Hoover at T0.
  const n1 = stepsOf(durations.frozen);
  const step1 = await store.segment('step1', {
    create: () => new MolecularDynamics(structure, potential, { timestep, groups, frozen: 'seed', thermostats: { liquid: new NoseHooverChain({ temperature: T0, relaxation: tau }) } }),
    potential, steps: n1, every: Math.max(1, Math.floor(n1 / 20)), signal: o.signal,
    observe: (record) => record.groups.liquid.temperature ?? 0,
  });
  let current = step1.structure;
  let seedDisplacement = 0;
  for (const i of seed) {
    const dx = current.positions.get(i, 0) - structure.positions.get(i, 0), dy = current.positions.get(i, 1) - structure.positions.get(i, 1), dz = current.positions.get(i, 2) - structure.positions.get(i, 2);
    seedDisplacement = Math.max(seedDisplacement, Math.hypot(dx, dy, dz));
  }
  o.onProgress?.({ stage: 'relaxation' });
  // Step 2: seed Nosé–Hoover seedFrom (100 K) → T0, liquid Nosé–Hoover at T0.
  const n2 = stepsOf(durations.heatSeed);
  const afterStep1 = current;
  const step2 = await store.segment('step2', {
    create: () => new MolecularDynamics(afterStep1, potential, { timestep, groups, thermostats: {
      seed: new NoseHooverChain({ temperature: [seedFrom, T0], relaxation: tau }), liquid: new NoseHooverChain({ temperature: T0, relaxation: tau }) } }),
    potential, steps: n2, every: Math.max(1, Math.floor(n2 / 20)), signal: o.signal,
    observe: (record) => ({ seed: record.groups.seed.temperature ?? 0, liquid: record.groups.liquid.temperature ?? 0 }),
  });
  current = step2.structure;
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1);
  const seed2 = step2.frames.map((f) => f.seed), liquid2 = step2.frames.map((f) => f.liquid);
  const relaxed = current;
  const { size: relaxedSize, nucleus: relaxedNucleus } = await analyse(relaxed);
  const relaxation: SeedingRelaxation = {
    seedDisplacement, liquidStep1: mean(step1.frames), seedStep2: mean(seed2.slice(Math.floor(seed2.length / 2))), liquidStep2: mean(liquid2.slice(Math.floor(liquid2.length / 2))),
    seedEndStep2: seed2[seed2.length - 1] ?? Number.NaN, size: relaxedSize, nucleus: relaxedNucleus,
  };
  o.onProgress?.({ stage: 'relaxation', size: relaxation.size });

  const nProduction = stepsOf(durations.production);
  const every = Math.max(1, Math.floor(nProduction / (frames - 1)));
  const runs: SeedingTemperature[] = [];
  for (const T of temperatures) {
    const sizes: number[][] = [], crystal: number[][] = [], finalNucleus: Nucleus[] = [];
    const times = Array.from({ length: frames }, (_, f) => (f * every * timestep) / 1000);
    for (let r = 0; r < replicas; ++r) {
      // Step 3: every atom Langevin T0 → T, one random seed per replica.
      const n3 = stepsOf(durations.quench);
      const quench = await store.segment(`quench-T${String(T).replace('+', '')}-r${r}`, {
        create: () => new MolecularDynamics(relaxed, potential, { timestep, integrator: new Langevin({ temperature: [T0, T], relaxation: tau, seed: replicaSeed(randomSeed, T, r) }) }),
        potential, steps: n3, every: Math.max(1, Math.floor(n3 / 10)), signal: o.signal,
      });
      o.onProgress?.({ stage: 'quench', temperature: T, replica: r });
      // Then Nosé–Hoover at T, measured.
      const frame0 = await analyse(quench.structure);
      const run = await store.segment(`production-T${String(T).replace('+', '')}-r${r}`, {
        create: () => new MolecularDynamics(quench.structure, potential, { timestep, integrator: new NoseHooverChain({ temperature: T, relaxation: tau }) }),
        potential, steps: every * (frames - 1), every, signal: o.signal,
        observe: async (record, sim) => {
          const frame = await analyse(sim.structure);
          o.onProgress?.({ stage: 'production', temperature: T, replica: r, time: (record.step * timestep) / 1000, size: frame.size });
          return frame;
        },
      });
      const all = [frame0, ...run.frames];
      sizes.push(all.map((f) => f.size));
      crystal.push(all.map((f) => f.nucleus.atoms));
      finalNucleus.push(all[all.length - 1].nucleus);
    }
    const meanN = times.map((_, k) => mean(sizes.map((s) => s[k])));
    const std = times.map((_, k) => Math.sqrt(mean(sizes.map((s) => (s[k] - meanN[k]) ** 2))));
    const { slope: growthRate, error: growthRateError } = slope(times, meanN);
    const replicaRates = sizes.map((s) => slope(times, s).slope);
    const m = mean(replicaRates);
    const replicaRateError = replicaRates.length > 1 ? Math.sqrt(replicaRates.reduce((a, r) => a + (r - m) ** 2, 0) / (replicaRates.length - 1) / replicaRates.length) : Number.NaN;
    runs.push({ temperature: T, times, sizes, crystal, finalNucleus, mean: meanN, std, growthRate, growthRateError, replicaRates, replicaRateError, grows: growthRate > 0 });
  }
  const result: SeedingResult = {
    phase, T0, atoms: structure.length, seedAtoms: seed.length, seed: Array.from(seed), relaxation, temperatures: runs, seconds: (Date.now() - started) / 1000,
  };
  return withInspect(result, () => summary('Seeding', {
    seed: `${seed.length} atoms of ${phase} in ${structure.length}`, T0: `${formatNumber(T0)} K`, 'after relaxation': `${relaxation.size} atoms (nucleus ${relaxation.nucleus.atoms})`,
    ...Object.fromEntries(runs.map((x) => {
      const other = x.finalNucleus.filter((n) => n.phase !== null && n.phase !== phase).length;
      return [`${formatNumber(x.temperature)} K`, `dN/dt ${formatNumber(x.growthRate, 3)} ± ${formatNumber(Number.isNaN(x.replicaRateError) ? x.growthRateError : x.replicaRateError, 2)} atoms/ps (${x.grows ? 'grows' : 'melts'})${other > 0 ? `; ${other} of ${x.finalNucleus.length} nuclei end mostly ${[...new Set(x.finalNucleus.map((n) => n.phase).filter((p) => p !== null && p !== phase))].join('/')}` : ''}`];
    })),
  }));
}

/** Options of {@link criticalTemperature}. */
export interface CriticalTemperatureOptions {
  /** A bracket: the seed grows at `low` and melts at `high` (K). */
  low: number;
  high: number;
  /** Stop when the bracket is at most this wide (K, default 16: the paper's resolution). */
  tolerance?: number;
  /** Evaluations at most (default 12). */
  maxEvaluations?: number;
  /**
   * A rate decides its sign only beyond this many standard errors of zero (default 2), for rate
   * functions that return an error ({@link GrowthRateSample}); it sets `undecided` and
   * `significantBracket` and never changes where the bisection goes.
   */
  significance?: number;
  onProgress?: (step: { temperature: number; growthRate: number; low: number; high: number }) => void;
}

/** What a growth-rate function gives {@link criticalTemperature}: dN/dt (atoms/ps), or dN/dt with its standard error. */
export type GrowthRateSample = number | { rate: number; error: number };

/** What {@link criticalTemperature} returns. */
export interface CriticalTemperatureResult {
  /** The final bracket: the seed grows at `low`, melts at `high` (K). */
  low: number;
  high: number;
  /** Its midpoint: the temperature at which the seed is critical (K). */
  estimate: number;
  /** Every evaluation, in order (`error` NaN when the rate function gave none). */
  evaluations: { temperature: number; growthRate: number; error: number }[];
  /** Temperatures whose rate was within `significance` standard errors of zero: their sign, and the bracket's ends they set, are chance (K). */
  undecided: number[];
  /**
   * Where T_crit lies at that significance: the highest temperature evaluated with significant
   * growth and the lowest with significant melting (K; null when there is none). With errors
   * given and every decision significant, it is the bisection's own bracket; otherwise it is
   * wider, and the honest answer. Without errors it is the bisection's bracket.
   */
  significantBracket: { low: number | null; high: number | null };
}

/**
 * Bisects on the sign of a nucleus' growth rate dN/dt(T) (e.g. from {@link seeding} at one
 * temperature) until the bracket where it changes sign is at most `tolerance` wide: the
 * temperature at which a nucleus of that size is critical (Salazar et al.'s Fig. 5). The ends of
 * the bracket are checked first (growth at `low`, melting at `high`). A rate function that also
 * returns the rate's standard error (with replicas, `replicaRateError`) gets each decision judged:
 * rates within `significance` errors of zero are listed as `undecided`, and `significantBracket`
 * is the range their chance signs cannot narrow.
 * @example
 * const tc = await criticalTemperature(async (T) => {
 *   const [t] = (await seeding(potential, { ...setup, temperatures: [T] })).temperatures;
 *   return { rate: t.growthRate, error: t.replicaRateError };
 * }, { low: 1100, high: 1400 });
 */
export async function criticalTemperature(growthRate: (temperature: number) => GrowthRateSample | Promise<GrowthRateSample>, options: CriticalTemperatureOptions): Promise<CriticalTemperatureResult> {
  const o = checkOptions(options, ['low', 'high', 'tolerance', 'maxEvaluations', 'significance', 'onProgress'], 'criticalTemperature');
  if (typeof growthRate !== 'function') throw new PolymorphError('E_TYPE', 'criticalTemperature: expected a function of the temperature returning dN/dt');
  let low = o.low, high = o.high;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low > 0 && high > low)) throw new PolymorphError('E_VALUE', `criticalTemperature: need 0 < low < high (K), got ${String(o.low)}, ${String(o.high)}`);
  const tolerance = o.tolerance ?? 16;
  if (!(Number.isFinite(tolerance) && tolerance > 0)) throw new PolymorphError('E_VALUE', `criticalTemperature: tolerance must be a positive number of K, got ${String(o.tolerance)}`);
  const maxEvaluations = o.maxEvaluations ?? 12;
  if (!(Number.isInteger(maxEvaluations) && maxEvaluations >= 2)) throw new PolymorphError('E_VALUE', `criticalTemperature: maxEvaluations must be an integer ≥ 2, got ${String(o.maxEvaluations)}`);
  const significance = o.significance ?? 2;
  if (!(Number.isFinite(significance) && significance >= 0)) throw new PolymorphError('E_VALUE', `criticalTemperature: significance must be a number of standard errors ≥ 0, got ${String(o.significance)}`);
  const evaluations: { temperature: number; growthRate: number; error: number }[] = [];
  const evaluate = async (T: number): Promise<number> => {
    const sample = await growthRate(T);
    const [rate, error] = typeof sample === 'number' ? [sample, Number.NaN] : typeof sample === 'object' && sample !== null ? [sample.rate, sample.error] : [Number.NaN, Number.NaN];
    if (!Number.isFinite(rate)) throw new PolymorphError('E_VALUE', `criticalTemperature: the growth rate at ${T} K is not a number (${String(typeof sample === 'object' && sample !== null ? sample.rate : sample)})`);
    if (typeof sample !== 'number' && !(error >= 0)) throw new PolymorphError('E_VALUE', `criticalTemperature: the growth rate's error at ${T} K must be a number ≥ 0, got ${String(error)}`);
    evaluations.push({ temperature: T, growthRate: rate, error });
    o.onProgress?.({ temperature: T, growthRate: rate, low, high });
    return rate;
  };
  if (!((await evaluate(low)) > 0)) throw new PolymorphError('E_VALUE', `criticalTemperature: the seed does not grow at the lower end ${low} K: lower it`);
  if (!((await evaluate(high)) < 0)) throw new PolymorphError('E_VALUE', `criticalTemperature: the seed does not melt at the upper end ${high} K: raise it`);
  while (high - low > tolerance && evaluations.length < maxEvaluations) {
    const mid = 0.5 * (low + high);
    if ((await evaluate(mid)) > 0) low = mid;
    else high = mid;
  }
  // A rate without an error decides its sign as it stands; one with an error only beyond `significance` of them.
  const decided = (e: { growthRate: number; error: number }): boolean => Number.isNaN(e.error) || Math.abs(e.growthRate) > significance * e.error;
  const undecided = evaluations.filter((e) => !decided(e)).map((e) => e.temperature);
  const grows = evaluations.filter((e) => decided(e) && e.growthRate > 0).map((e) => e.temperature);
  const melts = evaluations.filter((e) => decided(e) && e.growthRate < 0).map((e) => e.temperature);
  const significantBracket = { low: grows.length > 0 ? Math.max(...grows) : null, high: melts.length > 0 ? Math.min(...melts) : null };
  const K = (T: number | null): string => (T === null ? 'none' : `${formatNumber(T, 5)} K`);
  return withInspect({ low, high, estimate: 0.5 * (low + high), evaluations, undecided, significantBracket }, () => summary('CriticalTemperature', {
    bracket: `${formatNumber(low, 5)}–${formatNumber(high, 5)} K`, estimate: `${formatNumber(0.5 * (low + high), 5)} K`, evaluations: evaluations.length,
    ...(undecided.length > 0 ? { undecided: `${undecided.length} (within ${formatNumber(significance)}σ of zero)`, 'significant bracket': `${K(significantBracket.low)} – ${K(significantBracket.high)}` } : {}),
  }));
}

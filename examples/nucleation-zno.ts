/**
 * The nucleation studies of Salazar et al. (2024) on the rigid-ion ZnO model, with the embedded
 * SGMA classifier: melting temperatures of wurtzite particles from heating ramps, brute-force runs
 * of supercooled droplets, and wurtzite seeds in liquid droplets scanned in temperature and
 * bisected to the temperature at which each is critical (T_crit against N_c); the report
 * sections and the summary. Two presets: `DEMO_SCALE` (`npm run demo`, minutes) and `FULL_SCALE`
 * (`npm run demo -- --full`, the paper's ramp rate, sizes and replicas: hours, resumable: every
 * MD segment is checkpointed in the work directory and a second start continues from there).
 *
 * Run alone: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/nucleation-zno.js [--full] [--out DIR]
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  bruteForceNucleation, compositionChart, criticalTemperature, criticalTemperatureChart, crystal, droplet, Electrostatics, growthCurves, maxwellBoltzmann,
  meltingCurve, meltingTemperature, MolecularDynamics, NeighborList, NoseHooverChain, report, ResumeStore, seeding, SumPotential, zincOxideBuckingham, zincOxideSgma,
  ZINC_OXIDE_CHARGES, type BruteForceResult, type CriticalTemperatureResult, type MeltingTemperatureResult, type Potential, type ReportSection,
  type SeedingResult, type Structure,
} from 'polymorph';

/** The sizes, rates and lengths of a run of {@link nucleationStudy}. */
export interface NucleationScale {
  /** Atoms of the melting particles (one ramp each); the last one's T_melt sets the other studies' temperatures. */
  meltingAtoms: number[];
  /** Heating rate (K/ns) and ramp (K). */
  rate: number;
  ramp: [number, number];
  brute: { atoms: number; replicas: number; duration: number; frames: number };
  seeding: {
    /** Atoms of the liquid droplet, and of each seed (one T_crit per seed). */
    droplet: number;
    seeds: number[];
    replicas: number;
    durations: { frozen: number; heatSeed: number; quench: number; production: number };
    frames: number;
    /** T0 of the relaxation, as a fraction of T_melt: below the seed's T_crit, so that the seed survives it. */
    T0: number;
    /** The scan, as fractions of T_melt: the bracket is the highest T that grows below the lowest that melts. */
    scan: number[];
    /** Bisection: stop at this width (K) or after this many evaluations (the scan's two ends included). */
    tolerance: number;
    maxEvaluations: number;
  };
}

/**
 * `npm run demo`: the paper's smallest particle (500 atoms) at its rate (2000 K/ns) through the
 * melting region only (1600 → 2400 K), a 20 ps brute-force run, one seed in 1600 atoms.
 */
export const DEMO_SCALE: NucleationScale = {
  meltingAtoms: [500], rate: 2000, ramp: [1600, 2400],
  brute: { atoms: 800, replicas: 1, duration: 20, frames: 21 },
  seeding: {
    droplet: 1600, seeds: [400], replicas: 1, durations: { frozen: 2, heatSeed: 2, quench: 2, production: 10 }, frames: 11,
    T0: 0.7, scan: [0.6, 0.7, 0.8, 0.9], tolerance: 16, maxEvaluations: 6,
  },
};

/**
 * `npm run demo -- --full`: the paper's series (500–2000-atom particles at 2000 K/ns), three
 * brute-force replicas of 2000 atoms for 500 ps, seeds of 200–1000 atoms in 4000-atom droplets with
 * five replicas and 50 ps runs, each bisected to 16 K. About a day of CPU on two cores with the rigid-ion
 * model (about six hours per seed size); resumable. T0 = 0.6 T_melt: with five 50 ps replicas in
 * a 1600-atom droplet (`examples/seeding-bracket.ts`) the demo's 400-atom seed, 196 atoms after a
 * relaxation at 0.7 of the 500-atom particle's T_melt, grows significantly at 1257 K (0.61 of it)
 * and melts at 1599 K; in this preset's 4000-atom droplet it keeps 307 atoms, grows
 * significantly up to 1578 K and is bracketed at 1588–1599 K, its upper end not significant
 * (docs/guides/nucleation.md). The 2000-atom particle's T_melt, used
 * here, is higher, and smaller seeds are critical lower still, so the 200-atom seed may need a
 * lower T0 (this preset has not been run to the end).
 */
export const FULL_SCALE: NucleationScale = {
  meltingAtoms: [500, 1000, 1500, 2000], rate: 2000, ramp: [1000, 3000],
  brute: { atoms: 2000, replicas: 3, duration: 500, frames: 101 },
  seeding: {
    droplet: 4000, seeds: [200, 400, 600, 1000], replicas: 5, durations: { frozen: 10, heatSeed: 10, quench: 10, production: 50 }, frames: 26,
    T0: 0.6, scan: [0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9], tolerance: 16, maxEvaluations: 14,
  },
};

/** One seed size: its scan, the bracket and the bisection (null when the scan found no sign change). */
export interface SeedStudy {
  seedAtoms: number;
  scan: SeedingResult;
  bracket: { low: number; high: number } | null;
  critical: CriticalTemperatureResult | null;
}

/** What {@link nucleationStudy} found, its summary lines and its report sections. */
export interface NucleationStudy {
  melting: MeltingTemperatureResult[];
  brute: BruteForceResult;
  seeds: SeedStudy[];
  /** The fitted PLIP+Q on a particle: cost per force call against the reference, and a short MD probe. */
  plipQ: PlipQCheck | null;
  summary: string[];
  sections: ReportSection[];
}

/** Cost and stability of the fitted PLIP+Q in MD of a particle (why the MD steps use the reference model, or not). */
export interface PlipQCheck {
  atoms: number;
  plipQMilliseconds: number;
  referenceMilliseconds: number;
  /** A short NVT run of a smaller particle with PLIP+Q: its length (ps), temperature (K), closest pair at the end (Å), and whether it stayed bound. */
  probe: { atoms: number; time: number; temperature: number; closestPair: number; stable: boolean };
}

/** The rigid-ion model for open clusters: Buckingham + the direct Coulomb sum (Electrostatics). */
export function referenceModel(): Potential {
  return new SumPotential([zincOxideBuckingham().buckingham, new Electrostatics({ charges: { ...ZINC_OXIDE_CHARGES } })]);
}

function closestPair(s: Structure): number {
  const list = NeighborList.build(s, 3);
  let d = Infinity;
  for (const x of list.distances) d = Math.min(d, x);
  return d;
}

/** Times one force call of each model on a particle, and runs PLIP+Q briefly on a smaller one. */
export async function checkPlipQ(plipQ: Potential, reference: Potential, atoms: number): Promise<PlipQCheck> {
  const particle = droplet(crystal('wurtzite'), { atoms });
  const time = (p: Potential): number => {
    p.compute(particle, { forces: true });
    const t = process.hrtime.bigint();
    p.compute(particle, { forces: true });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const small = droplet(crystal('wurtzite'), { atoms: 192 });
  const temperature = 1500, steps = 300;
  const md = new MolecularDynamics(maxwellBoltzmann(small, { temperature, seed: 5 }), plipQ, { timestep: 1, integrator: new NoseHooverChain({ temperature, relaxation: 100 }) });
  let stable = true;
  try {
    await md.run(steps, { every: 50 });
  } catch {
    stable = false;  // non-finite forces or positions: the run stops with a typed error
  }
  const d = closestPair(md.structure);
  return {
    atoms: particle.length, plipQMilliseconds: time(plipQ), referenceMilliseconds: time(reference),
    probe: { atoms: small.length, time: steps / 1000, temperature, closestPair: d, stable: stable && d > 1.4 },
  };
}

/** Runs the three studies with the reference model; `work` keeps the checkpoints (resumable). */
export async function nucleationStudy(scale: NucleationScale, o: { work: string; plipQ?: Potential; log: (what: string, record: object) => void }): Promise<NucleationStudy> {
  const potential = referenceModel();
  const sgma = zincOxideSgma();
  fs.mkdirSync(o.work, { recursive: true });
  const plipQ = o.plipQ ? await checkPlipQ(o.plipQ, potential, scale.meltingAtoms[0]) : null;
  if (plipQ) o.log('PLIP+Q check', plipQ);

  const melting: MeltingTemperatureResult[] = [];
  for (const atoms of scale.meltingAtoms) {
    melting.push(await meltingTemperature(potential, {
      atoms, ramp: { from: scale.ramp[0], to: scale.ramp[1], rate: scale.rate }, frames: 41, classifier: sgma, checkpoint: path.join(o.work, `melting-${atoms}`),
    }));
    const m = melting[melting.length - 1];
    o.log('melting', { atoms: m.atoms, rate: scale.rate, T_melt: m.meltingTemperature, uncertainty: m.uncertainty });
  }
  const tm = melting[melting.length - 1].meltingTemperature;

  const b = scale.brute;
  const brute = await bruteForceNucleation(potential, {
    meltingTemperature: tm, atoms: b.atoms, replicas: b.replicas, duration: b.duration, frames: b.frames, classifier: sgma, melt: { time: 10 },
    checkpoint: path.join(o.work, 'brute-force'),
  });
  o.log('brute force', { T: brute.temperature, nucleated: brute.nucleated, largest: brute.replicas.map((r) => r.finalCluster) });

  // Seeds in a liquid droplet at T0 (a fraction of T_melt): a scan, then a bisection between the scan's sign change.
  const sd = scale.seeding;
  const T0 = sd.T0 * tm;
  const store = ResumeStore.open(path.join(o.work, 'liquid'), 'liquid droplet', { atoms: sd.droplet, from: 1.5 * tm, to: T0, time: 10 });
  const { structure: liquid } = await store.segment('melt', {
    create: () => new MolecularDynamics(maxwellBoltzmann(droplet(crystal('zincblende'), { atoms: sd.droplet }), { temperature: 1.5 * tm, seed: 3 }), potential,
      { timestep: 1, integrator: new NoseHooverChain({ temperature: [1.5 * tm, T0], relaxation: 100 }) }),
    potential, steps: 10_000, every: 1000,
  });
  const seeds: SeedStudy[] = [];
  for (const seedAtoms of sd.seeds) {
    const setup = {
      droplet: liquid, seed: 'WRZ', seedAtoms, T0, replicas: sd.replicas, frames: sd.frames, classifier: sgma, durations: sd.durations,
      checkpoint: path.join(o.work, `seeding-${seedAtoms}`),
    };
    const scan = await seeding(potential, { ...setup, temperatures: sd.scan.map((f) => f * tm) });
    const grows = scan.temperatures.filter((t) => t.grows).map((t) => t.temperature);
    const low = grows.length > 0 ? Math.max(...grows) : null;
    const above = scan.temperatures.filter((t) => !t.grows && low !== null && t.temperature > low).map((t) => t.temperature);
    const bracket = low !== null && above.length > 0 ? { low, high: Math.min(...above) } : null;
    let critical: CriticalTemperatureResult | null = null;
    if (bracket) {
      // With replicas, each rate comes with its standard error, so the result says which signs were chance.
      critical = await criticalTemperature(async (T) => {
        const [t] = (await seeding(potential, { ...setup, temperatures: [T] })).temperatures;
        return Number.isNaN(t.replicaRateError) ? t.growthRate : { rate: t.growthRate, error: t.replicaRateError };
      }, { low: bracket.low, high: bracket.high, tolerance: sd.tolerance, maxEvaluations: sd.maxEvaluations });
    }
    seeds.push({ seedAtoms, scan, bracket, critical });
    o.log('seeding', { seedAtoms, size: scan.relaxation.size, rates: scan.temperatures.map((t) => ({ T: t.temperature, dNdt: t.growthRate })), critical });
  }
  return { melting, brute, seeds, plipQ, summary: summarise(scale, melting, brute, seeds, plipQ), sections: reportSections(melting, brute, seeds) };
}

function summarise(scale: NucleationScale, melting: MeltingTemperatureResult[], brute: BruteForceResult, seeds: SeedStudy[], plipQ: PlipQCheck | null): string[] {
  const lines: string[] = [];
  if (plipQ) {
    const ratio = plipQ.plipQMilliseconds / plipQ.referenceMilliseconds;
    lines.push(`MD uses the reference model (rigid-ion ZnO: Buckingham + direct Coulomb), not the fitted PLIP+Q: one PLIP+Q force call on the ${plipQ.atoms}-atom particle takes ` +
      `${plipQ.plipQMilliseconds.toFixed(0)} ms against ${plipQ.referenceMilliseconds.toFixed(1)} ms (${ratio.toFixed(0)}×), beyond this run's budget; ` +
      `a ${plipQ.probe.time} ps PLIP+Q run of a ${plipQ.probe.atoms}-atom particle at ${plipQ.probe.temperature} K ${plipQ.probe.stable ? 'stayed bound' : 'fell apart'} ` +
      `(closest pair ${plipQ.probe.closestPair.toFixed(2)} Å).`);
  } else {
    lines.push('MD uses the reference model (rigid-ion ZnO: Buckingham + direct Coulomb).');
  }
  for (const m of melting) {
    lines.push(`T_melt = ${m.meltingTemperature.toFixed(0)} ± ${m.uncertainty.toFixed(0)} K (tanh-fit standard error) for a ${m.atoms}-atom wurtzite particle heated at ` +
      `${scale.rate} K/ns from ${scale.ramp[0]} to ${scale.ramp[1]} K${scale.rate === 2000 ? ' (the paper\'s rate)' : ` (the paper heats at 2000 K/ns; faster ramps give lower midpoints, docs/guides/nucleation.md)`}; ` +
      `from run to run (other seeds or thread counts) the midpoint moves by more than the fit's error.`);
  }
  const crystalline = (c: Record<string, number>): number => Object.entries(c).filter(([l]) => l !== 'liquid' && l !== 'unassigned').reduce((a, [, n]) => a + n, 0);
  for (const [k, r] of brute.replicas.entries()) {
    const last = r.composition[r.composition.length - 1];
    const parts = Object.entries(last).filter(([, n]) => n > 0).map(([l, n]) => `${l} ${n}`).join(', ');
    lines.push(`Brute force${brute.replicas.length > 1 ? ` (replica ${k + 1})` : ''} at ${brute.temperature.toFixed(0)} K (0.625 T_melt), ${r.times[r.times.length - 1]} ps, ` +
      `${brute.atoms} atoms: at the end ${crystalline(last)} crystalline atoms (${parts}); ` +
      `${r.firstNucleusTime === null ? `no nucleus of ${brute.nucleusAtoms} atoms` : `first nucleus at ${r.firstNucleusTime} ps`}; largest cluster ${r.finalCluster.atoms} atoms${r.finalCluster.phase ? ` (${r.finalCluster.phase})` : ''}.`);
  }
  for (const s of seeds) {
    // The error of a rate: the replicas' spread when there are several, else the fit's residuals.
    const error = (t: SeedingResult['temperatures'][number]): number => (Number.isNaN(t.replicaRateError) ? t.growthRateError : t.replicaRateError);
    const rates = s.scan.temperatures.map((t) => `${t.temperature.toFixed(0)} K: ${t.growthRate >= 0 ? '+' : ''}${t.growthRate.toFixed(2)} ± ${error(t).toFixed(2)}`).join(', ');
    const sigma = (T: number): string => {
      const t = s.scan.temperatures.find((x) => x.temperature === T);
      return t ? `${Math.abs(t.growthRate / error(t)).toFixed(1)}σ` : '';
    };
    const head = `Seeding (${s.seedAtoms}-atom wurtzite seed, ${s.scan.relaxation.size} crystalline after relaxation, in ${s.scan.atoms} atoms): dN/dt (atoms/ps) ${rates}`;
    if (s.critical) {
      lines.push(`${head}; the scan's sign change (${s.bracket!.low.toFixed(0)} K grows, ${sigma(s.bracket!.low)}; ${s.bracket!.high.toFixed(0)} K melts, ${sigma(s.bracket!.high)}) ` +
        `bisected to T_crit in ${s.critical.low.toFixed(0)}–${s.critical.high.toFixed(0)} K (${(s.critical.high - s.critical.low).toFixed(0)} K wide after ${s.critical.evaluations.length} evaluations; ` +
        `${s.scan.temperatures[0].sizes.length} replica(s) of ${s.scan.temperatures[0].times[s.scan.temperatures[0].times.length - 1]} ps per temperature; a rate within 2σ of zero decides its sign by chance` +
        (s.critical.undecided.length > 0 && s.critical.evaluations.some((e) => !Number.isNaN(e.error))
          ? `: ${s.critical.undecided.length} of the ${s.critical.evaluations.length} were, so at 2σ T_crit lies in ${s.critical.significantBracket.low?.toFixed(0) ?? '?'}–${s.critical.significantBracket.high?.toFixed(0) ?? '?'} K).`
          : ').'));
    } else {
      lines.push(`${head}; no sign change in the scan, so no T_crit bracket at this scale.`);
    }
  }
  return lines;
}

function reportSections(melting: MeltingTemperatureResult[], brute: BruteForceResult, seeds: SeedStudy[]): ReportSection[] {
  const r = brute.replicas[0];
  const critical = seeds.filter((s) => s.critical).map((s) => ({ size: s.scan.relaxation.size, low: s.critical!.low, high: s.critical!.high, series: 'wurtzite' }));
  return [
    { title: 'Melting temperature', figures: melting.map((m) => meltingCurve(m)), data: melting },
    { title: 'Brute-force nucleation', figures: [compositionChart(r.composition, { times: r.times, exclude: ['liquid'], title: 'Crystalline atoms per SGMA label (replica 1)' })], data: brute },
    {
      title: 'Seeding and T_crit',
      figures: [...seeds.map((s) => growthCurves(s.scan)), ...(critical.length > 0 ? [criticalTemperatureChart(critical)] : [])],
      data: seeds,
    },
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const k = process.argv.indexOf('--out');
  const out = path.resolve(k > 0 ? process.argv[k + 1] : 'nucleation-report');
  const full = process.argv.includes('--full');
  const study = await nucleationStudy(full ? FULL_SCALE : DEMO_SCALE, {
    work: path.join(out, full ? 'checkpoints-full' : 'checkpoints'),
    log: (what, record) => console.log(JSON.stringify({ what, seconds: (Date.now() - started) / 1000, ...record })),
  });
  await report({ title: 'ZnO nucleation (rigid-ion model)', summary: study.summary, sections: study.sections }, out);
  for (const line of study.summary) console.log(line);
}

if (require.main === module) main().catch((error) => { console.error(error); process.exit(1); });

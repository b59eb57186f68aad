/**
 * One seed size bisected to T_crit with the paper's replicas and run lengths (5 replicas; 10 ps
 * frozen seed, 10 ps seed ramp, 10 ps quench, 50 ps production), on a droplet and a T_melt of your
 * choice: the seeding half of `npm run demo -- --full` for a single seed, at a size this machine
 * runs in about 80 minutes (1600 atoms, seven temperatures) rather than the full preset's 4000.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/seeding-bracket.js \
 *        [--droplet 1600] [--seed 400] [--t-melt 2063] [--t0 0.7] [--scan 0.6,0.675,0.775] [--replicas 5] [--out DIR]
 *        [--record FILE]
 * Writes DIR/seeding-bracket.json (the scan, the bisection, the relaxation) and DIR/growth.svg;
 * checkpoints in DIR/checkpoints, so a second start resumes.
 *
 * The record (default DIR/record.json) keeps every finished temperature's result (plain JSON, a
 * few tens of kB, unlike the MD checkpoints) with the settings it belongs to. A start with a record
 * takes those temperatures from it instead of running them again: each temperature's runs depend
 * only on the settings, T and the replica (`seeding`'s replica seeds), and the bisection only on
 * the signs, so a bisection longer than one sitting (the 4000-atom droplet: about half an hour per
 * temperature) continues on another machine, or another day, from that small file alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  criticalTemperature, crystal, droplet, growthCurves, maxwellBoltzmann, MolecularDynamics, NoseHooverChain, ResumeStore, seeding, zincOxideSgma,
  type SeedingResult,
} from 'polymorph';
import { referenceModel } from './nucleation-zno';

function option(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
}

async function main(): Promise<void> {
  const started = Date.now();
  const atoms = Number(option('droplet', '1600')), seedAtoms = Number(option('seed', '400')), tm = Number(option('t-melt', '2063'));
  const T0 = Number(option('t0', '0.7')) * tm, replicas = Number(option('replicas', '5'));
  const scan = option('scan', '0.6,0.675,0.775').split(',').map((f) => Number(f) * tm);
  const out = path.resolve(option('out', 'seeding-bracket'));
  const work = path.join(out, 'checkpoints');
  fs.mkdirSync(work, { recursive: true });
  const log = (what: string, record: object): void => console.log(JSON.stringify({ what, seconds: (Date.now() - started) / 1000, ...record }));

  const potential = referenceModel();
  const store = ResumeStore.open(path.join(work, 'liquid'), 'liquid droplet', { atoms, from: 1.5 * tm, to: T0, time: 10 });
  const { structure: liquid } = await store.segment('melt', {
    create: () => new MolecularDynamics(maxwellBoltzmann(droplet(crystal('zincblende'), { atoms }), { temperature: 1.5 * tm, seed: 3 }), potential,
      { timestep: 1, integrator: new NoseHooverChain({ temperature: [1.5 * tm, T0], relaxation: 100 }) }),
    potential, steps: 10_000, every: 1000,
  });
  const setup = {
    droplet: liquid, seed: 'WRZ', seedAtoms, T0, replicas, frames: 26, classifier: zincOxideSgma(),
    durations: { frozen: 10, heatSeed: 10, quench: 10, production: 50 }, checkpoint: path.join(work, `seeding-${seedAtoms}`),
  };
  // The record: finished temperatures, for these settings only.
  const recordFile = path.resolve(option('record', path.join(out, 'record.json')));
  const settings = { atoms, seedAtoms, T_melt: tm, T0, replicas, frames: setup.frames, durations: setup.durations, seed: setup.seed };
  const record: { settings: typeof settings; runs: SeedingResult[] } = fs.existsSync(recordFile)
    ? JSON.parse(fs.readFileSync(recordFile, 'utf8'))
    : { settings, runs: [] };
  if (JSON.stringify(record.settings) !== JSON.stringify(settings)) {
    throw new Error(`${recordFile} holds another run's results (${JSON.stringify(record.settings)}); give another --record`);
  }
  const evaluate = async (temperatures: number[]): Promise<SeedingResult> => {
    const known = (T: number) => record.runs.flatMap((r) => r.temperatures).find((t) => t.temperature === T);
    const missing = temperatures.filter((T) => known(T) === undefined);
    if (missing.length > 0) {
      const r = await seeding(potential, { ...setup, temperatures: missing });
      record.runs.push(r);
      fs.writeFileSync(recordFile, JSON.stringify(record));
    }
    return { ...record.runs[record.runs.length - 1], temperatures: temperatures.map((T) => known(T)!) };
  };
  const first = await evaluate(scan);
  log('scan', { size: first.relaxation.size, rates: first.temperatures.map((t) => ({ T: t.temperature, dNdt: t.growthRate, error: t.replicaRateError, replicas: t.replicaRates })) });
  const grows = first.temperatures.filter((t) => t.grows).map((t) => t.temperature);
  const melts = first.temperatures.filter((t) => !t.grows).map((t) => t.temperature);
  if (grows.length === 0 || melts.length === 0 || Math.max(...grows) > Math.min(...melts)) {
    log('no bracket', { grows, melts });
    return;
  }
  const runs = [first];
  const critical = await criticalTemperature(async (T) => {
    const r = await evaluate([T]);
    runs.push(r);
    const t = r.temperatures[0];
    // (temperatures recorded before `seeding` reported the nucleus have no finalNucleus: see examples/seeding-nuclei.ts)
    const nuclei = (t.finalNucleus as SeedingResult['temperatures'][number]['finalNucleus'] | undefined)?.map((n) => `${n.atoms} ${n.phase ?? ''}`.trim());
    log('evaluation', { T, dNdt: t.growthRate, error: t.replicaRateError, replicas: t.replicaRates, ...(nuclei ? { nuclei } : {}) });
    return Number.isNaN(t.replicaRateError) ? t.growthRate : { rate: t.growthRate, error: t.replicaRateError };
  }, { low: Math.max(...grows), high: Math.min(...melts), tolerance: 16, maxEvaluations: 12 });
  log('critical', critical);
  // Every temperature once (the bisection re-reads its two ends from the checkpoints).
  const temperatures = [...new Map(runs.flatMap((r) => r.temperatures).map((t) => [t.temperature, t])).values()].sort((a, b) => a.temperature - b.temperature);
  fs.writeFileSync(path.join(out, 'seeding-bracket.json'), JSON.stringify({ atoms, seedAtoms, T_melt: tm, T0, replicas, relaxation: first.relaxation, temperatures, critical }, null, 1));
  await growthCurves({ ...first, temperatures }).writeSvg(path.join(out, 'growth.svg'));
  log('done', { out });
}

main().catch((error) => { console.error(error); process.exit(1); });

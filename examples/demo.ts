/**
 * The README's main job (`npm ci && npm run demo`): build a ZnO wurtzite supercell, write it as
 * extended XYZ, read it back, and print its neighbour statistics; evaluate it with the rigid-ion
 * ZnO model (Buckingham + Ewald and + PME); fit PLIP and PLIP+Q to data labelled by that model
 * and compare them (the central claim of Salazar et al. 2024, on a surrogate); then the nucleation
 * studies at a small scale (examples/nucleation-zno.ts: melting temperature, brute force, seeding)
 * and the HTML report (demo-output/report/index.html). About seven minutes on two cores.
 *
 * Usage: npm run demo [-- --repeat 12,12,8 --out demo-output] [-- --full]
 *   --full: the paper-scale settings (FULL_SCALE in examples/nucleation-zno.ts; about a day of CPU on two
 *   cores), resumable: checkpoints go to demo-output/checkpoints-full and the same command continues.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Ewald, NeighborList, read, Structure, SumPotential, write, wurtzite, zincOxideBuckingham } from 'polymorph';
import { inspect } from 'util';
import { compareChargeColumn } from 'polymorph/workflows';
import { chargeStudySection, report } from 'polymorph/plot';
import { DEMO_SCALE, FULL_SCALE, nucleationStudy } from './nucleation-zno';

const demoStarted = Date.now();

function option(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

const reps = option('repeat', '12,12,8').split(',').map(Number) as [number, number, number];
const outDir = path.resolve(option('out', 'demo-output'));
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, 'zno-wurtzite.xyz');

// 1. Build: wurtzite ZnO (a = 3.2496 Å, c = 5.2042 Å, u = 0.3819), repeated.
const built = wurtzite().repeat(reps);
built.info.description = `wurtzite ZnO ${reps.join('x')} supercell`;

// 2. Write and read back as extended XYZ (ASE's format).
write(file, built);
const s: Structure = read(file);
let maxDiff = 0;
for (let k = 0; k < built.positions.data.length; ++k) maxDiff = Math.max(maxDiff, Math.abs(built.positions.data[k] - s.positions.data[k]));

// 3. Neighbour statistics, per species pair, in shells.
const cutoff = 6.0;
const t0 = process.hrtime.bigint();
const list = NeighborList.build(s, cutoff);
const buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
const symbols = s.symbols;
const shells = [
  { name: 'first shell (< 2.6 Å)', lo: 0, hi: 2.6 },
  { name: 'second shell (2.6–3.6 Å)', lo: 2.6, hi: 3.6 },
  { name: 'up to 6 Å', lo: 0, hi: 6.0 },
];
const rows: Record<string, string | number>[] = [];
for (const shell of shells) {
  const stats = new Map<string, { count: number; sum: number; min: number; max: number }>();
  for (let i = 0; i < s.length; ++i) {
    for (let q = list.rowPtr[i]; q < list.rowPtr[i + 1]; ++q) {
      const d = list.distances[q];
      if (d < shell.lo || d >= shell.hi) continue;
      const key = `${symbols[i]}-${symbols[list.neighbors[q]]}`;
      const e = stats.get(key) ?? { count: 0, sum: 0, min: Infinity, max: -Infinity };
      e.count++;
      e.sum += d;
      e.min = Math.min(e.min, d);
      e.max = Math.max(e.max, d);
      stats.set(key, e);
    }
  }
  for (const [pair, e] of [...stats].sort()) {
    const centre = pair.split('-')[0];
    const centres = symbols.filter((x) => x === centre).length;
    rows.push({ shell: shell.name, pair, 'neighbours per atom': +(e.count / centres).toFixed(3), 'mean d (Å)': +(e.sum / e.count).toFixed(4), 'min d (Å)': +e.min.toFixed(4), 'max d (Å)': +e.max.toFixed(4) });
  }
}

console.log(`polymorph demo — ${built.info.description}`);
console.log(`  structure: ${String(s)}`);
console.log(`  volume: ${s.volume.toFixed(3)} Å³ (${(s.volume / (s.length / 2)).toFixed(4)} Å³ per ZnO; reference 23.7966)`);
console.log(`  extended XYZ: ${file} (${fs.statSync(file).size} bytes), read back with max |Δr| = ${maxDiff.toExponential(1)} Å`);
console.log(`  neighbour list: ${list.size} pairs within ${cutoff} Å, built in ${(buildSeconds * 1e3).toFixed(1)} ms`);
console.table(rows);
if (maxDiff !== 0 || s.length !== built.length) {
  console.error('demo: the structure did not survive the extended XYZ round trip');
  process.exit(1);
}

// 4. The rigid-ion ZnO model (Buckingham + Ewald, charges ±2) on the supercell, Ewald and PME.
const model = zincOxideBuckingham({ accuracy: 1e-6 });
for (const method of ['ewald', 'pme'] as const) {
  const potential = method === 'ewald' ? model.potential
    : new SumPotential([model.buckingham, new Ewald({ charges: { Zn: 2, O: -2 }, accuracy: 1e-6, method: 'pme' })]);
  const t = process.hrtime.bigint();
  const r = potential.compute(s, { forces: true, stress: true });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const fmax = Math.max(...Array.from(r.forces!.data as Float64Array, Math.abs));
  const pressure = -(r.stress!.get(0, 0) + r.stress!.get(1, 1) + r.stress!.get(2, 2)) / 3 * 160.21766208;
  console.log(`  rigid-ion ZnO (${method}): ${(r.energy / (s.length / 2)).toFixed(5)} eV per ZnO, max |F| ${fmax.toExponential(2)} eV/Å, pressure ${pressure.toFixed(3)} GPa, ${ms.toFixed(0)} ms`);
}

// 5. PLIP vs PLIP+Q fitted to data labelled by that model (the split is stratified by kind), and
//    what Fig. 1–2 of the paper compare: lattices, phonons, the liquid, surfaces, nanoparticles.
const full = process.argv.includes('--full');
const work = path.join(outDir, full ? 'checkpoints-full' : 'work');
if (!full) fs.rmSync(work, { recursive: true, force: true });  // the demo starts afresh (reproducible); --full resumes
const datasetOptions = full ? { seed: 1, bulkCount: 12, slabCount: 8, liquidCount: 24 } : { seed: 1, bulkCount: 6, slabCount: 4, liquidCount: 12 };
const chargeStarted = Date.now();
const study = compareChargeColumn({ dataset: datasetOptions, validation: 0.25, seed: 1, cv: 5 });
const { plip, plipQ, surfaces, electrostatics } = study;
console.log(`  PLIP vs PLIP+Q (${study.dataset.structures} structures, ${study.validationIndices.length} held out; ${((Date.now() - chargeStarted) / 1000).toFixed(0)} s):`);
console.log(`    validation energy RMSE ${plip.validation.energyRmse.toFixed(1)} → ${plipQ.validation.energyRmse.toFixed(1)} meV/atom, ` +
  `force RMSE ${plip.validation.forceRmse.toFixed(3)} → ${plipQ.validation.forceRmse.toFixed(3)} eV/Å`);
console.log(`    polar (0001) surface ${surfaces.polar.plip.toFixed(3)} / ${surfaces.polar.plipQ.toFixed(3)} J/m² (reference ${surfaces.polar.reference.toFixed(3)}); ` +
  `γ = ${electrostatics.gammaFitted.toFixed(3)} → charges ±${electrostatics.charges!.Zn.toFixed(3)} e`);
console.log(inspect(study).split('\n').map((l) => `    ${l}`).join('\n'));
fs.writeFileSync(path.join(outDir, 'plip-q-zno.json'), JSON.stringify({ ...study, plip: { ...plip, potential: undefined }, plipQ: { ...plipQ, potential: undefined } }, null, 2));

// 6. The nucleation studies (melting, brute force, seeding and T_crit), and the report.
async function nucleation(): Promise<void> {
  const started = Date.now();
  console.log(`  nucleation studies at ${full ? 'paper scale (resumable: run the same command again to continue)' : 'demo scale'}; checkpoints in ${work}:`);
  const n = await nucleationStudy(full ? FULL_SCALE : DEMO_SCALE, {
    work, plipQ: plipQ.potential,
    log: (what, record) => console.log(`    … ${what} done (${((Date.now() - started) / 1000).toFixed(0)} s): ${JSON.stringify(record, (_, v) => (typeof v === 'number' ? +v.toPrecision(5) : v))}`),
  });
  const plipSummary = `PLIP vs PLIP+Q on ${study.dataset.structures} structures: validation energy RMSE ${plip.validation.energyRmse.toFixed(1)} → ${plipQ.validation.energyRmse.toFixed(1)} meV/atom, force RMSE ${plip.validation.forceRmse.toFixed(3)} → ${plipQ.validation.forceRmse.toFixed(3)} eV/Å; γ = ${electrostatics.gammaFitted.toFixed(3)}.`;
  const files = await report({
    title: `polymorph demo: ZnO, PLIP+Q and nucleation (rigid-ion surrogate, ${full ? 'paper' : 'demo'} scale)`,
    summary: [plipSummary, ...n.summary],
    sections: [chargeStudySection(study), ...n.sections],
  }, path.join(outDir, 'report'));
  console.log('  summary:');
  for (const line of [plipSummary, ...n.summary]) console.log(`    ${line}`);
  console.log(`  report: ${files.html} (${((Date.now() - demoStarted) / 1000).toFixed(0)} s in all)`);
}

nucleation().catch((error) => { console.error(error); process.exit(1); });

/**
 * PLIP vs PLIP+Q on the rigid-ion ZnO surrogate (Salazar et al., npj Comput. Mater. 10, 199
 * (2024)): a Buckingham + Coulomb model labels bulk polymorphs, polar and non-polar slabs and
 * quenched disordered configurations; both linear models are fitted to the same split with the
 * same descriptors (cutoff 6 Å) and α rule (5-fold CV each); prints a table and writes JSON.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/plip-q-zno.js [--out plip-q-output] [--seed 1]
 * (about 3 s on 2 cores at the default size).
 */
import * as fs from 'fs';
import * as path from 'path';
import { compareChargeColumn } from 'polymorph/workflows';

function option(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

const outDir = path.resolve(option('out', 'plip-q-output'));
const seed = Number(option('seed', '1'));
const start = Date.now();
const study = compareChargeColumn({
  dataset: { seed, bulkCount: 6, slabCount: 4, liquidCount: 12 },
  validation: 0.25, seed, cv: 5,
});
const seconds = (Date.now() - start) / 1000;

const f = (x: number, d = 3): string => x.toFixed(d).padStart(10);
console.log(`data: ${study.dataset.structures} structures, ${study.dataset.atoms} atoms, ${JSON.stringify(study.dataset.kinds)}; ${study.validationIndices.length} held out`);
console.log(`${''.padEnd(34)}${'PLIP'.padStart(10)}${'PLIP+Q'.padStart(10)}`);
const row = (label: string, a: number, b: number, d = 3): void => console.log(`${label.padEnd(34)}${f(a, d)}${f(b, d)}`);
row('alpha (CV)', study.plip.alpha, study.plipQ.alpha, 7);
row('non-zero weights', study.plip.nonZero, study.plipQ.nonZero, 0);
row('train energy RMSE (meV/atom)', study.plip.train.energyRmse, study.plipQ.train.energyRmse, 1);
row('validation energy RMSE (meV/atom)', study.plip.validation.energyRmse, study.plipQ.validation.energyRmse, 1);
row('train force RMSE (eV/Å)', study.plip.train.forceRmse, study.plipQ.train.forceRmse);
row('validation force RMSE (eV/Å)', study.plip.validation.forceRmse, study.plipQ.validation.forceRmse);
for (const kind of Object.keys(study.plip.validationByKind).sort()) {
  const a = study.plip.validationByKind[kind], b = study.plipQ.validationByKind[kind];
  row(`  ${kind} (${a.structures}) E meV/atom`, a.energyRmse, b.energyRmse, 1);
  row(`  ${kind} (${a.structures}) F eV/Å`, a.forceRmse, b.forceRmse);
}
const el = study.electrostatics;
console.log(`gamma fitted ${el.gammaFitted.toFixed(4)}, charges ${JSON.stringify(el.charges)}`);
console.log(`${'surface energy (J/m², unrelaxed)'.padEnd(34)}${'reference'.padStart(10)}${'PLIP'.padStart(10)}${'PLIP+Q'.padStart(10)}${'|err| P'.padStart(10)}${'|err| P+Q'.padStart(10)}`);
for (const [name, s] of [['polar (0001)/(000-1)', study.surfaces.polar], ['non-polar (10-10)', study.surfaces.nonPolar]] as const) {
  console.log(`${name.padEnd(34)}${f(s.reference)}${f(s.plip)}${f(s.plipQ)}${f(s.errorPlip)}${f(s.errorPlipQ)}`);
}
console.log(`${seconds.toFixed(1)} s`);

fs.mkdirSync(outDir, { recursive: true });
const strip = ({ potential: _potential, ...rest }: typeof study.plip): object => rest;
const json = { ...study, plip: strip(study.plip), plipQ: strip(study.plipQ), seconds };
fs.writeFileSync(path.join(outDir, 'plip-q-zno.json'), JSON.stringify(json, null, 2));
console.log(`wrote ${path.join(outDir, 'plip-q-zno.json')}`);

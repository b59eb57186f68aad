/**
 * PLIP descriptor benchmark (issue 4): prints JSON lines.
 *  - design-matrix rows (descriptors + force rows) of a rattled wurtzite ZnO supercell
 *    (8×8×4 cells, 1024 atoms), paper settings: r_cut 6 Å, widths 0.5…1.5 step 1 (1/Å²),
 *    centres 0.5…6 step 0.5 (Å) on every body order, lmax 5, mmax 7 (F = 1344 columns);
 *  - the weight contraction (LinearPotential energy + forces) of the same cell;
 *  one and two threads, median of a few calls. Peak memory: run the compiled script under
 *  `/usr/bin/time -v node build-scripts/bench/plip.js`.
 * Run: npm run bench -- plip
 */
import { LinearPotential, PlipDescriptors, plipGrid, rattle, setNumThreads, wurtzite } from 'polymorph';
import { medianSeconds, report } from './timing';

const grid = plipGrid({ widths: { min: 0.5, max: 1.5, step: 1 }, centres: { min: 0.5, max: 6, step: 0.5 } });
const descriptors = new PlipDescriptors({
  elements: ['Zn', 'O'], cutoff: 6, grid, twoBody: true, threeBody: { lmax: 5 },
  nBody: { mmax: 7, rShort: { 'Zn-Zn': 2.1, 'O-O': 2.3, 'Zn-O': 2.4 } },
});
const structure = rattle(wurtzite().repeat([8, 8, 4]), 0.05, 3);
const n = structure.length;
const weights = Array.from({ length: descriptors.featureCount }, (_, k) => 1e-3 * Math.sin(k));
const model = new LinearPotential({ descriptors, weights });
const only = process.argv[2];

for (const threads of [1, 2]) {
  setNumThreads(threads);
  if (only === undefined || only === 'rows') {
    const seconds = medianSeconds(() => descriptors.compute(structure, { forces: true }), 3);
    report({ what: 'plip rows (descriptors + force rows)', atoms: n, features: descriptors.featureCount, threads, seconds, perAtomMs: (1e3 * seconds) / n });
  }
  if (only === undefined || only === 'contract') {
    const seconds = medianSeconds(() => model.compute(structure, { forces: true }), 3);
    report({ what: 'plip contraction (energy + forces)', atoms: n, features: descriptors.featureCount, threads, seconds, perAtomMs: (1e3 * seconds) / n });
  }
}

/**
 * Symmetry-function selection on LJ256 (../shared/data/training/LJ256: 22 functions, 12 radial and
 * 10 angular), the Lennard-Jones experiment of Sandberg's thesis (chapter 5):
 *   1. the full network is trained with the Kalman filter;
 *   2. the adaptive-group-lasso path starts from it (Adam with the proximal group step, batch 1),
 *      and each λ's selection is refitted with the Kalman filter;
 *   3. at each size the path reached, CUR (Imbalzano et al.) picks as many functions from the
 *      training descriptors, and both selections are trained again from random weights with the
 *      same Kalman settings, so the comparison is between the feature sets alone.
 * Test errors are on n2p2's 10 % test structures (n2p2-anchor/test-structures.txt); the training
 * structures are a seeded sample of the rest (`--train`, default 200, to keep the run near 20 min
 * on 2 cores). Writes lj256-feature-selection/{result.json, path.svg, selection.svg}.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/lj256-feature-selection.js
 *      [--train 200] [--epochs 3] [--lambdas 5,10,20,30,45,70] [--out lj256-feature-selection]
 */
import * as fs from 'fs';
import * as path from 'path';
import { readAll, SymmetryFunctions } from 'polymorph';
import { featureSelectionChart, groupLassoPathChart } from 'polymorph/plot';
import { readN2p2Settings } from 'polymorph/potentials';
import { adaptiveGroupLasso, curSelection, type DescriptorBlock, type HdnnpErrors, selectSymmetryFunctions, trainHdnnp } from 'polymorph/train';
import { lj256TestStructures, sharedData } from '../bench/shared-data';

function option(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

async function main(): Promise<void> {
  const dir = path.join(sharedData, 'training', 'LJ256');
  const nTrain = Number(option('train', '200'));
  const epochs = Number(option('epochs', '3'));
  const lambdas = option('lambdas', '5,10,20,30,45,70').split(',').map(Number);
  const out = path.resolve(option('out', 'lj256-feature-selection'));
  fs.mkdirSync(out, { recursive: true });

  const all = readAll(path.join(dir, 'input.data'), { format: 'n2p2' });
  const test = lj256TestStructures();
  const isTest = new Set(test);
  // A seeded shuffle (Fisher–Yates on a linear congruential generator) of the non-test structures.
  const rest = all.map((_, i) => i).filter((i) => !isTest.has(i));
  let state = 12345;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = rest.length - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  const train = rest.slice(0, nTrain);
  const structures = [...train.map((i) => all[i]), ...test.map((i) => all[i])];
  const validation = { indices: test.map((_, k) => nTrain + k) };
  const settings = readN2p2Settings(path.join(dir, 'input.nn'));
  const kalman = { optimizer: { type: 'kalman' as const, pool: 8 }, epochs, validation, seed: 1, trainSample: 20 };
  const started = Date.now();
  const log = (...parts: unknown[]) => console.log(`${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s`, ...parts);
  const fmt = (e: HdnnpErrors | null) => (e ? `E ${e.energyRmse.toExponential(3)} F ${e.forceRmse.toFixed(4)}` : '-');

  const full = await trainHdnnp(structures, { settings, ...kalman });
  const fullErrors = full.history[full.bestEpoch].validation!;
  log('all 22 functions:', fmt(fullErrors));

  const steps = await adaptiveGroupLasso(structures, {
    settings, lambdas, epochs: 2, batchSize: 1, optimizer: { learningRate: 1e-3 }, loss: { energy: 1, forces: 1 }, validation, seed: 1, trainSample: 20,
    initialWeights: full.potential.weights, refit: kalman,
    onLambda: (s) => log(`λ ${s.lambda}: ${s.count} functions (${s.angular} angular) [${s.selected.Ar.join(' ')}]; penalised ${fmt(s.before)}; refitted ${fmt(s.after)}`),
  });

  // CUR on the standardised descriptors of the training structures (streamed one frame at a time).
  const functions = new SymmetryFunctions(settings.symmetryFunctions, { cutoffFunction: settings.cutoff, elements: settings.elements });
  function* descriptorRows(): Generator<DescriptorBlock> {
    for (const i of train) {
      const v = functions.compute(all[i]).values.Ar;
      yield { rows: v.shape[0], columns: v.shape[1], data: v.data as Float64Array };
    }
  }
  const counts = [...new Set(steps.map((s) => s.count))].filter((c) => c < settings.symmetryFunctions.length).sort((a, b) => b - a);
  const comparison: { count: number; agl: { selected: number[]; errors: HdnnpErrors }; cur: { selected: number[]; errors: HdnnpErrors } }[] = [];
  for (const count of counts) {
    const agl = steps.find((s) => s.count === count)!;
    const cur = curSelection(descriptorRows(), { count }).selected.sort((a, b) => a - b);
    const aglFit = await trainHdnnp(structures, { settings: agl.settings, ...kalman });
    const curFit = await trainHdnnp(structures, { settings: selectSymmetryFunctions(settings, { Ar: cur }), ...kalman });
    const row = {
      count,
      agl: { selected: agl.selected.Ar, errors: aglFit.history[aglFit.bestEpoch].validation! },
      cur: { selected: cur, errors: curFit.history[curFit.bestEpoch].validation! },
    };
    comparison.push(row);
    log(`${count} functions from random weights: AGL [${row.agl.selected.join(' ')}] ${fmt(row.agl.errors)}; CUR [${cur.join(' ')}] ${fmt(row.cur.errors)}`);
  }

  const result = {
    training: nTrain, test: test.length, kalmanEpochs: epochs, seconds: (Date.now() - started) / 1000,
    full: fullErrors, path: steps.map(({ settings: _settings, ...s }) => s), comparison,
  };
  fs.writeFileSync(path.join(out, 'result.json'), JSON.stringify(result, null, 1));
  const units = { energy: 'ε/atom', forces: 'ε/σ' };  // LJ256 is in reduced units
  fs.writeFileSync(path.join(out, 'path.svg'), await groupLassoPathChart(steps, { title: 'LJ256: adaptive group lasso path (force RMSE on the test structures)', units }).toSvg());
  const point = (e: HdnnpErrors, count: number) => ({ count, forceRmse: e.forceRmse, energyRmse: e.energyRmse });
  fs.writeFileSync(path.join(out, 'selection.svg'), await featureSelectionChart([
    { name: 'AGL', points: comparison.map((r) => point(r.agl.errors, r.count)) },
    { name: 'CUR', points: comparison.map((r) => point(r.cur.errors, r.count)) },
  ], { full: point(fullErrors, settings.symmetryFunctions.length), title: 'LJ256: selections retrained from random weights (Kalman filter)', units }).toSvg());
  log(`wrote ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * One-shot prediction benchmark (issue 9): the wall time of a whole process that loads an n2p2
 * potential, reads a structure and writes its energy and forces, as JSON lines.
 *  - n2p2's `nnp-predict 0` (the executable in NNP_PREDICT, or `nnp-predict` on the PATH; skipped
 *    when there is none) in a folder holding the potential and `input.data`;
 *  - a `node -e` script: `require('polymorph')` (this checkout's package entry), `Hdnnp.load`, `read(…, { format: 'n2p2' })`,
 *    `compute(s, { forces: true, atomEnergies: true })`, energy and forces written to files; on all
 *    cores and on one thread.
 * Runs are interleaved (n2p2, polymorph, polymorph one thread, …), 11 of each after one warm-up,
 * on H2O_RPBE-D3's example (1 080 atoms). The target: polymorph ≤ 0.5× nnp-predict.
 * Run: npm run bench -- one-shot   (e.g. NNP_PREDICT=/path/to/nnp-predict npm run bench -- one-shot)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedData } from './shared-data';
import { median, report } from './timing';

const root = path.resolve(__dirname, '..', '..');
const runs = Number(process.env.ONE_SHOT_RUNS ?? 11);
const potential = path.join(sharedData, 'n2p2', 'potentials', 'H2O_RPBE-D3');

function nnpPredict(): string | undefined {
  if (process.env.NNP_PREDICT) return process.env.NNP_PREDICT;
  try {
    return execFileSync('which', ['nnp-predict'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function wallMs(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const script = (threads: string): string => `
const p = require(${JSON.stringify(root)}); // the package's require entry, as require('polymorph')
const fs = require('fs');
${threads}
const pot = p.Hdnnp.load(${JSON.stringify(potential)});
const s = p.read(${JSON.stringify(path.join(potential, 'example.data'))}, { format: 'n2p2', index: 0 });
const r = pot.compute(s, { forces: true, atomEnergies: true });
fs.writeFileSync('energy.out', String(r.energy) + '\\n');
fs.writeFileSync('forces.out', Array.from(r.forces.data, (f) => f.toExponential(16)).join('\\n') + '\\n');
`;

function main(): void {
  const exe = nnpPredict();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-one-shot-'));
  try {
    for (const file of fs.readdirSync(potential)) {
      if (/^(input\.nn|scaling\.data|weights\.\d+\.data)$/.test(file)) fs.copyFileSync(path.join(potential, file), path.join(dir, file));
    }
    fs.copyFileSync(path.join(potential, 'example.data'), path.join(dir, 'input.data'));
    const ours = (threads: string) => () => execFileSync(process.execPath, ['-e', script(threads)], { cwd: dir, stdio: 'ignore' });
    const theirs = () => execFileSync(exe!, ['0'], { cwd: dir, stdio: 'ignore' });
    const cases: Record<string, () => void> = {
      polymorph: ours(''),
      'polymorph, one thread': ours('p.setNumThreads(1);'),
      ...(exe ? { 'nnp-predict': theirs } : {}),
    };
    for (const run of Object.values(cases)) run(); // warm the file cache
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let k = 0; k < runs; ++k) for (const [name, run] of Object.entries(cases)) times[name].push(wallMs(run));
    for (const [name, t] of Object.entries(times)) {
      report({ what: 'one-shot predict', program: name, atoms: 1080, runs, median_ms: median(t), min_ms: Math.min(...t), max_ms: Math.max(...t) });
    }
    if (!exe) {
      report({ what: 'one-shot predict', skipped: 'nnp-predict: set NNP_PREDICT or put it on the PATH for the comparison' });
      return;
    }
    const anchor = median(times['nnp-predict']);
    report({
      what: 'one-shot ratio', atoms: 1080, ratio: median(times.polymorph) / anchor,
      ratio_one_thread: median(times['polymorph, one thread']) / anchor, target: 0.5, loadavg: os.loadavg(),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();

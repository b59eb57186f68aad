/**
 * Start-up benchmark (issue 9): what loading polymorph costs a fresh Node process, as JSON lines.
 * Each entry point is loaded in a new `node -e` process, alternating with a bare `node -e ''`, and
 * the cost is the median wall time minus the bare start's median:
 *  - `require('polymorph')`, what CommonJS users (and tslab) load: the package's `require` entry;
 *  - `require('./dist')`, the complete `dist/index.js` (what `import` loads);
 *  - `require('polymorph')` and then one class from each module (what a notebook using everything pays);
 *  - each `polymorph/<module>` on its own.
 * Needs `npm run build:ts` (dist/). The target: `require('polymorph')` ≤ 80 ms over bare node.
 * Run: npm run bench -- startup
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { median, report } from './timing';

/** The project root (this file runs from build-scripts/bench/). */
const root = path.resolve(__dirname, '..', '..');
const runs = Number(process.env.STARTUP_RUNS ?? 11);

/** Wall time (ms) of one `node -e script` in the project root. */
function startMs(script: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', script], { cwd: root, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const entries: Record<string, string> = {
  "require('polymorph')": "require('polymorph')",
  "require('./dist')": "require('./dist')",
  "require('polymorph') + one class per module": "const p = require('polymorph'); [p.Structure, p.read, p.wurtzite, p.SymmetryFunctions, p.Hdnnp, p.LassoLars, p.zincOxideDataset]",
  ...Object.fromEntries(['structure', 'io', 'build', 'descriptors', 'potentials', 'train', 'md', 'workflows']
    .map((m) => [`require('polymorph/${m}')`, `require('polymorph/${m}')`])),
};

startMs(''); // warm the file cache
const bare: number[] = [];
const times: Record<string, number[]> = Object.fromEntries(Object.keys(entries).map((k) => [k, []]));
for (let k = 0; k < runs; ++k) {
  bare.push(startMs(''));
  for (const [name, script] of Object.entries(entries)) times[name].push(startMs(script));
}
const bareMs = median(bare);
for (const [name, t] of Object.entries(times)) {
  report({ what: 'startup', entry: name, runs, median_ms: median(t), bare_node_ms: bareMs, cost_ms: median(t) - bareMs, target_ms: name === "require('polymorph')" ? 80 : undefined });
}

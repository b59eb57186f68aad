/**
 * End-to-end check of the install a user gets from the registry, without a compiler:
 *
 * 1. `npm pack` in this checkout (its `prepack` builds `prebuilds/linux-x64/` with prebuildify,
 *    its `prepare` compiles `dist/`); the tarball must hold the prebuilt addon.
 * 2. Into an empty project in a temporary folder: `npm install --ignore-scripts <tarball>`, so that
 *    no build can run (as when a user's npm does not run install scripts), then
 *    `require('polymorph')`, build wurtzite and evaluate the rigid-ion ZnO model with forces.
 * 3. Again into a fresh project, this time letting npm run the install script (node-gyp-build) but
 *    with the C and C++ compilers set to `false`: it must find the prebuilt addon and build nothing.
 *
 * Both installs fetch polymorph's runtime dependencies from the npm registry. Prints one JSON line
 * (tarball size, install times, energies) and exits non-zero when a check fails. Rebuilds the addon
 * (prepack), so run it alone: `npm run bench -- install-check`. The packed checkout is left with
 * `prebuilds/` (ignored by git), which the loader uses when `build/Release` has no addon.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { wurtzite, zincOxideBuckingham } from 'polymorph';

const root = path.resolve(__dirname, '..', '..'); // build-scripts/bench -> checkout
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const reps = [3, 3, 2];
const prebuild = `prebuilds/${process.platform}-${process.arch}/`;

interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(npm, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Energy (eV) and largest force component (eV/Å) of the model on wurtzite, from the installed package. */
function evaluateInstalled(project: string): { energy: number; maxForce: number; polymorphFiles: string[] } {
  const script = `
    const pm = require('polymorph');
    const s = pm.wurtzite().repeat(${JSON.stringify(reps)});
    const r = pm.zincOxideBuckingham().potential.compute(s, { forces: true });
    let maxForce = 0;
    for (const f of r.forces.data) maxForce = Math.max(maxForce, Math.abs(f));
    console.log(JSON.stringify({ energy: r.energy, maxForce }));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' });
  const installed = path.join(project, 'node_modules', 'polymorph');
  return { ...JSON.parse(out), polymorphFiles: fs.readdirSync(installed).sort() };
}

function install(tarball: string, dir: string, ignoreScripts: boolean) {
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'install-check', version: '1.0.0', private: true }));
  // No compiler: any C or C++ compilation would fail.
  const env = { ...process.env, CC: 'false', CXX: 'false' };
  const args = ['install', '--no-audit', '--no-fund', ...(ignoreScripts ? ['--ignore-scripts'] : []), tarball];
  const t0 = process.hrtime.bigint();
  const done = spawnSync(npm, args, { cwd: dir, env, encoding: 'utf8' });
  const installSeconds = seconds(t0);
  if (done.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${done.stdout}${done.stderr}`);
  const result = evaluateInstalled(dir);
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
  return {
    command: `CC=false CXX=false npm ${args.join(' ')}`,
    installSeconds,
    summary: lines(done.stdout).pop(),
    warnings: lines(done.stderr).filter((l) => /warn/.test(l)),
    ...result,
  };
}

const failures: string[] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-install-check-'));
try {
  const t0 = process.hrtime.bigint();
  // The prepack build writes to stdout too: npm's JSON report is the last thing printed.
  const packOutput = run(['pack', '--json', '--pack-destination', work], root);
  const [pack] = JSON.parse(packOutput.slice(Math.max(0, packOutput.lastIndexOf('\n[\n') + 1))) as PackInfo[];
  const packSeconds = seconds(t0);
  const tarball = path.join(work, pack.filename);
  const addons = pack.files.filter((f) => f.path.startsWith(prebuild) && f.path.endsWith('.node'));
  if (addons.length === 0) failures.push(`the tarball has no ${prebuild}*.node`);

  const model = zincOxideBuckingham();
  const reference = model.potential.compute(wurtzite().repeat(reps as [number, number, number])).energy;

  const noScripts = install(tarball, path.join(work, 'ignore-scripts'), true);
  const noCompiler = install(tarball, path.join(work, 'no-compiler'), false);
  for (const [name, r] of [['ignore-scripts', noScripts], ['no-compiler', noCompiler]] as const) {
    if (!(Math.abs(r.energy - reference) <= 1e-9 * Math.abs(reference))) failures.push(`${name}: energy ${r.energy} eV, checkout gives ${reference} eV`);
    if (r.polymorphFiles.includes('build')) failures.push(`${name}: the install built the addon (node_modules/polymorph/build exists)`);
  }

  console.log(JSON.stringify({
    what: 'install-check',
    tarball: {
      file: pack.filename,
      bytes: pack.size,
      unpackedBytes: pack.unpackedSize,
      entries: pack.entryCount,
      prebuilt: addons.map((f) => ({ path: f.path, bytes: f.size })),
    },
    packSeconds,
    structure: `wurtzite ${reps.join('x')} (${4 * reps[0] * reps[1] * reps[2]} atoms), rigid-ion ZnO model`,
    referenceEnergy: reference,
    ignoreScripts: noScripts,
    withScriptsNoCompiler: noCompiler,
    ok: failures.length === 0,
    failures,
  }));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
if (failures.length > 0) process.exitCode = 1;

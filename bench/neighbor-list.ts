/**
 * Neighbour-list benchmark (issue 2): prints JSON lines.
 *  - scaling: half list, 6 Å, rattled fcc Al (a = 4.05 Å) from 10³ to 10⁵ atoms at constant
 *    density, one thread: per-atom cost should stay flat (within 25 %);
 *  - the 100 800-atom system (30×30×28 cells) with one and two threads;
 *  - the same system in LAMMPS (`lmp`, if on PATH): neighbour-build time per build, measured
 *    with `pair_style zero 6.0`, skin 0, a rebuild every step.
 * Run: npm run bench -- neighbor-list
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fcc, getNumThreads, NeighborList, rattle, setNumThreads } from 'polymorph';
import { medianSeconds, report } from './timing';

const cutoff = 6.0;
const a = 4.05;

function system(reps: [number, number, number]) {
  return rattle(fcc('Al', a).repeat(reps), 0.05, 7);
}

function measure(reps: [number, number, number], threads: number, repeats: number): void {
  const s = system(reps);
  setNumThreads(threads);
  let pairs = 0;
  const seconds = medianSeconds(() => {
    pairs = NeighborList.build(s, cutoff, { full: false }).size;
  }, repeats);
  report({ what: 'neighbor-list half', atoms: s.length, cells: reps, cutoff, threads, pairs, median_s: seconds, per_atom_ns: (seconds / s.length) * 1e9 });
}

function lammps(threads: number): void {
  const lmp = ['lmp', 'lmp_serial', 'lmp_stable'].find((exe) => {
    try {
      execFileSync('which', [exe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!lmp) {
    report({ what: 'lammps neighbor build', skipped: 'lmp not on PATH (apt-get install lammps)' });
    return;
  }
  const steps = 40;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-'));
  const input = [
    'units metal', 'atom_style atomic', 'boundary p p p', `lattice fcc ${a}`,
    'region box block 0 30 0 30 0 28', 'create_box 1 box', 'create_atoms 1 box', 'mass 1 26.9815385',
    'displace_atoms all random 0.05 0.05 0.05 12345 units box',
    `pair_style zero ${cutoff}`, 'pair_coeff * *', 'neighbor 0.0 bin', 'neigh_modify every 1 delay 0 check no',
    'thermo 1000', `run ${steps}`,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'in.neigh'), input);
  const args = ['-in', 'in.neigh', '-log', 'none', '-screen', 'none', '-log', 'log.lammps'];
  const env = { ...process.env, OMP_NUM_THREADS: String(threads) };
  const extra = threads > 1 ? ['-sf', 'omp', '-pk', 'omp', String(threads)] : [];
  try {
    execFileSync(lmp, [...args, ...extra], { cwd: dir, env, stdio: 'ignore' });
    const log = fs.readFileSync(path.join(dir, 'log.lammps'), 'utf8');
    const neigh = /^Neigh\s*\|\s*([\d.eE+-]+)/m.exec(log);
    const builds = /Neighbor list builds = (\d+)/.exec(log);
    const pairs = /Total # of neighbors = (\d+)/.exec(log);
    if (!neigh || !builds) throw new Error('no timing breakdown in log.lammps');
    const perBuild = Number(neigh[1]) / Number(builds[1]);
    report({ what: 'lammps neighbor build', program: lmp, atoms: 100800, cutoff, threads, builds: Number(builds[1]), pairs: pairs ? Number(pairs[1]) : null, median_s: perBuild, per_atom_ns: (perBuild / 100800) * 1e9 });
  } catch (error) {
    report({ what: 'lammps neighbor build', threads, failed: String((error as Error).message) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const before = getNumThreads();
const scaling: [number, number, number][] = [[6, 6, 7], [10, 10, 10], [15, 15, 15], [20, 20, 20], [30, 30, 28]];
for (const reps of scaling) measure(reps, 1, reps[0] >= 20 ? 5 : 9);
measure([30, 30, 28], 2, 5);
setNumThreads(before);
lammps(1);
lammps(2);

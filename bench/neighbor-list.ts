/**
 * Neighbour-list benchmark (issue 2): prints JSON lines.
 *  - scaling: half list, 6 Å, rattled fcc Al (a = 4.05 Å) from 10³ to 10⁵ atoms at constant
 *    density, one thread, sizes interleaved round-robin: per-atom cost should stay flat (within
 *    25 %: the `scaling spread` record);
 *  - the 100 800-atom system (30×30×28 cells) with one and two threads;
 *  - each measured three ways: `update` (a rebuild into the list's own memory, as LAMMPS rebuilds
 *    its lists); `build` with a turn of the event loop between builds (the memory of earlier lists
 *    is released and recycled, as in async code and notebooks); `build` in a tight synchronous
 *    loop (N-API runs the finalizers of earlier lists only on the next turn of the event loop,
 *    so every build touches fresh memory);
 *  - the same system in LAMMPS (`lmp`, if on PATH; two workers = `mpirun -np 2`): neighbour-build
 *    time per build, measured with `pair_style zero 6.0`, skin 0, a rebuild every step.
 * Run: npm run bench -- neighbor-list
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fcc, getNumThreads, NeighborList, rattle, setNumThreads } from 'polymorph';
import { median, medianSeconds, medianSecondsAsync, report } from './timing';

const cutoff = 6.0;
const a = 4.05;

function system(reps: [number, number, number]) {
  return rattle(fcc('Al', a).repeat(reps), 0.05, 7);
}

async function measure(reps: [number, number, number], threads: number, repeats: number): Promise<void> {
  const s = system(reps);
  setNumThreads(threads);
  const list = NeighborList.build(s, cutoff, { full: false });
  const common = { atoms: s.length, cells: reps, cutoff, threads, pairs: list.size };
  const modes: [string, number][] = [
    ['update (memory reused)', medianSeconds(() => list.update(s), repeats)],
    ['build (event loop turns between builds)', await medianSecondsAsync(() => NeighborList.build(s, cutoff, { full: false }), repeats)],
    ['build (tight synchronous loop)', medianSeconds(() => NeighborList.build(s, cutoff, { full: false }), repeats)],
  ];
  for (const [mode, seconds] of modes) {
    report({ what: `neighbor-list half, ${mode}`, ...common, median_s: seconds, per_atom_ns: (seconds / s.length) * 1e9 });
  }
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
  // Debian's LAMMPS has no OPENMP package: two workers are two MPI ranks.
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const command = threads > 1 ? 'mpirun' : lmp;
  const commandArgs = threads > 1 ? ['--allow-run-as-root', '--oversubscribe', '-np', String(threads), lmp, ...args] : args;
  try {
    execFileSync(command, commandArgs, { cwd: dir, env, stdio: 'ignore' });
    const log = fs.readFileSync(path.join(dir, 'log.lammps'), 'utf8');
    const neigh = /^Neigh\s*\|\s*[\d.eE+-]+\s*\|\s*([\d.eE+-]+)/m.exec(log); // min | avg | max: the average
    const builds = /Neighbor list builds = (\d+)/.exec(log);
    const pairs = /Total # of neighbors = (\d+)/.exec(log);
    if (!neigh || !builds) throw new Error('no timing breakdown in log.lammps');
    const perBuild = Number(neigh[1]) / Number(builds[1]);
    report({ what: 'lammps neighbor build', program: threads > 1 ? `mpirun -np ${threads} ${lmp}` : lmp, atoms: 100800, cutoff, threads, builds: Number(builds[1]), pairs: pairs ? Number(pairs[1]) : null, median_s: perBuild, per_atom_ns: (perBuild / 100800) * 1e9 });
  } catch (error) {
    report({ what: 'lammps neighbor build', threads, failed: String((error as Error).message) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Per-atom cost of `update` across sizes, measured round-robin (one update of each size in turn,
 * many rounds) so that slow drifts of the machine's speed affect every size alike.
 */
function scaling(sizes: [number, number, number][], rounds: number): void {
  setNumThreads(1);
  const systems = sizes.map((reps) => system(reps));
  const lists = systems.map((s) => NeighborList.build(s, cutoff, { full: false }));
  const times: number[][] = sizes.map(() => []);
  for (let round = 0; round < rounds; ++round) {
    systems.forEach((s, k) => {
      const repeats = Math.max(1, Math.round(20000 / s.length)); // ~equal time per size
      const t0 = process.hrtime.bigint();
      for (let r = 0; r < repeats; ++r) lists[k].update(s);
      times[k].push(Number(process.hrtime.bigint() - t0) / 1e9 / repeats);
    });
  }
  const perAtom = times.map((t, k) => (median(t) / systems[k].length) * 1e9);
  sizes.forEach((reps, k) => {
    report({ what: 'neighbor-list half, update, round-robin scaling', atoms: systems[k].length, cells: reps, cutoff, threads: 1, rounds, per_atom_ns: perAtom[k] });
  });
  report({ what: 'scaling spread', max_over_min: Math.max(...perAtom) / Math.min(...perAtom), target: 1.25 });
}

async function main(): Promise<void> {
  const before = getNumThreads();
  const sizes: [number, number, number][] = [[6, 6, 7], [10, 10, 10], [15, 15, 15], [20, 20, 20], [30, 30, 28]];
  scaling(sizes, 15);
  for (const reps of sizes) await measure(reps, 1, reps[0] >= 20 ? 9 : reps[0] >= 15 ? 31 : 101);
  await measure([30, 30, 28], 2, 9);
  setNumThreads(before);
  lammps(1);
  lammps(2);
}

void main();

/**
 * Steinhardt benchmark (issue 11): prints JSON lines.
 *  - rattled fcc Cu, 30×30×28 conventional cells (100 800 atoms), 12 neighbours within 3.1 Å,
 *    q2…q8, one thread: polymorph plain and averaged (neighbour list included) against LAMMPS
 *    `compute orientorder/atom degrees 7 2 3 4 5 6 7 8 nnn NULL cutoff 3.1` (plain q2…q8), timed
 *    as whole `lmp` processes with `run 0` (the compute invoked through a thermo reduce) minus the
 *    same input without the compute; runs alternate side by side, medians reported;
 *  - Voronoi-weighted averaged q2…q8 on the same atoms (all species; and one species' sub-lattice),
 *    one thread, and two threads for context.
 * Run: npm run bench -- steinhardt
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fcc, getNumThreads, rattle, setNumThreads, steinhardt } from 'polymorph';
import { lammpsExecutable } from './lammps';
import { median, report } from './timing';

const a = 3.61;
const reps: [number, number, number] = [30, 30, 28];
const cutoff = 3.1;
const l = [2, 3, 4, 5, 6, 7, 8];

function seconds(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function lammpsInput(withCompute: boolean): string {
  return [
    'units metal', 'atom_style atomic', 'boundary p p p', `lattice fcc ${a}`,
    `region box block 0 ${reps[0]} 0 ${reps[1]} 0 ${reps[2]}`, 'create_box 1 box', 'create_atoms 1 box', 'mass 1 63.546',
    'displace_atoms all random 0.05 0.05 0.05 12345 units box',
    `pair_style zero ${cutoff + 0.1}`, 'pair_coeff * *', 'neighbor 0.3 bin',
    ...(withCompute
      ? [`compute q all orientorder/atom degrees ${l.length} ${l.join(' ')} nnn NULL cutoff ${cutoff}`,
        `compute s all reduce sum ${l.map((_, k) => `c_q[${k + 1}]`).join(' ')}`, 'thermo_style custom step c_s[1] c_s[5]']
      : ['thermo_style custom step']),
    'run 0',
  ].join('\n');
}

async function main(): Promise<void> {
  const before = getNumThreads();
  const s = rattle(fcc('Cu', a).repeat(reps), 0.05, 7);
  setNumThreads(1);
  const lmp = lammpsExecutable();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-steinhardt-'));
  fs.writeFileSync(path.join(dir, 'in.with'), lammpsInput(true));
  fs.writeFileSync(path.join(dir, 'in.without'), lammpsInput(false));
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const runLammps = (file: string) => seconds(() => execFileSync(lmp!, ['-in', file, '-log', 'none', '-screen', 'none'], { cwd: dir, env, stdio: 'ignore' }));

  const plain = { l, neighbors: { cutoff } };
  const averaged = { ...plain, average: true };
  steinhardt(s, averaged); // warm-up
  const times = { plain: [] as number[], averaged: [] as number[], lammpsWith: [] as number[], lammpsWithout: [] as number[] };
  const rounds = 5;
  for (let round = 0; round < rounds; ++round) {
    times.averaged.push(seconds(() => steinhardt(s, averaged)));
    times.plain.push(seconds(() => steinhardt(s, plain)));
    if (lmp) {
      times.lammpsWith.push(runLammps('in.with'));
      times.lammpsWithout.push(runLammps('in.without'));
    }
  }
  const common = { atoms: s.length, cutoff, neighbors: 12, degrees: 'q2…q8', threads: 1, rounds };
  const ours = median(times.averaged);
  report({ what: 'polymorph steinhardt averaged (neighbour list included)', ...common, median_s: ours, per_atom_ns: (ours / s.length) * 1e9 });
  report({ what: 'polymorph steinhardt plain (neighbour list included)', ...common, median_s: median(times.plain), per_atom_ns: (median(times.plain) / s.length) * 1e9 });
  if (lmp) {
    const compute = median(times.lammpsWith) - median(times.lammpsWithout);
    report({ what: 'lammps compute orientorder/atom plain (process with − without the compute)', program: lmp, ...common,
      with_s: median(times.lammpsWith), without_s: median(times.lammpsWithout), median_s: compute, per_atom_ns: (compute / s.length) * 1e9 });
    report({ what: 'ratio polymorph averaged / lammps plain', ratio: ours / compute, target: 0.5 });
  } else {
    report({ what: 'lammps compute orientorder/atom', skipped: 'lmp not on PATH (apt-get install lammps)' });
  }
  fs.rmSync(dir, { recursive: true, force: true });

  // Voronoi-weighted averaged q2…q8 (the SGMA features), one and two threads.
  const voronoi = { l, neighbors: { voronoi: true as const }, average: true };
  const binary = s.clone();
  binary.numbers = Int32Array.from(binary.numbers, (_, i) => (i % 2 === 0 ? 30 : 8));
  for (const threads of [1, 2]) {
    setNumThreads(threads);
    const all = median(Array.from({ length: 3 }, () => seconds(() => steinhardt(s, voronoi))));
    report({ what: 'polymorph steinhardt Voronoi-weighted averaged (tessellation included)', atoms: s.length, degrees: 'q2…q8', threads, median_s: all, per_atom_ns: (all / s.length) * 1e9 });
    const same = median(Array.from({ length: 3 }, () => seconds(() => steinhardt(binary, { ...voronoi, species: 'same' }))));
    report({ what: "polymorph steinhardt Voronoi-weighted averaged, species 'same' (two sub-lattices of 50 400)", atoms: s.length, degrees: 'q2…q8', threads, median_s: same, per_atom_ns: (same / s.length) * 1e9 });
  }
  setNumThreads(before);
}

void main();

/**
 * Ewald and PME against LAMMPS at equal measured RMS force error (issue 9). Prints JSON lines.
 *
 * Systems: rattled rocksalt Na⁺Cl⁻ (a = 5.64 Å), 4 096 (8³ cells) and 13 824 (12³) ions.
 * Errors: the RMS over atoms of |F_i − F_i(exact)| / k_e (the accuracy metric of both codes),
 * F(exact) from a 1e-10 Ewald sum.
 *  1. LAMMPS (`lmp` on PATH; one core): `pair_style coul/long 8.0` + `kspace_style ewald 1e-5`,
 *     and `pppm 1e-5` (order 5) three times; time per step (loop time / steps: the list is built
 *     before the loop, as in an MD step) with its Pair/Kspace split, and its measured error.
 *  2. polymorph Ewald and smooth PME at a ladder of requested accuracies, each with its measured
 *     error and its time on one and two threads: with the neighbour list built once outside the
 *     timing (`neighbors`, like LAMMPS' loop) and with a fresh list in every call.
 *  3. The comparison: the cheapest polymorph setting whose measured error is ≤ LAMMPS' measured
 *     error, its one-thread time over LAMMPS' (targets: Ewald ≤ 0.5, PME ≤ 0.7).
 * Run: npm run bench -- ewald
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COULOMB_CONSTANT, Ewald, formatText, NeighborList, rattle, rocksalt, setNumThreads, Structure } from 'polymorph';
import { lammpsExecutable } from './lammps';
import { median, medianSeconds, report } from './timing';

const a = 5.64;
const accuracy = 1e-5;

function system(cells: number): Structure {
  const s = rattle(rocksalt(['Na', 'Cl'], a).repeat([cells, cells, cells]), 0.05, 11);
  return new Structure({ symbols: Array.from(s.numbers, (z) => (z === 11 ? 'Na' : 'Cl')), positions: s.positions, cell: s.cell, pbc: true, charges: Array.from(s.numbers, (z) => (z === 11 ? 1 : -1)) });
}

interface Measured {
  accuracy: number;
  error: number;
  /** One-thread seconds with a list built once, and with a fresh list each call; two threads (list). */
  listSeconds: number;
  freshSeconds: number;
  listSeconds2: number;
}

/** Ewald or PME at one requested accuracy: measured error and times. */
function measure(s: Structure, method: 'ewald' | 'pme', accuracy: number, repeats: number, exact: Float64Array): Measured {
  const ewald = new Ewald({ accuracy, method });
  const p = ewald.parameters(s);
  const list = NeighborList.build(s, p.cutoff, { full: false });
  setNumThreads(1);
  const r = ewald.compute(s, { forces: true, neighbors: list });
  const listSeconds = medianSeconds(() => ewald.compute(s, { forces: true, neighbors: list }), repeats);
  const freshSeconds = medianSeconds(() => ewald.compute(s, { forces: true }), repeats);
  setNumThreads(2);
  const listSeconds2 = medianSeconds(() => ewald.compute(s, { forces: true, neighbors: list }), repeats);
  const error = rmsForceError(r.forces!.data, exact, COULOMB_CONSTANT);
  report({
    what: `polymorph ${method} energy+forces`, atoms: s.length, accuracy, rms_force_error_relative: error,
    one_thread_s: { list_reused: listSeconds, fresh_list: freshSeconds }, two_threads_list_reused_s: listSeconds2,
    alpha: p.alpha, cutoff: p.cutoff, kmax: p.kmax, grid: p.grid, order: p.order,
  });
  return { accuracy, error, listSeconds, freshSeconds, listSeconds2 };
}

function rmsForceError(forces: ArrayLike<number>, exact: ArrayLike<number>, ke: number): number {
  let sum = 0;
  for (let i = 0; i < exact.length; ++i) sum += (forces[i] - exact[i]) ** 2;
  return Math.sqrt(sum / (exact.length / 3)) / ke;
}

interface LammpsRun {
  seconds: number;
  error: number;
}

function lammps(s: Structure, lmp: string, kspace: 'ewald' | 'pppm', exact: Float64Array): LammpsRun | undefined {
  const steps = 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-ewald-'));
  fs.writeFileSync(path.join(dir, 'ions.data'), formatText(s, { format: 'lammps-data' }));
  const input = [
    'units metal', 'atom_style charge', 'boundary p p p', 'read_data ions.data',
    'mass * 1.0', 'pair_style coul/long 8.0', 'pair_coeff * *', `kspace_style ${kspace} ${accuracy}`,
    'neighbor 0.0 bin', 'thermo_style custom step pe', 'thermo 1',
    'dump forces all custom 1000 forces.dump id fx fy fz', 'dump_modify forces sort id format float %.12g', `run ${steps}`,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'in.kspace'), input);
  try {
    execFileSync(lmp, ['-in', 'in.kspace', '-screen', 'none', '-log', 'log.lammps'], { cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: 'ignore' });
    const log = fs.readFileSync(path.join(dir, 'log.lammps'), 'utf8');
    const loop = /Loop time of ([\d.eE+-]+) on \d+ procs for (\d+) steps/.exec(log);
    const part = (name: string): number | null => {
      const m = new RegExp(`^${name}\\s*\\|\\s*([\\d.eE+-]+)`, 'm').exec(log);
      return m ? Number(m[1]) / steps : null;
    };
    const pe = /^\s*0\s+([-\d.eE+]+)\s*$/m.exec(log);
    const gewald = /G vector \(1\/distance\)\s*=\s*([\d.eE+-]+)/.exec(log);
    const kvec = /KSpace vectors: actual max1d max3d = (\d+) (\d+) (\d+)/.exec(log);
    const grid = /grid = (\d+) (\d+) (\d+)/.exec(log);
    const estimate = /estimated relative force accuracy = ([\d.eE+-]+)/.exec(log);
    if (!loop) throw new Error('no loop time in log.lammps');
    // Forces at step 0 (first dump block), eV/Å, sorted by id; LAMMPS' k_e is 14.399645.
    const dump = fs.readFileSync(path.join(dir, 'forces.dump'), 'utf8').split('ITEM: ATOMS')[1].trim().split('\n');
    const forces = new Float64Array(3 * s.length);
    for (const line of dump.slice(1, s.length + 1)) {
      const [id, fx, fy, fz] = line.trim().split(/\s+/).map(Number);
      forces.set([fx, fy, fz], 3 * (id - 1));
    }
    const run = { seconds: Number(loop[1]) / Number(loop[2]), error: rmsForceError(forces, exact, 14.399645) };
    report({
      what: `lammps ${kspace} (coul/long 8.0 + kspace ${kspace})`, program: lmp, atoms: s.length, accuracy, threads: 1,
      per_step_s: Number(loop[1]) / Number(loop[2]), pair_s: part('Pair'), kspace_s: part('Kspace'),
      energy_eV: pe ? Number(pe[1]) : null, g_ewald: gewald ? Number(gewald[1]) : null, kvectors: kvec ? Number(kvec[1]) : null,
      grid: grid ? grid.slice(1).map(Number) : null, estimated_relative_force_accuracy: estimate ? Number(estimate[1]) : null,
      rms_force_error_relative: run.error,
    });
    return run;
  } catch (error) {
    report({ what: `lammps ${kspace}`, atoms: s.length, failed: String((error as Error).message) });
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ladders: Record<'ewald' | 'pme', number[]> = {
  ewald: [1e-5, 2e-5, 3e-5, 5e-5],
  pme: [1e-5, 1.5e-5, 2e-5, 3e-5, 4e-5, 6e-5],
};

/** The cheapest (one thread, list reused) polymorph setting with a measured error ≤ `error`. */
function atEqualError(runs: Measured[], error: number): Measured | undefined {
  return runs.filter((r) => r.error <= error).sort((a, b) => a.listSeconds - b.listSeconds)[0];
}

function main(): void {
  const lmp = lammpsExecutable();
  if (!lmp) report({ what: 'lammps', skipped: 'lmp not on PATH (apt-get install lammps): polymorph only' });
  for (const cells of [8, 12]) {
    const s = system(cells);
    setNumThreads(2);
    const exact = new Ewald({ accuracy: 1e-10 }).compute(s, { forces: true }).forces!.data;
    for (const method of ['ewald', 'pme'] as const) {
      const repeats = method === 'pme' ? 9 : cells === 8 ? 5 : 3;
      const runs = ladders[method].map((accuracy) => measure(s, method, accuracy, repeats, exact));
      if (!lmp) continue;
      const kspace = method === 'pme' ? 'pppm' : 'ewald';
      const anchors = (method === 'pme' ? [0, 1, 2] : [0]).map(() => lammps(s, lmp, kspace, exact)).filter((r) => r !== undefined);
      if (anchors.length === 0) continue;
      const anchor = { seconds: median(anchors.map((r) => r.seconds)), error: Math.max(...anchors.map((r) => r.error)) };
      const match = atEqualError(runs, anchor.error);
      report({
        what: `${method} vs lammps ${kspace} at equal measured error`, atoms: s.length, lammps_rms_force_error: anchor.error,
        lammps_s: anchor.seconds, polymorph_accuracy: match?.accuracy ?? null, polymorph_rms_force_error: match?.error ?? null,
        polymorph_s: match?.listSeconds ?? null, ratio: match ? match.listSeconds / anchor.seconds : null,
        ratio_fresh_list: match ? match.freshSeconds / anchor.seconds : null, target: method === 'pme' ? 0.7 : 0.5,
      });
    }
    report({ what: 'load average', loadavg: os.loadavg() });
  }
}

main();

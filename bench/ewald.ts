/**
 * Ewald benchmark (issue 4): prints JSON lines.
 *  - polymorph Ewald energy + forces for rattled rocksalt Na⁺Cl⁻ (a = 5.64 Å) with 4096 (8³ cells)
 *    and 13824 (12³ cells) ions at accuracy 1e-5, α re-optimised for N (the default rule), one
 *    and two threads, median of a few calls;
 *  - the same structures in LAMMPS (`lmp` on PATH; one core): `pair_style coul/long 8.0` +
 *    `kspace_style ewald 1e-5`, time per step (loop time / steps) and its Pair/Kspace split,
 *    with the energies of both programs side by side (LAMMPS' k_e = 14.399645);
 *  - polymorph smooth PME (method 'pme', default r_c 9 Å, order 6, α and grid from the error
 *    estimates), one and two threads, median of several calls, with its measured RMS force error
 *    (|ΔF_i| RMS / k_e, the accuracy metric) and energy error against a 1e-10 Ewald sum;
 *  - LAMMPS `pair_style coul/long 8.0` + `kspace_style pppm 1e-5` (order 5, ik) on the same
 *    file, time per step and its Pair/Kspace split, grid, and its force error measured the same
 *    way (forces dumped at step 0).
 * The issue's targets: Ewald ≤ 0.5× LAMMPS ewald time at 4096 ions (~244 ms/step measured);
 * PME ≤ LAMMPS pppm time at 13 824 ions at 1e-5.
 * Run: npm run bench -- ewald
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COULOMB_CONSTANT, Ewald, formatText, rattle, rocksalt, setNumThreads, Structure } from 'polymorph';
import { medianSeconds, report } from './timing';

const a = 5.64;
const accuracy = 1e-5;

function system(cells: number): Structure {
  const s = rattle(rocksalt(['Na', 'Cl'], a).repeat([cells, cells, cells]), 0.05, 11);
  return new Structure({ symbols: Array.from(s.numbers, (z) => (z === 11 ? 'Na' : 'Cl')), positions: s.positions, cell: s.cell, pbc: true, charges: Array.from(s.numbers, (z) => (z === 11 ? 1 : -1)) });
}

function measure(s: Structure, threads: number, repeats: number): void {
  setNumThreads(threads);
  const ewald = new Ewald({ accuracy });
  const r = ewald.compute(s, { forces: true });
  const seconds = medianSeconds(() => ewald.compute(s, { forces: true }), repeats, 0);
  const realOnly = new Ewald({ ...ewald.parameters(s), kmax: 1e-9 });
  const realSeconds = medianSeconds(() => realOnly.compute(s, { forces: true }), repeats, 0);
  report({
    what: 'polymorph ewald energy+forces', atoms: s.length, accuracy, threads, median_s: seconds,
    real_space_s: realSeconds, reciprocal_s: seconds - realSeconds, per_atom_us: (seconds / s.length) * 1e6,
    energy_eV: r.energy, parameters: r.parameters,
  });
}

function rmsForceError(forces: ArrayLike<number>, exact: ArrayLike<number>, ke: number): number {
  let sum = 0;
  for (let i = 0; i < exact.length; ++i) sum += (forces[i] - exact[i]) ** 2;
  return Math.sqrt(sum / (exact.length / 3)) / ke;
}

function measurePme(s: Structure, threads: number, repeats: number, exact: { energy: number; forces: Float64Array }): void {
  setNumThreads(threads);
  const pme = new Ewald({ accuracy, method: 'pme' });
  const r = pme.compute(s, { forces: true });
  const seconds = medianSeconds(() => pme.compute(s, { forces: true }), repeats, 0);
  const p = r.parameters;
  const realOnly = new Ewald({ alpha: p.alpha, cutoff: p.cutoff, kmax: 1e-9 });
  const realSeconds = medianSeconds(() => realOnly.compute(s, { forces: true }), repeats, 0);
  report({
    what: 'polymorph smooth PME energy+forces', atoms: s.length, accuracy, threads, median_s: seconds,
    real_space_s: realSeconds, mesh_s: seconds - realSeconds, per_atom_us: (seconds / s.length) * 1e6, energy_eV: r.energy,
    relative_energy_vs_ewald: (r.energy - exact.energy) / Math.abs(exact.energy),
    rms_force_error_relative: rmsForceError(r.forces!.data, exact.forces, COULOMB_CONSTANT), parameters: p,
  });
}

function lammpsExecutable(): string | undefined {
  return ['lmp', 'lmp_serial', 'lmp_stable'].find((exe) => {
    try {
      execFileSync('which', [exe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

function lammps(s: Structure, lmp: string | undefined, kspace: 'ewald' | 'pppm', exact: Float64Array): void {
  if (!lmp) {
    report({ what: `lammps ${kspace}`, atoms: s.length, skipped: 'lmp not on PATH (apt-get install lammps)' });
    return;
  }
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
    report({
      what: `lammps ${kspace} (coul/long 8.0 + kspace ${kspace})`, program: lmp, atoms: s.length, accuracy, threads: 1,
      per_step_s: Number(loop[1]) / Number(loop[2]), pair_s: part('Pair'), kspace_s: part('Kspace'),
      energy_eV: pe ? Number(pe[1]) : null, g_ewald: gewald ? Number(gewald[1]) : null, kvectors: kvec ? Number(kvec[1]) : null,
      grid: grid ? grid.slice(1).map(Number) : null, estimated_relative_force_accuracy: estimate ? Number(estimate[1]) : null,
      rms_force_error_relative: rmsForceError(forces, exact, 14.399645),
    });
  } catch (error) {
    report({ what: `lammps ${kspace}`, atoms: s.length, failed: String((error as Error).message) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const lmp = lammpsExecutable();
  for (const cells of [8, 12]) {
    const s = system(cells);
    const repeats = cells === 8 ? 5 : 3;
    measure(s, 1, repeats);
    measure(s, 2, repeats);
    setNumThreads(2);
    const reference = new Ewald({ accuracy: 1e-10 }).compute(s, { forces: true });
    const exact = { energy: reference.energy, forces: reference.forces!.data };
    measurePme(s, 1, 2 * repeats + 1, exact);
    measurePme(s, 2, 2 * repeats + 1, exact);
    lammps(s, lmp, 'ewald', exact.forces);
    lammps(s, lmp, 'pppm', exact.forces);
    for (let k = 0; k < 2; ++k) lammps(s, lmp, 'pppm', exact.forces); // repeats: the machine is shared
    report({ what: 'load average', loadavg: os.loadavg() });
  }
}

main();

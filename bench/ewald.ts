/**
 * Ewald benchmark (issue 4): prints JSON lines.
 *  - polymorph Ewald energy + forces for rattled rocksalt Na⁺Cl⁻ (a = 5.64 Å) with 4096 (8³ cells)
 *    and 13824 (12³ cells) ions at accuracy 1e-5, α re-optimised for N (the default rule), one
 *    and two threads, median of a few calls;
 *  - the same structures in LAMMPS (`lmp` on PATH; one core): `pair_style coul/long 8.0` +
 *    `kspace_style ewald 1e-5`, time per step (loop time / steps) and its Pair/Kspace split,
 *    with the energies of both programs side by side (LAMMPS' k_e = 14.399645);
 *  - polymorph smooth PME (method 'pme', default r_c 9 Å, order 6, grid from the accuracy), one
 *    thread, with its energy error against a 1e-9 Ewald sum.
 * The issue's target: Ewald ≤ 0.5× LAMMPS ewald time at 4096 ions (~244 ms/step measured).
 * Run: npm run bench -- ewald
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Ewald, formatText, rattle, rocksalt, setNumThreads, Structure } from 'polymorph';
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

function measurePme(s: Structure, threads: number, repeats: number, exact: number): void {
  setNumThreads(threads);
  const pme = new Ewald({ accuracy, method: 'pme' });
  const r = pme.compute(s, { forces: true });
  const seconds = medianSeconds(() => pme.compute(s, { forces: true }), repeats, 0);
  report({
    what: 'polymorph smooth PME energy+forces', atoms: s.length, accuracy, threads, median_s: seconds,
    per_atom_us: (seconds / s.length) * 1e6, energy_eV: r.energy, relative_energy_vs_ewald: (r.energy - exact) / exact, parameters: r.parameters,
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

function lammps(s: Structure, lmp: string | undefined): void {
  if (!lmp) {
    report({ what: 'lammps ewald', atoms: s.length, skipped: 'lmp not on PATH (apt-get install lammps)' });
    return;
  }
  const steps = 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-ewald-'));
  fs.writeFileSync(path.join(dir, 'ions.data'), formatText(s, { format: 'lammps-data' }));
  const input = [
    'units metal', 'atom_style charge', 'boundary p p p', 'read_data ions.data',
    'mass * 1.0', 'pair_style coul/long 8.0', 'pair_coeff * *', `kspace_style ewald ${accuracy}`,
    'neighbor 0.0 bin', 'thermo_style custom step pe', 'thermo 1', `run ${steps}`,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'in.ewald'), input);
  try {
    execFileSync(lmp, ['-in', 'in.ewald', '-screen', 'none', '-log', 'log.lammps'], { cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: 'ignore' });
    const log = fs.readFileSync(path.join(dir, 'log.lammps'), 'utf8');
    const loop = /Loop time of ([\d.eE+-]+) on \d+ procs for (\d+) steps/.exec(log);
    const part = (name: string): number | null => {
      const m = new RegExp(`^${name}\\s*\\|\\s*([\\d.eE+-]+)`, 'm').exec(log);
      return m ? Number(m[1]) / steps : null;
    };
    const pe = /^\s*0\s+([-\d.eE+]+)\s*$/m.exec(log);
    const gewald = /G vector \(1\/distance\)\s*=\s*([\d.eE+-]+)/.exec(log);
    const kvec = /KSpace vectors: actual max1d max3d = (\d+) (\d+) (\d+)/.exec(log);
    if (!loop) throw new Error('no loop time in log.lammps');
    report({
      what: 'lammps ewald (coul/long 8.0 + kspace ewald)', program: lmp, atoms: s.length, accuracy, threads: 1,
      per_step_s: Number(loop[1]) / Number(loop[2]), pair_s: part('Pair'), kspace_s: part('Kspace'),
      energy_eV: pe ? Number(pe[1]) : null, g_ewald: gewald ? Number(gewald[1]) : null, kvectors: kvec ? Number(kvec[1]) : null,
    });
  } catch (error) {
    report({ what: 'lammps ewald', atoms: s.length, failed: String((error as Error).message) });
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
    setNumThreads(1);
    const exact = new Ewald({ accuracy: 1e-9 }).compute(s).energy;
    measurePme(s, 1, repeats, exact);
    lammps(s, lmp);
  }
}

main();

/**
 * Molecular-dynamics benchmark (issue 10), JSON lines, side by side with LAMMPS (`lmp` on the
 * PATH; one core) when it is there:
 *  - NVE Lennard-Jones: 4 000 atoms (fcc, ρ* = 0.8442, T* = 1.5 start), r_c = 2.5σ shifted, skin
 *    0.3σ, Δt = 0.005τ, 2 000 steps: steps/s of polymorph on one and two threads (two engines
 *    advanced in alternating 100-step chunks, so that a noisy machine weighs on both alike; the
 *    median of the chunk-by-chunk ratios besides) and of LAMMPS (two runs, with polymorph on one
 *    thread alone in between; their mean against it)
 *    (`pair_style lj/cut`, `neighbor 0.3 bin`, `neigh_modify every 1 delay 0 check yes`), and the
 *    energy drift of each (ε per atom per τ, a linear fit of the total energy). polymorph runs in
 *    metal units with σ = 1 Å, ε = 1 eV, m = 1 amu (τ = 10.18 fs); LAMMPS in lj units.
 *  - A 2 000-atom rigid-ion ZnO droplet (a sphere cut from wurtzite, no cell) under NVT
 *    Nosé–Hoover at 1 fs: Buckingham 10 Å + direct Coulomb (every pair) in polymorph against
 *    LAMMPS `pair_style buck/coul/cut` with a Coulomb cutoff covering the droplet
 *    (`boundary f f f`), 300 steps each.
 *  - The same droplet under PLIP+Q: the PLIP+Q model of `compareChargeColumn` (fitted to a small
 *    rigid-ion data set: the workflow test's size, seed 1), its LinearPotential plus all-pairs
 *    Coulomb with the fitted charges √γ q₀ (a droplet has no cell), NVT at 1 fs: steps/s
 *    (MD_BENCH=plip; not in the default run: the fit takes a minute).
 *  - Energy drift of NVE rigid-ion ZnO (`zincOxideBuckingham()`'s Buckingham + PME at its accuracy,
 *    1e-6), 576-atom wurtzite from 300 K Maxwell–Boltzmann velocities, 1 fs, 20 ps:
 *    meV per atom per ns from a linear fit of the total energy (MD_BENCH=drift; not in the default run).
 * Targets: LJ one thread ≥ 1.0× LAMMPS, two threads ≥ 1.7× one; droplet ≥ 1.0× LAMMPS; drift < 1 meV/atom/ns.
 * Run: npm run bench -- md   (MD_BENCH=lj | droplet | plip | drift for one part)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  compareChargeColumn, Coulomb, Ewald, fcc, formatText, LennardJones, maxwellBoltzmann, MolecularDynamics, NoseHooverChain, setNumThreads, Structure,
  SumPotential, units, wurtzite, zincOxideBuckingham,
} from 'polymorph';
import { lammpsExecutable } from './lammps';
import { report } from './timing';

/** Slope of y against x (least squares). */
function slope(x: number[], y: number[]): number {
  const n = x.length, mx = x.reduce((a, b) => a + b) / n, my = y.reduce((a, b) => a + b) / n;
  let sxy = 0, sxx = 0;
  for (let k = 0; k < n; ++k) sxy += (x[k] - mx) * (y[k] - my), sxx += (x[k] - mx) ** 2;
  return sxy / sxx;
}

/** `mpirun` on the PATH (Open MPI), if any: LAMMPS on two processes, for its own scaling. */
function mpirunExecutable(): string | undefined {
  try {
    execFileSync('which', ['mpirun'], { stdio: 'ignore' });
    return 'mpirun';
  } catch {
    return undefined;
  }
}

/** Runs LAMMPS on `input` in a scratch folder (with `files`), returns its log; `processes` > 1 under mpirun. */
function runLammps(lmp: string, input: string, files: Record<string, string> = {}, processes = 1): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-md-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, 'in.md'), input);
    try {
      const args = ['-in', 'in.md', '-screen', 'none', '-log', 'log.lammps'];
      const env = { ...process.env, OMP_NUM_THREADS: '1', OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' };
      if (processes > 1) execFileSync('mpirun', ['-np', String(processes), lmp, ...args], { cwd: dir, env, stdio: 'ignore' });
      else execFileSync(lmp, args, { cwd: dir, env, stdio: 'ignore' });
    } catch (error) {
      const log = fs.existsSync(path.join(dir, 'log.lammps')) ? fs.readFileSync(path.join(dir, 'log.lammps'), 'utf8') : '';
      throw new Error(`LAMMPS failed: ${log.split('\n').filter((l) => /ERROR/.test(l)).join('; ') || (error as Error).message}`);
    }
    return fs.readFileSync(path.join(dir, 'log.lammps'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function loopOf(log: string): { seconds: number; steps: number } {
  const loop = /Loop time of ([\d.eE+-]+) on \d+ procs for (\d+) steps/.exec(log);
  if (!loop) throw new Error('no loop time in log.lammps');
  return { seconds: Number(loop[1]), steps: Number(loop[2]) };
}

/** Thermo rows "step value…" after the header line starting with "Step". */
function thermoRows(log: string): number[][] {
  const lines = log.split('\n');
  const start = lines.findIndex((l) => /^\s*Step\s/.test(l));
  const rows: number[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s*\d/.test(line)) break;
    rows.push(line.trim().split(/\s+/).map(Number));
  }
  return rows;
}

const ljSteps = 2000;

async function lennardJonesAsync(lmp: string | undefined): Promise<void> {
  const tau = Math.sqrt(1 / 9.648533212e-3);  // fs, for σ = 1 Å, ε = 1 eV, m = 1 amu
  const a = Math.cbrt(4 / 0.8442);
  const lattice = fcc('Ar', a).repeat([10, 10, 10]);
  const s = maxwellBoltzmann(new Structure({ numbers: lattice.numbers, positions: lattice.positions, cell: lattice.cell, pbc: true, masses: new Float64Array(lattice.length).fill(1) }),
    { temperature: 1.5 / units.boltzmann, seed: 87287 });
  const potential = new LennardJones({ epsilon: 1, sigma: 1, cutoff: 2.5, shift: true });
  const lammpsInput = [
    'units lj', 'atom_style atomic', 'lattice fcc 0.8442', 'region box block 0 10 0 10 0 10', 'create_box 1 box',
    'create_atoms 1 box', 'mass 1 1.0', 'velocity all create 1.5 87287 loop geom', 'pair_style lj/cut 2.5',
    'pair_coeff 1 1 1.0 1.0 2.5', 'pair_modify shift yes', 'neighbor 0.3 bin', 'neigh_modify every 1 delay 0 check yes',
    'fix 1 all nve', 'timestep 0.005', 'thermo_style custom step temp pe etotal', 'thermo 100', `run ${ljSteps}`,
  ].join('\n');
  // LAMMPS before and after polymorph, its mean rate against polymorph's in between; on two
  // processes too when mpirun is there (its own scaling on this machine, for context).
  const mpirun = mpirunExecutable();
  const lammpsRuns: { rate: number; drift: number }[] = [];
  const lammpsPairs: number[] = [];
  const lammps = (): void => {
    if (!lmp) return;
    const log = runLammps(lmp, lammpsInput);
    const loop = loopOf(log);
    const rows = thermoRows(log);
    // etotal is per atom in lj units
    lammpsRuns.push({ rate: loop.steps / loop.seconds, drift: slope(rows.map((r) => r[0] * 0.005), rows.map((r) => r[3])) });
    if (!mpirun) return;
    try {
      const two = loopOf(runLammps(lmp, lammpsInput, {}, 2));
      lammpsPairs.push((two.steps / two.seconds) / (loop.steps / loop.seconds));
    } catch {
      // an mpirun that cannot start two processes here: no scaling figure
    }
  };
  // One thread on its own between two LAMMPS runs (as LAMMPS runs: alone), against their mean.
  lammps();
  setNumThreads(1);
  const solo = new MolecularDynamics(s, potential, { timestep: 0.005 * tau, neighborSkin: 0.3 });
  const soloStart = process.hrtime.bigint();
  await solo.run(ljSteps, { every: ljSteps });
  const soloRate = ljSteps / (Number(process.hrtime.bigint() - soloStart) / 1e9);
  report({ what: 'md lj nve polymorph, alone between the LAMMPS runs', atoms: s.length, steps: ljSteps, threads: 1, steps_per_s: soloRate });
  lammps();
  // One and two threads side by side: two engines from the same start advance in alternating
  // chunks of 100 steps (the machine's load then weighs on both alike); each engine's rate is
  // its steps over its own time.
  const engines = [1, 2].map((threads) => ({
    threads, sim: new MolecularDynamics(s, potential, { timestep: 0.005 * tau, neighborSkin: 0.3 }),
    seconds: 0, times: [] as number[], energies: [] as number[], chunks: [] as number[], last: undefined as undefined | { rebuilds: number; temperature: number },
  }));
  const chunk = 100;
  for (let done = 0; done < ljSteps; done += chunk) {
    for (const e of engines) {
      setNumThreads(e.threads);
      const t0 = process.hrtime.bigint();
      e.last = await e.sim.run(chunk, { every: chunk, onStep: (t) => { e.times.push(t.time / tau); e.energies.push(t.totalEnergy); } });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      e.seconds += seconds;
      e.chunks.push(seconds);
    }
  }
  setNumThreads(0);
  const rates: Record<number, number> = {};
  for (const e of engines) {
    rates[e.threads] = ljSteps / e.seconds;
    report({
      what: 'md lj nve polymorph', atoms: s.length, steps: ljSteps, threads: e.threads, steps_per_s: rates[e.threads], rebuilds: e.last?.rebuilds,
      drift_eps_per_atom_per_tau: slope(e.times, e.energies) / s.length, temperature_reduced: (e.last?.temperature ?? NaN) * units.boltzmann,
    });
  }
  const chunkRatios = engines[0].chunks.map((t, k) => t / engines[1].chunks[k]).sort((x, y) => x - y);
  report({
    what: 'md lj two threads over one', ratio: rates[2] / rates[1], median_chunk_ratio: chunkRatios[Math.floor(chunkRatios.length / 2)],
    chunks: chunkRatios.length, target: 1.7,
  });
  if (!lmp) {
    report({ what: 'md lj nve lammps', skipped: 'lmp not on PATH (apt-get install lammps)' });
    return;
  }
  const lammpsRate = lammpsRuns.reduce((sum, r) => sum + r.rate, 0) / lammpsRuns.length;
  report({
    what: 'md lj nve lammps (lj/cut)', program: lmp, atoms: 4000, steps: ljSteps, threads: 1, steps_per_s: lammpsRate,
    runs: lammpsRuns.map((r) => r.rate), drift_eps_per_atom_per_tau: lammpsRuns[0].drift,
  });
  if (lammpsPairs.length > 0) report({ what: 'md lj lammps two processes over one (mpirun -np 2, for context)', ratios: lammpsPairs });
  report({ what: 'md lj one thread vs lammps', ratio: soloRate / lammpsRate, target: 1.0 });
}

/** A ZnO droplet of `atoms` atoms cut from wurtzite (the atoms/2 Zn and O nearest the centre), centred at the origin. */
function droplet(atoms: number): Structure {
  const crystal = wurtzite().repeat([14, 14, 9]);
  const p = crystal.positions;
  const centre = [0, 1, 2].map((k) => { let s = 0; for (let i = 0; i < crystal.length; ++i) s += p.get(i, k); return s / crystal.length; });
  const order = Array.from({ length: crystal.length }, (_, i) => i)
    .map((i) => ({ i, r: Math.hypot(p.get(i, 0) - centre[0], p.get(i, 1) - centre[1], p.get(i, 2) - centre[2]) }))
    .sort((x, y) => x.r - y.r);
  const zinc = order.filter((e) => crystal.numbers[e.i] === 30).slice(0, atoms / 2).map((e) => e.i);
  const oxygen = order.filter((e) => crystal.numbers[e.i] === 8).slice(0, atoms / 2).map((e) => e.i);
  const picked = [...zinc, ...oxygen].sort((x, y) => x - y);
  const cut = crystal.select(picked);
  const positions = Array.from({ length: cut.length }, (_, i) => [0, 1, 2].map((k) => cut.positions.get(i, k) - centre[k]));
  return new Structure({ numbers: cut.numbers, positions, charges: Array.from(cut.numbers, (z) => (z === 30 ? 2 : -2)) });
}

async function zincOxideDroplet(lmp: string | undefined): Promise<void> {
  const steps = 300;
  const s = maxwellBoltzmann(droplet(2000), { temperature: 1000, seed: 3 });
  const { buckingham } = zincOxideBuckingham();
  const potential = new SumPotential([buckingham, new Coulomb()]);
  setNumThreads(1);
  const sim = new MolecularDynamics(s, potential, { timestep: 1, integrator: new NoseHooverChain({ temperature: 1000, relaxation: 100 }) });
  const initialEnergy = sim.thermo.potentialEnergy;
  const t0 = process.hrtime.bigint();
  await sim.run(steps, { every: steps });
  const rate = steps / (Number(process.hrtime.bigint() - t0) / 1e9);
  report({ what: 'md zno droplet nvt polymorph (Buckingham 10 Å + direct Coulomb)', atoms: s.length, steps, threads: 1, steps_per_s: rate });
  if (!lmp) {
    report({ what: 'md zno droplet lammps', skipped: 'lmp not on PATH' });
    return;
  }
  // LAMMPS: the same atoms in a box with margins, fixed boundaries, a Coulomb cutoff over the droplet.
  let extent = 0;
  for (const x of s.positions.data) extent = Math.max(extent, Math.abs(x));
  const box = new Structure({ numbers: s.numbers, positions: s.positions, charges: s.charges!, cell: [[4 * extent + 20, 0, 0], [0, 4 * extent + 20, 0], [0, 0, 4 * extent + 20]], pbc: false });
  const shifted = box.clone();
  for (let k = 0; k < shifted.positions.data.length; ++k) shifted.positions.data[k] += 2 * extent + 10;
  const coulombCutoff = (2 * extent + 5).toFixed(1);
  const log = runLammps(lmp, [
    'units metal', 'atom_style charge', 'boundary f f f', 'read_data droplet.data', 'mass 1 65.38', 'mass 2 15.999',
    // per-pair cutoffs: Buckingham 10 Å, Coulomb over the droplet (one cutoff given would set both)
    `pair_style buck/coul/cut 10.0 ${coulombCutoff}`, `pair_coeff 1 1 0.0 1.0 0.0 10.0 ${coulombCutoff}`,
    `pair_coeff 1 2 529.70 0.3581 0.0 10.0 ${coulombCutoff}`, `pair_coeff 2 2 9547.96 0.21916 32.0 10.0 ${coulombCutoff}`,
    'thermo_style custom step pe',
    'neighbor 1.0 bin', 'velocity all create 1000 3 mom yes rot yes', 'fix 1 all nvt temp 1000 1000 0.1', 'timestep 0.001',
    'thermo 100', `run ${steps}`,
  ].join('\n'), { 'droplet.data': formatText(shifted, { format: 'lammps-data', types: ['Zn', 'O'] }) });
  const loop = loopOf(log);
  report({
    what: 'md zno droplet nvt lammps (buck/coul/cut over the droplet)', program: lmp, atoms: s.length, steps: loop.steps, threads: 1,
    steps_per_s: loop.steps / loop.seconds, initial_energy_eV: thermoRows(log)[0][1], polymorph_initial_energy_eV: initialEnergy,
  });
  report({ what: 'md zno droplet vs lammps', ratio: rate / (loop.steps / loop.seconds), target: 1.0 });
}

async function zincOxideDrift(): Promise<void> {
  const steps = Number(process.env.DRIFT_STEPS ?? 20000);
  const s = maxwellBoltzmann(wurtzite().repeat([6, 6, 4]), { temperature: 300, seed: 2 });
  const { buckingham } = zincOxideBuckingham();
  const potential = new SumPotential([buckingham, new Ewald({ charges: { Zn: 2, O: -2 }, method: 'pme', accuracy: 1e-6 })]);
  setNumThreads(2);
  const sim = new MolecularDynamics(s, potential, { timestep: 1 });
  const times: number[] = [], energies: number[] = [];
  const t0 = process.hrtime.bigint();
  await sim.run(steps, { every: 100, onStep: (t) => { times.push(t.time / 1e6); energies.push(t.totalEnergy); } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const slopeEvPerNs = slope(times, energies);
  let fluctuation = 0;
  for (const e of energies) fluctuation = Math.max(fluctuation, Math.abs(e - energies[0]));
  report({
    what: 'md zno nve drift (Buckingham + PME 1e-6)', atoms: s.length, steps, timestep_fs: 1, threads: 2, steps_per_s: steps / seconds,
    drift_meV_per_atom_per_ns: (1000 * slopeEvPerNs) / s.length, max_energy_excursion_meV_per_atom: (1000 * fluctuation) / s.length, target: 1,
  });
}

async function plipDroplet(): Promise<void> {
  const steps = 200;
  const study = compareChargeColumn({ dataset: { seed: 1, bulkCount: 6, slabCount: 4, liquidCount: 6 }, validation: 0.25, seed: 1, cv: 5 });
  const fitted = study.plipQ.potential;
  const charges = study.electrostatics.charges;
  if (!(fitted instanceof SumPotential) || !charges) {
    report({ what: 'md zno droplet plip+q', skipped: 'the fit dropped the charge column (γ = 0)' });
    return;
  }
  const linear = fitted.terms[0].potential;
  const potential = new SumPotential([linear, new Coulomb({ charges })]);
  const s = maxwellBoltzmann(droplet(2000), { temperature: 1000, seed: 3 });
  const plain = new Structure({ numbers: s.numbers, positions: s.positions, velocities: s.velocities });  // charges from the model
  setNumThreads(1);
  const sim = new MolecularDynamics(plain, potential, { timestep: 1, integrator: new NoseHooverChain({ temperature: 1000, relaxation: 100 }) });
  const t0 = process.hrtime.bigint();
  await sim.run(steps, { every: steps });
  const rate = steps / (Number(process.hrtime.bigint() - t0) / 1e9);
  report({ what: 'md zno droplet nvt polymorph (PLIP+Q: LinearPotential + direct Coulomb)', atoms: s.length, steps, threads: 1, steps_per_s: rate, charges });
}

async function main(): Promise<void> {
  const lmp = lammpsExecutable();
  const only = process.env.MD_BENCH;  // 'lj', 'droplet', 'plip' or 'drift' to run one part
  if (only === 'drift') return zincOxideDrift();
  if (only === 'plip') return plipDroplet();
  if (only !== 'droplet') await lennardJonesAsync(lmp);
  if (only !== 'lj') await zincOxideDroplet(lmp);
  report({ what: 'load average', loadavg: os.loadavg() });
}

void main();

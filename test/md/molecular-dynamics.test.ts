/**
 * MolecularDynamics from TypeScript: the native loop and the one-call-per-step path for a
 * TypeScript potential follow the same trajectory; runs report records, ramps, cancel and
 * refuse overlapping calls; groups, frozen atoms and degrees of freedom; open boundaries;
 * seeded stochastic thermostats; Maxwell–Boltzmann velocities; bad options. (The physics of the
 * integrators — energy conservation, canonical moments, equipartition per group — is tested on
 * the C++ core in native/tests/test_md.cpp.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import {
  Buckingham, Coulomb, Csvr, EvaporationGuard, fcc, Langevin, NptMtk, LennardJones, maxwellBoltzmann, MolecularDynamics, NoseHooverChain,
  readAll, Structure, SumPotential, ThermoWriter, TrajectoryWriter, VelocityVerlet, units,
} from '../../lib';
import type { ComputeRequest, Potential, Results } from '../../lib';
import { errorCode, errorCodeAsync } from '../helpers';

const argon = (): LennardJones => new LennardJones({ epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true });
const crystal = (temperature = 100, seed = 1): Structure => maxwellBoltzmann(fcc('Ar', 5.26).repeat([3, 3, 3]), { temperature, seed });

/** The same Lennard-Jones, seen by the engine as a potential it cannot call natively. */
class Wrapped implements Potential {
  readonly cutoff: number;
  constructor(private readonly inner: LennardJones) {
    this.cutoff = inner.cutoff;
  }
  compute(s: Structure, want?: ComputeRequest): Results {
    return this.inner.compute(s, want);
  }
  computeAsync(s: Structure, want?: ComputeRequest): Promise<Results> {
    return this.inner.computeAsync(s, want);
  }
}

describe('MolecularDynamics', () => {
  it('a TypeScript potential (one call per step) follows the native trajectory', async () => {
    for (const integrator of [new VelocityVerlet(), new NoseHooverChain({ temperature: 150, relaxation: 50 })]) {
      const native = new MolecularDynamics(crystal(), argon(), { timestep: 5, integrator });
      const outside = new MolecularDynamics(crystal(), new Wrapped(argon()), { timestep: 5, integrator });
      expect(native.runsNatively).toBe(true);
      expect(outside.runsNatively).toBe(false);
      await native.run(60, { every: 20 });
      await outside.run(40, { every: 20 });
      for (let k = 0; k < 20; ++k) outside.step();
      const a = native.structure.positions.data, b = outside.structure.positions.data;
      let worst = 0;
      for (let k = 0; k < a.length; ++k) worst = Math.max(worst, Math.abs(a[k] - b[k]));
      expect(worst).toBeLessThan(1e-10);
      expect(Math.abs(native.thermo.conserved - outside.thermo.conserved)).toBeLessThan(1e-10);
      expect(Math.abs(native.thermo.pressure! - outside.thermo.pressure!)).toBeLessThan(1e-6 * Math.abs(native.thermo.pressure!));
    }
  });

  it('run() reports every `every` steps, ramps its targets over the run, and returns the last record', async () => {
    const sim = new MolecularDynamics(crystal(20), argon(), { timestep: 5, integrator: new Langevin({ temperature: [20, 60], relaxation: 50, seed: 3 }) });
    const steps: number[] = [];
    const temperatures: number[] = [];
    const last = await sim.run(2000, { every: 100, onStep: (t) => { steps.push(t.step); temperatures.push(t.temperature); } });
    expect(steps).toEqual(Array.from({ length: 20 }, (_, k) => 100 * (k + 1)));
    expect(last.step).toBe(2000);
    expect(last.time).toBeCloseTo(10000, 9);
    const early = temperatures.slice(0, 4).reduce((a, b) => a + b) / 4, late = temperatures.slice(-4).reduce((a, b) => a + b) / 4;
    expect(early).toBeLessThan(40);
    expect(late).toBeGreaterThan(45);
  });

  it('an AbortSignal cancels between records (E_CANCELLED); no call overlaps a run', async () => {
    const sim = new MolecularDynamics(crystal(), argon(), { timestep: 5 });
    const controller = new AbortController();
    const running = sim.run(1000, { every: 10, onStep: (t) => { if (t.step === 30) controller.abort(); }, signal: controller.signal });
    expect(errorCode(() => sim.step())).toBe('E_VALUE');  // a run is in progress
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(sim.thermo.step).toBe(30);
    sim.step();
    expect(sim.thermo.step).toBe(31);
  });

  it('frozen groups do not move and leave the degrees of freedom; each group reports its own temperature', async () => {
    const s = crystal(80);
    const bottom = (x: Structure, i: number): boolean => x.positions.get(i, 2) < 4;
    const sim = new MolecularDynamics(s, argon(), {
      timestep: 5, groups: { bottom, top: (x, i) => !bottom(x, i) }, frozen: 'bottom', removeCenterOfMass: true,
      thermostats: { top: new Csvr({ temperature: 80, seed: 1 }) },
    });
    const frozen = sim.groups.bottom;
    expect(frozen.length).toBeGreaterThan(0);
    await sim.run(200);
    const t = sim.thermo;
    const moving = s.length - frozen.length;
    expect(t.dof).toBe(3 * moving - 3);
    expect(t.groups.top.dof).toBe(3 * moving - 3);
    expect(t.groups.bottom.dof).toBe(0);
    expect(t.groups.bottom.temperature).toBeNull();
    expect(t.groups.top.temperature).toBeGreaterThan(0);
    const p = sim.structure.positions;
    for (const i of frozen) for (let k = 0; k < 3; ++k) expect(p.get(i, k)).toBe(s.positions.get(i, k));
    expect(sim.structure.velocities!.get(frozen[0], 0)).toBe(0);
  });

  it('runs an open cluster (no cell): Buckingham + direct Coulomb, no pressure', async () => {
    const cluster = new Structure({
      symbols: ['Zn', 'O', 'Zn', 'O'], positions: [[0, 0, 0], [1.95, 0, 0], [1.95, 1.95, 0], [0, 1.95, 0]],
      charges: [2, -2, 2, -2],
    });
    const buckingham = new Buckingham({ pairs: { 'Zn-O': { A: 529.7, rho: 0.3581, C: 0 }, 'O-O': { A: 9547.96, rho: 0.21916, C: 32 } }, cutoff: 10 });
    const potential = new SumPotential([buckingham, new Coulomb()]);
    const sim = new MolecularDynamics(maxwellBoltzmann(cluster, { temperature: 300, seed: 2 }), potential, { timestep: 1 });
    const c0 = sim.thermo.totalEnergy;
    const t = await sim.run(500, { every: 500 });
    expect(t.pressure).toBeNull();
    expect(t.volume).toBeNull();
    expect(t.stress).toBeNull();
    expect(Math.abs(t.totalEnergy - c0)).toBeLessThan(2e-3);
  });

  it('stochastic thermostats repeat with their seed and differ between seeds; CSVR starts from rest', async () => {
    const positions = async (seed: number): Promise<Float64Array> => {
      const sim = new MolecularDynamics(crystal(), argon(), { timestep: 5, integrator: new Langevin({ temperature: 100, seed }) });
      await sim.run(50);
      return sim.structure.positions.data as Float64Array;
    };
    expect(await positions(1)).toEqual(await positions(1));
    expect(await positions(1)).not.toEqual(await positions(2));
    const rest = fcc('Ar', 5.26).repeat([3, 3, 3]);
    const sim = new MolecularDynamics(rest, argon(), { timestep: 5, integrator: new Csvr({ temperature: 60, relaxation: 20, seed: 4 }) });
    expect(sim.thermo.temperature).toBe(0);
    const t = await sim.run(200);
    expect(t.temperature).toBeGreaterThan(20);
  });

  it('a checkpoint file restarts the identical trajectory (bitwise), thermostats and groups included', async () => {
    const options = () => ({
      timestep: 5, neighborSkin: 0.3, groups: { a: (_: Structure, i: number) => i % 2 === 0, b: (_: Structure, i: number) => i % 2 === 1 },
      thermostats: { a: new Langevin({ temperature: [100, 140], seed: 9 }), b: new NoseHooverChain({ temperature: 120 }) },
    });
    const straight = new MolecularDynamics(crystal(), argon(), options());
    await straight.run(100, { every: 25 });
    const first = new MolecularDynamics(crystal(), argon(), options());
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pm-md-')), 'run.checkpoint.json');
    await first.run(50, { every: 25, onStep: (t, sim) => { if (t.step === 50) sim.saveCheckpoint(file); } });
    const resumed = MolecularDynamics.restore(file, argon());
    expect(resumed.thermo.step).toBe(50);
    await resumed.run(50, { every: 25 });
    // Ramps span each run: compare with a straight run split the same way (50 + 50 steps).
    const split = new MolecularDynamics(crystal(), argon(), options());
    await split.run(50, { every: 25 });
    await split.run(50, { every: 25 });
    expect(resumed.structure.positions.data).toEqual(split.structure.positions.data);
    expect(resumed.structure.velocities!.data).toEqual(split.structure.velocities!.data);
    expect(resumed.thermo.conserved).toBe(split.thermo.conserved);
    expect(split.structure.positions.data).not.toEqual(straight.structure.positions.data);  // the ramp split differently
    // A checkpoint taken in the middle of a run, resumed: the ramp keeps its place, as if never interrupted.
    const middle = new MolecularDynamics(crystal(), argon(), options());
    let saved: ReturnType<MolecularDynamics['checkpoint']> | null = null;
    await middle.run(100, { every: 25, onStep: (t, sim) => { if (t.step === 50) saved = sim.checkpoint(); } });
    const continued = MolecularDynamics.restore(saved!, argon());
    await continued.run(50, { every: 25, resume: true });
    expect(continued.structure.positions.data).toEqual(straight.structure.positions.data);
    expect(continued.structure.velocities!.data).toEqual(straight.structure.velocities!.data);
    expect(continued.thermo.conserved).toBe(straight.thermo.conserved);
    expect(await errorCodeAsync(straight.run(10, { resume: true }))).toBe('E_VALUE');
    expect(errorCode(() => MolecularDynamics.restore(path.join(path.dirname(file), 'missing.json'), argon()))).toBe('E_IO');
    fs.writeFileSync(file, '{"format":"something else"}');
    expect(errorCode(() => MolecularDynamics.restore(file, argon()))).toBe('E_VALUE');
  });

  it('observers: trajectory and thermo files every n steps (readable after a cancelled run), an evaporation guard', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-md-observers-'));
    const sim = new MolecularDynamics(crystal(), argon(), { timestep: 5 });
    const seen: number[] = [];
    sim.attach(new TrajectoryWriter(path.join(dir, 'run.xyz'), { flush: 2 }), 20)
      .attach(new ThermoWriter(path.join(dir, 'thermo.csv')), 20)
      .attach(new ThermoWriter(path.join(dir, 'thermo.jsonl')), 50)
      .attach((t) => { seen.push(t.step); }, 30);
    await sim.run(100, { every: 100 });
    const frames = readAll(path.join(dir, 'run.xyz'));
    expect(frames.length).toBe(6);  // steps 0, 20, …, 100
    expect(frames[5].positions.data).toEqual(sim.structure.positions.data);
    expect(frames[5].velocities!.data).toEqual(sim.structure.velocities!.data);
    const csv = fs.readFileSync(path.join(dir, 'thermo.csv'), 'utf8').trim().split('\n');
    expect(csv[0].split(',').slice(0, 3)).toEqual(['step', 'time', 'temperature']);
    expect(csv.length).toBe(7);
    expect(Number(csv[6].split(',')[0])).toBe(100);
    const lines = fs.readFileSync(path.join(dir, 'thermo.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([0, 50, 100]);
    expect(seen).toEqual([0, 30, 60, 90]);
    // Cancelled half way: the frames written so far (flushed at the end) are all there.
    const controller = new AbortController();
    sim.attach(new TrajectoryWriter(path.join(dir, 'cut.xyz'), { flush: 1000 }), 10);
    await expect(sim.run(100, { every: 10, signal: controller.signal, onStep: (t) => { if (t.step === 140) controller.abort(); } }))
      .rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(readAll(path.join(dir, 'cut.xyz')).length).toBe(4);  // steps 110, 120, 130, 140: cancelled before 150
    // Evaporation: every atom is outside a tiny sphere; none is outside a large one.
    const tight = new EvaporationGuard({ radius: 1, onEscape: () => undefined }), loose = new EvaporationGuard({ radius: 1000 });
    const droplet = new MolecularDynamics(crystal(), argon(), { timestep: 5 }).attach(tight, 5).attach(loose, 5);
    await droplet.run(10);
    expect(tight.escaped.length).toBe(108);
    expect(loose.escaped).toEqual([]);
  });

  it('pressure and stress: the virial part is −dE/dV of a uniform scaling, the kinetic part N k_B T / V', () => {
    const still = fcc('Ar', 5.3).repeat([3, 3, 3]);  // no velocities
    const sim = new MolecularDynamics(still, argon(), { timestep: 1 });
    const t = sim.thermo;
    const h = 1e-5;
    const energyAt = (scale: number): number => {
      const s = still.clone();
      s.positions.data.forEach((x, k) => (s.positions.data[k] = x * scale));
      s.cell!.data.forEach((x, k) => (s.cell!.data[k] = x * scale));
      return argon().compute(s).energy;
    };
    const volume = t.volume!;
    const dEdV = (energyAt(1 + h) - energyAt(1 - h)) / (volume * ((1 + h) ** 3 - (1 - h) ** 3));
    const bar = 1.602176634e6;  // bar per eV/Å³
    expect(Math.abs(t.pressure! - -dEdV * bar)).toBeLessThan(1e-6 * Math.abs(dEdV * bar));
    // Moving atoms add the ideal-gas part 2K/(3V) (= N_dof k_B T / (3V)).
    const hot = new MolecularDynamics(maxwellBoltzmann(still, { temperature: 300, seed: 1, zeroMomentum: false }), argon(), { timestep: 1 }).thermo;
    expect(hot.pressure! - t.pressure!).toBeCloseTo(((2 * hot.kineticEnergy) / (3 * volume)) * bar, 6);
  });

  it('NptMtk: the cell scales isotropically toward the target pressure; TypeScript potentials and checkpoints follow', async () => {
    const start = crystal(120);
    const integrator = (): NptMtk => new NptMtk({ temperature: 120, pressure: 300, barostatRelaxation: 500 });
    const sim = new MolecularDynamics(start, argon(), { timestep: 5, integrator: integrator() });
    const v0 = sim.thermo.volume!, p0 = sim.thermo.pressure!;
    await sim.run(400, { every: 100 });
    const s = sim.structure;
    // The cell moves toward the target: it grows when the pressure starts above it, shrinks below.
    expect(Math.abs(sim.thermo.volume! - v0)).toBeGreaterThan(0.01 * v0);
    expect((sim.thermo.volume! - v0) * (p0 - 300)).toBeGreaterThan(0);
    const ratio = s.cell!.get(0, 0) / start.cell!.get(0, 0);
    expect(s.cell!.get(1, 1) / start.cell!.get(1, 1)).toBeCloseTo(ratio, 12);  // isotropic
    expect(s.cell!.get(0, 1)).toBe(0);
    const outside = new MolecularDynamics(start, new Wrapped(argon()), { timestep: 5, integrator: integrator() });
    await outside.run(400, { every: 100 });
    expect(Math.abs(outside.thermo.volume! - sim.thermo.volume!)).toBeLessThan(1e-8 * v0);
    const again = MolecularDynamics.restore(sim.checkpoint(), argon());
    expect(again.thermo.volume).toBe(sim.thermo.volume);
    expect(errorCode(() => new NptMtk({ pressure: 1, cell: 'monoclinic' as never }))).toBe('E_VALUE');
    const tri = new MolecularDynamics(start, argon(), { timestep: 5, integrator: new NptMtk({ temperature: 120, pressure: 300, cell: 'triclinic' }) });
    await tri.run(100);
    expect(tri.thermo.volume).not.toBe(v0);
    const aniso = new MolecularDynamics(start, argon(), { timestep: 5, integrator: new NptMtk({ temperature: 120, pressure: 300, cell: 'anisotropic' }) });
    await aniso.run(200);
    const c = aniso.structure.cell!;
    expect(c.get(0, 0) / start.cell!.get(0, 0)).not.toBeCloseTo(c.get(1, 1) / start.cell!.get(1, 1), 6);  // axes on their own
    expect(MolecularDynamics.restore(aniso.checkpoint(), argon()).structure.cell!.data).toEqual(c.data);
    expect(errorCode(() => new MolecularDynamics(start, argon(), { timestep: 5, integrator: integrator(), groups: { g: [0] }, frozen: 'g' }))).toBe('E_VALUE');
  });

  it('maxwellBoltzmann: temperature within its statistical spread, zero momentum, seeded, for chosen atoms', () => {
    const s = fcc('Ar', 5.26).repeat([8, 8, 8]);  // 2 048 atoms
    const hot = maxwellBoltzmann(s, { temperature: 300, seed: 5 });
    const v = hot.velocities!.data;
    let twiceKinetic = 0;
    const p = [0, 0, 0];
    for (let i = 0; i < s.length; ++i) {
      for (let k = 0; k < 3; ++k) {
        twiceKinetic += s.masses[i] * v[3 * i + k] ** 2 * units.amuA2PerFs2InEv;
        p[k] += s.masses[i] * v[3 * i + k];
      }
    }
    const dof = 3 * s.length - 3;
    const temperature = twiceKinetic / (dof * units.boltzmann);
    expect(Math.abs(temperature - 300)).toBeLessThan(4 * 300 * Math.sqrt(2 / dof));  // 4σ of a χ² sample
    for (const x of p) expect(Math.abs(x)).toBeLessThan(1e-9);
    expect(maxwellBoltzmann(s, { temperature: 300, seed: 5 }).velocities!.data).toEqual(v);
    expect(s.velocities).toBeNull();  // the input is left alone
    const some = maxwellBoltzmann(s, { temperature: 300, atoms: [0, 1, 2] });
    expect(some.velocities!.get(3, 0)).toBe(0);
    expect(some.velocities!.get(0, 0)).not.toBe(0);
  });

  it('bad options and setups are typed errors', async () => {
    const s = crystal();
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: NaN }))).toBe('E_VALUE');
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: 1, timeStep: 2 } as never))).toBe('E_VALUE');
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: 1, frozen: 'nope' }))).toBe('E_VALUE');
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: 1, groups: { g: [0, 5000] } }))).toBe('E_VALUE');
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: 1, groups: { all: [0] } }))).toBe('E_VALUE');
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: 1, groups: { g: [0, 1] }, frozen: 'g', thermostats: { g: new Langevin({ temperature: 1 }) } }))).toBe('E_VALUE');
    expect(errorCode(() => new MolecularDynamics(s, argon(), { timestep: 1, groups: { a: [0, 1], b: [1, 2] }, thermostats: { a: new Langevin({ temperature: 1 }), b: new Csvr({ temperature: 1 }) } }))).toBe('E_VALUE');
    expect(errorCode(() => new NoseHooverChain({ temperature: -5 }))).toBe('E_VALUE');
    expect(errorCode(() => new NoseHooverChain({ temperature: 300, chain: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => new Langevin({ temperature: 300, seed: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => new Langevin({ temperature: 300, tau: 5 } as never))).toBe('E_VALUE');
    const sim = new MolecularDynamics(s, argon(), { timestep: 1 });
    await expect(sim.run(1.5)).rejects.toMatchObject({ code: 'E_VALUE' });
  });
});

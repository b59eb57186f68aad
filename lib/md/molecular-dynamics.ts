/**
 * The molecular-dynamics engine: velocity Verlet with thermostats per atom group, frozen groups,
 * ramps and a shared Verlet list, run in C++ (`native/core/md.hpp`) for native potentials and
 * their sums, with no JavaScript between steps. A potential written in TypeScript also works: the
 * engine then asks it for forces once per step (slower, documented).
 * @module
 */
import * as fs from 'fs';
import { inspect } from 'util';
import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import { flatFloat64 } from '../core/arrays';
import { writeFileAtomic } from '../core/atomic-write';
import { PolymorphError } from '../core/errors';
import { summary } from '../core/inspect';
import { callNative } from '../core/native';
import type { NativeGroupThermo, NativeMd, NativeMdThermostat, NativeThermo } from '../core/native-types';
import { checkOptions } from '../core/options';
import { callNativeQueued } from '../core/threads';
import { isNativePotential } from '../potentials/native-potential';
import type { Potential } from '../potentials/potential';
import { Structure } from '../structure/structure';
import type { StructureJSON } from '../structure/structure';
import { groupIndices } from './groups';
import type { GroupSpec } from './groups';
import type { Observer } from './observers';
import { integratorFromJSON, NptMtk, Thermostat, VelocityVerlet } from './thermostats';
import type { IntegratorJSON } from './thermostats';

/** Options of {@link MolecularDynamics}. */
export interface MolecularDynamicsOptions {
  /** Timestep (fs). */
  timestep: number;
  /**
   * `new VelocityVerlet()` (NVE, the default) or a thermostat for every moving atom that has no
   * thermostat of its own in `thermostats`.
   */
  integrator?: VelocityVerlet | Thermostat | NptMtk;
  /** Named atom groups (indices, masks or predicates); `all` is predefined. */
  groups?: Record<string, GroupSpec>;
  /** A thermostat per group name, e.g. `{ seed: new NoseHooverChain(…), liquid: new Langevin(…) }`. */
  thermostats?: Record<string, Thermostat>;
  /** Groups whose atoms do not move (zero velocity and force, no degrees of freedom). */
  frozen?: string | readonly string[];
  /** Verlet-list skin (Å); the list is rebuilt when an atom has moved skin/2. Default 1 Å. */
  neighborSkin?: number;
  /** Remove the centre-of-mass motion of the moving atoms every step (−3 degrees of freedom). Default false. */
  removeCenterOfMass?: boolean;
}

/** Temperature (K, null without degrees of freedom), kinetic energy (eV) and degrees of freedom of a group. */
export interface GroupThermo {
  temperature: number | null;
  kineticEnergy: number;
  dof: number;
}

/** One thermo record (fs, K, eV, bar, Å³, eV/Å³). */
export interface ThermoRecord {
  step: number;
  time: number;
  /** Temperature of all moving atoms (K). */
  temperature: number;
  potentialEnergy: number;
  kineticEnergy: number;
  totalEnergy: number;
  /** Total energy plus the thermostats' energy (Nosé–Hoover) or the energy they took out (others): constant up to the integration error. */
  conserved: number;
  /** Pressure (bar), kinetic part included; null without a cell. */
  pressure: number | null;
  /** Cell volume (Å³); null without a cell. */
  volume: number | null;
  /** Stress [3,3] (eV/Å³, ASE sign: positive under tension), kinetic part included; null without a cell. */
  stress: NdArray<Float64Array> | null;
  /** Degrees of freedom of all moving atoms. */
  dof: number;
  /** Per group (each named group, and `all`). */
  groups: Record<string, GroupThermo>;
  /** Neighbour-list builds so far. */
  rebuilds: number;
}

/** Progress of a run: steps done of the run, speed and an estimate of the time left. */
export interface RunProgress {
  step: number;
  steps: number;
  stepsPerSecond: number;
  /** Seconds left at the current speed. */
  eta: number;
}

/** Options of {@link MolecularDynamics.run}. */
export interface RunOptions {
  /** Steps between thermo records (and `onStep` calls, progress and cancellation checks); default 100. */
  every?: number;
  /** Called with each record (may return a Promise, which the run awaits: e.g. to write a file). */
  onStep?: (record: ThermoRecord, sim: MolecularDynamics) => void | Promise<void>;
  /** Cancels the run (between records): the promise rejects with `E_CANCELLED`, the state is that of the last record. */
  signal?: AbortSignal;
  /** `true`: a progress line on stderr (steps/s, ETA); or a callback. */
  progress?: boolean | ((progress: RunProgress) => void);
  /**
   * Continue the run that was in progress when the checkpoint this simulation was
   * {@link MolecularDynamics.restore | restored} from was taken (in `onStep`): ramping targets
   * keep their place in that run (its length is the original's), and `steps` are the steps still
   * to go. The trajectory then equals the uninterrupted one bit for bit (same thread count).
   * Without it every run starts its own ramp. `E_VALUE` on a simulation not restored from a checkpoint.
   */
  resume?: boolean;
}

/**
 * A checkpoint: the engine's options and structure as JSON, and its dynamic state (positions,
 * velocities, forces, thermostat variables, random-number states, step counters, the Verlet
 * list's reference positions) as base64 bytes. {@link MolecularDynamics.restore} continues the
 * trajectory bit for bit (same potential, same thread count).
 */
export interface MdCheckpoint {
  format: 'polymorph-md-checkpoint';
  version: 1;
  options: {
    timestep: number;
    neighborSkin: number;
    removeCenterOfMass: boolean;
    groups: Record<string, number[]>;
    frozen: string[];
    thermostats: Record<string, IntegratorJSON>;
    integrator: IntegratorJSON;
  };
  structure: StructureJSON;
  state: string;
}

const optionKeys = ['timestep', 'integrator', 'groups', 'thermostats', 'frozen', 'neighborSkin', 'removeCenterOfMass'];
const runKeys = ['every', 'onStep', 'signal', 'progress', 'resume'];

/**
 * Molecular dynamics of a structure under a potential.
 * @example
 * const sim = new MolecularDynamics(maxwellBoltzmann(droplet, { temperature: 1500, seed: 1 }), potential, {
 *   timestep: 1,
 *   groups: { seed: seedAtoms },
 *   frozen: 'seed',
 *   integrator: new NoseHooverChain({ temperature: 1500 }),
 * });
 * await sim.run(10_000, { every: 100, onStep: (t) => console.log(t.step, t.temperature) });
 */
export class MolecularDynamics {
  /** Timestep (fs). */
  readonly timestep: number;
  /** The potential. */
  readonly potential: Potential;
  /** Atom indices of each named group (`all` included). */
  readonly groups: Readonly<Record<string, Int32Array>>;
  private readonly template: Structure;
  private readonly handle: NativeMd;
  private readonly native: boolean;
  private readonly groupNames: string[];
  private readonly saved: MdCheckpoint['options'];
  /** Restored from a checkpoint and not run since (a run may then `resume`). */
  private restored = false;
  private readonly hasBarostat: boolean;
  private readonly observers: { observer: Observer; interval: number }[] = [];
  private running = false;  // a run is in progress (no other run or step may start)
  private busy = false;     // native steps are executing on a worker thread (nothing may read the state)

  constructor(structure: Structure, potential: Potential, options: MolecularDynamicsOptions) {
    if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'MolecularDynamics: expected a Structure');
    const o = checkOptions(options, optionKeys, 'MolecularDynamics');
    if (typeof o.timestep !== 'number' || !Number.isFinite(o.timestep) || o.timestep <= 0) {
      throw new PolymorphError('E_VALUE', `MolecularDynamics: timestep must be a positive number of fs, got ${String(o.timestep)}`);
    }
    const skin = o.neighborSkin ?? 1.0;
    if (typeof skin !== 'number' || !Number.isFinite(skin) || skin < 0) {
      throw new PolymorphError('E_VALUE', `MolecularDynamics: neighborSkin must be a number ≥ 0 (Å), got ${String(skin)}`);
    }
    if (structure.length === 0) throw new PolymorphError('E_EMPTY', 'MolecularDynamics: the structure has no atoms');
    this.timestep = o.timestep;
    this.potential = potential;
    this.template = structure.clone();
    this.native = isNativePotential(potential);

    const groups: Record<string, Int32Array> = { all: Int32Array.from({ length: structure.length }, (_, i) => i) };
    for (const [name, spec] of Object.entries(o.groups ?? {})) {
      if (name === 'all') throw new PolymorphError('E_VALUE', "MolecularDynamics: the group name 'all' is predefined");
      groups[name] = groupIndices(spec, structure, name);
    }
    this.groups = groups;
    const groupOf = (name: string, what: string): Int32Array => {
      const atoms = groups[name];
      if (!atoms) throw new PolymorphError('E_VALUE', `MolecularDynamics: ${what} names group '${name}', which is not defined (groups: ${Object.keys(groups).join(', ')})`);
      return atoms;
    };
    const frozenNames = o.frozen === undefined ? [] : typeof o.frozen === 'string' ? [o.frozen] : [...o.frozen];
    let frozen: Int32Array | null = null;
    if (frozenNames.length > 0) {
      frozen = new Int32Array(structure.length);
      for (const name of frozenNames) for (const i of groupOf(name, 'frozen')) frozen[i] = 1;
    }
    const thermostats: NativeMdThermostat[] = [];
    const covered = new Uint8Array(structure.length);
    for (const [name, thermostat] of Object.entries(o.thermostats ?? {})) {
      if (!(thermostat instanceof Thermostat)) throw new PolymorphError('E_TYPE', `MolecularDynamics: thermostats.${name} must be a thermostat (NoseHooverChain, Langevin, Csvr, Berendsen)`);
      const atoms = groupOf(name, 'thermostats');
      atoms.forEach((i) => (covered[i] = 1));
      thermostats.push(thermostat.nativeFor(name, atoms));
    }
    const integrator = o.integrator ?? new VelocityVerlet();
    let barostat: { start: number; stop: number; relaxation: number; chain: number; anisotropic: boolean; triclinic: boolean } | undefined;
    if (integrator instanceof NptMtk) {
      if (thermostats.length > 0 || frozen) throw new PolymorphError('E_VALUE', 'MolecularDynamics: NptMtk acts on every atom: no group thermostats and no frozen groups with it');
      const native = integrator.nativeFor(groups.all);
      if (native.thermostat) thermostats.push(native.thermostat);
      barostat = native.barostat;
    } else if (integrator instanceof Thermostat) {
      const rest = Int32Array.from(groups.all.filter((i) => !covered[i] && !(frozen && frozen[i])));
      thermostats.push(integrator.nativeFor(thermostats.length > 0 ? 'rest' : 'all', rest));
    } else if (!(integrator instanceof VelocityVerlet)) {
      throw new PolymorphError('E_TYPE', 'MolecularDynamics: integrator must be a VelocityVerlet, a thermostat or NptMtk');
    }
    this.groupNames = Object.keys(groups);
    this.hasBarostat = barostat !== undefined;
    this.saved = {
      timestep: this.timestep, neighborSkin: skin, removeCenterOfMass: o.removeCenterOfMass ?? false,
      groups: Object.fromEntries(Object.entries(groups).filter(([name]) => name !== 'all').map(([name, atoms]) => [name, Array.from(atoms)])),
      frozen: frozenNames, thermostats: Object.fromEntries(Object.entries(o.thermostats ?? {}).map(([name, t]) => [name, t.toJSON()])),
      integrator: integrator.toJSON(),
    };
    const evaluator = this.native && isNativePotential(potential) ? potential.evaluatorFor(structure) : null;
    this.handle = callNative((a) => a.createMolecularDynamics(evaluator, {
      positions: Float64Array.from(flatFloat64(structure.positions)),
      velocities: structure.velocities ? Float64Array.from(flatFloat64(structure.velocities)) : null,
      masses: Float64Array.from(structure.masses),
      numbers: Int32Array.from(structure.numbers),
      charges: structure.charges ? Float64Array.from(structure.charges) : null,
      cell: structure.cell ? Float64Array.from(flatFloat64(structure.cell)) : null,
      pbc: [...structure.pbc],
      timestep: this.timestep,
      skin,
      frozen,
      removeCenterOfMass: o.removeCenterOfMass ?? false,
      groups: this.groupNames.map((name) => ({ name, atoms: groups[name] })),
      thermostats,
      ...(barostat ? { barostat } : {}),
    }));
    if (!this.native) this.evaluateOutside(structure, (e, f, w) => callNative((a) => a.mdSetForces(this.handle, e, f, w)));
  }

  /** The current state as a {@link MdCheckpoint} (a plain JSON-able object); also from `onStep` during a run. */
  checkpoint(): MdCheckpoint {
    this.checkNotBusy('checkpoint');
    const state = callNative((a) => a.mdSaveState(this.handle));
    return {
      format: 'polymorph-md-checkpoint', version: 1, options: structuredClone(this.saved), structure: this.template.toJSON(),
      state: Buffer.from(state.buffer, state.byteOffset, state.byteLength).toString('base64'),
    };
  }

  /**
   * Writes {@link checkpoint} to `file` (JSON), through a temporary file renamed over it, so an
   * interrupted write leaves the previous checkpoint readable.
   */
  saveCheckpoint(file: string): void {
    writeFileAtomic(file, JSON.stringify(this.checkpoint()), 'MolecularDynamics.saveCheckpoint');
  }

  /**
   * A simulation continued from a checkpoint (a file written by {@link saveCheckpoint}, or the
   * object of {@link checkpoint}) with `potential` (the one it ran with): the next steps are
   * those the original would have made, bit for bit at the same thread count.
   */
  static restore(source: string | MdCheckpoint, potential: Potential): MolecularDynamics {
    let checkpoint: MdCheckpoint;
    if (typeof source === 'string') {
      let text: string;
      try {
        text = fs.readFileSync(source, 'utf8');
      } catch (error) {
        throw new PolymorphError('E_IO', `MolecularDynamics.restore: cannot read ${source}: ${(error as Error).message}`);
      }
      try {
        checkpoint = JSON.parse(text) as MdCheckpoint;
      } catch {
        throw new PolymorphError('E_VALUE', `MolecularDynamics.restore: ${source} is not a checkpoint (not JSON)`);
      }
    } else {
      checkpoint = source;
    }
    if (checkpoint?.format !== 'polymorph-md-checkpoint' || checkpoint.version !== 1) {
      throw new PolymorphError('E_VALUE', 'MolecularDynamics.restore: not a polymorph checkpoint of version 1');
    }
    const o = checkpoint.options;
    const sim = new MolecularDynamics(Structure.fromJSON(checkpoint.structure), potential, {
      timestep: o.timestep, neighborSkin: o.neighborSkin, removeCenterOfMass: o.removeCenterOfMass, groups: o.groups, frozen: o.frozen,
      thermostats: Object.fromEntries(Object.entries(o.thermostats).map(([name, t]) => [name, integratorFromJSON(t) as Thermostat])),
      integrator: integratorFromJSON(o.integrator),
    });
    const bytes = Buffer.from(checkpoint.state, 'base64');
    callNative((a) => a.mdLoadState(sim.handle, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    sim.restored = true;
    return sim;
  }

  /** Whether steps run entirely in C++ (a native potential or a sum of them). */
  get runsNatively(): boolean {
    return this.native;
  }

  /** The current structure: a copy with the current positions, velocities and cell (Å, Å/fs); readable in `onStep`. */
  get structure(): Structure {
    this.checkNotBusy('structure');
    const state = callNative((a) => a.mdState(this.handle));
    const s = this.template.clone();
    const n = s.length;
    s.positions = ndarray(state.positions, [n, 3]);
    s.velocities = ndarray(state.velocities, [n, 3]);
    if (state.cell) s.cell = ndarray(state.cell, [3, 3]);
    return s;
  }

  /** Forces of the current positions (eV/Å, [N,3]). */
  get forces(): NdArray<Float64Array> {
    this.checkNotBusy('forces');
    return ndarray(callNative((a) => a.mdState(this.handle)).forces, [this.template.length, 3]);
  }

  /** The thermo record of the current state. */
  get thermo(): ThermoRecord {
    this.checkNotBusy('thermo');
    return this.record(callNative((a) => a.mdThermo(this.handle)));
  }

  /** One step (outside a run, ramps hold their start temperature); returns the new thermo record. */
  step(): ThermoRecord {
    this.checkIdle('step');
    return this.record(this.advance(1));
  }

  /**
   * `steps` steps. Ramping targets go from their start to their stop over this run. Records go to
   * `onStep` every `every` steps; `signal` cancels between records (`E_CANCELLED`). Resolves with
   * the last record.
   */
  async run(steps: number, options: RunOptions = {}): Promise<ThermoRecord> {
    const o = checkOptions(options, runKeys, 'MolecularDynamics.run');
    if (!Number.isSafeInteger(steps) || steps < 0) throw new PolymorphError('E_VALUE', `MolecularDynamics.run: steps must be an integer ≥ 0, got ${String(steps)}`);
    const every = o.every ?? 100;
    if (!Number.isSafeInteger(every) || every < 1) throw new PolymorphError('E_VALUE', `MolecularDynamics.run: every must be an integer ≥ 1, got ${String(every)}`);
    if (o.onStep !== undefined && typeof o.onStep !== 'function') throw new PolymorphError('E_TYPE', 'MolecularDynamics.run: onStep must be a function');
    if (o.resume !== undefined && typeof o.resume !== 'boolean') throw new PolymorphError('E_TYPE', 'MolecularDynamics.run: resume must be a boolean');
    if (o.resume && !this.restored) throw new PolymorphError('E_VALUE', 'MolecularDynamics.run: resume continues the run of a restored checkpoint; this simulation was not restored');
    this.checkIdle('run');
    this.running = true;
    const started = process.hrtime.bigint();
    const report = progressReporter(o.progress);
    const observe = async (record: ThermoRecord): Promise<void> => {
      for (const { observer, interval } of this.observers) {
        if (record.step % interval !== 0) continue;
        await (typeof observer === 'function' ? observer(record, this) : observer.observe(record, this));
      }
    };
    try {
      if (!o.resume) callNative((a) => a.mdBeginRun(this.handle, steps));
      this.restored = false;
      let record = this.record(callNative((a) => a.mdThermo(this.handle)));
      if (record.step === 0 && this.observers.length > 0) await observe(record);  // the starting frame
      const first = record.step;
      for (let done = 0; done < steps;) {
        if (o.signal?.aborted) throw new PolymorphError('E_CANCELLED', `MolecularDynamics.run: cancelled after ${done} of ${steps} steps (step ${record.step})`);
        // Up to the next record, observer step or the end of the run.
        const step = first + done;
        let stop = Math.min(first + steps, first + (Math.floor(done / every) + 1) * every);
        for (const { interval } of this.observers) stop = Math.min(stop, (Math.floor(step / interval) + 1) * interval);
        const chunk = stop - step;
        this.busy = true;
        const raw = await (this.native
          ? callNativeQueued(() => chunk, (a, k) => a.mdRunAsync(this.handle, k), (r) => r)
          : this.advanceOutsideAsync(chunk)).finally(() => (this.busy = false));
        done += chunk;
        record = this.record(raw);
        if (this.observers.length > 0) await observe(record);
        if (done % every !== 0 && done !== steps) continue;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        report?.({ step: done, steps, stepsPerSecond: done / seconds, eta: ((steps - done) * seconds) / done });
        if (o.onStep) await o.onStep(record, this);
      }
      return record;
    } finally {
      this.running = false;
      for (const { observer } of this.observers) if (typeof observer !== 'function') observer.flush?.();
      if (o.progress === true) process.stderr.write('\n');
    }
  }

  /**
   * Calls `observer` every `interval` steps of the runs (and at step 0), as ASE's
   * `Dynamics.attach`: a function of the record, or a {@link TrajectoryWriter},
   * {@link ThermoWriter}, {@link EvaporationGuard}. Returns this simulation.
   */
  attach(observer: Observer, interval = 1): this {
    if (!Number.isSafeInteger(interval) || interval < 1) throw new PolymorphError('E_VALUE', `MolecularDynamics.attach: interval must be an integer ≥ 1, got ${String(interval)}`);
    if (typeof observer !== 'function' && (typeof observer !== 'object' || observer === null || typeof observer.observe !== 'function')) {
      throw new PolymorphError('E_TYPE', 'MolecularDynamics.attach: an observer is a function or has observe(record, sim)');
    }
    this.checkIdle('attach');
    this.observers.push({ observer, interval });
    return this;
  }

  private checkNotBusy(what: string): void {
    if (this.busy) throw new PolymorphError('E_VALUE', `MolecularDynamics.${what}: steps are running; read the state in onStep or after the run`);
  }

  private checkIdle(what: string): void {
    if (this.running) throw new PolymorphError('E_VALUE', `MolecularDynamics.${what}: a run is in progress; wait for it (or cancel it) first`);
  }

  private advance(steps: number): NativeThermo {
    if (this.native) return callNative((a) => a.mdRun(this.handle, steps));
    let raw = callNative((a) => a.mdThermo(this.handle));
    for (let k = 0; k < steps; ++k) {
      const positions = callNative((a) => a.mdPrepareStep(this.handle));
      raw = this.evaluateOutside(this.at(positions), (e, f, w) => callNative((a) => a.mdFinishStep(this.handle, e, f, w)));
    }
    return raw;
  }

  private async advanceOutsideAsync(steps: number): Promise<NativeThermo> {
    let raw = callNative((a) => a.mdThermo(this.handle));
    for (let k = 0; k < steps; ++k) {
      const positions = callNative((a) => a.mdPrepareStep(this.handle));
      const s = this.at(positions);
      const r = await this.potential.computeAsync(s, { forces: true, stress: s.cell !== null && s.pbc.every((p) => p) });
      raw = this.finishWith(s, r.energy, r.forces, r.stress, (e, f, w) => callNative((a) => a.mdFinishStep(this.handle, e, f, w)));
    }
    return raw;
  }

  /** The template structure at `positions` (and the current cell, which a barostat changes). */
  private at(positions: Float64Array): Structure {
    const s = this.template.clone();
    s.positions = ndarray(positions, [s.length, 3]);
    if (this.hasBarostat) s.cell = ndarray(callNative((a) => a.mdState(this.handle)).cell!, [3, 3]);
    return s;
  }

  /** Forces from a potential outside the core, handed over by `take(energy, forces, virial)`. */
  private evaluateOutside(s: Structure, take: (e: number, f: Float64Array, w: Float64Array) => NativeThermo): NativeThermo {
    const r = this.potential.compute(s, { forces: true, stress: s.cell !== null && s.pbc.every((p) => p) });
    return this.finishWith(s, r.energy, r.forces, r.stress, take);
  }

  private finishWith(s: Structure, energy: number, forces: NdArray | undefined, stress: NdArray | undefined,
    take: (e: number, f: Float64Array, w: Float64Array) => NativeThermo): NativeThermo {
    if (!forces) throw new PolymorphError('E_VALUE', 'MolecularDynamics: the potential returned no forces');
    const virial = new Float64Array(9);
    if (stress && s.cell) {
      const c = flatFloat64(s.cell);
      const volume = Math.abs(c[0] * (c[4] * c[8] - c[5] * c[7]) - c[1] * (c[3] * c[8] - c[5] * c[6]) + c[2] * (c[3] * c[7] - c[4] * c[6]));
      flatFloat64(stress).forEach((x, k) => (virial[k] = x * volume));  // W = σ V
    }
    return take(energy, Float64Array.from(flatFloat64(forces)), virial);
  }

  private record(raw: NativeThermo): ThermoRecord {
    const hasCell = Number.isFinite(raw.volume);
    const group = (g: NativeGroupThermo): GroupThermo => ({
      temperature: Number.isFinite(g.temperature) ? g.temperature : null, kineticEnergy: g.kineticEnergy, dof: g.dof,
    });
    return {
      step: raw.step, time: raw.time, temperature: raw.temperature, potentialEnergy: raw.potentialEnergy,
      kineticEnergy: raw.kineticEnergy, totalEnergy: raw.totalEnergy, conserved: raw.conserved,
      pressure: hasCell ? raw.pressure : null, volume: hasCell ? raw.volume : null,
      stress: hasCell ? ndarray(raw.stress, [3, 3]) : null, dof: raw.dof,
      groups: Object.fromEntries(this.groupNames.map((name, k) => [name, group(raw.groups[k])])),
      rebuilds: raw.rebuilds,
    };
  }

  /** A short summary for notebooks and `console.log`. */
  [inspect.custom](): string {
    return summary('MolecularDynamics', {
      atoms: this.template.length, timestep: `${this.timestep} fs`,
      steps: this.native ? 'in C++ (native potential)' : 'one potential call per step (TypeScript potential)',
      groups: this.groupNames.join(', '),
    });
  }
}

/** The progress callback of `progress` (a stderr line for `true`). */
function progressReporter(progress: RunOptions['progress']): ((p: RunProgress) => void) | undefined {
  if (typeof progress === 'function') return progress;
  if (progress !== true) return undefined;
  return (p) => {
    const percent = ((100 * p.step) / Math.max(p.steps, 1)).toFixed(1);
    process.stderr.write(`\rmd: step ${p.step}/${p.steps} (${percent} %), ${p.stepsPerSecond.toFixed(1)} steps/s, ETA ${p.eta.toFixed(0)} s   `);
  };
}

/**
 * Resumable workflows: a directory that keeps the result of every finished stage and the latest
 * checkpoint of the MD segment under way, so that a long study (the paper-scale runs take hours)
 * that is killed, cancelled or loses its machine continues where it stopped when it is started
 * again with the same directory and settings. The continued run gives the results of an
 * uninterrupted one bit for bit (same thread count: MD checkpoints restore the exact state).
 * @module
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../core/atomic-write';
import { PolymorphError } from '../core/errors';
import { MolecularDynamics, type MdCheckpoint, type ThermoRecord } from '../md/molecular-dynamics';
import type { Potential } from '../potentials/potential';
import { Structure, type StructureJSON } from '../structure/structure';

/** One MD segment of a workflow: how to start it, how long, what to measure along it. */
export interface SegmentPlan<F> {
  /** The simulation at the segment's start (not called when the segment resumes from a checkpoint). */
  create: () => MolecularDynamics;
  /** The potential the simulation runs with (to restore a checkpoint). */
  potential: Potential;
  /** Steps of the segment (≥ 1). */
  steps: number;
  /** Steps between measurements (`observe`) and possible checkpoints. */
  every: number;
  /** A measurement at every `every` steps (not at step 0); its value must serialise to JSON. */
  observe?: (record: ThermoRecord, sim: MolecularDynamics) => F | Promise<F>;
  /** Cancels between measurements (`E_CANCELLED`); with a directory, the last checkpoint stays. */
  signal?: AbortSignal;
}

/** What a segment leaves: its last structure (positions, velocities) and its measurements. */
export interface SegmentResult<F> {
  structure: Structure;
  frames: F[];
}

interface Partial<F> {
  done: number;
  frames: F[];
  md: MdCheckpoint;
}

/** Writes `value` as JSON atomically (an interrupted write leaves the old file). */
function writeJson(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value), 'checkpoint');
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolymorphError('E_IO', `cannot read the checkpoint ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new PolymorphError('E_VALUE', `${file} is not a checkpoint (not JSON); delete it to start that stage again`);
  }
}

const KEY = /^[A-Za-z0-9._-]+$/;

/**
 * Where a workflow keeps what it has done. `ResumeStore.open(undefined, …)` keeps nothing and
 * runs everything (the same code path, so results do not depend on whether a directory is used).
 *
 * Layout: `run.json` (the workflow and its settings: resuming with other settings is refused),
 * `<key>.json` per finished stage or segment, `<key>.partial.json` for the segment under way (its
 * MD checkpoint, steps done and measurements so far; written at a measurement when
 * `checkpointSeconds` have passed since the last, and when the run is cancelled).
 */
export class ResumeStore {
  /** The directory, or null when nothing is kept. */
  readonly directory: string | null;
  /** Wall time between segment checkpoints (s). */
  readonly checkpointSeconds: number;

  private constructor(directory: string | null, checkpointSeconds: number) {
    this.directory = directory;
    this.checkpointSeconds = checkpointSeconds;
  }

  /**
   * Opens `directory` (created if needed) for a run of `workflow` with `settings` (plain JSON: the
   * options that decide the results). `E_VALUE` when the directory holds a run of another
   * workflow or other settings; `E_IO` when it cannot be created or read.
   */
  static open(directory: string | undefined, workflow: string, settings: unknown, checkpointSeconds = 30): ResumeStore {
    if (!(typeof checkpointSeconds === 'number' && checkpointSeconds >= 0)) throw new PolymorphError('E_VALUE', `${workflow}: checkpointSeconds must be a number ≥ 0, got ${String(checkpointSeconds)}`);
    if (directory === undefined) return new ResumeStore(null, checkpointSeconds);
    if (typeof directory !== 'string' || directory.length === 0) throw new PolymorphError('E_TYPE', `${workflow}: checkpoint must be a directory path`);
    try {
      fs.mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw new PolymorphError('E_IO', `${workflow}: cannot create the checkpoint directory ${directory}: ${(error as Error).message}`);
    }
    const file = path.join(directory, 'run.json');
    const run = { workflow, settings: JSON.parse(JSON.stringify(settings)) as unknown };
    if (fs.existsSync(file)) {
      const stored = readJson(file);
      if (JSON.stringify(stored) !== JSON.stringify(run)) {
        throw new PolymorphError('E_VALUE', `${workflow}: ${directory} holds a checkpoint of another run (${describeDifference(stored, run)}); use another directory or delete it`);
      }
    } else {
      writeJson(file, run);
    }
    return new ResumeStore(directory, checkpointSeconds);
  }

  /** The stored result of stage `key`, or `compute()`'s, stored (JSON) before it is returned. */
  async stage<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const file = this.file(key, '.json');
    if (file && fs.existsSync(file)) return (readJson(file) as { result: T }).result;
    const result = await compute();
    if (file) writeJson(file, { result });
    return result;
  }

  /**
   * Runs MD segment `key`: from its stored result when finished, from its partial checkpoint when
   * one exists (the run continues with `resume: true`, so ramps keep their place), else from
   * `plan.create()`. Measurements come every `plan.every` steps.
   */
  async segment<F>(key: string, plan: SegmentPlan<F>): Promise<SegmentResult<F>> {
    if (!(Number.isSafeInteger(plan.steps) && plan.steps >= 1 && Number.isSafeInteger(plan.every) && plan.every >= 1)) {
      throw new PolymorphError('E_VALUE', `segment ${key}: steps and every must be integers ≥ 1, got ${plan.steps}, ${plan.every}`);
    }
    const done = this.file(key, '.json'), partial = this.file(key, '.partial.json');
    if (done && fs.existsSync(done)) {
      const stored = readJson(done) as { structure: StructureJSON; frames: F[] };
      return { structure: Structure.fromJSON(stored.structure), frames: stored.frames };
    }
    let sim: MolecularDynamics, frames: F[] = [], start = 0;
    if (partial && fs.existsSync(partial)) {
      const p = readJson(partial) as Partial<F>;
      sim = MolecularDynamics.restore(p.md, plan.potential);
      frames = p.frames;
      start = p.done;
    } else {
      sim = plan.create();
    }
    let saved = Date.now();
    let at = start;
    const step0 = sim.thermo.step;
    const save = (s: MolecularDynamics): void => {
      if (!partial) return;
      writeJson(partial, { done: at, frames, md: s.checkpoint() } satisfies Partial<F>);
      saved = Date.now();
    };
    try {
      await sim.run(plan.steps - start, {
        every: plan.every, signal: plan.signal, resume: start > 0,
        onStep: async (record, s) => {
          at = start + record.step - step0;
          if (plan.observe) frames.push(await plan.observe(record, s));
          if (at < plan.steps && (Date.now() - saved) / 1000 >= this.checkpointSeconds) save(s);
        },
      });
    } catch (error) {
      if (error instanceof PolymorphError && error.code === 'E_CANCELLED' && at > start) save(sim);
      throw error;
    }
    const structure = sim.structure;
    if (done) {
      writeJson(done, { structure: structure.toJSON(), frames });
      fs.rmSync(partial!, { force: true });
    }
    return { structure, frames };
  }

  private file(key: string, suffix: string): string | null {
    if (!KEY.test(key)) throw new PolymorphError('E_VALUE', `checkpoint key '${key}' must be letters, digits, '.', '_' or '-'`);
    return this.directory === null ? null : path.join(this.directory, key + suffix);
  }
}

/** The first setting that differs, for the error message. */
function describeDifference(stored: unknown, wanted: { workflow: string; settings: unknown }): string {
  const s = stored as { workflow?: unknown; settings?: Record<string, unknown> };
  if (s?.workflow !== wanted.workflow) return `workflow ${String(s?.workflow)}`;
  const a = s.settings ?? {}, b = (wanted.settings ?? {}) as Record<string, unknown>;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${k}: ${JSON.stringify(a[k])} there, ${JSON.stringify(b[k])} now`;
  }
  return 'settings differ';
}

/** A short hash (hex) of a structure's atoms, positions and cell, for a run's settings. */
export function structureFingerprint(s: Structure): string {
  let h = 0x811c9dc5;
  const mix = (bytes: Uint8Array): void => {
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  };
  mix(new Uint8Array(Int32Array.from(s.numbers).buffer));
  mix(new Uint8Array(Float64Array.from(s.positions.data as Float64Array).buffer));
  if (s.cell) mix(new Uint8Array(Float64Array.from(s.cell.data as Float64Array).buffer));
  return `${s.length}:${h.toString(16).padStart(8, '0')}`;
}

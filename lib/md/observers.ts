/**
 * Observers of a {@link MolecularDynamics} run, attached with `sim.attach(observer, interval)` as
 * ASE's `Dynamics.attach`: trajectory and thermo writers, and a guard that reports atoms leaving
 * a droplet. Files are written as frames come (in batches of `flush` frames) and flushed when a
 * run ends, fails or is cancelled, so an interrupted run leaves readable files; the engine never
 * keeps a non-finite state, so no NaN reaches them.
 * @module
 */
import * as fs from 'fs';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { formatFromPath, write } from '../io';
import type { FormatName } from '../io';
import type { Structure } from '../structure/structure';
import type { MolecularDynamics, ThermoRecord } from './molecular-dynamics';

/** What `sim.attach` takes: a function, or an object with `observe` (and optionally `flush`). */
export type Observer =
  | ((record: ThermoRecord, sim: MolecularDynamics) => void | Promise<void>)
  | { observe(record: ThermoRecord, sim: MolecularDynamics): void | Promise<void>; flush?(): void };

/** Options of {@link TrajectoryWriter}. */
export interface TrajectoryWriterOptions {
  /** A multi-frame format (`extxyz`, `lammps-dump`); default from the file name. */
  format?: FormatName;
  /** Add to an existing file instead of starting a new one. Default false. */
  append?: boolean;
  /** Frames kept in memory before they are written. Default 1 (every frame at once). */
  flush?: number;
}

/**
 * Writes the structure (positions, velocities) at each observed step to a trajectory file.
 * @example
 * sim.attach(new TrajectoryWriter('melt.xyz', { flush: 10 }), 1000);
 */
export class TrajectoryWriter {
  readonly file: string;
  private readonly format: FormatName;
  private readonly flushEvery: number;
  private pending: Structure[] = [];
  private started: boolean;

  constructor(file: string, options: TrajectoryWriterOptions = {}) {
    const o = checkOptions(options, ['format', 'append', 'flush'], 'TrajectoryWriter');
    this.file = file;
    this.format = o.format ?? formatFromPath(file);
    const flush = o.flush ?? 1;
    if (!Number.isSafeInteger(flush) || flush < 1) throw new PolymorphError('E_VALUE', `TrajectoryWriter: flush must be an integer ≥ 1, got ${String(flush)}`);
    this.flushEvery = flush;
    this.started = o.append ?? false;
  }

  /** @internal */
  observe(_record: ThermoRecord, sim: MolecularDynamics): void {
    this.pending.push(sim.structure);
    if (this.pending.length >= this.flushEvery) this.flush();
  }

  /** Writes the frames kept so far. */
  flush(): void {
    if (this.pending.length === 0) return;
    write(this.file, this.pending, { format: this.format, append: this.started });
    this.started = true;
    this.pending = [];
  }
}

/** Options of {@link ThermoWriter}. */
export interface ThermoWriterOptions {
  /** `csv` (a header, then a row per record) or `jsonl` (a JSON object per line); default from the file name (`.csv`, else JSON lines). */
  format?: 'csv' | 'jsonl';
  /** Add to an existing file. Default false. */
  append?: boolean;
}

const columns = ['step', 'time', 'temperature', 'potentialEnergy', 'kineticEnergy', 'totalEnergy', 'conserved', 'pressure', 'volume'] as const;

/** Writes thermo records (fs, K, eV, bar, Å³, and each group's temperature) to a CSV or JSON-lines file. */
export class ThermoWriter {
  readonly file: string;
  private readonly format: 'csv' | 'jsonl';
  private started: boolean;

  constructor(file: string, options: ThermoWriterOptions = {}) {
    const o = checkOptions(options, ['format', 'append'], 'ThermoWriter');
    this.file = file;
    this.format = o.format ?? (file.endsWith('.csv') ? 'csv' : 'jsonl');
    if (this.format !== 'csv' && this.format !== 'jsonl') throw new PolymorphError('E_VALUE', `ThermoWriter: format must be 'csv' or 'jsonl', got ${String(this.format)}`);
    this.started = o.append ?? false;
  }

  /** @internal */
  observe(record: ThermoRecord): void {
    const groups = Object.keys(record.groups);
    let text: string;
    if (this.format === 'jsonl') {
      const { stress, ...rest } = record;
      text = `${JSON.stringify({ ...rest, stress: stress ? Array.from(stress.data) : null })}\n`;
    } else {
      const header = this.started ? '' : `${[...columns, ...groups.map((g) => `temperature_${g}`)].join(',')}\n`;
      const values = [...columns.map((c) => record[c]), ...groups.map((g) => record.groups[g].temperature)];
      text = `${header}${values.map((v) => (v === null ? '' : String(v))).join(',')}\n`;
    }
    try {
      fs.writeFileSync(this.file, text, { flag: this.started ? 'a' : 'w' });
    } catch (error) {
      throw new PolymorphError('E_IO', `ThermoWriter: cannot write ${this.file}: ${(error as Error).message}`);
    }
    this.started = true;
  }
}

/** Options of {@link EvaporationGuard}. */
export interface EvaporationGuardOptions {
  /** Radius of the sphere (Å) around the centre of mass of the atoms. */
  radius: number;
  /** Called with the indices of the atoms outside the sphere, when there are any. Default: a warning on stderr. */
  onEscape?: (atoms: number[], record: ThermoRecord) => void;
}

/**
 * Reports atoms of a droplet or cluster that have left a sphere around its centre of mass
 * (evaporation), at each observed step. `escaped` holds the atoms outside at the last check.
 */
export class EvaporationGuard {
  readonly radius: number;
  escaped: number[] = [];
  private readonly onEscape: (atoms: number[], record: ThermoRecord) => void;

  constructor(options: EvaporationGuardOptions) {
    const o = checkOptions(options, ['radius', 'onEscape'], 'EvaporationGuard');
    if (typeof o.radius !== 'number' || !Number.isFinite(o.radius) || o.radius <= 0) {
      throw new PolymorphError('E_VALUE', `EvaporationGuard: radius must be a positive number (Å), got ${String(o.radius)}`);
    }
    this.radius = o.radius;
    this.onEscape = o.onEscape ?? ((atoms, record) => process.stderr.write(`md: step ${record.step}: ${atoms.length} atoms outside ${this.radius} Å (first ${atoms.slice(0, 5).join(', ')})\n`));
  }

  /** @internal */
  observe(record: ThermoRecord, sim: MolecularDynamics): void {
    const s = sim.structure;
    const p = s.positions;
    const centre = [0, 0, 0];
    let mass = 0;
    for (let i = 0; i < s.length; ++i) {
      for (let k = 0; k < 3; ++k) centre[k] += s.masses[i] * p.get(i, k);
      mass += s.masses[i];
    }
    for (let k = 0; k < 3; ++k) centre[k] /= mass;
    this.escaped = [];
    for (let i = 0; i < s.length; ++i) {
      if (Math.hypot(p.get(i, 0) - centre[0], p.get(i, 1) - centre[1], p.get(i, 2) - centre[2]) > this.radius) this.escaped.push(i);
    }
    if (this.escaped.length > 0) this.onEscape(this.escaped, record);
  }
}

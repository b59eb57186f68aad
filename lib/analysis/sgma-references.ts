/**
 * The reference database SGMA is trained on, by molecular dynamics (Salazar et al., npj Comput.
 * Mater. 10, 199 (2024)): each crystal heated under Nosé–Hoover NVT from 200 K to 1500 K over
 * 10 ps, the liquid at 2500 K, 21 snapshots each.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { crystal } from '../build/crystal';
import { supercell } from '../build/supercell';
import { MolecularDynamics } from '../md/molecular-dynamics';
import { NoseHooverChain } from '../md/thermostats';
import { maxwellBoltzmann } from '../md/velocities';
import type { Potential } from '../potentials';
import { zincOxideBuckingham } from '../potentials/zinc-oxide';
import { planeSpacings } from '../structure/cell';
import { Structure } from '../structure/structure';
import { msd } from './msd';

/** Options of {@link sgmaReferenceDatabase}. */
export interface SgmaReferenceOptions {
  /** The potential (default the rigid-ion ZnO model, `zincOxideBuckingham().potential`: Buckingham + Ewald). */
  potential?: Potential;
  /** The crystals by label (default the seven ZnO polymorphs of `crystal()`: wurtzite, zincblende, rocksalt, hBN, BCT, sodalite, cubane). */
  polymorphs?: Record<string, Structure>;
  /** Each crystal is repeated to at least this many atoms (default 250). */
  atoms?: number;
  /** The heating ramp: from, to (K) over time (fs); default 200 → 1500 K over 10 000 fs. */
  heating?: { from?: number; to?: number; time?: number };
  /**
   * The liquid: the crystal it is melted from (label, default 'zincblende'), the melting temperature
   * (K, default 4000: a small periodic crystal at fixed volume superheats far above its melting
   * point), the sampling temperature (K, default 2500), and the time (fs, default 10 000) spent
   * melting, then cooling to and sampling at the temperature.
   */
  liquid?: { from?: string; meltAt?: number; temperature?: number; time?: number } | false;
  /** Snapshots per reference, evenly spaced over the ramp or the sampling (default 21). */
  snapshots?: number;
  /** MD timestep (fs, default 1) and Nosé–Hoover relaxation time (fs, default 100). */
  timestep?: number;
  relaxation?: number;
  /** Seed of the starting velocities (default 1). */
  seed?: number;
  /** A crystal whose last snapshot's rms displacement from its first (unwrapped) exceeds this (Å, default 1.0) has melted. */
  meltedAbove?: number;
  /** Called after every snapshot. */
  onProgress?: (label: string, snapshot: number, snapshots: number) => void;
}

/** What {@link sgmaReferenceDatabase} returns. */
export interface SgmaReferenceDatabase {
  /** Snapshots by label ('liquid' included unless disabled), ready for `Sgma.train`. */
  references: Record<string, Structure[]>;
  /** Whether each crystal melted during heating (report and drop it), and whether the liquid did (it must). */
  melted: Record<string, boolean>;
  /** Rms displacement of each reference's last snapshot from its first (Å, unwrapped). */
  rmsDisplacement: Record<string, number>;
}

function positive(x: unknown, what: string): number {
  if (!(typeof x === 'number' && Number.isFinite(x) && x > 0)) throw new PolymorphError('E_VALUE', `sgmaReferenceDatabase: ${what} must be a positive number, got ${String(x)}`);
  return x;
}

/** The smallest repetition of `cell` with at least `atoms` atoms and roughly cubic proportions. */
function repeatTo(cell: Structure, atoms: number): Structure {
  const spacing = planeSpacings(cell.cell!.data);
  let reps: [number, number, number] = [1, 1, 1];
  while (cell.length * reps[0] * reps[1] * reps[2] < atoms) {
    const k = [0, 1, 2].reduce((best, a) => (spacing[a] * reps[a] < spacing[best] * reps[best] ? a : best), 0);
    reps = reps.map((r, a) => (a === k ? r + 1 : r)) as [number, number, number];
  }
  return supercell(cell, reps);
}

async function sample(label: string, start: Structure, potential: Potential, temperature: [number, number], time: number, snapshots: number,
  o: { timestep: number; relaxation: number; seed: number; onProgress?: SgmaReferenceOptions['onProgress'] }, melt?: { at: number; time: number }): Promise<Structure[]> {
  const s = maxwellBoltzmann(start, { temperature: melt?.at ?? temperature[0], seed: o.seed });
  if (melt) {
    // Melt at melt.at, then bring the liquid to the sampling temperature, each for half of melt.time.
    const half = Math.max(1, Math.round(melt.time / o.timestep / 2));
    for (const target of [melt.at, [melt.at, temperature[0]] as [number, number]]) {
      const md = new MolecularDynamics(s, potential, { timestep: o.timestep, integrator: new NoseHooverChain({ temperature: target, relaxation: o.relaxation }) });
      await md.run(half, { every: half });
      s.positions = md.structure.positions;
      s.velocities = md.structure.velocities;
    }
  }
  const sim = new MolecularDynamics(s, potential, { timestep: o.timestep, integrator: new NoseHooverChain({ temperature, relaxation: o.relaxation }) });
  const steps = Math.round(time / o.timestep);
  const every = Math.max(1, Math.floor(steps / snapshots));
  const frames: Structure[] = [];
  await sim.run(every * snapshots, {
    every,
    onStep: (_record, md) => {
      const frame = (md as MolecularDynamics).structure.clone();
      frame.velocities = null;
      frames.push(frame);
      o.onProgress?.(label, frames.length, snapshots);
    },
  });
  return frames;
}

/**
 * Samples SGMA reference structures by MD, as Salazar et al.: each crystal (repeated to ≥ `atoms`
 * atoms) heated under Nosé–Hoover NVT along a linear ramp (200 → 1500 K over 10 ps at 1 fs by
 * default) with `snapshots` frames along it; the liquid melted from zincblende at 4000 K, brought
 * to 2500 K (10 ps in all) and sampled there over 10 ps; `melted.liquid` says whether it diffuses. A crystal that melts (rms displacement of its last frame
 * from its first above `meltedAbove`) is reported in `melted` — the paper's references must not
 * melt — and kept in `references` for the caller to decide. Minutes of MD for the seven ZnO
 * polymorphs on two cores.
 * @example
 * const db = await sgmaReferenceDatabase({ onProgress: (l, k, n) => console.log(l, k, n) });
 * const sgma = Sgma.train(db.references);
 */
export async function sgmaReferenceDatabase(options: SgmaReferenceOptions = {}): Promise<SgmaReferenceDatabase> {
  const o = checkOptions(options, ['potential', 'polymorphs', 'atoms', 'heating', 'liquid', 'snapshots', 'timestep', 'relaxation', 'seed', 'meltedAbove', 'onProgress'], 'sgmaReferenceDatabase');
  const potential = o.potential ?? zincOxideBuckingham().potential;
  const polymorphs = o.polymorphs ?? Object.fromEntries(['wurtzite', 'zincblende', 'rocksalt', 'hBN', 'BCT', 'sodalite', 'cubane'].map((name) => [name, crystal(name)]));
  const atoms = positive(o.atoms ?? 250, 'atoms');
  const heating = checkOptions(o.heating ?? {}, ['from', 'to', 'time'], 'sgmaReferenceDatabase heating');
  const ramp: [number, number] = [positive(heating.from ?? 200, 'heating.from'), positive(heating.to ?? 1500, 'heating.to')];
  const rampTime = positive(heating.time ?? 10_000, 'heating.time');
  const snapshots = o.snapshots ?? 21;
  if (!(Number.isInteger(snapshots) && snapshots >= 2)) throw new PolymorphError('E_VALUE', `sgmaReferenceDatabase: snapshots must be an integer ≥ 2, got ${String(snapshots)}`);
  const run = { timestep: positive(o.timestep ?? 1, 'timestep'), relaxation: positive(o.relaxation ?? 100, 'relaxation'), seed: o.seed ?? 1, onProgress: o.onProgress };
  const meltedAbove = positive(o.meltedAbove ?? 1.0, 'meltedAbove');
  const references: Record<string, Structure[]> = {};
  const melted: Record<string, boolean> = {};
  const rmsDisplacement: Record<string, number> = {};
  const rms = (frames: Structure[]): number => {
    const m = msd(frames, { timestep: 1, maxLag: frames.length - 1 });
    return Math.sqrt(m.msd[m.msd.length - 1]);
  };
  for (const [label, cell] of Object.entries(polymorphs)) {
    if (!(cell instanceof Structure) || cell.cell === null || !cell.pbc.every((p) => p)) throw new PolymorphError('E_CELL', `sgmaReferenceDatabase: polymorph '${label}' must be a periodic Structure`);
    const frames = await sample(label, repeatTo(cell, atoms), potential, ramp, rampTime, snapshots, run);
    references[label] = frames;
    rmsDisplacement[label] = rms(frames);
    melted[label] = rmsDisplacement[label] > meltedAbove;
  }
  if (o.liquid !== false) {
    const l = checkOptions(o.liquid ?? {}, ['from', 'meltAt', 'temperature', 'time'], 'sgmaReferenceDatabase liquid');
    const from = l.from ?? 'zincblende';
    const source = polymorphs[from] ?? crystal(from);
    const temperature = positive(l.temperature ?? 2500, 'liquid.temperature');
    const meltAt = positive(l.meltAt ?? 4000, 'liquid.meltAt');
    const time = positive(l.time ?? 10_000, 'liquid.time');
    references.liquid = await sample('liquid', repeatTo(source, atoms), potential, [temperature, temperature], time, snapshots, run, { at: meltAt, time });
    rmsDisplacement.liquid = rms(references.liquid);
    melted.liquid = rmsDisplacement.liquid > meltedAbove;
  }
  return { references, melted, rmsDisplacement };
}

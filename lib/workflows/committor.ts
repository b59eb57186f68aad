/**
 * Committor analysis: from each configuration, short trajectories with fresh random velocities
 * ("shots") run until they reach the solid or the liquid basin; the committor p_B is the fraction
 * that reach the solid first (0 deep in the liquid, 1 deep in the solid, ½ on the transition state
 * ensemble). The analysis the review of Sarupria, Hall and Rogal centres on for nucleation.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { formatNumber, summary, withInspect } from '../core/inspect';
import { checkOptions } from '../core/options';
import { MolecularDynamics } from '../md/molecular-dynamics';
import { NoseHooverChain } from '../md/thermostats';
import { maxwellBoltzmann } from '../md/velocities';
import type { Potential } from '../potentials';
import { Structure } from '../structure/structure';
import { checkPotential, positive } from './checks';

/** A basin test on a frame (may be async, e.g. an SGMA classification). */
export type BasinTest = (frame: Structure) => boolean | Promise<boolean>;

/** Options of {@link committor}. */
export interface CommittorOptions {
  /** Temperature of the shots' velocities and thermostat (K). */
  temperature: number;
  /** The solid basin (B) and the liquid basin (A). */
  isSolid: BasinTest;
  isLiquid: BasinTest;
  /** Shots per configuration (default 10). */
  shots?: number;
  /** A shot still in neither basin after this time is undecided (ps, default 20). */
  maxTime?: number;
  /** Time between basin tests (ps, default 0.5). */
  checkEvery?: number;
  /** MD timestep (fs, default 1), Nosé–Hoover relaxation time (fs, default 100), velocity seed (default 1). */
  timestep?: number;
  relaxation?: number;
  seed?: number;
  onProgress?: (progress: { configuration: number; shot: number; outcome: 'solid' | 'liquid' | 'undecided' }) => void;
  signal?: AbortSignal;
}

/** The shots from one configuration. */
export interface CommittorShots {
  /** Outcome and time of commitment (ps; maxTime when undecided) of each shot. */
  outcomes: ('solid' | 'liquid' | 'undecided')[];
  times: number[];
  /** p_B = solid / (solid + liquid); NaN when no shot committed. */
  committor: number;
  /** Binomial standard error √(p(1 − p)/decided). */
  error: number;
}

/** What {@link committor} returns (plain data). */
export interface CommittorResult {
  /** p_B of each configuration. */
  committors: number[];
  configurations: CommittorShots[];
  temperature: number;
  seconds: number;
}

/**
 * The committor of each configuration: `shots` trajectories from it (velocities drawn afresh at
 * `temperature`, Nosé–Hoover at that temperature), each tested every `checkEvery` ps — the
 * configuration itself first — until `isSolid` or `isLiquid` holds or `maxTime` passes.
 * @example
 * const isSolid = (s) => clusters(s, solidAtoms(s, { cutoff: 3.5 }).solid, { cutoff: 3.5 }).largest > 150;
 * const isLiquid = (s) => clusters(s, solidAtoms(s, { cutoff: 3.5 }).solid, { cutoff: 3.5 }).largest < 20;
 * const c = await committor(potential, frames, { temperature: 1200, isSolid, isLiquid, shots: 20 });
 */
export async function committor(potential: Potential, configurations: Structure | readonly Structure[], options: CommittorOptions): Promise<CommittorResult> {
  const o = checkOptions(options, ['temperature', 'isSolid', 'isLiquid', 'shots', 'maxTime', 'checkEvery', 'timestep', 'relaxation', 'seed', 'onProgress', 'signal'], 'committor');
  checkPotential(potential, 'committor');
  const list = configurations instanceof Structure ? [configurations] : configurations;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => s instanceof Structure)) throw new PolymorphError('E_TYPE', 'committor: expected a Structure or a non-empty array of them');
  if (typeof o.isSolid !== 'function' || typeof o.isLiquid !== 'function') throw new PolymorphError('E_TYPE', 'committor: isSolid and isLiquid must be functions of a frame');
  const temperature = positive(o.temperature, 'committor', 'temperature');
  const shots = o.shots ?? 10;
  if (!(Number.isInteger(shots) && shots >= 1)) throw new PolymorphError('E_VALUE', `committor: shots must be an integer ≥ 1, got ${String(o.shots)}`);
  const maxTime = positive(o.maxTime ?? 20, 'committor', 'maxTime'), checkEvery = positive(o.checkEvery ?? 0.5, 'committor', 'checkEvery');
  const timestep = positive(o.timestep ?? 1, 'committor', 'timestep'), relaxation = positive(o.relaxation ?? 100, 'committor', 'relaxation');
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw new PolymorphError('E_VALUE', `committor: seed must be an integer, got ${String(o.seed)}`);
  for (const s of list) potential.compute(s);  // fail now when the potential does not cover a configuration
  const started = Date.now();
  const every = Math.max(1, Math.round((checkEvery * 1000) / timestep));
  const results: CommittorShots[] = [];
  for (let c = 0; c < list.length; ++c) {
    const outcomes: ('solid' | 'liquid' | 'undecided')[] = [], times: number[] = [];
    for (let k = 0; k < shots; ++k) {
      if (o.signal?.aborted) throw new PolymorphError('E_CANCELLED', `committor: cancelled at configuration ${c}, shot ${k}`);
      const basin = async (frame: Structure): Promise<'solid' | 'liquid' | null> => {
        const solid = await o.isSolid(frame), liquid = await o.isLiquid(frame);
        if (solid && liquid) throw new PolymorphError('E_VALUE', 'committor: a frame is in both basins: isSolid and isLiquid must exclude each other');
        return solid ? 'solid' : liquid ? 'liquid' : null;
      };
      let outcome = await basin(list[c]);
      let time = 0;
      if (outcome === null) {
        const md = new MolecularDynamics(maxwellBoltzmann(list[c], { temperature, seed: seed + 7919 * c + k }), potential,
          { timestep, integrator: new NoseHooverChain({ temperature, relaxation }) });
        // Runs record by record and stops at the first record in a basin.
        while (outcome === null && time < maxTime) {
          const record = await md.run(every, { every, signal: o.signal });
          time = record.time / 1000;
          outcome = await basin(md.structure);
        }
      }
      outcomes.push(outcome ?? 'undecided');
      times.push(outcome === null ? maxTime : time);
      o.onProgress?.({ configuration: c, shot: k, outcome: outcome ?? 'undecided' });
    }
    const solid = outcomes.filter((x) => x === 'solid').length, liquid = outcomes.filter((x) => x === 'liquid').length;
    const decided = solid + liquid;
    const p = decided > 0 ? solid / decided : Number.NaN;
    results.push({ outcomes, times, committor: p, error: decided > 0 ? Math.sqrt((p * (1 - p)) / decided) : Number.NaN });
  }
  const result: CommittorResult = { committors: results.map((r) => r.committor), configurations: results, temperature, seconds: (Date.now() - started) / 1000 };
  return withInspect(result, () => summary('Committor', {
    configurations: list.length, shots, T: `${formatNumber(temperature)} K`,
    'p_B': result.committors.map((p) => formatNumber(p, 3)).join(', '),
  }));
}

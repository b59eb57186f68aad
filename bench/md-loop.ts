/**
 * MD-like loop benchmark (issue 9): 100 steps of rattling 4 608-atom wurtzite ZnO (12×12×8
 * cells) by up to 0.01 Å per coordinate per step, evaluating energy and forces of the rigid-ion
 * model (Buckingham 10 Å + PME, ±2 e) at every step. Two ways, on the same trajectory:
 *  - `compute` per step (a fresh neighbour list every call: the evaluation before issue 9);
 *  - one shared Verlet list (half, lean, skin 1 Å) passed as `neighbors`, rebuilt only when
 *    `needsRebuild` says so (as an MD engine does).
 * Prints JSON lines: per-step medians, the ratio and the number of rebuilds; one thread, then two.
 *
 * The target (≤ 0.6) is against the evaluation before issue 9. With
 * POLYMORPH_BASELINE=<checkout of an older polymorph, built> the same steps also run through
 * that build's `compute` (its own addon, a fresh list per call), interleaved step by step with
 * this build's shared-list evaluation in one process, so that both see the same machine state;
 * the ratio of the medians is printed as 'vs baseline'.
 * Run: npm run bench -- md-loop   (e.g. POLYMORPH_BASELINE=/tmp/old npm run bench -- md-loop)
 */
import * as polymorph from 'polymorph';
import { Buckingham, NeighborList, rattle, setNumThreads, SumPotential, wurtzite } from 'polymorph';
import type { Structure } from 'polymorph';
import { median, report } from './timing';

const steps = 100;

type Library = typeof polymorph;

function model(library: Library = polymorph): { potential: SumPotential; cutoff: (s: Structure) => number } {
  const { buckingham } = library.zincOxideBuckingham();
  const ewald = new library.Ewald({ charges: { Zn: 2, O: -2 }, method: 'pme', accuracy: 1e-5 });
  return { potential: new library.SumPotential([buckingham, ewald]), cutoff: (s) => Math.max((buckingham as Buckingham).cutoff, ewald.parameters(s).cutoff) };
}

/** The older build named by POLYMORPH_BASELINE, if any. */
function baseline(): Library | undefined {
  const dir = process.env.POLYMORPH_BASELINE;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return dir ? (require(`${dir}/dist`) as Library) : undefined;
}

/** The trajectory: positions of every step (a seeded random walk of 0.01 Å per coordinate). */
function trajectory(start: Structure): Float64Array[] {
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const frames: Float64Array[] = [];
  const x = Float64Array.from(start.positions.data);
  for (let step = 0; step < steps; ++step) {
    for (let k = 0; k < x.length; ++k) x[k] += 0.02 * (random() - 0.5);
    frames.push(Float64Array.from(x));
  }
  return frames;
}

function run(threads: number, old: Library | undefined): void {
  setNumThreads(threads);
  old?.setNumThreads(threads);
  const s = rattle(wurtzite().repeat([12, 12, 8]), 0.02, 1);
  const { potential, cutoff } = model();
  const frames = trajectory(s);
  potential.compute(s, { forces: true }); // warm: evaluators, PME tables
  const fresh: number[] = [];
  const shared: number[] = [];
  let rebuilds = 0;
  const list = NeighborList.build(s, cutoff(s), { full: false, skin: 1.0 });
  let worst = 0;
  const before = old ? { s: old.rattle(old.wurtzite().repeat([12, 12, 8]), 0.02, 1), ...model(old) } : undefined;
  before?.potential.compute(before.s, { forces: true });
  const baselineTimes: number[] = [];
  for (const frame of frames) {
    s.positions.data.set(frame);
    let t0 = process.hrtime.bigint();
    let baselineEnergy: number | undefined;
    if (before) {
      before.s.positions.data.set(frame);
      baselineEnergy = before.potential.compute(before.s, { forces: true }).energy;
      baselineTimes.push(Number(process.hrtime.bigint() - t0) / 1e9);
      t0 = process.hrtime.bigint();
    }
    const a = potential.compute(s, { forces: true });
    if (baselineEnergy !== undefined) worst = Math.max(worst, Math.abs(baselineEnergy - a.energy) / Math.abs(a.energy));
    fresh.push(Number(process.hrtime.bigint() - t0) / 1e9);
    t0 = process.hrtime.bigint();
    if (list.needsRebuild(s)) list.update(s), ++rebuilds;
    const b = potential.compute(s, { forces: true, neighbors: list });
    shared.push(Number(process.hrtime.bigint() - t0) / 1e9);
    worst = Math.max(worst, Math.abs(a.energy - b.energy) / Math.abs(a.energy));
  }
  const common = { atoms: s.length, steps, threads, model: 'Buckingham 10 Å + PME 1e-5' };
  report({ what: 'md-like loop, compute per step (fresh list)', ...common, median_s: median(fresh) });
  report({ what: 'md-like loop, shared Verlet list (skin 1 Å)', ...common, median_s: median(shared), rebuilds, max_relative_energy_difference: worst });
  report({ what: 'md-like loop ratio', ...common, ratio: median(shared) / median(fresh) });
  if (before) {
    report({ what: 'md-like loop, baseline build compute per step', baseline: process.env.POLYMORPH_BASELINE, ...common, median_s: median(baselineTimes) });
    report({ what: 'md-like loop ratio vs baseline', ...common, ratio: median(shared) / median(baselineTimes), target: 0.6 });
  }
}

const old = baseline();
run(1, old);
run(2, old);

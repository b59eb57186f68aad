/**
 * Committee disagreement as an error estimate (issue 13): a committee of HDNNPs trained on the
 * LJ256 structures at T* ≤ 1.0 (Kalman filter, n2p2's settings from the shipped input.nn; members
 * differ by seed and by an 80 % subset) ranks the held-out T* = 1.5 structures by their actual
 * error: Spearman ρ between the committee's spread and the committee mean's error, per structure,
 * for energies (σ_E vs |ΔE|/N) and forces (RMS of the per-atom force deviations vs force RMSE).
 * Target: ρ ≥ 0.5. One thread. Prints JSON. Run: npm run bench -- hdnnp-committee [members] [epochs]
 */
import * as path from 'path';
import { HdnnpCommittee, readAll, setNumThreads, type Structure } from 'polymorph';
import { sharedData } from './shared-data';
import { report } from './timing';

const dir = path.join(sharedData, 'training', 'LJ256');

function ranks(x: number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  for (let k = 0; k < order.length;) {
    let j = k;
    while (j + 1 < order.length && order[j + 1][0] === order[k][0]) ++j;
    for (let q = k; q <= j; ++q) r[order[q][1]] = (k + j) / 2;
    k = j + 1;
  }
  return r;
}

function spearman(x: number[], y: number[]): number {
  const rx = ranks(x), ry = ranks(y), n = x.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n, my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; ++i) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const temperature = (s: Structure): number => Number(/T=([\d.]+)/.exec(String(s.info.comment))?.[1]);

async function main(): Promise<void> {
  const members = Number(process.argv[2] ?? 4), epochs = Number(process.argv[3] ?? 3);
  setNumThreads(1);
  const all = readAll(path.join(dir, 'input.data'), { format: 'n2p2' });
  const cold = all.filter((s) => temperature(s) <= 1.0), hot = all.filter((s) => temperature(s) === 1.5);
  const started = Date.now();
  const { committee, results } = await HdnnpCommittee.train(cold, {
    settings: path.join(dir, 'input.nn'), normalize: false, optimizer: { type: 'kalman' }, epochs, members, subsample: 0.8, seed: 11,
    validation: { fraction: 0.1, seed: 3 }, onMember: (k, r) => report({ what: 'hdnnp-committee member', member: k, seconds: r.seconds, validation: r.history[r.bestEpoch].validation }),
  });
  const spread: number[] = [], energyError: number[] = [], forceSpread: number[] = [], forceError: number[] = [];
  for (const s of hot) {
    const r = committee.compute(s, { forces: true });
    spread.push(r.energyDeviation / s.length);
    energyError.push(Math.abs(r.energy - (s.info.energy as number)) / s.length);
    const f = s.arrays.forces as unknown as { get(i: number, a: number): number };
    let e2 = 0, d2 = 0;
    for (let i = 0; i < s.length; ++i) {
      d2 += r.forceDeviations![i] ** 2;
      for (let a = 0; a < 3; ++a) e2 += (r.forces!.get(i, a) - f.get(i, a)) ** 2;
    }
    forceSpread.push(Math.sqrt(d2 / s.length));
    forceError.push(Math.sqrt(e2 / (3 * s.length)));
  }
  const rhoE = spearman(spread, energyError), rhoF = spearman(forceSpread, forceError);
  report({
    what: 'hdnnp-committee LJ256: T* ≤ 1.0 trained, T* = 1.5 held out', members, epochs, trained_on: cold.length, held_out: hot.length,
    spearman_energy: rhoE, spearman_forces: rhoF, meets_target: rhoE >= 0.5 && rhoF >= 0.5, seconds: (Date.now() - started) / 1000,
    member_validation: results.map((r) => r.history[r.bestEpoch].validation),
  });
}

void main();

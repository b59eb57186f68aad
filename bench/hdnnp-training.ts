/**
 * HDNNP training benchmark (issue 13): polymorph's Kalman filter against n2p2's `nnp-train` on
 * LJ256 (990 Lennard-Jones structures of 256 atoms, the shipped input.nn: 22 symmetry functions,
 * 2 × 10 tanh, Kalman settings, force fraction 0.02), same test structures as n2p2's split, one
 * thread. polymorph's clock starts before its scaling pass (n2p2's nnp-scaling, 80 s, is not in
 * n2p2's figures), and its validation errors are computed on the test structures after every epoch.
 * Prints one JSON line per epoch and a summary: the first epoch at or below n2p2's best test RMSE
 * (energy 0.00400 ε/atom and forces 0.325 ε/σ, both at its epoch 8, 3 224 s), its wall time, the
 * ratio to n2p2's, and the peak resident memory. Target: ratio ≤ 0.5 within 1 GB.
 * Defaults: 14 epochs and a pool of 32 structures (about 15.5 MB per pooled structure: peak 708 MiB
 * in the run with seed 2 that met the target, docs/guides/training.md); the library's default pool is 8.
 * Needs ../shared/data beside the project. Run: npm run bench -- hdnnp-training [epochs] [pool] [seed]
 * (the seed of the initial weights and of the structure order; default 1).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readAll, setNumThreads, trainHdnnp } from 'polymorph';
import { lj256TestStructures, sharedData } from './shared-data';
import { report } from './timing';

const dir = path.join(sharedData, 'training', 'LJ256');

/** n2p2's learning curve: per epoch the test RMSEs (columns 3 and 11) and the SUMMARY's total seconds. */
function anchor(): { epoch: number; energy: number; forces: number; seconds: number }[] {
  const curve = fs.readFileSync(path.join(dir, 'n2p2-anchor', 'learning-curve.out'), 'utf8').split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).map(Number));
  const seconds = new Map<number, number>();
  for (const line of fs.readFileSync(path.join(dir, 'n2p2-anchor', 'SUMMARY.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim()).filter((c) => c !== '');
    if (cells.length === 7 && /^\d+$/.test(cells[0])) seconds.set(Number(cells[0]), Number(cells[6]));
  }
  return curve.map((c) => ({ epoch: c[0], energy: c[2], forces: c[10], seconds: seconds.get(c[0]) ?? NaN }));
}

async function main(): Promise<void> {
  const epochs = Number(process.argv[2] ?? 14), pool = Number(process.argv[3] ?? 32), seed = Number(process.argv[4] ?? 1);
  setNumThreads(1);
  const n2p2 = anchor();
  // n2p2's best test RMSE over its epochs, each quantity on its own, and when it had reached both.
  const trained = n2p2.filter((r) => r.epoch > 0);
  const bestEnergy = trained.reduce((a, b) => (b.energy < a.energy ? b : a)), bestForces = trained.reduce((a, b) => (b.forces < a.forces ? b : a));
  const target = { energy: bestEnergy.energy, forces: bestForces.forces };
  const best = { epoch: Math.max(bestEnergy.epoch, bestForces.epoch), seconds: Math.max(bestEnergy.seconds, bestForces.seconds) };
  const test = lj256TestStructures();
  const structures = readAll(path.join(dir, 'input.data'), { format: 'n2p2' });
  let reached: { epoch: number; seconds: number } | null = null;
  const result = await trainHdnnp(structures, {
    settings: path.join(dir, 'input.nn'), normalize: false, optimizer: { type: 'kalman', pool }, epochs, validation: { indices: test }, seed,
    onEpoch: (e) => {
      const v = e.validation!;
      const meets = v.energyRmse <= target.energy && v.forceRmse <= target.forces;
      if (meets && !reached) reached = { epoch: e.epoch, seconds: e.seconds };
      const row = n2p2.find((r) => r.epoch === e.epoch);
      report({
        what: 'hdnnp-training LJ256 Kalman, 1 thread', pool, seed, epoch: e.epoch, seconds: e.seconds, test_energy_rmse: v.energyRmse, test_force_rmse: v.forceRmse,
        train_energy_rmse: e.train.energyRmse, train_force_rmse: e.train.forceRmse,
        n2p2_test_energy_rmse: row?.energy, n2p2_test_force_rmse: row?.forces, n2p2_seconds: row?.seconds, rss_mb: process.resourceUsage().maxRSS / 1024,
      });
    },
  });
  const r = reached as { epoch: number; seconds: number } | null;
  report({
    what: 'hdnnp-training LJ256 summary', n2p2_best: { ...best, ...target }, polymorph_reached_at: r, ratio: r ? r.seconds / best.seconds : null,
    meets_target: r !== null && r.seconds <= 0.5 * best.seconds && process.resourceUsage().maxRSS / 1024 <= 1024,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024, cache_mb: result.cacheBytes / 1e6, epochs: result.history.length - 1, seconds: result.seconds,
  });
}

void main();

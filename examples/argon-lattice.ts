/**
 * Lennard-Jones argon: energy per atom and pressure against the fcc lattice constant, and the
 * equilibrium found from the zero of the pressure. With a long cutoff the minimum lies at a
 * nearest-neighbour distance of 1.0902 σ (the fcc LJ lattice sums); a 2.5 σ cutoff moves it.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/argon-lattice.js
 */
import { fcc, LennardJones } from 'polymorph';

const epsilon = 0.0104; // eV
const sigma = 3.4; // Å

for (const cutoff of [2.5 * sigma, 6 * sigma]) {
  const argon = new LennardJones({ epsilon, sigma, cutoff });
  const pressureAt = (a: number): number => {
    const { stress } = argon.compute(fcc('Ar', a), { stress: true });
    return -(stress!.get(0, 0) + stress!.get(1, 1) + stress!.get(2, 2)) / 3; // eV/Å³
  };
  console.log(`cutoff ${(cutoff / sigma).toFixed(1)} σ`);
  for (let a = 5.1; a <= 5.5001; a += 0.1) {
    const { energy } = argon.compute(fcc('Ar', a), {});
    console.log(`  a = ${a.toFixed(2)} Å   E/N = ${(energy / 4 / epsilon).toFixed(4)} ε   p = ${(pressureAt(a) * 160.2177).toFixed(4)} GPa`);
  }
  // Bisection on the pressure for the equilibrium lattice constant.
  let lo = 5.0, hi = 5.6;
  for (let k = 0; k < 60; ++k) {
    const mid = 0.5 * (lo + hi);
    if (pressureAt(mid) > 0) lo = mid;
    else hi = mid;
  }
  const a0 = 0.5 * (lo + hi);
  console.log(`  equilibrium a = ${a0.toFixed(4)} Å, nearest neighbours at ${(a0 / Math.SQRT2 / sigma).toFixed(4)} σ\n`);
}

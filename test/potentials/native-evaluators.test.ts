// Native evaluators on one shared neighbour list (issue 9): one list build per native sum call,
// none on a caller's list, async calls read their inputs once, requests are checked, Ewald reports
// its real-space cutoff, lean lists and the memory budget.
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { rattle, rocksalt, wurtzite } from '../../lib/build/crystals';
import { native } from '../../lib/core/native';
import { Buckingham } from '../../lib/potentials/buckingham';
import { Coulomb } from '../../lib/potentials/coulomb';
import { Ewald } from '../../lib/potentials/ewald';
import { LennardJones } from '../../lib/potentials/lennard-jones';
import type { ComputeRequest, Potential, Results } from '../../lib/potentials/potential';
import { SumPotential } from '../../lib/potentials/sum';
import { zincOxideBuckingham } from '../../lib/potentials/zinc-oxide';
import { NeighborList } from '../../lib/structure/neighbor-list';
import { Structure } from '../../lib/structure/structure';
import { expectCode, expectSameResults } from './conformance';

const builds = (): number => native().neighborListBuildCount();

/** Rattled 3×3×2 wurtzite ZnO (72 ions): a copy each call. */
const zno = (): Structure => rattle(wurtzite().repeat([3, 3, 2]), 0.05, 3);

/** A potential written in TypeScript (the slow path of a sum): E = ½ k Σ |r_i − r0_i|². */
class Tether implements Potential {
  readonly cutoff = 0;
  constructor(private readonly anchor: Float64Array, private readonly k = 0.3) {}
  compute(s: Structure, want: ComputeRequest = {}): Results {
    const n = s.length;
    const forces = new Float64Array(3 * n);
    let energy = 0;
    for (let i = 0; i < n; ++i) {
      for (let a = 0; a < 3; ++a) {
        const d = s.positions.get(i, a) - this.anchor[3 * i + a];
        energy += 0.5 * this.k * d * d;
        forces[3 * i + a] = -this.k * d;
      }
    }
    const out: Results = { energy };
    if (want.forces) out.forces = ndarray(forces, [n, 3]);
    if (want.stress) out.stress = ndarray(new Float64Array(9), [3, 3]);
    if (want.atomEnergies) out.atomEnergies = new Float64Array(n).fill(energy / n);
    return out;
  }
  async computeAsync(s: Structure, want: ComputeRequest = {}): Promise<Results> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.compute(s, want);
  }
}

describe('native sums', () => {
  it('a native sum builds exactly one neighbour list per call, and none on a caller list', () => {
    const { potential, buckingham, ewald } = zincOxideBuckingham();
    const s = zno();
    expect(potential.native).toBe(true);
    potential.compute(s); // warm: evaluators are created once
    const before = builds();
    const total = potential.compute(s, { forces: true, stress: true });
    expect(builds() - before).toBe(1);
    const parts = [buckingham.compute(s, { forces: true, stress: true }), ewald.compute(s, { forces: true, stress: true })];
    expect(builds() - before).toBe(3);
    expect(Math.abs(total.energy - parts[0].energy - parts[1].energy)).toBeLessThan(1e-10 * Math.abs(total.energy));
    const list = NeighborList.build(s, Math.max(buckingham.cutoff, ewald.parameters(s).cutoff), { full: false, skin: 0.5 });
    const at = builds();
    const shared = potential.compute(s, { forces: true, stress: true, neighbors: list });
    expect(builds()).toBe(at);
    expectSameResults(shared, total, 1e-12, 'sum on a caller list');
  });

  it('a sum with a term written in TypeScript runs term by term and gives the weighted sum', () => {
    const s = zno();
    const lj = new LennardJones({ pairs: { 'Zn-Zn': { epsilon: 0.01, sigma: 2.5 }, 'O-O': { epsilon: 0.01, sigma: 2.5 }, 'Zn-O': { epsilon: 0.02, sigma: 2.0 } }, cutoff: 6 });
    const tether = new Tether(Float64Array.from(s.positions.data).map((x) => x + 0.01));
    const sum = new SumPotential([[lj, 2], [tether, 0.5]]);
    expect(sum.native).toBe(false);
    const r = sum.compute(s, { forces: true });
    const a = lj.compute(s, { forces: true }), b = tether.compute(s, { forces: true });
    expect(r.energy).toBeCloseTo(2 * a.energy + 0.5 * b.energy, 12);
    for (let k = 0; k < 3 * s.length; ++k) expect(r.forces!.data[k]).toBeCloseTo(2 * a.forces!.data[k] + 0.5 * b.forces!.data[k], 12);
  });

  it('computeAsync evaluates the positions of the call, even if they change before it finishes (native and term-by-term sums)', async () => {
    const { potential } = zincOxideBuckingham();
    const s = zno();
    const tether = new Tether(Float64Array.from(s.positions.data));
    for (const sum of [potential, new SumPotential([potential, tether])]) {
      const expected = sum.compute(s, { forces: true, stress: true });
      const pending = sum.computeAsync(s, { forces: true, stress: true });
      for (let k = 0; k < s.positions.data.length; ++k) s.positions.data[k] += 0.2; // move every atom at once
      s.positions.data[0] += 0.3;
      const got = await pending;
      for (let k = 0; k < s.positions.data.length; ++k) s.positions.data[k] -= 0.2;
      s.positions.data[0] -= 0.3;
      expectSameResults(got, expected, 1e-12, `${sum.native ? 'native' : 'term-by-term'} async snapshot`);
    }
  });

  it('a misspelt request key is refused by every potential (E_VALUE naming the expected keys)', () => {
    const s = zno();
    const potentials: Potential[] = [
      new LennardJones({ epsilon: 0.01, sigma: 2.5, cutoff: 5 }),
      new Buckingham({ pairs: { 'Zn-O': { A: 500, rho: 0.35 } }, cutoff: 6 }),
      new Coulomb({ charges: { Zn: 2, O: -2 }, dsf: { alpha: 0.2, cutoff: 8 } }),
      new Ewald({ charges: { Zn: 2, O: -2 } }),
      zincOxideBuckingham().potential,
    ];
    for (const p of potentials) {
      expect(() => p.compute(s, { force: true } as ComputeRequest)).toThrow(/unknown option 'force'.*Did you mean 'forces'/);
      expectCode(() => p.compute(s, { force: true } as ComputeRequest), 'E_VALUE');
    }
  });
});

describe('Ewald cutoff', () => {
  it('reports the real-space cutoff it uses', () => {
    const s = rocksalt(['Na', 'Cl'], 5.64).repeat([2, 2, 2]);
    const charges = { Na: 1, Cl: -1 };
    expect(new Ewald({ charges, cutoff: 10 }).cutoff).toBe(10);
    expect(new Ewald({ charges, cutoff: 10 }).parameters(s).cutoff).toBe(10);
    const alpha = new Ewald({ charges, alpha: 0.4, accuracy: 1e-6 });
    expect(alpha.cutoff).toBeCloseTo(alpha.parameters(s).cutoff, 14);
    const pme = new Ewald({ charges, method: 'pme' });
    expect(pme.cutoff).toBe(pme.parameters(s).cutoff);
    // The default Ewald method chooses α (and r_c) per structure: cutoff 0 says so.
    expect(new Ewald({ charges }).cutoff).toBe(0);
  });
});

describe('lean neighbour lists and the memory budget', () => {
  it('a lean list computes vectors and distances on first access, equal to a list that stores them', () => {
    const s = zno();
    const lean = NeighborList.build(s, 6, { full: false });
    const stored = NeighborList.build(s, 6, { full: false, vectors: true });
    expect(lean.storesVectors).toBe(false);
    expect(Array.from(lean.neighbors)).toEqual(Array.from(stored.neighbors));
    // To round-off: the build works on wrapped positions, the lean list from the positions as given.
    for (let k = 0; k < stored.vectors.length; ++k) expect(Math.abs(lean.vectors[k] - stored.vectors[k])).toBeLessThan(1e-12);
    for (let k = 0; k < stored.distances.length; ++k) expect(Math.abs(lean.distances[k] - stored.distances[k])).toBeLessThan(1e-12);
  });

  it('NeighborList.build(wurtzite(), 1e4) is refused within a second with E_VALUE stating the estimate', () => {
    const t0 = performance.now();
    expect(() => NeighborList.build(wurtzite(), 1e4)).toThrow(/about [\d.e+]+ pairs \([\d.e+]+ GB\).*memory limit/);
    expectCode(() => NeighborList.build(wurtzite(), 1e4), 'E_VALUE');
    expect(performance.now() - t0).toBeLessThan(1000);
    // A lower budget refuses what the default allows; a misspelt option is refused too.
    expectCode(() => NeighborList.build(wurtzite(), 20, { memoryLimit: 1e4 }), 'E_VALUE');
    expect(NeighborList.build(wurtzite(), 20).size).toBeGreaterThan(1000);
    expect(() => NeighborList.build(wurtzite(), 6, { ful: false } as never)).toThrow(/unknown option 'ful'.*Did you mean 'full'/);
  });

  it('Ewald k-vectors and PME grids beyond the budget are refused within a second', () => {
    const s = rocksalt(['Na', 'Cl'], 5.64).repeat([2, 2, 2]);
    const t0 = performance.now();
    expect(() => new Ewald({ charges: { Na: 1, Cl: -1 }, kmax: 500 }).compute(s)).toThrow(/k-vectors/);
    expect(() => new Ewald({ charges: { Na: 1, Cl: -1 }, method: 'pme', grid: [2048, 2048, 2048], order: 4 }).compute(s)).toThrow(/PME: a 2048×2048×2048 grid/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

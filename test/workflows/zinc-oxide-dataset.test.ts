import { inspect } from 'util';
import { beforeAll, describe, expect, it } from 'vitest';
import { cubane } from '../../lib/build/zinc-oxide-polymorphs';
import { zincOxideBuckingham } from '../../lib/potentials/zinc-oxide';
import { NeighborList } from '../../lib/structure/neighbor-list';
import type { Structure } from '../../lib/structure/structure';
import { disorderedBinary, minimumDistanceViolation } from '../../lib/workflows/disordered';
import { liquidSamples } from '../../lib/workflows/liquid-samples';
import { zincOxideDataset, type ZincOxideDataset } from '../../lib/workflows/zinc-oxide-dataset';
import { cubaneFramework, LATTICE_TOLERANCE, POLYMORPH_NAMES, relaxZincOxidePolymorph, type RelaxedPolymorph } from '../../lib/workflows/zinc-oxide-lattices';
import { expectCode } from '../potentials/conformance';

// The size of the PLIP+Q example (examples/demo.ts): 7 × 6 bulk, 2 × 4 slabs, 6 liquid snapshots.
const SIZE = { bulkCount: 6, slabCount: 4, liquidCount: 6 };
const START = { minimumDistances: { unlike: 1.75, like: 2.6 }, steps: 150, maxStep: 0.1, fmax: 0.5 };
const LIQUID = { symbols: ['Zn', 'O'] as [string, string], atoms: 16, density: 0.075, minimumDistances: { unlike: 1.75, like: 2.6 }, seed: 0,
  potential: zincOxideBuckingham().potential, steps: 20, maxStep: 0.1, fmax: 0.5 };
const maxAbs = (x: { data: ArrayLike<number> }): number => Array.from(x.data).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Largest static structure factor per atom, max S(k)/N with S(k) = |Σ_j exp(i k·r_j)|²/N, over the
 * wave-vectors of the periodic cell (k = 2π·(h, k, l)·cell⁻ᵀ, 0 < |k| ≤ kMax Å⁻¹). A crystal has
 * Bragg peaks with S/N = |F|²·exp(−k²⟨u²⟩), close to 1 at reflections where every atom is in
 * phase; a configuration without long-range order has S(k) = O(1), exponentially distributed
 * about the liquid's S̄(k) (a few at most), so S/N > ½ at any of m vectors has probability about
 * m·exp(−N/(2S̄)) (below 1e-3 for N = 64, S̄ ≤ 3, m ≈ 2000).
 */
function braggFraction(s: Structure, kMax: number): number {
  const c = [0, 1, 2].map((i) => [0, 1, 2].map((j) => s.cell!.get(i, j)));
  const det = c[0][0] * (c[1][1] * c[2][2] - c[1][2] * c[2][1]) - c[0][1] * (c[1][0] * c[2][2] - c[1][2] * c[2][0]) + c[0][2] * (c[1][0] * c[2][1] - c[1][1] * c[2][0]);
  const cross = (u: number[], v: number[]): number[] => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const b = [cross(c[1], c[2]), cross(c[2], c[0]), cross(c[0], c[1])].map((v) => v.map((x) => (2 * Math.PI * x) / det));
  const m = b.map((_, i) => Math.ceil((kMax * Math.hypot(...c[i])) / (2 * Math.PI)));
  let best = 0;
  for (let h = 0; h <= m[0]; ++h) for (let k = -m[1]; k <= m[1]; ++k) for (let l = -m[2]; l <= m[2]; ++l) {
    if (h === 0 && (k < 0 || (k === 0 && l <= 0))) continue;  // one of each ±k pair, no k = 0
    const q = [0, 1, 2].map((a) => h * b[0][a] + k * b[1][a] + l * b[2][a]);
    if (Math.hypot(...q) > kMax) continue;
    let re = 0, im = 0;
    for (let i = 0; i < s.length; ++i) {
      const phase = q[0] * s.positions.get(i, 0) + q[1] * s.positions.get(i, 1) + q[2] * s.positions.get(i, 2);
      re += Math.cos(phase);
      im += Math.sin(phase);
    }
    best = Math.max(best, (re * re + im * im) / s.length ** 2);
  }
  return best;
}

describe('zincOxideDataset', () => {
  let data: ZincOxideDataset;
  beforeAll(() => { data = zincOxideDataset({ seed: 2, ...SIZE }); }, 120000);

  it('has every kind, with the energy and force labels of a fresh reference evaluation', () => {
    const counts: Record<string, number> = {};
    for (const s of data.structures) counts[String(s.info.kind)] = (counts[String(s.info.kind)] ?? 0) + 1;
    expect(counts).toEqual({
      'bulk-wurtzite': 6, 'bulk-zincblende': 6, 'bulk-rocksalt': 6, 'bulk-hbn': 6, 'bulk-bct': 6, 'bulk-sodalite': 6, 'bulk-cubane': 6,
      'slab-polar': 4, 'slab-nonpolar': 4, liquid: 6,
    });
    const fresh = zincOxideBuckingham({ accuracy: 1e-6 }).potential;
    for (const s of data.structures) {
      const r = fresh.compute(s, { forces: true });
      expect(Math.abs((s.info.energy as number) - r.energy)).toBeLessThan(1e-9 * Math.abs(r.energy));
      const f = s.arrays.forces as { shape: number[]; data: Float64Array };
      expect(f.shape).toEqual([s.length, 3]);
      expect(maxAbs({ data: f.data.map((x, k) => x - r.forces!.data[k]) })).toBeLessThan(1e-9);
    }
  });

  it('uses 16-atom bulk supercells (sodalite 24) of the relaxed polymorphs and 64-atom liquid boxes at 0.075 atoms/Å³', () => {
    const sizes: Record<string, number> = { 'bulk-sodalite': 24, liquid: 64, 'slab-polar': 32, 'slab-nonpolar': 16 };
    for (const s of data.structures) expect(s.length).toBe(sizes[String(s.info.kind)] ?? 16);
    for (const s of data.structures.filter((x) => x.info.kind === 'liquid')) expect(s.length / s.volume).toBeCloseTo(0.075, 12);
  });

  // The relaxations stop when the simplex energies agree within δ = 1e-12 eV/atom. An energy
  // within δ of a minimum of curvature κ (per atom) leaves a gradient of at most √(2κδ):
  // stress ≤ √(2Cδ/v), elastic constants C ≤ 3 eV/Å³ (480 GPa), volume v ≥ 10 Å³/atom → 7.7e-7 eV/Å³;
  // forces ≤ √(2kδ), force constants k ≤ 50 eV/Å² → 1e-5 eV/Å. Checked with Ewald ε = 1e-8
  // (at the data set's 1e-6 the Ewald stress itself is only good to ~1e-5 eV/Å³).
  it('relaxes every polymorph to a stationary point: zero forces and zero stress on the ideal cell', () => {
    expect(LATTICE_TOLERANCE.energyTolerance).toBe(1e-12);
    const tight = zincOxideBuckingham({ accuracy: 1e-8 }).potential;
    for (const name of POLYMORPH_NAMES) {
      const relaxed = relaxZincOxidePolymorph(name, tight);
      const r = tight.compute(relaxed.structure, { forces: true, stress: true });
      expect(maxAbs(r.forces!), name).toBeLessThan(1e-5);
      expect(maxAbs(r.stress!), name).toBeLessThan(7.7e-7);
      // The data set's lattices (Ewald 1e-6): a stress error ≤ 1e-5 eV/Å³ over C ≥ 0.1 eV/Å³ moves them by ≤ 1e-4 (relative).
      data.lattices[name].parameters.forEach((p, k) => expect(Math.abs(p - relaxed.parameters[k]), `${name} ${relaxed.parameterNames[k]}`).toBeLessThan(1e-4 * Math.abs(p)));
    }
  }, 60000);

  it('finds wurtzite lowest, then BCT, sodalite, zincblende, h-BN, cubane, rocksalt (the energies of the doc comment)', () => {
    const e = (name: keyof ZincOxideDataset['lattices']): number => data.lattices[name].energyPerAtom;
    const order = ['wurtzite', 'BCT', 'sodalite', 'zincblende', 'hBN', 'cubane', 'rocksalt'] as const;
    for (let k = 1; k < order.length; ++k) expect(e(order[k]), `${order[k - 1]} < ${order[k]}`).toBeGreaterThan(e(order[k - 1]));
    // Documented to 5 decimals (eV/atom).
    const documented = { wurtzite: -19.67101, BCT: -19.66743, sodalite: -19.64035, zincblende: -19.62596, hBN: -19.62574, cubane: -19.58025, rocksalt: -19.52952 };
    for (const [name, value] of Object.entries(documented)) expect(Math.abs(e(name as keyof typeof documented) - value), name).toBeLessThanOrEqual(5e-6);
  });

  // Unlike neighbours within 2.7 Å: between the longest first-shell Zn–O distance of the seven
  // (2.32 Å, h-BN along c) and the shortest second-shell one (3.14 Å, wurtzite).
  it('keeps each polymorph in its topology: coordination 4 (wurtzite, zincblende, BCT, sodalite, cubane), 5 (h-BN), 6 (rocksalt)', () => {
    const expected = { wurtzite: 4, zincblende: 4, rocksalt: 6, hBN: 5, BCT: 4, sodalite: 4, cubane: 4 };
    const coordination = (p: RelaxedPolymorph): number[] => {
      const s = p.structure, list = NeighborList.build(s, 2.7);
      return Array.from({ length: s.length }, (_, i) => Array.from(list.neighborsOf(i)).filter((j) => s.numbers[j] !== s.numbers[i]).length);
    };
    for (const [name, cn] of Object.entries(expected)) {
      expect(new Set(coordination(data.lattices[name as keyof typeof expected])), name).toEqual(new Set([cn]));
    }
  });

  it('cubaneFramework with equal offsets of half a bond is the cubane builder', () => {
    const bond = 1.98, a = 2 * bond * (1 + 1 / Math.sqrt(3));
    const ours = cubaneFramework(a, bond / 2, bond / 2), theirs = cubane(['Zn', 'O'], bond);
    expect(ours.symbols).toEqual(theirs.symbols);
    const wrapped = (s: Structure): number[] => Array.from(s.clone().wrap().positions.data as Float64Array);
    wrapped(ours).forEach((x, k) => expect(x).toBeCloseTo(wrapped(theirs)[k], 12));
  });

  // Langevin samples the canonical ensemble: the kinetic temperature per step has relative standard
  // deviation √(2/dof); its mean over a window t has a standard error T√(2/dof)·√(2τ_K/t), where the
  // kinetic energy's correlation time τ_K is at most about the thermostat's τ = 100 fs (the
  // velocities are re-drawn at rate 1/τ; in a liquid the forces decorrelate them sooner). 4σ.
  it('runs the liquid MD at the target temperatures (mean kinetic temperature within 4 standard errors)', () => {
    expect(data.liquids.map((t) => t.temperature)).toEqual([1500, 2000, 2500, 3000]);
    expect(data.liquids.map((t) => t.snapshots.length)).toEqual([2, 2, 1, 1]);
    for (const [t, trajectory] of data.liquids.entries()) {
      const { temperature: T, dof, temperatures } = trajectory;
      expect(dof).toBe(3 * 64);
      expect(temperatures.length).toBe(1000 * trajectory.snapshots.length);
      const sigma = T * Math.sqrt(2 / dof) * Math.sqrt((2 * 100) / temperatures.length);
      expect(Math.abs(trajectory.meanTemperature - T), `${T} K`).toBeLessThan(4 * sigma);
      for (const s of trajectory.snapshots) {
        expect(s.info).toMatchObject({ kind: 'liquid', temperature: T, mdTemperature: trajectory.meanTemperature, trajectory: t });
        expect(s.velocities).toBeNull();
      }
    }
  });

  it('gives liquids: no Bragg peak (max S(k)/N < ½, where every rattled crystal of the set has one) and diffusion beyond the Lindemann limit', () => {
    for (const s of data.structures.filter((x) => x.info.kind === 'liquid')) expect(braggFraction(s, 6.5), `${s.info.temperature} K`).toBeLessThan(0.5);
    for (const name of POLYMORPH_NAMES) {
      const crystal = data.structures.find((x) => x.info.kind === `bulk-${name.toLowerCase()}`)!;
      expect(braggFraction(crystal, 6.5), name).toBeGreaterThan(0.5);
    }
    // A solid's atoms stay within the Lindemann limit of their sites: rms displacement ≤ 0.15 of the
    // Zn–O bond (1.98 Å), so the mean square displacement between two times is ≤ 2 (0.15 d)².
    for (const t of data.liquids) expect(t.meanSquareDisplacement, `${t.temperature} K`).toBeGreaterThan(2 * (0.15 * 1.98) ** 2);
  });

  it('is deterministic for a seed and changes with it', () => {
    const small = { bulkCount: 1, slabCount: 1, liquidCount: 1, liquidAtoms: 32, liquidEquilibration: 0.2, liquidInterval: 0.2 };
    const a = zincOxideDataset({ seed: 5, ...small }), b = zincOxideDataset({ seed: 5, ...small }), c = zincOxideDataset({ seed: 6, ...small });
    const energies = (d: ZincOxideDataset): number[] => d.structures.map((s) => s.info.energy as number);
    expect(energies(a)).toEqual(energies(b));
    expect(Array.from(a.structures.at(-1)!.positions.data)).toEqual(Array.from(b.structures.at(-1)!.positions.data));
    expect(a.structures.at(-1)!.info.kind).toBe('liquid');
    expect(a.liquids[0].temperature).toBe(2250);
    energies(c).forEach((e, k) => expect(e).not.toBe(energies(a)[k]));
    expect(a.lattices).toEqual(c.lattices);
  }, 60000);

  it('makes bulk configurations only of the chosen polymorphs, and relaxes all seven', () => {
    const d = zincOxideDataset({ polymorphs: ['BCT', 'cubane'], bulkCount: 2, slabCount: 0, liquidCount: 0 });
    expect(d.structures.map((s) => s.info.kind)).toEqual(['bulk-bct', 'bulk-bct', 'bulk-cubane', 'bulk-cubane']);
    expect(Object.keys(d.lattices)).toEqual([...POLYMORPH_NAMES]);
    expect(d.liquids).toEqual([]);
  });

  it('prints a short summary (util.inspect)', () => {
    const text = inspect(data);
    expect(text.split('\n').length).toBeLessThanOrEqual(15);
    expect(text).toMatch(/structures: 56 \(bulk-wurtzite 6, /);
    expect(text).toMatch(/wurtzite: a \(Å\) 3\.27\d*, c\/a 1\.57\d*, u 0\.389\d*; -19\.671\d* eV\/atom/);
    expect(text).toMatch(/BCT: a \(Å\) 5\.53\d*, c \(Å\) 3\.23\d*, x 0\.317\d*, x' 0\.317\d*; -19\.667\d* eV\/atom/);
    expect(text).toMatch(/liquid: 1500 K \(MD \d+ K, 2\), 2000 K .*3000 K \(MD \d+ K, 1\)/);
  });

  it('rejects bad options with typed errors', () => {
    expectCode(() => zincOxideDataset({ bulkCount: -1 }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ rattle: Number.NaN }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ typo: 1 } as never), 'E_VALUE');
    expectCode(() => zincOxideDataset(null as never), 'E_TYPE');
    expectCode(() => zincOxideDataset({ polymorphs: ['wurtzite', 'quartz'] as never }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ polymorphs: ['BCT', 'BCT'] }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ polymorphs: ['bct'] as never }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ liquidCount: 2, liquidTemperatures: [1500, 2000, 3000] }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ liquidTemperatures: [1500, -10] }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ liquidTemperatures: [] }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ liquidInterval: 0 }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ liquidEquilibration: -1 }), 'E_VALUE');
    expectCode(() => zincOxideDataset({ liquidMinimumDistances: null as never }), 'E_VALUE');
    expectCode(() => relaxZincOxidePolymorph('quartz' as never, LIQUID.potential), 'E_VALUE');
    expectCode(() => relaxZincOxidePolymorph('toString' as never, LIQUID.potential), 'E_VALUE');
    expectCode(() => cubaneFramework(6, 1.6, 1), 'E_VALUE');
    expectCode(() => cubaneFramework(6, 1, Number.NaN), 'E_VALUE');
  });
});

describe('liquidSamples', () => {
  // One long trajectory of a 32-atom box (dof 96) at 2000 K: 8 ps sampled. Mean as above; the
  // fluctuation s/⟨T⟩ is √(2/dof) in the canonical ensemble, with a relative standard error of about
  // √(τ_K/t) (that of a variance is √(4τ_K/t), halved for the square root). 4σ each.
  it('holds the canonical kinetic temperature: mean and fluctuation', () => {
    const [trajectory] = liquidSamples({
      potential: LIQUID.potential, symbols: ['Zn', 'O'], atoms: 32, density: 0.075, temperatures: [2000], snapshots: 8,
      equilibration: 1, interval: 1, seed: 3, start: START,
    });
    const { temperatures: T, dof } = trajectory;
    expect(dof).toBe(96);
    expect(T.length).toBe(8000);
    const mean = T.reduce((a, b) => a + b, 0) / T.length;
    const sd = Math.sqrt(T.reduce((a, b) => a + (b - mean) ** 2, 0) / (T.length - 1));
    expect(mean).toBe(trajectory.meanTemperature);
    expect(Math.abs(mean - 2000)).toBeLessThan(4 * 2000 * Math.sqrt(2 / dof) * Math.sqrt(200 / T.length));
    expect(Math.abs(sd / mean / Math.sqrt(2 / dof) - 1)).toBeLessThan(4 * Math.sqrt(100 / T.length));
    expect(trajectory.snapshots).toHaveLength(8);
    for (const s of trajectory.snapshots) {
      const f = s.positions.data as Float64Array, L = s.cell!.get(0, 0);
      expect(f.every((x) => x >= 0 && x < L)).toBe(true);  // wrapped into the box
    }
  }, 60000);

  it('rejects bad options with typed errors', () => {
    const ok = { potential: LIQUID.potential, symbols: ['Zn', 'O'] as [string, string], atoms: 16, density: 0.075, temperatures: [2000], snapshots: 1, equilibration: 0, interval: 0.01, start: START };
    expectCode(() => liquidSamples({ ...ok, snapshots: 0 }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, temperatures: [] }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, temperatures: [0] }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, interval: 1e-4 }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, equilibration: -1 }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, timestep: 0 }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, seed: -1 }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, atoms: 7 }), 'E_VALUE');
    expectCode(() => liquidSamples({ ...ok, thermostat: 'nh' } as never), 'E_VALUE');
  });
});

describe('disorderedBinary (the start of the liquid trajectories)', () => {
  it('keeps the minimum distances (Zn–O 1.75 Å, like pairs 2.6 Å) and is deterministic for a seed', () => {
    const { structure } = disorderedBinary({ ...LIQUID, atoms: 32 });
    const L = structure.cell!.get(0, 0);
    expect(minimumDistanceViolation(structure.positions.data as Float64Array, structure.symbols.map((e) => e === 'Zn'), L, LIQUID.minimumDistances)).toBeNull();
    const liquid = (seed: number): number[] => Array.from(disorderedBinary({ ...LIQUID, seed }).structure.positions.data as Float64Array);
    expect(liquid(3)).toEqual(liquid(3));
    expect(liquid(3)).not.toEqual(liquid(4));
  });

  it('rejects bad options with typed errors', () => {
    expectCode(() => disorderedBinary({ ...LIQUID, steps: 0, density: 0.2 }), 'E_VALUE');
    expectCode(() => disorderedBinary({ ...LIQUID, atoms: 7 }), 'E_VALUE');
  });
});

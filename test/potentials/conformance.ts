/**
 * The conformance suite every potential runs (design.md, "Calculators"). For each structure:
 *
 * - results have the requested fields with the right shapes; stress without a cell is `E_CELL`;
 * - forces = −∂E/∂r by central finite differences of every coordinate;
 * - stress = (1/V) ∂E/∂ε by central finite differences of a symmetric strain ε applied to cell
 *   and positions (r → r (I + ε)), V the cell volume (structures with a cell);
 * - per-atom energies sum to the energy;
 * - invariance under translation, rotation (positions and cell; forces rotate as vectors, stress
 *   as a tensor), permutation of atoms (forces and atom energies permute), and the choice of
 *   periodic image (atoms moved by lattice vectors along periodic directions);
 * - a supercell (`structure.repeat`, periodic directions only) gives N× the energy, repeated
 *   forces and atom energies, the same stress;
 * - `compute` == `computeAsync` (also with several async calls in flight), 1 thread == 2 threads;
 * - a caller's neighbour list (half or full, lean or with vectors, with a skin) gives the results
 *   of a fresh build; one Verlet list reused over 20 small random moves gives, at every step, the
 *   results of a fresh build to 1e-12 relative (on the first structure); a list that is too short, for another atom count
 *   or out of date is refused with `E_VALUE`.
 *
 * @example
 * describePotentialConformance('Lennard-Jones', () => new LennardJones({ epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 }),
 *   standardStructures({ symbols: ['Ar'] }), { forceTolerance: 1e-8 });
 * @module
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import { getNumThreads, setNumThreads } from '../../lib/core/threads';
import type { ComputeRequest, Potential, Results } from '../../lib/potentials/potential';
import { NeighborList } from '../../lib/structure/neighbor-list';
import { Structure } from '../../lib/structure/structure';
import { SumPotential } from '../../lib/potentials/sum';
import { randomRotation, seededRandom } from './structures';

/** Steps and tolerances of the suite; defaults suit a smooth potential with eV-scale energies. */
export interface ConformanceOptions {
  /** Atom displacement for finite-difference forces, Å. Default 1e-4. */
  displacement?: number;
  /** Strain step for finite-difference stress (dimensionless). Default 1e-5. */
  strain?: number;
  /** Largest allowed |F − F_fd|, eV/Å. Default 1e-6. */
  forceTolerance?: number;
  /** Largest allowed |σ − σ_fd|, eV/Å³. Default 1e-7. */
  stressTolerance?: number;
  /** Relative tolerance of the invariances (differences over the largest magnitude). Default 1e-10. */
  invariance?: number;
  /** Relative tolerance of sync vs async and 1 vs 2 threads. Default 1e-12. */
  reproducibility?: number;
  /** Check finite-difference forces of the first k atoms only (expensive potentials). Default all. */
  finiteDifferenceAtoms?: number;
  /** Whether the potential returns per-atom energies. Default true. */
  atomEnergies?: boolean;
  /** Supercell repeats (set to 1 along open directions). Default [2, 1, 2]. */
  supercell?: [number, number, number];
  /**
   * Run the neighbour-list tests on the first k atoms only (same cell), for potentials whose
   * evaluations cost seconds (the 20-move test makes 40 of them). Default all.
   */
  listTestAtoms?: number;
  /** Seed of the random translations, rotations, permutations and images. Default 12345. */
  seed?: number;
  /** Print the measured finite-difference errors (also with env CONFORMANCE_REPORT=1). */
  report?: boolean;
}

/** A structure, or a function that builds a fresh one. */
export type StructureSource = Structure | (() => Structure);

/**
 * Registers the conformance tests of one potential with vitest.
 * @param name shown in the test names
 * @param makePotential builds the potential once (may be async, e.g. to read files)
 * @param structures test structures by name, e.g. {@link standardStructures}
 */
export function describePotentialConformance(
  name: string,
  makePotential: () => Potential | Promise<Potential>,
  structures: Record<string, StructureSource>,
  options: ConformanceOptions = {},
): void {
  const o = withDefaults(options);
  describe(`${name}: conformance`, () => {
    let potential: Potential;
    beforeAll(async () => {
      potential = await makePotential();
    });
    Object.entries(structures).forEach(([label, source], k) => {
      const fresh = (): Structure => (typeof source === 'function' ? source() : source.clone());
      describe(label, () => conformanceTests(() => potential, fresh, o, `${name} / ${label}`, k === 0));
    });
  });
}

type Options = Required<ConformanceOptions>;

function withDefaults(options: ConformanceOptions): Options {
  return {
    displacement: 1e-4,
    strain: 1e-5,
    forceTolerance: 1e-6,
    stressTolerance: 1e-7,
    invariance: 1e-10,
    reproducibility: 1e-12,
    finiteDifferenceAtoms: Number.POSITIVE_INFINITY,
    listTestAtoms: Number.POSITIVE_INFINITY,
    atomEnergies: true,
    supercell: [2, 1, 2],
    seed: 12345,
    report: process.env.CONFORMANCE_REPORT === '1',
    ...options,
  };
}

function conformanceTests(potential: () => Potential, structure: () => Structure, o: Options, label: string, first: boolean): void {
  const everything = (s: Structure): ComputeRequest => ({ forces: true, stress: s.cell !== null, atomEnergies: o.atomEnergies });
  const full = (s: Structure): Results => potential().compute(s, everything(s));
  const energy = (s: Structure): number => potential().compute(s).energy;

  it('returns the requested results with the right shapes', () => {
    const s = structure();
    const n = s.length;
    const plain = potential().compute(s);
    expect(Number.isFinite(plain.energy)).toBe(true);
    const r = full(s);
    expect(r.energy).toBe(plain.energy);
    expect(r.forces?.shape).toEqual([n, 3]);
    expectFinite(r.forces!.data, 'forces');
    if (s.cell) {
      expect(r.stress?.shape).toEqual([3, 3]);
      expectFinite(r.stress!.data, 'stress');
      const t = r.stress!.data;
      expectClose([t[1], t[2], t[5]], [t[3], t[6], t[7]], o.invariance, 'stress symmetry', maxAbs(t));
    }
    if (o.atomEnergies) expect(r.atomEnergies?.length).toBe(n);
  });

  it('forces = −∂E/∂r (central finite differences)', () => {
    const s = structure();
    const forces = full(s).forces!.data;
    const h = o.displacement;
    let worst = 0;
    const atoms = Math.min(s.length, o.finiteDifferenceAtoms);
    for (let i = 0; i < atoms; ++i) {
      for (let a = 0; a < 3; ++a) {
        const x = s.positions.get(i, a);
        s.positions.set(i, a, x + h);
        const plus = energy(s);
        s.positions.set(i, a, x - h);
        const minus = energy(s);
        s.positions.set(i, a, x);
        const fd = -(plus - minus) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - forces[3 * i + a]));
      }
    }
    if (o.report) console.log(`${label}: max |F − F_fd| = ${worst.toExponential(2)} eV/Å (max |F| = ${maxAbs(forces).toExponential(2)})`);
    expect(worst, 'max |F − F_fd| (eV/Å)').toBeLessThanOrEqual(o.forceTolerance);
  });

  it('stress = (1/V) ∂E/∂ε (central finite differences of a symmetric strain), or E_CELL without a cell', async () => {
    const s = structure();
    if (!s.cell) {
      expectCode(() => potential().compute(s, { stress: true }), 'E_CELL');
      await expect(potential().computeAsync(s, { stress: true })).rejects.toMatchObject({ code: 'E_CELL' });
      return;
    }
    const stress = full(s).stress!.data;
    const volume = s.volume;
    const h = o.strain;
    let worst = 0;
    for (let a = 0; a < 3; ++a) {
      for (let b = a; b < 3; ++b) {
        const plus = energy(strained(s, a, b, h));
        const minus = energy(strained(s, a, b, -h));
        const fd = (plus - minus) / (2 * h) / volume;
        worst = Math.max(worst, Math.abs(fd - stress[3 * a + b]));
      }
    }
    if (o.report) console.log(`${label}: max |σ − σ_fd| = ${worst.toExponential(2)} eV/Å³ (max |σ| = ${maxAbs(stress).toExponential(2)})`);
    expect(worst, 'max |σ − σ_fd| (eV/Å³)').toBeLessThanOrEqual(o.stressTolerance);
  });

  it.skipIf(!o.atomEnergies)('per-atom energies sum to the energy', () => {
    const s = structure();
    const r = full(s);
    const sum = r.atomEnergies!.reduce((x, y) => x + y, 0);
    const scale = r.atomEnergies!.reduce((x, y) => x + Math.abs(y), 0);
    expect(Math.abs(sum - r.energy), 'Σ E_i − E (eV)').toBeLessThanOrEqual(o.invariance * Math.max(scale, 1e-300));
  });

  it('is invariant under translation', () => {
    const s = structure();
    const random = seededRandom(o.seed);
    const t = [0, 1, 2].map(() => 10 * (random() - 0.5));
    const moved = s.clone();
    for (let i = 0; i < s.length; ++i) for (let a = 0; a < 3; ++a) moved.positions.set(i, a, s.positions.get(i, a) + t[a]);
    expectSameResults(full(moved), full(s), o.invariance, 'translated');
  });

  it('is invariant under rotation (forces rotate as vectors, stress as a tensor)', () => {
    const s = structure();
    const rotation = randomRotation(seededRandom(o.seed + 1));
    const turned = transformed(s, transpose(rotation)); // r' = R r (row vectors: r' = r Rᵀ)
    const r = full(s), q = full(turned);
    expectClose([q.energy], [r.energy], o.invariance, 'rotated energy', Math.abs(r.energy));
    expectClose(q.forces!.data, rotateVectors(r.forces!.data, rotation), o.invariance, 'rotated forces');
    if (r.stress) {
      const rotated = multiply(multiply(rotation, Array.from(r.stress.data)), transpose(rotation));
      expectClose(q.stress!.data, rotated, o.invariance, 'rotated stress');
    }
    if (r.atomEnergies) expectClose(q.atomEnergies!, r.atomEnergies, o.invariance, 'rotated atom energies');
  });

  it('is invariant under permutation of the atoms', () => {
    const s = structure();
    const random = seededRandom(o.seed + 2);
    const order = Array.from({ length: s.length }, (_, i) => i);
    for (let i = order.length - 1; i > 0; --i) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const r = full(s), q = full(s.select(order));
    expectClose([q.energy], [r.energy], o.invariance, 'permuted energy', Math.abs(r.energy));
    expectClose(q.forces!.data, pickRows(r.forces!.data, order, 3), o.invariance, 'permuted forces');
    if (r.stress) expectClose(q.stress!.data, r.stress.data, o.invariance, 'permuted stress');
    if (r.atomEnergies) expectClose(q.atomEnergies!, pickRows(r.atomEnergies, order, 1), o.invariance, 'permuted atom energies');
  });

  it('is invariant under the choice of periodic images', (context) => {
    const s = structure();
    if (!s.periodic) return context.skip();
    const random = seededRandom(o.seed + 3);
    const moved = s.clone();
    const m = s.cellMatrix();
    for (let i = 0; i < s.length; ++i) {
      const n = [0, 1, 2].map((k) => (s.pbc[k] ? Math.floor(5 * random()) - 2 : 0));
      for (let a = 0; a < 3; ++a) moved.positions.set(i, a, s.positions.get(i, a) + n[0] * m[a] + n[1] * m[3 + a] + n[2] * m[6 + a]);
    }
    expectSameResults(full(moved), full(s), o.invariance, 'moved by lattice vectors');
    expectSameResults(full(s.clone().wrap()), full(s), o.invariance, 'wrapped');
  });

  it('a supercell gives N× the energy, repeated forces and the same stress', (context) => {
    const s = structure();
    if (!s.periodic) return context.skip();
    const reps = o.supercell.map((r, k) => (s.pbc[k] ? r : 1)) as [number, number, number];
    const copies = reps[0] * reps[1] * reps[2];
    const r = full(s), q = full(s.repeat(reps));
    const tiled = Array.from({ length: copies * s.length }, (_, k) => k % s.length);
    expectClose([q.energy], [copies * r.energy], o.invariance, `${reps.join('×')} supercell energy`, Math.abs(copies * r.energy));
    expectClose(q.forces!.data, pickRows(r.forces!.data, tiled, 3), o.invariance, 'supercell forces');
    if (r.stress) expectClose(q.stress!.data, r.stress.data, o.invariance, 'supercell stress');
    if (r.atomEnergies) expectClose(q.atomEnergies!, pickRows(r.atomEnergies, tiled, 1), o.invariance, 'supercell atom energies');
  });

  it('computeAsync equals compute, also with several calls in flight', async () => {
    const s = structure();
    const sync = full(s);
    const results = await Promise.all([0, 1, 2].map(() => potential().computeAsync(s, everything(s))));
    for (const r of results) expectSameResults(r, sync, o.reproducibility, 'async');
  });

  const listStructure = (): Structure => {
    const s = structure();
    return s.length <= o.listTestAtoms ? s : s.select(Array.from({ length: o.listTestAtoms }, (_, i) => i));
  };

  it('a caller-provided list (half/full, lean/with vectors, with skin) gives the results of a fresh build', () => {
    const s = listStructure();
    const cutoff = listCutoff(potential(), s);
    const fresh = full(s);
    for (const options of [{ full: false }, { full: true }, { full: false, vectors: true, skin: 0.7 }, { full: true, skin: 1.3 }]) {
      const list = NeighborList.build(s, cutoff, options);
      expectSameResults(potential().compute(s, { ...everything(s), neighbors: list }), fresh, 1e-12, `list ${JSON.stringify(options)}`);
    }
  });

  // 40 evaluations: on the first structure of each potential only.
  if (first) it('one Verlet list reused over 20 small random moves gives the results of fresh builds (1e-12)', async () => {
    const s = listStructure();
    const want: ComputeRequest = { forces: true };
    const random = seededRandom(o.seed + 4);
    const list = NeighborList.build(s, listCutoff(potential(), s), { full: false, skin: 1.0 });
    let rebuilds = 0;
    for (let step = 0; step < 20; ++step) {
      for (let i = 0; i < s.length; ++i) for (let a = 0; a < 3; ++a) s.positions.set(i, a, s.positions.get(i, a) + 0.02 * (random() - 0.5));
      if (list.needsRebuild(s)) list.update(s), ++rebuilds;
      const shared = step % 5 === 4 ? await potential().computeAsync(s, { ...want, neighbors: list }) : potential().compute(s, { ...want, neighbors: list });
      expectSameResults(shared, potential().compute(s, want), 1e-12, `step ${step}, reused list`);
    }
    expect(rebuilds, 'moves of ≤ 0.01·√3 Å a step stay within skin/2 = 0.5 Å for 20 steps').toBe(0);
  });

  it('refuses a list that is too short, for another atom count, or out of date (E_VALUE)', () => {
    const s = structure();
    const cutoff = listCutoff(potential(), s);
    const needs = potentialNeedsList(potential(), s);
    if (needs) expectCode(() => potential().compute(s, { neighbors: NeighborList.build(s, 0.5 * cutoff) }), 'E_VALUE');
    const other = s.select(Array.from({ length: s.length - 1 }, (_, i) => i));
    expectCode(() => potential().compute(s, { neighbors: NeighborList.build(other, cutoff) }), 'E_VALUE');
    const list = NeighborList.build(s, cutoff, { skin: 0.2 });
    const moved = s.clone();
    moved.positions.set(0, 0, moved.positions.get(0, 0) + 0.3);
    expectCode(() => potential().compute(moved, { neighbors: list }), 'E_VALUE');
  });

  it('1 thread and 2 threads agree', () => {
    const s = structure();
    const saved = getNumThreads();
    try {
      setNumThreads(1);
      const one = full(s);
      setNumThreads(2);
      const two = full(s);
      expectSameResults(two, one, o.reproducibility, '2 threads vs 1');
    } finally {
      setNumThreads(saved);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers (exported for potential-specific tests).

/** The cutoff a list for `p` on `s` needs (Å): its cutoff, Ewald's real-space cutoff, or 1 Å when it needs none. */
export function listCutoff(p: Potential, s: Structure): number {
  if ('termFor' in p) p = (p as unknown as { termFor(s: Structure): Potential }).termFor(s);  // Electrostatics: the term for s
  const own = p.cutoff > 0 ? p.cutoff : 'parameters' in p ? (p as unknown as { parameters(s: Structure): { cutoff: number } }).parameters(s).cutoff : 0;
  if (p instanceof SumPotential) {
    return Math.max(own, ...p.terms.map((t) => listCutoff(t.potential, s)));
  }
  return own > 0 ? own : 1;
}

function potentialNeedsList(p: Potential, s: Structure): boolean {
  if ('termFor' in p) p = (p as unknown as { termFor(s: Structure): Potential }).termFor(s);
  if (p instanceof SumPotential) return p.terms.some((t) => potentialNeedsList(t.potential, s));
  return p.cutoff > 0 || 'parameters' in p;
}

/** The structure with cell rows and positions mapped r → r·M (row vectors). */
export function transformed(s: Structure, m: readonly number[]): Structure {
  const out = s.clone();
  for (let i = 0; i < s.length; ++i) {
    const r = [0, 1, 2].map((a) => s.positions.get(i, a));
    for (let c = 0; c < 3; ++c) out.positions.set(i, c, r[0] * m[c] + r[1] * m[3 + c] + r[2] * m[6 + c]);
  }
  if (s.cell && out.cell) {
    for (let k = 0; k < 3; ++k) {
      const v = [0, 1, 2].map((a) => s.cell!.get(k, a));
      for (let c = 0; c < 3; ++c) out.cell.set(k, c, v[0] * m[c] + v[1] * m[3 + c] + v[2] * m[6 + c]);
    }
  }
  return out;
}

/** The structure under the symmetric strain ε_ab = ε_ba = h/2 (ε_aa = h): r → r (I + ε), cell too. */
export function strained(s: Structure, a: number, b: number, h: number): Structure {
  const m = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  m[3 * a + b] += h / 2;
  m[3 * b + a] += h / 2;
  return transformed(s, m);
}

/** Expects |actual − expected| ≤ tolerance · scale entrywise; scale defaults to max |expected|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string, scale?: number): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < expected.length; ++k) worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
  const limit = tolerance * Math.max(scale ?? maxAbs(expected), Number.MIN_VALUE);
  expect(worst, `${what}: max difference (limit ${limit.toExponential(2)})`).toBeLessThanOrEqual(limit);
}

/** Expects equal energies, forces, stress and atom energies (those present in `expected`). */
export function expectSameResults(actual: Results, expected: Results, tolerance: number, what: string): void {
  expectClose([actual.energy], [expected.energy], tolerance, `${what} energy`, Math.abs(expected.energy));
  if (expected.forces) expectClose(actual.forces!.data, expected.forces.data, tolerance, `${what} forces`);
  if (expected.stress) expectClose(actual.stress!.data, expected.stress.data, tolerance, `${what} stress`);
  if (expected.atomEnergies) expectClose(actual.atomEnergies!, expected.atomEnergies, tolerance, `${what} atom energies`);
}

/** Expects `call` to throw a PolymorphError with `code`. */
export function expectCode(call: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected a PolymorphError ${code}`).toBeInstanceOf(PolymorphError);
  expect((thrown as PolymorphError).code).toBe(code);
}

function expectFinite(data: ArrayLike<number>, what: string): void {
  for (let k = 0; k < data.length; ++k) expect(Number.isFinite(data[k]), `${what}[${k}] is finite`).toBe(true);
}

function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < data.length; ++k) m = Math.max(m, Math.abs(data[k]));
  return m;
}

function transpose(m: readonly number[]): number[] {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

function multiply(x: readonly number[], y: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; ++i) for (let j = 0; j < 3; ++j) for (let k = 0; k < 3; ++k) out[3 * i + j] += x[3 * i + k] * y[3 * k + j];
  return out;
}

/** Each row v of a flat [n,3] array → R v. */
function rotateVectors(data: ArrayLike<number>, rotation: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length / 3; ++i) {
    for (let r = 0; r < 3; ++r) out.push(rotation[3 * r] * data[3 * i] + rotation[3 * r + 1] * data[3 * i + 1] + rotation[3 * r + 2] * data[3 * i + 2]);
  }
  return out;
}

/** Rows `order[k]` of a flat [n, width] array, in order. */
function pickRows(data: ArrayLike<number>, order: readonly number[], width: number): number[] {
  const out: number[] = [];
  for (const i of order) for (let c = 0; c < width; ++c) out.push(data[width * i + c]);
  return out;
}

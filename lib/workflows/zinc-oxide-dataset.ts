/**
 * `zincOxideDataset`: a labelled training set of ZnO configurations from the rigid-ion
 * Buckingham + Coulomb model ({@link zincOxideBuckingham}), the "DFT stand-in" of the PLIP vs
 * PLIP+Q study: the seven bulk polymorphs, polar and non-polar slabs, and liquids sampled by
 * molecular dynamics. Energies in eV, forces in eV/Å, lengths in Å, temperatures in K.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { rattle } from '../build/crystals';
import { mulberry32 } from '../core/random';
import { wurtziteNonPolarSlab, wurtzitePolarSlab } from '../build/surfaces';
import type { Potential } from '../potentials/potential';
import { zincOxideBuckingham, type ZincOxideBuckinghamOptions } from '../potentials/zinc-oxide';
import type { Structure } from '../structure/structure';
import type { MinimumDistances } from './disordered';
import { liquidSamples, type LiquidTrajectory } from './liquid-samples';
import type { ZincOxidePolymorph } from './model-lattices';
import { POLYMORPH_NAMES, relaxZincOxidePolymorph, type RelaxedPolymorph } from './zinc-oxide-lattices';
import { formatNumber, summary, withInspect } from '../core/inspect';

export type { RelaxedPolymorph } from './zinc-oxide-lattices';

/** The kinds of configuration, stored as `info.kind`: `bulk-<polymorph>` ({@link ZincOxidePolymorph} in lower case: `bulk-hbn`, `bulk-bct`, …), the two slabs, and `liquid`. */
export type ZincOxideKind = `bulk-${Lowercase<ZincOxidePolymorph>}` | 'slab-polar' | 'slab-nonpolar' | 'liquid';

/** Options of {@link zincOxideDataset}; every field has a small default. */
export interface ZincOxideDatasetOptions {
  /** Seed of every random choice (default 0). */
  seed?: number;
  /** Reference model options (default: Binks set, Buckingham cutoff 10 Å, Ewald accuracy 1e-6). */
  model?: ZincOxideBuckinghamOptions;
  /** Polymorphs that get bulk configurations (default all seven, as named in {@link ZINC_OXIDE_POLYMORPHS}); all seven are relaxed regardless. */
  polymorphs?: readonly ZincOxidePolymorph[];
  /** Configurations per bulk polymorph (default 4), half strained isotropically, half anisotropically. */
  bulkCount?: number;
  /** Configurations per slab orientation (default 3). */
  slabCount?: number;
  /** Liquid snapshots in all (default 3), dealt in turn to the trajectories of `liquidTemperatures`. */
  liquidCount?: number;
  /** Gaussian rattle of bulk and slab atoms, Å per component (default 0.06). */
  rattle?: number;
  /** Largest strain component, dimensionless (default 0.03): isotropic ε ∈ [−s, s], or a random symmetric ε with entries in [−s, s]. */
  strain?: number;
  /** Polar (0001) slab: bilayers (default 4), in-plane repeat [2, 2] (8·bilayers atoms). */
  polarBilayers?: number;
  /** Non-polar (10-10) slab: layers (default 2), in-plane repeat [2, 1] (8·layers atoms). */
  nonPolarLayers?: number;
  /** Slab vacuum gap, Å (default 12, more than the 6 Å descriptor cutoff). */
  vacuum?: number;
  /** Atoms per liquid box (even; default 64: in 32-atom boxes, 7.5 Å wide, the liquid at 3000 K was seen to order in planes 1.9 Å apart along a box axis). */
  liquidAtoms?: number;
  /** Liquid number density, atoms/Å³ (default 0.075, ≈ 5.1 g/cm³, 90 % of wurtzite's 0.084); the volume is fixed. */
  liquidDensity?: number;
  /**
   * Temperature of each liquid trajectory, K (at most `liquidCount` entries). Default: min(liquidCount, 4)
   * temperatures evenly spread over 1500–3000 K ([1500, 2000, 2500, 3000] for 4 or more snapshots; 2250 for one).
   */
  liquidTemperatures?: readonly number[];
  /** Equilibration of each liquid trajectory before its first snapshot, ps (default 3). */
  liquidEquilibration?: number;
  /** Time between the snapshots of one trajectory, ps (default 1). */
  liquidInterval?: number;
  /** Starting configuration of the liquid trajectories: insertion minimum distances, Å (default Zn–O 1.75, Zn–Zn and O–O 2.6). */
  liquidMinimumDistances?: MinimumDistances;
  /** Starting configuration: steepest-descent steps after the insertion (default 150), step cap Å (default 0.1), force stop eV/Å (default 0.5). */
  liquidSteps?: number;
  liquidMaxStep?: number;
  liquidFmax?: number;
}

/** What {@link zincOxideDataset} returns. */
export interface ZincOxideDataset {
  /**
   * Labelled structures: `info.energy` (eV), `info.kind` ({@link ZincOxideKind}), `arrays.forces` `[N,3]` (eV/Å);
   * liquid snapshots also `info.temperature` (target, K), `info.mdTemperature` (mean kinetic temperature of
   * their trajectory over its sampling window, K) and `info.trajectory` (index into `liquids`).
   */
  structures: Structure[];
  /** The seven polymorphs relaxed under the reference model. */
  lattices: Record<ZincOxidePolymorph, RelaxedPolymorph>;
  /** The liquid trajectories (their snapshots are the `liquid` structures, labelled). */
  liquids: LiquidTrajectory[];
  /** The reference model (Buckingham + Ewald). */
  reference: Potential;
  /** Slab settings used (the study builds its ideal slabs with the same ones). */
  slabs: { polarBilayers: number; nonPolarLayers: number; vacuum: number };
}

const KEYS = ['seed', 'model', 'polymorphs', 'bulkCount', 'slabCount', 'liquidCount', 'rattle', 'strain', 'polarBilayers', 'nonPolarLayers',
  'vacuum', 'liquidAtoms', 'liquidDensity', 'liquidTemperatures', 'liquidEquilibration', 'liquidInterval', 'liquidMinimumDistances',
  'liquidSteps', 'liquidMaxStep', 'liquidFmax'];

/** Bulk supercell of each polymorph (conventional cells: 16 atoms, sodalite 24). */
const SUPERCELLS: Record<ZincOxidePolymorph, [number, number, number]> = {
  wurtzite: [2, 2, 1], zincblende: [2, 1, 1], rocksalt: [2, 1, 1], hBN: [2, 2, 1], BCT: [1, 1, 2], sodalite: [2, 1, 1], cubane: [1, 1, 1],
};

function count(x: unknown, fallback: number, what: string, min = 0): number {
  const v = x ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new PolymorphError('E_VALUE', `zincOxideDataset: ${what} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

function real(x: unknown, fallback: number, what: string, positive = false): number {
  const v = x ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) throw new PolymorphError('E_VALUE', `zincOxideDataset: ${what} must be a ${positive ? 'positive' : 'non-negative'} number, got ${String(v)}`);
  return v;
}

/** The liquid temperatures (K): the option checked, or min(snapshots, 4) evenly over 1500–3000 K. */
function liquidTemperatures(option: unknown, snapshots: number): number[] {
  if (option === undefined) {
    const n = Math.min(snapshots, 4);
    return n === 1 ? [2250] : Array.from({ length: n }, (_, k) => 1500 + (1500 * k) / (n - 1));
  }
  if (!Array.isArray(option) || option.length === 0 || !option.every((t) => typeof t === 'number' && Number.isFinite(t) && t > 0)) {
    throw new PolymorphError('E_VALUE', `zincOxideDataset: liquidTemperatures must be a non-empty list of positive temperatures (K), got ${JSON.stringify(option)}`);
  }
  if (snapshots > 0 && option.length > snapshots) {
    throw new PolymorphError('E_VALUE', `zincOxideDataset: ${option.length} liquidTemperatures need at least as many snapshots, liquidCount is ${snapshots}`);
  }
  return [...option];
}

function polymorphList(option: unknown): ZincOxidePolymorph[] {
  if (option === undefined) return [...POLYMORPH_NAMES];
  const known = new Set<string>(POLYMORPH_NAMES);
  if (!Array.isArray(option) || !option.every((p) => known.has(p)) || new Set(option).size !== option.length) {
    throw new PolymorphError('E_VALUE', `zincOxideDataset: polymorphs must be distinct names among ${POLYMORPH_NAMES.join(', ')}, got ${JSON.stringify(option)}`);
  }
  return [...option];
}

/** Deforms cell and positions by (1 + ε), ε symmetric 3×3 (row-vector convention r' = r(1 + ε)). */
function strain(s: Structure, eps: number[][]): Structure {
  const m = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 1 : 0) + eps[i][j]));
  const apply = (get: (k: number) => number, set: (k: number, v: number) => void): void => {
    const r = [get(0), get(1), get(2)];
    for (let k = 0; k < 3; ++k) set(k, r[0] * m[0][k] + r[1] * m[1][k] + r[2] * m[2][k]);
  };
  const cell = s.cell!;
  for (let i = 0; i < 3; ++i) apply((k) => cell.get(i, k), (k, v) => cell.set(i, k, v));
  for (let i = 0; i < s.length; ++i) apply((k) => s.positions.get(i, k), (k, v) => s.positions.set(i, k, v));
  return s;
}

function label(s: Structure, kind: ZincOxideKind, reference: Potential): Structure {
  const { energy, forces } = reference.compute(s, { forces: true });
  s.info.energy = energy;
  s.info.kind = kind;
  s.arrays.forces = forces!;
  return s;
}

/**
 * Generates a labelled ZnO data set with the rigid-ion reference model, deterministically for a
 * seed at a fixed number of OpenMP threads (see the liquid below). All sizes and counts are
 * options; the defaults give 37 structures of 16–64 atoms.
 *
 * - **bulk**: the seven polymorphs of {@link ZINC_OXIDE_POLYMORPHS}, each relaxed within its
 *   symmetry under the reference ({@link relaxZincOxidePolymorph}: all free lattice parameters and
 *   internal coordinates), then as a supercell of 16 atoms (sodalite 24: wurtzite and h-BN 2×2×1,
 *   zincblende and rocksalt 2×1×1, BCT 1×1×2, sodalite 2×1×1, cubane 1×1×1) strained (every other
 *   configuration isotropically, the others by a random symmetric strain) and rattled (Gaussian,
 *   `rattle` Å). Relaxed with the default model (Binks set, cutoff 10 Å, Ewald 1e-6), measured with
 *   this library, in eV/atom: wurtzite −19.67101 (a 3.27096 Å, c/a 1.57095, u 0.38912), BCT −19.66743
 *   (+3.6 meV; a 5.53893, c 3.23156 Å, x 0.31722, x′ 0.31709), sodalite −19.64035 (+30.7 meV;
 *   a 5.56772 Å), zincblende −19.62596 (+45.1 meV; a 4.56675 Å), h-BN −19.62574 (+45.3 meV;
 *   a 3.39302, c 4.63362 Å), cubane −19.58025 (+90.8 meV; a 6.16486, d_Zn 1.01894, d_O 1.01869 Å:
 *   cube edge 2.04 Å, bonds between cubes 1.81 Å), rocksalt −19.52952 (+141.5 meV; a 4.31951 Å). Wurtzite
 *   is the ground state; each keeps its topology (coordination 4, h-BN 5, rocksalt 6);
 * - **polar (0001) slabs** ({@link wurtzitePolarSlab}, Zn face on top, repeat [2, 2]) and
 *   **non-polar (10-10) slabs** ({@link wurtziteNonPolarSlab}, repeat [2, 1]) at the relaxed
 *   wurtzite lattice, rattled, `vacuum` Å gap (periodic in 3-D, so Ewald applies);
 * - **liquid** snapshots from molecular dynamics on the reference model ({@link liquidSamples}): one
 *   trajectory per temperature of `liquidTemperatures` (1500–3000 K by default), `liquidAtoms` atoms
 *   in a cubic box at `liquidDensity` (constant volume), started from a random insertion with a short
 *   descent ({@link disorderedBinary}) and Maxwell–Boltzmann velocities, Langevin dynamics (BAOAB,
 *   τ = 100 fs, timestep 1 fs) for `liquidEquilibration` ps, then a snapshot every `liquidInterval`
 *   ps. 1500 K lies below the model's melting point (the 800-atom wurtzite particle of the
 *   nucleation example melts at about 1850 K), so the coolest snapshots are of the supercooled liquid:
 *   keep its equilibration short (in one 10 ps run at 1500 K the 64-atom box began to crystallise
 *   after about 6 ps: the largest S(k)/N over box wave-vectors grew from 0.2 to 0.6).
 *   The MD is deterministic for a seed at a fixed thread count; at another thread count the
 *   forces differ in the last bits and chaos amplifies that: the hot trajectories part completely
 *   within their 6–8 ps, the 1500 K one may not (same statistics, different snapshots; see
 *   {@link liquidSamples}). Labels of bulk and slab structures differ only in the last bits.
 *
 * Labels: `info.energy` (eV), `arrays.forces` (`[N,3]`, eV/Å), `info.kind`; liquid snapshots also
 * carry `info.temperature`, `info.mdTemperature` and `info.trajectory`. Cost with the options of the
 * PLIP+Q example (`{ bulkCount: 6, slabCount: 4, liquidCount: 6 }`: 56 structures, 1296 atoms, four
 * trajectories of 3 + 1–2 ps): 9.2 s on one thread (measured on the shared 2-core development
 * machine at load 2.6; 17.8 s at load 7), nearly all of it the 18 000 MD steps of 64 atoms
 * (0.56 ms each; 0.45 ms at two threads with `OMP_WAIT_POLICY=passive`). With OpenMP's default
 * (active) waiting and another process busy on one of the two cores, a step took 32 ms at two
 * threads: there, run this with `setNumThreads(1)`.
 * @example
 * const { structures, lattices } = zincOxideDataset({ seed: 1, liquidCount: 4, liquidTemperatures: [1500, 3000] });
 */
export function zincOxideDataset(options: ZincOxideDatasetOptions = {}): ZincOxideDataset {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new PolymorphError('E_TYPE', 'zincOxideDataset: options must be an object');
  checkOptions(options, KEYS, 'zincOxideDataset');
  const seed = count(options.seed, 0, 'seed');
  const polymorphs = polymorphList(options.polymorphs);
  const nBulk = count(options.bulkCount, 4, 'bulkCount'), nSlab = count(options.slabCount, 3, 'slabCount'), nLiquid = count(options.liquidCount, 3, 'liquidCount');
  const sigma = real(options.rattle, 0.06, 'rattle (Å)'), smax = real(options.strain, 0.03, 'strain');
  const polarBilayers = count(options.polarBilayers, 4, 'polarBilayers', 1), nonPolarLayers = count(options.nonPolarLayers, 2, 'nonPolarLayers', 1);
  const vacuum = real(options.vacuum, 12, 'vacuum (Å)', true);
  const temperatures = liquidTemperatures(options.liquidTemperatures, nLiquid);
  const liquid = {
    atoms: count(options.liquidAtoms, 64, 'liquidAtoms', 2), density: real(options.liquidDensity, 0.075, 'liquidDensity (atoms/Å³)', true),
    equilibration: real(options.liquidEquilibration, 3, 'liquidEquilibration (ps)'), interval: real(options.liquidInterval, 1, 'liquidInterval (ps)', true),
  };
  const minimumDistances = options.liquidMinimumDistances === undefined ? { unlike: 1.75, like: 2.6 } : options.liquidMinimumDistances;
  if (typeof minimumDistances !== 'object' || minimumDistances === null) throw new PolymorphError('E_VALUE', 'zincOxideDataset: liquidMinimumDistances must be { unlike, like } in Å');
  real(minimumDistances.unlike, NaN, 'liquidMinimumDistances.unlike (Å)'), real(minimumDistances.like, NaN, 'liquidMinimumDistances.like (Å)');
  const start = {
    minimumDistances, steps: count(options.liquidSteps, 150, 'liquidSteps'),
    maxStep: real(options.liquidMaxStep, 0.1, 'liquidMaxStep (Å)', true), fmax: real(options.liquidFmax, 0.5, 'liquidFmax (eV/Å)'),
  };
  const reference = zincOxideBuckingham({ accuracy: 1e-6, ...options.model }).potential;
  const uniform = mulberry32(seed);
  const next = (): number => Math.floor(uniform() * 2 ** 31);

  const lattices = Object.fromEntries(POLYMORPH_NAMES.map((name) => [name, relaxZincOxidePolymorph(name, reference)])) as Record<ZincOxidePolymorph, RelaxedPolymorph>;
  const structures: Structure[] = [];
  for (const name of polymorphs) {
    for (let k = 0; k < nBulk; ++k) {
      const e = (): number => smax * (2 * uniform() - 1);
      let eps: number[][];
      if (k % 2 === 0) { const x = e(); eps = [[x, 0, 0], [0, x, 0], [0, 0, x]]; } else {
        const [xx, yy, zz, yz, xz, xy] = [e(), e(), e(), e(), e(), e()];
        eps = [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]];
      }
      const cell = strain(lattices[name].structure.repeat(SUPERCELLS[name]), eps);
      structures.push(label(rattle(cell, sigma, next()), `bulk-${name.toLowerCase() as Lowercase<ZincOxidePolymorph>}`, reference));
    }
  }
  const [a, ca, u] = lattices.wurtzite.parameters;
  const slabLattice = { a, c: ca * a, u, vacuum };
  for (let k = 0; k < nSlab; ++k) {
    structures.push(label(rattle(wurtzitePolarSlab(polarBilayers, { ...slabLattice, repeat: [2, 2] }), sigma, next()), 'slab-polar', reference));
    structures.push(label(rattle(wurtziteNonPolarSlab(nonPolarLayers, { ...slabLattice, repeat: [2, 1] }), sigma, next()), 'slab-nonpolar', reference));
  }
  const liquids = nLiquid === 0 ? [] : liquidSamples({
    potential: reference, symbols: ['Zn', 'O'], ...liquid, temperatures, snapshots: nLiquid, seed: next(), start,
  });
  liquids.forEach((trajectory, t) => {
    for (const snapshot of trajectory.snapshots) {
      Object.assign(snapshot.info, { temperature: trajectory.temperature, mdTemperature: trajectory.meanTemperature, trajectory: t });
      structures.push(label(snapshot, 'liquid', reference));
    }
  });
  const dataset: ZincOxideDataset = { structures, lattices, liquids, reference, slabs: { polarBilayers, nonPolarLayers, vacuum } };
  return withInspect(dataset, () => datasetSummary(dataset));
}

/** The `console.log` summary of a data set: structures per kind, the relaxed lattices and the liquid temperatures. */
function datasetSummary(d: ZincOxideDataset): string {
  const kinds = new Map<string, number>();
  for (const s of d.structures) kinds.set(String(s.info.kind), (kinds.get(String(s.info.kind)) ?? 0) + 1);
  const lattice = (p: RelaxedPolymorph): string =>
    `${p.parameters.map((x, k) => `${p.parameterNames[k]} ${formatNumber(x, 5)}`).join(', ')}; ${formatNumber(p.energyPerAtom, 6)} eV/atom`;
  return summary('ZincOxideDataset', {
    structures: `${d.structures.length} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`,
    atoms: d.structures.reduce((n, s) => n + s.length, 0),
    ...Object.fromEntries(POLYMORPH_NAMES.map((name) => [name, lattice(d.lattices[name])])),
    liquid: d.liquids.length === 0 ? undefined
      : d.liquids.map((t) => `${formatNumber(t.temperature, 4)} K (MD ${formatNumber(t.meanTemperature, 4)} K, ${t.snapshots.length})`).join(', '),
    reference: (d.reference as object).constructor.name,
  });
}

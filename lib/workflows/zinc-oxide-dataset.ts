/**
 * `zincOxideDataset`: a labelled training set of ZnO configurations from the rigid-ion
 * Buckingham + Coulomb model ({@link zincOxideBuckingham}), the "DFT stand-in" of the PLIP vs
 * PLIP+Q study. Energies in eV, forces in eV/Å, lengths in Å.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { rattle, rocksalt, wurtzite, zincblende } from '../build/crystals';
import { mulberry32 } from '../core/random';
import { relaxLattice } from '../build/relax-lattice';
import { wurtziteNonPolarSlab, wurtzitePolarSlab } from '../build/surfaces';
import type { Potential } from '../potentials/potential';
import { zincOxideBuckingham, type ZincOxideBuckinghamOptions } from '../potentials/zinc-oxide';
import type { Structure } from '../structure/structure';
import { disorderedBinary, type MinimumDistances } from './disordered';
import { formatNumber, summary, withInspect } from '../core/inspect';

/** The kinds of configuration, stored as `info.kind`. */
export type ZincOxideKind = 'bulk-wurtzite' | 'bulk-zincblende' | 'bulk-rocksalt' | 'slab-polar' | 'slab-nonpolar' | 'liquid';

/** Options of {@link zincOxideDataset}; every field has a small default. */
export interface ZincOxideDatasetOptions {
  /** Seed of every random choice (default 0). */
  seed?: number;
  /** Reference model options (default: Binks set, Buckingham cutoff 10 Å, Ewald accuracy 1e-6). */
  model?: ZincOxideBuckinghamOptions;
  /** Configurations per bulk polymorph (default 4), half strained isotropically, half anisotropically. */
  bulkCount?: number;
  /** Configurations per slab orientation (default 3). */
  slabCount?: number;
  /** Liquid-like configurations (default 3). */
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
  /** Atoms per liquid-like configuration (even; default 32). */
  liquidAtoms?: number;
  /** Liquid number density, atoms/Å³ (default 0.075, ≈ 5.1 g/cm³, 90 % of wurtzite's 0.083). */
  liquidDensity?: number;
  /** Liquid minimum distances, Å (default Zn–O 1.75, Zn–Zn and O–O 2.6). */
  liquidMinimumDistances?: MinimumDistances;
  /** Liquid descent: largest number of steps (default 150), step cap Å (default 0.1), force stop eV/Å (default 0.5). */
  liquidSteps?: number;
  liquidMaxStep?: number;
  liquidFmax?: number;
}

/** Relaxed lattice of one polymorph under the reference model. */
export interface RelaxedPolymorph {
  /** Free parameters: [a] (Å) for cubic cells, [a (Å), c/a, u] for wurtzite. */
  parameters: number[];
  /** Energy per atom at the minimum, eV/atom. */
  energyPerAtom: number;
}

/** What {@link zincOxideDataset} returns. */
export interface ZincOxideDataset {
  /** Labelled structures: `info.energy` (eV), `info.kind` ({@link ZincOxideKind}), `arrays.forces` `[N,3]` (eV/Å). */
  structures: Structure[];
  /** Relaxed polymorphs of the reference model. */
  lattices: Record<'wurtzite' | 'zincblende' | 'rocksalt', RelaxedPolymorph>;
  /** The reference model (Buckingham + Ewald). */
  reference: Potential;
  /** Slab settings used (the study builds its ideal slabs with the same ones). */
  slabs: { polarBilayers: number; nonPolarLayers: number; vacuum: number };
}

const KEYS = new Set(['seed', 'model', 'bulkCount', 'slabCount', 'liquidCount', 'rattle', 'strain', 'polarBilayers', 'nonPolarLayers',
  'vacuum', 'liquidAtoms', 'liquidDensity', 'liquidMinimumDistances', 'liquidSteps', 'liquidMaxStep', 'liquidFmax']);

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
 * seed (all sizes and counts are options; defaults give 33 structures of 16–32 atoms):
 *
 * - **bulk** wurtzite (2×2×1 = 16 atoms), zincblende and rocksalt (conventional cells ×2 along x,
 *   16 atoms), each at its relaxed lattice ({@link relaxLattice} on the reference), strained
 *   (every other configuration isotropically, the others by a random symmetric strain) and
 *   rattled (Gaussian, `rattle` Å);
 * - **polar (0001) slabs** ({@link wurtzitePolarSlab}, Zn face on top, repeat [2, 2]) and
 *   **non-polar (10-10) slabs** ({@link wurtziteNonPolarSlab}, repeat [2, 1]) at the relaxed
 *   wurtzite lattice, rattled, `vacuum` Å gap (periodic in 3-D, so Ewald applies);
 * - **liquid-like** configurations: random sequential insertion at `liquidDensity` with the
 *   minimum distances (Zn–O 1.75 Å, about 0.25 Å below the Zn–O bond; like pairs 2.6 Å, about
 *   0.6 Å below the crystal's like-pair distances, so no two like ions nearly overlap), then a
 *   short constrained steepest descent on the reference forces ({@link disorderedBinary}).
 *   These are quenched disordered configurations, NOT samples of molecular dynamics (the
 *   library has no MD yet).
 *
 * Labels: `info.energy` (eV), `arrays.forces` (`[N,3]`, eV/Å), `info.kind`.
 * @example
 * const { structures, lattices } = zincOxideDataset({ seed: 1, liquidCount: 4 });
 */
export function zincOxideDataset(options: ZincOxideDatasetOptions = {}): ZincOxideDataset {
  if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'zincOxideDataset: options must be an object');
  for (const key of Object.keys(options)) if (!KEYS.has(key)) throw new PolymorphError('E_VALUE', `zincOxideDataset: unknown option '${key}'`);
  const seed = count(options.seed, 0, 'seed');
  const nBulk = count(options.bulkCount, 4, 'bulkCount'), nSlab = count(options.slabCount, 3, 'slabCount'), nLiquid = count(options.liquidCount, 3, 'liquidCount');
  const sigma = real(options.rattle, 0.06, 'rattle (Å)'), smax = real(options.strain, 0.03, 'strain');
  const polarBilayers = count(options.polarBilayers, 4, 'polarBilayers', 1), nonPolarLayers = count(options.nonPolarLayers, 2, 'nonPolarLayers', 1);
  const vacuum = real(options.vacuum, 12, 'vacuum (Å)', true);
  const md = options.liquidMinimumDistances ?? { unlike: 1.75, like: 2.6 };
  real(md.unlike, NaN, 'liquidMinimumDistances.unlike (Å)'), real(md.like, NaN, 'liquidMinimumDistances.like (Å)');
  const reference = zincOxideBuckingham({ accuracy: 1e-6, ...options.model }).potential;
  const uniform = mulberry32(seed);
  const next = (): number => Math.floor(uniform() * 2 ** 31);

  const tol = { energyTolerance: 1e-8, parameterTolerance: 1e-5 };
  const wz = relaxLattice(([a, ca, u]) => wurtzite(['Zn', 'O'], a, ca * a, u), reference, [3.27, 1.57, 0.389], tol);
  const zb = relaxLattice(([a]) => zincblende(['Zn', 'O'], a), reference, [4.57], tol);
  const rs = relaxLattice(([a]) => rocksalt(['Zn', 'O'], a), reference, [4.32], tol);
  const [a, ca, u] = wz.parameters;
  const structures: Structure[] = [];
  const bulk: [ZincOxideKind, () => Structure][] = [
    ['bulk-wurtzite', () => wz.structure.repeat([2, 2, 1])],
    ['bulk-zincblende', () => zb.structure.repeat([2, 1, 1])],
    ['bulk-rocksalt', () => rs.structure.repeat([2, 1, 1])],
  ];
  for (const [kind, build] of bulk) {
    for (let k = 0; k < nBulk; ++k) {
      const e = (): number => smax * (2 * uniform() - 1);
      let eps: number[][];
      if (k % 2 === 0) { const x = e(); eps = [[x, 0, 0], [0, x, 0], [0, 0, x]]; } else {
        const [xx, yy, zz, yz, xz, xy] = [e(), e(), e(), e(), e(), e()];
        eps = [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]];
      }
      structures.push(label(rattle(strain(build(), eps), sigma, next()), kind, reference));
    }
  }
  const lattice = { a, c: ca * a, u, vacuum };
  for (let k = 0; k < nSlab; ++k) {
    structures.push(label(rattle(wurtzitePolarSlab(polarBilayers, { ...lattice, repeat: [2, 2] }), sigma, next()), 'slab-polar', reference));
    structures.push(label(rattle(wurtziteNonPolarSlab(nonPolarLayers, { ...lattice, repeat: [2, 1] }), sigma, next()), 'slab-nonpolar', reference));
  }
  for (let k = 0; k < nLiquid; ++k) {
    const { structure } = disorderedBinary({
      symbols: ['Zn', 'O'], atoms: count(options.liquidAtoms, 32, 'liquidAtoms', 2), density: real(options.liquidDensity, 0.075, 'liquidDensity (atoms/Å³)', true),
      minimumDistances: md, seed: next(), potential: reference, steps: count(options.liquidSteps, 150, 'liquidSteps'),
      maxStep: real(options.liquidMaxStep, 0.1, 'liquidMaxStep (Å)', true), fmax: real(options.liquidFmax, 0.5, 'liquidFmax (eV/Å)'),
    });
    structures.push(label(structure, 'liquid', reference));
  }
  const relaxed = (r: { parameters: number[]; energyPerAtom: number }): RelaxedPolymorph => ({ parameters: r.parameters, energyPerAtom: r.energyPerAtom });
  const dataset: ZincOxideDataset = {
    structures, lattices: { wurtzite: relaxed(wz), zincblende: relaxed(zb), rocksalt: relaxed(rs) }, reference,
    slabs: { polarBilayers, nonPolarLayers, vacuum },
  };
  return withInspect(dataset, () => datasetSummary(dataset));
}

/** The `console.log` summary of a data set: structures per kind and the relaxed lattices. */
function datasetSummary(d: ZincOxideDataset): string {
  const kinds = new Map<string, number>();
  for (const s of d.structures) kinds.set(String(s.info.kind), (kinds.get(String(s.info.kind)) ?? 0) + 1);
  const names = ['a', 'c/a', 'u'];
  const lattice = (p: RelaxedPolymorph): string =>
    `${p.parameters.map((x, k) => `${names[k]} ${formatNumber(x, 5)}${k === 0 ? ' Å' : ''}`).join(', ')}; ${formatNumber(p.energyPerAtom, 6)} eV/atom`;
  return summary('ZincOxideDataset', {
    structures: `${d.structures.length} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`,
    atoms: d.structures.reduce((n, s) => n + s.length, 0),
    wurtzite: lattice(d.lattices.wurtzite), zincblende: lattice(d.lattices.zincblende), rocksalt: lattice(d.lattices.rocksalt),
    reference: (d.reference as object).constructor.name,
  });
}

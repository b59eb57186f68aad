/**
 * Relaxed lattices of the ZnO polymorphs under several models, compared with a reference model:
 * relative errors of the free lattice parameters (%) and each model's energy ordering relative to
 * wurtzite (meV per formula unit). Lengths Å, energies eV.
 * @module
 */
import { rocksalt, wurtzite, zincblende } from '../build/crystals';
import { relaxLattice } from '../build/relax-lattice';
import { bodyCenteredTetragonal, cubane, hexagonalBoronNitride, sodalite } from '../build/zinc-oxide-polymorphs';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { ComputeRequest, Potential, Results } from '../potentials/potential';
import { NeighborList } from '../structure/neighbor-list';
import type { Structure } from '../structure/structure';

/** The ZnO polymorphs {@link relaxPolymorphs} knows. */
export type ZincOxidePolymorph = 'wurtzite' | 'zincblende' | 'rocksalt' | 'hBN' | 'BCT' | 'sodalite' | 'cubane';

/** A polymorph's free parameters (names with units), a starting point and its builder. */
export interface PolymorphParameters {
  names: readonly string[];
  initial: readonly number[];
  build: (p: number[]) => Structure;
}

/**
 * The free parameters of each polymorph (builders in `build/crystals` and
 * `build/zinc-oxide-polymorphs`): wurtzite [a (Å), c/a, u]; zincblende, rocksalt, sodalite [a];
 * h-BN [a, c]; BCT [a, c, x (cation), x′ (anion)]; cubane [bond (Å)]. Starting points are near the
 * rigid-ion reference's minima. Cubane's one-bond builder ties the cell and both internal
 * distances together, so its minimum is a constrained one, not a stationary point of an ionic
 * model (forces ~0.9 eV/Å under the rigid-ion reference); the models are compared on that same
 * constrained cell (`relaxZincOxidePolymorph` relaxes cubane over all three of its parameters).
 */
export const ZINC_OXIDE_POLYMORPHS: Readonly<Record<ZincOxidePolymorph, PolymorphParameters>> = Object.freeze({
  wurtzite: { names: ['a (Å)', 'c/a', 'u'], initial: [3.27, 1.57, 0.389], build: ([a, ca, u]: number[]) => wurtzite(['Zn', 'O'], a, ca * a, u) },
  zincblende: { names: ['a (Å)'], initial: [4.57], build: ([a]: number[]) => zincblende(['Zn', 'O'], a) },
  rocksalt: { names: ['a (Å)'], initial: [4.32], build: ([a]: number[]) => rocksalt(['Zn', 'O'], a) },
  hBN: { names: ['a (Å)', 'c (Å)'], initial: [3.45, 4.46], build: ([a, c]: number[]) => hexagonalBoronNitride(['Zn', 'O'], a, c) },
  BCT: { names: ['a (Å)', 'c (Å)', 'x', "x'"], initial: [5.587, 3.223, 0.3228, 0.3228], build: ([a, c, x, y]: number[]) => bodyCenteredTetragonal(['Zn', 'O'], a, c, x, y) },
  sodalite: { names: ['a (Å)'], initial: [5.6], build: ([a]: number[]) => sodalite(['Zn', 'O'], a) },
  cubane: { names: ['bond (Å)'], initial: [1.98], build: ([b]: number[]) => cubane(['Zn', 'O'], b) },
});

/** Options of {@link relaxPolymorphs}. */
export interface RelaxPolymorphsOptions {
  /** Polymorphs to relax (default all seven; wurtzite is always included, it is the zero of energy). */
  polymorphs?: readonly ZincOxidePolymorph[];
  /** Nelder–Mead stops (see relaxLattice): energy spread eV/atom (default 1e-7), parameter spread (default 1e-4), evaluations (default 400). */
  energyTolerance?: number;
  parameterTolerance?: number;
  maxEvaluations?: number;
  /**
   * Shortest interatomic distance a trial lattice may have, Å (default 1.2). A model that has not
   * learned the short-range repulsion can lower its energy without bound by squeezing the
   * crystal; the search is kept out of that region, and a minimum found within 0.05 Å of this
   * bound is reported as `collapsed`.
   */
  minimumDistance?: number;
}

/** One relaxed polymorph under one model. */
export interface RelaxedModelLattice {
  /** Free parameters at the minimum (see {@link ZINC_OXIDE_POLYMORPHS} for names and units). */
  parameters: number[];
  /** Energy per atom at the minimum, eV/atom. */
  energyPerAtom: number;
  /** Shortest interatomic distance of the relaxed cell, Å. */
  shortestDistance: number;
  converged: boolean;
  /** The minimum lies at the shortest-distance bound (the model collapses this polymorph). */
  collapsed: boolean;
}

/** What {@link relaxPolymorphs} returns: for each model (by name) and polymorph. */
export interface PolymorphLattices {
  polymorphs: ZincOxidePolymorph[];
  /** Parameter names per polymorph. */
  parameterNames: Record<string, readonly string[]>;
  /** Relaxed lattices, by model then polymorph. */
  models: Record<string, Record<string, RelaxedModelLattice>>;
  /** (p_model − p_reference) / p_reference × 100 per parameter, by model then polymorph (the reference's are 0). */
  errors: Record<string, Record<string, number[]>>;
  /** (E_polymorph − E_wurtzite) per formula unit (2 atoms), meV, by model then polymorph: the energy ordering. */
  energyVsWurtzite: Record<string, Record<string, number>>;
  /** The reference model's name. */
  reference: string;
}

const KEYS = ['polymorphs', 'energyTolerance', 'parameterTolerance', 'maxEvaluations', 'minimumDistance'] as const;

/** Shortest interatomic distance of `s` (minimum image in periodic cells), Å; Infinity if none within `within` Å. */
export function shortestDistance(s: Structure, within = 4): number {
  const list = NeighborList.build(s, within);
  let best = Infinity;
  const d = list.distances;
  for (let k = 0; k < d.length; ++k) if (d[k] < best) best = d[k];
  return best;
}

/** `model`, with trial structures whose shortest distance is below `bound` given +1000 eV/atom. */
function bounded(model: Potential, bound: number): Potential {
  const guard = (s: Structure): Results | null => (shortestDistance(s, bound + 0.5) < bound ? { energy: 1000 * s.length } : null);
  return {
    cutoff: model.cutoff,
    compute: (s: Structure, want?: ComputeRequest) => guard(s) ?? model.compute(s, want),
    computeAsync: async (s: Structure, want?: ComputeRequest) => guard(s) ?? model.computeAsync(s, want),
  };
}

/**
 * Relaxes each polymorph under each model with {@link relaxLattice} (Nelder–Mead over the free
 * parameters of {@link ZINC_OXIDE_POLYMORPHS}, atoms on their Wyckoff sites), all from the same
 * starting points, and compares every model with `models[reference]`: relative parameter errors
 * (%) and the energy of each polymorph above wurtzite, meV per formula unit.
 * @example
 * const lat = relaxPolymorphs({ reference: zno.potential, plip: fit.potential }, 'reference');
 * lat.errors.plip.wurtzite;          // [Δa %, Δ(c/a) %, Δu %]
 * lat.energyVsWurtzite.plip.rocksalt; // meV/f.u.
 */
export function relaxPolymorphs(models: Record<string, Potential>, reference: string, options: RelaxPolymorphsOptions = {}): PolymorphLattices {
  const o = checkOptions(options, KEYS, 'relaxPolymorphs');
  if (models === null || typeof models !== 'object' || !(reference in models)) throw new PolymorphError('E_VALUE', `relaxPolymorphs: the models must include the reference '${String(reference)}'`);
  const requested = o.polymorphs ?? (Object.keys(ZINC_OXIDE_POLYMORPHS) as ZincOxidePolymorph[]);
  if (!Array.isArray(requested)) throw new PolymorphError('E_TYPE', 'relaxPolymorphs: polymorphs must be a list of names');
  for (const p of requested) if (!(p in ZINC_OXIDE_POLYMORPHS)) throw new PolymorphError('E_VALUE', `relaxPolymorphs: unknown polymorph '${String(p)}' (expected ${Object.keys(ZINC_OXIDE_POLYMORPHS).join(', ')})`);
  const polymorphs: ZincOxidePolymorph[] = ['wurtzite', ...requested.filter((p) => p !== 'wurtzite')];
  const bound = o.minimumDistance ?? 1.2;
  if (!(typeof bound === 'number' && bound > 0 && bound < 3)) throw new PolymorphError('E_VALUE', `relaxPolymorphs: minimumDistance must lie in (0, 3) Å, got ${String(bound)}`);
  const tolerance = { energyTolerance: o.energyTolerance ?? 1e-7, parameterTolerance: o.parameterTolerance ?? 1e-4, maxEvaluations: o.maxEvaluations ?? 400 };
  const result: PolymorphLattices = {
    polymorphs, reference, models: {}, errors: {}, energyVsWurtzite: {},
    parameterNames: Object.fromEntries(polymorphs.map((p) => [p, ZINC_OXIDE_POLYMORPHS[p].names])),
  };
  for (const [name, model] of Object.entries(models)) {
    const guarded = bounded(model, bound);
    const lattices: Record<string, RelaxedModelLattice> = {};
    for (const p of polymorphs) {
      const spec = ZINC_OXIDE_POLYMORPHS[p];
      const r = relaxLattice(spec.build, guarded, spec.initial, tolerance);
      const shortest = shortestDistance(r.structure, 4);
      lattices[p] = { parameters: r.parameters, energyPerAtom: r.energyPerAtom, shortestDistance: shortest, converged: r.converged, collapsed: shortest < bound + 0.05 };
    }
    result.models[name] = lattices;
  }
  for (const name of Object.keys(models)) {
    const ref = result.models[reference], mine = result.models[name];
    result.errors[name] = Object.fromEntries(polymorphs.map((p) => [p, mine[p].parameters.map((x, k) => (100 * (x - ref[p].parameters[k])) / ref[p].parameters[k])]));
    result.energyVsWurtzite[name] = Object.fromEntries(polymorphs.map((p) => [p, 2000 * (mine[p].energyPerAtom - mine.wurtzite.energyPerAtom)]));
  }
  return result;
}

/**
 * The seven ZnO polymorphs of the nucleation studies (wurtzite, zincblende, rocksalt, h-BN, BCT,
 * sodalite, cubane), each relaxed within its symmetry under a potential ({@link relaxLattice}
 * over all of its free parameters). Lengths in Å, energies in eV per atom.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { rocksalt, wurtzite, zincblende } from '../build/crystals';
import { relaxLattice } from '../build/relax-lattice';
import { bodyCenteredTetragonal, cubane, hexagonalBoronNitride, sodalite } from '../build/zinc-oxide-polymorphs';
import type { Potential } from '../potentials/potential';
import { Structure } from '../structure/structure';

/** The polymorphs, in the order the data set lists them. */
export const ZINC_OXIDE_POLYMORPHS = ['wurtzite', 'zincblende', 'rocksalt', 'hbn', 'bct', 'sodalite', 'cubane'] as const;

/** One of {@link ZINC_OXIDE_POLYMORPHS}. */
export type ZincOxidePolymorph = (typeof ZINC_OXIDE_POLYMORPHS)[number];

/** A polymorph relaxed under a potential. */
export interface RelaxedPolymorph {
  /** Names of the free parameters, e.g. `['a', 'c/a', 'u']` (lengths in Å, ratios and fractions dimensionless). */
  parameterNames: string[];
  /** Free parameters at the minimum, in the order of `parameterNames`. */
  parameters: number[];
  /** Energy per atom at the minimum, eV/atom. */
  energyPerAtom: number;
  /** The relaxed conventional cell (unstrained, unrattled). */
  structure: Structure;
}

/**
 * Cubane framework with the cations and anions at their own distances from the cube centres:
 * the sites of {@link cubane} (I-43m, Zn₄O₄ cubes on a bcc lattice, cube corners on 8c (x,x,x))
 * with a cubic cell of edge `a` Å and each cation at centre + `zincOffset`·(±1,±1,±1) Å, each anion
 * at centre + `oxygenOffset`·(±1,±1,±1) Å. `cubane(bond)` ties a and both offsets to one bond
 * length, which is not a stationary point of an ionic model; these are the three free parameters.
 */
export function cubaneFramework(a: number, zincOffset: number, oxygenOffset: number, symbols: [string, string] = ['Zn', 'O']): Structure {
  for (const [x, what] of [[a, 'a'], [zincOffset, 'cation offset'], [oxygenOffset, 'anion offset']] as const) {
    if (!(Number.isFinite(x) && x > 0)) throw new PolymorphError('E_VALUE', `cubaneFramework: ${what} must be a positive number of Å, got ${x}`);
  }
  if (Math.max(zincOffset, oxygenOffset) >= a / 4) throw new PolymorphError('E_VALUE', `cubaneFramework: offsets must stay below a/4 = ${a / 4} Å (the cubes would overlap)`);
  const template = cubane(symbols, 1.98);
  const a0 = template.cell!.get(0, 0);
  const positions = [];
  for (let i = 0; i < template.length; ++i) {
    const offset = template.symbols[i] === symbols[0] ? zincOffset : oxygenOffset;
    positions.push([0, 1, 2].map((k) => {
      const r = template.positions.get(i, k);
      const centre = Math.round((2 * r) / a0) / 2;  // the cube centre: 0, ½ or 1 of the cell (corners lie within a0/4 of it)
      return centre * a + Math.sign(r - centre * a0) * offset;
    }));
  }
  return new Structure({ symbols: template.symbols, positions, cell: [[a, 0, 0], [0, a, 0], [0, 0, a]], pbc: true });
}

interface Recipe {
  names: string[];
  start: number[];
  build: (p: number[]) => Structure;
}

/** Builders over the free parameters, and starting points (experimental or idealised cells, see the builders). */
const RECIPES: Record<ZincOxidePolymorph, Recipe> = {
  wurtzite: { names: ['a', 'c/a', 'u'], start: [3.25, 1.6, 0.38], build: ([a, ca, u]) => wurtzite(['Zn', 'O'], a, ca * a, u) },
  zincblende: { names: ['a'], start: [4.58], build: ([a]) => zincblende(['Zn', 'O'], a) },
  rocksalt: { names: ['a'], start: [4.28], build: ([a]) => rocksalt(['Zn', 'O'], a) },
  hbn: { names: ['a', 'c'], start: [3.45, 4.46], build: ([a, c]) => hexagonalBoronNitride(['Zn', 'O'], a, c) },
  bct: { names: ['a', 'c', 'x', 'x′'], start: [5.587, 3.223, 0.32279, 0.32279], build: ([a, c, x, y]) => bodyCenteredTetragonal(['Zn', 'O'], a, c, x, y) },
  sodalite: { names: ['a'], start: [5.6], build: ([a]) => sodalite(['Zn', 'O'], a) },
  cubane: { names: ['a', 'd_Zn', 'd_O'], start: [6.246, 0.99, 0.99], build: ([a, dZn, dO]) => cubaneFramework(a, dZn, dO) },
};

/** Stopping rule of the relaxations: simplex energies within 1e-10 eV/atom or vertices within 1e-6 (Å or fraction). */
export const LATTICE_TOLERANCE = { energyTolerance: 1e-12, parameterTolerance: 1e-7 } as const;

/**
 * Relaxes one ZnO polymorph under `potential` over its free parameters, from the starting point
 * of its builder's defaults: wurtzite [a (Å), c/a, u]; zincblende, rocksalt and sodalite [a (Å)];
 * h-BN [a, c (Å)]; BCT [a, c (Å), x, x′] (cation 4f (x,x,0), anion 4g (x′,−x′,0));
 * cubane [a, d_Zn, d_O (Å)] ({@link cubaneFramework}). Nelder–Mead with {@link LATTICE_TOLERANCE};
 * throws `E_CONVERGENCE` if the relaxation runs out of evaluations.
 * @example
 * const bct = relaxZincOxidePolymorph('bct', zincOxideBuckingham().potential);
 * console.log(bct.parameters, bct.energyPerAtom);
 */
export function relaxZincOxidePolymorph(name: ZincOxidePolymorph, potential: Potential): RelaxedPolymorph {
  const recipe = RECIPES[name];
  if (!recipe) throw new PolymorphError('E_VALUE', `relaxZincOxidePolymorph: unknown polymorph '${String(name)}' (expected ${ZINC_OXIDE_POLYMORPHS.join(', ')})`);
  const r = relaxLattice(recipe.build, potential, recipe.start, { ...LATTICE_TOLERANCE, maxEvaluations: 5000 });
  if (!r.converged) throw new PolymorphError('E_CONVERGENCE', `relaxZincOxidePolymorph: ${name} did not converge in ${r.evaluations} evaluations`);
  return { parameterNames: [...recipe.names], parameters: r.parameters, energyPerAtom: r.energyPerAtom, structure: r.structure };
}

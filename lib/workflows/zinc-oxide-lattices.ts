/**
 * The seven ZnO polymorphs of the nucleation studies (wurtzite, zincblende, rocksalt, h-BN, BCT,
 * sodalite, cubane; {@link ZINC_OXIDE_POLYMORPHS}), each relaxed within its symmetry under a
 * potential to a stationary point ({@link relaxLattice} over all of its free parameters, cubane's
 * internal ones included). Lengths in Å, energies in eV per atom.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { relaxLattice } from '../build/relax-lattice';
import { cubane } from '../build/zinc-oxide-polymorphs';
import type { Potential } from '../potentials/potential';
import { Structure } from '../structure/structure';
import { ZINC_OXIDE_POLYMORPHS, type PolymorphParameters, type ZincOxidePolymorph } from './model-lattices';

/** The seven polymorphs, in the order of {@link ZINC_OXIDE_POLYMORPHS} (the order the data set lists them). */
export const POLYMORPH_NAMES: readonly ZincOxidePolymorph[] = Object.freeze(Object.keys(ZINC_OXIDE_POLYMORPHS) as ZincOxidePolymorph[]);

/** A polymorph relaxed under a potential. */
export interface RelaxedPolymorph {
  /** Names of the free parameters with their units, e.g. `['a (Å)', 'c/a', 'u']` (ratios and fractions dimensionless). */
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

/**
 * Cubane over its three free parameters [a, d_Zn, d_O] (Å; {@link cubaneFramework}), from the
 * builder's ideal cell for 1.98 Å bonds. {@link ZINC_OXIDE_POLYMORPHS} relaxes cubane over its
 * bond length alone, which leaves forces of 0.9 eV/Å on the atoms under the rigid-ion model.
 */
const CUBANE: PolymorphParameters = {
  names: ['a (Å)', 'd_Zn (Å)', 'd_O (Å)'], initial: [6.246, 0.99, 0.99], build: ([a, dZn, dO]: number[]) => cubaneFramework(a, dZn, dO),
};

/** Stopping rule of the relaxations: simplex energies within 1e-10 eV/atom or vertices within 1e-6 (Å or fraction). */
export const LATTICE_TOLERANCE = { energyTolerance: 1e-12, parameterTolerance: 1e-7 } as const;

/**
 * Relaxes one ZnO polymorph under `potential` to a stationary point (zero forces and stress on the
 * ideal cell) over all of its free parameters: those of {@link ZINC_OXIDE_POLYMORPHS} (wurtzite
 * [a, c/a, u]; zincblende, rocksalt, sodalite [a]; h-BN [a, c]; BCT [a, c, x, x′]) from its
 * starting point there, and for cubane [a, d_Zn, d_O] ({@link cubaneFramework}). Nelder–Mead with
 * the tight {@link LATTICE_TOLERANCE} (a data set's reference lattices; {@link relaxPolymorphs}
 * compares models more loosely); throws `E_CONVERGENCE` if it runs out of evaluations.
 * @example
 * const bct = relaxZincOxidePolymorph('BCT', zincOxideBuckingham().potential);
 * console.log(bct.parameterNames, bct.parameters, bct.energyPerAtom);
 */
export function relaxZincOxidePolymorph(name: ZincOxidePolymorph, potential: Potential): RelaxedPolymorph {
  const spec = name === 'cubane' ? CUBANE : Object.prototype.hasOwnProperty.call(ZINC_OXIDE_POLYMORPHS, name) ? ZINC_OXIDE_POLYMORPHS[name] : undefined;
  if (!spec) throw new PolymorphError('E_VALUE', `relaxZincOxidePolymorph: unknown polymorph '${String(name)}' (expected ${POLYMORPH_NAMES.join(', ')})`);
  const r = relaxLattice(spec.build, potential, spec.initial, { ...LATTICE_TOLERANCE, maxEvaluations: 5000 });
  if (!r.converged) throw new PolymorphError('E_CONVERGENCE', `relaxZincOxidePolymorph: ${name} did not converge in ${r.evaluations} evaluations`);
  return { parameterNames: [...spec.names], parameters: r.parameters, energyPerAtom: r.energyPerAtom, structure: r.structure };
}

/**
 * Symmetry-constrained relaxation: minimise the energy of a crystal over a few free lattice
 * parameters (a for cubic crystals; a, c/a, u for wurtzite), by Nelder–Mead.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { Potential } from '../potentials/potential';
import type { Structure } from '../structure/structure';

/** Options of {@link relaxLattice}. */
export interface RelaxLatticeOptions {
  /** Initial simplex steps, one per parameter (same units as the parameters). Default 2 % of each (0.01 for a zero one). */
  steps?: readonly number[];
  /** Stop when the simplex energies span less than this, eV per atom (or when parameterTolerance is met). Default 1e-10. */
  energyTolerance?: number;
  /** Stop when the simplex vertices are this close to the best one (parameter units). Default 1e-7. */
  parameterTolerance?: number;
  /** Largest number of energy evaluations. Default 2000. */
  maxEvaluations?: number;
}

const RELAX_LATTICE_OPTIONS = ['steps', 'energyTolerance', 'parameterTolerance', 'maxEvaluations'] as const;

/** Result of {@link relaxLattice}. */
export interface RelaxedLattice {
  /** Free parameters at the minimum (units of the builder's parameters). */
  parameters: number[];
  /** Energy per atom at the minimum, eV. */
  energyPerAtom: number;
  /** The relaxed structure (`build(parameters)`). */
  structure: Structure;
  /** Energy evaluations used. */
  evaluations: number;
  /** Whether a tolerance was met (false: maxEvaluations reached). */
  converged: boolean;
}

/**
 * Relaxes a crystal within its symmetry: minimises E(build(p))/N over the free parameters p
 * with the Nelder–Mead simplex method (no gradients; the atoms stay on the sites the builder
 * puts them, so forces that symmetry does not cancel are not relaxed: include every free
 * internal coordinate, such as wurtzite's u, among the parameters). Energies in eV per atom.
 * @example
 * const wz = relaxLattice(([a, ca, u]) => wurtzite(['Zn', 'O'], a, ca * a, u), zno.potential, [3.25, 1.6, 0.38]);
 * console.log(wz.parameters, wz.energyPerAtom);
 */
export function relaxLattice(build: (parameters: number[]) => Structure, potential: Potential, initial: readonly number[],
  options: RelaxLatticeOptions = {}): RelaxedLattice {
  options = checkOptions(options, RELAX_LATTICE_OPTIONS, 'relaxLattice');
  const n = initial.length;
  if (n === 0 || !initial.every(Number.isFinite)) throw new PolymorphError('E_VALUE', 'relaxLattice: initial parameters must be a non-empty list of finite numbers');
  const steps = options.steps ?? initial.map((x) => (x === 0 ? 0.01 : 0.02 * x));
  if (steps.length !== n || !steps.every((s) => Number.isFinite(s) && s !== 0)) {
    throw new PolymorphError('E_VALUE', `relaxLattice: steps must hold ${n} finite non-zero numbers`);
  }
  const energyTolerance = options.energyTolerance ?? 1e-10;
  const parameterTolerance = options.parameterTolerance ?? 1e-7;
  const maxEvaluations = options.maxEvaluations ?? 2000;
  let evaluations = 0;
  const f = (p: number[]): number => {
    evaluations++;
    const s = build(p);
    return potential.compute(s).energy / s.length;
  };
  const simplex = [initial.slice()];
  for (let k = 0; k < n; ++k) simplex.push(initial.map((x, j) => (j === k ? x + steps[k] : x)));
  const values = simplex.map(f);
  const order = (): void => {
    const idx = values.map((_, k) => k).sort((a, b) => values[a] - values[b]);
    const s = idx.map((k) => simplex[k]), v = idx.map((k) => values[k]);
    simplex.splice(0, n + 1, ...s);
    values.splice(0, n + 1, ...v);
  };
  const along = (from: number[], to: number[], t: number): number[] => from.map((x, j) => x + t * (to[j] - x));
  let converged = false;
  while (evaluations < maxEvaluations) {
    order();
    const spread = Math.max(...simplex.slice(1).map((p) => Math.max(...p.map((x, j) => Math.abs(x - simplex[0][j])))));
    if (values[n] - values[0] < energyTolerance || spread < parameterTolerance) {
      converged = true;
      break;
    }
    const centroid = simplex.slice(0, n).reduce((c, p) => c.map((x, j) => x + p[j] / n), new Array<number>(n).fill(0));
    const reflected = along(centroid, simplex[n], -1), fr = f(reflected);
    if (fr < values[0]) {
      const expanded = along(centroid, simplex[n], -2), fe = f(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = fr < values[n] ? along(centroid, reflected, 0.5) : along(centroid, simplex[n], 0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, values[n])) {
        [simplex[n], values[n]] = [contracted, fc];
      } else {
        for (let k = 1; k <= n; ++k) {
          simplex[k] = along(simplex[0], simplex[k], 0.5);
          values[k] = f(simplex[k]);
        }
      }
    }
  }
  order();
  return { parameters: simplex[0], energyPerAtom: values[0], structure: build(simplex[0]), evaluations, converged };
}

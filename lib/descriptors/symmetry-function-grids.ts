/**
 * Parameter grids for Behler–Parrinello symmetry functions, so that a set of a hundred
 * `symfunction_short` lines need not be written by hand.
 *
 * The grids follow the "gastegger2018" rule of n2p2's parameter generator `sfparamgen`
 * (`tools/python/symfunc_paramgen` in the n2p2 repository, by Florian Buchner), which implements
 * the radial-grid schemes of M. Gastegger, L. Schwiedrzik, M. Bittermann, F. Berzsenyi and
 * P. Marquetand, "wACSF—Weighted atom-centered symmetry functions as descriptors in machine
 * learning potentials", J. Chem. Phys. 148, 241709 (2018), doi:10.1063/1.5019667.
 * The code here is an independent implementation of the same formulas and conventions.
 *
 * **Radial grid.** With N = `count` ≥ 2 points between r_lower and r_upper (lengths, in the
 * length unit of the potential; r_upper defaults to the cutoff r_c):
 *
 *     Δr  = (r_upper − r_lower) / (N − 1)
 *     r_k = r_lower + k·Δr,  k = 0 … N−1   (r_{N−1} is set to r_upper exactly)
 *
 * - mode `'shift'` (requires 0 ≤ r_lower < r_upper ≤ r_c): Gaussians of equal width centred on
 *   the grid points, r_s,k = r_k and η_k = 1 / (2 Δr²) for every k — i.e. the Gaussian
 *   exp(−η (r − r_s)²) has standard deviation Δr, one grid spacing.
 * - mode `'center'` (requires 0 < r_lower < r_upper ≤ r_c): Gaussians centred on the central
 *   atom, r_s,k = 0 and η_k = 1 / (2 r_k²) — the standard deviation is the grid radius r_k.
 *
 * η is in 1/length². Every (r_s,k, η_k) pair gives one function per element combination; the
 * pairs are not crossed with each other.
 *
 * **Element combinations** (as sfparamgen): radial functions (type 2) for every ordered
 * (central, neighbour) pair, n_el² combinations; angular functions (types 3 and 9) for every
 * central element × every unordered pair of neighbour elements with repetition,
 * n_el · n_el(n_el+1)/2 combinations, the neighbours written in atomic-number order (as n2p2
 * stores them).
 *
 * **Angular functions** use the same (r_s, η) pairs, each crossed with every ζ and every λ
 * (default λ ∈ {−1, +1}, which sfparamgen fixes). As sfparamgen does, r_s is carried into the
 * optional trailing r_s field of n2p2's types 3 and 9, so `'shift'` grids give shifted angular
 * functions exp(−η[(r_ij−r_s)² + (r_ik−r_s)² (+ (r_jk−r_s)² for type 3)]), and `'center'` grids
 * give the usual unshifted ones (r_s = 0).
 *
 * Every generator returns its functions in n2p2's sorted order (`specs/n2p2-formats.md` §1.6),
 * which is the order of the network's input neurons.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { isChemicalSymbol } from '../structure/elements';
import {
  AngularSymmetryFunction,
  checkSymmetryFunction,
  formatSymmetryFunction,
  RadialSymmetryFunction,
  SymmetryFunctionDefinition,
  sortSymmetryFunctions,
} from './symmetry-function-definitions';

/** How the (r_s, η) pairs are laid out; see the module documentation. */
export type RadialGridMode = 'shift' | 'center';

/** Settings of the radial (r_s, η) grid shared by {@link radialGrid} and {@link angularGrid}. */
export interface RadialGridParameterOptions {
  /** Cutoff radius r_c of every function, length; > 0. */
  cutoff: number;
  /**
   * Smallest grid radius r_lower, length. Required, as in sfparamgen (which has no default for
   * it): `'shift'` needs 0 ≤ r_lower < r_upper, `'center'` needs 0 < r_lower < r_upper
   * (η = 1/(2 r_lower²) would be infinite at 0).
   */
  rLower: number;
  /** Largest grid radius r_upper, length; ≤ cutoff. Default: the cutoff (as sfparamgen). */
  rUpper?: number;
  /** Number N of (r_s, η) pairs, an integer ≥ 2. */
  count: number;
  /** `'shift'`: r_s on the grid, common η = 1/(2Δr²); `'center'`: r_s = 0, η = 1/(2r_k²). */
  mode: RadialGridMode;
}

/** Options of {@link radialGrid}. */
export interface RadialGridOptions extends RadialGridParameterOptions {
  /** The elements of the potential (chemical symbols, each once). */
  elements: string[];
}

/** Options of {@link angularGrid}. */
export interface AngularGridOptions extends RadialGridParameterOptions {
  /** The elements of the potential (chemical symbols, each once). */
  elements: string[];
  /** The ζ values (each ≥ 1, no repeats); every (r_s, η) pair is crossed with each. */
  zetas: number[];
  /** The λ values (no repeats). Default [−1, 1], the set sfparamgen always uses. */
  lambdas?: number[];
  /** 3: narrow angular functions ("G4", with the r_jk term); 9: wide ones ("G5"). */
  type: 3 | 9;
}

/** One (r_s, η) pair of a radial grid: r_s in length, η in 1/length². */
export interface RadialGridPoint {
  rShift: number;
  eta: number;
}

function fail(what: string, message: string): never {
  throw new PolymorphError('E_VALUE', `${what}: ${message}`);
}

function finite(x: unknown, what: string, name: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(what, `${name} must be a finite number, got ${String(x)}`);
  return x;
}

function options<T>(o: T, what: string): T {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new PolymorphError('E_TYPE', `${what}: expected an options object`);
  return o;
}

/** The element list, checked: a non-empty array of distinct chemical symbols. */
function elementList(elements: unknown, what: string): string[] {
  if (!Array.isArray(elements)) throw new PolymorphError('E_TYPE', `${what}: elements must be an array of chemical symbols`);
  if (elements.length === 0) fail(what, 'elements must name at least one element');
  const seen = new Set<string>();
  for (const e of elements) {
    if (typeof e !== 'string' || !isChemicalSymbol(e)) {
      throw new PolymorphError('E_ELEMENT', `${what}: elements must be chemical symbols (case-sensitive, e.g. 'O'), got ${JSON.stringify(e)}`);
    }
    if (seen.has(e)) fail(what, `element ${e} is listed twice`);
    seen.add(e);
  }
  return [...elements] as string[];
}

/** A list of distinct finite numbers (ζ or λ values). */
function valueList(values: unknown, what: string, name: string): number[] {
  if (!Array.isArray(values)) throw new PolymorphError('E_TYPE', `${what}: ${name} must be an array of numbers`);
  if (values.length === 0) fail(what, `${name} must hold at least one value`);
  const out: number[] = [];
  for (const v of values) {
    const x = finite(v, what, `each of ${name}`);
    if (out.includes(x)) fail(what, `${name} lists ${x} twice`);
    out.push(x);
  }
  return out;
}

/**
 * The (r_s, η) pairs of a Gastegger-style radial grid, in grid order (ascending r_k); see the
 * module documentation for the formulas. The numbers are computed as sfparamgen computes them
 * (numpy's `linspace`: r_k = k·Δr + r_lower, last point exactly r_upper), so they are the same
 * doubles.
 * Throws `E_VALUE` for a count that is not an integer ≥ 2, an unknown mode, a non-finite value or
 * radii violating 0 ≤ r_lower < r_upper ≤ r_c (`'shift'`) or 0 < r_lower < r_upper ≤ r_c
 * (`'center'`).
 */
export function radialGridParameters(o: RadialGridParameterOptions, what = 'radialGridParameters'): RadialGridPoint[] {
  options(o, what);
  const cutoff = finite(o.cutoff, what, 'cutoff');
  if (!(cutoff > 0)) fail(what, `cutoff must be > 0, got ${cutoff}`);
  const count = o.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 2) {
    fail(what, `count must be an integer >= 2 (the number of (r_s, eta) pairs), got ${String(count)}`);
  }
  const mode = o.mode;
  if (mode !== 'shift' && mode !== 'center') fail(what, `mode must be 'shift' or 'center', got ${JSON.stringify(mode)}`);
  if (o.rLower === undefined) fail(what, 'rLower is required (the smallest grid radius; sfparamgen has no default for it either)');
  const rLower = finite(o.rLower, what, 'rLower');
  const rUpper = o.rUpper === undefined ? cutoff : finite(o.rUpper, what, 'rUpper');
  const lowOk = mode === 'center' ? rLower > 0 : rLower >= 0;
  if (!lowOk || !(rLower < rUpper) || !(rUpper <= cutoff)) {
    const relation = mode === 'center' ? '0 < rLower < rUpper <= cutoff' : '0 <= rLower < rUpper <= cutoff';
    fail(what, `mode '${mode}' requires ${relation}, got rLower = ${rLower}, rUpper = ${rUpper}, cutoff = ${cutoff}`);
  }
  const spacing = (rUpper - rLower) / (count - 1);
  const grid: number[] = [];
  for (let k = 0; k < count; ++k) grid.push(k === count - 1 ? rUpper : k * spacing + rLower);
  if (mode === 'shift') {
    const eta = 1 / (2 * spacing * spacing);
    return grid.map((r) => ({ rShift: r, eta }));
  }
  return grid.map((r) => ({ rShift: 0, eta: 1 / (2 * (r * r)) }));
}

/**
 * Radial functions (type 2) on a Gastegger-style grid for every (central, neighbour) element
 * pair: `elements.length² × count` functions, in n2p2's sorted order. Formulas: see the module
 * documentation (r_s, r_lower, r_upper, r_c in length units; η in 1/length²).
 * Throws `E_VALUE` (bad numbers, count, mode or duplicated element) or `E_ELEMENT`.
 */
export function radialGrid(o: RadialGridOptions): RadialSymmetryFunction[] {
  const what = 'radialGrid';
  options(o, what);
  const elements = elementList(o.elements, what);
  const points = radialGridParameters(o, what);
  const out: RadialSymmetryFunction[] = [];
  for (const element of elements) {
    for (const neighbor of elements) {
      for (const { rShift, eta } of points) {
        const d: RadialSymmetryFunction = { type: 2, element, neighbor, eta, rShift, cutoff: o.cutoff };
        out.push(checkSymmetryFunction(d, what) as RadialSymmetryFunction);
      }
    }
  }
  return sortSymmetryFunctions(out);
}

/**
 * Angular functions (type 3 narrow or 9 wide) on a Gastegger-style grid: for every central
 * element and every unordered pair of neighbour elements (neighbours in atomic-number order),
 * every (r_s, η) pair × every ζ × every λ —
 * `n_el · n_el(n_el+1)/2 × count × zetas.length × lambdas.length` functions, in n2p2's sorted
 * order. r_s goes into the optional r_s field of types 3/9 (0 in `'center'` mode), as sfparamgen
 * writes it. Formulas: see the module documentation.
 * Throws `E_VALUE` (bad numbers, count, mode, type, ζ < 1, empty or repeated ζ/λ, duplicated
 * element) or `E_ELEMENT`.
 */
export function angularGrid(o: AngularGridOptions): AngularSymmetryFunction[] {
  const what = 'angularGrid';
  options(o, what);
  if (o.type !== 3 && o.type !== 9) fail(what, `type must be 3 (narrow) or 9 (wide), got ${String(o.type)}`);
  const type = o.type;
  const elements = elementList(o.elements, what);
  const zetas = valueList(o.zetas, what, 'zetas');
  for (const z of zetas) if (z < 1) fail(what, `every zeta must be >= 1, got ${z}`);
  const lambdas = o.lambdas === undefined ? [-1, 1] : valueList(o.lambdas, what, 'lambdas');
  const points = radialGridParameters(o, what);
  const out: AngularSymmetryFunction[] = [];
  for (const element of elements) {
    for (let a = 0; a < elements.length; ++a) {
      for (let b = a; b < elements.length; ++b) {
        for (const { rShift, eta } of points) {
          for (const zeta of zetas) {
            for (const lambda of lambdas) {
              const d: AngularSymmetryFunction = {
                type, element, neighbors: [elements[a], elements[b]], eta, lambda, zeta, cutoff: o.cutoff, rShift,
              };
              // checkSymmetryFunction orders the two neighbours by atomic number, as n2p2 does.
              out.push(checkSymmetryFunction(d, what) as AngularSymmetryFunction);
            }
          }
        }
      }
    }
  }
  return sortSymmetryFunctions(out);
}

/**
 * The `symfunction_short` lines of `defs` for an n2p2 `input.nn`, one per function
 * ({@link formatSymmetryFunction}), in n2p2's sorted order (so line k defines input neuron k of
 * its element's network), joined with `'\n'` (no trailing newline; `''` for no functions).
 * Each definition is checked first (`E_VALUE` / `E_ELEMENT` / `E_TYPE` on a bad one).
 */
export function symmetryFunctionLines(defs: SymmetryFunctionDefinition[]): string {
  if (!Array.isArray(defs)) throw new PolymorphError('E_TYPE', 'symmetryFunctionLines: expected an array of symmetry-function definitions');
  const checked = defs.map((d, i) => checkSymmetryFunction(d, `symmetryFunctionLines: definition ${i}`));
  return sortSymmetryFunctions(checked).map(formatSymmetryFunction).join('\n');
}

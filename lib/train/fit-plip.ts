/**
 * `fitPlip`: fits a PLIP linear potential (Benoit et al. 2021) or PLIP+Q (Salazar et al. 2024)
 * to reference energies, forces and (optionally) stresses with LassoLars, as PLIP does (scaled
 * columns, Lasso on the scaled problem, coefficients unscaled afterwards).
 * @module
 */
import { PolymorphError } from '../core/errors';
import { PlipDescriptors } from '../descriptors/plip';
import { Electrostatics } from '../potentials/electrostatics';
import type { EwaldOptions } from '../potentials/ewald';
import { LinearPotential } from '../potentials/linear';
import type { ChargeMap } from '../potentials/point-charges';
import type { Potential } from '../potentials/potential';
import { SumPotential } from '../potentials/sum';
import type { Structure } from '../structure/structure';
import { evPerA3InGPa } from '../structure/units';
import { checkFitPlipOptions, type CheckedOptions, splitStructures } from './fit-plip-options';
import { checkStructures, type RowSpec, structureBlock, type StructureBlock } from './plip-design';
import { dot, solve, trainingDesign } from './plip-solve';
import { runAsync, runSync, type Steps } from './steps';

/** Options of {@link fitPlip}. */
export interface FitPlipOptions {
  /** The descriptors of the linear model (their columns are the fitted weights, eV). */
  descriptors: PlipDescriptors;
  /**
   * PLIP+Q: initial charges by element (e), e.g. `{ Zn: 2, O: -2 }`. Adds one column, the
   * structure's point-charge energy with these charges ({@link Electrostatics}: Ewald for cells
   * periodic in 3-D, the direct sum for open clusters; a set may mix the two, with one γ; slabs
   * and wires are refused), whose coefficient is γ.
   */
  charges?: ChargeMap;
  /** Ewald settings for PLIP+Q (accuracy, method, …; not `charges`), used in the fit and in the returned model. */
  ewald?: Omit<EwaldOptions, 'charges'>;
  /** Lasso α ≥ 0 on the scaled, weighted problem (see {@link fitPlip}). Give `alpha` or `cv`, not both. */
  alpha?: number;
  /**
   * Choose α by K-fold cross-validation (LassoLarsCV over the merged path breakpoints) with folds
   * of whole training structures (GroupKFold: no structure has rows in a training and a
   * held-out fold); default 5 when `alpha` is absent. Needs at least K training structures.
   */
  cv?: number;
  /**
   * Row weights: energy rows (per atom, eV/atom), force rows (eV/Å) and stress rows (Voigt,
   * eV/Å³; only for structures periodic in 3-D). Default `{ energy: 1, forces: 1, stress: 0 }`;
   * a 0 drops those rows (and the need for those labels). Stress rows are small numbers in
   * eV/Å³ (1 GPa = 0.0062 eV/Å³), so a weight of order 10–100 is needed for them to count
   * against force rows.
   */
  weights?: { energy?: number; forces?: number; stress?: number };
  /**
   * PLIP's force filter, eV/Å (> 0; default none): an atom whose reference force has
   * |F_ref| > maxForce contributes no force rows (all 3 components are dropped; its structure's
   * energy and stress rows are kept). Applies to training and validation rows alike.
   */
  maxForce?: number;
  /**
   * Structures held out for validation: a fraction in [0, 1) of them, chosen with `seed`, or the
   * list of their indices (e.g. a split stratified by kind). Default 0.
   */
  validation?: number | readonly number[];
  /** Seed of the train/validation split and of the order of the training structures, which decides the cross-validation folds (default 0). */
  seed?: number;
  /** Largest number of LARS steps (default 500, as scikit-learn). */
  maxIter?: number;
}

/** Errors of a model on a set of structures. */
export interface FitPlipMetrics {
  /** Number of structures and of atoms. */
  structures: number;
  atoms: number;
  /** RMSE of the energy per atom over structures, meV/atom (NaN without energy labels). */
  energyRmse: number;
  /** RMSE over all force components, eV/Å (NaN without force labels), atoms dropped by `maxForce` excluded. */
  forceRmse: number;
  /** Atoms whose force rows `maxForce` dropped (0 without it). */
  forcesDropped: number;
  /** RMSE over the 6 Voigt stress components of the structures periodic in 3-D, GPa (NaN without stress rows: weights.stress = 0 or no periodic structure). */
  stressRmse: number;
}

/** The electrostatic part of a PLIP+Q fit. */
export interface FitPlipElectrostatics {
  /** What the data needed: 'ewald' (all periodic), 'coulomb' (all open clusters, direct sum) or 'mixed' (both, one γ). */
  method: 'ewald' | 'coulomb' | 'mixed';
  /** The initial charges by element, e. */
  initialCharges: Record<string, number>;
  /** γ from the Lasso (dimensionless): the coefficient of the initial-charge energy. */
  gammaFitted: number;
  /** γ kept in the model: gammaFitted if > 0, else 0 (then refitted without the column). */
  gamma: number;
  /** The charges of the returned model, q·√γ (e); null when γ = 0. */
  charges: Record<string, number> | null;
}

/** What {@link fitPlip} reports. */
export interface FitPlipReport {
  /** The α of the final fit (given, or chosen by cross-validation). */
  alpha: number;
  /**
   * Cross-validation when `cv` was used: α grid (ascending), mean over folds of the held-out MSE
   * of the scaled, weighted problem (units of the weighted rows squared), and the training
   * structures of each fold (indices into the input list; every training structure is in
   * exactly one fold, with all its rows).
   */
  cv: { folds: number; alphas: Float64Array; mse: Float64Array; structureFolds: number[][] } | null;
  /** Number of descriptor columns F, and of non-zero descriptor weights (γ not counted). */
  features: number;
  nonZero: number;
  /**
   * Descriptor columns left out of the Lasso (weight 0) because they equal an earlier column on
   * every training row, e.g. the 2-body columns of O-centred atoms with Zn neighbours, which sum
   * the same Zn–O pairs as the Zn-centred ones with O neighbours; the earlier column carries the sum.
   */
  duplicateColumns: number[];
  /** LARS steps of the final fit (maxIter reached means the path stopped before α). */
  nIter: number;
  /** Rows of the training design matrix: per training structure 1 energy row, 3 per atom kept by `maxForce`, 6 stress rows if periodic (when the weights are > 0). */
  rows: number;
  /** Per-element energy offsets, eV/atom (not penalised). */
  offsets: Record<string, number>;
  /** PLIP+Q part, null for plain PLIP. */
  electrostatics: FitPlipElectrostatics | null;
  /** Indices (into the input list) of the training and validation structures. */
  trainIndices: number[];
  validationIndices: number[];
  train: FitPlipMetrics;
  validation: FitPlipMetrics | null;
}

/** What {@link fitPlip} returns: the fitted potential and the report of the fit. */
export interface FitPlipResult {
  /** A LinearPotential, or for PLIP+Q with γ > 0 `SumPotential([linear, Electrostatics])` (usable on crystals and clusters alike). */
  potential: Potential;
  report: FitPlipReport;
}

/**
 * Fits E = Σ_i (ε_{e_i} + w·χ_i) [+ γ E_el(q₀)] to reference energies `info.energy` (eV),
 * forces `arrays.forces` (`[N,3]`, eV/Å) and, with `weights.stress` > 0, stresses `info.stress`
 * (eV/Å³, ASE sign: σ = (1/V) ∂E/∂ε; a `[3,3]` matrix as extended XYZ gives it, 9 values row by
 * row or 6 Voigt values xx yy zz yz xz xy).
 *
 * Rows, per structure: one energy row (Σ_i χ_i / N against E/N, times `weights.energy`); 3 force
 * rows per atom (−∂Σχ/∂r against F, times `weights.forces`), except for atoms whose reference
 * |F| exceeds `maxForce` (PLIP's filter of very high-force atoms; all three components go, the
 * energy stays); and, for structures periodic in 3-D, 6 stress rows ((1/V) ∂Σχ/∂ε against the
 * Voigt stress, times `weights.stress`; open clusters have none). Columns: the F descriptor
 * columns, for PLIP+Q one more, E_el(q₀) (eV) with force and stress rows = its forces and
 * stress. Per-element offsets ε (eV/atom) are not penalised: the count columns n_e/N (zero on
 * force and stress rows) are projected out exactly before the Lasso (equivalent to fitting them
 * as unpenalised columns, the way an intercept is handled by centring; minimum-norm ε when
 * compositions do not separate them). Each column is then divided by its population standard
 * deviation (PLIP's `StandardScaler(with_mean=False)`, ddof 0, computed on the weighted rows
 * before the projection; constant columns use 1); a column equal to an earlier one on every
 * training row (PLIP's 2-body A–B and B–A columns sum the same pairs) is left out
 * (`report.duplicateColumns`); LassoLars (no intercept) minimises (1/2n)‖y − Xw‖² + α‖w‖₁ on the
 * n training rows, and the coefficients are unscaled: w = coef / scale.
 *
 * With `cv`, α comes from LassoLarsCV with folds of whole structures (scikit-learn's GroupKFold:
 * the training structures, in a seeded random order, go largest first to the fold with the
 * fewest rows so far), so no structure has rows on both sides of a fold and the held-out error
 * is the error on unseen structures, what `report.validation` measures (`report.cv.structureFolds`
 * lists the folds). The offsets are projected out with all training rows, not per fold.
 *
 * PLIP+Q: the point-charge energy is quadratic in the charges, so γ E_el(q₀) = E_el(√γ q₀) and
 * the returned model is `SumPotential([linear, Electrostatics({ charges: √γ q₀ })])`, which
 * evaluates periodic cells by Ewald and open clusters by the direct sum whatever the training
 * set held (a model fitted to crystals runs MD of a droplet). γ is penalised like every other
 * column. γ = 0 (the Lasso dropped it) gives a plain LinearPotential. γ < 0 has no charges (it
 * would be an imaginary scale) and would mean the data favour anti-Coulomb interactions;
 * LassoLars here has no sign constraint for a single column, so then the electrostatic column
 * is removed and the fit is redone without it (`report.electrostatics.gammaFitted` keeps the
 * negative value, `gamma` is 0).
 *
 * The train/validation split is by structure (seeded); metrics (energy meV/atom, forces eV/Å,
 * stress GPa) come from the design rows, which the returned potential reproduces (to round-off).
 * Memory: the training design matrix (rows × P doubles, rows = Σ (1 + 3M [+ 6]) over training
 * structures, M atoms kept) plus one structure's rows at a time; validation structures keep their
 * own rows. Runs on the calling thread; see {@link fitPlipAsync} for the same fit off the event loop.
 * @example
 * ```ts
 * const descriptors = new PlipDescriptors({ elements: ['Zn', 'O'], cutoff: 6, grid, threeBody: { lmax: 5 } });
 * const { potential, report } = fitPlip(structures, { descriptors, charges: { Zn: 2, O: -2 }, alpha: 1e-5, validation: 0.1 });
 * console.log(report.validation?.energyRmse, 'meV/atom', report.electrostatics?.charges);
 * // α by 5-fold CV over whole structures, stress rows of the crystals, atoms above 15 eV/Å without force rows
 * const again = fitPlip(structures, { descriptors, cv: 5, weights: { energy: 1, forces: 1, stress: 20 }, maxForce: 15 });
 * console.log(again.report.train.stressRmse, 'GPa', again.report.train.forcesDropped, 'atoms filtered');
 * ```
 */
export function fitPlip(structures: readonly Structure[], options: FitPlipOptions): FitPlipResult {
  return runSync(fitPlipSteps(structures, options));
}

/**
 * {@link fitPlip} off the event loop: every descriptor, electrostatic and LARS computation is a
 * queued async native call (one structure or one path at a time), with the same result bit for
 * bit. The structures must not be modified until the Promise settles; errors reject it.
 * @example
 * ```ts
 * const { potential, report } = await fitPlipAsync(structures, { descriptors, cv: 5, validation: 0.1 });
 * ```
 */
export function fitPlipAsync(structures: readonly Structure[], options: FitPlipOptions): Promise<FitPlipResult> {
  return runAsync(fitPlipSteps(structures, options));
}

/** The fit as native steps (see `steps.ts`), shared by {@link fitPlip} and {@link fitPlipAsync}. */
function* fitPlipSteps(structures: readonly Structure[], options: FitPlipOptions): Steps<FitPlipResult> {
  const o = checkFitPlipOptions(options);
  const needs: RowSpec = { energy: o.weights.energy > 0, forces: o.weights.forces > 0, stress: o.weights.stress > 0, maxForce: o.maxForce };
  checkStructures(structures, o.descriptors, needs);
  const { train, validation } = splitStructures(structures.length, o.validation, o.seed);
  const method = o.charges ? electrostaticMethod(structures) : null;
  const initial = method ? electrostatics(o, o.charges as Record<string, number>) : null;
  const F = o.descriptors.featureCount;
  const design = yield* trainingDesign(structures, train, o, initial, needs);
  let fit = yield* solve(design, o, design.P);
  let gammaFitted = NaN;
  if (initial) {
    gammaFitted = fit.weights[F];
    if (gammaFitted < 0) fit = yield* solve(design, o, F);
  }
  const gamma = initial && gammaFitted > 0 ? gammaFitted : 0;
  const weights = fit.weights.subarray(0, F);
  const offsets = Object.fromEntries(o.descriptors.elements.map((e, k) => [e, fit.offsets[k]]));
  const linear = new LinearPotential({ descriptors: o.descriptors, weights, offsets });
  let potential: Potential = linear;
  let el: FitPlipElectrostatics | null = null;
  if (method && o.charges) {
    const charges = gamma > 0 ? Object.fromEntries(Object.entries(o.charges).map(([e, q]) => [e, q * Math.sqrt(gamma)])) : null;
    if (charges) potential = new SumPotential([linear, electrostatics(o, charges)]);
    el = { method, initialCharges: { ...o.charges }, gammaFitted, gamma, charges };
  }
  const full = new Float64Array(design.P);
  full.set(fit.weights);
  const held: StructureBlock[] = [];
  for (const k of validation) held.push(yield* structureBlock(structures[k], k, o.descriptors, initial, needs));
  let cv: FitPlipReport['cv'] = null;
  if (fit.cv) {
    const structureFolds: number[][] = Array.from({ length: fit.cv.folds }, () => []);
    fit.cv.foldOf.forEach((f, position) => structureFolds[f]?.push(design.blocks[position].index));
    cv = { folds: fit.cv.folds, alphas: fit.cv.alphas, mse: fit.cv.mse, structureFolds };
  }
  const report: FitPlipReport = {
    alpha: fit.alpha, cv, features: F, nonZero: weights.reduce((n, w) => n + (w !== 0 ? 1 : 0), 0),
    duplicateColumns: design.duplicates.filter((j) => j < F),
    nIter: fit.nIter, rows: fit.rows, offsets, electrostatics: el, trainIndices: train, validationIndices: validation,
    train: {
      structures: train.length, atoms: train.reduce((n, k) => n + structures[k].length, 0),
      energyRmse: 1e3 * fit.energyRmse, forceRmse: fit.forceRmse,
      forcesDropped: design.blocks.reduce((n, b) => n + b.forcesDropped, 0), stressRmse: evPerA3InGPa * fit.stressRmse,
    },
    validation: held.length > 0 ? metrics(held, full, fit.offsets) : null,
  };
  return { potential, report };
}

/** 'ewald' when every structure is periodic in 3-D, 'coulomb' when none is periodic, 'mixed' for both; E_VALUE for slabs and wires. */
function electrostaticMethod(structures: readonly Structure[]): 'ewald' | 'coulomb' | 'mixed' {
  const periodic = structures.filter((s) => s.cell !== null && s.pbc.every((p) => p)).length;
  const open = structures.filter((s) => s.pbc.every((p) => !p)).length;
  if (periodic + open < structures.length) {
    const k = structures.findIndex((s) => !(s.pbc.every((p) => !p) || (s.cell !== null && s.pbc.every((p) => p))));
    throw new PolymorphError('E_VALUE', `fitPlip: PLIP+Q needs structures periodic in 3-D (Ewald) or open clusters (direct sum); structure ${k} has pbc [${structures[k].pbc.join(', ')}]`);
  }
  return open === 0 ? 'ewald' : periodic === 0 ? 'coulomb' : 'mixed';
}

function electrostatics(o: CheckedOptions, charges: Record<string, number>): Potential {
  return new Electrostatics({ ...o.ewald, charges });
}

/** Energy (meV/atom), force (eV/Å) and stress (GPa) RMSE of weights [P] and offsets [T] on full blocks (validation). */
function metrics(blocks: StructureBlock[], weights: Float64Array, offsets: Float64Array): FitPlipMetrics {
  let e2 = 0, atoms = 0, forcesDropped = 0;
  const squares = { forces: [0, 0], stress: [0, 0] };  // [Σ residual², count]
  const add = (rows: Float64Array | null, labels: Float64Array | null, into: number[], P: number): void => {
    if (!rows || !labels) return;
    for (let k = 0; k < labels.length; ++k) into[0] += (dot(rows.subarray(k * P, (k + 1) * P), weights) - labels[k]) ** 2;
    into[1] += labels.length;
  };
  for (const b of blocks) {
    atoms += b.atoms;
    forcesDropped += b.forcesDropped;
    const P = b.energyRow.length;
    e2 += (dot(b.energyRow, weights) + dot(b.counts, offsets) - b.energy) ** 2;
    add(b.forceRows, b.forces, squares.forces, P);
    add(b.stressRows, b.stress, squares.stress, P);
  }
  const rmse = ([sum, n]: number[]): number => (n > 0 ? Math.sqrt(sum / n) : NaN);
  return {
    structures: blocks.length, atoms, energyRmse: 1e3 * Math.sqrt(e2 / blocks.length), forceRmse: rmse(squares.forces),
    forcesDropped, stressRmse: evPerA3InGPa * rmse(squares.stress),
  };
}

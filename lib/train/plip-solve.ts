/**
 * The training side of {@link fitPlip}: the weighted design matrix (built structure by structure,
 * so only one structure's force rows exist besides the matrix), the offsets projected out, the
 * columns scaled, LassoLars(CV), unscaled coefficients, offsets and training errors.
 * @internal
 * @module
 */
import ndarray from 'ndarray';
import type { Potential } from '../potentials/potential';
import type { Structure } from '../structure/structure';
import type { CheckedOptions } from './fit-plip-options';
import { LassoLars } from './lasso-lars';
import { LassoLarsCV } from './lasso-lars-cv';
import { type LabelNeeds, structureBlock, type StructureBlock } from './plip-design';
import { offsetsOf, projectOut } from './plip-offsets';
import { fitSteps, type Steps } from './steps';

/** The training rows, projected (offsets out) and scaled in place. */
export interface TrainingDesign {
  /** (P⊥A)/scale [rows, P], row-major. */
  Z: Float64Array;
  /** P⊥y [rows]. */
  y: Float64Array;
  /** The weighted, unprojected targets [rows]. */
  yRaw: Float64Array;
  /** Weighted count columns [rows, T] (zero on force rows). */
  C: Float64Array;
  /** (CᵀC)⁺ [T, T], or null when there are no energy rows. */
  Gp: Float64Array | null;
  /** Column scales [P] (population standard deviation of the weighted columns, 1 if constant). */
  scale: Float64Array;
  rows: number;
  P: number;
  /** The training structures' blocks without their force rows (energy rows, counts, labels). */
  blocks: StructureBlock[];
}

/** The fitted linear part. */
export interface Solution {
  /** Physical (unscaled) coefficients [columns]: descriptor weights (eV), then γ for PLIP+Q. */
  weights: Float64Array;
  /** Per-element offsets, eV/atom. */
  offsets: Float64Array;
  alpha: number;
  cv: { folds: number; alphas: Float64Array; mse: Float64Array } | null;
  nIter: number;
  rows: number;
  /** Training RMSE: energy per atom (eV/atom) and force components (eV/Å), NaN when absent. */
  energyRmse: number;
  forceRmse: number;
}

/**
 * Builds the training design from `structures[indices]` (row order: each structure's energy row,
 * then its 3N force rows); the native steps are each structure's descriptor (and electrostatic) rows.
 */
export function* trainingDesign(structures: readonly Structure[], indices: number[], o: CheckedOptions, electrostatics: Potential | null, needs: LabelNeeds): Steps<TrainingDesign> {
  const T = o.descriptors.elements.length;
  const P = o.descriptors.featureCount + (electrostatics ? 1 : 0);
  const { energy: wE, forces: wF } = o.weights;
  const rows = indices.reduce((n, k) => n + (wE > 0 ? 1 : 0) + (wF > 0 ? 3 * structures[k].length : 0), 0);
  const A = new Float64Array(rows * P), y = new Float64Array(rows), C = new Float64Array(rows * T);
  const blocks: StructureBlock[] = [];
  let r = 0;
  for (const k of indices) {
    const b = yield* structureBlock(structures[k], k, o.descriptors, electrostatics, needs);
    if (wE > 0) {
      for (let j = 0; j < P; ++j) A[r * P + j] = wE * b.energyRow[j];
      for (let e = 0; e < T; ++e) C[r * T + e] = wE * b.counts[e];
      y[r++] = wE * b.energy;
    }
    if (wF > 0 && b.forceRows && b.forces) {
      for (let i = 0; i < 3 * b.atoms; ++i, ++r) {
        for (let j = 0; j < P; ++j) A[r * P + j] = wF * b.forceRows[i * P + j];
        y[r] = wF * b.forces[i];
      }
    }
    blocks.push({ ...b, forceRows: null, forces: null });
  }
  const yRaw = Float64Array.from(y);
  const scale = columnScale(A, rows, P);
  const Gp = wE > 0 ? projectOut(A, y, C, rows, P, T) : null;
  for (let i = 0; i < rows; ++i) for (let j = 0; j < P; ++j) A[i * P + j] /= scale[j];
  return { Z: A, y, yRaw, C, Gp, scale, rows, P, blocks };
}

/**
 * LassoLars (or LassoLarsCV) on the first `columns` columns of the design. Dropping trailing
 * columns commutes with the projection and the column scaling, so a refit without the PLIP+Q
 * column reuses the same rows. The native steps are the estimator's LARS paths.
 */
export function* solve(d: TrainingDesign, o: CheckedOptions, columns: number): Steps<Solution> {
  const { rows, P } = d;
  let Z = d.Z;
  if (columns < P) {
    Z = new Float64Array(rows * columns);
    for (let i = 0; i < rows; ++i) Z.set(d.Z.subarray(i * P, i * P + columns), i * columns);
  }
  const X = ndarray(Z, [rows, columns]);
  let coef: Float64Array, alpha: number, nIter: number, cv: Solution['cv'] = null;
  if (o.alpha !== undefined) {
    const model = yield* new LassoLars({ alpha: o.alpha, fitIntercept: false, maxIter: o.maxIter })[fitSteps](X, d.y);
    [coef, alpha, nIter] = [model.coef, o.alpha, model.nIter];
  } else {
    const model = yield* new LassoLarsCV({ cv: o.cv, fitIntercept: false, maxIter: o.maxIter })[fitSteps](X, d.y);
    [coef, alpha, nIter] = [model.coef, model.alpha, model.nIter];
    cv = { folds: o.cv, alphas: model.cvAlphas, mse: model.mseMean };
  }
  const weights = Float64Array.from(coef, (c, j) => c / d.scale[j]);
  const T = o.descriptors.elements.length;
  const { energy: wE, forces: wF } = o.weights;
  let offsets: Float64Array = new Float64Array(T);
  if (d.Gp) {
    // residuals y − A w of the weighted, unprojected rows; count columns are zero on force rows
    const residuals = Float64Array.from(d.yRaw);
    let i = 0;
    for (const b of d.blocks) {
      residuals[i++] -= wE * dot(b.energyRow, weights, columns);
      if (wF > 0) i += 3 * b.atoms;
    }
    offsets = offsetsOf(d.Gp, d.C, residuals, rows, T);
  }
  // The full model's training residuals y − Aw − Cε equal the projected ones P⊥y − Z·coef.
  let e2 = 0, f2 = 0, nF = 0, i = 0;
  const residual = (): number => d.y[i] - dot(Z.subarray(i * columns, (i + 1) * columns), coef, columns);
  for (const b of d.blocks) {
    if (wE > 0) e2 += (residual() / wE) ** 2, ++i;
    if (wF > 0) {
      for (let k = 0; k < 3 * b.atoms; ++k, ++i) f2 += (residual() / wF) ** 2;
      nF += 3 * b.atoms;
    }
  }
  const energyRmse = wE > 0 ? Math.sqrt(e2 / d.blocks.length) : NaN;
  const forceRmse = nF > 0 ? Math.sqrt(f2 / nF) : NaN;
  return { weights, offsets, alpha, cv, nIter, rows, energyRmse, forceRmse };
}

/** Population standard deviation of each column (about its mean, ddof 0); 1 for constant columns. */
function columnScale(A: Float64Array, rows: number, P: number): Float64Array {
  const mean = new Float64Array(P), sq = new Float64Array(P);
  for (let i = 0; i < rows; ++i) for (let j = 0; j < P; ++j) mean[j] += A[i * P + j];
  for (let j = 0; j < P; ++j) mean[j] /= rows;
  for (let i = 0; i < rows; ++i) for (let j = 0; j < P; ++j) sq[j] += (A[i * P + j] - mean[j]) ** 2;
  return Float64Array.from(sq, (s) => {
    const std = Math.sqrt(s / rows);
    return std > 0 ? std : 1;
  });
}

/** Σ_{j < n} a_j b_j. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let t = 0;
  for (let j = 0; j < n; ++j) t += a[j] * b[j];
  return t;
}

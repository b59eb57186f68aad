/**
 * The training side of {@link fitPlip}: the weighted design matrix (built structure by structure,
 * so only one structure's force rows exist besides the matrix), the offsets projected out, the
 * columns scaled, LassoLars(CV) with folds made of whole structures, unscaled coefficients,
 * offsets and training errors.
 * @internal
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import type { Potential } from '../potentials/potential';
import type { Structure } from '../structure/structure';
import type { CheckedOptions } from './fit-plip-options';
import { LassoLars } from './lasso-lars';
import { groupKFold } from './cv-mse';
import { LassoLarsCV } from './lasso-lars-cv';
import { keptForceAtoms, periodic3d, type RowSpec, structureBlock, type StructureBlock } from './plip-design';
import { duplicateColumns } from './plip-duplicates';
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
  /** The training structures' blocks without their force and stress rows (energy rows, counts, labels). */
  blocks: StructureBlock[];
  /** Position in `blocks` of the structure each row belongs to [rows] (the cross-validation groups). */
  groups: Int32Array;
  /** Columns zeroed in Z because they equal an earlier column on every row (see `plip-duplicates.ts`), ascending. */
  duplicates: number[];
}

/** The fitted linear part. */
export interface Solution {
  /** Physical (unscaled) coefficients [columns]: descriptor weights (eV), then γ for PLIP+Q. */
  weights: Float64Array;
  /** Per-element offsets, eV/atom. */
  offsets: Float64Array;
  alpha: number;
  /** Cross-validation: α grid, mean held-out MSE, and the fold of each training structure (by position in `blocks`). */
  cv: { folds: number; alphas: Float64Array; mse: Float64Array; foldOf: Int32Array } | null;
  nIter: number;
  rows: number;
  /** Training RMSE: energy per atom (eV/atom), force components (eV/Å), Voigt stress components (eV/Å³); NaN when absent. */
  energyRmse: number;
  forceRmse: number;
  stressRmse: number;
}

/**
 * Builds the training design from `structures[indices]` (row order: each structure's energy row,
 * its 3M force rows (atoms kept by `maxForce`), then its 6 stress rows (periodic structures));
 * the native steps are each structure's descriptor (and electrostatic) rows. Columns equal to an
 * earlier column on every row are zeroed (their weight stays 0).
 */
export function* trainingDesign(structures: readonly Structure[], indices: number[], o: CheckedOptions, electrostatics: Potential | null, needs: RowSpec): Steps<TrainingDesign> {
  const T = o.descriptors.elements.length;
  const P = o.descriptors.featureCount + (electrostatics ? 1 : 0);
  const { energy: wE, forces: wF, stress: wS } = o.weights;
  const rowsOf = (k: number): number => (wE > 0 ? 1 : 0) + (wF > 0 ? 3 * keptForceAtoms(structures[k], k, o.maxForce) : 0)
    + (wS > 0 && periodic3d(structures[k]) ? 6 : 0);
  const rows = indices.reduce((n, k) => n + rowsOf(k), 0);
  const A = new Float64Array(rows * P), y = new Float64Array(rows), C = new Float64Array(rows * T);
  const groups = new Int32Array(rows);
  const blocks: StructureBlock[] = [];
  let r = 0;
  for (const k of indices) {
    const b = yield* structureBlock(structures[k], k, o.descriptors, electrostatics, needs);
    const first = r;
    if (wE > 0) {
      for (let j = 0; j < P; ++j) A[r * P + j] = wE * b.energyRow[j];
      for (let e = 0; e < T; ++e) C[r * T + e] = wE * b.counts[e];
      y[r++] = wE * b.energy;
    }
    for (const [w, rowsBlock, labels] of [[wF, b.forceRows, b.forces], [wS, b.stressRows, b.stress]] as const) {
      if (!(w > 0 && rowsBlock && labels)) continue;
      for (let i = 0; i < labels.length; ++i, ++r) {
        for (let j = 0; j < P; ++j) A[r * P + j] = w * rowsBlock[i * P + j];
        y[r] = w * labels[i];
      }
    }
    groups.fill(blocks.length, first, r);
    blocks.push({ ...b, forceRows: null, stressRows: null });
  }
  const yRaw = Float64Array.from(y);
  const scale = columnScale(A, rows, P);
  const Gp = wE > 0 ? projectOut(A, y, C, rows, P, T) : null;
  for (let i = 0; i < rows; ++i) for (let j = 0; j < P; ++j) A[i * P + j] /= scale[j];
  const duplicates: number[] = [];
  duplicateColumns(A, rows, P).forEach((k, j) => { if (k >= 0) duplicates.push(j); });
  for (let i = 0; i < rows; ++i) for (const j of duplicates) A[i * P + j] = 0;
  return { Z: A, y, yRaw, C, Gp, scale, rows, P, blocks, groups, duplicates };
}

/** Force and stress labels (rows after the energy row) of a training block. */
function labelCounts(b: StructureBlock): { forces: number; stress: number } {
  return { forces: b.forces?.length ?? 0, stress: b.stress?.length ?? 0 };
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
    if (d.blocks.length < o.cv) throw new PolymorphError('E_VALUE', `fitPlip: cv = ${o.cv} folds of whole structures need at least ${o.cv} training structures, got ${d.blocks.length}`);
    const model = yield* new LassoLarsCV({ cv: o.cv, fitIntercept: false, maxIter: o.maxIter })[fitSteps](X, d.y, d.groups);
    [coef, alpha, nIter] = [model.coef, model.alpha, model.nIter];
    const rowFolds = groupKFold(d.groups, o.cv) as Int32Array;  // the folds LassoLarsCV used
    const foldOf = new Int32Array(d.blocks.length).fill(-1);
    for (let r = 0; r < rows; ++r) {
      const g = d.groups[r];
      foldOf[g] = foldOf[g] === -1 || foldOf[g] === rowFolds[r] ? rowFolds[r] : -2;  // -2 would be a structure split across folds
    }
    cv = { folds: o.cv, alphas: model.cvAlphas, mse: model.mseMean, foldOf };
  }
  const weights = Float64Array.from(coef, (c, j) => c / d.scale[j]);
  const T = o.descriptors.elements.length;
  const { energy: wE, forces: wF, stress: wS } = o.weights;
  let offsets: Float64Array = new Float64Array(T);
  if (d.Gp) {
    // residuals y − A w of the weighted, unprojected rows; count columns are zero on force and stress rows
    const residuals = Float64Array.from(d.yRaw);
    let i = 0;
    for (const b of d.blocks) {
      residuals[i++] -= wE * dot(b.energyRow, weights, columns);
      const n = labelCounts(b);
      i += n.forces + n.stress;
    }
    offsets = offsetsOf(d.Gp, d.C, residuals, rows, T);
  }
  // The full model's training residuals y − Aw − Cε equal the projected ones P⊥y − Z·coef.
  let e2 = 0, f2 = 0, nF = 0, s2 = 0, nS = 0, i = 0;
  const residual = (): number => d.y[i] - dot(Z.subarray(i * columns, (i + 1) * columns), coef, columns);
  for (const b of d.blocks) {
    if (wE > 0) e2 += (residual() / wE) ** 2, ++i;
    const n = labelCounts(b);
    for (let k = 0; k < n.forces; ++k, ++i) f2 += (residual() / wF) ** 2;
    for (let k = 0; k < n.stress; ++k, ++i) s2 += (residual() / wS) ** 2;
    nF += n.forces, nS += n.stress;
  }
  const energyRmse = wE > 0 ? Math.sqrt(e2 / d.blocks.length) : NaN;
  const forceRmse = nF > 0 ? Math.sqrt(f2 / nF) : NaN;
  const stressRmse = nS > 0 ? Math.sqrt(s2 / nS) : NaN;
  return { weights, offsets, alpha, cv, nIter, rows, energyRmse, forceRmse, stressRmse };
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

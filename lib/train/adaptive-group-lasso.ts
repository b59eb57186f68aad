/**
 * Symmetry-function selection by the adaptive group lasso (Sandberg et al., "Feature selection for
 * high-dimensional neural network potentials with the adaptive group lasso"; GL+AGL after Dinh &
 * Ho): for each λ of a path,
 *   1. group lasso: train with the penalty λ Σ_j ‖w⁰_j‖ on each input's first-layer weights;
 *   2. adaptive group lasso: train again from those weights with λ Σ_j ‖w⁰_j‖/‖ŵ⁰_j‖ (ŵ from step 1;
 *      inputs step 1 removed stay removed), which penalises weak inputs harder and strong ones less;
 *   3. the inputs whose groups are zero are dropped, and the network is refitted on the rest without
 *      penalty (the penalty biases the weights), starting from the step-2 weights.
 * Step 1 starts from `initialWeights` when given (a warm start from a trained network, as a
 * pathwise lasso does), otherwise from the seed's random weights. The refit may use other options
 * than the path (`refit`), such as the Kalman filter, which converges in far fewer epochs than Adam.
 * Each λ reports the selected functions and the validation errors before and after the refit, and
 * the `input.nn` settings of the selection.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { N2p2Settings } from '../potentials/n2p2-settings';
import { networkLayers, readN2p2Settings } from '../potentials/n2p2-settings';
import type { Structure } from '../structure/structure';
import { HdnnpTrainer, trainHdnnp, type HdnnpErrors, type HdnnpTrainingOptions } from './hdnnp-trainer';

/** Options of {@link adaptiveGroupLasso}: {@link trainHdnnp}'s (Adam/AdamW) plus the path's. */
export type AdaptiveGroupLassoOptions = Omit<HdnnpTrainingOptions, 'groupLasso'> & {
  /** The path: λ values (the loss is a mean over structures, so λ = the thesis's λ/N). */
  lambdas: readonly number[];
  /**
   * Options of the refit without penalty that replace the path's (default: none, the same
   * training). The refit starts from the selection's AGL weights, so any optimiser can finish it:
   * `{ optimizer: { type: 'kalman' }, epochs: 3 }` refits with n2p2's Kalman filter.
   */
  refit?: Partial<Omit<HdnnpTrainingOptions, 'settings' | 'groupLasso' | 'initialWeights'>>;
  /** Called after each λ. */
  onLambda?: (step: AdaptiveGroupLassoStep) => void;
};

/** One λ of the path. */
export interface AdaptiveGroupLassoStep {
  lambda: number;
  /** Selected functions per element: indices into that element's functions of the given settings (n2p2 order). */
  selected: Record<string, number[]>;
  /** Number of selected functions (all elements). */
  count: number;
  /** How many of them are angular (types 3, 9, 13, 21, 22, 24, 25 …: three-body). */
  angular: number;
  /** Validation errors of the penalised (AGL) model and of the refit. */
  before: HdnnpErrors | null;
  after: HdnnpErrors | null;
  /** The settings of the selection (an input.nn with only the selected functions). */
  settings: N2p2Settings;
}

const ANGULAR = new Set([3, 9, 13, 21, 22, 24, 25]);

/** Norms of each input's first-layer weights, per element. */
function groupNorms(trainer: HdnnpTrainer, weights: Readonly<Record<string, Float64Array>>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const element of trainer.settings.elements) {
    const layers = networkLayers(trainer.settings, element);
    const w = weights[element];
    out[element] = Float64Array.from({ length: layers[0] }, (_, j) => {
      let s = 0;
      for (let k = 0; k < layers[1]; ++k) s += w[j * layers[1] + k] ** 2;
      return Math.sqrt(s);
    });
  }
  return out;
}

/** The settings restricted to `selected` (per element, indices into the element's functions). */
export function selectSymmetryFunctions(settings: N2p2Settings, selected: Readonly<Record<string, readonly number[]>>): N2p2Settings {
  const keep: boolean[] = [];
  const seen: Record<string, number> = {};
  for (const f of settings.symmetryFunctions) {
    const element = f.element;
    const k = seen[element] ?? 0;
    seen[element] = k + 1;
    keep.push((selected[element] ?? []).includes(k));
  }
  for (const element of settings.elements) {
    if (!(selected[element]?.length > 0)) throw new PolymorphError('E_VALUE', `selectSymmetryFunctions: no function selected for ${element}`);
  }
  return {
    ...settings,
    symmetryFunctions: settings.symmetryFunctions.filter((_, q) => keep[q]),
    symmetryFunctionLines: settings.symmetryFunctionLines.filter((_, q) => keep[q]),
  };
}

/** Per-element weights of a network whose inputs were reduced to `selected` (rows of the first layer kept). */
function restrict(settings: N2p2Settings, weights: Readonly<Record<string, Float64Array>>, selected: Record<string, number[]>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const element of settings.elements) {
    const layers = networkLayers(settings, element);
    const w = weights[element];
    const n1 = layers[1];
    const first = selected[element].flatMap((j) => Array.from(w.subarray(j * n1, (j + 1) * n1)));
    out[element] = Float64Array.from([...first, ...w.subarray(layers[0] * n1)]);
  }
  return out;
}

/**
 * Runs the GL → AGL → refit path of Sandberg et al. over `lambdas` (see the module documentation).
 * @example
 * const path = await adaptiveGroupLasso(structures, {
 *   settings: 'input.nn', lambdas: [1e-5, 3e-5, 1e-4], epochs: 50, optimizer: { type: 'adamw' },
 * });
 * path.map((p) => [p.lambda, p.count, p.after?.forceRmse]);
 */
export async function adaptiveGroupLasso(structures: readonly Structure[], options: AdaptiveGroupLassoOptions): Promise<AdaptiveGroupLassoStep[]> {
  const what = 'adaptiveGroupLasso';
  const { lambdas, refit: refitOptions, onLambda, ...training } = options;
  if (!Array.isArray(lambdas) || lambdas.length === 0 || !lambdas.every((l) => Number.isFinite(l) && l >= 0)) {
    throw new PolymorphError('E_VALUE', `${what}: lambdas must be a non-empty list of numbers ≥ 0`);
  }
  if ((training.optimizer as { type?: string } | undefined)?.type === 'kalman') throw new PolymorphError('E_VALUE', `${what}: the group lasso needs Adam or AdamW`);
  checkOptions(training, Object.keys(training), what);
  if (refitOptions !== undefined && (typeof refitOptions !== 'object' || refitOptions === null || Array.isArray(refitOptions))) {
    throw new PolymorphError('E_VALUE', `${what}: refit must be an object of training options`);
  }
  for (const key of ['settings', 'groupLasso', 'initialWeights']) {
    if (refitOptions !== undefined && key in refitOptions) throw new PolymorphError('E_VALUE', `${what}: refit cannot set ${key} (the refit trains the selection from its AGL weights)`);
  }
  const settings = typeof training.settings === 'string' ? readN2p2Settings(training.settings) : training.settings;
  const base = new HdnnpTrainer(structures, { ...training, settings, epochs: 0 });
  const steps: AdaptiveGroupLassoStep[] = [];
  for (const lambda of lambdas) {
    const gl = await trainHdnnp(structures, { ...training, settings, groupLasso: { strength: lambda } });
    const norms = groupNorms(base, gl.potential.weights);
    const factors: Record<string, Float64Array> = {};
    for (const element of settings.elements) factors[element] = norms[element].map((n) => (n > 0 ? 1 / n : Infinity));
    const agl = await trainHdnnp(structures, { ...training, settings, groupLasso: { strength: lambda, factors }, initialWeights: gl.potential.weights });
    const after = groupNorms(base, agl.potential.weights);
    const selected: Record<string, number[]> = {};
    for (const element of settings.elements) {
      const chosen = Array.from(after[element].keys()).filter((j) => after[element][j] > 0);
      // An element keeps at least its strongest input (a network needs one).
      selected[element] = chosen.length > 0 ? chosen : [after[element].indexOf(Math.max(...after[element]))];
    }
    const reduced = selectSymmetryFunctions(settings, selected);
    const refit = await trainHdnnp(structures, {
      ...training, ...refitOptions, settings: reduced, initialWeights: restrict(settings, agl.potential.weights, selected),
    });
    const elementFunctions = (element: string) => settings.symmetryFunctions.filter((f) => f.element === element);
    const angular = settings.elements.reduce((n, element) => n + selected[element].filter((j) => ANGULAR.has(elementFunctions(element)[j].type)).length, 0);
    const step: AdaptiveGroupLassoStep = {
      lambda, selected, count: Object.values(selected).reduce((n, s) => n + s.length, 0), angular,
      before: agl.history[agl.bestEpoch].validation, after: refit.history[refit.bestEpoch].validation, settings: reduced,
    };
    steps.push(step);
    onLambda?.(step);
  }
  return steps;
}

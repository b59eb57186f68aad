/**
 * Figures of HDNNP training: learning curves (validation and training RMSE of energies and forces
 * per epoch or against wall time, optionally beside an anchor such as n2p2's learning curve),
 * the adaptive-group-lasso path (selected functions and validation error against λ), and the test
 * error of selections against their number of functions.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { AdaptiveGroupLassoStep } from '../train/adaptive-group-lasso';
import type { HdnnpEpoch } from '../train/hdnnp-trainer';
import { Figure } from './figure';

/**
 * Units in the axis and panel titles (labels only: the values are drawn as given). Default
 * `{ energy: 'eV/atom', forces: 'eV/Å' }`; a Lennard-Jones set in reduced units would pass
 * `{ energy: 'ε/atom', forces: 'ε/σ' }`.
 */
export interface ChartUnits {
  energy?: string;
  forces?: string;
}

/** Panel titles 'energy (…)' and 'forces (…)', and the force unit alone. */
function unitLabels(units: ChartUnits | undefined, what: string): { energy: string; forces: string; forceUnit: string } {
  const u = checkOptions(units ?? {}, ['energy', 'forces'], `${what} units`);
  for (const [key, value] of Object.entries(u)) {
    if (typeof value !== 'string' || value === '') throw new PolymorphError('E_TYPE', `${what}: units.${key} must be a non-empty string`);
  }
  const forceUnit = u.forces ?? 'eV/Å';
  return { energy: `energy (${u.energy ?? 'eV/atom'})`, forces: `forces (${forceUnit})`, forceUnit };
}

/** One point of an anchor's learning curve (e.g. n2p2's learning-curve.out). */
export interface LearningCurvePoint {
  epoch: number;
  /** Wall time at the end of the epoch (s). */
  seconds?: number;
  /** Test (validation) RMSE of energies per atom (eV/atom) and of force components (eV/Å). */
  energy: number;
  forces: number;
}

/** Options of {@link learningCurveChart}. */
export interface LearningCurveOptions {
  title?: string;
  /** Size of each panel (default 360 × 260 px). */
  width?: number;
  height?: number;
  /** x axis: 'epoch' (default) or 'seconds' (wall time). */
  x?: 'epoch' | 'seconds';
  /** Another learning curve drawn beside (validation only), with its name. */
  anchor?: { name: string; points: readonly LearningCurvePoint[] };
  /** Name of this run in the legend (default 'polymorph'). */
  name?: string;
  /** Units in the panel titles (default eV/atom and eV/Å). */
  units?: ChartUnits;
}

/**
 * Validation RMSE of energies and forces (two panels, log scale) per epoch or against wall time,
 * with the training RMSE dashed and an optional anchor.
 * @example
 * const { history } = await trainHdnnp(structures, { settings: 'input.nn', optimizer: { type: 'kalman' } });
 * learningCurveChart(history, { x: 'seconds' }).writeSvg('learning-curve.svg');
 */
export function learningCurveChart(history: readonly HdnnpEpoch[], options: LearningCurveOptions = {}): Figure {
  const o = checkOptions(options, ['title', 'width', 'height', 'x', 'anchor', 'name', 'units'], 'learningCurveChart');
  const label = unitLabels(o.units, 'learningCurveChart');
  if (!Array.isArray(history) || history.length === 0) throw new PolymorphError('E_VALUE', 'learningCurveChart: expected the history of trainHdnnp (one row per epoch)');
  const axis = o.x ?? 'epoch';
  if (axis !== 'epoch' && axis !== 'seconds') throw new PolymorphError('E_VALUE', `learningCurveChart: x must be 'epoch' or 'seconds', got ${JSON.stringify(axis)}`);
  const name = o.name ?? 'polymorph';
  const rows: { x: number; run: string; quantity: string; rmse: number }[] = [];
  const push = (x: number | undefined, run: string, quantity: string, rmse: number): void => {
    if (x !== undefined && Number.isFinite(x) && Number.isFinite(rmse) && rmse > 0) rows.push({ x, run, quantity, rmse });
  };
  for (const e of history) {
    const x = axis === 'epoch' ? e.epoch : e.seconds;
    if (e.validation) {
      push(x, `${name} validation`, label.energy, e.validation.energyRmse);
      push(x, `${name} validation`, label.forces, e.validation.forceRmse);
    }
    push(x, `${name} training`, label.energy, e.train.energyRmse);
    push(x, `${name} training`, label.forces, e.train.forceRmse);
  }
  for (const p of o.anchor?.points ?? []) {
    const x = axis === 'epoch' ? p.epoch : p.seconds;
    push(x, `${o.anchor!.name} test`, label.energy, p.energy);
    push(x, `${o.anchor!.name} test`, label.forces, p.forces);
  }
  return new Figure({
    title: o.title ?? 'Learning curve', data: { values: rows },
    facet: { column: { field: 'quantity', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: o.width ?? 360, height: o.height ?? 260,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: axis === 'epoch' ? 'epoch' : 'wall time (s)' },
        y: { field: 'rmse', type: 'quantitative', scale: { type: 'log' }, title: 'RMSE' },
        color: { field: 'run', type: 'nominal', title: null },
        strokeDash: { condition: { test: "indexof(datum.run, 'training') >= 0", value: [4, 3] }, value: [1, 0] },
      },
    },
  });
}

/** The adaptive-group-lasso path: functions kept and validation force RMSE (before and after the refit) against λ. */
export function groupLassoPathChart(steps: readonly AdaptiveGroupLassoStep[], options: { title?: string; width?: number; height?: number; units?: ChartUnits } = {}): Figure {
  const o = checkOptions(options, ['title', 'width', 'height', 'units'], 'groupLassoPathChart');
  const label = unitLabels(o.units, 'groupLassoPathChart');
  if (!Array.isArray(steps) || steps.length === 0) throw new PolymorphError('E_VALUE', 'groupLassoPathChart: expected the steps of adaptiveGroupLasso');
  const counts = steps.filter((s) => s.lambda > 0).map((s) => ({ lambda: s.lambda, functions: s.count, angular: s.angular }));
  const errors = steps.filter((s) => s.lambda > 0).flatMap((s) => [
    { lambda: s.lambda, stage: 'penalised', rmse: s.before?.forceRmse ?? NaN },
    { lambda: s.lambda, stage: 'refitted', rmse: s.after?.forceRmse ?? NaN },
  ]).filter((r) => Number.isFinite(r.rmse));
  const width = o.width ?? 360, height = o.height ?? 260;
  const x = { field: 'lambda', type: 'quantitative', scale: { type: 'log' }, title: 'λ' };
  return new Figure({
    title: o.title ?? 'Adaptive group lasso path',
    hconcat: [
      { width, height, data: { values: counts }, mark: { type: 'line', point: true, interpolate: 'step-after' }, encoding: { x, y: { field: 'functions', type: 'quantitative', title: 'symmetry functions kept' } } },
      { width, height, data: { values: errors }, mark: { type: 'line', point: true }, encoding: { x, y: { field: 'rmse', type: 'quantitative', scale: { type: 'log' }, title: `validation force RMSE (${label.forceUnit})` }, color: { field: 'stage', type: 'nominal', title: null } } },
    ],
  });
}

/** One feature set of a {@link featureSelectionChart} series: its size and the test errors of the network trained on it. */
export interface FeatureSelectionPoint {
  /** Number of input functions. */
  count: number;
  /** Test RMSE of force components (eV/Å) and, optionally, of energies per atom (eV/atom). */
  forceRmse: number;
  energyRmse?: number;
}

/**
 * Test errors against the number of input functions, one line per selection method (adaptive
 * group lasso, CUR, Pearson…), with the full set's errors as a horizontal rule when given: the
 * comparison of Imbalzano et al. and Sandberg et al. at equal feature counts.
 */
export function featureSelectionChart(
  series: readonly { name: string; points: readonly FeatureSelectionPoint[] }[],
  options: { full?: FeatureSelectionPoint; title?: string; width?: number; height?: number; units?: ChartUnits } = {},
): Figure {
  const o = checkOptions(options, ['full', 'title', 'width', 'height', 'units'], 'featureSelectionChart');
  const label = unitLabels(o.units, 'featureSelectionChart');
  if (!Array.isArray(series) || series.length === 0 || !series.every((s) => typeof s?.name === 'string' && Array.isArray(s.points))) {
    throw new PolymorphError('E_VALUE', 'featureSelectionChart: expected a non-empty list of { name, points }');
  }
  const rows = series.flatMap((s) => s.points.flatMap((p: FeatureSelectionPoint) => [
    { method: s.name, count: p.count, quantity: label.forces, rmse: p.forceRmse },
    { method: s.name, count: p.count, quantity: label.energy, rmse: p.energyRmse ?? NaN },
  ])).filter((r) => Number.isFinite(r.rmse) && r.rmse > 0);
  const rules = o.full === undefined ? [] : [
    { method: `all ${o.full.count}`, quantity: label.forces, rmse: o.full.forceRmse },
    { method: `all ${o.full.count}`, quantity: label.energy, rmse: o.full.energyRmse ?? NaN },
  ].filter((r) => Number.isFinite(r.rmse) && r.rmse > 0);
  const y = { field: 'rmse', type: 'quantitative', scale: { type: 'log' }, title: 'test RMSE' };
  const color = { field: 'method', type: 'nominal', title: null };
  return new Figure({
    title: o.title ?? 'Selected functions: test error against their number',
    data: { values: [...rows, ...rules.map((r) => ({ ...r, rule: true }))] },
    facet: { column: { field: 'quantity', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: o.width ?? 360, height: o.height ?? 260,
      layer: [
        { transform: [{ filter: '!datum.rule' }], mark: { type: 'line', point: true }, encoding: { x: { field: 'count', type: 'quantitative', title: 'symmetry functions' }, y, color } },
        { transform: [{ filter: 'datum.rule' }], mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y, color } },
      ],
    },
  });
}

/**
 * Figures of polymorph results as Vega-Lite specifications: curves (RDF, S(q), MSD, anything
 * against anything), the melting curve with its tanh fit, the composition of a trajectory over
 * time, and a classifier's confusion matrix.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { formatNumber } from '../core/inspect';
import { checkOptions } from '../core/options';
import type { MeltingTemperatureResult } from '../workflows/melting';
import type { SeedingResult } from '../workflows/seeding';
import { Figure } from './figure';

/** Common options of the figure builders. */
export interface ChartOptions {
  /** Title (default one describing the figure). */
  title?: string;
  /** Size in pixels (default 480 × 300). */
  width?: number;
  height?: number;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartOptions {
  /** Axis titles (units included). */
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic axes (default false). */
  logX?: boolean;
  logY?: boolean;
}

/** One curve: x and y values of equal length (non-finite points are left out). */
export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

const chartKeys = ['title', 'width', 'height'];

function size(o: ChartOptions): { width: number; height: number } {
  const width = o.width ?? 480, height = o.height ?? 300;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new PolymorphError('E_VALUE', `figure: ${name} must be a positive number of pixels, got ${String(v)}`);
  }
  return { width, height };
}

function points(name: string, s: Series): { series: string; x: number; y: number }[] {
  if (s === null || typeof s !== 'object' || typeof s.x?.length !== 'number' || typeof s.y?.length !== 'number') throw new PolymorphError('E_TYPE', `lineChart: series '${name}' must be { x, y } arrays`);
  if (s.x.length !== s.y.length) throw new PolymorphError('E_SHAPE', `lineChart: series '${name}' has ${s.x.length} x and ${s.y.length} y values`);
  const out: { series: string; x: number; y: number }[] = [];
  for (let k = 0; k < s.x.length; ++k) if (Number.isFinite(s.x[k]) && Number.isFinite(s.y[k])) out.push({ series: name, x: s.x[k], y: s.y[k] });
  return out;
}

/**
 * Curves y(x), one per named series (a legend when there are several): g(r), S(q), MSD(t), N(t)…
 * @example
 * const g = rdf(frames, { rMax: 10 });
 * lineChart({ 'Zn-O': { x: g.r, y: g.partial['O-Zn'] }, 'O-O': { x: g.r, y: g.partial['O-O'] } }, { xLabel: 'r (Å)', yLabel: 'g(r)' });
 */
export function lineChart(series: Series | Record<string, Series>, options: LineChartOptions = {}): Figure {
  const o = checkOptions(options, [...chartKeys, 'xLabel', 'yLabel', 'logX', 'logY'], 'lineChart');
  const named: Record<string, Series> = series !== null && typeof series === 'object' && 'x' in series && 'y' in series ? { y: series as Series } : (series as Record<string, Series>);
  if (named === null || typeof named !== 'object' || Object.keys(named).length === 0) throw new PolymorphError('E_VALUE', 'lineChart: no series');
  const values = Object.entries(named).flatMap(([name, s]) => points(name, s));
  const several = Object.keys(named).length > 1;
  return new Figure({
    title: o.title ?? '', ...size(o), data: { values },
    mark: { type: 'line', point: values.length <= 60 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.xLabel ?? 'x', ...(o.logX ? { scale: { type: 'log' } } : {}) },
      y: { field: 'y', type: 'quantitative', title: o.yLabel ?? 'y', ...(o.logY ? { scale: { type: 'log' } } : {}) },
      ...(several ? { color: { field: 'series', type: 'nominal', title: null } } : {}),
    },
  });
}

/**
 * The melting curve of {@link meltingTemperature}: crystalline atoms against the ramp
 * temperature, the fitted tanh, and the melting temperature with its ±σ band.
 */
export function meltingCurve(result: MeltingTemperatureResult, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, chartKeys, 'meltingCurve');
  if (result === null || typeof result !== 'object' || !Array.isArray(result.temperatures) || !Array.isArray(result.crystal) || typeof result.fit !== 'object') {
    throw new PolymorphError('E_TYPE', 'meltingCurve: expected the result of meltingTemperature');
  }
  const { midpoint, width, low, high } = result.fit;
  const tm = result.meltingTemperature, error = result.uncertainty;
  const t0 = result.temperatures[0], t1 = result.temperatures[result.temperatures.length - 1];
  const measured = result.temperatures.map((t, k) => ({ temperature: t, atoms: result.crystal[k] }));
  const curve = Array.from({ length: 201 }, (_, k) => {
    const t = t0 + ((t1 - t0) * k) / 200;
    return { temperature: t, atoms: 0.5 * (low + high) + 0.5 * (high - low) * Math.tanh((t - midpoint) / width) };
  });
  // Several replicas: each one's counts as small grey points under their mean (blue) and its fit.
  const replicas = Array.isArray(result.replicas) && result.replicas.length > 1 ? result.replicas : [];
  const each = replicas.flatMap((r, i) => result.temperatures.map((t, k) => ({ temperature: t, atoms: r.crystal[k], replica: i })));
  const runs = replicas.length > 1 ? ` (mean of ${replicas.length} ramps)` : '';
  const title = o.title ?? `Melting of a ${result.atoms}-atom particle: T_m = ${formatNumber(tm, 5)} ± ${formatNumber(error, 2)} K${runs}`;
  const x = { field: 'temperature', type: 'quantitative', title: 'temperature (K)', scale: { zero: false } };
  const y = { field: 'atoms', type: 'quantitative', title: `crystalline atoms (${result.measure})` };
  return new Figure({
    title, ...size(o),
    layer: [
      { data: { values: [{ from: tm - error, to: tm + error }] }, mark: { type: 'rect', opacity: 0.2, color: 'firebrick' }, encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } } },
      { data: { values: [{ temperature: tm }] }, mark: { type: 'rule', color: 'firebrick', strokeDash: [4, 3] }, encoding: { x } },
      ...(each.length > 0 ? [{ data: { values: each }, mark: { type: 'point', filled: true, color: 'grey', opacity: 0.5, size: 12 }, encoding: { x, y } }] : []),
      { data: { values: curve }, mark: { type: 'line', color: 'firebrick' }, encoding: { x, y: { field: 'atoms', type: 'quantitative' } } },
      { data: { values: measured }, mark: { type: 'point', filled: true, color: 'steelblue' }, encoding: { x, y } },
    ],
  });
}

/** Options of {@link compositionChart}. */
export interface CompositionChartOptions extends ChartOptions {
  /** Time of each frame (default the frame index) and its axis title (default 'time (ps)' with times, 'frame' without). */
  times?: ArrayLike<number>;
  timeLabel?: string;
  /** Labels left out (e.g. ['liquid'] to see the crystalline phases; default none). */
  exclude?: readonly string[];
}

/**
 * Atoms per label along a trajectory as stacked areas (Salazar et al.'s Fig. 3): the output of
 * `Sgma.composition(frames)`.
 */
export function compositionChart(composition: readonly Record<string, number>[], options: CompositionChartOptions = {}): Figure {
  const o = checkOptions(options, [...chartKeys, 'times', 'timeLabel', 'exclude'], 'compositionChart');
  if (!Array.isArray(composition) || composition.length === 0) throw new PolymorphError('E_VALUE', 'compositionChart: expected one composition (atoms per label) per frame');
  if (o.times !== undefined && o.times.length !== composition.length) throw new PolymorphError('E_SHAPE', `compositionChart: ${o.times.length} times for ${composition.length} frames`);
  const exclude = new Set(o.exclude ?? []);
  const values = composition.flatMap((c, k) => Object.entries(c).filter(([label]) => !exclude.has(label)).map(([label, atoms]) => ({ time: o.times ? o.times[k] : k, label, atoms })));
  return new Figure({
    title: o.title ?? 'Composition', ...size(o), data: { values },
    mark: { type: 'area' },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: o.timeLabel ?? (o.times ? 'time (ps)' : 'frame') },
      y: { field: 'atoms', type: 'quantitative', stack: 'zero', title: 'atoms' },
      color: { field: 'label', type: 'nominal', title: null },
    },
  });
}

/** A confusion matrix (rows: true class, columns: predicted) as a heat map with counts, e.g. `Sgma.confusion(held)`. */
export function confusionMatrixChart(confusion: { rows: readonly string[]; columns: readonly string[]; counts: readonly (readonly number[])[] }, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, chartKeys, 'confusionMatrixChart');
  if (!confusion || !Array.isArray(confusion.rows) || !Array.isArray(confusion.columns) || !Array.isArray(confusion.counts) || confusion.counts.length !== confusion.rows.length) {
    throw new PolymorphError('E_TYPE', 'confusionMatrixChart: expected { rows, columns, counts } with one row of counts per row label');
  }
  const values = confusion.rows.flatMap((truth, i) => {
    const row = confusion.counts[i];
    if (row.length !== confusion.columns.length) throw new PolymorphError('E_SHAPE', `confusionMatrixChart: row '${truth}' has ${row.length} counts for ${confusion.columns.length} columns`);
    const total = row.reduce((a, b) => a + b, 0);
    return confusion.columns.map((predicted, j) => ({ truth, predicted, count: row[j], fraction: total > 0 ? row[j] / total : 0 }));
  });
  const axis = { type: 'nominal', sort: null };
  return new Figure({
    title: o.title ?? 'Confusion matrix (rows: true class)', width: o.width ?? 420, height: o.height ?? 360, data: { values },
    encoding: { x: { field: 'predicted', ...axis, title: 'predicted' }, y: { field: 'truth', ...axis, title: 'true' } },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'fraction', type: 'quantitative', scale: { domain: [0, 1], scheme: 'blues' }, title: 'fraction of row' } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: 'black' } } },
    ],
  });
}

/**
 * Growth and melting curves of a seeded nucleus (Salazar et al.'s Figs. 4, 6, 7): the mean N(t)
 * over replicas at each temperature, with a ±1 standard deviation band; dashed, the mean largest
 * crystalline cluster (`crystal`, whatever its polymorph) where the result has it.
 */
export function growthCurves(result: SeedingResult, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, chartKeys, 'growthCurves');
  if (result === null || typeof result !== 'object' || !Array.isArray(result.temperatures)) throw new PolymorphError('E_TYPE', 'growthCurves: expected the result of seeding');
  // results recorded before seeding reported the nucleus have no `crystal`: their dashed line is left out
  const nucleusMean = (t: SeedingResult['temperatures'][number], k: number): number | null =>
    Array.isArray(t.crystal) && t.crystal.length > 0 ? t.crystal.reduce((a, c) => a + c[k], 0) / t.crystal.length : null;
  const values = result.temperatures.flatMap((t) => t.times.map((time, k) => ({
    temperature: `${formatNumber(t.temperature)} K`, time, mean: t.mean[k], lo: t.mean[k] - t.std[k], hi: t.mean[k] + t.std[k], nucleus: nucleusMean(t, k),
  })));
  const withNucleus = values.some((v) => v.nucleus !== null);
  const x = { field: 'time', type: 'quantitative', title: 'time (ps)' };
  const color = { field: 'temperature', type: 'nominal', title: 'T', sort: null };
  return new Figure({
    title: o.title ?? `${result.phase} seed of ${result.seedAtoms} atoms in ${result.atoms}: N(t), mean ± std over replicas${withNucleus ? '; dashed: the whole crystalline nucleus' : ''}`, ...size(o), data: { values },
    layer: [
      { mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      { mark: { type: 'line' }, encoding: { x, y: { field: 'mean', type: 'quantitative', title: `atoms in the largest ${result.phase} cluster` }, color } },
      ...(withNucleus ? [{ mark: { type: 'line', strokeDash: [5, 3] }, transform: [{ filter: 'datum.nucleus !== null' }], encoding: { x, y: { field: 'nucleus', type: 'quantitative' }, color } }] : []),
    ],
  });
}

/** One point of {@link criticalTemperatureChart}: a nucleus size and the bracket of its critical temperature. */
export interface CriticalPoint {
  /** Atoms of the critical nucleus N_c (e.g. the seed's crystalline cluster after relaxation). */
  size: number;
  /** The seed grows at `low` and melts at `high` (K): T_crit lies between. */
  low: number;
  high: number;
  /** A label for the legend (e.g. the seed's phase; default 'seed'). */
  series?: string;
}

/**
 * T_crit against N_c (Salazar et al.'s Fig. 5): for each nucleus size, the bracket where its growth
 * rate changes sign (a vertical bar from `low` to `high`) and its midpoint; N_c on a log axis.
 */
export function criticalTemperatureChart(points: readonly CriticalPoint[], options: ChartOptions = {}): Figure {
  const o = checkOptions(options, chartKeys, 'criticalTemperatureChart');
  if (!Array.isArray(points) || points.length === 0) throw new PolymorphError('E_VALUE', 'criticalTemperatureChart: expected a non-empty array of { size, low, high }');
  const values = points.map((p, k) => {
    if (!(p.size > 0 && Number.isFinite(p.low) && Number.isFinite(p.high) && p.high >= p.low)) {
      throw new PolymorphError('E_VALUE', `criticalTemperatureChart: point ${k} needs size > 0 and low ≤ high (K), got ${JSON.stringify(p)}`);
    }
    return { size: p.size, low: p.low, high: p.high, estimate: 0.5 * (p.low + p.high), series: p.series ?? 'seed' };
  });
  const x = { field: 'size', type: 'quantitative', title: 'N_c (atoms)', scale: { type: 'log' } };
  const color = { field: 'series', type: 'nominal', title: 'seed' };
  return new Figure({
    title: o.title ?? 'Critical temperature against nucleus size (bracket where dN/dt changes sign)', ...size(o), data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: 'T_crit (K)', scale: { zero: false } }, y2: { field: 'high' }, color } },
      { mark: { type: 'point', filled: true }, encoding: { x, y: { field: 'estimate', type: 'quantitative' }, color } },
    ],
  });
}


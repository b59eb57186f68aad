/**
 * Figures comparing ML potentials with their reference model (Salazar et al., npj Comput. Mater.
 * 10, 199 (2024), Figs. 1–2): parity of energies and forces, lattice-parameter errors and the
 * polymorph energy ordering, phonon densities of states, partial g(r) of the liquid, surface
 * energies and nanoparticle energies; and {@link chargeStudySection}, the report section of a
 * `compareChargeColumn` study.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { formatNumber } from '../core/inspect';
import { checkOptions } from '../core/options';
import type { PolymorphLattices } from '../workflows/model-lattices';
import type { LiquidRdfs } from '../workflows/model-liquid';
import type { PhononComparison } from '../workflows/model-properties';
import type { NanoparticleEnergies } from '../workflows/nanoparticles';
import type { ChargeStudy, ParityData, SurfaceComparison } from '../workflows/plip-charge-study';
import type { ChartOptions } from './charts';
import { Figure } from './figure';
import type { ReportSection, ReportTable } from './report';

const CHART_KEYS = ['title', 'width', 'height'];

/** Display names of the study's models ('plip' → 'PLIP', 'plipQ' → 'PLIP+Q'); other names are shown as they are. */
export const MODEL_LABELS: Readonly<Record<string, string>> = Object.freeze({ reference: 'reference', plip: 'PLIP', plipQ: 'PLIP+Q' });

function label(name: string): string {
  return MODEL_LABELS[name] ?? name;
}

function size(o: ChartOptions, width = 480, height = 300): { width: number; height: number } {
  const w = o.width ?? width, h = o.height ?? height;
  for (const [name, v] of [['width', w], ['height', h]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new PolymorphError('E_VALUE', `figure: ${name} must be a positive number of pixels, got ${String(v)}`);
  }
  return { width: w, height: h };
}

function checked<T>(value: T | null | undefined, test: (v: T) => boolean, what: string): T {
  if (value === null || value === undefined || typeof value !== 'object' || !test(value)) throw new PolymorphError('E_TYPE', `${what}`);
  return value;
}

/** Colour scale: the same colour for a model in every figure (reference grey). */
function modelColor(names: readonly string[]): Record<string, unknown> {
  const palette: Record<string, string> = { reference: '#555555', PLIP: '#e45756', 'PLIP+Q': '#4c78a8' };
  const domain = names.map(label);
  const extra = ['#54a24b', '#f58518', '#b279a2', '#72b7b2'];
  return { field: 'model', type: 'nominal', title: null, scale: { domain, range: domain.map((d, k) => palette[d] ?? extra[k % extra.length]) } };
}

/** Options of {@link parityChart}. */
export interface ParityChartOptions extends ChartOptions {
  /** 'energy' (per atom, default) or 'forces' (components). */
  quantity?: 'energy' | 'forces';
}

/**
 * Parity plot: each model's prediction against the reference (energy per atom, eV/atom, or force
 * components, eV/Å) on the validation structures, one colour per model, with the line y = x.
 */
export function parityChart(parity: ParityData, options: ParityChartOptions = {}): Figure {
  const o = checkOptions(options, [...CHART_KEYS, 'quantity'], 'parityChart');
  const p = checked(parity, (v) => typeof v.energy === 'object' && typeof v.forces === 'object' && 'reference' in v.energy, 'parityChart: expected the parity data of a study (properties.parity)');
  const quantity = o.quantity ?? 'energy';
  if (quantity !== 'energy' && quantity !== 'forces') throw new PolymorphError('E_VALUE', `parityChart: quantity must be 'energy' or 'forces', got ${String(quantity)}`);
  const table = quantity === 'energy' ? p.energy : p.forces;
  const models = Object.keys(table).filter((m) => m !== 'reference');
  const values = models.flatMap((m) => table[m].map((y, k) => ({ model: label(m), reference: table.reference[k], predicted: y })).filter((d) => Number.isFinite(d.predicted)));
  const all = values.flatMap((d) => [d.reference, d.predicted]);
  const lo = Math.min(...all), hi = Math.max(...all);
  const unit = quantity === 'energy' ? 'energy (eV/atom)' : 'force component (eV/Å)';
  const axis = { type: 'quantitative', scale: { zero: false, domain: [lo, hi] } };
  return new Figure({
    title: o.title ?? `Parity on the validation set: ${quantity === 'energy' ? 'energy per atom' : 'force components'}`, ...size(o, 360, 360),
    layer: [
      { data: { values: [{ reference: lo, predicted: lo }, { reference: hi, predicted: hi }] }, mark: { type: 'line', color: '#999999', strokeDash: [4, 3] },
        encoding: { x: { field: 'reference', ...axis }, y: { field: 'predicted', ...axis } } },
      { data: { values }, mark: { type: 'point', filled: true, opacity: 0.6, size: quantity === 'energy' ? 40 : 12 },
        encoding: { x: { field: 'reference', ...axis, title: `reference ${unit}` }, y: { field: 'predicted', ...axis, title: `model ${unit}` }, color: modelColor(models) } },
    ],
  });
}

/**
 * Relative errors (%) of the relaxed lattice parameters against the reference, per polymorph and
 * parameter, one bar per model; polymorphs a model collapses are left out and named in the title.
 */
export function latticeErrorChart(lattices: PolymorphLattices, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, CHART_KEYS, 'latticeErrorChart');
  const l = checked(lattices, (v) => typeof v.errors === 'object' && Array.isArray(v.polymorphs), 'latticeErrorChart: expected the lattices of a study (properties.lattices)');
  const models = Object.keys(l.errors).filter((m) => m !== l.reference);
  const collapsed: string[] = [];
  const values = models.flatMap((m) => l.polymorphs.flatMap((p) => {
    if (l.models[m][p].collapsed) { collapsed.push(`${label(m)} ${p}`); return []; }
    return l.errors[m][p].map((e, k) => ({ model: label(m), parameter: `${p} ${l.parameterNames[p][k].replace(/ \(Å\)$/, '')}`, error: e }));
  }));
  const title = o.title ?? `Relaxed lattice parameters: error vs reference${collapsed.length ? ` (collapsed, not shown: ${collapsed.join(', ')})` : ''}`;
  return new Figure({
    title, ...size(o, 560, 300), data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'parameter', type: 'nominal', sort: null, title: null, axis: { labelAngle: -45 } },
      xOffset: { field: 'model', type: 'nominal' },
      y: { field: 'error', type: 'quantitative', title: 'error (%)' },
      color: modelColor(models),
    },
  });
}

/** Energy of each polymorph above wurtzite (meV per formula unit) for every model, reference included: the stability ordering. */
export function polymorphEnergyChart(lattices: PolymorphLattices, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, CHART_KEYS, 'polymorphEnergyChart');
  const l = checked(lattices, (v) => typeof v.energyVsWurtzite === 'object' && Array.isArray(v.polymorphs), 'polymorphEnergyChart: expected the lattices of a study (properties.lattices)');
  const models = Object.keys(l.energyVsWurtzite);
  const collapsed: string[] = [];
  const values = models.flatMap((m) => l.polymorphs.filter((p) => p !== 'wurtzite').flatMap((p) => {
    if (l.models[m][p].collapsed) { collapsed.push(`${label(m)} ${p}`); return []; }
    return [{ model: label(m), polymorph: p, energy: l.energyVsWurtzite[m][p] }];
  }));
  return new Figure({
    title: o.title ?? `Polymorph energies above wurtzite${collapsed.length ? ` (collapsed, not shown: ${collapsed.join(', ')})` : ''}`, ...size(o, 480, 300), data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'polymorph', type: 'nominal', sort: null, title: null },
      xOffset: { field: 'model', type: 'nominal', sort: models.map(label) },
      y: { field: 'energy', type: 'quantitative', title: 'E − E(wurtzite) (meV/f.u.)' },
      color: modelColor(models),
    },
  });
}

/** Phonon densities of states of wurtzite, one line per model. */
export function phononDosChart(phonons: PhononComparison, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, CHART_KEYS, 'phononDosChart');
  const p = checked(phonons, (v) => Array.isArray(v.frequency) && typeof v.dos === 'object', 'phononDosChart: expected the phonons of a study (properties.phonons)');
  const models = Object.keys(p.dos);
  const values = models.flatMap((m) => p.frequency.map((f, k) => ({ model: label(m), frequency: f, dos: p.dos[m][k] })));
  const overlaps = models.filter((m) => m !== p.reference).map((m) => `${label(m)} ${formatNumber(p.agreement[m].overlap, 3)}`).join(', ');
  return new Figure({
    title: o.title ?? `Phonon DOS of wurtzite (${p.supercell.join('×')} supercell, ${p.mesh.join('×')} q-mesh, σ ${p.sigma} THz)${overlaps ? `; overlap ${overlaps}` : ''}`,
    ...size(o), data: { values },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'frequency', type: 'quantitative', title: 'frequency (THz)' },
      y: { field: 'dos', type: 'quantitative', title: 'g(ν) (1/THz)' },
      color: modelColor(models),
    },
  });
}

const PAIR_LABELS: Record<string, string> = { 'Zn-Zn': 'Zn–Zn', 'O-Zn': 'Zn–O', 'O-O': 'O–O' };

/** Partial g(r) of the liquid, one panel per pair (Zn–Zn, Zn–O, O–O), one line per model; collapsed models are named in the title. */
export function rdfComparisonChart(liquid: LiquidRdfs, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, CHART_KEYS, 'rdfComparisonChart');
  const l = checked(liquid, (v) => typeof v.models === 'object' && typeof v.temperature === 'number', 'rdfComparisonChart: expected the liquid of a study (properties.liquid)');
  const models = Object.keys(l.models);
  const values = models.flatMap((m) => {
    const g = l.models[m].rdf;
    if (!g) return [];
    return Object.entries(g.partial).flatMap(([pair, v]) => v.map((y, k) => ({ model: label(m), pair: PAIR_LABELS[pair] ?? pair, r: g.r[k], g: y })));
  });
  const collapsed = models.filter((m) => l.models[m].collapsed).map((m) => `${label(m)} after ${formatNumber(l.models[m].collapsed!.time)} fs`);
  const { width, height } = size(o, 220, 220);
  return new Figure({
    title: o.title ?? `Liquid ZnO at ${formatNumber(l.temperature)} K, ${l.atoms} atoms: partial g(r)${collapsed.length ? ` (collapsed: ${collapsed.join(', ')})` : ''}`,
    data: { values },
    facet: { column: { field: 'pair', type: 'nominal', title: null, sort: ['Zn–Zn', 'Zn–O', 'O–O'] } },
    spec: {
      width, height, mark: { type: 'line' },
      encoding: {
        x: { field: 'r', type: 'quantitative', title: 'r (Å)' },
        y: { field: 'g', type: 'quantitative', title: 'g(r)' },
        color: modelColor(models),
      },
    },
  });
}

/** Unrelaxed surface energies (J/m²) of the polar (0001) and non-polar (10-10) surfaces, one bar per model. */
export function surfaceEnergyChart(surfaces: { polar: SurfaceComparison; nonPolar: SurfaceComparison }, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, CHART_KEYS, 'surfaceEnergyChart');
  const s = checked(surfaces, (v) => typeof v.polar === 'object' && typeof v.nonPolar === 'object', 'surfaceEnergyChart: expected the surfaces of a study');
  const models = ['reference', 'plip', 'plipQ'] as const;
  const values = ([['polar (0001)', s.polar], ['non-polar (10-10)', s.nonPolar]] as const).flatMap(([surface, c]) => models.map((m) => ({ model: label(m), surface, energy: c[m] })));
  return new Figure({
    title: o.title ?? 'Surface energies (unrelaxed)', ...size(o, 360, 300), data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'surface', type: 'nominal', sort: null, title: null },
      xOffset: { field: 'model', type: 'nominal', sort: models.map(label) },
      y: { field: 'energy', type: 'quantitative', title: 'surface energy (J/m²)' },
      color: modelColor([...models]),
    },
  });
}

/** Nanoparticle energy per atom above bulk wurtzite (meV/atom) against size: a panel per shape (columns) and geometry (rows: ideal cut, relaxed with the reference), a line per model. */
export function nanoparticleChart(nanoparticles: NanoparticleEnergies, options: ChartOptions = {}): Figure {
  const o = checkOptions(options, CHART_KEYS, 'nanoparticleChart');
  const n = checked(nanoparticles, (v) => Array.isArray(v.particles), 'nanoparticleChart: expected the nanoparticles of a study (properties.nanoparticles)');
  const models = n.particles.length ? Object.keys(n.particles[0].energies) : [];
  const values = n.particles.flatMap((p) => models.map((m) => ({ model: label(m), shape: p.shape, geometry: p.geometry === 'ideal' ? 'ideal cut' : 'relaxed (reference)', atoms: p.atoms, energy: p.energies[m] })));
  const { width, height } = size(o, 200, 240);
  return new Figure({
    title: o.title ?? 'Nanoparticles: energy per atom above bulk wurtzite', data: { values },
    facet: { column: { field: 'shape', type: 'nominal', title: null, sort: ['sphere', 'prism', 'octahedron'] }, row: { field: 'geometry', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width, height, mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'atoms', type: 'quantitative', title: 'atoms', scale: { type: 'log' } },
        y: { field: 'energy', type: 'quantitative', title: 'E/N − e_bulk (meV/atom)' },
        color: modelColor(models),
      },
    },
  });
}

const round = (x: number, digits = 4): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/**
 * The report section of a `compareChargeColumn` study: summary text, the figures of Figs. 1–2
 * (parity of energies and forces, surface energies, and, when the study has its properties,
 * lattice errors, polymorph ordering, phonon DOS, liquid g(r), nanoparticles), the tables behind
 * them, and the study's data without the fitted potentials.
 * @example
 * await report({ title: 'PLIP vs PLIP+Q', sections: [chargeStudySection(study)] }, 'report');
 */
export function chargeStudySection(study: ChargeStudy): ReportSection {
  if (study === null || typeof study !== 'object' || typeof study.plip !== 'object' || typeof study.surfaces !== 'object') {
    throw new PolymorphError('E_TYPE', 'chargeStudySection: expected the result of compareChargeColumn');
  }
  const { plip, plipQ, surfaces, electrostatics } = study;
  const p = study.properties;
  const text = [
    `PLIP and PLIP+Q fitted to ${study.dataset.structures} structures (${study.validationIndices.length} held out). Validation energy RMSE ` +
      `${formatNumber(plip.validation.energyRmse, 4)} → ${formatNumber(plipQ.validation.energyRmse, 4)} meV/atom, force RMSE ` +
      `${formatNumber(plip.validation.forceRmse, 4)} → ${formatNumber(plipQ.validation.forceRmse, 4)} eV/Å; γ = ${formatNumber(electrostatics.gamma, 4)}.`,
  ];
  const figures: Figure[] = [];
  const tables: ReportTable[] = [{
    title: 'Validation RMSE', columns: ['model', 'energy (meV/atom)', 'force (eV/Å)'],
    rows: [['PLIP', round(plip.validation.energyRmse), round(plip.validation.forceRmse)], ['PLIP+Q', round(plipQ.validation.energyRmse), round(plipQ.validation.forceRmse)]],
  }];
  if (p) figures.push(parityChart(p.parity, { quantity: 'energy' }), parityChart(p.parity, { quantity: 'forces' }));
  if (p?.lattices) {
    const l = p.lattices;
    figures.push(latticeErrorChart(l), polymorphEnergyChart(l));
    tables.push({
      title: 'Relaxed polymorphs: parameters, error vs reference (%), energy above wurtzite (meV/f.u.)',
      columns: ['model', 'polymorph', 'parameters', 'errors (%)', 'ΔE (meV/f.u.)', 'collapsed'],
      rows: Object.keys(l.models).flatMap((m) => l.polymorphs.map((poly) => [label(m), poly,
        l.models[m][poly].parameters.map((x, k) => `${l.parameterNames[poly][k]} ${formatNumber(x, 5)}`).join(', '),
        l.errors[m][poly].map((e) => formatNumber(e, 3)).join(', '), round(l.energyVsWurtzite[m][poly]), l.models[m][poly].collapsed])),
    });
  }
  if (p?.phonons) {
    const ph = p.phonons;
    figures.push(phononDosChart(ph));
    tables.push({
      title: `Wurtzite phonons at the reference lattice (${ph.supercell.join('×')} supercell)`,
      columns: ['model', 'DOS overlap', 'DOS difference', 'mean ν (THz)', 'max ν (THz)', 'unstable modes'],
      rows: Object.keys(ph.dos).map((m) => [label(m), round(ph.agreement[m].overlap), round(ph.agreement[m].difference), round(ph.meanFrequency[m]), round(ph.maxFrequency[m]), ph.imaginaryModes[m]]),
    });
  }
  figures.push(surfaceEnergyChart(surfaces));
  tables.push({
    title: 'Unrelaxed surface energies (J/m²)', columns: ['model', 'polar (0001)', 'non-polar (10-10)', 'lower', 'ordering as reference'],
    rows: (['reference', 'plip', 'plipQ'] as const).map((m) => [label(m), round(surfaces.polar[m]), round(surfaces.nonPolar[m]),
      surfaces.polar[m] < surfaces.nonPolar[m] ? 'polar' : 'non-polar', p ? p.surfaceOrdering.agrees[m] : null]),
  });
  if (p?.liquid) {
    const lq = p.liquid;
    figures.push(rdfComparisonChart(lq));
    const pairs = ['O-Zn', 'Zn-Zn', 'O-O'];
    tables.push({
      title: `Liquid at ${formatNumber(lq.temperature)} K: first peaks of g(r), position (Å) / height`,
      columns: ['model', 'frames', ...pairs.map((q) => PAIR_LABELS[q]), 'collapse'],
      rows: Object.entries(lq.models).map(([m, run]) => [label(m), run.frames,
        ...pairs.map((q) => (run.peaks ? `${formatNumber(run.peaks[q].position, 3)} / ${formatNumber(run.peaks[q].height, 3)}` : null)),
        run.collapsed ? `${run.collapsed.reason} at ${formatNumber(run.collapsed.time)} fs` : null]),
    });
    for (const [m, run] of Object.entries(lq.models)) if (run.collapsed) text.push(`${label(m)} collapses in the ${formatNumber(lq.temperature)} K liquid after ${formatNumber(run.collapsed.time)} fs (${run.collapsed.reason}).`);
  }
  if (p?.nanoparticles) {
    const np = p.nanoparticles;
    figures.push(nanoparticleChart(np));
    const models = np.particles.length ? Object.keys(np.particles[0].energies) : [];
    tables.push({
      title: 'Nanoparticles: E/N − e_bulk (meV/atom)', columns: ['shape', 'atoms', 'geometry', ...models.map(label), 'reference relaxation converged'],
      rows: np.particles.map((q) => [q.shape, q.atoms, q.geometry, ...models.map((m) => round(q.energies[m])), q.relaxed]),
    });
    for (const [geometry, rmse] of Object.entries(np.rmse)) {
      text.push(`Nanoparticle energy RMSE vs reference (${geometry} geometries): ${models.filter((m) => m !== np.reference).map((m) => `${label(m)} ${formatNumber(rmse![m], 4)} meV/atom`).join(', ')}.`);
    }
  }
  const data = { ...study, plip: { ...plip, potential: undefined }, plipQ: { ...plipQ, potential: undefined } };
  return { title: 'PLIP vs PLIP+Q on the rigid-ion ZnO reference', text, figures, tables, data };
}

/**
 * `compareChargeColumn`: PLIP vs PLIP+Q on the rigid-ion ZnO surrogate (the central claim of
 * Salazar et al., npj Comput. Mater. 10, 199 (2024), with a Buckingham + Coulomb model standing in
 * for DFT). Energies in eV, forces in eV/Å, surface energies in J/m².
 * @module
 */
import { PolymorphError } from '../core/errors';
import { wurtzite } from '../build/crystals';
import { mulberry32 } from '../core/random';
import { wurtziteNonPolarSlab, wurtzitePolarSlab } from '../build/surfaces';
import { PlipDescriptors, type PlipDescriptorsOptions } from '../descriptors/plip';
import type { Potential } from '../potentials/potential';
import type { Structure } from '../structure/structure';
import { fitPlip, type FitPlipElectrostatics, type FitPlipMetrics, type FitPlipReport } from '../train/fit-plip';
import { zincOxideDataset, type ZincOxideDataset, type ZincOxideDatasetOptions } from './zinc-oxide-dataset';
import { formatNumber, summary, withInspect } from '../core/inspect';
import { Electrostatics } from '../potentials/electrostatics';
import { Ewald } from '../potentials/ewald';
import { SumPotential } from '../potentials/sum';
import { ZINC_OXIDE_CHARGES } from '../potentials/zinc-oxide';
import { modelProperties, propertiesSummary as modelPropertiesSummary, type ModelProperties, type ModelPropertiesOptions } from './model-properties';

/** 1 eV/Å² in J/m². */
export const EV_PER_A2_IN_J_PER_M2 = 16.02176634;

/** Options of {@link compareChargeColumn}. */
export interface ChargeStudyOptions {
  /** The data set, or options to generate it with {@link zincOxideDataset} (default `{}`). */
  dataset?: ZincOxideDataset | ZincOxideDatasetOptions;
  /** Descriptor settings (elements are Zn, O). Default: cutoff 6 Å, grid widths [0.5, 1.5] 1/Å² × centres 1…5.5 Å step 0.5, threeBody lmax 2, nBody mmax 5 with rShort 1.5 Å. */
  descriptors?: Omit<PlipDescriptorsOptions, 'elements'>;
  /** Initial charges of the PLIP+Q column, e (default the formal { Zn: 2, O: −2 }). */
  charges?: { Zn: number; O: number };
  /** A fixed Lasso α used by both fits; without it each fit chooses α by `cv`-fold cross-validation. */
  alpha?: number;
  /** Folds of the cross-validation when `alpha` is absent (default 5). */
  cv?: number;
  /**
   * Row weights of both fits (see fitPlip). Default energy 30, forces 1: a structure has one
   * energy row against 3N ≈ 50–100 force rows, and with weight 1 the energy rows barely count
   * (measured: PLIP's training energy RMSE is then ~760 meV/atom, 21 with weight 30).
   */
  weights?: { energy?: number; forces?: number };
  /** Fraction of structures held out for validation (default 0.25), the same split for both fits. */
  validation?: number;
  /** Seed of the split (default 0). */
  seed?: number;
  /** Ewald accuracy of the PLIP+Q column (default 1e-6). */
  accuracy?: number;
  /**
   * The properties of Figs. 1–2 compared across the reference, PLIP and PLIP+Q
   * ({@link modelProperties}: lattices, phonons, liquid g(r), nanoparticles; each part can be
   * switched off or tuned), with the parity data and the surface ordering. Default `{}` (all parts
   * at their small defaults); `false` leaves `properties` out of the study.
   */
  properties?: false | ModelPropertiesOptions;
}

/** Errors of one model on a group of structures: energy per atom RMSE (meV/atom), force component RMSE (eV/Å). */
export interface KindErrors {
  structures: number;
  energyRmse: number;
  forceRmse: number;
}

/** One fitted model in the study. */
export interface StudyModel {
  /** α of the fit and whether it came from cross-validation. */
  alpha: number;
  alphaFromCv: boolean;
  /** Non-zero descriptor weights (of `features`). */
  nonZero: number;
  features: number;
  train: FitPlipMetrics;
  validation: FitPlipMetrics;
  /** Validation errors per `info.kind`. */
  validationByKind: Record<string, KindErrors>;
  /** The fitted model. */
  potential: Potential;
}

/** Surface energy of one surface, J/m², from the reference and both fits, and the absolute errors. */
export interface SurfaceComparison {
  reference: number;
  plip: number;
  plipQ: number;
  errorPlip: number;
  errorPlipQ: number;
}

/** Validation parity data: per structure (kind, atoms) the energy per atom (eV/atom) and every force component (eV/Å), by model. */
export interface ParityData {
  kinds: string[];
  atoms: number[];
  energy: Record<string, number[]>;
  forces: Record<string, number[]>;
}

/** Which unrelaxed surface each model gives the lower energy, and whether it agrees with the reference. */
export interface SurfaceOrdering {
  lower: Record<string, 'polar' | 'non-polar'>;
  agrees: Record<string, boolean>;
}

/** The properties part of a study: {@link ModelProperties} of models 'reference', 'plip', 'plipQ', the validation parity data and the surface ordering. */
export interface ChargeStudyProperties extends ModelProperties {
  parity: ParityData;
  surfaceOrdering: SurfaceOrdering;
}

/** What {@link compareChargeColumn} returns. */
export interface ChargeStudy {
  /** Structures and atoms by kind, and in total. */
  dataset: { structures: number; atoms: number; kinds: Record<string, number> };
  trainIndices: number[];
  validationIndices: number[];
  plip: StudyModel;
  plipQ: StudyModel;
  /** The PLIP+Q electrostatics: initial charges, fitted γ, kept γ and the implied charges √γ q₀ (e). */
  electrostatics: FitPlipElectrostatics;
  /** Unrelaxed surface energies: polar (0001)/(000-1) (the average of the two faces) and non-polar (10-10). */
  surfaces: { polar: SurfaceComparison; nonPolar: SurfaceComparison };
  /** Lattices, phonons, liquid, nanoparticles, parity and surface ordering (absent with `properties: false`). */
  properties?: ChargeStudyProperties;
}

const DEFAULT_DESCRIPTORS: Omit<PlipDescriptorsOptions, 'elements'> = {
  cutoff: 6,
  grid: { widths: [0.5, 1.5], centres: [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5] },
  threeBody: { lmax: 2 },
  nBody: { mmax: 5, rShort: 1.5 },
};

function isDataset(d: unknown): d is ZincOxideDataset {
  return typeof d === 'object' && d !== null && Array.isArray((d as ZincOxideDataset).structures);
}

/** Per-kind energy (meV/atom) and force (eV/Å) RMSE of `potential` on `structures`. */
export function errorsByKind(potential: Potential, structures: readonly Structure[]): Record<string, KindErrors> {
  const acc: Record<string, { n: number; e2: number; f2: number; nf: number }> = {};
  for (const s of structures) {
    const kind = String(s.info.kind ?? 'unknown');
    const a = (acc[kind] ??= { n: 0, e2: 0, f2: 0, nf: 0 });
    const r = potential.compute(s, { forces: true });
    a.n++;
    a.e2 += ((r.energy - (s.info.energy as number)) / s.length) ** 2;
    const f = r.forces!.data, ref = (s.arrays.forces as { data: ArrayLike<number> }).data;
    for (let k = 0; k < 3 * s.length; ++k) a.f2 += (f[k] - ref[k]) ** 2;
    a.nf += 3 * s.length;
  }
  return Object.fromEntries(Object.entries(acc).map(([k, a]) => [k, { structures: a.n, energyRmse: 1e3 * Math.sqrt(a.e2 / a.n), forceRmse: Math.sqrt(a.f2 / a.nf) }]));
}

/**
 * Fits PLIP and PLIP+Q (Salazar et al. 2024) to the same ZnO data with the same descriptors, the
 * same split by structure, stratified by kind ({@link stratifiedValidation}), and the same α rule (a given `alpha` for both, or each fit's own
 * `cv`-fold cross-validated α), and compares them: training and validation energy RMSE
 * (meV/atom) and force RMSE (eV/Å), validation errors per kind, the fitted γ and charges √γ·q₀,
 * and unrelaxed surface energies.
 *
 * Surface energies, J/m²: γ_s = (E_slab − N e_bulk) / (2A) on the ideal (unrattled) slabs of the
 * data set's thickness and vacuum at the reference's relaxed wurtzite lattice (polar (0001):
 * repeat [2, 2], A = 4·(√3/2)a², the value is the mean of the Zn (0001) and O (000-1) faces;
 * non-polar (10-10): repeat [2, 1], A = 2ac). Each model uses its own e_bulk, the energy per atom
 * it gives to the same ideal bulk wurtzite (relaxed reference lattice, 2×2×1 cell): every model
 * sees the same fixed geometries, none is relaxed. The reference polar value includes the
 * dipole energy of an unreconstructed polar slab under 3-D Ewald (no dipole correction),
 * which a 6 Å descriptor cannot see; PLIP+Q carries it through its Ewald term.
 * @example
 * const study = compareChargeColumn({ dataset: { seed: 1 }, validation: 0.25 });
 * console.log(study.plip.validation.energyRmse, study.plipQ.validation.energyRmse, study.electrostatics.charges);
 */
export function compareChargeColumn(options: ChargeStudyOptions = {}): ChargeStudy {
  if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'compareChargeColumn: options must be an object');
  const allowed = new Set(['dataset', 'descriptors', 'charges', 'alpha', 'cv', 'weights', 'validation', 'seed', 'accuracy', 'properties']);
  for (const key of Object.keys(options)) if (!allowed.has(key)) throw new PolymorphError('E_VALUE', `compareChargeColumn: unknown option '${key}'`);
  const wanted = options.properties ?? {};
  if (wanted !== false && (wanted === null || typeof wanted !== 'object' || Array.isArray(wanted))) throw new PolymorphError('E_TYPE', 'compareChargeColumn: properties must be false or an options object');
  const validation = options.validation ?? 0.25;
  if (typeof validation !== 'number' || !(validation > 0 && validation < 1)) throw new PolymorphError('E_VALUE', `compareChargeColumn: validation must lie in (0, 1), got ${String(validation)}`);
  const data = isDataset(options.dataset) ? options.dataset : zincOxideDataset(options.dataset ?? {});
  const descriptors = new PlipDescriptors({ ...DEFAULT_DESCRIPTORS, ...options.descriptors, elements: ['Zn', 'O'] });
  const alphaRule = options.alpha !== undefined ? { alpha: options.alpha } : { cv: options.cv ?? 5 };
  const seed = options.seed ?? 0;
  const heldOut = stratifiedValidation(data.structures, validation, seed);
  const common = { descriptors, ...alphaRule, weights: { energy: 30, forces: 1, ...options.weights }, validation: heldOut, seed, ewald: { accuracy: options.accuracy ?? 1e-6 } };
  const plain = fitPlip(data.structures, common);
  const withQ = fitPlip(data.structures, { ...common, charges: { ...(options.charges ?? { Zn: 2, O: -2 }) } });
  const held = plain.report.validationIndices.map((k) => data.structures[k]);
  const model = (fit: { potential: Potential; report: FitPlipReport }): StudyModel => ({
    alpha: fit.report.alpha, alphaFromCv: fit.report.cv !== null, nonZero: fit.report.nonZero, features: fit.report.features,
    train: fit.report.train, validation: fit.report.validation!, validationByKind: errorsByKind(fit.potential, held), potential: fit.potential,
  });
  const kinds: Record<string, number> = {};
  for (const s of data.structures) kinds[String(s.info.kind)] = (kinds[String(s.info.kind)] ?? 0) + 1;
  const study: ChargeStudy = {
    dataset: { structures: data.structures.length, atoms: data.structures.reduce((n, s) => n + s.length, 0), kinds },
    trainIndices: plain.report.trainIndices, validationIndices: plain.report.validationIndices,
    plip: model(plain), plipQ: model(withQ), electrostatics: withQ.report.electrostatics!,
    surfaces: surfaceEnergies(data, [data.reference, plain.potential, withQ.potential]),
  };
  if (wanted !== false) {
    const models = { reference: openClusterReference(data), plip: plain.potential, plipQ: withQ.potential };
    const { polar, nonPolar } = study.surfaces;
    const lower = (p: number, n: number): 'polar' | 'non-polar' => (p < n ? 'polar' : 'non-polar');
    const order = { reference: lower(polar.reference, nonPolar.reference), plip: lower(polar.plip, nonPolar.plip), plipQ: lower(polar.plipQ, nonPolar.plipQ) };
    const properties: ChargeStudyProperties = {
      ...modelProperties(models, 'reference', wanted),
      parity: parityData(models, held),
      surfaceOrdering: { lower: order, agrees: Object.fromEntries(Object.entries(order).map(([k, v]) => [k, v === order.reference])) },
    };
    study.properties = withInspect(properties, () => modelPropertiesSummary(properties, 'ChargeStudyProperties'));
  }
  return withInspect(study, () => studySummary(study));
}

/**
 * The reference model for every structure of the properties: the data set's reference with its
 * Ewald term replaced by {@link Electrostatics} (the same Ewald sum in periodic cells, the direct
 * sum for clusters) with the rigid-ion charges; checked to give the reference's energy on bulk
 * wurtzite.
 */
function openClusterReference(data: ZincOxideDataset): Potential {
  const ref = data.reference;
  if (!(ref instanceof SumPotential) || !ref.terms.some((t) => t.potential instanceof Ewald)) {
    throw new PolymorphError('E_VALUE', 'compareChargeColumn: properties need the reference as a sum with an Ewald term (zincOxideBuckingham), to evaluate clusters with the direct Coulomb sum');
  }
  const out = new SumPotential(ref.terms.map((t) => [t.potential instanceof Ewald
    ? new Electrostatics({ charges: { ...ZINC_OXIDE_CHARGES }, accuracy: t.potential.accuracy }) : t.potential, t.weight] as const));
  const [a, ca, u] = data.lattices.wurtzite.parameters;
  const probe = wurtzite(['Zn', 'O'], a, ca * a, u).repeat([2, 2, 1]);
  const e0 = ref.compute(probe).energy, e1 = out.compute(probe).energy;
  if (!(Math.abs(e1 - e0) <= 1e-6 * Math.abs(e0))) throw new PolymorphError('E_VALUE', `compareChargeColumn: the reference's Ewald charges are not the rigid-ion ±2 (bulk energy ${e0} vs ${e1} eV); properties cannot rebuild it for clusters`);
  return out;
}

/** Energies per atom (eV/atom) and force components (eV/Å) of each model on the held-out structures. */
function parityData(models: Record<string, Potential>, held: readonly Structure[]): ParityData {
  const energy: Record<string, number[]> = {}, forces: Record<string, number[]> = {};
  for (const [name, m] of Object.entries(models)) {
    energy[name] = [];
    forces[name] = [];
    for (const s of held) {
      const r = m.compute(s, { forces: true });
      energy[name].push(r.energy / s.length);
      forces[name].push(...Array.from(r.forces!.data as ArrayLike<number>));
    }
  }
  return { kinds: held.map((s) => String(s.info.kind ?? 'unknown')), atoms: held.map((s) => s.length), energy, forces };
}

/** The `console.log` summary of a study: data, validation errors of both models, γ, surface energies. */
function studySummary(study: ChargeStudy): string {
  const errors = (m: StudyModel): string =>
    `validation ${formatNumber(m.validation.energyRmse, 4)} meV/atom, ${formatNumber(m.validation.forceRmse, 4)} eV/Å (${m.nonZero}/${m.features} weights, α ${formatNumber(m.alpha, 3)})`;
  const surface = (c: SurfaceComparison): string =>
    `reference ${formatNumber(c.reference, 4)}, PLIP ${formatNumber(c.plip, 4)}, PLIP+Q ${formatNumber(c.plipQ, 4)} J/m²`;
  const d = study.dataset;
  return summary('ChargeStudy', {
    dataset: `${d.structures} structures, ${d.atoms} atoms (train ${study.trainIndices.length}, validation ${study.validationIndices.length})`,
    PLIP: errors(study.plip), 'PLIP+Q': errors(study.plipQ),
    'γ': `${formatNumber(study.electrostatics.gamma, 4)} (fitted ${formatNumber(study.electrostatics.gammaFitted, 4)})`,
    'polar surface': surface(study.surfaces.polar), 'non-polar surface': surface(study.surfaces.nonPolar),
    ...(study.properties ? propertiesSummary(study.properties) : {}),
  });
}

/** Up to four summary lines of the properties: wurtzite a errors, DOS overlap, liquid, nanoparticle RMSE. */
function propertiesSummary(p: ChargeStudyProperties): Record<string, string> {
  const both = (f: (m: 'plip' | 'plipQ') => string): string => `PLIP ${f('plip')}, PLIP+Q ${f('plipQ')}`;
  const out: Record<string, string> = {};
  if (p.lattices) out['wurtzite Δa'] = both((m) => `${formatNumber(p.lattices!.errors[m].wurtzite[0], 3)} %`);
  if (p.phonons) out['phonon DOS overlap'] = both((m) => formatNumber(p.phonons!.agreement[m].overlap, 3));
  if (p.liquid) {
    out[`liquid ${formatNumber(p.liquid.temperature)} K`] = both((m) => {
      const run = p.liquid!.models[m];
      if (run.collapsed) return `collapsed at ${formatNumber(run.collapsed.time)} fs`;
      return `Zn–O peak Δr ${formatNumber(p.liquid!.peakErrors[m]!['O-Zn'].position, 3)} Å`;
    });
  }
  if (p.nanoparticles) {
    const { ideal, relaxed } = p.nanoparticles.rmse;
    out['nanoparticle RMSE'] = both((m) => `${formatNumber(ideal[m], 4)}${relaxed ? ` / ${formatNumber(relaxed[m], 4)}` : ''}`) + ` meV/atom (ideal${relaxed ? ' / relaxed' : ''} cuts)`;
  }
  return out;
}

/**
 * Validation structures stratified by `info.kind`: from each kind with at least two structures,
 * round(fraction·count) of them (at least 1, at most count − 1), chosen by a seeded shuffle, so
 * every kind is both trained on and validated (a plain random split of a small set can leave a
 * kind almost absent from training). Kinds with a single structure are only trained on.
 */
export function stratifiedValidation(structures: readonly Structure[], fraction: number, seed: number): number[] {
  const byKind = new Map<string, number[]>();
  structures.forEach((s, k) => {
    const kind = String(s.info.kind ?? 'unknown');
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push(k);
  });
  const random = mulberry32(seed);
  const held: number[] = [];
  for (const members of byKind.values()) {
    if (members.length < 2) continue;
    for (let k = members.length - 1; k > 0; --k) {
      const j = Math.floor(random() * (k + 1));
      [members[k], members[j]] = [members[j], members[k]];
    }
    const count = Math.min(members.length - 1, Math.max(1, Math.round(fraction * members.length)));
    held.push(...members.slice(0, count));
  }
  return held.sort((x, y) => x - y);
}

/** Unrelaxed polar and non-polar surface energies (J/m²) of [reference, PLIP, PLIP+Q]. */
function surfaceEnergies(data: ZincOxideDataset, models: Potential[]): ChargeStudy['surfaces'] {
  const [a, ca, u] = data.lattices.wurtzite.parameters;
  const lattice = { a, c: ca * a, u, vacuum: data.slabs.vacuum };
  const polar = wurtzitePolarSlab(data.slabs.polarBilayers, { ...lattice, repeat: [2, 2] });
  const nonPolar = wurtziteNonPolarSlab(data.slabs.nonPolarLayers, { ...lattice, repeat: [2, 1] });
  const bulk = wurtzite(['Zn', 'O'], a, ca * a, u).repeat([2, 2, 1]);
  const compare = (slab: Structure, area: number): SurfaceComparison => {
    const [reference, plip, plipQ] = models.map((m) => {
      const eBulk = m.compute(bulk).energy / bulk.length;
      return ((m.compute(slab).energy - slab.length * eBulk) / (2 * area)) * EV_PER_A2_IN_J_PER_M2;
    });
    return { reference, plip, plipQ, errorPlip: Math.abs(plip - reference), errorPlipQ: Math.abs(plipQ - reference) };
  };
  return { polar: compare(polar, 4 * (Math.sqrt(3) / 2) * a * a), nonPolar: compare(nonPolar, 2 * a * ca * a) };
}

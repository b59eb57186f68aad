/**
 * SGMA (Steinhardt + Gaussian-mixture analysis; Furstoss et al., Comput. Phys. Commun. 2025, as
 * used by Salazar et al., npj Comput. Mater. 10, 199 (2024)): per-atom polymorph classification
 * from Voronoi-weighted averaged Steinhardt features, by a Gaussian mixture whose components are
 * labelled with reference structures.
 * @module
 */
import ndarray, { type NdArray } from 'ndarray';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { chemicalSymbol } from '../structure/elements';
import { Structure } from '../structure/structure';
import { eachFrame, eachFrameAsync, type Frames, type SyncFrames } from './frames';
import { GaussianMixture } from './gaussian-mixture';
import { steinhardt, steinhardtAsync } from './steinhardt';

/** Options of the SGMA features. */
export interface SgmaFeatureOptions {
  /** Degrees l (default 2…8). */
  l?: readonly number[];
  /** Feature blocks: every neighbour ('all') and the atom's own species' sub-lattice ('same'); default both (the paper's 14 features). */
  species?: readonly ('all' | 'same')[];
}

/** Options of {@link Sgma.train}. */
export interface SgmaTrainOptions extends SgmaFeatureOptions {
  /** One mixture per element, each trained on that element's atoms (as AtomHIC can; default false: one mixture, as the paper). */
  perSpecies?: boolean;
  /**
   * 'references' (default): EM starts from each reference set's mean and covariance, one component
   * per label, weights by size — deterministic, and every reference gets its component;
   * 'kmeans': `nComponents` components from k-means++ (nInit tries, seed), labelled afterwards.
   */
  init?: 'references' | 'kmeans';
  /** Components with 'kmeans' (default: the number of labels). */
  nComponents?: number;
  nInit?: number;
  seed?: number;
  covarianceType?: 'full' | 'diag';
  /** Regularisation of the covariance diagonals (default 1e-6, features are O(0.1–1)). */
  regCovar?: number;
  /** An atom gets a label when that label's probability exceeds this (default 0.5), else 'unassigned'. */
  threshold?: number;
}

/** What {@link Sgma.classify} returns. */
export interface SgmaClassification {
  /** Label of each atom, or 'unassigned' (no label above the threshold, or no neighbours). */
  labels: string[];
  /** [N, n_labels] probabilities of the labels (columns in {@link Sgma.labels} order; NaN rows for atoms without features). */
  probabilities: NdArray<Float64Array>;
}

interface Model {
  element: number | null;
  mixture: GaussianMixture;
  /** Label index of each component. */
  componentLabels: Int32Array;
}

const trainKeys = ['l', 'species', 'perSpecies', 'init', 'nComponents', 'nInit', 'seed', 'covarianceType', 'regCovar', 'threshold'];

function featureSettings(o: SgmaFeatureOptions): { l: number[]; species: ('all' | 'same')[] } {
  const l = [...(o.l ?? [2, 3, 4, 5, 6, 7, 8])];
  const species = [...(o.species ?? ['all', 'same'])];
  if (l.length === 0 || species.length === 0 || !species.every((s) => s === 'all' || s === 'same')) {
    throw new PolymorphError('E_VALUE', `SGMA features: need degrees l and species blocks among 'all', 'same', got l ${JSON.stringify(l)}, species ${JSON.stringify(species)}`);
  }
  return { l, species };
}

function assemble(blocks: NdArray<Float64Array>[], n: number): NdArray<Float64Array> {
  const width = blocks.reduce((a, b) => a + b.shape[1], 0);
  const out = new Float64Array(n * width);
  let offset = 0;
  for (const b of blocks) {
    const w = b.shape[1];
    for (let i = 0; i < n; ++i) for (let k = 0; k < w; ++k) out[i * width + offset + k] = b.get(i, k);
    offset += w;
  }
  return ndarray(out, [n, width]);
}

/**
 * The SGMA features of every atom: Voronoi-weighted, Lechner–Dellago-averaged q_l (default
 * l = 2…8) over all neighbours, then over the atom's own species' sub-lattice — Salazar et al.'s 14
 * features for ZnO. [N, F]; rows of atoms without neighbours are NaN.
 */
export function sgmaFeatures(structure: Structure, options: SgmaFeatureOptions = {}): NdArray<Float64Array> {
  const { l, species } = featureSettings(checkOptions(options, ['l', 'species'], 'sgmaFeatures'));
  return assemble(species.map((s) => steinhardt(structure, { l, neighbors: { voronoi: true }, average: true, species: s })), structure.length);
}

/** {@link sgmaFeatures} off the event loop. */
export async function sgmaFeaturesAsync(structure: Structure, options: SgmaFeatureOptions = {}): Promise<NdArray<Float64Array>> {
  const { l, species } = featureSettings(checkOptions(options, ['l', 'species'], 'sgmaFeatures'));
  const blocks: NdArray<Float64Array>[] = [];
  for (const s of species) blocks.push(await steinhardtAsync(structure, { l, neighbors: { voronoi: true }, average: true, species: s }));
  return assemble(blocks, structure.length);
}

/** Rows of X (finite ones only) with their atomic numbers. */
function finiteRows(X: NdArray<Float64Array>, numbers: ArrayLike<number>, element: number | null): { rows: number[]; data: Float64Array } {
  const [n, f] = X.shape;
  const rows: number[] = [];
  for (let i = 0; i < n; ++i) {
    if (element !== null && numbers[i] !== element) continue;
    let ok = true;
    for (let k = 0; k < f && ok; ++k) ok = Number.isFinite(X.get(i, k));
    if (ok) rows.push(i);
  }
  const data = new Float64Array(rows.length * f);
  rows.forEach((i, r) => { for (let k = 0; k < f; ++k) data[r * f + k] = X.get(i, k); });
  return { rows, data };
}

/**
 * A trained SGMA classifier: a Gaussian mixture (or one per element) over the SGMA features whose
 * components carry the labels of the reference structures they describe.
 * @example
 * const sgma = Sgma.train({ wurtzite: wzFrames, zincblende: zbFrames, liquid: liquidFrames });
 * const { labels } = sgma.classify(frame);          // per atom, 'unassigned' below 0.5
 * const counts = sgma.composition(trajectoryFrames); // atoms per label per frame
 */
export class Sgma {
  /** The reference labels, in the order of the probability columns. */
  readonly labels: readonly string[];
  readonly threshold: number;
  readonly features: { l: number[]; species: ('all' | 'same')[] };
  private readonly models: Model[];

  private constructor(labels: string[], threshold: number, features: { l: number[]; species: ('all' | 'same')[] }, models: Model[]) {
    this.labels = labels;
    this.threshold = threshold;
    this.features = features;
    this.models = models;
  }

  /**
   * Trains on labelled reference frames (`{ label: frames }`): the features of every atom of every
   * frame; one mixture (or one per element); each component labelled with the reference whose atoms
   * give it the highest mean posterior (as the paper and AtomHIC do).
   */
  static train(references: Record<string, readonly Structure[] | Structure>, options: SgmaTrainOptions = {}): Sgma {
    const o = checkOptions(options, trainKeys, 'Sgma.train');
    const features = featureSettings(o);
    const labels = Object.keys(references ?? {});
    if (labels.length < 1) throw new PolymorphError('E_VALUE', 'Sgma.train: needs at least one labelled reference set');
    if (labels.includes('unassigned')) throw new PolymorphError('E_VALUE', "Sgma.train: 'unassigned' is reserved");
    const sets = labels.map((label) => {
      const X: NdArray<Float64Array>[] = [];
      const numbers: number[][] = [];
      eachFrame(references[label] as SyncFrames, `Sgma.train (${label})`, (s) => { X.push(sgmaFeatures(s, features)); numbers.push(Array.from(s.numbers)); });
      return { X, numbers };
    });
    const elements = o.perSpecies ? [...new Set(sets.flatMap((s) => s.numbers.flat()))].sort((a, b) => a - b) : [null];
    const models = elements.map((element) => Sgma.trainModel(labels, sets, element, o));
    const threshold = o.threshold ?? 0.5;
    if (!(typeof threshold === 'number' && threshold >= 0 && threshold < 1)) throw new PolymorphError('E_VALUE', `Sgma.train: threshold must lie in [0, 1), got ${String(threshold)}`);
    return new Sgma(labels, threshold, features, models);
  }

  private static trainModel(labels: string[], sets: { X: NdArray<Float64Array>[]; numbers: number[][] }[], element: number | null, o: SgmaTrainOptions): Model {
    const perLabel = sets.map((set) => {
      const parts = set.X.map((X, k) => finiteRows(X, set.numbers[k], element).data);
      const f = set.X[0].shape[1];
      const data = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
      let at = 0;
      for (const p of parts) data.set(p, at), at += p.length;
      return { data, count: data.length / f, f };
    });
    const f = perLabel[0].f;
    const what = element === null ? '' : ` (${chemicalSymbol(element)})`;
    perLabel.forEach((p, k) => { if (p.count < 2) throw new PolymorphError('E_VALUE', `Sgma.train: reference '${labels[k]}'${what} has fewer than 2 atoms with features`); });
    const total = perLabel.reduce((a, p) => a + p.count, 0);
    const all = new Float64Array(total * f);
    let at = 0;
    for (const p of perLabel) all.set(p.data, at), at += p.data.length;
    const X = ndarray(all, [total, f]);
    const regCovar = o.regCovar ?? 1e-6;
    const init = o.init ?? 'references';
    let mixture: GaussianMixture;
    if (init === 'references') {
      if (o.nComponents !== undefined && o.nComponents !== labels.length) throw new PolymorphError('E_VALUE', "Sgma.train: init 'references' has one component per label");
      const diag = o.covarianceType === 'diag';
      const means: number[][] = [], full: number[][][] = [], diagonal: number[][] = [], weights: number[] = [];
      for (const p of perLabel) {
        const mean = Array.from({ length: f }, (_, a) => { let s = 0; for (let r = 0; r < p.count; ++r) s += p.data[r * f + a]; return s / p.count; });
        const cov = Array.from({ length: f }, (_, a) => Array.from({ length: f }, (_, b) => {
          if (diag && a !== b) return 0;
          let s = 0;
          for (let r = 0; r < p.count; ++r) s += (p.data[r * f + a] - mean[a]) * (p.data[r * f + b] - mean[b]);
          return s / p.count + (a === b ? regCovar : 0);
        }));
        means.push(mean), full.push(cov), diagonal.push(cov.map((row, a) => row[a])), weights.push(p.count / total);
      }
      mixture = new GaussianMixture({ nComponents: labels.length, covarianceType: diag ? 'diag' : 'full', regCovar, seed: o.seed ?? 0 });
      mixture.fitFrom(X, { weights, means, covariances: diag ? diagonal : full });
    } else if (init === 'kmeans') {
      mixture = new GaussianMixture({ nComponents: o.nComponents ?? labels.length, covarianceType: o.covarianceType ?? 'full', regCovar, nInit: o.nInit ?? 3, seed: o.seed ?? 0 });
      mixture.fit(X);
    } else {
      throw new PolymorphError('E_VALUE', `Sgma.train: init must be 'references' or 'kmeans', got ${String(init)}`);
    }
    // Label each component with the reference of highest mean posterior.
    const K = mixture.weights.length;
    const meanPosterior = labels.map((_, k) => {
      const p = perLabel[k];
      const proba = mixture.predictProba(ndarray(p.data, [p.count, f]));
      return Array.from({ length: K }, (_, c) => { let s = 0; for (let r = 0; r < p.count; ++r) s += proba.get(r, c); return s / p.count; });
    });
    const componentLabels = Int32Array.from({ length: K }, (_, c) => {
      let best = 0;
      for (let k = 1; k < labels.length; ++k) if (meanPosterior[k][c] > meanPosterior[best][c]) best = k;
      return best;
    });
    return { element, mixture, componentLabels };
  }

  private classifyFeatures(X: NdArray<Float64Array>, numbers: ArrayLike<number>): SgmaClassification {
    const n = X.shape[0], L = this.labels.length;
    const probabilities = ndarray(new Float64Array(n * L).fill(Number.NaN), [n, L]);
    const labels: string[] = Array(n).fill('unassigned');
    for (const model of this.models) {
      const { rows, data } = finiteRows(X, numbers, model.element);
      if (rows.length === 0) continue;
      const proba = model.mixture.predictProba(ndarray(data, [rows.length, X.shape[1]]));
      rows.forEach((i, r) => {
        for (let k = 0; k < L; ++k) probabilities.set(i, k, 0);
        for (let c = 0; c < model.componentLabels.length; ++c) {
          const k = model.componentLabels[c];
          probabilities.set(i, k, probabilities.get(i, k) + proba.get(r, c));
        }
        let best = 0;
        for (let k = 1; k < L; ++k) if (probabilities.get(i, k) > probabilities.get(i, best)) best = k;
        if (probabilities.get(i, best) > this.threshold) labels[i] = this.labels[best];
      });
    }
    if (this.models[0].element !== null) {
      const known = new Set(this.models.map((m) => m.element));
      const unknown = Array.from(numbers).find((z) => !known.has(z));
      if (unknown !== undefined) throw new PolymorphError('E_VALUE', `Sgma.classify: no model for ${chemicalSymbol(unknown)} (trained per species on ${[...known].map((z) => chemicalSymbol(z!)).join(', ')})`);
    }
    return { labels, probabilities };
  }

  /** Labels and label probabilities of every atom of a frame. */
  classify(structure: Structure): SgmaClassification {
    if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'Sgma.classify: expected a Structure');
    return this.classifyFeatures(sgmaFeatures(structure, this.features), structure.numbers);
  }

  /** {@link classify} off the event loop. */
  async classifyAsync(structure: Structure): Promise<SgmaClassification> {
    if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'Sgma.classify: expected a Structure');
    return this.classifyFeatures(await sgmaFeaturesAsync(structure, this.features), structure.numbers);
  }

  private counts(c: SgmaClassification): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries([...this.labels, 'unassigned'].map((l) => [l, 0]));
    for (const l of c.labels) ++out[l];
    return out;
  }

  /** Atoms per label (and 'unassigned') in each frame. */
  composition(frames: SyncFrames): Record<string, number>[] {
    const out: Record<string, number>[] = [];
    eachFrame(frames, 'Sgma.composition', (s) => out.push(this.counts(this.classify(s))));
    return out;
  }

  /** {@link composition} for any frame source, frames streamed. */
  async compositionAsync(frames: Frames): Promise<Record<string, number>[]> {
    const out: Record<string, number>[] = [];
    await eachFrameAsync(frames, 'Sgma.composition', async (s) => { out.push(this.counts(await this.classifyAsync(s))); });
    return out;
  }

  /**
   * Confusion matrix on labelled frames: rows the true labels (in {@link labels} order), columns
   * the predicted labels then 'unassigned'; and the fraction right per true label.
   */
  confusion(references: Record<string, readonly Structure[] | Structure>): { rows: string[]; columns: string[]; counts: number[][]; accuracy: Record<string, number> } {
    const columns = [...this.labels, 'unassigned'];
    const rows = Object.keys(references);
    const counts = rows.map((label) => {
      if (!this.labels.includes(label)) throw new PolymorphError('E_VALUE', `Sgma.confusion: '${label}' is not one of the labels ${this.labels.join(', ')}`);
      const row = Array(columns.length).fill(0);
      eachFrame(references[label] as SyncFrames, `Sgma.confusion (${label})`, (s) => { for (const l of this.classify(s).labels) ++row[columns.indexOf(l)]; });
      return row;
    });
    const accuracy = Object.fromEntries(rows.map((label, r) => [label, counts[r][columns.indexOf(label)] / counts[r].reduce((a: number, b: number) => a + b, 0)]));
    return { rows, columns, counts, accuracy };
  }

  /** The classifier as JSON (labels, threshold, feature settings, each mixture and its component labels). */
  toJSON(): { kind: 'Sgma'; version: 1; labels: string[]; threshold: number; features: { l: number[]; species: string[] }; models: { element: number | null; mixture: unknown; componentLabels: number[] }[] } {
    return {
      kind: 'Sgma', version: 1, labels: [...this.labels], threshold: this.threshold, features: { l: [...this.features.l], species: [...this.features.species] },
      models: this.models.map((m) => ({ element: m.element, mixture: m.mixture.toJSON(), componentLabels: Array.from(m.componentLabels) })),
    };
  }

  /** The classifier {@link toJSON} wrote. */
  static fromJSON(json: unknown): Sgma {
    const j = json as ReturnType<Sgma['toJSON']>;
    if (j === null || typeof j !== 'object' || j.kind !== 'Sgma' || j.version !== 1 || !Array.isArray(j.labels) || !Array.isArray(j.models) || j.models.length === 0) {
      throw new PolymorphError('E_VALUE', 'Sgma.fromJSON: not an Sgma classifier (kind, version 1, labels, models)');
    }
    const models = j.models.map((m) => {
      const mixture = GaussianMixture.fromJSON(m.mixture);
      const componentLabels = Int32Array.from(m.componentLabels);
      if (componentLabels.length !== mixture.weights.length || componentLabels.some((k) => !(k >= 0 && k < j.labels.length))) {
        throw new PolymorphError('E_VALUE', 'Sgma.fromJSON: component labels do not match the mixture');
      }
      return { element: m.element, mixture, componentLabels };
    });
    return new Sgma([...j.labels], j.threshold, featureSettings(j.features as SgmaFeatureOptions), models);
  }
}

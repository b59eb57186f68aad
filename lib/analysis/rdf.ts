/**
 * Radial distribution functions, total and partial, averaged over frames; coordination numbers;
 * static structure factors from g(r) (Faber–Ziman partials, Bhatia–Thornton). The pair counting is
 * C++ (`native/core/pair_histogram.hpp`).
 * @module
 */
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import { checkOptions } from '../core/options';
import { callNativeQueued } from '../core/threads';
import { chemicalSymbol } from '../structure/elements';
import type { Structure } from '../structure/structure';
import { eachFrame, eachFrameAsync, type Frames, type SyncFrames } from './frames';
import { bhatiaThorntonFromPartials } from './structure-factor';

/** Options of {@link rdf}. */
export interface RdfOptions {
  /** Largest distance (Å). */
  rMax: number;
  /** Number of bins of width rMax / bins (default 200). */
  bins?: number;
}

/** Options of {@link RadialDistribution.structureFactor}. */
export interface StructureFactorOptions {
  /** Window on the transform: 'lorch' (sin(πr/r_max)/(πr/r_max), default: damps truncation ripples) or 'none'. */
  window?: 'lorch' | 'none';
}

/** How a {@link RadialDistribution} was normalised: by the cell ('periodic') or by a uniform sphere ('open'). */
export type RdfKind = 'periodic' | 'open';

/**
 * g(r) of one or more frames (see {@link rdf}): bins, counts and the normalisations, with the
 * quantities derived from them. Pair names are 'A-B' with the elements in increasing atomic
 * number ('O-Zn'); `pair` arguments accept either order.
 */
export class RadialDistribution {
  /** Bin edges (Å), bins + 1. */
  readonly edges: Float64Array;
  /** Bin centres (Å). */
  readonly r: Float64Array;
  /** Total g(r). */
  readonly g: Float64Array;
  /** Partial g_ab(r) by pair name. */
  readonly partial: Record<string, Float64Array>;
  /** Frames averaged. */
  readonly frames: number;
  /** Mean number density (atoms/Å³; periodic frames only, NaN for open clusters). */
  readonly density: number;
  /** Atomic fraction of each element. */
  readonly concentrations: Record<string, number>;
  /** 'periodic' (normalised by the cell volume) or 'open' (by the pair distances of a uniform sphere). */
  readonly kind: RdfKind;

  /** @internal */
  constructor(edges: Float64Array, g: Float64Array, partial: Record<string, Float64Array>, private readonly pairCounts: Record<string, Float64Array>,
    private readonly atoms: Record<string, number>, frames: number, density: number, kind: RdfKind) {
    this.edges = edges;
    this.r = Float64Array.from({ length: edges.length - 1 }, (_, k) => 0.5 * (edges[k] + edges[k + 1]));
    this.g = g;
    this.partial = partial;
    this.frames = frames;
    this.density = density;
    const total = Object.values(atoms).reduce((a, b) => a + b, 0);
    this.concentrations = Object.fromEntries(Object.entries(atoms).map(([e, n]) => [e, n / total]));
    this.kind = kind;
  }

  private key(pair: string | undefined): string {
    if (pair === undefined) return 'all';
    const parts = String(pair).split('-');
    if (parts.length === 2) {
      for (const name of [`${parts[0]}-${parts[1]}`, `${parts[1]}-${parts[0]}`]) if (name in this.partial) return name;
    }
    throw new PolymorphError('E_VALUE', `unknown pair '${String(pair)}'; the pairs are ${Object.keys(this.partial).join(', ')}`);
  }

  private curve(pair: string | undefined): Float64Array {
    const key = this.key(pair);
    return key === 'all' ? this.g : this.partial[key];
  }

  /**
   * Position of the first minimum of g (or g_ab) after its highest peak (Å): the first
   * coordination shell's outer edge (a three-bin running mean smooths counting noise).
   */
  firstMinimum(pair?: string): number {
    const g = this.curve(pair);
    const n = g.length;
    const smooth = Float64Array.from(g, (_, k) => (g[Math.max(k - 1, 0)] + g[k] + g[Math.min(k + 1, n - 1)]) / 3);
    let peak = 0;
    for (let k = 1; k < n; ++k) if (smooth[k] > smooth[peak]) peak = k;
    for (let k = peak + 1; k < n - 1; ++k) if (smooth[k] <= smooth[k - 1] && smooth[k] < smooth[k + 1]) return this.r[k];
    throw new PolymorphError('E_VALUE', `no minimum of g after its peak at ${this.r[peak].toFixed(3)} Å within rMax: increase rMax`);
  }

  /**
   * Mean number of neighbours within `cutoff` (Å; default the first minimum) of an atom: of any
   * element, or for `pair` 'A-B' the number of B atoms around an A atom. Counted from the pairs
   * themselves (exact for open clusters too), up to the last bin edge ≤ cutoff.
   */
  coordinationNumber(pair?: string, cutoff?: number): number {
    const key = this.key(pair);
    const rc = cutoff ?? this.firstMinimum(pair);
    const counts = this.pairCounts[key];
    let pairs = 0;
    for (let k = 0; k < counts.length && this.edges[k + 1] <= rc + 1e-12; ++k) pairs += counts[k];
    if (key === 'all') return (2 * pairs) / Object.values(this.atoms).reduce((a, b) => a + b, 0);
    const [a, b] = key.split('-');
    const of = pair !== undefined && pair.split('-')[0] === b && a !== b ? b : a;
    return (a === b ? 2 * pairs : pairs) / this.atoms[of];
  }

  /**
   * S(q) from g(r) (periodic frames): S(q) = 1 + 4πρ ∫₀^rMax r² (g(r) − 1) sin(qr)/(qr) W(r) dr;
   * with `pair` the Faber–Ziman partial S_ab(q) from g_ab. `q` in Å⁻¹.
   */
  structureFactor(q: ArrayLike<number>, pair?: string, options: StructureFactorOptions = {}): Float64Array {
    if (this.kind !== 'periodic') throw new PolymorphError('E_CELL', 'structureFactor from g(r) needs periodic frames (a number density)');
    const o = checkOptions(options, ['window'], 'structureFactor');
    const window = o.window ?? 'lorch';
    if (window !== 'lorch' && window !== 'none') throw new PolymorphError('E_VALUE', `structureFactor: window must be 'lorch' or 'none', got ${String(window)}`);
    const g = this.curve(pair);
    const rMax = this.edges[this.edges.length - 1];
    return Float64Array.from(q, (qv) => {
      let sum = 0;
      for (let k = 0; k < g.length; ++k) {
        const r = this.r[k], dr = this.edges[k + 1] - this.edges[k];
        const x = qv * r;
        const sinc = x === 0 ? 1 : Math.sin(x) / x;
        const w = window === 'lorch' ? Math.sin((Math.PI * r) / rMax) / ((Math.PI * r) / rMax) : 1;
        sum += r * r * (g[k] - 1) * sinc * w * dr;
      }
      return 1 + 4 * Math.PI * this.density * sum;
    });
  }

  /**
   * Bhatia–Thornton structure factors of a binary system (elements A < B by atomic number) from
   * the Faber–Ziman partials: S_NN = c_A²S_AA + c_B²S_BB + 2c_Ac_BS_AB,
   * S_NC = c_Ac_B[c_A(S_AA − S_AB) − c_B(S_BB − S_AB)], S_CC = c_Ac_B[1 + c_Ac_B(S_AA + S_BB − 2S_AB)]
   * (Bhatia & Thornton, Phys. Rev. B 2, 3004 (1970)); an ideal random mixture gives 1, 0, c_Ac_B.
   */
  bhatiaThornton(q: ArrayLike<number>, options: StructureFactorOptions = {}): { nn: Float64Array; nc: Float64Array; cc: Float64Array } {
    const elements = Object.keys(this.atoms);
    if (elements.length !== 2) throw new PolymorphError('E_VALUE', `bhatiaThornton needs exactly two elements, got ${elements.join(', ')}`);
    const [A, B] = elements;
    const aa = this.structureFactor(q, `${A}-${A}`, options), bb = this.structureFactor(q, `${B}-${B}`, options), ab = this.structureFactor(q, `${A}-${B}`, options);
    return bhatiaThorntonFromPartials(this.concentrations[A], this.concentrations[B], aa, bb, ab);
  }
}

/** CDF of the distance between two points uniform in a sphere of radius R. */
function sphereDistanceCdf(r: number, R: number): number {
  if (r >= 2 * R) return 1;
  const x = r / R;
  return x ** 3 - (9 / 16) * x ** 4 + x ** 6 / 32;
}

/** Accumulates frames: pair counts and their ideal-gas expectations per pair name. */
class Accumulator {
  readonly counts: Record<string, Float64Array> = {};
  readonly expected: Record<string, Float64Array> = {};
  readonly atoms: Record<string, number> = {};
  frames = 0;
  volume = 0;
  atomsSeen = 0;
  kind: RdfKind | undefined;
  readonly edges: Float64Array;

  constructor(readonly rMax: number, readonly bins: number) {
    this.edges = Float64Array.from({ length: bins + 1 }, (_, k) => (rMax * k) / bins);
  }

  prepare(s: Structure, copy: boolean): { args: [Float64Array, Int32Array, number, Float64Array | null, boolean[], number, number]; elements: number[] } {
    if (s.length === 0) throw new PolymorphError('E_EMPTY', 'rdf: a frame has no atoms');
    const elements = [...new Set(s.numbers)].sort((a, b) => a - b);
    const types = Int32Array.from(s.numbers, (z) => elements.indexOf(z));
    const periodic = s.pbc.every((p) => p);
    if (!periodic && s.pbc.some((p) => p)) throw new PolymorphError('E_CELL', 'rdf: frames must be periodic in all three directions or open');
    const kind: RdfKind = periodic ? 'periodic' : 'open';
    if (this.kind !== undefined && this.kind !== kind) throw new PolymorphError('E_VALUE', 'rdf: periodic and open frames cannot be averaged together');
    this.kind = kind;
    const positions = flatFloat64(s.positions);
    const cell = periodic ? flatFloat64(s.cell!) : null;
    return { args: [copy ? Float64Array.from(positions) : positions, types, elements.length, cell && copy ? Float64Array.from(cell) : cell, [...s.pbc], this.rMax, this.bins], elements };
  }

  add(s: Structure, elements: number[], histogram: Float64Array): void {
    const T = elements.length, bins = this.bins;
    const symbols = elements.map((z) => chemicalSymbol(z));
    const n = elements.map((z) => s.numbers.filter((x) => x === z).length);
    // Expected unordered pairs per bin for N_a·N_b (or N_a(N_a−1)/2) pairs: periodic, the shell's
    // share of the cell; open, the pair-distance distribution of a uniform sphere of the cluster's
    // radius √(5/3)·R_g.
    let share: (k: number) => number;
    if (this.kind === 'periodic') {
      const volume = s.volume;
      this.volume += volume;
      share = (k) => ((4 / 3) * Math.PI * (this.edges[k + 1] ** 3 - this.edges[k] ** 3)) / volume;
    } else {
      const p = s.positions;
      const c = [0, 1, 2].map((a) => { let t = 0; for (let i = 0; i < s.length; ++i) t += p.get(i, a); return t / s.length; });
      let rg2 = 0;
      for (let i = 0; i < s.length; ++i) rg2 += (p.get(i, 0) - c[0]) ** 2 + (p.get(i, 1) - c[1]) ** 2 + (p.get(i, 2) - c[2]) ** 2;
      const R = Math.sqrt((5 / 3) * (rg2 / s.length));
      share = (k) => sphereDistanceCdf(this.edges[k + 1], R) - sphereDistanceCdf(this.edges[k], R);
    }
    const shares = Float64Array.from({ length: bins }, (_, k) => share(k));
    const add = (name: string, pairs: number, counts: (k: number) => number): void => {
      const c = (this.counts[name] ??= new Float64Array(bins)), e = (this.expected[name] ??= new Float64Array(bins));
      for (let k = 0; k < bins; ++k) c[k] += counts(k), e[k] += pairs * shares[k];
    };
    for (let a = 0; a < T; ++a) {
      for (let b = a; b < T; ++b) {
        const base = (a * T + b) * bins;
        add(`${symbols[a]}-${symbols[b]}`, a === b ? (n[a] * (n[a] - 1)) / 2 : n[a] * n[b], (k) => histogram[base + k]);
      }
      this.atoms[symbols[a]] = (this.atoms[symbols[a]] ?? 0) + n[a];
    }
    add('all', (s.length * (s.length - 1)) / 2, (k) => { let t = 0; for (let a = 0; a < T; ++a) for (let b = a; b < T; ++b) t += histogram[(a * T + b) * bins + k]; return t; });
    this.atomsSeen += s.length;
    ++this.frames;
  }

  result(): RadialDistribution {
    const ratio = (name: string): Float64Array => Float64Array.from(this.counts[name], (c, k) => (this.expected[name][k] > 0 ? c / this.expected[name][k] : 0));
    const partial: Record<string, Float64Array> = {};
    const pairCounts: Record<string, Float64Array> = {};
    for (const name of Object.keys(this.counts)) {
      pairCounts[name] = Float64Array.from(this.counts[name], (c) => c / this.frames);
      if (name !== 'all') partial[name] = ratio(name);
    }
    const atoms = Object.fromEntries(Object.entries(this.atoms).map(([e, n]) => [e, n / this.frames]));
    const density = this.kind === 'periodic' ? this.atomsSeen / this.volume : Number.NaN;
    return new RadialDistribution(this.edges, ratio('all'), partial, pairCounts, atoms, this.frames, density, this.kind!);
  }
}

function accumulator(options: RdfOptions): Accumulator {
  const o = checkOptions(options, ['rMax', 'bins'], 'rdf');
  if (!(typeof o.rMax === 'number' && Number.isFinite(o.rMax) && o.rMax > 0)) throw new PolymorphError('E_VALUE', `rdf: rMax must be a positive number of Å, got ${String(o.rMax)}`);
  const bins = o.bins ?? 200;
  if (!(Number.isInteger(bins) && bins > 0 && bins <= 1e6)) throw new PolymorphError('E_VALUE', `rdf: bins must be a positive integer, got ${String(bins)}`);
  return new Accumulator(o.rMax, bins);
}

/**
 * Radial distribution function g(r), total and partial g_ab(r), averaged over frames. Periodic
 * frames are normalised by the cell (counts over the ideal-gas expectation N_aN_b·shell/V, with
 * N_a(N_a−1)/2 pairs for a = b, so that an ideal gas gives exactly 1; pairs through periodic images
 * count, so rMax may exceed half the cell). Open clusters (droplets) are normalised by the
 * distance distribution of a uniform sphere of the cluster's radius √(5/3)·R_g, so that g → 1 over
 * the droplet instead of decaying with the droplet's finite size. Frames are averaged by summing
 * counts and expectations (NPT frames of different volumes average correctly).
 * @example
 * const g = rdf(read('liquid.xyz'), { rMax: 10, bins: 200 });
 * g.partial['O-Zn'];                 // g_ZnO(r)
 * g.coordinationNumber('Zn-O');      // O around Zn, to the first minimum
 */
export function rdf(frames: SyncFrames, options: RdfOptions): RadialDistribution {
  const acc = accumulator(options);
  eachFrame(frames, 'rdf', (s) => {
    const { args, elements } = acc.prepare(s, false);
    acc.add(s, elements, callNative((a) => a.pairHistogram(...args)));
  });
  return acc.result();
}

/** {@link rdf} for any frame source, including async iterables (`iread`): frames are streamed, one at a time. */
export async function rdfAsync(frames: Frames, options: RdfOptions): Promise<RadialDistribution> {
  const acc = accumulator(options);
  await eachFrameAsync(frames, 'rdf', async (s) => {
    let elements: number[] = [];
    const histogram = await callNativeQueued(() => { const p = acc.prepare(s, true); elements = p.elements; return p.args; }, (a, args) => a.pairHistogramAsync(...args), (h) => h);
    acc.add(s, elements, histogram);
  });
  return acc.result();
}

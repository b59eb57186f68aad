/**
 * Static structure factors summed directly over the reciprocal-lattice vectors of periodic frames
 * (no g(r), no truncation ripples; exact Bragg peaks for crystals): total S(q), partials
 * (Ashcroft–Langreth and Faber–Ziman), Bhatia–Thornton. The sums over vectors and atoms are C++
 * (`native/core/structure_factor.hpp`).
 * @module
 */
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeStructureFactorSums } from '../core/native-types';
import { checkOptions } from '../core/options';
import { callNativeQueued } from '../core/threads';
import { chemicalSymbol } from '../structure/elements';
import type { Structure } from '../structure/structure';
import { eachFrame, eachFrameAsync, type Frames, type SyncFrames } from './frames';

/** Options of {@link structureFactor}. */
export interface DirectStructureFactorOptions {
  /** Largest |k| (Å⁻¹). */
  qMax: number;
  /** Smallest |k| (Å⁻¹; default 0; k = 0, the forward beam, is never included). */
  qMin?: number;
  /** Bins of width (qMax − qMin) / bins (default 100). */
  bins?: number;
  /**
   * Use about this many k-vectors per bin and frame (default: every vector). Each vector of a bin
   * holding M of them is kept with probability vectorsPerBin / M, decided by a hash of its Miller
   * indices and `seed`: the same vectors for every frame of one cell. The number of vectors grows
   * as (qMax·L)³ and each costs a pass over the atoms: sample for large cells and large qMax.
   */
  vectorsPerBin?: number;
  /** Seed of the sampling (default 0). */
  seed?: number;
}

/**
 * The Bhatia–Thornton structure factors of a binary system (concentrations cA, cB) from its
 * Faber–Ziman partials: S_NN = c_A²S_AA + c_B²S_BB + 2c_Ac_BS_AB,
 * S_NC = c_Ac_B[c_A(S_AA − S_AB) − c_B(S_BB − S_AB)], S_CC = c_Ac_B[1 + c_Ac_B(S_AA + S_BB − 2S_AB)]
 * (Bhatia & Thornton, Phys. Rev. B 2, 3004 (1970)); an ideal random mixture gives 1, 0, c_Ac_B.
 * @internal
 */
export function bhatiaThorntonFromPartials(ca: number, cb: number, aa: Float64Array, bb: Float64Array, ab: Float64Array): { nn: Float64Array; nc: Float64Array; cc: Float64Array } {
  return {
    nn: Float64Array.from(aa, (_, k) => ca * ca * aa[k] + cb * cb * bb[k] + 2 * ca * cb * ab[k]),
    nc: Float64Array.from(aa, (_, k) => ca * cb * (ca * (aa[k] - ab[k]) - cb * (bb[k] - ab[k]))),
    cc: Float64Array.from(aa, (_, k) => ca * cb * (1 + ca * cb * (aa[k] + bb[k] - 2 * ab[k]))),
  };
}

/**
 * S(q) of one or more periodic frames (see {@link structureFactor}). Pair names are 'A-B' with the
 * elements in increasing atomic number ('O-Zn'); `pair` arguments accept either order. Bins
 * without a k-vector hold NaN.
 */
export class StructureFactor {
  /** Bin edges (Å⁻¹), bins + 1. */
  readonly edges: Float64Array;
  /** Bin centres (Å⁻¹). */
  readonly q: Float64Array;
  /** Mean |k| of the vectors in each bin (Å⁻¹): where the bin's value is sampled. */
  readonly qMean: Float64Array;
  /** k-vectors summed per bin (over frames; one of each ±k pair). */
  readonly vectors: Float64Array;
  /** Total S(q) = ⟨|Σ_j e^{ik·r_j}|²⟩ / N (1 for an ideal gas, N at a Bragg peak of a crystal). */
  readonly s: Float64Array;
  /** Faber–Ziman partials S_ab(q) = 1 + (S^AL_ab − δ_ab)/√(c_a c_b) by pair name (→ 1 at large q). */
  readonly partial: Record<string, Float64Array>;
  /** Ashcroft–Langreth partials S_ab(q) = ⟨Re ρ_a ρ_b*⟩ / √(N_a N_b) by pair name (Σ_ab √(c_a c_b) S_ab = S). */
  readonly ashcroftLangreth: Record<string, Float64Array>;
  /** Frames averaged. */
  readonly frames: number;
  /** Atomic fraction of each element. */
  readonly concentrations: Record<string, number>;

  /** @internal */
  constructor(edges: Float64Array, vectors: Float64Array, qSum: Float64Array, total: Float64Array, al: Record<string, Float64Array>, concentrations: Record<string, number>, frames: number) {
    this.edges = edges;
    this.q = Float64Array.from({ length: edges.length - 1 }, (_, k) => 0.5 * (edges[k] + edges[k + 1]));
    this.vectors = vectors;
    const mean = (sum: Float64Array): Float64Array => Float64Array.from(sum, (x, k) => (vectors[k] > 0 ? x / vectors[k] : Number.NaN));
    this.qMean = mean(qSum);
    this.s = mean(total);
    this.ashcroftLangreth = Object.fromEntries(Object.entries(al).map(([name, sum]) => [name, mean(sum)]));
    this.partial = Object.fromEntries(Object.entries(this.ashcroftLangreth).map(([name, s]) => {
      const [a, b] = name.split('-');
      const norm = Math.sqrt(concentrations[a] * concentrations[b]);
      return [name, Float64Array.from(s, (x) => 1 + (x - (a === b ? 1 : 0)) / norm)];
    }));
    this.frames = frames;
    this.concentrations = concentrations;
  }

  private key(pair: string): string {
    const parts = String(pair).split('-');
    if (parts.length === 2) {
      for (const name of [`${parts[0]}-${parts[1]}`, `${parts[1]}-${parts[0]}`]) if (name in this.partial) return name;
    }
    throw new PolymorphError('E_VALUE', `unknown pair '${String(pair)}'; the pairs are ${Object.keys(this.partial).join(', ')}`);
  }

  /** The Faber–Ziman partial of `pair` ('A-B' in either order). */
  partialOf(pair: string): Float64Array {
    return this.partial[this.key(pair)];
  }

  /**
   * Bhatia–Thornton number–number, number–concentration and concentration–concentration
   * structure factors of a binary system (elements A < B by atomic number), from the Faber–Ziman
   * partials.
   */
  bhatiaThornton(): { nn: Float64Array; nc: Float64Array; cc: Float64Array } {
    const elements = Object.keys(this.concentrations);
    if (elements.length !== 2) throw new PolymorphError('E_VALUE', `bhatiaThornton needs exactly two elements, got ${elements.join(', ')}`);
    const [A, B] = elements;
    return bhatiaThorntonFromPartials(this.concentrations[A], this.concentrations[B], this.partialOf(`${A}-${A}`), this.partialOf(`${B}-${B}`), this.partialOf(`${A}-${B}`));
  }
}

type NativeArgs = [Float64Array, Int32Array, number, Float64Array, number, number, number, number, number];

/** Accumulates frames: per bin, vectors, Σ|k|, Σ|ρ|²/N and Σ Re(ρ_a conj(ρ_b))/√(N_a N_b). */
class Accumulator {
  readonly edges: Float64Array;
  readonly vectors: Float64Array;
  readonly qSum: Float64Array;
  readonly total: Float64Array;
  readonly al: Record<string, Float64Array> = {};
  elements: number[] | undefined;
  readonly atoms: Record<string, number> = {};
  frames = 0;

  constructor(readonly qMin: number, readonly qMax: number, readonly bins: number, readonly vectorsPerBin: number, readonly seed: number) {
    this.edges = Float64Array.from({ length: bins + 1 }, (_, k) => qMin + ((qMax - qMin) * k) / bins);
    this.vectors = new Float64Array(bins);
    this.qSum = new Float64Array(bins);
    this.total = new Float64Array(bins);
  }

  prepare(s: Structure, copy: boolean): NativeArgs {
    if (s.length === 0) throw new PolymorphError('E_EMPTY', 'structureFactor: a frame has no atoms');
    if (!s.pbc.every((p) => p) || s.cell === null) throw new PolymorphError('E_CELL', 'structureFactor: the direct structure factor needs frames periodic in all three directions (use rdf(...).structureFactor for clusters)');
    const elements = [...new Set(s.numbers)].sort((a, b) => a - b);
    if (this.elements === undefined) this.elements = elements;
    else if (elements.join(',') !== this.elements.join(',')) throw new PolymorphError('E_VALUE', `structureFactor: every frame must hold the same elements (${this.elements.map(chemicalSymbol).join(', ')}), frame ${this.frames} has ${elements.map(chemicalSymbol).join(', ')}`);
    const species = Int32Array.from(s.numbers, (z) => elements.indexOf(z));
    const positions = flatFloat64(s.positions), cell = flatFloat64(s.cell);
    return [copy ? Float64Array.from(positions) : positions, species, elements.length, copy ? Float64Array.from(cell) : cell, this.qMin, this.qMax, this.bins, this.vectorsPerBin, this.seed];
  }

  add(s: Structure, sums: NativeStructureFactorSums): void {
    const elements = this.elements!, T = elements.length, bins = this.bins;
    const symbols = elements.map((z) => chemicalSymbol(z));
    const n = elements.map((z) => s.numbers.filter((x) => x === z).length);
    const P = (T * (T + 1)) / 2;
    for (let k = 0; k < bins; ++k) {
      this.vectors[k] += sums.vectors[k];
      this.qSum[k] += sums.qSum[k];
      let m = 0, all = 0;
      for (let a = 0; a < T; ++a) {
        for (let b = a; b < T; ++b, ++m) {
          const product = sums.products[k * P + m];
          all += (a === b ? 1 : 2) * product;
          const name = `${symbols[a]}-${symbols[b]}`;
          (this.al[name] ??= new Float64Array(bins))[k] += product / Math.sqrt(n[a] * n[b]);
        }
      }
      this.total[k] += all / s.length;
    }
    symbols.forEach((e, a) => { this.atoms[e] = (this.atoms[e] ?? 0) + n[a]; });
    ++this.frames;
  }

  result(): StructureFactor {
    const total = Object.values(this.atoms).reduce((a, b) => a + b, 0);
    const concentrations = Object.fromEntries(Object.entries(this.atoms).map(([e, n]) => [e, n / total]));
    return new StructureFactor(this.edges, this.vectors, this.qSum, this.total, this.al, concentrations, this.frames);
  }
}

function accumulator(options: DirectStructureFactorOptions): Accumulator {
  const o = checkOptions(options, ['qMax', 'qMin', 'bins', 'vectorsPerBin', 'seed'], 'structureFactor');
  const qMin = o.qMin ?? 0, bins = o.bins ?? 100, vectorsPerBin = o.vectorsPerBin ?? 0, seed = o.seed ?? 0;
  if (!(typeof o.qMax === 'number' && Number.isFinite(o.qMax) && o.qMax > 0)) throw new PolymorphError('E_VALUE', `structureFactor: qMax must be a positive number of 1/Å, got ${String(o.qMax)}`);
  if (!(typeof qMin === 'number' && Number.isFinite(qMin) && qMin >= 0 && qMin < o.qMax)) throw new PolymorphError('E_VALUE', `structureFactor: qMin must be in [0, qMax), got ${String(o.qMin)}`);
  if (!(Number.isInteger(bins) && bins > 0 && bins <= 1e6)) throw new PolymorphError('E_VALUE', `structureFactor: bins must be a positive integer, got ${String(o.bins)}`);
  if (!(typeof vectorsPerBin === 'number' && Number.isFinite(vectorsPerBin) && vectorsPerBin >= 0)) throw new PolymorphError('E_VALUE', `structureFactor: vectorsPerBin must be a non-negative number (0: all), got ${String(o.vectorsPerBin)}`);
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new PolymorphError('E_VALUE', `structureFactor: seed must be a non-negative integer, got ${String(o.seed)}`);
  return new Accumulator(qMin, o.qMax, bins, vectorsPerBin, seed);
}

/**
 * The static structure factor of periodic frames by direct summation over reciprocal-lattice
 * vectors k = h₁b₁ + h₂b₂ + h₃b₃ of each frame's cell (any triclinic cell): S(k) =
 * |Σ_j e^{ik·r_j}|²/N, averaged over the vectors in each |k| bin and over frames, with the
 * partials of every species pair. Unlike the transform of g(r) ({@link RadialDistribution.structureFactor})
 * it has no truncation ripples and resolves Bragg peaks, but only at the |k| the cell allows
 * (spacing 2π/L: small q needs a large cell). Frames may be NPT frames of different cells.
 * @example
 * const sq = structureFactor(read('liquid.xyz', { index: ':' }), { qMax: 12, bins: 120 });
 * sq.s;                     // total S(q) at sq.qMean
 * sq.partialOf('Zn-O');     // Faber–Ziman partial
 * sq.bhatiaThornton().cc;   // concentration–concentration
 */
export function structureFactor(frames: SyncFrames, options: DirectStructureFactorOptions): StructureFactor {
  const acc = accumulator(options);
  eachFrame(frames, 'structureFactor', (s) => {
    const args = acc.prepare(s, false);
    acc.add(s, callNative((a) => a.structureFactorSums(...args)));
  });
  return acc.result();
}

/** {@link structureFactor} for any frame source, including async iterables (`iread`): frames are streamed, one at a time. */
export async function structureFactorAsync(frames: Frames, options: DirectStructureFactorOptions): Promise<StructureFactor> {
  const acc = accumulator(options);
  await eachFrameAsync(frames, 'structureFactor', async (s) => {
    const sums = await callNativeQueued(() => acc.prepare(s, true), (a, args) => a.structureFactorSumsAsync(...args), (raw) => raw);
    acc.add(s, sums);
  });
  return acc.result();
}

/**
 * Common neighbour analysis (CNA): per-atom labels fcc, hcp, bcc, icosahedral or other, and the
 * per-bond (n_cn, n_b, n_lcb) signatures behind them. The kernel is C++ (`native/core/cna.hpp`).
 * @module
 */
import ndarray, { type NdArray } from 'ndarray';
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeCna } from '../core/native-types';
import { checkOptions } from '../core/options';
import { callNativeQueued } from '../core/threads';
import { Structure } from '../structure/structure';

/** The labels of {@link cna}, in the order of their codes. */
export const cnaLabels = ['other', 'fcc', 'hcp', 'bcc', 'ico'] as const;
/** A CNA label: `'ico'` is icosahedral. */
export type CnaLabel = (typeof cnaLabels)[number];

/**
 * Options of {@link cna}: `{ adaptive: true }` (the default; Stukowski's a-CNA, a cutoff per atom
 * from its own 12 or 14 nearest neighbours) or `{ cutoff }` (one cutoff in Å for every atom and
 * bond, as LAMMPS `compute cna/atom`; put it between the first and second shells of fcc/hcp, or
 * between the second and third of bcc).
 */
export interface CnaOptions {
  adaptive?: boolean;
  cutoff?: number;
}

/** What {@link cna} returns. */
export interface CnaResult {
  /** Label of each atom. */
  labels: CnaLabel[];
  /** Index of each atom's label in {@link cnaLabels} (0 other, 1 fcc, 2 hcp, 3 bcc, 4 ico). */
  codes: Uint8Array;
  /** Atoms per label. */
  counts: Record<CnaLabel, number>;
  /**
   * The bonds analysed for each atom (adaptive: those of the 12-neighbour analysis, or of the
   * 14-neighbour one for bcc atoms): atom i's are rows rowPtr[i] … rowPtr[i+1]−1 of `neighbors`
   * (the other atom) and `signatures` [M, 3] (n_cn common neighbours, n_b bonds among them, n_lcb
   * bonds in their largest cluster).
   */
  bonds: { rowPtr: Int32Array; neighbors: Int32Array; signatures: NdArray<Int32Array> };
  /** The bond cutoff used for each atom (Å; NaN for an adaptive atom with fewer than 12 neighbours). */
  cutoffs: Float64Array;
}

type Args = [Float64Array, Float64Array | null, boolean[], { adaptive: boolean; cutoff: number }];

function prepare(structure: Structure, options: CnaOptions, copy: boolean): Args {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'cna: expected a Structure');
  const o = checkOptions(options, ['adaptive', 'cutoff'], 'cna');
  if (o.adaptive !== undefined && typeof o.adaptive !== 'boolean') throw new PolymorphError('E_TYPE', 'cna: adaptive must be a boolean');
  if (o.cutoff !== undefined && o.adaptive === true) throw new PolymorphError('E_VALUE', 'cna: give { adaptive: true } or { cutoff }, not both');
  const adaptive = o.cutoff === undefined ? (o.adaptive ?? true) : false;
  if (!adaptive && !(typeof o.cutoff === 'number' && Number.isFinite(o.cutoff) && o.cutoff > 0)) {
    throw new PolymorphError('E_VALUE', `cna: without adaptive, give a cutoff > 0 Å, got ${String(o.cutoff)}`);
  }
  const positions = flatFloat64(structure.positions);
  const cell = structure.cell ? flatFloat64(structure.cell) : null;
  return [copy ? Float64Array.from(positions) : positions, cell && copy ? Float64Array.from(cell) : cell, [...structure.pbc], { adaptive, cutoff: adaptive ? 0 : o.cutoff! }];
}

function result(raw: NativeCna): CnaResult {
  const counts = Object.fromEntries(cnaLabels.map((l) => [l, 0])) as Record<CnaLabel, number>;
  const labels = Array.from(raw.labels, (c) => cnaLabels[c]);
  for (const l of labels) ++counts[l];
  return {
    labels, codes: raw.labels, counts, cutoffs: raw.cutoffs,
    bonds: { rowPtr: raw.rowPtr, neighbors: raw.neighbors, signatures: ndarray(raw.signatures, [raw.neighbors.length, 3]) },
  };
}

/**
 * Common neighbour analysis of a structure: fcc 12 × (4,2,1), hcp 6 × (4,2,1) + 6 × (4,2,2),
 * bcc 8 × (6,6,6) + 6 × (4,4,4), icosahedral 12 × (5,5,5), anything else `'other'`. Periodic
 * images come from the neighbour list, so cells thinner than the cutoff (a single unit cell, a
 * one-cell slab) and triclinic cells are analysed exactly; open clusters work too (surface atoms
 * are `'other'`). Results do not depend on the thread count.
 * @example
 * const { counts, labels } = cna(rattle(fcc('Cu', 3.61).repeat(6), 0.06));
 * counts.fcc; // ≥ 95 % of 864
 * cna(s, { cutoff: 3.0 }).labels; // one cutoff, as LAMMPS compute cna/atom
 */
export function cna(structure: Structure, options: CnaOptions = {}): CnaResult {
  const args = prepare(structure, options, false);
  return result(callNative((a) => a.commonNeighborAnalysis(...args)));
}

/** {@link cna} off the event loop (positions copied at the call). */
export function cnaAsync(structure: Structure, options: CnaOptions = {}): Promise<CnaResult> {
  return callNativeQueued(() => prepare(structure, options, true), (a, args) => a.commonNeighborAnalysisAsync(...args), (raw) => result(raw));
}

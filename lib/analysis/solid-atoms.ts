/**
 * Solid-like atoms by the ten Wolde bond criterion on normalised q_lm vectors (C++:
 * `native/core/solid_atoms.hpp`): the atoms a nucleus is made of.
 * @module
 */
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeSolidAtoms } from '../core/native-types';
import { checkOptions } from '../core/options';
import { callNativeQueued } from '../core/threads';
import { Structure } from '../structure/structure';

/** Options of {@link solidAtoms}. */
export interface SolidAtomsOptions {
  /** Neighbour cutoff (Å): the first minimum of g(r). */
  cutoff: number;
  /** Degree l of the bond vectors (default 6). */
  l?: number;
  /** Two neighbours are connected when Re Σ_m q̂_lm(i) q̂*_lm(j) exceeds this (default 0.5). */
  threshold?: number;
  /** An atom is solid with at least this many connected neighbours (default 7). */
  minBonds?: number;
}

/** What {@link solidAtoms} returns. */
export interface SolidAtomsResult {
  /** Per atom: solid-like (use as a mask for `clusters` or an MD group). */
  solid: boolean[];
  /** Indices of the solid-like atoms, ascending. */
  indices: Int32Array;
  /** Connected neighbours of each atom. */
  connections: Int32Array;
  /** Neighbours of each atom within the cutoff. */
  neighbors: Int32Array;
  /** q_l of each atom (NaN without neighbours). */
  ql: Float64Array;
}

type Args = [Float64Array, Float64Array | null, boolean[], { cutoff: number; l: number; threshold: number; minBonds: number }];

function prepare(structure: Structure, options: SolidAtomsOptions, copy: boolean): Args {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'solidAtoms: expected a Structure');
  const o = checkOptions(options, ['cutoff', 'l', 'threshold', 'minBonds'], 'solidAtoms');
  const l = o.l ?? 6, threshold = o.threshold ?? 0.5, minBonds = o.minBonds ?? 7;
  if (!(typeof o.cutoff === 'number' && Number.isFinite(o.cutoff) && o.cutoff > 0)) throw new PolymorphError('E_VALUE', `solidAtoms: cutoff must be a positive number of Å, got ${String(o.cutoff)}`);
  if (!(Number.isInteger(l) && l >= 1 && l <= 20)) throw new PolymorphError('E_VALUE', `solidAtoms: l must be an integer 1…20, got ${String(l)}`);
  if (!(typeof threshold === 'number' && threshold > -1 && threshold < 1)) throw new PolymorphError('E_VALUE', `solidAtoms: threshold must lie in (−1, 1), got ${String(threshold)}`);
  if (!(Number.isInteger(minBonds) && minBonds >= 1)) throw new PolymorphError('E_VALUE', `solidAtoms: minBonds must be a positive integer, got ${String(minBonds)}`);
  const positions = flatFloat64(structure.positions);
  const cell = structure.cell ? flatFloat64(structure.cell) : null;
  return [copy ? Float64Array.from(positions) : positions, cell && copy ? Float64Array.from(cell) : cell, [...structure.pbc], { cutoff: o.cutoff, l, threshold, minBonds }];
}

function result(raw: NativeSolidAtoms): SolidAtomsResult {
  const solid = Array.from(raw.solid, (v) => v === 1);
  return { solid, indices: Int32Array.from(solid.flatMap((v, i) => (v ? [i] : []))), connections: raw.connections, neighbors: raw.neighbors, ql: raw.ql };
}

/**
 * Solid-like atoms (ten Wolde, Ruiz-Montero & Frenkel 1996): each atom's normalised vector
 * q̂_lm(i) over its neighbours within `cutoff`; neighbours i, j are connected when
 * Re Σ_m q̂_lm(i) q̂*_lm(j) > threshold; an atom with at least minBonds connections is solid.
 * Crystals of any orientation score near 1 per bond, liquids rarely above 0.5. Identical results
 * for any thread count.
 * @example
 * const { solid } = solidAtoms(frame, { cutoff: 3.5 });
 * const { largest } = clusters(frame, solid, { cutoff: 3.5 }); // the nucleus
 */
export function solidAtoms(structure: Structure, options: SolidAtomsOptions): SolidAtomsResult {
  const args = prepare(structure, options, false);
  return result(callNative((a) => a.solidAtoms(...args)));
}

/** {@link solidAtoms} off the event loop (positions copied at the call). */
export function solidAtomsAsync(structure: Structure, options: SolidAtomsOptions): Promise<SolidAtomsResult> {
  return callNativeQueued(() => prepare(structure, options, true), (a, args) => a.solidAtomsAsync(...args), (raw) => result(raw));
}

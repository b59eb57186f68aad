/**
 * Internal: the one path from a TypeScript potential to its native evaluator. Every native
 * potential (Lennard-Jones, Buckingham, Coulomb, Ewald/PME, HDNNP, LinearPotential and their
 * sums) extends {@link NativePotential}: it builds its C++ evaluator once from checked
 * parameters (`evaluatorFor`), and `compute`/`computeAsync` hand the structure and an optional
 * shared {@link NeighborList} to that evaluator, with no JavaScript between the terms of a sum.
 * @module
 * @internal
 */
import ndarray from 'ndarray';
import { flatFloat64 } from '../core/arrays';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeEvaluation, NativeEvaluator, NativeListArgs, NativeSystem, NativeWant } from '../core/native-types';
import { withSummary } from '../core/inspect';
import { checkOptions } from '../core/options';
import { callNativeQueued } from '../core/threads';
import { NeighborList } from '../structure/neighbor-list';
import { Structure } from '../structure/structure';
import type { ComputeRequest, Potential, Results } from './potential';

/** The request keys every native potential accepts. */
export const requestKeys = ['forces', 'stress', 'atomEnergies', 'neighbors'] as const;

/** Arguments of one native evaluation. */
export interface EvaluationArgs {
  handle: NativeEvaluator;
  system: NativeSystem;
  want: NativeWant & { throwOnExtrapolation?: boolean };
  list: NativeListArgs | null;
  n: number;
}

/**
 * Base class of the native potentials. Subclasses give a name, a cutoff and `evaluatorFor`
 * (the native evaluator for a structure, usually the same for every structure); they may add
 * request keys and reshape results.
 */
export abstract class NativePotential implements Potential {
  /** Interaction cutoff, Å (0: none, or — for Ewald — see its parameters). */
  abstract readonly cutoff: number;

  /** Whether evaluations run natively (a sum only when all its terms do). @internal */
  get runsNatively(): boolean {
    return true;
  }

  /** Name used in error messages. @internal */
  protected abstract readonly potentialName: string;

  /** The native evaluator for `structure` (may depend on it, e.g. Ewald's α from N and V). @internal */
  abstract evaluatorFor(structure: Structure): NativeEvaluator;

  /** Extra request keys this potential accepts (besides forces, stress, atomEnergies, neighbors). @internal */
  protected extraRequestKeys(): readonly string[] {
    return [];
  }

  /** Native flags from the extra request keys. @internal */
  protected extraWant(_request: ComputeRequest): { throwOnExtrapolation?: boolean } {
    return {};
  }

  /**
   * Energy (eV) and, on request, forces (eV/Å), stress (eV/Å³, ASE sign) and per-atom energies
   * (eV). `neighbors` evaluates on a caller's list (a Verlet list with a skin, shared between
   * terms and reused between steps) instead of building one; it must cover this potential's
   * cutoff and be up to date (`list.needsRebuild(structure)` false), else `E_VALUE`.
   */
  compute(structure: Structure, want: ComputeRequest = {}): Results {
    const args = this.evaluationArgs(structure, want, false);
    return this.toResults(callNative((a) => a.evaluate(args.handle, args.system, args.want, args.list)), args, structure);
  }

  /**
   * {@link compute} off the event loop, queued behind other async native jobs. The positions,
   * cell, charges and list are copied when the call is made, so changing the structure (or
   * updating the list) before the promise settles does not change the result.
   */
  computeAsync(structure: Structure, want: ComputeRequest = {}): Promise<Results> {
    return callNativeQueued(() => this.evaluationArgs(structure, want, true),
      (a, args) => a.evaluateAsync(args.handle, args.system, args.want, args.list),
      (raw, args) => this.toResults(raw, args, structure));
  }

  /** Results from the native evaluation (ndarray views, no copies); subclasses add their extras. @internal */
  protected toResults(raw: NativeEvaluation, args: EvaluationArgs, _structure: Structure): Results {
    return shapeResults(raw, args.n);
  }

  /** Checked arguments of one evaluation. @internal */
  evaluationArgs(structure: Structure, want: ComputeRequest, copy: boolean): EvaluationArgs {
    const what = this.potentialName;
    if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', `${what}: expected a Structure`);
    const request = checkOptions(want, [...requestKeys, ...this.extraRequestKeys()], `${what}.compute`);
    const flag = (key: string): boolean => {
      const v = (request as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'boolean') throw new PolymorphError('E_TYPE', `${what}: want.${key} must be a boolean`);
      return v === true;
    };
    const nativeWant = { forces: flag('forces'), stress: flag('stress'), atomEnergies: flag('atomEnergies'), ...this.extraWant(request) };
    if (structure.length === 0) throw new PolymorphError('E_EMPTY', `${what}: the structure has no atoms`);
    const handle = this.evaluatorFor(structure);
    return { handle, system: systemOf(structure, copy), want: nativeWant, list: listArgs(request.neighbors, structure, what), n: structure.length };
  }
}

/** The structure as the addon reads it (views, or copies for async calls). @internal */
export function systemOf(s: Structure, copy: boolean): NativeSystem {
  const positions = flatFloat64(s.positions);
  const cell = s.cell ? flatFloat64(s.cell) : null;
  return {
    positions: copy ? Float64Array.from(positions) : positions,
    numbers: s.numbers,
    charges: s.charges,
    cell: cell && copy ? Float64Array.from(cell) : cell,
    pbc: [...s.pbc],
  };
}

/** The arrays of a caller's list, after checking that it serves this structure. @internal */
export function listArgs(list: unknown, s: Structure, what: string): NativeListArgs | null {
  if (list === undefined) return null;
  if (!(list instanceof NeighborList)) throw new PolymorphError('E_TYPE', `${what}: neighbors must be a NeighborList`);
  if (list.length !== s.length) {
    throw new PolymorphError('E_VALUE', `${what}: the neighbour list was built for ${list.length} atoms, the structure has ${s.length}`);
  }
  if (list.needsRebuild(s)) {
    throw new PolymorphError('E_VALUE', `${what}: the neighbour list is out of date (the cell changed, or an atom moved more than ` +
      `skin/2 = ${list.skin / 2} Å since it was built): call list.update(structure) first`);
  }
  return { rowPtr: list.rowPtr, neighbors: list.neighbors, shifts: list.shifts, cutoff: list.cutoff, full: list.full };
}

/** Native results of n atoms as {@link Results}. @internal */
export function shapeResults(raw: NativeEvaluation, n: number): Results {
  const out: Results = { energy: raw.energy };
  if (raw.forces) out.forces = ndarray(raw.forces, [n, 3]);
  if (raw.stress) out.stress = ndarray(raw.stress, [3, 3]);
  if (raw.atomEnergies) out.atomEnergies = raw.atomEnergies;
  return withSummary(out, 'Results');
}

/** The distinct atomic numbers of `numbers`, ascending. @internal */
export function presentElements(numbers: Int32Array): number[] {
  const seen = new Uint8Array(256);
  for (let i = 0; i < numbers.length; ++i) seen[numbers[i] & 255] = 1;
  const out: number[] = [];
  for (let z = 0; z < 256; ++z) if (seen[z]) out.push(z);
  return out;
}

/** Whether `p` is a native potential (its sums can run natively). @internal */
export function isNativePotential(p: Potential): p is NativePotential {
  return p instanceof NativePotential && p.runsNatively;
}

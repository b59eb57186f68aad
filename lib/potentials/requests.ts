/**
 * Internal: input checks and result shaping shared by the native potentials (Lennard-Jones,
 * Buckingham, Ewald, Coulomb). Not part of the public API.
 * @module
 * @internal
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import type { NativePotentialResult, NativeWant } from '../core/native-types';
import { atomicNumber } from '../structure/elements';
import type { ComputeRequest, Results } from './potential';
import { withSummary } from '../core/inspect';

/** The request with every flag a boolean; `E_TYPE` otherwise. `what` prefixes messages. */
export function checkRequest(want: ComputeRequest, what: string): NativeWant {
  if (typeof want !== 'object' || want === null) throw new PolymorphError('E_TYPE', `${what}: want must be an object like { forces: true }`);
  const flag = (key: keyof ComputeRequest): boolean => {
    const v = want[key];
    if (v !== undefined && typeof v !== 'boolean') throw new PolymorphError('E_TYPE', `${what}: want.${key} must be a boolean`);
    return v ?? false;
  };
  return { forces: flag('forces'), stress: flag('stress'), atomEnergies: flag('atomEnergies') };
}

/** Native results of n atoms as {@link Results} (ndarray views, no copies; a short `console.log` summary). */
export function toResults(raw: NativePotentialResult, n: number): Results {
  const out: Results = { energy: raw.energy };
  if (raw.forces) out.forces = ndarray(raw.forces, [n, 3]);
  if (raw.stress) out.stress = ndarray(raw.stress, [3, 3]);
  if (raw.atomEnergies) out.atomEnergies = raw.atomEnergies;
  return withSummary(out, 'Results');
}

/** `value` if it is a finite number > 0; else `E_VALUE` naming `what`. */
export function checkPositive(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new PolymorphError('E_VALUE', `${what} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

/** The key of an unordered pair of atomic numbers ('8-30' for O–Zn and Zn–O). */
export function pairKey(za: number, zb: number): string {
  return za <= zb ? `${za}-${zb}` : `${zb}-${za}`;
}

/**
 * Pair parameters keyed by element pair ('Zn-O' ≡ 'O-Zn') → checked parameters by
 * {@link pairKey}. `parse(p, what)` checks one entry; `what` prefixes messages and `example`
 * shows the expected form (e.g. "{ 'Zn-O': { A, rho, C } }").
 */
export function parsePairs<P, Q>(pairs: Record<string, P>, what: string, example: string,
  parse: (p: P, what: string) => Q): Map<string, Q> {
  if (typeof pairs !== 'object' || pairs === null) throw new PolymorphError('E_TYPE', `${what}: pairs must be an object like ${example}`);
  const out = new Map<string, Q>();
  const names = new Map<string, string>();
  for (const [name, p] of Object.entries(pairs)) {
    const parts = name.split('-').map((x) => x.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new PolymorphError('E_VALUE', `${what}: pair key '${name}' must name two elements, like 'Zn-O'`);
    }
    const key = pairKey(atomicNumber(parts[0]), atomicNumber(parts[1]));
    if (out.has(key)) throw new PolymorphError('E_VALUE', `${what}: pairs '${names.get(key)}' and '${name}' give the same pair twice`);
    out.set(key, parse(p, `${what}: pairs['${name}']`));
    names.set(key, name);
  }
  if (out.size === 0) throw new PolymorphError('E_VALUE', `${what}: pairs is empty`);
  return out;
}

/**
 * Internal: parameter checks shared by the native potentials (Lennard-Jones, Buckingham, Ewald,
 * Coulomb). Not part of the public API.
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';
import { atomicNumber } from '../structure/elements';

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

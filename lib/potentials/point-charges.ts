/**
 * Shared input handling of the point-charge potentials ({@link Ewald}, {@link Coulomb}):
 * charges per element or per atom.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import type { NativeChargeTable } from '../core/native-types';
import type { Structure } from '../structure/structure';

/** Charges by element symbol, in e, e.g. `{ Zn: 2, O: -2 }`. */
export type ChargeMap = Readonly<Record<string, number>>;

/** Checked charges by atomic number; `what` prefixes error messages (e.g. "Ewald"). */
export function parseChargeMap(charges: ChargeMap, what: string): Map<number, number> {
  if (typeof charges !== 'object' || charges === null || Array.isArray(charges)) {
    throw new PolymorphError('E_TYPE', `${what}: charges must be an object by element, like { Zn: 2, O: -2 } (e)`);
  }
  const out = new Map<number, number>();
  for (const [symbol, q] of Object.entries(charges)) {
    if (typeof q !== 'number' || !Number.isFinite(q)) {
      throw new PolymorphError('E_VALUE', `${what}: the charge of ${symbol} must be a finite number (e), got ${String(q)}`);
    }
    out.set(atomicNumber(symbol), q);
  }
  if (out.size === 0) throw new PolymorphError('E_VALUE', `${what}: charges is empty`);
  return out;
}

/**
 * Charges of the atoms (e): from `byElement` when given, else the structure's own per-atom
 * `charges`. Throws `E_ELEMENT` for an element without a charge, `E_VALUE` for missing or
 * non-finite charges. The result is a fresh array.
 */
export function atomCharges(structure: Structure, byElement: Map<number, number> | null, what: string): Float64Array {
  const n = structure.length;
  const out = new Float64Array(n);
  if (byElement) {
    for (let i = 0; i < n; ++i) {
      const q = byElement.get(structure.numbers[i]);
      if (q === undefined) {
        throw new PolymorphError('E_ELEMENT', `${what}: no charge for element ${chemicalSymbol(structure.numbers[i])} ` +
          `(charges are given for ${[...byElement.keys()].map((z) => chemicalSymbol(z)).join(', ')})`);
      }
      out[i] = q;
    }
    return out;
  }
  if (!structure.charges) {
    throw new PolymorphError('E_VALUE', `${what}: no charges: give charges by element in the options, or per atom in structure.charges (e)`);
  }
  for (let i = 0; i < n; ++i) {
    const q = structure.charges[i];
    if (!Number.isFinite(q)) throw new PolymorphError('E_VALUE', `${what}: the charge of atom ${i} is not finite (${q})`);
    out[i] = q;
  }
  return out;
}


/** Charges by element as the native charge evaluators take them (null: per-atom charges). @internal */
export function nativeChargeTable(byElement: Map<number, number> | null): NativeChargeTable | null {
  if (!byElement) return null;
  return { elements: Int32Array.from(byElement.keys()), values: Float64Array.from(byElement.values()) };
}

/** `Zn +2, O -2 e` for charges by element, or where per-atom charges come from (for summaries). */
export function describeCharges(byElement: Map<number, number> | null): string {
  if (!byElement) return 'per atom (structure.charges)';
  return `${[...byElement].map(([z, q]) => `${chemicalSymbol(z)} ${q > 0 ? '+' : ''}${q}`).join(', ')} e`;
}

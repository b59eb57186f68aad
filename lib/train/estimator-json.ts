/**
 * JSON for the estimators' `toJSON`/`fromJSON`: doubles that survive `JSON.stringify`/`parse`
 * bit for bit (numbers, with `'NaN'`, `'Infinity'`, `'-Infinity'` and `'-0'` for what a JSON
 * number cannot carry), and checked reading (`E_VALUE` naming the field) of what came back.
 * @internal
 * @module
 */
import { PolymorphError } from '../core/errors';

/** A double in JSON: a finite number, or the name of a value JSON numbers cannot carry. */
export type JsonDouble = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** The common frame of an estimator's JSON: its class, the format version, options and learned state (null before fit). */
export interface EstimatorJSON<Type extends string, Options, Fitted> {
  type: Type;
  version: 1;
  options: Options;
  fitted: Fitted | null;
}

/** `x` as a {@link JsonDouble}. */
export function encodeDouble(x: number): JsonDouble {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

/** Every element of `a` as a {@link JsonDouble}. */
export function encodeDoubles(a: ArrayLike<number>): JsonDouble[] {
  return Array.from(a, encodeDouble);
}

/** Reads a {@link JsonDouble}; anything else is `E_VALUE` naming `what`. */
export function decodeDouble(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  switch (v) {
    case 'NaN': return NaN;
    case 'Infinity': return Infinity;
    case '-Infinity': return -Infinity;
    case '-0': return -0;
    default: throw new PolymorphError('E_VALUE', `${what} must be a number, got ${JSON.stringify(v) ?? String(v)}`);
  }
}

/** Reads an array of {@link JsonDouble}s, of `length` elements when given. */
export function decodeDoubles(v: unknown, what: string, length?: number): Float64Array {
  if (!Array.isArray(v)) throw new PolymorphError('E_VALUE', `${what} must be an array of numbers`);
  if (length !== undefined && v.length !== length) throw new PolymorphError('E_VALUE', `${what} must have ${length} elements, got ${v.length}`);
  return Float64Array.from(v, (x, k) => decodeDouble(x, `${what}[${k}]`));
}

/** Reads an array of integers in [0, below). */
export function decodeIndices(v: unknown, what: string, below: number): Int32Array {
  if (!Array.isArray(v) || !v.every((k) => Number.isInteger(k) && k >= 0 && k < below)) {
    throw new PolymorphError('E_VALUE', `${what} must be an array of integers in [0, ${below})`);
  }
  return Int32Array.from(v);
}

/** Reads a non-negative integer. */
export function decodeCount(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new PolymorphError('E_VALUE', `${what} must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** Reads a boolean. */
export function decodeBoolean(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new PolymorphError('E_VALUE', `${what} must be a boolean, got ${String(v)}`);
  return v;
}

/** The fields of a JSON object (`E_VALUE` for anything else). */
export function fieldsOf(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new PolymorphError('E_VALUE', `${what} must be an object`);
  return Object.fromEntries(Object.entries(v));
}

/**
 * Checks the frame `{ type, version: 1, options, fitted }` of `type`'s JSON and returns its
 * options and learned state (null when the estimator was not fitted).
 */
export function readFrame(json: unknown, type: string): { options: unknown; fitted: Record<string, unknown> | null } {
  const what = `${type}.fromJSON`;
  const f = fieldsOf(json, what);
  if (f.type !== type || f.version !== 1) {
    throw new PolymorphError('E_VALUE', `${what}: expected { type: '${type}', version: 1, options, fitted } (what ${type}.toJSON writes), got type ${String(f.type)}, version ${String(f.version)}`);
  }
  return { options: f.options, fitted: f.fitted === null ? null : fieldsOf(f.fitted, `${what}: fitted`) };
}

/**
 * Short `util.inspect` summaries (what notebooks and `console.log` print): a title and a few key
 * facts, arrays as their shape and type, never their elements. Classes call {@link summary} from
 * their `[inspect.custom]()`; plain result objects get a hidden (non-enumerable) one from
 * {@link withSummary}, so they still compare, spread and serialise as plain objects.
 * @module
 * @internal
 */
import { inspect } from 'util';

/** A field of a summary: a label and its text; undefined or null values are left out. */
export type SummaryFields = Record<string, string | number | boolean | null | undefined>;

/** Longest one-line summary; longer ones get one field per line. */
const ONE_LINE = 100;
/** Longest field text. */
const FIELD = 110;
/** Most fields shown (a summary is at most MAX_FIELDS + 2 lines). */
const MAX_FIELDS = 12;

/** `x` with at most `digits` significant digits and no trailing zeros (`-12.3457`, `1e-6`, `0`). */
export function formatNumber(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-4 && a < 1e9 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

function clip(text: string, length = FIELD): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function isNdArray(v: unknown): v is { shape: number[]; data: unknown; dtype?: string } {
  return typeof v === 'object' && v !== null && Array.isArray((v as { shape?: unknown }).shape) && 'data' in v && 'stride' in v;
}

/** The element type of a typed array or ndarray: `Float64`, `Int32`, …, or `Array`. */
function elementType(data: unknown): string {
  if (ArrayBuffer.isView(data)) return data.constructor.name.replace(/Array$/, '');
  return 'Array';
}

/** `ndarray [1080,3] Float64` for an ndarray, `Int32Array(1080)` for a typed array. */
export function describeArray(v: unknown): string {
  if (isNdArray(v)) return `ndarray [${v.shape.join(',')}] ${elementType(v.data)}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  return typeof v;
}

/** One short line for any value: numbers to 10 digits, arrays as shapes, small objects key by key. */
export function describeValue(v: unknown, depth = 1): string {
  if (typeof v === 'number') return formatNumber(v, 10);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (isNdArray(v) || ArrayBuffer.isView(v)) return describeArray(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.every((x) => typeof x === 'number' || typeof x === 'string') ? v.map((x) => describeValue(x)).join(', ') : '';
    return items && items.length <= 60 ? `[${items}]` : describeArray(v);
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== Object.prototype && proto !== null) return (v as object).constructor.name; // a class instance: its name
    const entries = Object.entries(v as object);
    if (depth <= 0) {
      const keys = `{ ${entries.map(([k]) => k).join(', ')} }`;
      return keys.length <= 40 ? keys : `{ ${entries.length} keys }`;
    }
    return clip(`{ ${entries.map(([k, x]) => `${k}: ${describeValue(x, depth - 1)}`).join(', ')} }`, FIELD - 20);
  }
  return typeof v;
}

/**
 * `Title { a: 1; b: 2 }` when it fits on one line, else the title and one `key: value` line per
 * field (at most 12, then `… n more`).
 * @example summary('Hdnnp', { elements: 'H, O', cutoff: '6.35 Å' }) // 'Hdnnp { elements: H, O; cutoff: 6.35 Å }'
 */
export function summary(title: string, fields: SummaryFields): string {
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => clip(`${k}: ${typeof v === 'number' ? formatNumber(v) : String(v)}`));
  if (lines.length === 0) return `${title} {}`;
  const oneLine = `${title} { ${lines.join('; ')} }`;
  if (oneLine.length <= ONE_LINE) return oneLine;
  const shown = lines.length > MAX_FIELDS ? [...lines.slice(0, MAX_FIELDS - 1), `… ${lines.length - MAX_FIELDS + 1} more`] : lines;
  return [`${title} {`, ...shown.map((l) => `  ${l}`), '}'].join('\n');
}

/** The summary of a plain object: every field through {@link describeValue}, with `units[key]` appended. */
export function objectSummary(title: string, value: object, units: Record<string, string> = {}): string {
  const fields: SummaryFields = {};
  for (const [k, v] of Object.entries(value)) fields[k] = units[k] ? `${describeValue(v)} ${units[k]}` : describeValue(v);
  return summary(title, fields);
}

/** Units of the fields of potential results. */
export const resultUnits: Record<string, string> = { energy: 'eV', forces: 'eV/Å', stress: 'eV/Å³', atomEnergies: 'eV' };

/**
 * `value` with a hidden `[util.inspect.custom]` printing {@link objectSummary}: `console.log`
 * shows a few lines; keys, `toEqual`, spreading and JSON are unchanged. Returns `value`.
 */
export function withSummary<T extends object>(value: T, title: string, units: Record<string, string> = resultUnits): T {
  return withInspect(value, () => objectSummary(title, value, units));
}

/** `value` with a hidden `[util.inspect.custom]` returning `describe()` (see {@link withSummary}). Returns `value`. */
export function withInspect<T extends object>(value: T, describe: () => string): T {
  Object.defineProperty(value, inspect.custom, { value: describe, enumerable: false, configurable: true, writable: true });
  return value;
}

/** The name of a unit of size `size` (in `base` units) among `names` (`{ Bohr: 0.529… }`), else `0.5 Å`. */
export function unitName(size: number, names: Record<string, number>, base: string): string {
  const found = Object.entries(names).find(([, s]) => Math.abs(s - size) <= 1e-12 * Math.abs(s));
  return found ? found[0] : `${formatNumber(size)} ${base}`;
}

/**
 * Extended XYZ (`extxyz`), read and written as ASE ≥ 3.22 (`ase.io.extxyz`) does, so files move
 * between polymorph and ASE without loss.
 *
 * A frame is a count line, a comment line of `key=value` pairs and one line per atom:
 * ```text
 * 2
 * Lattice="3.61 0.0 0.0 0.0 3.61 0.0 0.0 0.0 3.61" Properties=species:S:1:pos:R:3:forces:R:3 energy=-7.5 pbc="T T T"
 * Cu       0.00000000       0.00000000       0.00000000       0.00000000       0.00000000       0.00000000
 * Cu       1.80500000       1.80500000       0.00000000       0.00000000       0.00000000       0.00000000
 * ```
 *
 * Mapping to {@link Structure} (units: Å, Å/fs, amu, e, eV):
 * - `Lattice="ax ay az bx by bz cx cy cz"` ↔ `cell` rows (Å); `pbc="T T F"` ↔ `pbc` (default: periodic
 *   when a Lattice is given, open otherwise, as in ASE).
 * - `Properties=name:type:columns:…` with types R (real), I (integer), S (string), L (logical):
 *   `species` (or `Z`) ↔ `numbers`, `pos` ↔ `positions`, `masses` ↔ `masses`, `initial_charges` ↔
 *   `charges`, `momenta` (ASE units, amu·Å per ASE time unit) ↔ `velocities` (Å/fs, v = p / m /
 *   {@link aseTimeUnitInFs}); every other column ↔ `arrays[name]` (R → Float64, I → Int32, L → Uint8
 *   ndarrays of shape `[N]` or `[N, k]`, S → `string[]`), e.g. `forces:R:3` ↔ `arrays.forces`.
 * - Other pairs ↔ `info`: integers and reals → numbers, several → `number[]`; `T`/`F`/`True`/… →
 *   booleans; quoted (`"…"`, `'…'`, `{…}`, `[…]`, `\` escapes) → strings; `_JSON …` → JSON values;
 *   a bare word → `true`. `stress` and `virial` (9 values, column-major as ASE writes them, or 6
 *   Voigt values xx yy zz yz xz xy) → `[3,3]` Float64 ndarrays (eV/Å³ for stress).
 *
 * The writer keeps ASE's layout (`%-2s` species, `%16.8f` reals, `%8d` integers, `Lattice`,
 * `Properties`, info, `pbc` last; ASE's key names and units) but writes any real that `%16.8f`
 * would round in its shortest exact form, so every number reads back bit for bit; a file ASE wrote
 * reads and writes back byte-identical. Momenta that no double can carry exactly (v → m·v·t → v
 * loses an ulp for about one velocity in five) are written with 21+ digits and divided exactly
 * on reading; ASE reads them as ordinary reals.
 *
 * Where polymorph differs from ASE: 6-value `stress`/`virial` are accepted (ASE refuses them);
 * an empty quoted value (`key=""`) ends at its closing quote (ASE runs on into the next item);
 * a comment line that cannot be split (an unmatched quote) and has no `=` is kept whole as
 * `info.comment` instead of being mangled; malformed input that ASE silently accepts (extra
 * columns beyond `Properties`, unknown logical values, unterminated quotes, NaN) is a ParseError;
 * the dummy element `X` (Z = 0), multi-column string properties and ASE's `VEC` cell lines are
 * not supported; `pbc="T T T"` without `Lattice` is a ParseError (a Structure needs a cell to be
 * periodic); ASE's move_mask constraints stay a plain logical array.
 * @example
 * import { read, write } from 'polymorph/io';
 * write('ZnO.xyz', structure);                     // Lattice, Properties=species:S:1:pos:R:3:…, pbc
 * const frames = readAll('md.xyz', { index: '::10' });
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { isNdArray } from '../core/arrays';
import { ParseError, PolymorphError } from '../core/errors';
import { atomicMasses, atomicNumber, maxAtomicNumber } from '../structure/elements';
import { AtomArray, InfoValue, Structure, StructureInit } from '../structure/structure';
import { aseTimeUnitInFs } from '../structure/units';
import { Format, FrameParser, WriteOptions } from './format';
import { parseInteger, parseReal, splitFields, Where } from './tokens';

// ---------------------------------------------------------------------------------------------
// Numbers as Python prints them
// ---------------------------------------------------------------------------------------------

/**
 * A double as Python's `repr(float)` prints it — the shortest digits that read back to the same
 * double, in fixed notation for 1e-4 ≤ |x| < 1e16 and `1e-05`-style notation otherwise. ASE writes
 * `Lattice` and info reals this way.
 * @example
 * pythonFloat(5.587);  // '5.587'
 * pythonFloat(2);      // '2.0'
 * pythonFloat(1e-7);   // '1e-07'
 */
export function pythonFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const plain = String(x);
  if (/^-?\d+\.\d+$/.test(plain) && Math.abs(x) >= 1e-4 && Math.abs(x) < 1e16) return plain; // same form in JS and Python
  const sign = x < 0 ? '-' : '';
  const { digits, point } = shortestDigits(Math.abs(x));
  if (point > 16 || point <= -4) {
    const exponent = point - 1;
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Shortest round-trip digits of x > 0 and the position of the decimal point: x = 0.DIGITS × 10^point. */
function shortestDigits(x: number): { digits: string; point: number } {
  const [mantissa, exponent] = String(x).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let point = whole.length + (exponent === undefined ? 0 : Number(exponent));
  const leadingZeros = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  point -= leadingZeros;
  return { digits, point };
}

/** A per-atom real in a 16-wide column: ASE's `%16.8f` when that reads back exactly, else the shortest exact form. */
function formatColumnReal(x: number): string {
  const shortest = String(x);
  // A shortest form with at most 8 decimals, padded with zeros, is what %16.8f prints.
  const short = /^(-?\d+)(?:\.(\d{1,8}))?$/.exec(shortest);
  if (short && Math.abs(x) < 6e7 && !Object.is(x, -0)) return `${short[1]}.${(short[2] ?? '').padEnd(8, '0')}`.padStart(16);
  if (shortest.includes('e') || Math.abs(x) >= 6e7) {
    const fixed = x.toFixed(8);
    if (Math.abs(x) < 1e16 && Object.is(Number(fixed), x)) return fixed.padStart(16);
  }
  return pythonFloat(x).padStart(16);
}

/** An info number: integers as integers, other values (and every value when `asFloat`) as Python floats. */
function formatInfoNumber(x: number, what: string, asFloat: boolean): string {
  if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `extxyz: ${what} is not finite (${x}); it cannot be written`);
  if (!asFloat && Number.isSafeInteger(x) && !Object.is(x, -0)) return String(x);
  return pythonFloat(x);
}

// ---------------------------------------------------------------------------------------------
// Momenta ↔ velocities
// ---------------------------------------------------------------------------------------------

const bitsF64 = new Float64Array(1);
const bitsI64 = new BigInt64Array(bitsF64.buffer);

/** The next double above x. */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  bitsF64[0] = x;
  bitsI64[0] += x > 0 ? 1n : -1n;
  return bitsF64[0];
}

/** A finite double as an exact binary fraction: x = mantissa · 2^exponent. */
function exactDouble(x: number): { mantissa: bigint; exponent: number } {
  bitsF64[0] = x;
  const b = BigInt.asUintN(64, bitsI64[0]);
  const biased = Number((b >> 52n) & 0x7ffn);
  let mantissa = b & ((1n << 52n) - 1n);
  if (biased !== 0) mantissa |= 1n << 52n;
  if (b >> 63n) mantissa = -mantissa;
  return { mantissa, exponent: (biased === 0 ? 1 : biased) - 1075 };
}

/** Number of bits of a positive BigInt. */
function bitLength(x: bigint): number {
  return x.toString(2).length;
}

/** num / den · 2^exp2 (num, den > 0) rounded once to the nearest double. */
function roundQuotient(num: bigint, den: bigint, exp2: number): number {
  // A quotient of about 64 bits with a sticky lowest bit: Number() then rounds it correctly to 53 bits.
  const shift = 64 - (bitLength(num) - bitLength(den));
  const n = shift >= 0 ? num << BigInt(shift) : num;
  const d = shift >= 0 ? den : den << BigInt(-shift);
  let q = n / d;
  if (n % d !== 0n) q |= 1n;
  let x = Number(q);
  let e = exp2 - shift;
  for (; e > 1000; e -= 1000) x *= 2 ** 1000;
  for (; e < -1000; e += 1000) x *= 2 ** -1000;
  return x * 2 ** e;
}

/** Significant digits of a decimal token, leading and trailing zeros dropped (`0.00120` → 2). */
function significantDigits(token: string): number {
  const mantissa = token.replace(/^[+-]/, '').split(/[eEdD]/)[0].replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
}

/** The exact value of a decimal token: numerator / denominator, numerator signed. */
function exactDecimal(token: string): { num: bigint; den: bigint } {
  const [mantissa, exponent = '0'] = token.split(/[eEdD]/);
  const [whole, fraction = ''] = mantissa.replace(/^\+/, '').split('.');
  const exp10 = Number(exponent) - fraction.length;
  const digits = BigInt(whole.replace(/^-?$/, (m) => `${m}0`) + fraction);
  return exp10 >= 0 ? { num: digits * 10n ** BigInt(exp10), den: 1n } : { num: digits, den: 10n ** BigInt(-exp10) };
}

/**
 * Velocity (Å/fs) from an ASE momentum column entry (amu·Å per ASE time unit) and a mass (amu):
 * v = p / m / {@link aseTimeUnitInFs}. Entries of up to 17 significant digits (everything ASE
 * writes) are read as a double and divided; longer ones (which only polymorph writes, when no
 * double momentum gives the velocity back exactly) are divided exactly and rounded once.
 * @example velocityFromMomentum('0.10000000', 63.546); // 1.5457…e-4 Å/fs
 */
export function velocityFromMomentum(text: string, mass: number): number {
  const p = Number(text.replace(/[dD]/, 'e'));
  if (significantDigits(text) <= 17 || p === 0) return p / mass / aseTimeUnitInFs;
  const { num, den } = exactDecimal(text);
  const m = exactDouble(mass);
  const c = exactDouble(aseTimeUnitInFs);
  const magnitude = roundQuotient(num < 0n ? -num : num, den * m.mantissa * c.mantissa, -m.exponent - c.exponent);
  return num < 0n ? -magnitude : magnitude;
}

/** num / den with `digits` significant digits, as `d.ddd…e±x`. */
function decimalText(num: bigint, den: bigint, digits: number): string {
  const sign = num < 0n ? '-' : '';
  const a = num < 0n ? -num : num;
  let k = digits - (a.toString().length - den.toString().length);
  for (;;) {
    const n = k >= 0 ? a * 10n ** BigInt(k) : a;
    const d = k >= 0 ? den : den * 10n ** BigInt(-k);
    const s = ((2n * n + d) / (2n * d)).toString();
    if (s.length > digits) k -= 1;
    else if (s.length < digits) k += 1;
    else return `${sign}${s[0]}.${s.slice(1)}e${s.length - 1 - k}`;
  }
}

/**
 * The momentum column entry (amu·Å per ASE time unit, the unit ASE writes) for a velocity (Å/fs)
 * and a mass (amu), p = m · v · {@link aseTimeUnitInFs}, such that {@link velocityFromMomentum}
 * gives `velocity` back bit for bit. Usually a double in ASE's `%16.8f` layout or its shortest
 * form; when no double does it (about one value in five), the exact product with 21+ digits.
 */
export function momentumText(velocity: number, mass: number): string {
  const p = velocity * aseTimeUnitInFs * mass;
  if (!Number.isFinite(p)) throw new PolymorphError('E_VALUE', `extxyz: the momentum of velocity ${velocity} Å/fs and mass ${mass} amu is not finite`);
  const asDouble = (q: number): string | undefined => {
    if (!Object.is(q / mass / aseTimeUnitInFs, velocity)) return undefined;
    const text = formatColumnReal(q);
    return significantDigits(text.trim()) <= 17 ? text : undefined;
  };
  let found = asDouble(p);
  for (let k = 0, up = p, down = p; found === undefined && k < 4; ++k) found = asDouble((up = nextUp(up))) ?? asDouble((down = -nextUp(-down)));
  if (found !== undefined) return found;
  const v = exactDouble(velocity);
  const m = exactDouble(mass);
  const c = exactDouble(aseTimeUnitInFs);
  const e = v.exponent + m.exponent + c.exponent;
  const num = v.mantissa * m.mantissa * c.mantissa * (e > 0 ? 1n << BigInt(e) : 1n);
  const den = e < 0 ? 1n << BigInt(-e) : 1n;
  for (let digits = 21; digits <= 40; ++digits) {
    const text = decimalText(num, den, digits);
    if (significantDigits(text) > 17 && Object.is(velocityFromMomentum(text, mass), velocity)) return text;
  }
  return formatColumnReal(p); // unreachable in practice: the exact product always works
}

// ---------------------------------------------------------------------------------------------
// The comment line: key=value pairs
// ---------------------------------------------------------------------------------------------

/** One item of a comment line, unquoted and unescaped; `value` is null for a bare key. */
export interface KeyValue {
  key: string;
  value: string | null;
}

const CLOSING: ReadonlyMap<string, string> = new Map([['"', '"'], ["'", "'"], ['{', '}'], ['[', ']']]);

/**
 * Splits a comment line into `key=value` items as ASE's `key_val_str_to_dict` does: whitespace
 * separates items, `"…"`, `'…'`, `{…}` and `[…]` group (the delimiters are dropped), a backslash
 * takes the next character literally, spaces around `=` are allowed, further `=` belong to the value.
 * @throws ParseError for an unterminated quote, a dangling backslash or a missing key.
 * @example
 * splitKeyValues('a=1 b="x y" flag', where); // [{key:'a',value:'1'}, {key:'b',value:'x y'}, {key:'flag',value:null}]
 */
export function splitKeyValues(line: string, where: Where): KeyValue[] {
  const text = line.trim();
  const items: string[][] = [['']];
  let started = false; // the current part has a character or a quote
  let close: string | undefined;
  let escaped = false;
  let quoteAt = -1;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    const item = items[items.length - 1];
    if (escaped) {
      item[item.length - 1] += c;
      escaped = false;
      started = true;
    } else if (c === '\\') {
      escaped = true;
    } else if (close !== undefined) {
      if (c === close) close = undefined;
      else item[item.length - 1] += c;
    } else if (CLOSING.has(c)) {
      close = CLOSING.get(c);
      quoteAt = i;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) items.push(['']);
      started = false;
    } else if (c === '=') {
      if (!started && item.length === 1) {
        // `key = value`: the space opened an empty item; the value belongs to the previous key.
        if (items.length === 1) throw new ParseError(where.file, where.line, "a key before '='", text);
        items.pop();
        items[items.length - 1].push('');
      } else {
        item.push('');
      }
      started = false;
    } else {
      item[item.length - 1] += c;
      started = true;
    }
  }
  if (close !== undefined) throw new ParseError(where.file, where.line, `a closing ${close} for the quote at column ${quoteAt + 1}`, text.slice(quoteAt));
  if (escaped) throw new ParseError(where.file, where.line, 'a character after the final backslash', text);
  const out: KeyValue[] = [];
  for (const [key, ...value] of items) {
    if (value.length === 0) {
      if (key !== '') out.push({ key, value: null });
    } else if (key === '') {
      throw new ParseError(where.file, where.line, "a key before '='", text);
    } else {
      out.push({ key, value: value.join('=') });
    }
  }
  return out;
}

const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['T', true], ['F', false], ['true', true], ['false', false], ['True', true], ['False', false], ['TRUE', true], ['FALSE', false],
]);

/** Tokens of a value: runs of characters other than whitespace and commas (ASE's `[^\s,]+`). */
function valueTokens(text: string): string[] {
  return text.match(/[^\s,]+/g) ?? [];
}

/** Finite reals from tokens, or undefined if a token is not a real number. */
function realsOf(tokens: string[], where: Where, key: string): number[] | undefined {
  if (!tokens.every((t) => REAL.test(t))) return undefined;
  return tokens.map((t) => {
    const x = Number(t);
    if (!Number.isFinite(x)) throw new ParseError(where.file, where.line, `a finite number in ${key}`, t);
    return x;
  });
}

/**
 * The meaning of an info value, as ASE gives it: integers, then reals (one → a number, several →
 * `number[]`), then booleans (`T`, `F`, `true`, `False`, …; several → `boolean[]`), then `_JSON …`,
 * else the string itself.
 * @example
 * interpretValue('1 2 3', where, 'k'); // [1, 2, 3]
 * interpretValue('T', where, 'k');     // true
 */
export function interpretValue(text: string, where: Where, key: string): InfoValue {
  const tokens = valueTokens(text);
  if (tokens.every((t) => INTEGER.test(t))) {
    const xs = tokens.map((t) => Number(t) + 0);
    return xs.length === 1 ? xs[0] : xs;
  }
  const reals = realsOf(tokens, where, key);
  if (reals) return reals.length === 1 ? reals[0] : reals;
  if (tokens.every((t) => BOOLEANS.has(t))) {
    const bs = tokens.map((t) => BOOLEANS.get(t) as boolean);
    return bs.length === 1 ? bs[0] : bs;
  }
  if (text.startsWith('_JSON ')) return fromJson(text, where, key);
  return text;
}

/** A `_JSON …` value: scalars, flat lists and numeric matrices; anything else stays the original text. */
function fromJson(text: string, where: Where, key: string): InfoValue {
  let d: unknown;
  try {
    d = JSON.parse(text.slice(6));
  } catch {
    throw new ParseError(where.file, where.line, `valid JSON after '_JSON' in ${key}`, text);
  }
  const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
  if (typeof d === 'number' && !Number.isFinite(d)) throw new ParseError(where.file, where.line, `a finite number in ${key}`, text);
  if (typeof d === 'number' || typeof d === 'string' || typeof d === 'boolean') return d;
  if (!Array.isArray(d)) return text;
  if (d.every((x) => typeof x === 'number')) {
    if (!d.every(finite)) throw new ParseError(where.file, where.line, `finite numbers in ${key}`, text);
    return d as number[];
  }
  if (d.every((x) => typeof x === 'string')) return d as string[];
  if (d.every((x) => typeof x === 'boolean')) return d as boolean[];
  return jsonMatrix(d, text, where, key) ?? text;
}

/** A rectangular list of numeric rows as an Int32 (integers only) or Float64 `[rows, cols]` ndarray. */
function jsonMatrix(rows: unknown[], text: string, where: Where, key: string): NdArray<Float64Array> | NdArray<Int32Array> | undefined {
  const cols = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 0;
  if (cols === 0 || !rows.every((r) => Array.isArray(r) && r.length === cols && r.every((x) => typeof x === 'number'))) return undefined;
  const flat = (rows as number[][]).flat();
  if (!flat.every((x) => Number.isFinite(x))) throw new ParseError(where.file, where.line, `finite numbers in ${key}`, text);
  const integers = !/[.eE]/.test(text.slice(6)) && flat.every((x) => Number.isInteger(x) && x >= -2147483648 && x <= 2147483647);
  return integers ? ndarray(Int32Array.from(flat), [rows.length, cols]) : ndarray(Float64Array.from(flat), [rows.length, cols]);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** Per-atom column types: real, integer, string, logical. */
type ColumnType = 'R' | 'I' | 'S' | 'L';

/** One property of `Properties=name:type:columns`. */
interface Column {
  name: string;
  type: ColumnType;
  count: number;
}

/** Columns with a fixed meaning, and the type and width they must have. */
const RESERVED_COLUMNS: ReadonlyMap<string, readonly [ColumnType, number]> = new Map([
  ['species', ['S', 1]], ['pos', ['R', 3]], ['Z', ['I', 1]], ['masses', ['R', 1]], ['initial_charges', ['R', 1]], ['momenta', ['R', 3]],
] as const);

/** ASE's default for a comment line without `Properties` (plain XYZ). */
const PLAIN_COLUMNS: readonly Column[] = [{ name: 'species', type: 'S', count: 1 }, { name: 'pos', type: 'R', count: 3 }];

/** The text of a Properties spec, e.g. `species:S:1:pos:R:3`. */
function propertiesSpec(columns: readonly Column[]): string {
  return columns.map((c) => `${c.name}:${c.type}:${c.count}`).join(':');
}

/**
 * Parses `species:S:1:pos:R:3:…` into columns, checking types, widths, duplicates and that the
 * positions and the elements (`species` or `Z`) are there.
 */
function parseProperties(spec: string, where: Where): Column[] {
  const fail = (expected: string, found: string = spec): ParseError => new ParseError(where.file, where.line, expected, found);
  const fields = spec.split(':');
  if (fields.length % 3 !== 0) throw fail('Properties as name:type:columns triplets (e.g. species:S:1:pos:R:3)');
  const columns: Column[] = [];
  for (let i = 0; i < fields.length; i += 3) {
    const [name, type, count] = fields.slice(i, i + 3);
    if (name === '') throw fail('a property name in Properties');
    if (!['R', 'I', 'S', 'L'].includes(type)) throw fail(`the type of property '${name}' (R, I, S or L)`, type);
    const n = parseInteger(count, where, `the number of columns of property '${name}'`, 1);
    if (columns.some((c) => c.name === name)) throw fail(`property '${name}' only once in Properties`);
    const reserved = RESERVED_COLUMNS.get(name);
    if (reserved && (reserved[0] !== type || reserved[1] !== n)) throw fail(`property '${name}' as ${reserved[0]}:${reserved[1]}`, `${name}:${type}:${n}`);
    if (type === 'S' && n !== 1) throw fail(`string property '${name}' with one column (polymorph stores strings one per atom)`, `${name}:${type}:${n}`);
    columns.push({ name, type: type as ColumnType, count: n });
  }
  if (!columns.some((c) => c.name === 'pos')) throw fail('a pos:R:3 property in Properties');
  if (!columns.some((c) => c.name === 'species' || c.name === 'Z')) throw fail('a species:S:1 (or Z:I:1) property in Properties');
  return columns;
}

// ---------------------------------------------------------------------------------------------
// Reading a frame
// ---------------------------------------------------------------------------------------------

/** What the comment line of a frame says. */
interface Header {
  columns: readonly Column[];
  /** True if the line had `Properties` (then atom lines must have exactly these columns). */
  explicit: boolean;
  /** Cell rows, Å, or null. */
  cell: number[][] | null;
  pbc: [boolean, boolean, boolean];
  info: Record<string, InfoValue>;
}

const FLOAT_INFO_KEYS = new Set(['energy', 'free_energy']);
const MATRIX_INFO_KEYS = new Set(['stress', 'virial']);
const HEADER_KEYS = new Set(['Lattice', 'Properties', 'pbc']);

/** `[3,3]` from 9 column-major values (as ASE writes `stress`/`virial`) or 6 Voigt values xx yy zz yz xz xy. */
function matrixFromValues(v: number[]): NdArray<Float64Array> {
  const m = v.length === 9
    ? [v[0], v[3], v[6], v[1], v[4], v[7], v[2], v[5], v[8]]
    : [v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]];
  return ndarray(Float64Array.from(m), [3, 3]);
}

/** Interprets the comment line of a frame. */
function parseHeader(line: string, where: Where): Header {
  const fail = (expected: string, found: string): ParseError => new ParseError(where.file, where.line, expected, found);
  let columns: readonly Column[] = PLAIN_COLUMNS;
  let explicit = false;
  let cell: number[][] | null = null;
  let pbc: [boolean, boolean, boolean] | null = null;
  const info: Record<string, InfoValue> = {};
  let items: KeyValue[];
  try {
    items = splitKeyValues(line, where);
  } catch (error) {
    // Prose that cannot be split (e.g. an apostrophe) is kept whole, unless it tries to be key=value.
    if (line.includes('=')) throw error;
    return { columns: PLAIN_COLUMNS, explicit: false, cell: null, pbc: [false, false, false], info: { comment: line.trim() } };
  }
  for (const { key, value } of items) {
    if (key === 'Lattice') {
      const v = value === null ? undefined : realsOf(valueTokens(value), where, key);
      if (!v || v.length !== 9) throw fail('Lattice="ax ay az bx by bz cx cy cz" with 9 real numbers (Å)', value ?? 'Lattice');
      cell = [v.slice(0, 3), v.slice(3, 6), v.slice(6, 9)];
    } else if (key === 'Properties') {
      columns = parseProperties(value ?? '', where);
      explicit = true;
    } else if (key === 'pbc') {
      const p = value === null ? true : interpretValue(value, where, key);
      const flags = (Array.isArray(p) ? p : [p, p, p]) as unknown[];
      if (flags.length === 3 && flags.every((x) => typeof x === 'boolean' || x === 0 || x === 1)) pbc = flags.map(Boolean) as [boolean, boolean, boolean];
      else throw fail('pbc as one or three of T/F (e.g. pbc="T T F")', value ?? 'pbc');
    } else if (key.toLowerCase() === 'uid') {
      info[key] = value ?? 'T';
    } else if (MATRIX_INFO_KEYS.has(key)) {
      const v = value === null ? undefined : realsOf(valueTokens(value), where, key);
      if (!v || (v.length !== 9 && v.length !== 6)) throw fail(`${key} as 9 real numbers (3×3, column-major) or 6 Voigt values (xx yy zz yz xz xy)`, value ?? key);
      info[key] = matrixFromValues(v);
    } else {
      const v = value === null ? true : interpretValue(value, where, key);
      if (FLOAT_INFO_KEYS.has(key) && typeof v !== 'number') throw fail(`${key} as a real number`, value ?? key);
      info[key] = v;
    }
  }
  const periodic = pbc ?? [cell !== null, cell !== null, cell !== null];
  if (cell === null && periodic.some((p) => p)) throw fail('a Lattice="…" entry, since pbc says the frame is periodic', line.trim());
  return { columns, explicit, cell, pbc: periodic, info };
}

/** Values of one column while a frame is read. */
type ColumnValues = number[] | string[];

const LOGICAL: ReadonlyMap<string, number> = new Map([['T', 1], ['F', 0], ['True', 1], ['False', 0]]);

/** ASE capitalises species (`ZN`, `zn` → `Zn`). */
function capitalize(symbol: string): string {
  return symbol.charAt(0).toUpperCase() + symbol.slice(1).toLowerCase();
}

/** Collects the atom lines of one frame and builds its Structure. */
class FrameBuilder {
  private readonly values: ColumnValues[];
  private readonly width: number;
  private atoms = 0;

  constructor(
    private readonly file: string,
    private readonly header: Header,
    private readonly natoms: number,
    private readonly countLine: number,
    private readonly headerLine: number,
  ) {
    this.values = header.columns.map(() => []);
    this.width = header.columns.reduce((sum, c) => sum + c.count, 0);
  }

  /** True once every atom line has arrived. */
  get complete(): boolean {
    return this.atoms === this.natoms;
  }

  /** Which atom line comes next, for messages. */
  get progress(): string {
    return `atom line ${this.atoms + 1} of ${this.natoms} of the frame that starts at line ${this.countLine}`;
  }

  /** Parses one atom line. */
  addAtom(line: string, lineNumber: number): void {
    const where: Where = { file: this.file, line: lineNumber };
    const fields = splitFields(line);
    if (this.header.explicit ? fields.length !== this.width : fields.length < this.width) {
      const spec = propertiesSpec(this.header.columns);
      throw new ParseError(this.file, lineNumber, `${this.width} columns (${spec}) on ${this.progress}, found ${fields.length}`, line);
    }
    let f = 0;
    this.header.columns.forEach((column, k) => {
      for (let c = 0; c < column.count; ++c, ++f) this.parseField(column, fields[f], f + 1, this.values[k], where);
    });
    this.atoms++;
  }

  private parseField(column: Column, token: string, position: number, out: ColumnValues, where: Where): void {
    const what = `${column.name} (column ${position})`;
    if (column.name === 'species') {
      try {
        (out as number[]).push(atomicNumber(capitalize(token)));
      } catch {
        throw new ParseError(where.file, where.line, `a chemical symbol in ${what}`, token);
      }
    } else if (column.name === 'Z') {
      const z = parseInteger(token, where, `an atomic number in ${what}`, 1);
      if (z > maxAtomicNumber) throw new ParseError(where.file, where.line, `an atomic number 1…${maxAtomicNumber} in ${what}`, token);
      (out as number[]).push(z);
    } else if (column.name === 'momenta') {
      parseReal(token, where, what);
      (out as string[]).push(token); // converted with the masses once the frame is complete
    } else if (column.type === 'R') {
      (out as number[]).push(parseReal(token, where, what));
    } else if (column.type === 'I') {
      const x = parseInteger(token, where, what);
      if (x < -2147483648 || x > 2147483647) throw new ParseError(where.file, where.line, `a 32-bit integer in ${what}`, token);
      (out as number[]).push(x);
    } else if (column.type === 'L') {
      const b = LOGICAL.get(token);
      if (b === undefined) throw new ParseError(where.file, where.line, `T or F in ${what}`, token);
      (out as number[]).push(b);
    } else {
      (out as string[]).push(token);
    }
  }

  /** The frame as a Structure (throws ParseError naming the comment line if it is inconsistent). */
  build(): Structure {
    const n = this.natoms;
    const byName = new Map(this.header.columns.map((c, k) => [c.name, this.values[k]]));
    const numbers = Int32Array.from((byName.get('Z') ?? byName.get('species')) as number[]);
    const masses = byName.has('masses') ? Float64Array.from(byName.get('masses') as number[]) : null;
    const init: StructureInit = {
      positions: ndarray(Float64Array.from(byName.get('pos') as number[]), [n, 3]),
      numbers,
      cell: this.header.cell,
      pbc: this.header.pbc,
      masses,
      charges: byName.has('initial_charges') ? Float64Array.from(byName.get('initial_charges') as number[]) : null,
      velocities: null,
      info: this.header.info,
      arrays: {},
    };
    const momenta = byName.get('momenta') as string[] | undefined;
    if (momenta) {
      const v = new Float64Array(3 * n);
      for (let i = 0; i < 3 * n; ++i) v[i] = velocityFromMomentum(momenta[i], masses ? masses[Math.floor(i / 3)] : atomicMasses[numbers[Math.floor(i / 3)]]);
      init.velocities = ndarray(v, [n, 3]);
    }
    const arrays: Record<string, AtomArray> = {};
    this.header.columns.forEach((column, k) => {
      if (!RESERVED_COLUMNS.has(column.name)) arrays[column.name] = toAtomArray(column, this.values[k], n);
    });
    init.arrays = arrays;
    try {
      return new Structure(init);
    } catch (error) {
      throw asParseError(error, this.file, this.headerLine);
    }
  }
}

/** A column's values as a per-atom array of the right kind and shape. */
function toAtomArray(column: Column, values: ColumnValues, n: number): AtomArray {
  if (column.type === 'S') return values as string[];
  const Ctor = column.type === 'R' ? Float64Array : column.type === 'I' ? Int32Array : Uint8Array;
  const data = Ctor.from(values as number[]);
  return ndarray(data, column.count === 1 ? [n] : [n, column.count]) as AtomArray;
}

/** Any error as a ParseError naming file and line (ParseErrors pass unchanged). */
function asParseError(error: unknown, file: string, line: number): ParseError {
  if (error instanceof ParseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const out = new ParseError(file, line, `a consistent frame (${message})`);
  (out as { cause?: unknown }).cause = error;
  return out;
}

/** The push parser: count line, comment line, atom lines, repeated; blank lines between frames are skipped. */
class ExtxyzParser implements FrameParser {
  private state: 'count' | 'comment' | 'atoms' = 'count';
  private natoms = 0;
  private countLine = 0;
  private frame: FrameBuilder | null = null;
  private previous: { line: number; natoms: number } | null = null;

  constructor(private readonly file: string) {}

  push(line: string, lineNumber: number): Structure | undefined {
    try {
      return this.step(line, lineNumber);
    } catch (error) {
      throw asParseError(error, this.file, lineNumber);
    }
  }

  end(lastLine: number): Structure | undefined {
    if (this.state === 'count') return undefined;
    const missing = this.state === 'comment' || this.frame === null
      ? `the comment line of the frame that starts at line ${this.countLine}`
      : this.frame.progress;
    throw new ParseError(this.file, lastLine + 1, missing, '<end of file>');
  }

  private step(line: string, lineNumber: number): Structure | undefined {
    if (this.state === 'count') return this.readCount(line, lineNumber);
    if (this.state === 'comment') {
      this.frame = new FrameBuilder(this.file, parseHeader(line, { file: this.file, line: lineNumber }), this.natoms, this.countLine, lineNumber);
      this.state = 'atoms';
    } else {
      (this.frame as FrameBuilder).addAtom(line, lineNumber);
    }
    return (this.frame as FrameBuilder).complete ? this.finish() : undefined;
  }

  private readCount(line: string, lineNumber: number): undefined {
    const fields = splitFields(line);
    if (fields.length === 0) return undefined;
    const hint = this.previous ? `; the frame at line ${this.previous.line} declared ${this.previous.natoms} atoms` : '';
    const what = `the number of atoms of a frame (a non-negative integer${hint})`;
    if (fields.length !== 1) throw new ParseError(this.file, lineNumber, what, line);
    this.natoms = parseInteger(fields[0], { file: this.file, line: lineNumber }, what, 0);
    this.countLine = lineNumber;
    this.state = 'comment';
    return undefined;
  }

  private finish(): Structure {
    const frame = this.frame as FrameBuilder;
    this.previous = { line: this.countLine, natoms: this.natoms };
    this.frame = null;
    this.state = 'count';
    return frame.build();
  }
}

// ---------------------------------------------------------------------------------------------
// Writing a frame
// ---------------------------------------------------------------------------------------------

/** Quotes (with `\"` and `\\` escapes) when the text holds whitespace, quotes, brackets or backslashes. */
function quote(text: string, alsoEquals = false): string {
  if (!/[\s"'{}[\]\\]/.test(text) && !(alsoEquals && text.includes('='))) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const NOWHERE: Where = { file: '<writer>', line: 0 };

/** A string info value that reads back as the same string (JSON-encoded when it would read as something else). */
function formatInfoString(key: string, s: string): string {
  let same = false;
  if (s !== '' && !/[\x00-\x08\x0a-\x1f\x7f]/.test(s)) {
    try {
      same = interpretValue(s, NOWHERE, key) === s;
    } catch {
      same = false;
    }
  }
  return quote(same ? s : `_JSON ${JSON.stringify(s)}`);
}

/** A 3×3 matrix for `stress`/`virial`: a `[3,3]` ndarray (rows), 9 values row by row, or 6 Voigt values. */
function infoMatrix(key: string, value: InfoValue): number[] {
  let v: number[] | undefined;
  if (isNdArray(value) && value.size === 9 && (value.shape.length === 1 || (value.shape[0] === 3 && value.shape[1] === 3))) {
    v = value.shape.length === 1 ? Array.from({ length: 9 }, (_, i) => value.get(i)) : Array.from({ length: 9 }, (_, i) => value.get(Math.floor(i / 3), i % 3));
  } else if (isNdArray(value) && value.shape.length === 1 && value.size === 6) {
    v = Array.from(matrixFromValues(Array.from({ length: 6 }, (_, i) => value.get(i))).data);
  } else if (Array.isArray(value) && value.every((x) => typeof x === 'number') && (value.length === 9 || value.length === 6)) {
    v = value.length === 9 ? [...(value as number[])] : Array.from(matrixFromValues(value as number[]).data);
  }
  if (!v) throw new PolymorphError('E_VALUE', `extxyz: info.${key} must be a [3,3] matrix, 9 or 6 (Voigt) numbers`);
  // Column-major, as ASE writes 3×3 info values.
  return [0, 3, 6, 1, 4, 7, 2, 5, 8].map((i) => v![i]);
}

/** Numbers of an info list; a single value goes as JSON so that it reads back as a list. */
function formatInfoList(texts: string[], json: (t: string[]) => string): string {
  return texts.length >= 2 ? quote(texts.join(' ')) : quote(`_JSON ${json(texts)}`);
}

/** The value of one info item as ASE writes it. */
function formatInfoValue(key: string, value: InfoValue): string {
  const what = `info.${key}`;
  if (MATRIX_INFO_KEYS.has(key)) return quote(infoMatrix(key, value).map((x) => formatInfoNumber(x, what, true)).join(' '));
  if (FLOAT_INFO_KEYS.has(key) && typeof value !== 'number') throw new PolymorphError('E_VALUE', `extxyz: ${what} must be a number`);
  if (typeof value === 'number') return formatInfoNumber(value, what, FLOAT_INFO_KEYS.has(key));
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'string') {
    if (key.toLowerCase() !== 'uid') return formatInfoString(key, value);
    if (/[\x00-\x1f\x7f]/.test(value)) throw new PolymorphError('E_VALUE', `extxyz: ${what} holds a control character`);
    return quote(value);
  }
  const listJson = (t: string[]): string => `[${t.join(', ')}]`;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    if (list.every((x) => typeof x === 'number')) return formatInfoList(list.map((x) => formatInfoNumber(x as number, what, false)), listJson);
    if (list.every((x) => typeof x === 'boolean')) return formatInfoList(list.map((x) => (x ? 'T' : 'F')), (t) => listJson(t.map((x) => (x === 'T' ? 'true' : 'false'))));
    if (list.every((x) => typeof x === 'string')) return quote(`_JSON ${listJson(list.map((x) => JSON.stringify(x)))}`);
  } else if (isNdArray(value)) {
    const asFloat = value.data instanceof Float64Array;
    const num = (x: number): string => formatInfoNumber(x, what, asFloat);
    if (value.shape.length === 1) return formatInfoList(Array.from({ length: value.shape[0] }, (_, i) => num(value.get(i))), listJson);
    if (value.shape.length === 2) {
      const rows = Array.from({ length: value.shape[0] }, (_, i) => listJson(Array.from({ length: value.shape[1] }, (_, k) => num(value.get(i, k)))));
      return quote(`_JSON ${listJson(rows)}`);
    }
  }
  throw new PolymorphError('E_VALUE', `extxyz: ${what} must be a number, string, boolean, a list of one of these, or a 1-D/2-D numeric ndarray`);
}

/** `key=value` for one info item. */
function formatInfoItem(key: string, value: InfoValue): string {
  if (key === '' || /[\x00-\x1f\x7f]/.test(key)) throw new PolymorphError('E_VALUE', `extxyz: info key ${JSON.stringify(key)} cannot be written`);
  if (HEADER_KEYS.has(key)) throw new PolymorphError('E_VALUE', `extxyz: info.${key} clashes with the ${key} entry the writer makes from the structure; rename it`);
  return `${quote(key, true)}=${formatInfoValue(key, value)}`;
}

/** One per-atom output column: its Properties entry and the text of atom i (fields joined by spaces). */
interface OutputColumn extends Column {
  text(i: number): string;
}

/** The Properties column of a per-atom array, with its formatter. */
function arrayColumn(name: string, array: AtomArray, n: number): OutputColumn {
  if (name === '' || /[\s:="'{}[\]\\,]/.test(name)) throw new PolymorphError('E_VALUE', `extxyz: array name ${JSON.stringify(name)} cannot be a property name (no spaces, ':', '=', quotes, brackets or commas)`);
  if (RESERVED_COLUMNS.has(name)) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name} clashes with the ${name} column the writer makes from the structure; rename it`);
  if (Array.isArray(array)) {
    const bad = array.findIndex((s) => typeof s !== 'string' || s === '' || /\s/.test(s));
    if (bad >= 0) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name}[${bad}] must be a non-empty string without whitespace, got ${JSON.stringify(array[bad])}`);
    return { name, type: 'S', count: 1, text: (i) => array[i] };
  }
  const count = array.shape.length === 2 ? array.shape[1] : 1;
  if (count < 1) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name} has no columns`);
  const get = (i: number, c: number): number => (array.shape.length === 2 ? array.get(i, c) : array.get(i));
  const fields = (i: number, f: (x: number) => string): string => joinFields(count, (c) => f(get(i, c)));
  if (array.data instanceof Float64Array) return { name, type: 'R', count, text: (i) => fields(i, formatColumnReal) };
  if (array.data instanceof Int32Array) return { name, type: 'I', count, text: (i) => fields(i, (x) => String(x).padStart(8)) };
  for (let i = 0; i < n; ++i) {
    for (let c = 0; c < count; ++c) {
      if (get(i, c) > 1) throw new PolymorphError('E_VALUE', `extxyz: arrays.${name} is logical (Uint8); expected 0 or 1, got ${get(i, c)}`);
    }
  }
  return { name, type: 'L', count, text: (i) => fields(i, (x) => (x ? ' T' : ' F')) };
}

/** Real columns from a `[N, k]` ndarray or a flat per-atom vector. */
function realColumn(name: string, count: number, get: (i: number, c: number) => number): OutputColumn {
  return { name, type: 'R', count, text: (i) => joinFields(count, (c) => formatColumnReal(get(i, c))) };
}

/** `count` fields joined by single spaces. */
function joinFields(count: number, field: (c: number) => string): string {
  let line = field(0);
  for (let c = 1; c < count; ++c) line += ` ${field(c)}`;
  return line;
}

/** Every column of a structure, in ASE's order: species, pos, then the rest. */
function outputColumns(s: Structure): OutputColumn[] {
  const symbols = s.symbols;
  const columns: OutputColumn[] = [
    { name: 'species', type: 'S', count: 1, text: (i) => symbols[i].padEnd(2) },
    realColumn('pos', 3, (i, c) => s.positions.get(i, c)),
  ];
  if (s.masses.some((m, i) => m !== atomicMasses[s.numbers[i]])) columns.push(realColumn('masses', 1, (i) => s.masses[i]));
  const charges = s.charges;
  if (charges) columns.push(realColumn('initial_charges', 1, (i) => charges[i]));
  const velocities = s.velocities;
  if (velocities) {
    columns.push({ name: 'momenta', type: 'R', count: 3, text: (i) => joinFields(3, (c) => momentumText(velocities.get(i, c), s.masses[i])) });
  }
  for (const [name, array] of Object.entries(s.arrays)) columns.push(arrayColumn(name, array, s.length));
  return columns;
}

/** The comment line: Lattice, Properties, info, pbc (ASE's order). */
function formatHeader(s: Structure, columns: readonly Column[]): string {
  const parts: string[] = [];
  if (s.cell) parts.push(`Lattice="${Array.from(s.cellMatrix(), pythonFloat).join(' ')}"`);
  parts.push(`Properties=${propertiesSpec(columns)}`);
  for (const [key, value] of Object.entries(s.info)) parts.push(formatInfoItem(key, value));
  parts.push(`pbc="${s.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}"`);
  return parts.join(' ');
}

/**
 * The text of one frame in extended XYZ, ending in a newline.
 * @throws PolymorphError `E_VALUE` for labels that cannot be written (names clashing with the
 * columns/keys the writer makes, strings with whitespace in a string column, non-finite info numbers).
 */
function formatExtxyzFrame(structure: Structure, _options: WriteOptions, _frame: number): string {
  const columns = outputColumns(structure);
  const lines = [String(structure.length), formatHeader(structure, columns)];
  for (let i = 0; i < structure.length; ++i) lines.push(columns.map((c) => c.text(i)).join(' '));
  return `${lines.join('\n')}\n`;
}

/**
 * The extended XYZ format (ASE ≥ 3.22 conventions); multi-frame, streamed one frame at a time.
 * @example
 * const parser = extxyzFormat.createParser('traj.xyz', {});
 * for (const [line, n] of linesOf(text)) { const frame = parser.push(line, n); if (frame) use(frame); }
 * parser.end(lastLine);
 */
export const extxyzFormat: Format = {
  name: 'extxyz',
  multiFrame: true,
  createParser: (file: string) => new ExtxyzParser(file),
  formatFrame: formatExtxyzFrame,
};

/**
 * The comment line of an extended XYZ frame: `key=value` items split and interpreted as ASE does,
 * the `Properties` column spec, and the line the writer makes from a structure (Lattice,
 * Properties, info, pbc).
 * @module
 */
import ndarray, { NdArray } from 'ndarray';
import { isNdArray } from '../core/arrays';
import { ParseError, PolymorphError } from '../core/errors';
import { InfoValue, Structure } from '../structure/structure';
import { formatInfoNumber, pythonFloat } from './extxyz-numbers';
import { parseInteger, Where } from './tokens';

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
export type ColumnType = 'R' | 'I' | 'S' | 'L';

/** One property of `Properties=name:type:columns`. */
export interface Column {
  name: string;
  type: ColumnType;
  count: number;
}

/** Columns with a fixed meaning, and the type and width they must have. */
export const RESERVED_COLUMNS: ReadonlyMap<string, readonly [ColumnType, number]> = new Map([
  ['species', ['S', 1]], ['pos', ['R', 3]], ['Z', ['I', 1]], ['masses', ['R', 1]], ['initial_charges', ['R', 1]], ['momenta', ['R', 3]],
] as const);

/** ASE's default for a comment line without `Properties` (plain XYZ). */
const PLAIN_COLUMNS: readonly Column[] = [{ name: 'species', type: 'S', count: 1 }, { name: 'pos', type: 'R', count: 3 }];

/** The text of a Properties spec, e.g. `species:S:1:pos:R:3`. */
export function propertiesSpec(columns: readonly Column[]): string {
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
// Reading the comment line
// ---------------------------------------------------------------------------------------------

/** What the comment line of a frame says. */
export interface Header {
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
export function parseHeader(line: string, where: Where): Header {
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

// ---------------------------------------------------------------------------------------------
// Writing the comment line
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

/** The comment line: Lattice, Properties, info, pbc (ASE's order). */
export function formatHeader(s: Structure, columns: readonly Column[]): string {
  const parts: string[] = [];
  if (s.cell) parts.push(`Lattice="${Array.from(s.cellMatrix(), pythonFloat).join(' ')}"`);
  parts.push(`Properties=${propertiesSpec(columns)}`);
  for (const [key, value] of Object.entries(s.info)) parts.push(formatInfoItem(key, value));
  parts.push(`pbc="${s.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}"`);
  return parts.join(' ');
}

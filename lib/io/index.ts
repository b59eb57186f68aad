/**
 * `polymorph/io`: read and write structures and trajectories.
 *
 * Formats: extended XYZ as ASE writes it (`extxyz`), n2p2 `input.data` (`n2p2`), LAMMPS data
 * (`lammps-data`) and dump (`lammps-dump`) files in metal units, VASP POSCAR/CONTCAR (`poscar`).
 * Trajectories are streamed frame by frame; no file is read whole into memory.
 * @example
 * const s = read('wurtzite.xyz');                  // last frame, as ASE
 * const frames = readAll('traj.dump', { types: ['Zn', 'O'], index: '::10' });
 * for await (const frame of iread('big.xyz')) { ... }
 * write('out.xyz', frames);
 * @module io
 */
import * as fs from 'fs';
import * as path from 'path';
import { PolymorphError } from '../core/errors';
import { Structure } from '../structure/structure';
import { extxyzFormat } from './extxyz';
import { Format, FormatName, ReadOptions, WriteOptions } from './format';
import { lammpsDataFormat } from './lammps-data';
import { lammpsDumpFormat } from './lammps-dump';
import { forEachLineSync, linesAsync } from './lines';
import { n2p2Format } from './n2p2';
import { parseWith } from './parse-with';
import { poscarFormat } from './poscar';

export type { FormatName, ReadOptions, WriteOptions } from './format';

const formats: Record<FormatName, Format> = {
  extxyz: extxyzFormat,
  n2p2: n2p2Format,
  'lammps-data': lammpsDataFormat,
  'lammps-dump': lammpsDumpFormat,
  poscar: poscarFormat,
};

/** Names of every supported format. */
export const formatNames = Object.keys(formats) as FormatName[];

function formatByName(name: string): Format {
  const f = (formats as Record<string, Format>)[name];
  if (!f) throw new PolymorphError('E_FORMAT', `unknown format '${name}' (known: ${formatNames.join(', ')})`);
  return f;
}

/**
 * The format a file name implies: `.xyz`/`.extxyz` → extxyz; `input.data`, `output.data`, `.n2p2` →
 * n2p2; `.lmp`, `.lammps`, `data.*` → lammps-data; `.dump`, `.lammpstrj`, `dump.*` → lammps-dump;
 * `POSCAR*`, `CONTCAR*`, `.vasp`, `.poscar` → poscar. A `.data` file that exists is sniffed (n2p2
 * files start with `begin`). Throws `E_FORMAT` when the name says nothing.
 */
export function formatFromPath(file: string, forReading = true): FormatName {
  const base = path.basename(file);
  const lower = base.toLowerCase();
  const ext = path.extname(lower);
  if (ext === '.xyz' || ext === '.extxyz') return 'extxyz';
  if (lower === 'input.data' || lower === 'output.data' || ext === '.n2p2') return 'n2p2';
  if (ext === '.dump' || ext === '.lammpstrj' || lower.startsWith('dump.')) return 'lammps-dump';
  if (ext === '.lmp' || ext === '.lammps' || lower.startsWith('data.')) return 'lammps-data';
  if (/^(poscar|contcar)/.test(lower) || ext === '.vasp' || ext === '.poscar') return 'poscar';
  if (ext === '.data') {
    if (forReading && fs.existsSync(file)) {
      let first = '';
      forEachLineSync(file, (line) => {
        if (line.trim() === '') return true;
        first = line.trim();
        return false;
      });
      return first.split(/[ \t]+/)[0] === 'begin' ? 'n2p2' : 'lammps-data';
    }
    throw new PolymorphError('E_FORMAT', `${file}: '.data' is used by n2p2 and by LAMMPS; say which with { format: 'n2p2' } or { format: 'lammps-data' }`);
  }
  throw new PolymorphError('E_FORMAT', `${file}: cannot tell the format from the name; pass { format } (one of ${formatNames.join(', ')})`);
}

/** A Python/ASE slice. */
interface Slice {
  start: number | null;
  stop: number | null;
  step: number;
}

function parseSlice(index: number | string | undefined): Slice {
  if (index === undefined) return { start: null, stop: null, step: 1 };
  if (typeof index === 'number') {
    if (!Number.isInteger(index)) throw new PolymorphError('E_VALUE', `index must be an integer, got ${index}`);
    return index === -1 ? { start: -1, stop: null, step: 1 } : { start: index, stop: index + 1, step: 1 };
  }
  const parts = index.split(':');
  const num = (s: string | undefined): number | null => {
    if (s === undefined || s.trim() === '') return null;
    const x = Number(s);
    if (!Number.isInteger(x)) throw new PolymorphError('E_VALUE', `index '${index}': '${s}' is not an integer`);
    return x;
  };
  if (parts.length === 1) return parseSlice(num(parts[0]) ?? undefined);
  if (parts.length > 3) throw new PolymorphError('E_VALUE', `index '${index}' is not a slice (start:stop:step)`);
  const step = num(parts[2]) ?? 1;
  if (step === 0) throw new PolymorphError('E_VALUE', `index '${index}': slice step cannot be zero`);
  return { start: num(parts[0]), stop: num(parts[1]), step };
}

/** Python's slice.indices(total) → the selected frame numbers in order. */
function sliceIndices(s: Slice, total: number): number[] {
  const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
  const norm = (x: number | null, dflt: number, lo: number, hi: number): number => (x === null ? dflt : clamp(x < 0 ? x + total : x, lo, hi));
  const out: number[] = [];
  if (s.step > 0) {
    const start = norm(s.start, 0, 0, total), stop = norm(s.stop, total, 0, total);
    for (let i = start; i < stop; i += s.step) out.push(i);
  } else {
    const start = norm(s.start, total - 1, -1, total - 1), stop = norm(s.stop, -1, -1, total - 1);
    for (let i = start; i > (s.stop === null ? -1 : stop); i += s.step) out.push(i);
  }
  return out;
}

/** True if the slice can be applied while streaming, without knowing the number of frames. */
function streamable(s: Slice): boolean {
  return s.step > 0 && (s.start === null || s.start >= 0) && (s.stop === null || s.stop >= 0);
}

/** Frame predicate for a streamable slice, and the first frame number past the slice. */
function streamSelector(s: Slice): { take: (i: number) => boolean; end: number } {
  const start = s.start ?? 0;
  return { take: (i) => i >= start && (i - start) % s.step === 0 && (s.stop === null || i < s.stop), end: s.stop ?? Infinity };
}

function resolveFormat(file: string, options: { format?: string }): Format {
  return formatByName(options.format ?? formatFromPath(file));
}

/** Streams frames of a file synchronously, calling `visit(frame, index)`; stops when it returns false. */
function eachFrameSync(file: string, format: Format, options: ReadOptions, visit: (s: Structure, i: number) => boolean | void): void {
  const parser = format.createParser(file, options);
  let count = 0;
  let stopped = false;
  const last = forEachLineSync(file, (line, n) => {
    const frame = parser.push(line, n);
    if (frame && visit(frame, count++) === false) {
      stopped = true;
      return false;
    }
    return true;
  });
  if (!stopped) {
    const frame = parser.end(last);
    if (frame) visit(frame, count++);
  }
}

/**
 * Reads one frame. `index` is an integer (default -1: the last frame, as ASE's `read`).
 * @throws ParseError (`E_PARSE`) for malformed files, naming file and line; `E_IO` if the file cannot be read;
 * `E_VALUE` if the frame does not exist.
 */
export function read(file: string, options: ReadOptions = {}): Structure {
  const index = options.index ?? -1;
  if (typeof index !== 'number') throw new PolymorphError('E_VALUE', `read: index must be an integer (use readAll for slices), got '${index}'`);
  const frames = readAll(file, { ...options, index });
  if (frames.length === 0) throw new PolymorphError('E_VALUE', `${file}: no frame ${index}${index === -1 ? ' (the file holds no structure)' : ''}`);
  return frames[0];
}

/** Reads the frames selected by `index` (an integer or slice string; default all). */
export function readAll(file: string, options: ReadOptions = {}): Structure[] {
  const format = resolveFormat(file, options);
  const slice = parseSlice(options.index);
  const out: Structure[] = [];
  if (streamable(slice)) {
    const { take, end } = streamSelector(slice);
    eachFrameSync(file, format, options, (s, i) => {
      if (i >= end) return false;
      if (take(i)) out.push(s);
      return i + 1 < end;
    });
    return out;
  }
  // Negative indices: keep a bounded window when possible, otherwise count first.
  if (slice.step === 1 && slice.start !== null && slice.start < 0 && slice.stop === null) {
    const keep = -slice.start;
    eachFrameSync(file, format, options, (s) => {
      out.push(s);
      if (out.length > keep) out.shift();
    });
    return out;
  }
  let total = 0;
  eachFrameSync(file, format, options, () => {
    total++;
  });
  const wanted = sliceIndices(slice, total);
  const position = new Map(wanted.map((f, k) => [f, k]));
  const picked: Structure[] = new Array(wanted.length);
  eachFrameSync(file, format, options, (s, i) => {
    const k = position.get(i);
    if (k !== undefined) picked[k] = s;
  });
  // A frame selected twice (impossible for slices) would leave holes; slices never repeat.
  return picked;
}

/**
 * Streams the frames selected by `index` asynchronously, one at a time; memory holds one frame
 * (plus the selected frames for negative-step slices, which run backwards).
 * @example
 * for await (const frame of iread('traj.xyz', { index: '::100' })) console.log(frame.length);
 */
export async function* iread(file: string, options: ReadOptions = {}): AsyncGenerator<Structure> {
  const format = resolveFormat(file, options);
  const slice = parseSlice(options.index);
  if (streamable(slice)) {
    const { take, end } = streamSelector(slice);
    let count = 0;
    const parser = format.createParser(file, options);
    let last = 0;
    for await (const [line, n] of linesAsync(file)) {
      last = n;
      const frame = parser.push(line, n);
      if (frame) {
        const i = count++;
        if (take(i)) yield frame;
        if (i + 1 >= end) return;
      }
    }
    const frame = parser.end(last);
    if (frame && take(count)) yield frame;
    return;
  }
  let total = 0;
  for await (const _ of iread(file, { ...options, index: ':' })) total++;
  const wanted = sliceIndices(slice, total);
  if (slice.step > 0) {
    const set = new Set(wanted);
    let i = 0;
    for await (const frame of iread(file, { ...options, index: ':' })) if (set.has(i++)) yield frame;
    return;
  }
  const position = new Map(wanted.map((f, k) => [f, k]));
  const picked: Structure[] = new Array(wanted.length);
  let i = 0;
  for await (const frame of iread(file, { ...options, index: ':' })) {
    const k = position.get(i++);
    if (k !== undefined) picked[k] = frame;
  }
  yield* picked;
}

/**
 * Parses frames from a string (for tests, notebooks and data held in memory).
 * @param name used in error messages instead of a file name.
 */
export function parseText(text: string, options: ReadOptions & { format: FormatName }, name = '<string>'): Structure[] {
  const out = parseWith(formatByName(options.format), text, options, name);
  return sliceIndices(parseSlice(options.index), out.length).map((i) => out[i]);
}

/** The text of `structures` in `format`. */
export function formatText(structures: Structure | readonly Structure[], options: WriteOptions & { format: FormatName }): string {
  const list = checkWritable(structures, formatByName(options.format), options, '<string>');
  const format = formatByName(options.format);
  return list.map((s, i) => format.formatFrame(s, options, i)).join('');
}

function checkWritable(structures: Structure | readonly Structure[], format: Format, options: WriteOptions, file: string): readonly Structure[] {
  const list = structures instanceof Structure ? [structures] : structures;
  if (!Array.isArray(list) || !list.every((s) => s instanceof Structure)) throw new PolymorphError('E_TYPE', `write ${file}: expected a Structure or an array of Structures`);
  if (!format.multiFrame && list.length !== 1) throw new PolymorphError('E_VALUE', `write ${file}: the ${format.name} format holds exactly one structure, got ${list.length}`);
  if (!format.multiFrame && options.append) throw new PolymorphError('E_VALUE', `write ${file}: cannot append to a ${format.name} file`);
  return list;
}

/**
 * Writes structures to a file (format from the extension or `options.format`), frame by frame.
 * `append: true` adds frames to an existing multi-frame file.
 */
export function write(file: string, structures: Structure | readonly Structure[], options: WriteOptions = {}): void {
  const format = formatByName(options.format ?? formatFromPath(file, false));
  const list = checkWritable(structures, format, options, file);
  let fd: number;
  try {
    fd = fs.openSync(file, options.append ? 'a' : 'w');
  } catch (error) {
    throw new PolymorphError('E_IO', `cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    list.forEach((s, i) => fs.writeSync(fd, format.formatFrame(s, options, i)));
  } finally {
    fs.closeSync(fd);
  }
}

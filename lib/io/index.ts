/**
 * `polymorph/io`: read and write structures and trajectories.
 *
 * Formats: extended XYZ as ASE writes it (`extxyz`), n2p2 `input.data` (`n2p2`), LAMMPS data
 * (`lammps-data`) and dump (`lammps-dump`) files in metal units, VASP POSCAR/CONTCAR (`poscar`).
 * Trajectories are streamed frame by frame; no file is read whole into memory.
 *
 * Every reader and writer has a synchronous form for small files and notebooks and an
 * asynchronous one that leaves the event loop free: `read`/`readAsync`, `readAll`/`readAllAsync`,
 * `iread` (an async stream of frames), `write`/`writeAsync`. Both forms give the same structures.
 *
 * Options are checked: a misspelt key (`formt`) or an option that does not apply to the file's
 * format (`unwrap` for an extxyz file) is an `E_VALUE` that names the options the format takes.
 * Which options apply where:
 *
 * | option | read | write | formats |
 * | --- | --- | --- | --- |
 * | `format`, `index` | ✓ | | all (`index`: reading only) |
 * | `format`, `append` | | ✓ | all (`append`: multi-frame formats) |
 * | `types` | ✓ | ✓ | lammps-data, lammps-dump; poscar (reading VASP 4 files) |
 * | `atomStyle` | ✓ | ✓ | lammps-data |
 * | `unwrap` | ✓ | | lammps-data |
 * | `columns` | | ✓ | lammps-dump |
 * | `direct` | | ✓ | poscar |
 * | `lengthUnit`, `energyUnit` | ✓ | ✓ | n2p2 |
 * @example
 * const s = read('wurtzite.xyz');                  // last frame, as ASE
 * const frames = readAll('traj.dump', { types: ['Zn', 'O'], index: '::10' });
 * for await (const frame of iread('big.xyz')) { ... }
 * const water = await readAllAsync('input.data', { lengthUnit: 'Bohr', energyUnit: 'Hartree' }); // Å and eV
 * await writeAsync('out.xyz', frames);
 * @module io
 */
import * as fs from 'fs';
import * as path from 'path';
import { PolymorphError } from '../core/errors';
import { Structure } from '../structure/structure';
import { extxyzFormat } from './extxyz';
import { Format, FormatName, ReadOptions, WriteOptions } from './format';
import { FrameSelection, isStreamable, needsFrameCount, parseSlice, Slice, withFrameCount } from './frame-selection';
import { lammpsDataFormat } from './lammps-data';
import { lammpsDumpFormat } from './lammps-dump';
import { forEachLineSync, linesAsync } from './lines';
import { n2p2Format } from './n2p2';
import { checkIoOptions, checkOptionsApply } from './options';
import { parseFrames } from './parse-with';
import { poscarFormat } from './poscar';

export type { FormatName, ReadOptions, WriteOptions } from './format';
export type { FileEnergyUnit, FileLengthUnit } from './file-units';

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

// ---- reading ----

/** Checked options, format and slice of a read; `what` names the public function in errors. */
function readSetup(file: string, options: ReadOptions | undefined, what: string): { format: Format; options: ReadOptions; slice: Slice } {
  const checked = checkIoOptions(options, 'read', what);
  const format = formatByName(checked.format ?? formatFromPath(file));
  checkOptionsApply(checked, 'read', format, what);
  return { format, options: checked, slice: parseSlice(checked.index) };
}

/** The slice of `read`: one integer index (default -1, the last frame). */
function singleIndex(index: number | string | undefined, what: string): Slice {
  const i = index ?? -1;
  if (typeof i !== 'number') throw new PolymorphError('E_VALUE', `${what}: index must be an integer (use ${what === 'read' ? 'readAll' : 'readAllAsync'} for slices), got '${i}'`);
  return parseSlice(i);
}

/** The one frame `read` selected, or `E_VALUE` naming the missing index. */
function theFrame(file: string, frames: Structure[], index: number | string | undefined): Structure {
  if (frames.length === 0) {
    const i = index ?? -1;
    throw new PolymorphError('E_VALUE', `${file}: no frame ${i}${i === -1 ? ' (the file holds no structure)' : ''}`);
  }
  return frames[0];
}

/** Streams frames of a file synchronously, calling `visit(frame, index)`; stops when it returns false. */
function eachFrameSync(file: string, format: Format, options: ReadOptions, visit: (s: Structure, i: number) => boolean): void {
  const parser = format.createParser(file, options);
  let count = 0;
  let stopped = false;
  const last = forEachLineSync(file, (line, n) => {
    const frame = parser.push(line, n);
    if (frame && !visit(frame, count++)) {
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

/** The frames of `slice`, read synchronously (one pass, or two when the slice needs the frame count). */
function selectSync(file: string, format: Format, options: ReadOptions, slice: Slice): Structure[] {
  let total: number | undefined;
  if (needsFrameCount(slice)) {
    total = 0;
    eachFrameSync(file, format, options, () => (++(total as number), true));
  }
  const selection = new FrameSelection(slice, total);
  eachFrameSync(file, format, options, (s, i) => selection.offer(s, i));
  return selection.drain();
}

/** Every frame of a file, streamed asynchronously; breaking out of the loop closes the file. */
async function* framesAsync(file: string, format: Format, options: ReadOptions): AsyncGenerator<Structure> {
  const parser = format.createParser(file, options);
  let last = 0;
  for await (const [line, n] of linesAsync(file)) {
    last = n;
    const frame = parser.push(line, n);
    if (frame) yield frame;
  }
  const frame = parser.end(last);
  if (frame) yield frame;
}

/**
 * The frames of `slice`, streamed asynchronously: forward slices frame by frame (after a counting
 * pass when a bound counts from the end), the last few frames and backward slices at the end.
 */
async function* selectAsync(file: string, format: Format, options: ReadOptions, slice: Slice): AsyncGenerator<Structure> {
  let total: number | undefined;
  if (needsFrameCount(slice)) {
    total = 0;
    for await (const _ of framesAsync(file, format, options)) total++;
    slice = withFrameCount(slice, total); // forward slices stream on the second pass
  }
  const selection = new FrameSelection(slice, total);
  const streaming = isStreamable(slice);
  let i = 0;
  for await (const frame of framesAsync(file, format, options)) {
    const more = selection.offer(frame, i++);
    if (streaming) yield* selection.drain();
    if (!more) break;
  }
  yield* selection.drain();
}

async function collect(frames: AsyncIterable<Structure>): Promise<Structure[]> {
  const out: Structure[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

/**
 * Reads one frame. `index` is an integer (default -1: the last frame, as ASE's `read`); the
 * format comes from the file name unless `options.format` says it (see the module documentation
 * for the other options). Synchronous: {@link readAsync} reads without blocking the event loop.
 * @throws ParseError (`E_PARSE`) for malformed files, naming file and line; `E_IO` if the file cannot be read;
 * `E_VALUE` if the frame does not exist or an option is misspelt or does not apply to the format.
 * @example
 * const last = read('md.xyz');
 * const water = read('input.data', { format: 'n2p2', index: 0, lengthUnit: 'Bohr', energyUnit: 'Hartree' }); // Å, eV
 */
export function read(file: string, options: ReadOptions = {}): Structure {
  const { format, options: o } = readSetup(file, options, 'read');
  return theFrame(file, selectSync(file, format, o, singleIndex(o.index, 'read')), o.index);
}

/**
 * {@link read} without blocking the event loop: the file is streamed with `fs` streams. Resolves
 * to the same structure as `read(file, options)`; rejects with the same errors.
 * @example
 * const s = await readAsync('big.xyz', { index: 0 });
 */
export async function readAsync(file: string, options: ReadOptions = {}): Promise<Structure> {
  const { format, options: o } = readSetup(file, options, 'readAsync');
  return theFrame(file, await collect(selectAsync(file, format, o, singleIndex(o.index, 'readAsync'))), o.index);
}

/**
 * Reads the frames selected by `index` (an integer or a Python/ASE slice string such as `'::10'`,
 * `'-5:'`; default all), synchronously. {@link readAllAsync} is the non-blocking form and
 * {@link iread} streams frames one at a time.
 * @example
 * const every10th = readAll('md.xyz', { index: '::10' });
 */
export function readAll(file: string, options: ReadOptions = {}): Structure[] {
  const { format, options: o, slice } = readSetup(file, options, 'readAll');
  return selectSync(file, format, o, slice);
}

/**
 * {@link readAll} without blocking the event loop. Resolves to the same frames as
 * `readAll(file, options)`.
 * @example
 * const frames = await readAllAsync('input.data', { format: 'n2p2' });
 */
export async function readAllAsync(file: string, options: ReadOptions = {}): Promise<Structure[]> {
  const { format, options: o, slice } = readSetup(file, options, 'readAllAsync');
  return collect(selectAsync(file, format, o, slice));
}

/**
 * Streams the frames selected by `index` asynchronously, one at a time; memory holds one frame,
 * except for the last few frames (`'-5:'`, `-1`) and backward slices (`'::-1'`), which are given
 * once the file has been read. A bound counted from the end (`':-5'`) costs a counting pass
 * first. Options are checked at the call, before the first frame is asked for.
 * @example
 * for await (const frame of iread('traj.xyz', { index: '::100' })) console.log(frame.length);
 */
export function iread(file: string, options: ReadOptions = {}): AsyncGenerator<Structure> {
  const { format, options: o, slice } = readSetup(file, options, 'iread');
  return selectAsync(file, format, o, slice);
}

/** The format an in-memory reader or writer was given; `E_VALUE` when `options.format` is missing. */
function requiredFormat(options: { format?: FormatName }, what: string): Format {
  if (options.format === undefined) throw new PolymorphError('E_VALUE', `${what}: options.format is required (one of ${formatNames.join(', ')})`);
  return formatByName(options.format);
}

/**
 * Parses frames from a string (for tests, notebooks and data held in memory).
 * @param name used in error messages instead of a file name.
 * @example
 * const [s] = parseText(text, { format: 'n2p2', lengthUnit: 'Bohr' });
 */
export function parseText(text: string, options: ReadOptions & { format: FormatName }, name = '<string>'): Structure[] {
  const o = checkIoOptions(options, 'read', 'parseText');
  const format = requiredFormat(o, 'parseText');
  checkOptionsApply(o, 'read', format, 'parseText');
  const slice = parseSlice(o.index);
  const frames = parseFrames(format, text, o, name);
  const selection = new FrameSelection(slice, frames.length);
  frames.every((frame, i) => selection.offer(frame, i));
  return selection.drain();
}

// ---- writing ----

/** Checked options and format of a write, and the structures as a list. */
function writeSetup(file: string, structures: Structure | readonly Structure[], options: WriteOptions | undefined, what: string): { format: Format; options: WriteOptions; list: readonly Structure[] } {
  const o = checkIoOptions(options, 'write', what);
  const format = formatByName(o.format ?? formatFromPath(file, false));
  checkOptionsApply(o, 'write', format, what);
  const list = structures instanceof Structure ? [structures] : structures;
  if (!Array.isArray(list) || !list.every((s) => s instanceof Structure)) throw new PolymorphError('E_TYPE', `${what} ${file}: expected a Structure or an array of Structures`);
  if (!format.multiFrame && list.length !== 1) throw new PolymorphError('E_VALUE', `${what} ${file}: the ${format.name} format holds exactly one structure, got ${list.length}`);
  if (!format.multiFrame && o.append) throw new PolymorphError('E_VALUE', `${what} ${file}: cannot append to a ${format.name} file`);
  return { format, options: o, list };
}

/**
 * The text of `structures` in `options.format`.
 * @example
 * const text = formatText(water, { format: 'n2p2', lengthUnit: 'Bohr', energyUnit: 'Hartree' });
 */
export function formatText(structures: Structure | readonly Structure[], options: WriteOptions & { format: FormatName }): string {
  const o = checkIoOptions(options, 'write', 'formatText');
  requiredFormat(o, 'formatText');
  const { format, list } = writeSetup('<string>', structures, o, 'formatText');
  return list.map((s, i) => format.formatFrame(s, o, i)).join('');
}

/** A file-system error (one with a `syscall`) as `E_IO` naming the file; anything else unchanged. */
function writeError(file: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException)?.syscall === undefined) return error;
  return new PolymorphError('E_IO', `cannot write ${file}: ${(error as Error).message}`, { cause: error });
}

/**
 * Writes structures to a file (format from the extension or `options.format`), frame by frame.
 * `append: true` adds frames to an existing multi-frame file. Synchronous: {@link writeAsync}
 * writes without blocking the event loop.
 * @example
 * write('md.xyz', frames);
 * write('input.data', water, { lengthUnit: 'Bohr', energyUnit: 'Hartree' }); // n2p2 in atomic units
 */
export function write(file: string, structures: Structure | readonly Structure[], options: WriteOptions = {}): void {
  const { format, options: o, list } = writeSetup(file, structures, options, 'write');
  let fd: number;
  try {
    fd = fs.openSync(file, o.append ? 'a' : 'w');
  } catch (error) {
    throw writeError(file, error);
  }
  try {
    list.forEach((s, i) => fs.writeSync(fd, format.formatFrame(s, o, i)));
  } catch (error) {
    throw writeError(file, error);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * {@link write} without blocking the event loop (`fs.promises`, one frame formatted and written at
 * a time). The file holds the same bytes as after `write(file, structures, options)`.
 * @example
 * await writeAsync('md.xyz', frames, { append: true });
 */
export async function writeAsync(file: string, structures: Structure | readonly Structure[], options: WriteOptions = {}): Promise<void> {
  const { format, options: o, list } = writeSetup(file, structures, options, 'writeAsync');
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, o.append ? 'a' : 'w');
  } catch (error) {
    throw writeError(file, error);
  }
  try {
    for (let i = 0; i < list.length; ++i) await handle.write(format.formatFrame(list[i], o, i));
  } catch (error) {
    throw writeError(file, error);
  } finally {
    await handle.close();
  }
}

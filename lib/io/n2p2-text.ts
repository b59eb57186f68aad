/**
 * The strict lexical layer shared by the n2p2 file readers (`input.nn`, `scaling.data`,
 * `weights.NNN.data`): lines, fields, numbers and file access. See `specs/n2p2-formats.md` §0.
 *
 * n2p2 reads numbers with C `atof`/`atoi`, which never fail: `1.0d-3` reads as `1.0`, `x` as 0,
 * `12abc` as 12. polymorph refuses all of these with a {@link ParseError} naming file and line, so
 * a file means the same here as in n2p2 or is rejected:
 * - a real is a complete C decimal number (`1`, `-2.5`, `.5`, `1e-3`, `1.0E+02`) and finite;
 * - a Fortran exponent (`1.0d-3`, `1.0D-3`) is refused with a message saying how n2p2 would read it
 *   (spec Q2: the safer choice; `lib/io/tokens.ts` `parseReal` accepts `d`, so it is not used here);
 * - an integer is a plain decimal integer (`25`, not `25.0`);
 * - a carriage return anywhere is refused (spec Q11): convert CRLF files to LF line ends.
 * @module
 */
import * as fs from 'fs';
import { ParseError, PolymorphError } from '../core/errors';

const REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FORTRAN_REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)[dD][+-]?\d+$/;
const INTEGER = /^[+-]?\d+$/;

/**
 * The lines of `text` (split at `\n`; a final line without `\n` counts, a trailing `\n` adds no
 * empty line). Throws a ParseError at the first line that contains a carriage return.
 */
export function n2p2Lines(text: string, file: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const cr = text.indexOf('\r');
  if (cr >= 0) {
    const line = text.slice(0, cr).split('\n').length;
    throw new ParseError(file, line, 'LF line ends (the file has CRLF or CR line ends; n2p2 misreads them: convert the file to LF, e.g. with dos2unix)', lines[line - 1]);
  }
  return lines;
}

/** Splits on runs of spaces and tabs, ignoring leading and trailing blanks (n2p2 `reduce` + `split`). */
export function n2p2Fields(text: string): string[] {
  const t = text.replace(/^[ \t]+|[ \t]+$/g, '');
  return t === '' ? [] : t.split(/[ \t]+/);
}

/**
 * A real number: a complete, finite C decimal number. `what` names the field in the error.
 * @example n2p2Real('1.0E-3', 'input.nn', 12, 'scale_min_short') // 0.001
 */
export function n2p2Real(token: string | undefined, file: string, line: number, what: string): number {
  if (token === undefined) throw new ParseError(file, line, `${what} (a real number)`, '<end of line>');
  if (FORTRAN_REAL.test(token)) {
    const meant = token.replace(/[dD]/, 'e');
    const read = token.replace(/[dD].*$/, '');
    throw new ParseError(file, line, `${what} with a C exponent: write ${meant}, not ${token} (n2p2 would silently read ${token} as ${read})`, token);
  }
  if (REAL.test(token)) {
    const x = Number(token);
    if (Number.isFinite(x)) return x;
  }
  throw new ParseError(file, line, `${what} (a finite real number)`, token);
}

/** An integer ≥ `min`, written as a plain decimal integer. */
export function n2p2Integer(token: string | undefined, file: string, line: number, what: string, min = -Infinity): number {
  if (token === undefined) throw new ParseError(file, line, `${what} (an integer)`, '<end of line>');
  if (!INTEGER.test(token)) throw new ParseError(file, line, `${what} (an integer)`, token);
  const x = Number(token);
  if (!Number.isSafeInteger(x) || x < min) throw new ParseError(file, line, `${what} (an integer >= ${min})`, token);
  return x;
}

/** The whole text of a (small) file; a missing or unreadable file is a PolymorphError `E_IO` naming the path. */
export function readN2p2Text(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw readError(path, error);
  }
}

/** {@link readN2p2Text} without blocking the event loop. */
export async function readN2p2TextAsync(path: string): Promise<string> {
  try {
    return await fs.promises.readFile(path, 'utf8');
  } catch (error) {
    throw readError(path, error);
  }
}

function readError(path: string, error: unknown): PolymorphError {
  const e = error as NodeJS.ErrnoException;
  const reason = e?.code === 'ENOENT' ? 'no such file' : e?.code === 'EISDIR' ? 'is a directory' : e?.code === 'EACCES' ? 'permission denied' : String(e?.message ?? error);
  return new PolymorphError('E_IO', `cannot read ${path}: ${reason}`, { cause: error });
}

/**
 * Errors thrown by polymorph. Every error is a {@link PolymorphError} with a stable `code`
 * that programs can test, and a message that tells a person what to do.
 *
 * | code | meaning |
 * | --- | --- |
 * | `E_PARSE` | a file could not be parsed ({@link ParseError}: file, line, what was expected) |
 * | `E_SHAPE` | an array has the wrong shape or length |
 * | `E_TYPE` | an argument has the wrong type |
 * | `E_VALUE` | a value is out of range, not finite, or inconsistent |
 * | `E_ELEMENT` | an unknown chemical element |
 * | `E_CELL` | a missing, singular or unsuitable cell |
 * | `E_EMPTY` | an empty structure where atoms are needed |
 * | `E_UNIT` | inconsistent or unknown units |
 * | `E_FORMAT` | an unknown or unsupported file format |
 * | `E_IO` | the file system refused (missing file, permissions) |
 * | `E_NATIVE` | the native addon failed to load or raised an unexpected error |
 * | `E_MEMORY` | native code ran out of memory |
 * | `E_SIZE` | a result too large for 32-bit indices |
 * | `E_CANCELLED` | a long job was cancelled |
 * | `E_EXTRAPOLATION` | a potential was asked to refuse inputs outside its training range, and got one |
 * | `E_CONVERGENCE` | an iterative solver did not converge within its iteration limit |
 * | `E_NOT_FITTED` | an estimator's learned attribute or `predict` was used before `fit` |
 * @module
 */

/** Stable error codes; see the table in this module's documentation. */
export type ErrorCode =
  | 'E_PARSE' | 'E_SHAPE' | 'E_TYPE' | 'E_VALUE' | 'E_ELEMENT' | 'E_CELL' | 'E_EMPTY'
  | 'E_UNIT' | 'E_FORMAT' | 'E_IO' | 'E_NATIVE' | 'E_MEMORY' | 'E_SIZE' | 'E_CANCELLED' | 'E_EXTRAPOLATION' | 'E_CONVERGENCE'
  | 'E_NOT_FITTED';

/** Base class of every error polymorph throws. */
export class PolymorphError extends Error {
  /** Stable, machine-readable code such as `E_SHAPE`. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'PolymorphError';
    this.code = code;
    if (options && 'cause' in options) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** A file (or string) could not be parsed. The message reads `file:line: expected …, got …`. */
export class ParseError extends PolymorphError {
  /** File name, or `<string>` when parsing text. */
  readonly file: string;
  /** 1-based line number where the problem was found (0 if it concerns the whole file). */
  readonly line: number;
  /** What the parser expected to find. */
  readonly expected: string;

  constructor(file: string, line: number, expected: string, found?: string) {
    const where = line > 0 ? `${file}:${line}` : file;
    const got = found === undefined ? '' : `, got ${JSON.stringify(truncate(found, 80))}`;
    super('E_PARSE', `${where}: expected ${expected}${got}`);
    this.name = 'ParseError';
    this.file = file;
    this.line = line;
    this.expected = expected;
  }
}

/** The native addon could not be loaded; the message says why and how to rebuild. */
export class NativeLoadError extends PolymorphError {
  constructor(message: string, cause?: unknown) {
    super('E_NATIVE', message, { cause });
    this.name = 'NativeLoadError';
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Converts an error thrown by the addon (a JS Error with a `code`) into a PolymorphError. */
export function fromNative(error: unknown): PolymorphError {
  if (error instanceof PolymorphError) return error;
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' && e.code.startsWith('E_') ? (e.code as ErrorCode) : 'E_NATIVE';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return new PolymorphError(code, message, { cause: error });
}

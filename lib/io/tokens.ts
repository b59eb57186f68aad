/**
 * Strict token parsing shared by every reader: a field that is not what it should be raises a
 * ParseError naming file, line and expectation — never NaN or a silent zero.
 * @module
 */
import { ParseError } from '../core/errors';

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;
const INT = /^[+-]?\d+$/;

/** Location for error messages. */
export interface Where {
  file: string;
  line: number;
}

/**
 * A real number. Accepts C/Fortran forms (`1.5`, `-2e-3`, `.5`, `1.0d-3` — Fortran `d` exponents
 * mean `e`). Non-finite values are rejected unless `allowNonFinite`.
 */
export function parseReal(token: string | undefined, where: Where, what: string, allowNonFinite = false): number {
  if (token === undefined) throw new ParseError(where.file, where.line, what, '<end of line>');
  if (FLOAT.test(token)) {
    const x = Number(token.replace(/[dD]/, 'e'));
    if (Number.isFinite(x) || allowNonFinite) return x;
  } else if (allowNonFinite && SPECIAL.test(token)) {
    return Number(token.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity').replace(/^[+-]?nan$/i, 'NaN'));
  }
  throw new ParseError(where.file, where.line, `${what} (a finite real number)`, token);
}

/** An integer (optionally bounded below). */
export function parseInteger(token: string | undefined, where: Where, what: string, min = -Infinity): number {
  if (token === undefined) throw new ParseError(where.file, where.line, what, '<end of line>');
  if (!INT.test(token)) throw new ParseError(where.file, where.line, `${what} (an integer)`, token);
  const x = Number(token);
  if (!Number.isSafeInteger(x) || x < min) throw new ParseError(where.file, where.line, `${what} (an integer >= ${min})`, token);
  return x;
}

/** Splits on runs of spaces and tabs, ignoring leading/trailing blanks. */
export function splitFields(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}

/** `%24.16E`-style scientific formatting (17 significant digits; round-trips doubles exactly). */
export function formatE(x: number, width = 24): string {
  let s: string;
  if (!Number.isFinite(x)) s = Number.isNaN(x) ? 'NAN' : x > 0 ? 'INF' : '-INF';
  else {
    s = x.toExponential(16).toUpperCase();
    s = s.replace(/E([+-])(\d)$/, 'E$10$2');
  }
  return s.padStart(width);
}

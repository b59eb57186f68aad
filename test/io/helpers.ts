/** Helpers shared by the file-format tests. */
import { expect } from 'vitest';
import { ParseError } from '../../lib/core/errors';

/** Runs `fn`, asserts it throws a ParseError (E_PARSE) for `file` at `line`, and returns it. */
export function catchParseError(fn: () => unknown, file: string, line: number, pattern?: RegExp): ParseError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ParseError);
  const e = caught as ParseError;
  expect(e.code).toBe('E_PARSE');
  expect(e.file).toBe(file);
  expect(e.line).toBe(line);
  if (pattern) expect(e.message).toMatch(pattern);
  return e;
}

/** The rows of an `[N,3]` ndarray as nested arrays. */
export const rows = (a: { get(i: number, k: number): number; shape: number[] }): number[][] =>
  Array.from({ length: a.shape[0] }, (_, i) => [0, 1, 2].map((k) => a.get(i, k)));

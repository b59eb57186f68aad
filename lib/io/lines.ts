/**
 * Line sources: a file read synchronously in chunks, a file streamed asynchronously, or a string.
 * Files are never read whole into memory. Lines lose their `\n` and a trailing `\r` (CRLF input is
 * normalised; writers always emit `\n`).
 * @module
 */
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { PolymorphError } from '../core/errors';

const CHUNK = 1 << 20;

function ioError(path: string, error: unknown): PolymorphError {
  const e = error as NodeJS.ErrnoException;
  const reason = e?.code === 'ENOENT' ? 'no such file' : e?.code === 'EISDIR' ? 'is a directory' : e?.code === 'EACCES' ? 'permission denied' : String(e?.message ?? error);
  return new PolymorphError('E_IO', `cannot read ${path}: ${reason}`, { cause: error });
}

function stripCR(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Calls `visit(line, lineNumber)` for each line of the file, synchronously, reading 1 MiB at a time.
 * Stops early when `visit` returns false. Returns the number of lines visited.
 */
export function forEachLineSync(path: string, visit: (line: string, lineNumber: number) => boolean | void): number {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    throw ioError(path, error);
  }
  const buffer = Buffer.allocUnsafe(CHUNK);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lineNumber = 0;
  try {
    for (;;) {
      let read: number;
      try {
        read = fs.readSync(fd, buffer, 0, CHUNK, null);
      } catch (error) {
        throw ioError(path, error);
      }
      const text = read > 0 ? decoder.write(buffer.subarray(0, read)) : decoder.end();
      pending += text;
      let start = 0;
      for (let nl = pending.indexOf('\n', start); nl >= 0; nl = pending.indexOf('\n', start)) {
        if (visit(stripCR(pending.slice(start, nl)), ++lineNumber) === false) return lineNumber;
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (read === 0) break;
    }
    if (pending.length > 0) visit(stripCR(pending), ++lineNumber);
    return lineNumber;
  } finally {
    fs.closeSync(fd);
  }
}

/** The lines of a file as an async stream (1 MiB reads), each with its 1-based number. */
export async function* linesAsync(path: string): AsyncGenerator<[string, number]> {
  const stream = fs.createReadStream(path, { highWaterMark: CHUNK });
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lineNumber = 0;
  try {
    for await (const chunk of stream) {
      pending += decoder.write(chunk as Buffer);
      let start = 0;
      for (let nl = pending.indexOf('\n', start); nl >= 0; nl = pending.indexOf('\n', start)) {
        yield [stripCR(pending.slice(start, nl)), ++lineNumber];
        start = nl + 1;
      }
      pending = pending.slice(start);
    }
  } catch (error) {
    if (error instanceof PolymorphError) throw error;
    throw ioError(path, error);
  } finally {
    stream.destroy();
  }
  pending += decoder.end();
  if (pending.length > 0) yield [stripCR(pending), ++lineNumber];
}

/** The lines of a string, each with its 1-based number. */
export function* linesOf(text: string): Generator<[string, number]> {
  let start = 0;
  let lineNumber = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    yield [stripCR(text.slice(start, nl)), ++lineNumber];
    start = nl + 1;
  }
  if (start < text.length) yield [stripCR(text.slice(start)), ++lineNumber];
}

/**
 * Internal: runs one format's push parser over text held in memory (used by `parseText` and by
 * the format tests). Not part of the public API.
 * @module
 * @internal
 */
import type { Structure } from '../structure/structure';
import type { Format, ReadOptions } from './format';
import { linesOf } from './lines';
import { checkFormatOptions } from './options';

/** Every frame of `text` pushed through a parser of `format`, without option checks. */
export function parseFrames(format: Format, text: string, options: ReadOptions, name: string): Structure[] {
  const parser = format.createParser(name, options);
  const out: Structure[] = [];
  let last = 0;
  for (const [line, n] of linesOf(text)) {
    last = n;
    const frame = parser.push(line, n);
    if (frame) out.push(frame);
  }
  const frame = parser.end(last);
  if (frame) out.push(frame);
  return out;
}

/** Every frame of `text`, pushed line by line through a parser of `format` (`name` is used in errors). */
export function parseWith(format: Format, text: string, options: ReadOptions = {}, name = '<string>'): Structure[] {
  return parseFrames(format, text, checkFormatOptions(options, 'read', format, 'parseWith'), name);
}

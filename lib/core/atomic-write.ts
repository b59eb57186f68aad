/**
 * `writeFileAtomic`: a file written through a temporary file renamed over it, so an interrupted
 * write leaves the previous version readable (checkpoints).
 * @internal
 * @module
 */
import * as fs from 'fs';
import { PolymorphError } from './errors';

/** Writes `text` to `file` atomically; `E_IO` naming `what` and the file when it cannot. */
export function writeFileAtomic(file: string, text: string, what: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new PolymorphError('E_IO', `${what}: cannot write ${file}: ${(error as Error).message}`);
  }
}

/**
 * The frame sources analysis functions accept: one Structure, an array (or any iterable) of them,
 * or an async iterable (e.g. `iread` streaming a trajectory: never all frames in memory).
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';
import { Structure } from '../structure/structure';

/** One frame, frames in memory, or frames streamed (`iread(path)`). */
export type Frames = Structure | Iterable<Structure> | AsyncIterable<Structure>;
/** Frames available without waiting: one Structure or an iterable of them. */
export type SyncFrames = Structure | Iterable<Structure>;

function check(frame: unknown, k: number, what: string): Structure {
  if (!(frame instanceof Structure)) throw new PolymorphError('E_TYPE', `${what}: frame ${k} is not a Structure`);
  return frame;
}

/** Calls `visit` on each frame, in order; E_EMPTY for no frames. */
export function eachFrame(frames: SyncFrames, what: string, visit: (frame: Structure, k: number) => void): number {
  if (frames instanceof Structure) {
    visit(frames, 0);
    return 1;
  }
  if (frames === null || typeof frames !== 'object' || typeof (frames as Iterable<Structure>)[Symbol.iterator] !== 'function') {
    throw new PolymorphError('E_TYPE', `${what}: expected a Structure or an iterable of them (use the Async form for an async iterable)`);
  }
  let k = 0;
  for (const frame of frames) visit(check(frame, k, what), k), ++k;
  if (k === 0) throw new PolymorphError('E_EMPTY', `${what}: no frames`);
  return k;
}

/** The same for any frame source, awaiting `visit` (which may be async) frame by frame. */
export async function eachFrameAsync(frames: Frames, what: string, visit: (frame: Structure, k: number) => void | Promise<void>): Promise<number> {
  if (frames !== null && typeof frames === 'object' && typeof (frames as AsyncIterable<Structure>)[Symbol.asyncIterator] === 'function') {
    let k = 0;
    for await (const frame of frames as AsyncIterable<Structure>) await visit(check(frame, k, what), k), ++k;
    if (k === 0) throw new PolymorphError('E_EMPTY', `${what}: no frames`);
    return k;
  }
  if (frames instanceof Structure) {
    await visit(frames, 0);
    return 1;
  }
  if (frames === null || typeof frames !== 'object' || typeof (frames as Iterable<Structure>)[Symbol.iterator] !== 'function') {
    throw new PolymorphError('E_TYPE', `${what}: expected a Structure, an iterable or an async iterable of them`);
  }
  let k = 0;
  for (const frame of frames as Iterable<Structure>) await visit(check(frame, k, what), k), ++k;
  if (k === 0) throw new PolymorphError('E_EMPTY', `${what}: no frames`);
  return k;
}

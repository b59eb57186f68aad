/**
 * Frame selection for `read`, `readAll`, `iread` and their async forms: ASE/Python indices and
 * slices (`-1`, `'::10'`, `'-5:'`, `'8:2:-2'`), applied while frames stream past so that at most
 * the selected frames are held in memory.
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';
import type { Structure } from '../structure/structure';

/** A Python/ASE slice. */
export interface Slice {
  start: number | null;
  stop: number | null;
  step: number;
}

/** An integer index or a slice string (`'start:stop:step'`) → a slice; undefined → every frame. */
export function parseSlice(index: number | string | undefined): Slice {
  if (index === undefined) return { start: null, stop: null, step: 1 };
  if (typeof index === 'number') {
    if (!Number.isInteger(index)) throw new PolymorphError('E_VALUE', `index must be an integer, got ${index}`);
    return index === -1 ? { start: -1, stop: null, step: 1 } : { start: index, stop: index + 1, step: 1 };
  }
  if (typeof index !== 'string') throw new PolymorphError('E_TYPE', `index must be an integer or a slice string such as '::10', got ${JSON.stringify(index)}`);
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
export function sliceIndices(s: Slice, total: number): number[] {
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

/**
 * The same selection as `s` over `total` frames with non-negative bounds, for a forward slice
 * (step > 0), so that it can be streamed once the number of frames is known; `s` otherwise.
 * @example
 * withFrameCount(parseSlice(':-5'), 100) // { start: 0, stop: 95, step: 1 }
 */
export function withFrameCount(s: Slice, total: number): Slice {
  if (s.step < 0) return s;
  const bound = (x: number | null, dflt: number): number => (x === null ? dflt : Math.max(0, Math.min(total, x < 0 ? x + total : x)));
  return { start: bound(s.start, 0), stop: bound(s.stop, total), step: s.step };
}

/** True if the slice can be applied while streaming, without knowing the number of frames. */
export function isStreamable(s: Slice): boolean {
  return s.step > 0 && (s.start === null || s.start >= 0) && (s.stop === null || s.stop >= 0);
}

/** True if the slice is the last few frames (`'-5:'`, `-1`): a sliding window, one pass. */
function isTail(s: Slice): boolean {
  return s.step === 1 && s.start !== null && s.start < 0 && s.stop === null;
}

/** True if the slice needs the number of frames first (a counting pass over the file). */
export function needsFrameCount(s: Slice): boolean {
  return !isStreamable(s) && !isTail(s);
}

/**
 * Collects the frames of a slice as they stream past: `offer` each frame with its number (0, 1,
 * …) and stop reading when it returns false; `drain()` then gives the selection in slice order.
 * Slices for which {@link needsFrameCount} is true need `total`, the number of frames. For
 * streamable slices `drain()` may also be called after every offer, to pass frames on at once.
 */
export class FrameSelection {
  private picked: (Structure | undefined)[] = [];
  private readonly position: Map<number, number> | null = null;
  private readonly last: number = Infinity;

  constructor(private readonly slice: Slice, total?: number) {
    if (needsFrameCount(slice)) {
      if (total === undefined) throw new PolymorphError('E_VALUE', 'FrameSelection: this slice needs the number of frames');
      const wanted = sliceIndices(slice, total);
      this.position = new Map(wanted.map((f, k) => [f, k]));
      this.picked = new Array<Structure | undefined>(wanted.length);
      this.last = wanted.reduce((m, f) => Math.max(m, f), -1);
    } else if (isStreamable(slice)) {
      this.last = (slice.stop ?? Infinity) - 1;
    }
  }

  /** Takes frame `i` if selected; returns false when no later frame can be selected. */
  offer(frame: Structure, i: number): boolean {
    const s = this.slice;
    if (this.position !== null) {
      const k = this.position.get(i);
      if (k !== undefined) this.picked[k] = frame;
    } else if (isTail(s)) {
      this.picked.push(frame);
      if (this.picked.length > -(s.start as number)) this.picked.shift();
    } else {
      const start = s.start ?? 0;
      if (i >= start && (i - start) % s.step === 0 && i <= this.last) this.picked.push(frame);
    }
    return i < this.last;
  }

  /** The frames selected so far, in slice order, and forgets them. */
  drain(): Structure[] {
    const out = this.picked.filter((f): f is Structure => f !== undefined);
    this.picked = [];
    return out;
  }
}

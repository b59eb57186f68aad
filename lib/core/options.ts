/**
 * The one options checker of the API: every public function or constructor that takes an
 * options object (or a request such as `{ forces: true }`) passes it through {@link checkOptions},
 * so a misspelt key (`ful`, `lenghtUnit`, `force`) is an `E_VALUE` naming the expected keys
 * instead of being silently ignored.
 * @module
 * @internal
 */
import { PolymorphError } from './errors';

/**
 * Returns `options` (or `{}` when undefined) after checking that it is a plain object whose keys
 * are all in `allowed`. `what` names the function in messages, e.g. `'NeighborList.build'`.
 * Unknown keys → `E_VALUE` listing the expected names (and the closest one); a non-object → `E_TYPE`.
 * @example
 * const { full = true, skin = 0 } = checkOptions(options, ['full', 'skin'], 'NeighborList.build');
 */
export function checkOptions<T extends object>(options: T | undefined | null, allowed: readonly string[], what: string): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new PolymorphError('E_TYPE', `${what}: options must be an object like { ${allowed[0] ?? ''}: … }, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const near = closest(key, allowed);
      const hint = near ? ` Did you mean '${near}'?` : '';
      throw new PolymorphError('E_VALUE', `${what}: unknown option '${key}' (expected one of ${allowed.join(', ')}).${hint}`);
    }
  }
  return options;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return 'a typed array';
  return typeof value;
}

/** The allowed key closest to `key` by edit distance, when it is close enough to be a typo. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of allowed) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; ++i) {
    const current = [i];
    for (let j = 1; j <= b.length; ++j) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

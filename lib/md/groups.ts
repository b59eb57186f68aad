/**
 * Named atom groups for {@link MolecularDynamics}: atom indices, a mask, or a predicate over the
 * structure, resolved once to sorted indices.
 * @module
 */
import { PolymorphError } from '../core/errors';
import type { Structure } from '../structure/structure';

/**
 * A group of atoms: indices (0-based), a boolean mask with one entry per atom, or a predicate
 * `(structure, index) => boolean`.
 * @example
 * const groups = { seed: seedIndices, oxygen: (s, i) => s.numbers[i] === 8, top: mask };
 */
export type GroupSpec = ArrayLike<number> | ArrayLike<boolean> | ((structure: Structure, index: number) => boolean);

/** The sorted, unique atom indices of `spec` in `structure`; E_VALUE naming the group for an atom that does not exist. */
export function groupIndices(spec: GroupSpec, structure: Structure, name: string): Int32Array {
  const n = structure.length;
  const picked: number[] = [];
  if (typeof spec === 'function') {
    for (let i = 0; i < n; ++i) if (spec(structure, i)) picked.push(i);
  } else if (spec !== null && typeof spec === 'object' && typeof spec.length === 'number') {
    const values = Array.from(spec as ArrayLike<number | boolean>);
    if (values.length > 0 && values.every((v) => typeof v === 'boolean')) {
      if (values.length !== n) {
        throw new PolymorphError('E_SHAPE', `group '${name}': a mask needs one entry per atom (${n}), got ${values.length}`);
      }
      values.forEach((v, i) => v && picked.push(i));
    } else {
      for (const v of values) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
          throw new PolymorphError('E_VALUE', `group '${name}' names atom ${String(v)}, but the structure has atoms 0…${n - 1}`);
        }
        picked.push(v);
      }
    }
  } else {
    throw new PolymorphError('E_TYPE', `group '${name}' must be atom indices, a boolean mask or a predicate (structure, index) => boolean`);
  }
  return Int32Array.from(new Set(picked)).sort();
}

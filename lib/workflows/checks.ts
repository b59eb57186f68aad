/**
 * Checks and small measures the nucleation workflows share.
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';
import type { Potential } from '../potentials';
import { checkPositive } from '../potentials/requests';
import { NeighborList } from '../structure/neighbor-list';
import { Structure } from '../structure/structure';

/** `value` if it is a finite number > 0; else E_VALUE naming `workflow: what`. */
export function positive(value: unknown, workflow: string, what: string): number {
  return checkPositive(value, `${workflow}: ${what}`);
}

/** `value` if it is an integer ≥ `least`; else E_VALUE. */
export function integerAtLeast(value: unknown, least: number, workflow: string, what: string): number {
  if (!(Number.isInteger(value) && (value as number) >= least)) throw new PolymorphError('E_VALUE', `${workflow}: ${what} must be an integer ≥ ${least}, got ${String(value)}`);
  return value as number;
}

/** Throws E_TYPE unless `potential` is a Potential. */
export function checkPotential(potential: unknown, workflow: string): Potential {
  if (potential === null || typeof potential !== 'object' || typeof (potential as Potential).compute !== 'function') throw new PolymorphError('E_TYPE', `${workflow}: expected a Potential`);
  return potential as Potential;
}

/** `structure` if it is an open cluster (no periodic direction); E_TYPE or E_CELL naming `what`. */
export function openCluster(structure: unknown, workflow: string, what: string): Structure {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', `${workflow}: ${what} must be a Structure`);
  if (structure.pbc.some((p) => p)) throw new PolymorphError('E_CELL', `${workflow}: the ${what} must be an open cluster (no periodic direction)`);
  return structure;
}

/** The median distance from each atom to its nearest neighbour (Å). */
export function medianNearestDistance(s: Structure): number {
  let cutoff = 3;
  for (;;) {
    const list = NeighborList.build(s, cutoff);
    const nearest: number[] = [];
    for (let i = 0; i < s.length; ++i) {
      let best = Infinity;
      for (let q = list.rowPtr[i]; q < list.rowPtr[i + 1]; ++q) best = Math.min(best, list.distances[q]);
      if (Number.isFinite(best)) nearest.push(best);
    }
    if (2 * nearest.length >= s.length || cutoff > 40) {
      nearest.sort((a, b) => a - b);
      return nearest.length ? nearest[Math.floor(nearest.length / 2)] : 1;
    }
    cutoff *= 1.5;
  }
}

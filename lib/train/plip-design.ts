/**
 * Per-structure blocks of the PLIP (and PLIP+Q) design matrix, with the reference labels checked.
 * @internal
 * @module
 */
import { PolymorphError } from '../core/errors';
import type { PlipDescriptors } from '../descriptors/plip';
import type { Potential } from '../potentials/potential';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import { Structure } from '../structure/structure';
import { step, type Steps } from './steps';

/**
 * The unweighted rows of one structure over P = F (+1 for PLIP+Q) columns: the descriptor
 * columns in `descriptors.featureNames()` order, then the electrostatic energy E_el (eV) computed
 * with the initial charges when there is one.
 */
export interface StructureBlock {
  /** Index of the structure in the caller's list. */
  index: number;
  /** Number of atoms N. */
  atoms: number;
  /** Energy row per atom [P]: Σ_i χ_i / N (dimensionless), then E_el / N (eV/atom). */
  energyRow: Float64Array;
  /** Atoms of each descriptor element per atom [T]: n_e / N. */
  counts: Float64Array;
  /** Reference energy per atom, eV/atom (NaN when energies are not fitted). */
  energy: number;
  /** Force rows [3N, P] (row 3k + a: atom k, component a): −∂χ/∂r (1/Å), then the initial-charge electrostatic forces (eV/Å); null when forces are not fitted. */
  forceRows: Float64Array | null;
  /** Reference forces [3N], eV/Å; null when forces are not fitted. */
  forces: Float64Array | null;
}

/** Which labels a fit needs. */
export interface LabelNeeds {
  energy: boolean;
  forces: boolean;
}

/**
 * Checks that `structures` is a non-empty list of Structures whose elements the descriptors
 * cover, carrying finite `info.energy` (eV) and `arrays.forces` `[N,3]` (eV/Å) where needed.
 * Throws `E_EMPTY`, `E_TYPE`, `E_ELEMENT`, `E_VALUE` (missing or non-finite labels), `E_SHAPE`.
 */
export function checkStructures(structures: readonly Structure[], descriptors: PlipDescriptors, needs: LabelNeeds): void {
  if (!Array.isArray(structures)) throw new PolymorphError('E_TYPE', 'fitPlip: structures must be an array of Structure');
  if (structures.length === 0) throw new PolymorphError('E_EMPTY', 'fitPlip: no structures to fit');
  const covered = new Set(descriptors.elements.map((s) => atomicNumber(s)));
  structures.forEach((s, k) => {
    if (!(s instanceof Structure)) throw new PolymorphError('E_TYPE', `fitPlip: structures[${k}] is not a Structure`);
    if (s.length === 0) throw new PolymorphError('E_EMPTY', `fitPlip: structures[${k}] has no atoms`);
    for (const z of s.numbers) {
      if (!covered.has(z)) {
        throw new PolymorphError('E_ELEMENT', `fitPlip: structures[${k}] contains ${chemicalSymbol(z)}, which the descriptors do not cover (${descriptors.elements.join(', ')})`);
      }
    }
    if (needs.energy) {
      const e = s.info.energy;
      if (e === undefined) throw new PolymorphError('E_VALUE', `fitPlip: structures[${k}] has no reference energy (info.energy, eV)`);
      if (typeof e !== 'number' || !Number.isFinite(e)) throw new PolymorphError('E_VALUE', `fitPlip: structures[${k}].info.energy must be a finite number (eV), got ${String(e)}`);
    }
    if (needs.forces) referenceForces(s, k);
  });
}

/** The reference forces of structure k as [3N] (eV/Å), checked. */
function referenceForces(s: Structure, k: number): Float64Array {
  const f = s.arrays.forces;
  if (f === undefined) throw new PolymorphError('E_VALUE', `fitPlip: structures[${k}] has no reference forces (arrays.forces, [N,3] eV/Å)`);
  if (Array.isArray(f) || f.shape.length !== 2 || f.shape[0] !== s.length || f.shape[1] !== 3) {
    throw new PolymorphError('E_SHAPE', `fitPlip: structures[${k}].arrays.forces must be a numeric [${s.length},3] array (eV/Å)`);
  }
  const out = new Float64Array(3 * s.length);
  for (let i = 0; i < s.length; ++i) {
    for (let a = 0; a < 3; ++a) {
      const v = f.get(i, a);
      if (!Number.isFinite(v)) throw new PolymorphError('E_VALUE', `fitPlip: structures[${k}].arrays.forces[${i}][${a}] is not finite (${v})`);
      out[3 * i + a] = v;
    }
  }
  return out;
}

/**
 * The block of structure `index`: descriptor rows from `descriptors` and, with `electrostatics`
 * (a point-charge potential with the initial charges), one more column. Two native steps (see
 * `steps.ts`): the descriptor rows, then the electrostatic energy and forces.
 */
export function* structureBlock(s: Structure, index: number, descriptors: PlipDescriptors, electrostatics: Potential | null, needs: LabelNeeds): Steps<StructureBlock> {
  const n = s.length;
  const F = descriptors.featureCount;
  const P = F + (electrostatics ? 1 : 0);
  const want = { forces: needs.forces };
  const rows = yield* step({ run: () => descriptors.compute(s, want), runAsync: () => descriptors.computeAsync(s, want) });
  const el = electrostatics ? yield* step({ run: () => electrostatics.compute(s, want), runAsync: () => electrostatics.computeAsync(s, want) }) : null;
  const energyRow = new Float64Array(P);
  for (let f = 0; f < F; ++f) energyRow[f] = rows.energyRow[f] / n;
  if (el) energyRow[F] = el.energy / n;
  const counts = new Float64Array(descriptors.elements.length);
  const column = new Map(descriptors.elements.map((e, k) => [atomicNumber(e), k]));
  for (const z of s.numbers) counts[column.get(z) as number] += 1 / n;
  let forceRows: Float64Array | null = null;
  if (needs.forces && rows.forceRows) {
    const source = rows.forceRows.data;
    if (!el) {
      forceRows = source;
    } else {
      forceRows = new Float64Array(3 * n * P);
      const elForces = el.forces?.data as Float64Array;
      for (let r = 0; r < 3 * n; ++r) {
        forceRows.set(source.subarray(r * F, (r + 1) * F), r * P);
        forceRows[r * P + F] = elForces[r];
      }
    }
  }
  return {
    index, atoms: n, energyRow, counts,
    energy: needs.energy ? (s.info.energy as number) / n : NaN,
    forceRows,
    forces: needs.forces ? referenceForces(s, index) : null,
  };
}

/**
 * Per-structure blocks of the PLIP (and PLIP+Q) design matrix, with the reference labels checked.
 * @internal
 * @module
 */
import { isNdArray } from '../core/arrays';
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
  /**
   * Force rows [3M, P] of the M atoms kept by `maxForce`, in atom order (row 3m + a: kept atom m,
   * component a): −∂χ/∂r (1/Å), then the initial-charge electrostatic forces (eV/Å); null when
   * forces are not fitted (or once the design matrix holds them).
   */
  forceRows: Float64Array | null;
  /** Reference forces of the kept atoms [3M], eV/Å; null when forces are not fitted. */
  forces: Float64Array | null;
  /** Atoms whose force rows `maxForce` dropped (|F_ref| > maxForce). */
  forcesDropped: number;
  /** Stress rows [6, P], Voigt xx yy zz yz xz xy: (1/V)∂Σχ/∂ε (1/Å³), then the initial-charge electrostatic stress (eV/Å³); null when stress is not fitted or the structure is not periodic in 3-D. */
  stressRows: Float64Array | null;
  /** Reference stress [6], Voigt, eV/Å³ (ASE sign); null with stressRows. */
  stress: Float64Array | null;
}

/** Which rows a fit builds: energy, force and stress rows (from the weights), and the |F| filter. */
export interface RowSpec {
  energy: boolean;
  forces: boolean;
  /** Stress rows for structures periodic in 3-D. */
  stress: boolean;
  /** Atoms with reference |F| above this (eV/Å) have no force rows; Infinity keeps all. */
  maxForce: number;
}

/** True for a structure with a cell periodic in all three directions (the ones with stress rows). */
export function periodic3d(s: Structure): boolean {
  return s.cell !== null && s.pbc.every((p) => p);
}

/**
 * Checks that `structures` is a non-empty list of Structures whose elements the descriptors
 * cover, carrying finite `info.energy` (eV), `arrays.forces` `[N,3]` (eV/Å) and, for structures
 * periodic in 3-D, `info.stress` (eV/Å³) where needed. Throws `E_EMPTY`, `E_TYPE`, `E_ELEMENT`,
 * `E_VALUE` (missing or non-finite labels), `E_SHAPE`.
 */
export function checkStructures(structures: readonly Structure[], descriptors: PlipDescriptors, needs: RowSpec): void {
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
    if (needs.stress && periodic3d(s)) referenceStress(s, k);
  });
}

/**
 * The reference stress of structure k as Voigt [6] (xx yy zz yz xz xy, eV/Å³, ASE sign), checked.
 * `info.stress` is a `[3,3]` matrix (what extended XYZ gives; the symmetric part is used), 9
 * values row by row, or 6 Voigt values, as an ndarray or a number list.
 */
function referenceStress(s: Structure, k: number): Float64Array {
  const v = s.info.stress;
  const what = `fitPlip: structures[${k}]`;
  if (v === undefined) throw new PolymorphError('E_VALUE', `${what} is periodic but has no reference stress (info.stress, [3,3] or 6 Voigt values, eV/Å³), and weights.stress > 0 needs it`);
  let values: number[] | null = null;
  if (isNdArray(v) && v.size === 9 && v.shape.length === 2 && v.shape[0] === 3) values = Array.from({ length: 9 }, (_, i) => v.get(Math.floor(i / 3), i % 3));
  else if (isNdArray(v) && v.shape.length === 1 && (v.size === 6 || v.size === 9)) values = Array.from({ length: v.size }, (_, i) => v.get(i));
  else if (Array.isArray(v) && (v.length === 6 || v.length === 9) && v.every((x) => typeof x === 'number')) values = v as number[];
  if (values === null) throw new PolymorphError('E_SHAPE', `${what}.info.stress must be a [3,3] matrix, 9 values row by row or 6 Voigt values xx yy zz yz xz xy (eV/Å³)`);
  values.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `${what}.info.stress[${i}] is not finite (${x})`);
  });
  if (values.length === 6) return Float64Array.from(values);
  const m = (a: number, b: number): number => 0.5 * (values![3 * a + b] + values![3 * b + a]);
  return Float64Array.of(m(0, 0), m(1, 1), m(2, 2), m(1, 2), m(0, 2), m(0, 1));
}

/** Atoms of structure k kept by the |F| filter (all of them when maxForce is Infinity); labels must have been checked. */
export function keptForceAtoms(s: Structure, k: number, maxForce: number): number {
  if (maxForce === Infinity) return s.length;
  const f = referenceForces(s, k);
  let kept = 0;
  for (let i = 0; i < s.length; ++i) if (Math.hypot(f[3 * i], f[3 * i + 1], f[3 * i + 2]) <= maxForce) ++kept;
  return kept;
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
 * `steps.ts`): the descriptor rows, then the electrostatic energy, forces and stress. Force rows
 * of atoms with |F_ref| > `needs.maxForce` are left out; stress rows exist for structures
 * periodic in 3-D when `needs.stress`.
 */
export function* structureBlock(s: Structure, index: number, descriptors: PlipDescriptors, electrostatics: Potential | null, needs: RowSpec): Steps<StructureBlock> {
  const n = s.length;
  const F = descriptors.featureCount;
  const P = F + (electrostatics ? 1 : 0);
  const withStress = needs.stress && periodic3d(s);
  const want = { forces: needs.forces, stress: withStress };
  const rows = yield* step({ run: () => descriptors.compute(s, want), runAsync: () => descriptors.computeAsync(s, want) });
  const el = electrostatics ? yield* step({ run: () => electrostatics.compute(s, want), runAsync: () => electrostatics.computeAsync(s, want) }) : null;
  const energyRow = new Float64Array(P);
  for (let f = 0; f < F; ++f) energyRow[f] = rows.energyRow[f] / n;
  if (el) energyRow[F] = el.energy / n;
  const counts = new Float64Array(descriptors.elements.length);
  const column = new Map(descriptors.elements.map((e, k) => [atomicNumber(e), k]));
  for (const z of s.numbers) counts[column.get(z) as number] += 1 / n;
  let forceRows: Float64Array | null = null, forces: Float64Array | null = null, forcesDropped = 0;
  if (needs.forces && rows.forceRows) {
    const reference = referenceForces(s, index);
    const kept: number[] = [];
    for (let i = 0; i < n; ++i) {
      if (Math.hypot(reference[3 * i], reference[3 * i + 1], reference[3 * i + 2]) <= needs.maxForce) kept.push(i);
    }
    forcesDropped = n - kept.length;
    const source = rows.forceRows.data;
    const elForces = el ? (el.forces?.data as Float64Array) : null;
    if (!elForces && forcesDropped === 0) {
      forceRows = source;
      forces = reference;
    } else {
      forceRows = new Float64Array(3 * kept.length * P);
      forces = new Float64Array(3 * kept.length);
      kept.forEach((i, m) => {
        for (let a = 0; a < 3; ++a) {
          const from = 3 * i + a, to = 3 * m + a;
          forceRows!.set(source.subarray(from * F, (from + 1) * F), to * P);
          if (elForces) forceRows![to * P + F] = elForces[from];
          forces![to] = reference[from];
        }
      });
    }
  }
  let stressRows: Float64Array | null = null, stress: Float64Array | null = null;
  if (withStress && rows.stressRows) {
    stressRows = new Float64Array(6 * P);
    for (let v = 0; v < 6; ++v) stressRows.set(rows.stressRows.data.subarray(v * F, (v + 1) * F), v * P);
    if (el) {
      const sigma = el.stress as NonNullable<typeof el.stress>;
      const voigt = [[0, 0], [1, 1], [2, 2], [1, 2], [0, 2], [0, 1]];
      voigt.forEach(([a, b], v) => { stressRows![v * P + F] = 0.5 * (sigma.get(a, b) + sigma.get(b, a)); });
    }
    stress = referenceStress(s, index);
  }
  return {
    index, atoms: n, energyRow, counts,
    energy: needs.energy ? (s.info.energy as number) / n : NaN,
    forceRows, forces, forcesDropped, stressRows, stress,
  };
}

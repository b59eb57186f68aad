/**
 * Reference structures for HDNNP training, packed for the native trainer in the potential's own
 * units, and the seeded split into training and validation structures.
 * @module
 * @internal
 */
import { PolymorphError } from '../core/errors';
import { mulberry32 } from '../core/random';
import type { NativeHdnnpTrainingSpec } from '../core/native-types';
import type { SymmetryFunctions } from '../descriptors/symmetry-functions';
import { Structure } from '../structure/structure';

/** What the loss needs of each structure. */
export interface LabelNeeds {
  forces: boolean;
  stress: boolean;
}

/** Structures packed for `createHdnnpTraining`, with what the trainer reports from them. */
export interface PackedStructures {
  native: NativeHdnnpTrainingSpec['structures'];
  /** Atoms per structure. */
  atoms: Int32Array;
  /** Reference energy per atom (potential units) minus the atom-energy offsets. */
  energyPerAtom: Float64Array;
  /** Structures carrying a stress label. */
  stressCount: number;
}

function matrixOf(value: unknown): Float64Array | null {
  const v = value as { shape?: number[]; get?: (i: number, j: number) => number } | null;
  if (v === null || v === undefined || !Array.isArray(v.shape) || v.shape.length !== 2 || v.shape[0] !== 3 || v.shape[1] !== 3 || typeof v.get !== 'function') return null;
  const out = new Float64Array(9);
  for (let a = 0; a < 3; ++a) for (let b = 0; b < 3; ++b) out[3 * a + b] = v.get(a, b);
  return out;
}

/**
 * Packs `structures` (Å, eV; labels `info.energy`, `arrays.forces` `[N,3]` eV/Å, `info.stress`
 * `[3,3]` eV/Å³) into the potential's units (`length` Å and `energy` eV per unit).
 * @throws PolymorphError `E_VALUE` for a missing or non-finite label the loss needs, naming the
 * structure; `E_ELEMENT` for an element without symmetry functions; `E_EMPTY` for no structures.
 */
export function packStructures(structures: readonly Structure[], functions: SymmetryFunctions, units: { length: number; energy: number },
  atomEnergies: readonly number[], needs: LabelNeeds, what: string): PackedStructures {
  if (!Array.isArray(structures) || structures.length === 0) throw new PolymorphError('E_EMPTY', `${what}: no structures to train on`);
  let total = 0;
  structures.forEach((s, k) => {
    if (!(s instanceof Structure)) throw new PolymorphError('E_TYPE', `${what}: structure ${k} is not a Structure`);
    if (s.length === 0) throw new PolymorphError('E_EMPTY', `${what}: structure ${k} has no atoms`);
    total += s.length;
  });
  const S = structures.length;
  const native: NativeHdnnpTrainingSpec['structures'] = {
    atoms: new Int32Array(S), elements: new Int32Array(total), positions: new Float64Array(3 * total), cells: new Float64Array(9 * S),
    hasCell: new Uint8Array(S), pbc: new Uint8Array(3 * S), energies: new Float64Array(S), hasForces: new Uint8Array(S),
    forces: new Float64Array(3 * total), hasStress: new Uint8Array(S), stress: new Float64Array(9 * S),
  };
  const L = units.length, E = units.energy;
  const energyPerAtom = new Float64Array(S);
  let at = 0, stressCount = 0;
  structures.forEach((s, k) => {
    const n = s.length;
    const label = `${what}: structure ${k}`;
    let elements: Int32Array;
    try {
      elements = functions.elementIndices(s);
    } catch (error) {
      if (error instanceof PolymorphError) throw new PolymorphError(error.code, `${label}: ${error.message}`, { cause: error });
      throw error;
    }
    native.atoms[k] = n;
    native.elements.set(elements, at);
    const p = s.positions.data;
    for (let q = 0; q < 3 * n; ++q) native.positions[3 * at + q] = p[s.positions.offset + q] / L;
    if (s.cell) {
      native.hasCell[k] = 1;
      for (let a = 0; a < 3; ++a) for (let b = 0; b < 3; ++b) native.cells[9 * k + 3 * a + b] = s.cell.get(a, b) / L;
    }
    for (let a = 0; a < 3; ++a) native.pbc[3 * k + a] = s.pbc[a] ? 1 : 0;
    const energy = s.info.energy;
    if (typeof energy !== 'number' || !Number.isFinite(energy)) {
      throw new PolymorphError('E_VALUE', `${label} has no finite info.energy (eV), got ${JSON.stringify(energy)}: every training structure needs its energy`);
    }
    native.energies[k] = energy / E;
    let offset = 0;
    for (const e of elements) offset += atomEnergies[e];
    energyPerAtom[k] = (energy / E - offset) / n;
    const forces = s.arrays.forces as { shape?: number[]; get?: (i: number, j: number) => number } | undefined;
    if (forces !== undefined) {
      if (!Array.isArray(forces.shape) || forces.shape[0] !== n || forces.shape[1] !== 3 || typeof forces.get !== 'function') {
        throw new PolymorphError('E_SHAPE', `${label}: arrays.forces must be [${n},3] (eV/Å)`);
      }
      for (let i = 0; i < n; ++i) {
        for (let a = 0; a < 3; ++a) {
          const f = forces.get(i, a);
          if (!Number.isFinite(f)) throw new PolymorphError('E_VALUE', `${label}: force on atom ${i} is not finite (${f})`);
          native.forces[3 * (at + i) + a] = (f * L) / E;
        }
      }
      native.hasForces[k] = 1;
    } else if (needs.forces) {
      throw new PolymorphError('E_VALUE', `${label} has no arrays.forces, but the loss has a force term (set loss.forces = 0 to train on energies only)`);
    }
    const stress = s.info.stress === undefined ? null : matrixOf(s.info.stress);
    if (s.info.stress !== undefined && stress === null) throw new PolymorphError('E_SHAPE', `${label}: info.stress must be a [3,3] array (eV/Å³)`);
    if (stress && needs.stress) {
      if (!s.cell) throw new PolymorphError('E_CELL', `${label} has a stress label but no cell`);
      for (let q = 0; q < 9; ++q) {
        if (!Number.isFinite(stress[q])) throw new PolymorphError('E_VALUE', `${label}: info.stress is not finite`);
        native.stress[9 * k + q] = (stress[q] * L * L * L) / E;
      }
      native.hasStress[k] = 1;
      ++stressCount;
    }
    at += n;
  });
  if (needs.stress && stressCount === 0) throw new PolymorphError('E_VALUE', `${what}: the loss has a stress term but no structure has info.stress`);
  return { native, atoms: native.atoms, energyPerAtom, stressCount };
}

/**
 * Splits structure indices 0…count−1 into training and validation: `fraction` of them (at least
 * one when fraction > 0), drawn by a seeded shuffle, or the given validation indices.
 */
export function splitStructures(count: number, validation: { fraction?: number; seed?: number; indices?: readonly number[] }, what: string): { train: Int32Array; validation: Int32Array } {
  let chosen: number[];
  if (validation.indices !== undefined) {
    chosen = [...validation.indices];
    for (const k of chosen) {
      if (!Number.isInteger(k) || k < 0 || k >= count) throw new PolymorphError('E_VALUE', `${what}: validation index ${k} is not a structure index (0 … ${count - 1})`);
    }
    if (new Set(chosen).size !== chosen.length) throw new PolymorphError('E_VALUE', `${what}: validation indices repeat`);
  } else {
    const fraction = validation.fraction ?? 0.1;
    if (!(fraction >= 0 && fraction < 1)) throw new PolymorphError('E_VALUE', `${what}: validation.fraction must be in [0, 1), got ${fraction}`);
    const order = Array.from({ length: count }, (_, k) => k);
    const random = mulberry32(validation.seed ?? 1);
    for (let k = count - 1; k > 0; --k) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
    const n = fraction > 0 ? Math.max(1, Math.round(fraction * count)) : 0;
    chosen = order.slice(0, n);
  }
  chosen.sort((a, b) => a - b);
  const held = new Set(chosen);
  const train = Int32Array.from({ length: count }, (_, k) => k).filter((k) => !held.has(k));
  if (train.length === 0) throw new PolymorphError('E_VALUE', `${what}: no structures left for training after the validation split`);
  return { train, validation: Int32Array.from(chosen) };
}

/** A seeded permutation of `indices` (Fisher–Yates with mulberry32). */
export function shuffled(indices: Int32Array, seed: number): Int32Array {
  const out = Int32Array.from(indices);
  const random = mulberry32(seed);
  for (let k = out.length - 1; k > 0; --k) {
    const j = Math.floor(random() * (k + 1));
    const t = out[k];
    out[k] = out[j];
    out[j] = t;
  }
  return out;
}

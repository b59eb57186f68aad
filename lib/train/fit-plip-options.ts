/**
 * Option checks and the seeded train/validation split of {@link fitPlip}.
 * @internal
 * @module
 */
import { mulberry32 } from '../core/random';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { PlipDescriptors } from '../descriptors/plip';
import type { EwaldOptions } from '../potentials/ewald';
import { parseChargeMap } from '../potentials/point-charges';
import { atomicNumber, chemicalSymbol } from '../structure/elements';
import type { FitPlipOptions } from './fit-plip';

/** The options with defaults filled in and every value checked. */
export interface CheckedOptions {
  descriptors: PlipDescriptors;
  charges: Record<string, number> | null;
  ewald: Omit<EwaldOptions, 'charges'>;
  alpha: number | undefined;
  cv: number;
  weights: { energy: number; forces: number; stress: number };
  /** eV/Å; Infinity when not given. */
  maxForce: number;
  validation: number | readonly number[];
  seed: number;
  maxIter: number;
}

const KEYS = ['descriptors', 'charges', 'ewald', 'alpha', 'cv', 'weights', 'maxForce', 'validation', 'seed', 'maxIter'] as const;

/**
 * Checks {@link FitPlipOptions}: unknown keys (also in `weights`) are `E_VALUE` (the shared
 * {@link checkOptions} message), `E_TYPE` for wrong types, `E_VALUE` for bad values,
 * `E_ELEMENT` for charges that do not match the elements.
 */
export function checkFitPlipOptions(options: FitPlipOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) throw new PolymorphError('E_TYPE', 'fitPlip: expected options { descriptors, charges?, alpha? | cv?, weights?, maxForce?, validation?, seed? }');
  const { descriptors, alpha, cv, maxForce = Infinity, validation = 0, seed = 0, maxIter = 500 } = checkOptions(options, KEYS, 'fitPlip');
  if (!(descriptors instanceof PlipDescriptors)) throw new PolymorphError('E_TYPE', 'fitPlip: options.descriptors must be a PlipDescriptors');
  if (alpha !== undefined && cv !== undefined) throw new PolymorphError('E_VALUE', 'fitPlip: give alpha or cv, not both');
  if (alpha !== undefined && !(typeof alpha === 'number' && Number.isFinite(alpha) && alpha >= 0)) throw new PolymorphError('E_VALUE', `fitPlip: alpha must be a finite number >= 0, got ${String(alpha)}`);
  const folds = cv ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new PolymorphError('E_VALUE', `fitPlip: cv must be an integer >= 2, got ${String(cv)}`);
  const { energy = 1, forces = 1, stress = 0 } = checkOptions(options.weights, ['energy', 'forces', 'stress'], 'fitPlip: weights');
  for (const [name, w] of [['energy', energy], ['forces', forces], ['stress', stress]] as const) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new PolymorphError('E_VALUE', `fitPlip: weights.${name} must be a finite number >= 0, got ${String(w)}`);
  }
  if (energy === 0 && forces === 0 && stress === 0) throw new PolymorphError('E_VALUE', 'fitPlip: weights.energy, weights.forces and weights.stress are all 0: nothing to fit');
  if (typeof maxForce !== 'number' || !(maxForce > 0)) throw new PolymorphError('E_VALUE', `fitPlip: maxForce must be a number > 0 (eV/Å), got ${String(maxForce)}`);
  if (Array.isArray(validation)) {
    if (!validation.every((k) => Number.isInteger(k) && k >= 0) || new Set(validation).size !== validation.length) {
      throw new PolymorphError('E_VALUE', 'fitPlip: validation indices must be distinct non-negative integers');
    }
  } else if (typeof validation !== 'number' || !(validation >= 0 && validation < 1)) {
    throw new PolymorphError('E_VALUE', `fitPlip: validation must be a fraction in [0, 1) or a list of structure indices, got ${String(validation)}`);
  }
  if (!Number.isInteger(seed)) throw new PolymorphError('E_VALUE', `fitPlip: seed must be an integer, got ${String(seed)}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new PolymorphError('E_VALUE', `fitPlip: maxIter must be an integer >= 1, got ${String(maxIter)}`);
  let charges: Record<string, number> | null = null;
  if (options.charges !== undefined) {
    const parsed = parseChargeMap(options.charges, 'fitPlip');
    charges = {};
    for (const e of descriptors.elements) {
      const q = parsed.get(atomicNumber(e));
      if (q === undefined) throw new PolymorphError('E_ELEMENT', `fitPlip: charges has no charge for ${e} (e)`);
      charges[e] = q;
    }
    for (const z of parsed.keys()) {
      if (!descriptors.elements.includes(chemicalSymbol(z))) throw new PolymorphError('E_ELEMENT', `fitPlip: charges gives ${chemicalSymbol(z)}, which the descriptors do not cover`);
    }
    if (Object.values(charges).every((q) => q === 0)) throw new PolymorphError('E_VALUE', 'fitPlip: the initial charges are all zero');
  }
  const ewald = options.ewald ?? {};
  if (typeof ewald !== 'object' || ewald === null || 'charges' in ewald) throw new PolymorphError('E_VALUE', 'fitPlip: ewald must be an object of Ewald options without charges (give charges at the top level)');
  return { descriptors, charges, ewald, alpha, cv: folds, weights: { energy, forces, stress }, maxForce, validation, seed, maxIter };
}

/**
 * Seeded split by structure: a Fisher–Yates shuffle (mulberry32(seed)) of 0…count−1; the first
 * round(validation·count) (at least 1 when validation > 0, at most count − 1) are the validation
 * set, the rest the training set, both in shuffled order.
 */
export function splitStructures(count: number, validation: number | readonly number[], seed: number): { train: number[]; validation: number[] } {
  if (typeof validation !== 'number') {
    const held = new Set(validation);
    for (const k of held) if (k >= count) throw new PolymorphError('E_VALUE', `fitPlip: validation index ${k} is out of range (${count} structures)`);
    if (held.size >= count) throw new PolymorphError('E_VALUE', 'fitPlip: every structure is in the validation set; nothing is left to train on');
    const order = Array.from({ length: count }, (_, k) => k);
    const random = mulberry32(seed);
    for (let k = count - 1; k > 0; --k) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j], order[k]];
    }
    return { train: order.filter((k) => !held.has(k)), validation: [...validation] };
  }
  const order = Array.from({ length: count }, (_, k) => k);
  const random = mulberry32(seed);
  for (let k = count - 1; k > 0; --k) {
    const j = Math.floor(random() * (k + 1));
    [order[k], order[j]] = [order[j], order[k]];
  }
  const held = validation > 0 ? Math.min(count - 1, Math.max(1, Math.round(validation * count))) : 0;
  return { train: order.slice(held), validation: order.slice(0, held) };
}

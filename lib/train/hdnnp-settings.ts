/**
 * `hdnnpSettings`: the `input.nn` of a new potential from typed definitions (the symmetry-function
 * grids of `polymorph/descriptors`), for {@link trainHdnnp} without writing a file by hand.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { SymmetryFunctionScaling } from '../descriptors/symmetry-function-scaling';
import { checkSymmetryFunction, sortSymmetryFunctions, type CutoffFunction, type SymmetryFunctionDefinition } from '../descriptors/symmetry-function-definitions';
import { activationCodes, formatN2p2Settings, parseN2p2Settings, type N2p2Settings } from '../potentials/n2p2-settings';
import { atomicNumber } from '../structure/elements';

/** Options of {@link hdnnpSettings}. */
export interface HdnnpSettingsOptions {
  /** Element symbols (any order; n2p2 orders them by atomic number). */
  elements: readonly string[];
  /** The symmetry functions (any order; sorted as n2p2 sorts them). */
  symmetryFunctions: readonly SymmetryFunctionDefinition[];
  /** Neurons per hidden layer (default [10, 10]), the same for every element. */
  hiddenLayers?: readonly number[];
  /** One activation per hidden layer then the output's (n2p2 codes; default 't' per hidden layer and 'l'). */
  activations?: readonly string[];
  /** Cutoff function (default type 6, α 0: n2p2's CT_POLY2). */
  cutoff?: CutoffFunction;
  /** Input scaling (default 'scalecenter' into [0, 1], as n2p2's examples). */
  scaling?: SymmetryFunctionScaling;
  /** Offsets per atom of each element (`atom_energy`, the potential's energy unit; default 0). */
  atomEnergies?: Readonly<Record<string, number>>;
  /** `normalize_nodes` (default false). */
  normalizeNodes?: boolean;
}

/**
 * n2p2 settings for a potential built from typed definitions. The result is what
 * `readN2p2Settings` would return for the `input.nn` it formats (checked by parsing it back).
 * @example
 * import { radialGrid } from 'polymorph/descriptors';
 * const settings = hdnnpSettings({
 *   elements: ['Ar'], symmetryFunctions: radialGrid({ elements: ['Ar'], cutoff: 6, rLower: 1.5, count: 8, mode: 'center' }),
 *   hiddenLayers: [15, 15],
 * });
 * const { potential } = await trainHdnnp(structures, { settings, optimizer: { type: 'adam' } });
 */
export function hdnnpSettings(options: HdnnpSettingsOptions): N2p2Settings {
  const what = 'hdnnpSettings';
  const o = checkOptions(options, ['elements', 'symmetryFunctions', 'hiddenLayers', 'activations', 'cutoff', 'scaling', 'atomEnergies', 'normalizeNodes'], what);
  if (!Array.isArray(o.elements) || o.elements.length === 0) throw new PolymorphError('E_VALUE', `${what}: elements must be a non-empty list of symbols`);
  const elements = [...o.elements].sort((a, b) => atomicNumber(a) - atomicNumber(b));
  const hidden = o.hiddenLayers ?? [10, 10];
  if (!Array.isArray(hidden) || hidden.length === 0 || !hidden.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new PolymorphError('E_VALUE', `${what}: hiddenLayers must be one or more positive integers`);
  }
  const activations = o.activations ?? [...hidden.map(() => 't'), 'l'];
  if (activations.length !== hidden.length + 1 || !activations.every((a) => activationCodes.includes(a))) {
    throw new PolymorphError('E_VALUE', `${what}: activations must be ${hidden.length + 1} of n2p2's codes (${activationCodes.join(' ')}), one per hidden layer and the output's`);
  }
  const functions = sortSymmetryFunctions(o.symmetryFunctions.map((f, k) => checkSymmetryFunction(f, `${what}: symmetry function ${k}`)));
  for (const e of elements) {
    if (!functions.some((f) => f.element === e)) throw new PolymorphError('E_ELEMENT', `${what}: element ${e} has no symmetry functions`);
  }
  const cutoff = o.cutoff ?? { type: 6, alpha: 0 };
  const scaling = o.scaling ?? { type: 'scalecenter', min: 0, max: 1 };
  const draft: N2p2Settings = {
    file: '<hdnnpSettings>', elements, atomEnergies: { ...(o.atomEnergies ?? {}) }, cutoff, symmetryFunctions: functions,
    symmetryFunctionLines: functions.map(() => 0), scaling,
    networks: Object.fromEntries(elements.map((e) => [e, { hiddenNodes: [...hidden], activations: [...activations] }])),
    normalizeNodes: o.normalizeNodes ?? false, normalization: null, nnpType: '2G-HDNNP', warnings: [], extra: [],
  };
  // Format and parse back: the settings are then exactly what the saved input.nn says.
  const text = formatN2p2Settings(draft);
  return parseN2p2Settings(text, '<hdnnpSettings>');
}

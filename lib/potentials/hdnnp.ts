/**
 * `Hdnnp`: high-dimensional neural-network potentials (second generation, n2p2-compatible).
 *
 *   E = Σ_i [ NN_e(i)(G̃_i) / conv_energy + mean_energy + E_offset(e(i)) ]
 *
 * with G̃ the scaled symmetry functions of atom i (`scaling.data`), NN_e the atomic network of
 * its element (`weights.NNN.data`), and the normalisation and offsets of `input.nn`. Forces are
 * −∂E/∂r from the analytic symmetry-function derivatives; stress is the strain derivative
 * σ = (1/V) Σ d ⊗ ∂E/∂d (n2p2 has no stress); atom energies are the summands above.
 *
 * **Units.** n2p2 files do not say their units. By default the potential's numbers are taken as Å
 * and eV; `Hdnnp.load(dir, { lengthUnit: 'bohr', energyUnit: 'hartree' })` declares a potential
 * trained in atomic units (like the H2O examples of n2p2): positions go in as Å and results come
 * out in eV, eV/Å and eV/Å³ as everywhere in polymorph.
 *
 * **Extrapolation.** Every (atom, function) whose unscaled value lies outside [min, max] of
 * `scaling.data` is reported in `extrapolations`, as n2p2's extrapolation warnings report them;
 * `{ extrapolation: 'throw' }` raises `E_EXTRAPOLATION` instead.
 * @example
 * import { Hdnnp } from 'polymorph/potentials';
 * const water = Hdnnp.load('H2O_RPBE-D3', { lengthUnit: 'bohr', energyUnit: 'hartree' });
 * const { energy, forces, stress, extrapolations } = water.compute(structure, { forces: true, stress: true });
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeEvaluation, NativeEvaluator, NativeModel } from '../core/native-types';
import { checkOptions } from '../core/options';
import {
  formatScalingData, parseScalingData, readScalingData, scaleFactors, SymmetryFunctionStatistics,
} from '../descriptors/symmetry-function-scaling';
import { LengthUnit, lengthUnitInAngstrom, SymmetryFunctions } from '../descriptors/symmetry-functions';
import { atomicNumber } from '../structure/elements';
import type { Structure } from '../structure/structure';
import { bohr, hartree } from '../structure/units';
import {
  formatN2p2Settings, N2p2Settings, networkLayers, parseN2p2Settings, readN2p2Settings, symmetryFunctionCounts,
} from './n2p2-settings';
import { connectionCount, formatN2p2Weights, parseN2p2Weights, readN2p2Weights, weightsFileName } from './n2p2-weights';
import { readN2p2TextAsync } from '../io/n2p2-text';
import { type EvaluationArgs, NativePotential, shapeResults } from './native-potential';
import type { ComputeRequest, Results } from './potential';
import { inspect } from 'util';
import { formatNumber, summary, unitName, withSummary } from '../core/inspect';

/** An energy unit: `'eV'`, `'hartree'`, or the size of the unit in eV. */
export type EnergyUnit = 'eV' | 'hartree' | number;

/** The size of `unit` in eV; `E_UNIT` for anything else. */
export function energyUnitInEv(unit: EnergyUnit, what = 'energyUnit'): number {
  if (unit === 'eV') return 1;
  if (unit === 'hartree') return hartree;
  if (typeof unit === 'number' && Number.isFinite(unit) && unit > 0) return unit;
  throw new PolymorphError('E_UNIT', `${what} must be 'eV', 'hartree' or the unit's size in eV (a positive number), got ${JSON.stringify(unit)}`);
}

/** Units of a potential's files. */
export interface HdnnpUnits {
  /** Length unit of the files (positions, cutoffs). Default `'angstrom'`. */
  lengthUnit?: LengthUnit;
  /** Energy unit of the files. Default `'eV'`. */
  energyUnit?: EnergyUnit;
}

/** The parts of an n2p2 potential, in the potential's own units. */
export interface HdnnpParts {
  settings: N2p2Settings;
  /** `scaling.data`: per element (in `settings.elements` order). */
  statistics: SymmetryFunctionStatistics[];
  /** Weights per element symbol, n2p2 connection order. */
  weights: Record<string, Float64Array>;
}

/** One symmetry-function value outside the range of the training data. */
export interface Extrapolation {
  /** Atom index. */
  atom: number;
  /** Element of the atom. */
  element: string;
  /** Index of the function within the element's functions (0-based; n2p2's `sf_index` is this + 1). */
  function: number;
  /** The (unscaled) value. */
  value: number;
  /** Training range from `scaling.data`. */
  min: number;
  max: number;
}

/** What to compute; `extrapolation: 'throw'` turns extrapolation into an `E_EXTRAPOLATION` error. */
export interface HdnnpComputeRequest extends ComputeRequest {
  extrapolation?: 'report' | 'throw';
}

/** Results of an HDNNP evaluation, with the extrapolations found. */
export interface HdnnpResults extends Results {
  extrapolations: Extrapolation[];
}

/** A second-generation HDNNP (see the module documentation). */
export class Hdnnp extends NativePotential {
  /** The interpreted `input.nn`. */
  readonly settings: N2p2Settings;
  /** `scaling.data` per element. */
  readonly statistics: readonly SymmetryFunctionStatistics[];
  /** Network weights per element. */
  readonly weights: Readonly<Record<string, Float64Array>>;
  /** The symmetry functions (in the potential's length unit). */
  readonly symmetryFunctions: SymmetryFunctions;
  /** Size of the potential's length unit in Å. */
  readonly lengthUnit: number;
  /** Size of the potential's energy unit in eV. */
  readonly energyUnit: number;
  /** Largest symmetry-function cutoff, Å. */
  readonly cutoff: number;
  private readonly spec: object;
  private model: NativeModel;
  private evaluator: NativeEvaluator | null = null;
  protected readonly potentialName = 'Hdnnp';

  constructor(parts: HdnnpParts, units: HdnnpUnits = {}) {
    super();
    checkOptions(units, ['lengthUnit', 'energyUnit'], 'Hdnnp');
    const { settings, statistics, weights } = parts;
    this.settings = settings;
    this.statistics = statistics;
    this.weights = weights;
    this.lengthUnit = lengthUnitInAngstrom(units.lengthUnit ?? 'angstrom', 'Hdnnp: lengthUnit');
    this.energyUnit = energyUnitInEv(units.energyUnit ?? 'eV', 'Hdnnp: energyUnit');
    this.symmetryFunctions = new SymmetryFunctions(settings.symmetryFunctions, {
      cutoffFunction: settings.cutoff, elements: settings.elements, lengthUnit: this.lengthUnit,
    });
    this.cutoff = this.symmetryFunctions.cutoff;
    const counts = symmetryFunctionCounts(settings);
    if (statistics.length !== settings.elements.length) {
      throw new PolymorphError('E_VALUE', `Hdnnp: scaling data for ${statistics.length} elements, the potential has ${settings.elements.length}`);
    }
    const factors = scaleFactors(statistics, settings.scaling, settings.elements);
    const networks = settings.elements.map((element, e) => {
      const layers = networkLayers(settings, element);
      const w = weights[element];
      if (!(w instanceof Float64Array) || w.length !== connectionCount(layers)) {
        throw new PolymorphError('E_VALUE', `Hdnnp: element ${element} needs ${connectionCount(layers)} weights for layers ${layers.join('-')}, got ${w?.length ?? 'none'}`);
      }
      if (statistics[e].min.length !== counts[e]) {
        throw new PolymorphError('E_VALUE', `Hdnnp: scaling data of ${element} has ${statistics[e].min.length} functions, input.nn ${counts[e]}`);
      }
      return {
        layers: Int32Array.from(layers), activations: settings.networks[element].activations.join(''), weights: w,
        scaleFactor: factors[e].factor, scaleShift: factors[e].shift, scaleBase: new Float64Array(counts[e]).fill(factors[e].base),
        minimum: statistics[e].min, maximum: statistics[e].max, atomEnergy: settings.atomEnergies[element] ?? 0,
      };
    });
    const n = settings.normalization;
    this.spec = {
      symmetryFunctions: this.symmetryFunctions.nativeSpec(), networks, normalizeNodes: settings.normalizeNodes,
      meanEnergy: n ? n.meanEnergy : 0, convEnergy: n ? n.convEnergy : 1,
      lengthFactor: 1 / this.lengthUnit, energyFactor: this.energyUnit,
    };
    this.model = callNative((a) => a.createHdnnp(this.spec));
  }

  /**
   * Reads `input.nn`, `scaling.data` and `weights.NNN.data` (NNN = atomic number) from
   * `directory`. Malformed files raise a `ParseError` naming file and line; missing files `E_IO`.
   */
  static load(directory: string, units: HdnnpUnits = {}): Hdnnp {
    const settings = readN2p2Settings(join(directory, 'input.nn'));
    const statistics = readScalingData(join(directory, 'scaling.data'), symmetryFunctionCounts(settings));
    const weights: Record<string, Float64Array> = {};
    for (const element of settings.elements) {
      const layers = networkLayers(settings, element);
      weights[element] = readN2p2Weights(join(directory, weightsFileName(atomicNumber(element))), connectionCount(layers), layers);
    }
    return new Hdnnp({ settings, statistics, weights }, units);
  }

  /**
   * {@link load} without blocking the event loop while the files are read (they are parsed as
   * they arrive; building the networks is quick).
   * @example
   * const water = await Hdnnp.loadAsync('H2O_RPBE-D3', { lengthUnit: 'bohr', energyUnit: 'hartree' });
   */
  static async loadAsync(directory: string, units: HdnnpUnits = {}): Promise<Hdnnp> {
    checkOptions(units, ['lengthUnit', 'energyUnit'], 'Hdnnp.loadAsync');
    const settingsFile = join(directory, 'input.nn');
    const settings = parseN2p2Settings(await readN2p2TextAsync(settingsFile), settingsFile);
    const scalingFile = join(directory, 'scaling.data');
    const statistics = parseScalingData(await readN2p2TextAsync(scalingFile), scalingFile, symmetryFunctionCounts(settings));
    const weights: Record<string, Float64Array> = {};
    for (const element of settings.elements) {
      const layers = networkLayers(settings, element);
      const file = join(directory, weightsFileName(atomicNumber(element)));
      weights[element] = parseN2p2Weights(await readN2p2TextAsync(file), file, connectionCount(layers), layers);
    }
    return new Hdnnp({ settings, statistics, weights }, units);
  }

  /** Writes `input.nn`, `scaling.data` and the weight files into `directory` (created if needed), as n2p2 writes them. */
  save(directory: string): void {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'input.nn'), formatN2p2Settings(this.settings));
    writeFileSync(join(directory, 'scaling.data'), formatScalingData(this.statistics));
    for (const element of this.settings.elements) {
      writeFileSync(join(directory, weightsFileName(atomicNumber(element))),
        formatN2p2Weights(this.weights[element], networkLayers(this.settings, element)));
    }
  }

  /**
   * Energy (eV) and, on request, forces (eV/Å), stress (eV/Å³), atom energies (eV); always the
   * extrapolations. `neighbors` evaluates on a caller's list (see {@link ComputeRequest}).
   */
  override compute(structure: Structure, want: HdnnpComputeRequest = {}): HdnnpResults {
    return super.compute(structure, want) as HdnnpResults;
  }

  /** {@link compute} off the event loop (inputs are copied when the call is made). */
  override computeAsync(structure: Structure, want: HdnnpComputeRequest = {}): Promise<HdnnpResults> {
    return super.computeAsync(structure, want) as Promise<HdnnpResults>;
  }

  /** The native evaluator (built once). @internal */
  evaluatorFor(): NativeEvaluator {
    if (!this.evaluator) {
      const elements = Int32Array.from(this.settings.elements, (e) => atomicNumber(e));
      this.evaluator = callNative((a) => a.createHdnnpEvaluator(this.model, elements));
    }
    return this.evaluator;
  }

  /** @internal */
  protected override extraRequestKeys(): readonly string[] {
    return ['extrapolation'];
  }

  /** @internal */
  protected override extraWant(request: HdnnpComputeRequest): { throwOnExtrapolation: boolean } {
    const mode = request.extrapolation ?? 'report';
    if (mode !== 'report' && mode !== 'throw') throw new PolymorphError('E_VALUE', `Hdnnp: want.extrapolation must be 'report' or 'throw', got ${JSON.stringify(mode)}`);
    return { throwOnExtrapolation: mode === 'throw' };
  }

  /** Results with the extrapolations (element symbols, 0-based function indices). @internal */
  protected override toResults(raw: NativeEvaluation, args: EvaluationArgs): HdnnpResults {
    const out: HdnnpResults = { ...shapeResults(raw, args.n), extrapolations: [] };
    const x = raw.extrapolations;
    if (!x) return out;
    for (let k = 0; k < x.atom.length; ++k) {
      out.extrapolations.push({
        atom: x.atom[k], element: this.settings.elements[x.element[k]], function: x.function[k],
        value: x.value[k], min: x.minimum[k], max: x.maximum[k],
      });
    }
    return withSummary(out, 'HdnnpResults');
  }

  /** A short summary for notebooks and `console.log` (elements, functions, networks, cutoff, units). */
  [inspect.custom](): string {
    const elements = this.settings.elements;
    return summary('Hdnnp', {
      elements: elements.join(', '), functions: elements.map((e) => this.symmetryFunctions.count(e)).join('/'),
      networks: elements.map((e) => `${e} ${networkLayers(this.settings, e).join('-')}`).join(', '),
      cutoff: `${formatNumber(this.cutoff)} Å`, scaling: this.settings.scaling.type,
      units: `${unitName(this.lengthUnit, { 'Å': 1, Bohr: bohr }, 'Å')}/${unitName(this.energyUnit, { eV: 1, Hartree: hartree }, 'eV')}`,
    });
  }
}

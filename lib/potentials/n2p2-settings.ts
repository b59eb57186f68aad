/**
 * n2p2 `input.nn` for prediction with a second-generation HDNNP (2G-HDNNP): read, interpret and
 * write, as `specs/n2p2-formats.md` §1 says. Grammar and keyword checks: `lib/io/n2p2-keywords`;
 * numbers: `lib/io/n2p2-text` (strict C numbers, no Fortran `d` exponents, no CR line ends).
 *
 * Everything is in the units of the file itself (lengths of `symfunction_short` in the length unit
 * of the training data, e.g. Bohr for the H2O examples and Å for Cu2S; energies in its energy unit).
 * The normalisation (`mean_energy`, `conv_energy`, `conv_length`) is reported, not applied.
 *
 * Decisions on n2p2's behaviour (spec §7):
 * - Q3: unknown keywords are warnings and are kept in `extra` (written back by the formatter).
 * - Q5: `scale_symmetry_functions_sigma` together with `scale_symmetry_functions` or
 *   `center_symmetry_functions` is ignored, as in n2p2, with a warning; the flag stays in `extra`.
 *   `scale_min_short`/`scale_max_short` are read only for the scale, scalecenter and sigma types
 *   (defaults 0 and 1 with a warning); otherwise they stay in `extra`, with a warning.
 * - Q9 (n2p2 v2.3): `element_nodes_short <sym> n_1 … n_H` never sets the last hidden layer, which
 *   keeps the global size, and `element_activation_short <sym> a_1 … a_H a_out` never sets the
 *   output activation. Such lines are accepted only when the ignored value equals the global one
 *   (so the file means what it says); `element_hidden_layers_short` only with the global number of
 *   hidden layers (n2p2 leaves an element with another number incompletely defined and aborts).
 *   An element may be given by `element_nodes_short` only once.
 * - Stricter than n2p2: every number must be a complete, finite C number; `number_of_elements`,
 *   `elements`, `cutoff_type` and the three `global_*_short` keywords are required (n2p2 can do
 *   without the global ones only in corner cases); at least one hidden layer; element symbols must be
 *   distinct and among n2p2's 102 (H…No, case-sensitive); 0 ≤ α < 1 (n2p2 lets α < 0 pass);
 *   `conv_energy` and `conv_length` must be > 0; interpreted keywords take exactly the fields they
 *   need, except `symfunction_short`, whose extra trailing fields n2p2 ignores (warning).
 * - `nnp_type` 4G-HDNNP or Q-HDNNP (also 4 or 10): PolymorphError `E_FORMAT`, not supported yet.
 *
 * @example
 * ```ts
 * const settings = readN2p2Settings('H2O_RPBE-D3/input.nn');
 * settings.elements;                     // ['H', 'O']
 * settings.symmetryFunctions.length;     // 57 (27 for H, then 30 for O, in n2p2's order)
 * networkLayers(settings, 'H');          // [27, 25, 25, 1]
 * fs.writeFileSync('copy/input.nn', formatN2p2Settings(settings));
 * ```
 * @module
 */
import { ParseError, PolymorphError } from '../core/errors';
import { formatE } from '../io/tokens';
import {
  checkSymmetryFunction, compareSymmetryFunctions, CutoffFunction, formatSymmetryFunction, SymmetryFunctionDefinition,
  symmetryFunctionFromFields,
} from '../descriptors/symmetry-function-definitions';
import { ScalingType, SymmetryFunctionScaling } from '../descriptors/symmetry-function-scaling';
import { atomicNumber, isChemicalSymbol } from '../structure/elements';
import { KeywordLine, mainKeyword, parseKeywordLines } from '../io/n2p2-keywords';
import { n2p2Fields, n2p2Integer, n2p2Real, readN2p2Text } from '../io/n2p2-text';

/** One element's atomic neural network: hidden-layer sizes and activations (hidden…, output). */
export interface N2p2Network {
  hiddenNodes: number[];
  /** One character per hidden layer, then the output's: `l t s p r g c S e h` (spec §1.8). */
  activations: string[];
}

/** The interpreted content of an n2p2 `input.nn` (2G-HDNNP), in the file's own units. */
export interface N2p2Settings {
  /** File the settings were read from (`<string>` or the name given to the parser). */
  file: string;
  /** Element symbols sorted by atomic number (n2p2's element order). */
  elements: string[];
  /** `atom_energy` offset per element (energy unit of the file), 0 where absent. */
  atomEnergies: Record<string, number>;
  /** `cutoff_type <type> [alpha]`. */
  cutoff: CutoffFunction;
  /** All symmetry functions in n2p2's sorted order: element-major (by Z), then type, then the type's key (§1.6). */
  symmetryFunctions: SymmetryFunctionDefinition[];
  /** The 1-based source line of each function, same order. */
  symmetryFunctionLines: number[];
  /** Scaling type and target range (§1.7). */
  scaling: SymmetryFunctionScaling;
  /** Network per element. */
  networks: Record<string, N2p2Network>;
  /** `normalize_nodes`: neuron inputs (bias included) divided by the previous layer's size. */
  normalizeNodes: boolean;
  /** `mean_energy` (energy per atom), `conv_energy` (1/energy), `conv_length` (1/length), or null. */
  normalization: { meanEnergy: number; convEnergy: number; convLength: number } | null;
  nnpType: '2G-HDNNP';
  /** Warnings as `file:line: text`. */
  warnings: string[];
  /** Every keyword not interpreted (training keywords, unknown keywords…), file order, as written. */
  extra: { keyword: string; value: string }[];
}

/** Activation characters n2p2 knows (spec §1.8). */
export const activationCodes: readonly string[] = ['l', 't', 's', 'p', 'r', 'g', 'c', 'S', 'e', 'h'];

/** Prediction keywords this module interprets (main spellings). */
const INTERPRETED = new Set([
  'number_of_elements', 'elements', 'atom_energy', 'cutoff_type', 'symfunction_short', 'scale_symmetry_functions',
  'center_symmetry_functions', 'scale_symmetry_functions_sigma', 'scale_min_short', 'scale_max_short',
  'global_hidden_layers_short', 'global_nodes_short', 'global_activation_short', 'element_hidden_layers_short',
  'element_nodes_short', 'element_activation_short', 'normalize_nodes', 'mean_energy', 'conv_energy', 'conv_length', 'nnp_type',
]);

/** n2p2 knows the elements H (1) … No (102). */
const MAX_Z = 102;

/** The parsing context: keyword lines by main keyword, the ones interpreted, warnings. */
class Reader {
  readonly byMain = new Map<string, KeywordLine[]>();
  readonly used = new Set<KeywordLine>();
  constructor(readonly file: string, readonly entries: KeywordLine[], readonly warnings: string[]) {
    for (const e of entries) if (e.main) this.byMain.set(e.main, [...(this.byMain.get(e.main) ?? []), e]);
  }
  /** All lines of a keyword, marked as interpreted. */
  all(main: string): KeywordLine[] {
    const list = this.byMain.get(main) ?? [];
    list.forEach((e) => this.used.add(e));
    return list;
  }
  /** The one line of a non-repeatable keyword, marked as interpreted. */
  one(main: string): KeywordLine | undefined {
    return this.all(main)[0];
  }
  has(main: string): boolean {
    return this.byMain.has(main);
  }
  required(main: string, why: string): KeywordLine {
    const e = this.one(main);
    if (!e) throw new ParseError(this.file, 0, `a '${main}' line (${why})`);
    return e;
  }
  fields(e: KeywordLine, count: number | [number, number], layout: string): string[] {
    const f = n2p2Fields(e.value);
    const [lo, hi] = typeof count === 'number' ? [count, count] : count;
    if (f.length < lo || f.length > hi) throw new ParseError(this.file, e.line, `${e.keyword} ${layout}`, `${e.keyword} ${e.value}`);
    return f;
  }
  flag(main: string): boolean {
    const e = this.one(main);
    if (e && e.value !== '') this.warnings.push(`${this.file}:${e.line}: '${e.keyword}' is a flag; the value '${e.value}' is ignored (as n2p2 does)`);
    return e !== undefined;
  }
  real(e: KeywordLine, token: string | undefined, what: string): number {
    return n2p2Real(token, this.file, e.line, what);
  }
  integer(e: KeywordLine, token: string | undefined, what: string, min?: number): number {
    return n2p2Integer(token, this.file, e.line, what, min);
  }
}

/**
 * Parses and interprets the text of an `input.nn` (see the module documentation for the rules).
 * @param file the name used in errors and warnings.
 * @throws ParseError (file and line) for anything n2p2 would reject or misread; PolymorphError
 * `E_FORMAT` for 4G-HDNNP and Q-HDNNP settings.
 */
export function parseN2p2Settings(text: string, file: string): N2p2Settings {
  const { entries, warnings } = parseKeywordLines(text, file);
  const r = new Reader(file, entries, warnings);
  readNnpType(r);
  const normalization = readNormalization(r);
  const elements = readElements(r);
  const atomEnergies = readAtomEnergies(r, elements);
  const cutoff = readCutoff(r);
  const { symmetryFunctions, symmetryFunctionLines } = readSymmetryFunctions(r, elements);
  const scaling = readScaling(r);
  const networks = readNetworks(r, elements);
  const normalizeNodes = r.flag('normalize_nodes');
  const extra = entries.filter((e) => !r.used.has(e)).map((e) => ({ keyword: e.keyword, value: e.value }));
  return {
    file, elements, atomEnergies, cutoff, symmetryFunctions, symmetryFunctionLines, scaling, networks, normalizeNodes,
    normalization, nnpType: '2G-HDNNP', warnings, extra,
  };
}

/**
 * Reads and interprets an `input.nn` file (see {@link parseN2p2Settings}).
 * @throws PolymorphError `E_IO` when the file cannot be read (the message names the path).
 */
export function readN2p2Settings(path: string): N2p2Settings {
  return parseN2p2Settings(readN2p2Text(path), path);
}

function readNnpType(r: Reader): void {
  const e = r.one('nnp_type');
  if (!e) return;
  const [value] = r.fields(e, 1, '<2G-HDNNP|4G-HDNNP|Q-HDNNP|2|4|10>');
  if (value === '2G-HDNNP' || value === '2') return;
  if (['4G-HDNNP', 'Q-HDNNP', '4', '10'].includes(value)) {
    throw new PolymorphError('E_FORMAT', `${r.file}:${e.line}: ${e.keyword} ${value}: only 2G-HDNNP potentials are supported yet (4G-HDNNP and Q-HDNNP are not)`);
  }
  throw new ParseError(r.file, e.line, `${e.keyword} 2G-HDNNP, 4G-HDNNP, Q-HDNNP, 2, 4 or 10`, value);
}

function readNormalization(r: Reader): N2p2Settings['normalization'] {
  const names = ['mean_energy', 'conv_energy', 'conv_length'];
  const lines = names.map((k) => r.one(k));
  const given = lines.filter((e): e is KeywordLine => e !== undefined);
  if (given.length === 0) return null;
  if (given.length < 3) {
    const missing = names.filter((_, k) => !lines[k]).join(' and ');
    throw new ParseError(r.file, given[0].line, `all three of mean_energy, conv_energy, conv_length or none (${missing} missing; n2p2 aborts)`, `${given[0].keyword} ${given[0].value}`);
  }
  const [meanEnergy, convEnergy, convLength] = given.map((e) => r.real(e, r.fields(e, 1, '<real>')[0], e.keyword));
  for (const [k, x] of [[1, convEnergy], [2, convLength]] as const) {
    if (!(x > 0)) throw new ParseError(r.file, given[k].line, `${names[k]} > 0`, given[k].value);
  }
  return { meanEnergy, convEnergy, convLength };
}

function readElements(r: Reader): string[] {
  const e = r.required('elements', 'the element symbols');
  const symbols = n2p2Fields(e.value);
  if (symbols.length === 0) throw new ParseError(r.file, e.line, 'elements <symbol> ...', e.value);
  const seen = new Set<string>();
  for (const s of symbols) {
    if (!isChemicalSymbol(s) || atomicNumber(s) > MAX_Z) {
      throw new ParseError(r.file, e.line, 'element symbols known to n2p2 (H … No, case-sensitive)', s);
    }
    if (seen.has(s)) throw new ParseError(r.file, e.line, 'distinct element symbols (n2p2 corrupts its element map on a duplicate)', s);
    seen.add(s);
  }
  const n = r.required('number_of_elements', 'the number of elements');
  const count = r.integer(n, r.fields(n, 1, '<integer>')[0], 'number_of_elements', 1);
  if (count !== symbols.length) {
    throw new ParseError(r.file, n.line, `number_of_elements equal to the ${symbols.length} symbols of 'elements' (line ${e.line})`, String(count));
  }
  return [...symbols].sort((a, b) => atomicNumber(a) - atomicNumber(b));
}

function checkElement(r: Reader, e: KeywordLine, symbol: string, elements: string[], what: string): string {
  if (!elements.includes(symbol)) throw new ParseError(r.file, e.line, `${what}: one of the elements ${elements.join(' ')}`, symbol);
  return symbol;
}

function readAtomEnergies(r: Reader, elements: string[]): Record<string, number> {
  const energies: Record<string, number> = Object.fromEntries(elements.map((s) => [s, 0]));
  const seen = new Map<string, number>();
  for (const e of r.all('atom_energy')) {
    const [symbol, value] = r.fields(e, 2, '<symbol> <energy>');
    checkElement(r, e, symbol, elements, 'atom_energy element');
    if (seen.has(symbol)) r.warnings.push(`${r.file}:${e.line}: second atom_energy for ${symbol} (line ${seen.get(symbol)}); the later one is used, as in n2p2`);
    seen.set(symbol, e.line);
    energies[symbol] = r.real(e, value, `atom_energy of ${symbol}`);
  }
  return energies;
}

function readCutoff(r: Reader): CutoffFunction {
  const e = r.required('cutoff_type', 'n2p2 needs it even when only compact functions are used');
  const [type, alpha] = r.fields(e, [1, 2], '<type 0-8> [<alpha>]');
  const t = r.integer(e, type, 'cutoff type');
  if (t < 0 || t > 8) throw new ParseError(r.file, e.line, 'cutoff type 0 … 8 (hard, cos, tanhU, tanh, exp, poly1 … poly4)', type);
  const a = alpha === undefined ? 0 : r.real(e, alpha, 'cutoff alpha');
  if (!(a >= 0 && a < 1)) throw new ParseError(r.file, e.line, 'cutoff alpha with 0 <= alpha < 1', alpha);
  return { type: t, alpha: a };
}

/** Fields after `<ec> <type>` that n2p2 reads, by type (type 3/9 may have one more: r_s). */
function fieldsUsed(d: SymmetryFunctionDefinition): number {
  switch (d.type) {
    case 2: case 20: return 6;
    case 3: case 9: return 9;
    case 12: case 23: return 5;
    case 13: case 24: case 25: return 7;
    case 21: case 22: return 9;
  }
}

function readSymmetryFunctions(r: Reader, elements: string[]): Pick<N2p2Settings, 'symmetryFunctions' | 'symmetryFunctionLines'> {
  const found: { d: SymmetryFunctionDefinition; line: number }[] = [];
  for (const e of r.all('symfunction_short')) {
    const fields = n2p2Fields(e.value);
    if (fields.length > 0) checkElement(r, e, fields[0], elements, 'central element');
    let d: SymmetryFunctionDefinition;
    try {
      d = symmetryFunctionFromFields(fields, (k, name) => r.real(e, fields[k], name), e.keyword);
    } catch (error) {
      if (error instanceof PolymorphError && !(error instanceof ParseError)) {
        throw new ParseError(r.file, e.line, `a valid symmetry function (${error.message})`, `${e.keyword} ${e.value}`);
      }
      throw error;
    }
    const neighbors = d.type === 2 || d.type === 20 ? [d.neighbor] : 'neighbors' in d ? d.neighbors : [];
    for (const n of neighbors) checkElement(r, e, n, elements, 'neighbour element');
    if (fields.length > fieldsUsed(d)) {
      r.warnings.push(`${r.file}:${e.line}: extra fields after the type-${d.type} symmetry function are ignored (as n2p2 does): ${fields.slice(fieldsUsed(d)).join(' ')}`);
    }
    found.push({ d, line: e.line });
  }
  const elementLine = r.byMain.get('elements')![0].line;
  for (const s of elements) {
    if (!found.some((f) => f.d.element === s)) {
      throw new ParseError(r.file, elementLine, `at least one symfunction_short for every element (none for ${s})`);
    }
  }
  found.sort((a, b) => compareSymmetryFunctions(a.d, b.d));
  return { symmetryFunctions: found.map((f) => f.d), symmetryFunctionLines: found.map((f) => f.line) };
}

function readScaling(r: Reader): SymmetryFunctionScaling {
  const scale = r.flag('scale_symmetry_functions');
  const center = r.flag('center_symmetry_functions');
  const sigmaLine = r.byMain.get('scale_symmetry_functions_sigma')?.[0];
  let type: ScalingType;
  if (scale) type = center ? 'scalecenter' : 'scale';
  else if (center) type = 'center';
  else type = sigmaLine ? 'sigma' : 'none';
  if (type === 'sigma') r.flag('scale_symmetry_functions_sigma');
  else if (sigmaLine) {
    r.warnings.push(`${r.file}:${sigmaLine.line}: '${sigmaLine.keyword}' is ignored because scale_symmetry_functions or center_symmetry_functions is set (n2p2 ignores it silently); the scaling is '${type}'`);
  }
  const ranged = type === 'scale' || type === 'scalecenter' || type === 'sigma';
  const bound = (main: string, fallback: number): number => {
    if (!ranged) {
      const e = r.byMain.get(main)?.[0];
      if (e) r.warnings.push(`${r.file}:${e.line}: '${main}' is ignored with '${type}' scaling (as in n2p2)`);
      return fallback;
    }
    const e = r.one(main);
    if (!e) {
      r.warnings.push(`${r.file}: '${main}' not given; using ${fallback} (as n2p2 does)`);
      return fallback;
    }
    return r.real(e, r.fields(e, 1, '<real>')[0], main);
  };
  return { type, min: bound('scale_min_short', 0), max: bound('scale_max_short', 1) };
}

function readActivations(r: Reader, e: KeywordLine, codes: string[]): string[] {
  for (const a of codes) {
    if (!activationCodes.includes(a)) throw new ParseError(r.file, e.line, `activation codes among ${activationCodes.join(' ')}`, a);
  }
  return codes;
}

function readNetworks(r: Reader, elements: string[]): Record<string, N2p2Network> {
  const layersLine = r.required('global_hidden_layers_short', 'the number of hidden layers');
  const hidden = r.integer(layersLine, r.fields(layersLine, 1, '<integer>')[0], 'number of hidden layers', 1);
  const nodesLine = r.required('global_nodes_short', 'the hidden-layer sizes');
  const nodes = r.fields(nodesLine, hidden, `with ${hidden} hidden-layer sizes (global_hidden_layers_short ${hidden})`)
    .map((t) => r.integer(nodesLine, t, 'hidden-layer size', 1));
  const actLine = r.required('global_activation_short', 'the activations');
  const activations = readActivations(r, actLine, r.fields(actLine, hidden + 1, `with ${hidden + 1} activations (${hidden} hidden layers, then the output)`));
  const networks: Record<string, N2p2Network> = Object.fromEntries(elements.map((s) => [s, { hiddenNodes: [...nodes], activations: [...activations] }]));

  const layersOverride = r.one('element_hidden_layers_short');
  if (layersOverride) {
    const [symbol, value] = r.fields(layersOverride, 2, '<symbol> <number of hidden layers>');
    checkElement(r, layersOverride, symbol, elements, 'element');
    const h = r.integer(layersOverride, value, 'number of hidden layers', 1);
    if (h !== hidden) {
      throw new ParseError(r.file, layersOverride.line, `the global number of hidden layers (${hidden}): n2p2 v2.3 leaves the last hidden layer and the output of an element with another number unset and aborts`, value);
    }
  }
  const seen = new Map<string, number>();
  for (const e of r.all('element_nodes_short')) {
    const [symbol, ...sizes] = n2p2Fields(e.value);
    checkElement(r, e, symbol ?? '', elements, 'element');
    if (seen.has(symbol)) throw new ParseError(r.file, e.line, `one element_nodes_short per element (${symbol} already on line ${seen.get(symbol)})`, e.value);
    seen.set(symbol, e.line);
    if (sizes.length !== hidden) throw new ParseError(r.file, e.line, `element_nodes_short ${symbol} with ${hidden} hidden-layer sizes (n2p2 aborts otherwise)`, e.value);
    const n = sizes.map((t) => r.integer(e, t, 'hidden-layer size', 1));
    if (n[hidden - 1] !== nodes[hidden - 1]) {
      throw new ParseError(r.file, e.line, `the last hidden-layer size equal to the global one (${nodes[hidden - 1]}): n2p2 ignores the last value of element_nodes_short and would use ${nodes[hidden - 1]}, not ${n[hidden - 1]}`, e.value);
    }
    networks[symbol].hiddenNodes = n;
  }
  const actOverride = r.one('element_activation_short');
  if (actOverride) {
    const [symbol, ...codes] = n2p2Fields(actOverride.value);
    checkElement(r, actOverride, symbol ?? '', elements, 'element');
    if (codes.length !== hidden + 1) {
      throw new ParseError(r.file, actOverride.line, `element_activation_short ${symbol} with ${hidden + 1} activations (n2p2 aborts otherwise)`, actOverride.value);
    }
    readActivations(r, actOverride, codes);
    if (codes[hidden] !== activations[hidden]) {
      throw new ParseError(r.file, actOverride.line, `the output activation equal to the global one (${activations[hidden]}): n2p2 ignores the last code of element_activation_short and would use ${activations[hidden]}, not ${codes[hidden]}`, actOverride.value);
    }
    networks[symbol].activations = codes;
  }
  return networks;
}

/** Number of symmetry functions per element, elements in `settings.elements` order (the counts `scaling.data` needs). */
export function symmetryFunctionCounts(settings: Pick<N2p2Settings, 'elements' | 'symmetryFunctions'>): number[] {
  return settings.elements.map((s) => settings.symmetryFunctions.filter((d) => d.element === s).length);
}

/**
 * Layer sizes of an element's network, input first: [functions of the element, hidden…, 1].
 * @example networkLayers(h2o, 'O') // [30, 25, 25, 1]
 */
export function networkLayers(settings: Pick<N2p2Settings, 'symmetryFunctions' | 'networks'>, element: string): number[] {
  const network = settings.networks[element];
  if (!network) throw new PolymorphError('E_ELEMENT', `networkLayers: no network for element '${element}'`);
  return [settings.symmetryFunctions.filter((d) => d.element === element).length, ...network.hiddenNodes, 1];
}

/** Shortest decimal that reads back (with C `atof`) as the same double. */
function num(x: number): string {
  return String(x);
}

function fail(message: string): never {
  throw new PolymorphError('E_VALUE', `formatN2p2Settings: ${message}`);
}

function finite(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${what} must be a finite number, got ${String(x)}`);
  return x;
}

/** The network keyword lines: global ones from the first element, overrides n2p2 v2.3 reads correctly (quirk Q9). */
function networkLines(settings: N2p2Settings, elements: string[]): string[] {
  const nets = elements.map((s) => {
    const n = settings.networks?.[s];
    if (!n || !Array.isArray(n.hiddenNodes) || !Array.isArray(n.activations)) fail(`no network for element ${s}`);
    if (n.hiddenNodes.length < 1 || !n.hiddenNodes.every((k) => Number.isInteger(k) && k >= 1)) fail(`${s}: hiddenNodes must be one or more positive integers`);
    if (n.activations.length !== n.hiddenNodes.length + 1) fail(`${s}: activations must have one code per hidden layer and one for the output`);
    for (const a of n.activations) if (!activationCodes.includes(a)) fail(`${s}: unknown activation ${JSON.stringify(a)} (n2p2 knows ${activationCodes.join(' ')})`);
    return n;
  });
  const g = nets[0];
  const h = g.hiddenNodes.length;
  const lines = [
    `global_hidden_layers_short ${h}`,
    `global_nodes_short ${g.hiddenNodes.join(' ')}`,
    `global_activation_short ${g.activations.join(' ')}`,
  ];
  const activationOverrides: string[] = [];
  nets.forEach((n, k) => {
    const s = elements[k];
    const why = `n2p2 cannot express this network for ${s}`;
    if (n.hiddenNodes.length !== h) fail(`${why}: all elements must have the same number of hidden layers in n2p2 v2.3 (${elements[0]} has ${h}, ${s} ${n.hiddenNodes.length})`);
    if (n.activations[h] !== g.activations[h]) fail(`${why}: all elements must share the output activation (element_activation_short cannot set it)`);
    if (n.hiddenNodes[h - 1] !== g.hiddenNodes[h - 1]) fail(`${why}: all elements must share the size of the last hidden layer (element_nodes_short cannot set it)`);
    if (n.hiddenNodes.some((x, l) => x !== g.hiddenNodes[l])) lines.push(`element_nodes_short ${s} ${n.hiddenNodes.join(' ')}`);
    if (n.activations.some((x, l) => x !== g.activations[l])) activationOverrides.push(`element_activation_short ${s} ${n.activations.join(' ')}`);
  });
  if (activationOverrides.length > 1) fail('n2p2 allows element_activation_short once, so at most one element may have hidden activations other than the first element\'s');
  return [...lines, ...activationOverrides];
}

/** Checks an `extra` keyword: it must not change or duplicate what the formatter writes. */
function checkExtra(x: { keyword: string; value: string }, scaling: ScalingType): void {
  if (typeof x?.keyword !== 'string' || !/^[^\s#!]+$/.test(x.keyword)) fail(`extra keyword ${JSON.stringify(x?.keyword)} must be one word without blanks, '#' or '!'`);
  if (typeof x.value !== 'string' || /[\n\r#!]/.test(x.value)) fail(`the value of extra keyword '${x.keyword}' must be one line without '#' or '!'`);
  const main = mainKeyword(x.keyword);
  if (main === undefined || !INTERPRETED.has(main)) return;
  const ignoredSigma = main === 'scale_symmetry_functions_sigma' && scaling !== 'sigma' && scaling !== 'none';
  const ignoredRange = (main === 'scale_min_short' || main === 'scale_max_short') && (scaling === 'none' || scaling === 'center');
  if (!ignoredSigma && !ignoredRange) fail(`'${x.keyword}' cannot be an extra keyword: it is written from the interpreted settings`);
}

/**
 * A complete `input.nn` for these settings that n2p2 reads with the same meaning (and that
 * {@link parseN2p2Settings} reads back to equal settings, apart from file, lines and warnings):
 * a header comment, normalisation, elements, atom energies (`%24.16E`), cutoff, scaling, networks,
 * `normalize_nodes`, the `extra` keywords verbatim, then one `symfunction_short` per function in
 * sorted order. `\n` line ends only.
 * @throws PolymorphError `E_VALUE` for settings that are inconsistent or that n2p2 cannot express
 * (e.g. elements with different numbers of hidden layers; see quirk Q9).
 */
export function formatN2p2Settings(settings: N2p2Settings): string {
  if (settings.nnpType !== '2G-HDNNP') fail(`only 2G-HDNNP settings can be written, got ${String(settings.nnpType)}`);
  const elements = [...settings.elements];
  for (const s of elements) if (!isChemicalSymbol(s) || atomicNumber(s) > MAX_Z) fail(`unknown element ${JSON.stringify(s)} (n2p2 knows H … No)`);
  if (new Set(elements).size !== elements.length || elements.length === 0) fail('elements must be one or more distinct symbols');
  elements.sort((a, b) => atomicNumber(a) - atomicNumber(b));
  const out = [
    '###############################################################################',
    '# n2p2 settings (2G-HDNNP), written by polymorph',
    '###############################################################################',
  ];
  const norm = settings.normalization;
  if (norm) {
    finite(norm.meanEnergy, 'meanEnergy');
    if (!(finite(norm.convEnergy, 'convEnergy') > 0) || !(finite(norm.convLength, 'convLength') > 0)) fail('convEnergy and convLength must be > 0');
    out.push(`mean_energy ${formatE(norm.meanEnergy)}`, `conv_energy ${formatE(norm.convEnergy)}`, `conv_length ${formatE(norm.convLength)}`);
  }
  out.push(`number_of_elements ${elements.length}`, `elements ${elements.join(' ')}`);
  for (const [s, energy] of Object.entries(settings.atomEnergies ?? {})) {
    if (!elements.includes(s)) fail(`atom energy for ${s}, which is not among the elements`);
    if (finite(energy, `atom energy of ${s}`) !== 0) out.push(`atom_energy ${s} ${formatE(energy)}`);
  }
  const { type, alpha } = settings.cutoff ?? {};
  if (!Number.isInteger(type) || type < 0 || type > 8) fail(`cutoff type must be an integer 0 … 8, got ${String(type)}`);
  if (!(finite(alpha, 'cutoff alpha') >= 0 && alpha < 1)) fail(`cutoff alpha must satisfy 0 <= alpha < 1, got ${alpha}`);
  out.push(`cutoff_type ${type} ${num(alpha)}`);
  out.push(...scalingLines(settings.scaling));
  out.push(...networkLines(settings, elements));
  if (settings.normalizeNodes) out.push('normalize_nodes');
  if (settings.extra.length > 0) {
    out.push('# Keywords polymorph does not interpret, as read:');
    for (const x of settings.extra) {
      checkExtra(x, settings.scaling.type);
      out.push(x.value === '' ? x.keyword : `${x.keyword} ${x.value}`);
    }
  }
  out.push(...symmetryFunctionLines(settings.symmetryFunctions, elements));
  const text = out.join('\n') + '\n';
  try {
    parseN2p2Settings(text, '<formatted input.nn>');
  } catch (error) {
    if (error instanceof PolymorphError) fail(`the settings cannot be written consistently: ${error.message}`);
    throw error;
  }
  return text;
}

function scalingLines(scaling: SymmetryFunctionScaling): string[] {
  const flags: Record<ScalingType, string[]> = {
    none: [],
    scale: ['scale_symmetry_functions'],
    center: ['center_symmetry_functions'],
    scalecenter: ['scale_symmetry_functions', 'center_symmetry_functions'],
    sigma: ['scale_symmetry_functions_sigma'],
  };
  const lines = flags[scaling?.type];
  if (!lines) fail(`unknown scaling type ${JSON.stringify(scaling?.type)}`);
  if (scaling.type === 'none' || scaling.type === 'center') return lines;
  return [...lines, `scale_min_short ${num(finite(scaling.min, 'scaling min'))}`, `scale_max_short ${num(finite(scaling.max, 'scaling max'))}`];
}

function symmetryFunctionLines(definitions: SymmetryFunctionDefinition[], elements: string[]): string[] {
  const checked = definitions.map((d, k) => {
    const c = checkSymmetryFunction(d, `symmetry function ${k + 1}`);
    const used = [c.element, ...(c.type === 2 || c.type === 20 ? [c.neighbor] : 'neighbors' in c ? c.neighbors : [])];
    for (const s of used) if (!elements.includes(s)) fail(`symmetry function ${k + 1} uses ${s}, which is not among the elements`);
    return c;
  });
  for (const s of elements) if (!checked.some((d) => d.element === s)) fail(`element ${s} has no symmetry function`);
  return checked.sort(compareSymmetryFunctions).map(formatSymmetryFunction);
}

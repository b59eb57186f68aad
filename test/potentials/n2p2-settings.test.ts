import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ParseError, PolymorphError } from '../../lib/core/errors';
import { SymmetryFunctionDefinition } from '../../lib/descriptors/symmetry-function-definitions';
import {
  formatN2p2Settings, N2p2Settings, networkLayers, parseN2p2Settings, readN2p2Settings, symmetryFunctionCounts,
} from '../../lib/potentials/n2p2-settings';
import { connectionCount } from '../../lib/potentials/n2p2-weights';
import { sharedData } from '../helpers';
import { catchParseError } from '../io/helpers';

const potentials = path.join(sharedData, 'n2p2', 'potentials');
const names = ['H2O_RPBE-D3', 'H2O_BLYP-D3', 'Cu2S_PBE', 'Anisole_SCAN', 'Ethylbenzene_SCAN', 'DMABN_SCAN'];
const inputOf = (name: string): string => path.join(potentials, name, 'input.nn');
const trainingInputs = ['H2O_RPBE-D3', 'Cu2S_PBE', 'LJ'].map((name) => path.join(sharedData, 'n2p2', 'train', name, 'input.nn'));

/** The minimal complete example of spec §8 (one element). */
const minimal = [
  'number_of_elements 1',
  'elements Cu',
  'cutoff_type 6 0.0',
  'scale_symmetry_functions',
  'center_symmetry_functions',
  'scale_min_short 0.0',
  'scale_max_short 1.0',
  'global_hidden_layers_short 2',
  'global_nodes_short 10 10',
  'global_activation_short t t l',
  'symfunction_short Cu 2 Cu 0.5 2.0 6.0',
  'symfunction_short Cu 2 Cu 0.5 1.0 6.0      # sorts BEFORE the previous line (r_s 1.0 < 2.0)',
  'symfunction_short Cu 9 Cu Cu 0.1 -1 2 6.0',
].join('\n') + '\n';

/** A two-element file, H and O, with one function each and a comment block (line numbers below). */
const water = [
  '# water', //                                   1
  'number_of_elements 2', //                      2
  'elements O H', //                              3
  'cutoff_type 2', //                             4
  'scale_symmetry_functions', //                  5
  'center_symmetry_functions', //                 6
  'global_hidden_layers_short 2', //              7
  'global_nodes_short 25 25', //                  8
  'global_activation_short t t l', //             9
  'symfunction_short H 2 O 0.001 0.0 12.0', //    10
  'symfunction_short O 2 H 0.001 0.0 12.0', //    11
  'epochs 25', //                                 12
].join('\n') + '\n';

/** Warnings other than the two about the default scaling range (the `water` text has none). */
const notDefaults = (warnings: string[]): string[] => warnings.filter((w) => !/'scale_m(in|ax)_short' not given/.test(w));
const parse = (text: string): N2p2Settings => parseN2p2Settings(text, 'input.nn');
/** `text` with line `k` (1-based) replaced (or removed when `line` is null). */
const replaceLine = (text: string, k: number, line: string | null): string => {
  const lines = text.split('\n');
  if (line === null) lines.splice(k - 1, 1);
  else lines[k - 1] = line;
  return lines.join('\n');
};
const appendLines = (text: string, ...lines: string[]): string => text + lines.join('\n') + '\n';
const errorAt = (text: string, line: number, pattern?: RegExp): ParseError => catchParseError(() => parse(text), 'input.nn', line, pattern);

function expectCode(fn: () => unknown, code: string, pattern?: RegExp): PolymorphError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PolymorphError);
  const e = caught as PolymorphError;
  expect(e.code).toBe(code);
  if (pattern) expect(e.message).toMatch(pattern);
  return e;
}

/** Everything but file, line numbers and warnings. */
function meaning(s: N2p2Settings): Omit<N2p2Settings, 'file' | 'symmetryFunctionLines' | 'warnings'> {
  const { file: _f, symmetryFunctionLines: _l, warnings: _w, ...rest } = s;
  return rest;
}

/** Counts `symfunction_short <element>` lines in the raw file (comments excluded). */
function countInFile(file: string, element: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => new RegExp(`^\\s*symfunction_short\\s+${element}\\s`).test(l)).length;
}

describe('shipped potentials', () => {
  const expected: Record<string, { elements: string[]; scaling: string; cutoff: number; hidden: number[]; activations: string }> = {
    'H2O_RPBE-D3': { elements: ['H', 'O'], scaling: 'scalecenter', cutoff: 2, hidden: [25, 25], activations: 't t l' },
    'H2O_BLYP-D3': { elements: ['H', 'O'], scaling: 'scalecenter', cutoff: 2, hidden: [25, 25], activations: 't t l' },
    Cu2S_PBE: { elements: ['S', 'Cu'], scaling: 'sigma', cutoff: 6, hidden: [25, 25], activations: 'p p l' },
    Anisole_SCAN: { elements: ['H', 'C', 'O'], scaling: 'scalecenter', cutoff: 6, hidden: [30, 20], activations: 'p p l' },
    Ethylbenzene_SCAN: { elements: ['H', 'C'], scaling: 'scalecenter', cutoff: 6, hidden: [25, 25], activations: 'p p l' },
    DMABN_SCAN: { elements: ['H', 'C', 'N'], scaling: 'scalecenter', cutoff: 6, hidden: [25, 25], activations: 'p p l' },
  };

  it.each(names)('%s: elements by Z, scaling, cutoff, networks, no warnings', (name) => {
    const s = readN2p2Settings(inputOf(name));
    const want = expected[name];
    expect(s.file).toBe(inputOf(name));
    expect(s.elements).toEqual(want.elements);
    expect(s.scaling).toEqual({ type: want.scaling, min: 0, max: 1 });
    expect(s.cutoff).toEqual({ type: want.cutoff, alpha: 0 });
    for (const e of want.elements) expect(s.networks[e]).toEqual({ hiddenNodes: want.hidden, activations: want.activations.split(' ') });
    expect(s.nnpType).toBe('2G-HDNNP');
    expect(s.normalizeNodes).toBe(false);
    expect(s.warnings).toEqual([]);
    expect(Object.values(s.atomEnergies).every((x) => x === 0)).toBe(true);
  });

  it.each(names)('%s: the number of functions per element is what the file has', (name) => {
    const s = readN2p2Settings(inputOf(name));
    expect(symmetryFunctionCounts(s)).toEqual(s.elements.map((e) => countInFile(inputOf(name), e)));
    // element-major by Z
    const order = s.symmetryFunctions.map((d) => s.elements.indexOf(d.element));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(s.symmetryFunctionLines).toHaveLength(s.symmetryFunctions.length);
  });

  it('H2O: 27 functions for H and 30 for O; networks 27-25-25-1 and 30-25-25-1', () => {
    const s = readN2p2Settings(inputOf('H2O_RPBE-D3'));
    expect(symmetryFunctionCounts(s)).toEqual([27, 30]);
    expect(networkLayers(s, 'H')).toEqual([27, 25, 25, 1]);
    expect(networkLayers(s, 'O')).toEqual([30, 25, 25, 1]);
    expect(connectionCount(networkLayers(s, 'H'))).toBe(1376);
    expect(() => networkLayers(s, 'Cu')).toThrow(PolymorphError);
  });

  it('H2O_RPBE-D3: the verified ordering facts of spec §1.6', () => {
    const file = inputOf('H2O_RPBE-D3');
    const s = readN2p2Settings(file);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // The spec cites lines 51 and 61; in the shipped file (with its 55-line header of settings)
    // these two functions are on lines 106 and 116, ten lines apart as in the spec.
    expect(s.symmetryFunctionLines.slice(0, 2)).toEqual([106, 116]);
    expect(lines[105]).toBe('symfunction_short H 2 H 0.001 0.0 12.00');
    expect(lines[115]).toBe('symfunction_short H 2 O 0.001 0.0 12.00');
    expect(s.symmetryFunctions[0]).toEqual({ type: 2, element: 'H', neighbor: 'H', eta: 0.001, rShift: 0, cutoff: 12 });
    expect(s.symmetryFunctions[1]).toEqual({ type: 2, element: 'H', neighbor: 'O', eta: 0.001, rShift: 0, cutoff: 12 });
    // SF 9 and 10 (1-based): r_s sorts before the neighbour element
    expect(s.symmetryFunctions[8]).toEqual({ type: 2, element: 'H', neighbor: 'O', eta: 0.15, rShift: 0.9, cutoff: 12 });
    expect(s.symmetryFunctions[9]).toEqual({ type: 2, element: 'H', neighbor: 'H', eta: 0.15, rShift: 1.9, cutoff: 12 });
    // each recorded line really defines its function
    s.symmetryFunctionLines.forEach((line, k) => {
      const d = s.symmetryFunctions[k];
      expect(lines[line - 1]).toMatch(new RegExp(`^symfunction_short ${d.element} ${d.type} `));
    });
    // angular neighbours are ordered by Z: `H 3 O H` becomes (H, O)
    const mixed = s.symmetryFunctions.filter((d) => d.type === 3 && d.element === 'H' && d.neighbors.join() !== 'O,O');
    expect(mixed).toHaveLength(7); // the seven `H 3 O H` lines
    for (const d of mixed) expect(d.type === 3 && d.neighbors).toEqual(['H', 'O']);
  });

  it('normalisation values, exactly as written', () => {
    const norm = (name: string): N2p2Settings['normalization'] => readN2p2Settings(inputOf(name)).normalization;
    expect(norm('H2O_RPBE-D3')).toEqual({ meanEnergy: -2.5521343547039809e1, convEnergy: 2.4265748255366972e2, convLength: 5.8038448995319847 });
    expect(norm('Cu2S_PBE')).toEqual({ meanEnergy: -3.8640662064628053, convEnergy: 7.3890846653659121, convLength: 6.1376931796181502 });
    expect(norm('DMABN_SCAN')).toEqual({ meanEnergy: -3.6581036498775639, convEnergy: 1.1608720067118788e3, convLength: 3.8128564085005848e1 });
  });

  it('keeps training keywords in extra, in file order, spelled as written', () => {
    const s = readN2p2Settings(inputOf('H2O_RPBE-D3'));
    expect(s.extra[0]).toEqual({ keyword: 'epochs', value: '25' });
    expect(s.extra).toContainEqual({ keyword: 'short_energy_fraction', value: '1.000' });
    expect(s.extra).toContainEqual({ keyword: 'write_neuronstats', value: '5 10' });
    expect(s.extra).toContainEqual({ keyword: 'memorize_symfunc_results', value: '' });
    expect(s.extra[s.extra.length - 1]).toEqual({ keyword: 'kalman_etamax', value: '1.0' });
    expect(s.extra.map((x) => x.keyword)).not.toContain('symfunction_short');
  });

  it.each([...names.map(inputOf), ...trainingInputs])('round trip parse → format → parse: %s', (file) => {
    const s = readN2p2Settings(file);
    const text = formatN2p2Settings(s);
    expect(text).not.toContain('\r');
    expect(text.endsWith('\n')).toBe(true);
    const again = parseN2p2Settings(text, 'copy.nn');
    expect(meaning(again)).toEqual(meaning(s));
    expect(again.warnings).toEqual([]);
    expect(formatN2p2Settings(again)).toBe(text);
  });
});

describe('the minimal example of spec §8', () => {
  const s = parse(minimal);

  it('sorts the functions as n2p2 does', () => {
    expect(s.elements).toEqual(['Cu']);
    expect(s.symmetryFunctions).toEqual([
      { type: 2, element: 'Cu', neighbor: 'Cu', eta: 0.5, rShift: 1, cutoff: 6 },
      { type: 2, element: 'Cu', neighbor: 'Cu', eta: 0.5, rShift: 2, cutoff: 6 },
      { type: 9, element: 'Cu', neighbors: ['Cu', 'Cu'], eta: 0.1, lambda: -1, zeta: 2, cutoff: 6, rShift: 0 },
    ]);
    expect(s.symmetryFunctionLines).toEqual([12, 11, 13]);
    expect(s.cutoff).toEqual({ type: 6, alpha: 0 });
    expect(s.scaling).toEqual({ type: 'scalecenter', min: 0, max: 1 });
    expect(s.normalization).toBeNull();
    expect(s.extra).toEqual([]);
    expect(s.warnings).toEqual([]);
    expect(networkLayers(s, 'Cu')).toEqual([3, 10, 10, 1]);
    expect(connectionCount(networkLayers(s, 'Cu'))).toBe(161);
  });

  it('formats to a complete file that reads back the same', () => {
    const text = formatN2p2Settings(s);
    expect(text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual([
      'number_of_elements 1',
      'elements Cu',
      'cutoff_type 6 0',
      'scale_symmetry_functions',
      'center_symmetry_functions',
      'scale_min_short 0',
      'scale_max_short 1',
      'global_hidden_layers_short 2',
      'global_nodes_short 10 10',
      'global_activation_short t t l',
      'symfunction_short Cu 2 Cu 0.5 1 6',
      'symfunction_short Cu 2 Cu 0.5 2 6',
      'symfunction_short Cu 9 Cu Cu 0.1 -1 2 6 0',
    ]);
    expect(meaning(parse(text))).toEqual(meaning(s));
  });
});

describe('line grammar', () => {
  it('cuts comments at # and ! anywhere, reduces blanks and TABs, ignores keyword order', () => {
    const text = [
      'global_activation_short t t l ! hidden, hidden, output',
      'symfunction_short\tCu  2\tCu 0.5 1.0 6.0#comment',
      '   elements    Cu   # leading blanks',
      'number_of_elements 1!',
      '! only a comment',
      '     ',
      'cutoff_type 6',
      'global_nodes_short 10 10',
      'global_hidden_layers_short 2',
    ].join('\n');
    const s = parse(text);
    expect(s.elements).toEqual(['Cu']);
    expect(s.symmetryFunctions).toHaveLength(1);
    expect(s.symmetryFunctionLines).toEqual([2]);
    expect(s.networks.Cu).toEqual({ hiddenNodes: [10, 10], activations: ['t', 't', 'l'] });
    expect(s.scaling).toEqual({ type: 'none', min: 0, max: 1 });
    expect(s.warnings).toEqual([]);
  });

  it('warns about a TAB-only line, as n2p2 does (an empty keyword)', () => {
    const s = parse(appendLines(minimal, '\t  \t'));
    expect(s.warnings).toEqual(['input.nn:14: a line of blanks with TABs (n2p2 reads it as an empty unknown keyword); ignored']);
    expect(s.extra).toEqual([]);
  });

  it('warns about unknown keywords and keeps them in extra', () => {
    const s = parse(appendLines(minimal, 'my_keyword 1 2 3', 'my_keyword again'));
    expect(s.warnings).toEqual([
      "input.nn:14: unknown keyword 'my_keyword' (n2p2 ignores it with a warning); kept as an extra keyword",
      "input.nn:15: unknown keyword 'my_keyword' (n2p2 ignores it with a warning); kept as an extra keyword",
    ]);
    expect(s.extra).toEqual([{ keyword: 'my_keyword', value: '1 2 3' }, { keyword: 'my_keyword', value: 'again' }]);
    expect(meaning(parse(formatN2p2Settings(s)))).toEqual(meaning(s));
  });

  it('refuses a repeated keyword at its second line, and two spellings of one keyword', () => {
    errorAt(appendLines(minimal, 'cutoff_type 2'), 14, /'cutoff_type' at most once \(already given on line 3/);
    errorAt(appendLines(water, 'epochs 30'), 13, /'epochs' at most once \(already given on line 12/);
    errorAt(appendLines(minimal, 'symfunction Cu 2 Cu 0.5 3.0 6.0'), 14, /one spelling of 'symfunction_short' \(line 11 uses 'symfunction_short'/);
    errorAt(appendLines(water, 'short_energy_fraction 1.0', 'energy_fraction 1.0'), 14, /one spelling of 'energy_fraction'/);
    errorAt(appendLines(water, 'nnp_type 2G-HDNNP', 'nnp_gen 2'), 14, /one spelling of 'nnp_type'/);
    // repeatable ones
    const s = parse(appendLines(water, 'atom_energy H -0.5', 'atom_energy O -75.0', 'atom_energy H -0.45'));
    expect(s.atomEnergies).toEqual({ H: -0.45, O: -75 });
    expect(notDefaults(s.warnings)).toEqual(['input.nn:15: second atom_energy for H (line 13); the later one is used, as in n2p2']);
  });

  it('accepts the alternative spelling symfunction', () => {
    const s = parse(minimal.replace(/symfunction_short/g, 'symfunction'));
    expect(meaning(s)).toEqual(meaning(parse(minimal)));
  });

  it('refuses CR line ends at the first such line, asking for LF', () => {
    errorAt(minimal.replace(/\n/g, '\r\n'), 1, /convert the file to LF/);
    errorAt(replaceLine(minimal, 4, 'scale_symmetry_functions\r'), 4, /LF line ends/);
    errorAt(replaceLine(minimal, 6, '\r'), 6, /LF line ends/);
  });

  it('refuses Fortran d exponents and explains how n2p2 would read them', () => {
    const e = errorAt(replaceLine(minimal, 13, 'symfunction_short Cu 9 Cu Cu 1.0d-3 -1 2 6.0'), 13, /write 1\.0e-3, not 1\.0d-3/);
    expect(e.message).toMatch(/n2p2 would silently read 1\.0d-3 as 1\.0/);
    errorAt(replaceLine(minimal, 6, 'scale_min_short 0.0D0'), 6, /scale_min_short with a C exponent/);
  });

  it('refuses numbers that are not complete finite C numbers', () => {
    errorAt(replaceLine(minimal, 11, 'symfunction_short Cu 2 Cu 0.5x 2.0 6.0'), 11, /eta \(a finite real number\)/);
    errorAt(replaceLine(minimal, 11, 'symfunction_short Cu 2 Cu 0.5 nan 6.0'), 11, /rs/);
    errorAt(replaceLine(minimal, 11, 'symfunction_short Cu 2 Cu 0.5 2.0 1e400'), 11, /rc/);
    errorAt(replaceLine(minimal, 1, 'number_of_elements 1.0'), 1, /integer/);
    errorAt(replaceLine(minimal, 8, 'global_hidden_layers_short two'), 8, /integer/);
    errorAt(appendLines(water, 'atom_energy H 0x10'), 13, /atom_energy of H/);
  });
});

describe('validation', () => {
  it('number_of_elements must match elements', () => {
    errorAt(replaceLine(minimal, 1, 'number_of_elements 2'), 1, /equal to the 1 symbols of 'elements' \(line 2\)/);
    errorAt(replaceLine(minimal, 1, null), 0, /'number_of_elements' line/);
    errorAt(replaceLine(minimal, 2, null), 0, /'elements' line/);
  });

  it('element symbols: known to n2p2, case-sensitive, distinct', () => {
    errorAt(replaceLine(water, 3, 'elements O h'), 3, /H … No, case-sensitive.*"h"/);
    errorAt(replaceLine(water, 3, 'elements O Lr'), 3, /known to n2p2/); // Z = 103: beyond n2p2's table
    errorAt(replaceLine(water, 3, 'elements O O'), 3, /distinct/);
  });

  it('atom_energy must name an element of the potential', () => {
    errorAt(appendLines(water, 'atom_energy Cu -1.0'), 13, /atom_energy element: one of the elements H O/);
    errorAt(appendLines(water, 'atom_energy H'), 13, /atom_energy <symbol> <energy>/);
  });

  it('cutoff_type: present, 0 … 8, 0 <= alpha < 1', () => {
    errorAt(replaceLine(minimal, 3, null), 0, /'cutoff_type' line/);
    errorAt(replaceLine(minimal, 3, 'cutoff_type 9'), 3, /cutoff type 0 … 8/);
    errorAt(replaceLine(minimal, 3, 'cutoff_type -1'), 3, /cutoff type 0 … 8/);
    errorAt(replaceLine(minimal, 3, 'cutoff_type 6 1.0'), 3, /0 <= alpha < 1/);
    errorAt(replaceLine(minimal, 3, 'cutoff_type 6 -0.1'), 3, /0 <= alpha < 1/);
    errorAt(replaceLine(minimal, 3, 'cutoff_type'), 3, /<type 0-8> \[<alpha>\]/);
    expect(parse(replaceLine(minimal, 3, 'cutoff_type 1 0.25')).cutoff).toEqual({ type: 1, alpha: 0.25 });
  });

  it('symmetry functions: elements of the potential, known types, enough fields, valid parameters', () => {
    errorAt(replaceLine(water, 10, 'symfunction_short N 2 O 0.001 0.0 12.0'), 10, /central element: one of the elements H O/);
    errorAt(replaceLine(water, 10, 'symfunction_short H 2 N 0.001 0.0 12.0'), 10, /neighbour element: one of the elements H O/);
    errorAt(replaceLine(water, 10, 'symfunction_short H 3 O N 0.1 1 1 12.0'), 10, /neighbour element: one of the elements H O/);
    errorAt(replaceLine(water, 10, 'symfunction_short H 7 O 0.001 0.0 12.0'), 10, /unknown symmetry-function type "7"/);
    errorAt(replaceLine(water, 10, 'symfunction_short H 2 O 0.001 0.0'), 10, /needs 6 fields/);
    errorAt(replaceLine(water, 10, 'symfunction_short H'), 10, /needs 2 fields/);
    errorAt(replaceLine(water, 10, 'symfunction_short H 2 O -0.001 0.0 12.0'), 10, /eta must be >= 0/);
    errorAt(replaceLine(water, 10, 'symfunction_short H 20 O -1.0 1.0 p9'), 10, /compact subtype/);
  });

  it('warns about extra fields after a symmetry function (n2p2 ignores them)', () => {
    const s = parse(replaceLine(water, 10, 'symfunction_short H 2 O 0.001 0.0 12.0 junk'));
    expect(notDefaults(s.warnings)).toEqual(['input.nn:10: extra fields after the type-2 symmetry function are ignored (as n2p2 does): junk']);
    const r = parse(replaceLine(water, 10, 'symfunction_short H 3 O H 0.1 1 1 12.0 0.5'));
    expect(notDefaults(r.warnings)).toEqual([]);
    expect(r.symmetryFunctions[0]).toMatchObject({ type: 3, rShift: 0.5 });
  });

  it('every element needs a symmetry function (error at the elements line)', () => {
    errorAt(replaceLine(water, 11, null), 3, /at least one symfunction_short for every element \(none for O\)/);
  });

  it('network keywords: present, consistent counts, known activations', () => {
    errorAt(replaceLine(water, 7, null), 0, /'global_hidden_layers_short' line/);
    errorAt(replaceLine(water, 8, null), 0, /'global_nodes_short' line/);
    errorAt(replaceLine(water, 9, null), 0, /'global_activation_short' line/);
    errorAt(replaceLine(water, 8, 'global_nodes_short 25'), 8, /with 2 hidden-layer sizes/);
    errorAt(replaceLine(water, 8, 'global_nodes_short 25 0'), 8, /hidden-layer size \(an integer >= 1\)/);
    errorAt(replaceLine(water, 9, 'global_activation_short t t'), 9, /with 3 activations/);
    errorAt(replaceLine(water, 9, 'global_activation_short t x l'), 9, /activation codes among l t s p r g c S e h/);
    errorAt(replaceLine(water, 9, 'global_activation_short t tt l'), 9, /activation codes/);
    errorAt(replaceLine(water, 7, 'global_hidden_layers_short 0'), 7, /an integer >= 1/);
    const s = parse(replaceLine(water, 9, 'global_activation_short S h e'));
    expect(s.networks.H.activations).toEqual(['S', 'h', 'e']);
  });

  it('element_nodes_short: accepted when n2p2 reads it as written (Q9), refused otherwise', () => {
    const s = parse(appendLines(water, 'element_nodes_short O 10 25'));
    expect(s.networks.O.hiddenNodes).toEqual([10, 25]);
    expect(s.networks.H.hiddenNodes).toEqual([25, 25]);
    expect(networkLayers(s, 'O')).toEqual([1, 10, 25, 1]);
    errorAt(appendLines(water, 'element_nodes_short O 10 30'), 13, /n2p2 ignores the last value of element_nodes_short and would use 25, not 30/);
    errorAt(appendLines(water, 'element_nodes_short O 10'), 13, /with 2 hidden-layer sizes/);
    errorAt(appendLines(water, 'element_nodes_short O 10 25', 'element_nodes_short O 12 25'), 14, /one element_nodes_short per element/);
    errorAt(appendLines(water, 'element_nodes_short N 10 25'), 13, /one of the elements H O/);
    const both = parse(appendLines(water, 'element_nodes_short O 10 25', 'element_nodes_short H 5 25'));
    expect(both.networks.H.hiddenNodes).toEqual([5, 25]);
  });

  it('element_activation_short: accepted when the output code is the global one (Q9), refused otherwise', () => {
    const s = parse(appendLines(water, 'element_activation_short H p s l'));
    expect(s.networks.H.activations).toEqual(['p', 's', 'l']);
    expect(s.networks.O.activations).toEqual(['t', 't', 'l']);
    errorAt(appendLines(water, 'element_activation_short H p s t'), 13, /n2p2 ignores the last code of element_activation_short and would use l, not t/);
    errorAt(appendLines(water, 'element_activation_short H p l'), 13, /with 3 activations/);
    errorAt(appendLines(water, 'element_activation_short H p q l'), 13, /activation codes/);
    errorAt(appendLines(water, 'element_activation_short H p s l', 'element_activation_short O p s l'), 14, /at most once/);
  });

  it('element_hidden_layers_short: only the global number of hidden layers', () => {
    expect(parse(appendLines(water, 'element_hidden_layers_short O 2')).networks.O.hiddenNodes).toEqual([25, 25]);
    errorAt(appendLines(water, 'element_hidden_layers_short O 1'), 13, /n2p2 v2\.3 leaves the last hidden layer/);
  });

  it('normalisation: all three or none; positive conversion factors', () => {
    const norm = ['mean_energy -1.5', 'conv_energy 2.0', 'conv_length 3.0'];
    expect(parse(appendLines(water, ...norm)).normalization).toEqual({ meanEnergy: -1.5, convEnergy: 2, convLength: 3 });
    errorAt(appendLines(water, norm[0], norm[2]), 13, /all three of mean_energy, conv_energy, conv_length or none \(conv_energy missing/);
    errorAt(appendLines(water, norm[1]), 13, /mean_energy and conv_length missing/);
    errorAt(appendLines(water, norm[0], 'conv_energy 0', norm[2]), 14, /conv_energy > 0/);
    errorAt(appendLines(water, norm[0], norm[1], 'conv_length -3'), 15, /conv_length > 0/);
  });

  it('nnp_type: 2G accepted, 4G and Q not supported yet (E_FORMAT), anything else refused', () => {
    expect(parse(appendLines(water, 'nnp_type 2G-HDNNP')).extra).toEqual([{ keyword: 'epochs', value: '25' }]);
    expect(parse(appendLines(water, 'nnp_gen 2')).nnpType).toBe('2G-HDNNP');
    for (const t of ['4G-HDNNP', 'Q-HDNNP', '4', '10']) {
      expectCode(() => parse(appendLines(water, `nnp_type ${t}`)), 'E_FORMAT', /input\.nn:13: .*not supported yet|only 2G-HDNNP potentials are supported yet/);
    }
    errorAt(appendLines(water, 'nnp_type 3G'), 13, /2G-HDNNP, 4G-HDNNP, Q-HDNNP/);
  });

  it('scaling: flag values ignored with a warning; sigma ignored beside scale/center (Q5); default range', () => {
    const s = parse(replaceLine(water, 5, 'scale_symmetry_functions yes'));
    expect(s.warnings[0]).toBe("input.nn:5: 'scale_symmetry_functions' is a flag; the value 'yes' is ignored (as n2p2 does)");
    const q5 = parse(appendLines(water, 'scale_symmetry_functions_sigma'));
    expect(q5.scaling.type).toBe('scalecenter');
    expect(q5.warnings).toContain("input.nn:13: 'scale_symmetry_functions_sigma' is ignored because scale_symmetry_functions or center_symmetry_functions is set (n2p2 ignores it silently); the scaling is 'scalecenter'");
    expect(q5.extra).toContainEqual({ keyword: 'scale_symmetry_functions_sigma', value: '' });
    expect(q5.warnings).toContain("input.nn: 'scale_min_short' not given; using 0 (as n2p2 does)");
    expect(meaning(parse(formatN2p2Settings(q5)))).toEqual(meaning(q5));
    const center = parse(appendLines(replaceLine(water, 5, null), 'scale_min_short -1', 'scale_max_short 1'));
    expect(center.scaling).toEqual({ type: 'center', min: 0, max: 1 });
    expect(center.extra).toEqual([{ keyword: 'epochs', value: '25' }, { keyword: 'scale_min_short', value: '-1' }, { keyword: 'scale_max_short', value: '1' }]);
    expect(center.warnings).toContain("input.nn:12: 'scale_min_short' is ignored with 'center' scaling (as in n2p2)");
    const sigma = parse(appendLines(replaceLine(replaceLine(water, 6, 'scale_min_short -1'), 5, 'scale_symmetry_functions_sigma'), 'scale_max_short 2'));
    expect(sigma.scaling).toEqual({ type: 'sigma', min: -1, max: 2 });
    const scale = parse(replaceLine(water, 6, 'normalize_nodes'));
    expect(scale.scaling.type).toBe('scale');
    expect(scale.normalizeNodes).toBe(true);
  });

  it('a missing file is E_IO naming the path; errors in a read file name it', () => {
    const missing = path.join(potentials, 'nowhere', 'input.nn');
    expectCode(() => readN2p2Settings(missing), 'E_IO', /nowhere\/input\.nn: no such file/);
  });
});

describe('formatting', () => {
  const base = parse(appendLines(water, 'atom_energy H -0.458907306351869', 'mean_energy -1.5', 'conv_energy 2.0', 'conv_length 3.0'));

  it('writes normalisation and atom energies as %24.16E, elements in Z order, LF only', () => {
    const text = formatN2p2Settings(base);
    expect(text).toContain('mean_energy  -1.5000000000000000E+00\n');
    expect(text).toContain('conv_length   3.0000000000000000E+00\n');
    expect(text).toContain('elements H O\n');
    expect(text).toContain('atom_energy H  -4.5890730635186899E-01\n');
    expect(text).not.toContain('atom_energy O');
    expect(text).not.toContain('\r');
    expect(text.indexOf('epochs 25')).toBeLessThan(text.indexOf('symfunction_short'));
    expect(meaning(parse(text))).toEqual(meaning(base));
  });

  it('writes per-element networks that n2p2 reads correctly', () => {
    const s: N2p2Settings = { ...base, networks: { H: { hiddenNodes: [10, 25], activations: ['t', 't', 'l'] }, O: { hiddenNodes: [30, 25], activations: ['p', 's', 'l'] } } };
    const text = formatN2p2Settings(s);
    expect(text).toContain('global_nodes_short 10 25\n');
    expect(text).toContain('element_nodes_short O 30 25\n');
    expect(text).toContain('element_activation_short O p s l\n');
    expect(parse(text).networks).toEqual(s.networks);
  });

  it('refuses networks n2p2 cannot express (E_VALUE)', () => {
    const net = (h: number[], a: string[]): N2p2Settings['networks'][string] => ({ hiddenNodes: h, activations: a });
    const bad = (networks: N2p2Settings['networks'], pattern: RegExp): PolymorphError => expectCode(() => formatN2p2Settings({ ...base, networks }), 'E_VALUE', pattern);
    bad({ H: net([25, 25], ['t', 't', 'l']), O: net([25], ['t', 'l']) }, /same number of hidden layers/);
    bad({ H: net([25, 25], ['t', 't', 'l']), O: net([25, 25], ['t', 't', 't']) }, /share the output activation/);
    bad({ H: net([25, 25], ['t', 't', 'l']), O: net([25, 30], ['t', 't', 'l']) }, /share the size of the last hidden layer/);
    bad({ H: net([25, 25], ['t', 't', 'l']), O: net([25, 25], ['t', 'x', 'l']) }, /unknown activation "x"/);
    bad({ H: net([25, 25], ['t', 't', 'l']) }, /no network for element O/);
    const three = parse(appendLines(water.replace('number_of_elements 2', 'number_of_elements 3').replace('elements O H', 'elements O H C'), 'symfunction_short C 2 O 0.001 0.0 12.0'));
    expectCode(() => formatN2p2Settings({ ...three, networks: { H: net([25, 25], ['t', 't', 'l']), C: net([25, 25], ['p', 't', 'l']), O: net([25, 25], ['s', 't', 'l']) } }), 'E_VALUE', /element_activation_short once/);
  });

  it('refuses extra keywords that would change or duplicate the written settings', () => {
    const withExtra = (extra: N2p2Settings['extra'], scaling = base.scaling): (() => string) => () => formatN2p2Settings({ ...base, scaling, extra });
    expectCode(withExtra([{ keyword: 'elements', value: 'H O' }]), 'E_VALUE', /'elements' cannot be an extra keyword/);
    expectCode(withExtra([{ keyword: 'symfunction', value: 'H 2 O 0.1 0 12' }]), 'E_VALUE', /cannot be an extra keyword/);
    expectCode(withExtra([{ keyword: 'scale_symmetry_functions_sigma', value: '' }], { type: 'none', min: 0, max: 1 }), 'E_VALUE', /cannot be an extra keyword/);
    expect(withExtra([{ keyword: 'scale_symmetry_functions_sigma', value: '' }])()).toContain('\nscale_symmetry_functions_sigma\n');
    expectCode(withExtra([{ keyword: 'epochs', value: '1' }, { keyword: 'epochs', value: '2' }]), 'E_VALUE', /'epochs' at most once/);
    expectCode(withExtra([{ keyword: 'note', value: 'a # b' }]), 'E_VALUE', /one line without '#' or '!'/);
    expectCode(withExtra([{ keyword: 'two words', value: '' }]), 'E_VALUE', /one word/);
  });

  it('refuses inconsistent settings (E_VALUE)', () => {
    const bad = (patch: Partial<N2p2Settings>, pattern: RegExp): PolymorphError => expectCode(() => formatN2p2Settings({ ...base, ...patch }), 'E_VALUE', pattern);
    bad({ elements: ['H', 'O', 'O'] }, /distinct/);
    bad({ elements: ['H', 'Xx'] }, /unknown element "Xx"/);
    bad({ atomEnergies: { H: 0, O: 0, N: 1 } }, /atom energy for N/);
    bad({ atomEnergies: { H: NaN, O: 0 } }, /atom energy of H must be a finite number/);
    bad({ cutoff: { type: 9, alpha: 0 } }, /cutoff type/);
    bad({ cutoff: { type: 2, alpha: 1 } }, /0 <= alpha < 1/);
    bad({ normalization: { meanEnergy: 0, convEnergy: 0, convLength: 1 } }, /> 0/);
    bad({ scaling: { type: 'scale', min: 0, max: Infinity } }, /scaling max must be a finite number/);
    const onlyH: SymmetryFunctionDefinition[] = base.symmetryFunctions.filter((d) => d.element === 'H');
    bad({ symmetryFunctions: onlyH }, /element O has no symmetry function/);
    bad({ symmetryFunctions: [...base.symmetryFunctions, { type: 2, element: 'H', neighbor: 'N', eta: 1, rShift: 0, cutoff: 6 }] }, /uses N/);
    expectCode(() => formatN2p2Settings({ ...base, symmetryFunctions: [{ ...base.symmetryFunctions[0], eta: -1 } as SymmetryFunctionDefinition, base.symmetryFunctions[1]] }), 'E_VALUE', /eta must be >= 0/);
    expectCode(() => formatN2p2Settings({ ...base, nnpType: '4G-HDNNP' as '2G-HDNNP' }), 'E_VALUE', /only 2G-HDNNP/);
  });

  it('writes functions in sorted order whatever the order given', () => {
    const s = parse(minimal);
    const shuffled = { ...s, symmetryFunctions: [...s.symmetryFunctions].reverse() };
    expect(formatN2p2Settings(shuffled)).toBe(formatN2p2Settings(s));
  });
});

import { describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import {
  AngularSymmetryFunction,
  checkSymmetryFunction,
  formatSymmetryFunction,
  RadialSymmetryFunction,
  SymmetryFunctionDefinition,
  sortSymmetryFunctions,
  symmetryFunctionFromFields,
} from '../../lib/descriptors/symmetry-function-definitions';
import {
  angularGrid,
  AngularGridOptions,
  radialGrid,
  radialGridParameters,
  RadialGridOptions,
  symmetryFunctionLines,
} from '../../lib/descriptors/symmetry-function-grids';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PolymorphError);
    return (e as PolymorphError).code;
  }
  return undefined;
}

/** Parses one `symfunction_short` line (keyword included) with plain Number for the numbers. */
function parseLine(line: string): SymmetryFunctionDefinition {
  const tokens = line.trim().split(/\s+/);
  expect(tokens[0]).toBe('symfunction_short');
  const fields = tokens.slice(1);
  return symmetryFunctionFromFields(fields, (i) => Number(fields[i]));
}

/** [element, neighbour, η, r_s] of radial functions, for compact comparisons. */
const radialRows = (defs: RadialSymmetryFunction[]): [string, string, number, number][] =>
  defs.map((d) => [d.element, d.neighbor, d.eta, d.rShift]);

/** [element, e1, e2, η, r_s, ζ, λ] of angular functions. */
const angularRows = (defs: AngularSymmetryFunction[]): [string, string, string, number, number, number, number][] =>
  defs.map((d) => [d.element, d.neighbors[0], d.neighbors[1], d.eta, d.rShift, d.zeta, d.lambda]);

describe('radialGridParameters (sfparamgen rule gastegger2018)', () => {
  it('shift mode: r_s on the linspace grid, eta = 1/(2 dr^2)', () => {
    // r_lower 1, r_upper 5.5, N 4: dr = 4.5/3 = 1.5, grid 1, 2.5, 4, 5.5 (all exact in binary);
    // eta = 1/(2 * 1.5^2) = 1/4.5 = 2/9.
    expect(radialGridParameters({ cutoff: 6, rLower: 1, rUpper: 5.5, count: 4, mode: 'shift' })).toEqual([
      { rShift: 1, eta: 2 / 9 },
      { rShift: 2.5, eta: 2 / 9 },
      { rShift: 4, eta: 2 / 9 },
      { rShift: 5.5, eta: 2 / 9 },
    ]);
  });

  it('center mode: r_s = 0, eta = 1/(2 r_k^2), r_upper defaulting to the cutoff', () => {
    // r_lower 1, r_upper = cutoff = 4, N 4: grid 1, 2, 3, 4; eta = 1/2, 1/8, 1/18, 1/32.
    expect(radialGridParameters({ cutoff: 4, rLower: 1, count: 4, mode: 'center' })).toEqual([
      { rShift: 0, eta: 1 / 2 },
      { rShift: 0, eta: 1 / 8 },
      { rShift: 0, eta: 1 / 18 },
      { rShift: 0, eta: 1 / 32 },
    ]);
  });

  it('shift mode with a spacing that is not exact in binary: the same doubles as numpy.linspace', () => {
    // r_lower 1.5, r_upper 5.5, N 4: dr = 4/3, grid 1.5, 17/6, 25/6, 5.5; eta = 1/(2 (4/3)^2) = 9/32.
    // sfparamgen computes the grid with numpy.linspace, i.e. k*dr + r_lower in doubles with the last
    // point set to r_upper: numpy.linspace(1.5, 5.5, 4) prints [1.5, 2.833333333333333,
    // 4.166666666666666, 5.5] (one ulp below the nearest doubles to 17/6 and 25/6), and
    // 1/(2*dr*dr) prints 0.28125.
    const p = radialGridParameters({ cutoff: 6, rLower: 1.5, rUpper: 5.5, count: 4, mode: 'shift' });
    expect(p.map((x) => x.rShift)).toEqual([1.5, 2.833333333333333, 4.166666666666666, 5.5]);
    expect(p[1].rShift).toBeCloseTo(17 / 6, 14);
    expect(p[2].rShift).toBeCloseTo(25 / 6, 14);
    for (const x of p) expect(x.eta).toBe(0.28125);
  });

  it('center mode: the same doubles as sfparamgen (numpy: 1/(2*linspace(1.5, 6, 3)**2))', () => {
    // grid 1.5, 3.75, 6: eta = 2/9, 8/225, 1/72; numpy prints 0.2222222222222222,
    // 0.035555555555555556, 0.013888888888888888.
    const p = radialGridParameters({ cutoff: 6, rLower: 1.5, count: 3, mode: 'center' });
    expect(p.map((x) => x.eta)).toEqual([0.2222222222222222, 0.035555555555555556, 0.013888888888888888]);
    expect(p.map((x) => x.rShift)).toEqual([0, 0, 0]);
  });

  // The cases of sfparamgen's own test file (tests/test_generate_radial_params.py), r_cutoff 6.
  it.each([
    ['center', 1, 5, [0, 0, 0], [1 / 2, 1 / 18, 1 / 50]],
    ['shift', 1, 5, [1, 3, 5], [1 / 8, 1 / 8, 1 / 8]],
    ['center', 1, undefined, [0, 0, 0], [1 / 2, 1 / (2 * 3.5 ** 2), 1 / 72]],
    ['shift', 1, undefined, [1, 3.5, 6], [0.08, 0.08, 0.08]],
  ] as const)('sfparamgen test case: %s, r_lower %d, r_upper %s', (mode, rLower, rUpper, rs, eta) => {
    const p = radialGridParameters({ cutoff: 6, rLower, rUpper, count: 3, mode });
    p.forEach((x, k) => {
      expect(x.rShift).toBeCloseTo(rs[k], 14);
      expect(x.eta).toBeCloseTo(eta[k], 14);
    });
  });

  // sfparamgen's invalid-relation cases (same test file), r_cutoff 6.
  it.each([
    ['center', 0, 5], ['center', 0, undefined], ['center', 5, 1], ['center', 7, undefined], ['center', 1, 7],
    ['shift', -1, 5], ['shift', -1, undefined], ['shift', 5, 1], ['shift', 7, undefined], ['shift', 1, 7],
  ] as const)('rejects %s with r_lower %d, r_upper %s (E_VALUE)', (mode, rLower, rUpper) => {
    expect(codeOf(() => radialGridParameters({ cutoff: 6, rLower, rUpper, count: 2, mode }))).toBe('E_VALUE');
  });

  it('allows r_lower = 0 in shift mode and r_upper = cutoff', () => {
    // grid 0, 3, 6: dr = 3, eta = 1/18.
    expect(radialGridParameters({ cutoff: 6, rLower: 0, rUpper: 6, count: 3, mode: 'shift' })).toEqual([
      { rShift: 0, eta: 1 / 18 }, { rShift: 3, eta: 1 / 18 }, { rShift: 6, eta: 1 / 18 },
    ]);
  });

  it('rejects bad counts, modes, missing or non-finite values', () => {
    const base = { cutoff: 6, rLower: 1, count: 3, mode: 'shift' as const };
    expect(codeOf(() => radialGridParameters({ ...base, count: 1 }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, count: 0 }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, count: 2.5 }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, count: NaN }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, mode: 'log' as never }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, rLower: undefined as unknown as number }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, rLower: NaN }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, rUpper: Infinity }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, cutoff: 0 }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters({ ...base, cutoff: -6 }))).toBe('E_VALUE');
    expect(codeOf(() => radialGridParameters(null as never))).toBe('E_TYPE');
    expect(() => radialGridParameters({ ...base, rLower: undefined as unknown as number })).toThrow(/rLower is required/);
  });
});

describe('radialGrid', () => {
  it('shift mode, 2 elements, count 4: n_el^2 x count functions in n2p2 order', () => {
    // Elements given as O, H; n2p2 orders by atomic number (H=1 < O=8), then by (r_c, eta, r_s, e1).
    // Grid as above: r_s = 1, 2.5, 4, 5.5, eta = 2/9 for all.
    const defs = radialGrid({ elements: ['O', 'H'], cutoff: 6, rLower: 1, rUpper: 5.5, count: 4, mode: 'shift' });
    expect(defs).toHaveLength(2 * 2 * 4);
    const e = 2 / 9;
    expect(radialRows(defs)).toEqual([
      ['H', 'H', e, 1], ['H', 'O', e, 1], ['H', 'H', e, 2.5], ['H', 'O', e, 2.5],
      ['H', 'H', e, 4], ['H', 'O', e, 4], ['H', 'H', e, 5.5], ['H', 'O', e, 5.5],
      ['O', 'H', e, 1], ['O', 'O', e, 1], ['O', 'H', e, 2.5], ['O', 'O', e, 2.5],
      ['O', 'H', e, 4], ['O', 'O', e, 4], ['O', 'H', e, 5.5], ['O', 'O', e, 5.5],
    ]);
    for (const d of defs) {
      expect(d.type).toBe(2);
      expect(d.cutoff).toBe(6);
    }
  });

  it('center mode, 2 elements, count 4: eta ascending is n2p2 order', () => {
    // r_lower 1, r_upper = cutoff = 4: eta_k = 1/(2 r_k^2) = 1/2, 1/8, 1/18, 1/32 with r_s = 0;
    // n2p2 sorts eta ascending: 1/32, 1/18, 1/8, 1/2, each for neighbour H then O.
    const defs = radialGrid({ elements: ['O', 'H'], cutoff: 4, rLower: 1, count: 4, mode: 'center' });
    expect(radialRows(defs)).toEqual([
      ['H', 'H', 1 / 32, 0], ['H', 'O', 1 / 32, 0], ['H', 'H', 1 / 18, 0], ['H', 'O', 1 / 18, 0],
      ['H', 'H', 1 / 8, 0], ['H', 'O', 1 / 8, 0], ['H', 'H', 1 / 2, 0], ['H', 'O', 1 / 2, 0],
      ['O', 'H', 1 / 32, 0], ['O', 'O', 1 / 32, 0], ['O', 'H', 1 / 18, 0], ['O', 'O', 1 / 18, 0],
      ['O', 'H', 1 / 8, 0], ['O', 'O', 1 / 8, 0], ['O', 'H', 1 / 2, 0], ['O', 'O', 1 / 2, 0],
    ]);
  });

  it('counts for 1 and 3 elements; every function checks and is already sorted', () => {
    expect(radialGrid({ elements: ['Si'], cutoff: 5, rLower: 0.5, count: 6, mode: 'center' })).toHaveLength(6);
    const defs = radialGrid({ elements: ['Cu', 'S', 'H'], cutoff: 6, rLower: 1.5, count: 5, mode: 'shift' });
    expect(defs).toHaveLength(3 * 3 * 5);
    expect(sortSymmetryFunctions(defs)).toEqual(defs);
    for (const d of defs) expect(checkSymmetryFunction(d)).toEqual(d);
    // Central elements grouped by atomic number: H (1), S (16), Cu (29).
    expect([...new Set(defs.map((d) => d.element))]).toEqual(['H', 'S', 'Cu']);
  });

  it('rejects bad element lists', () => {
    const base: RadialGridOptions = { elements: ['H', 'O'], cutoff: 6, rLower: 1, count: 3, mode: 'shift' };
    expect(codeOf(() => radialGrid({ ...base, elements: [] }))).toBe('E_VALUE');
    expect(codeOf(() => radialGrid({ ...base, elements: ['H', 'O', 'H'] }))).toBe('E_VALUE');
    expect(codeOf(() => radialGrid({ ...base, elements: ['H', 'Xx'] }))).toBe('E_ELEMENT');
    expect(codeOf(() => radialGrid({ ...base, elements: ['h'] }))).toBe('E_ELEMENT');
    expect(codeOf(() => radialGrid({ ...base, elements: 'H' as never }))).toBe('E_TYPE');
    expect(codeOf(() => radialGrid({ ...base, count: 1 }))).toBe('E_VALUE');
    expect(codeOf(() => radialGrid({ ...base, rUpper: 7 }))).toBe('E_VALUE');
  });
});

describe('angularGrid', () => {
  it('narrow, shift mode, 2 elements, count 4: counts, r_s carried into the type-3 r_s field, order', () => {
    // Grid: r_s = 1, 2.5, 4, 5.5, eta = 2/9. zetas [1, 4], lambdas default [-1, 1].
    // Count: n_el * n_el(n_el+1)/2 * count * |zetas| * |lambdas| = 2 * 3 * 4 * 2 * 2 = 96.
    const defs = angularGrid({ elements: ['O', 'H'], cutoff: 6, rLower: 1, rUpper: 5.5, count: 4, mode: 'shift', zetas: [1, 4], type: 3 });
    expect(defs).toHaveLength(96);
    const e = 2 / 9;
    // n2p2 key after (element, type): r_c, eta, r_s, zeta, lambda, e1, e2 (neighbours by Z: H < O).
    expect(angularRows(defs.slice(0, 14))).toEqual([
      ['H', 'H', 'H', e, 1, 1, -1], ['H', 'H', 'O', e, 1, 1, -1], ['H', 'O', 'O', e, 1, 1, -1],
      ['H', 'H', 'H', e, 1, 1, 1], ['H', 'H', 'O', e, 1, 1, 1], ['H', 'O', 'O', e, 1, 1, 1],
      ['H', 'H', 'H', e, 1, 4, -1], ['H', 'H', 'O', e, 1, 4, -1], ['H', 'O', 'O', e, 1, 4, -1],
      ['H', 'H', 'H', e, 1, 4, 1], ['H', 'H', 'O', e, 1, 4, 1], ['H', 'O', 'O', e, 1, 4, 1],
      ['H', 'H', 'H', e, 2.5, 1, -1], ['H', 'H', 'O', e, 2.5, 1, -1],
    ]);
    expect(angularRows(defs.slice(-3))).toEqual([
      ['O', 'H', 'H', e, 5.5, 4, 1], ['O', 'H', 'O', e, 5.5, 4, 1], ['O', 'O', 'O', e, 5.5, 4, 1],
    ]);
    expect(defs.filter((d) => d.element === 'H')).toHaveLength(48);
    for (const d of defs) {
      expect(d.type).toBe(3);
      expect(d.cutoff).toBe(6);
      expect(checkSymmetryFunction(d)).toEqual(d);
    }
    expect(new Set(defs.map((d) => d.rShift))).toEqual(new Set([1, 2.5, 4, 5.5]));
  });

  it('wide, center mode, 2 elements, count 4: r_s = 0 and eta ascending', () => {
    // eta = 1/2, 1/8, 1/18, 1/32 (r_lower 1, r_upper = cutoff 4); zetas [1], lambdas [1]:
    // 2 * 3 * 4 * 1 * 1 = 24 functions.
    const defs = angularGrid({ elements: ['H', 'O'], cutoff: 4, rLower: 1, count: 4, mode: 'center', zetas: [1], lambdas: [1], type: 9 });
    expect(defs).toHaveLength(24);
    expect(angularRows(defs.slice(0, 6))).toEqual([
      ['H', 'H', 'H', 1 / 32, 0, 1, 1], ['H', 'H', 'O', 1 / 32, 0, 1, 1], ['H', 'O', 'O', 1 / 32, 0, 1, 1],
      ['H', 'H', 'H', 1 / 18, 0, 1, 1], ['H', 'H', 'O', 1 / 18, 0, 1, 1], ['H', 'O', 'O', 1 / 18, 0, 1, 1],
    ]);
    expect(angularRows(defs.slice(12, 15))).toEqual([
      ['O', 'H', 'H', 1 / 32, 0, 1, 1], ['O', 'H', 'O', 1 / 32, 0, 1, 1], ['O', 'O', 'O', 1 / 32, 0, 1, 1],
    ]);
    for (const d of defs) expect(d.type).toBe(9);
  });

  it('counts for 1 and 3 elements; neighbours in atomic-number order; sorted', () => {
    expect(angularGrid({ elements: ['Si'], cutoff: 5, rLower: 1, count: 3, mode: 'center', zetas: [1, 2, 4, 16], type: 3 })).toHaveLength(1 * 1 * 3 * 4 * 2);
    // 3 elements: 3 * 6 * 3 * 3 * 2 = 324; with lambdas [1] half of that.
    const o: AngularGridOptions = { elements: ['Cu', 'S', 'H'], cutoff: 6, rLower: 1.5, count: 3, mode: 'shift', zetas: [1, 2, 4], type: 9 };
    const defs = angularGrid(o);
    expect(defs).toHaveLength(324);
    expect(angularGrid({ ...o, lambdas: [1] })).toHaveLength(162);
    expect(sortSymmetryFunctions(defs)).toEqual(defs);
    const pairs = new Set(defs.map((d) => d.neighbors.join('-')));
    expect(pairs).toEqual(new Set(['H-H', 'H-S', 'H-Cu', 'S-S', 'S-Cu', 'Cu-Cu']));
  });

  it('rejects bad zetas, lambdas, type and grid settings', () => {
    const base: AngularGridOptions = { elements: ['H', 'O'], cutoff: 6, rLower: 1, count: 3, mode: 'shift', zetas: [1, 2], type: 3 };
    expect(codeOf(() => angularGrid(base))).toBeUndefined();
    expect(codeOf(() => angularGrid({ ...base, zetas: [] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, zetas: [0.5] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, zetas: [1, 1] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, zetas: [1, NaN] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, zetas: 2 as never }))).toBe('E_TYPE');
    expect(codeOf(() => angularGrid({ ...base, lambdas: [] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, lambdas: [1, 1] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, lambdas: [Infinity] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, type: 2 as never }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, type: 13 as never }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, mode: 'center', rLower: 0 }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, count: 1 }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, elements: ['O', 'O'] }))).toBe('E_VALUE');
    expect(codeOf(() => angularGrid({ ...base, elements: ['Q'] }))).toBe('E_ELEMENT');
  });
});

describe('symmetryFunctionLines', () => {
  const radial = radialGrid({ elements: ['O', 'H'], cutoff: 6, rLower: 1.5, rUpper: 5.5, count: 4, mode: 'shift' });
  const angular = angularGrid({ elements: ['O', 'H'], cutoff: 6, rLower: 1, count: 4, mode: 'center', zetas: [1, 4], type: 3 });
  const wide = angularGrid({ elements: ['O', 'H'], cutoff: 6, rLower: 1, count: 3, mode: 'shift', zetas: [2], type: 9 });

  it('writes one line per function, which parses back to the same definition', () => {
    for (const defs of [radial, angular, wide] as SymmetryFunctionDefinition[][]) {
      const lines = symmetryFunctionLines(defs).split('\n');
      expect(lines).toHaveLength(defs.length);
      lines.forEach((line, k) => {
        expect(line).toBe(formatSymmetryFunction(defs[k]));
        expect(parseLine(line)).toEqual(defs[k]);
      });
    }
  });

  it('puts a shuffled mixture in n2p2 order: by element (Z), then type, then the type key', () => {
    const all: SymmetryFunctionDefinition[] = [...wide, ...angular, ...radial];
    const shuffled = all.map((d, i) => [((i * 7919) % 101) + i / 1e6, d] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const lines = symmetryFunctionLines(shuffled).split('\n');
    expect(lines).toHaveLength(all.length);
    const parsed = lines.map(parseLine);
    const groups = parsed.map((d) => `${d.element} ${d.type}`);
    const firstIndex = (g: string): number => groups.indexOf(g);
    const lastIndex = (g: string): number => groups.lastIndexOf(g);
    // H 2 < H 3 < H 9 < O 2 < O 3 < O 9, each contiguous.
    const order = ['H 2', 'H 3', 'H 9', 'O 2', 'O 3', 'O 9'];
    for (let k = 0; k + 1 < order.length; ++k) expect(lastIndex(order[k]) + 1).toBe(firstIndex(order[k + 1]));
    expect(firstIndex('H 2')).toBe(0);
    expect(lastIndex('O 9')).toBe(all.length - 1);
    expect(parsed).toEqual(sortSymmetryFunctions(all));
    // The first two radial lines of H: r_s = 1.5 for neighbours H then O (eta = 9/32 for all).
    expect(lines[0]).toBe('symfunction_short H 2 H 0.28125 1.5 6');
    expect(lines[1]).toBe('symfunction_short H 2 O 0.28125 1.5 6');
  });

  it('writes angular lines with the trailing r_s and neighbours in Z order', () => {
    const lines = symmetryFunctionLines(wide).split('\n');
    // count 3, r_lower 1, r_upper 6: dr = 2.5, r_s = 1, 3.5, 6, eta = 1/(2 * 6.25) = 0.08.
    expect(lines.slice(0, 6)).toEqual([
      'symfunction_short H 9 H H 0.08 -1 2 6 1',
      'symfunction_short H 9 H O 0.08 -1 2 6 1',
      'symfunction_short H 9 O O 0.08 -1 2 6 1',
      'symfunction_short H 9 H H 0.08 1 2 6 1',
      'symfunction_short H 9 H O 0.08 1 2 6 1',
      'symfunction_short H 9 O O 0.08 1 2 6 1',
    ]);
    expect(lines[lines.length - 1]).toBe('symfunction_short O 9 O O 0.08 1 2 6 6');
  });

  it('returns an empty string for no functions and checks its input', () => {
    expect(symmetryFunctionLines([])).toBe('');
    expect(codeOf(() => symmetryFunctionLines([{ ...radial[0], eta: -1 }]))).toBe('E_VALUE');
    expect(codeOf(() => symmetryFunctionLines('x' as never))).toBe('E_TYPE');
    // Neighbours given in the "wrong" order are normalised before sorting and writing.
    const swapped: AngularSymmetryFunction = { ...angular[1], neighbors: [angular[1].neighbors[1], angular[1].neighbors[0]] };
    expect(symmetryFunctionLines([swapped])).toBe(formatSymmetryFunction(angular[1]));
  });
});

/**
 * Reference output of sfparamgen itself: lines copied from n2p2's
 * tools/python/symfunc_paramgen/tests/reference_outputs.txt (elements ['S', 'Cu'], r_cutoff 6),
 * numbers written there with Python's '%9.3E' (4 significant digits).
 */
describe('agreement with sfparamgen reference output', () => {
  /** Whether `ours` rounds to `ref`, a 4-significant-digit number (half a unit of the last digit, with slack). */
  const rounded = (ours: number, ref: number): boolean => {
    if (ref === 0) return ours === 0;
    const unit = 10 ** (Math.floor(Math.log10(Math.abs(ref))) - 3);
    return Math.abs(ours - ref) <= 0.5 * unit * (1 + 1e-9);
  };
  const matches = (ours: SymmetryFunctionDefinition, ref: SymmetryFunctionDefinition): boolean => {
    if (ours.type !== ref.type || ours.element !== ref.element) return false;
    if (ours.type === 2 && ref.type === 2) {
      return ours.neighbor === ref.neighbor && rounded(ours.eta, ref.eta) && rounded(ours.rShift, ref.rShift) && rounded(ours.cutoff, ref.cutoff);
    }
    if ((ours.type === 3 || ours.type === 9) && (ref.type === 3 || ref.type === 9)) {
      return ours.neighbors.join() === ref.neighbors.join() && ours.lambda === ref.lambda && rounded(ours.eta, ref.eta)
        && rounded(ours.zeta, ref.zeta) && rounded(ours.cutoff, ref.cutoff) && rounded(ours.rShift, ref.rShift);
    }
    return false;
  };
  const expectAllFound = (ours: SymmetryFunctionDefinition[], reference: string[]): void => {
    for (const line of reference) {
      const ref = parseLine(line);
      expect(ours.filter((d) => matches(d, ref)), line).toHaveLength(1);
    }
  };

  it('radial, gastegger2018 shift, 5 pairs, r_lower 1.5, r_upper 5.5 (the whole 20-line block)', () => {
    const ours = radialGrid({ elements: ['S', 'Cu'], cutoff: 6, rLower: 1.5, rUpper: 5.5, count: 5, mode: 'shift' });
    const reference = [
      'symfunction_short S  2 S  5.000E-01 1.500E+00 6.000E+00',
      'symfunction_short S  2 S  5.000E-01 2.500E+00 6.000E+00',
      'symfunction_short S  2 S  5.000E-01 3.500E+00 6.000E+00',
      'symfunction_short S  2 S  5.000E-01 4.500E+00 6.000E+00',
      'symfunction_short S  2 S  5.000E-01 5.500E+00 6.000E+00',
      'symfunction_short S  2 Cu 5.000E-01 1.500E+00 6.000E+00',
      'symfunction_short S  2 Cu 5.000E-01 2.500E+00 6.000E+00',
      'symfunction_short S  2 Cu 5.000E-01 3.500E+00 6.000E+00',
      'symfunction_short S  2 Cu 5.000E-01 4.500E+00 6.000E+00',
      'symfunction_short S  2 Cu 5.000E-01 5.500E+00 6.000E+00',
      'symfunction_short Cu 2 S  5.000E-01 1.500E+00 6.000E+00',
      'symfunction_short Cu 2 S  5.000E-01 2.500E+00 6.000E+00',
      'symfunction_short Cu 2 S  5.000E-01 3.500E+00 6.000E+00',
      'symfunction_short Cu 2 S  5.000E-01 4.500E+00 6.000E+00',
      'symfunction_short Cu 2 S  5.000E-01 5.500E+00 6.000E+00',
      'symfunction_short Cu 2 Cu 5.000E-01 1.500E+00 6.000E+00',
      'symfunction_short Cu 2 Cu 5.000E-01 2.500E+00 6.000E+00',
      'symfunction_short Cu 2 Cu 5.000E-01 3.500E+00 6.000E+00',
      'symfunction_short Cu 2 Cu 5.000E-01 4.500E+00 6.000E+00',
      'symfunction_short Cu 2 Cu 5.000E-01 5.500E+00 6.000E+00',
    ];
    expect(ours).toHaveLength(reference.length);
    expectAllFound(ours, reference);
    // Exact values: dr = 4/4 = 1, eta = 1/2.
    expect(new Set(ours.map((d) => d.eta))).toEqual(new Set([0.5]));
  });

  it('narrow angular, gastegger2018 shift, 9 pairs, r_lower 1.5, r_upper 6, zetas [1, 6] (r_s in the last field)', () => {
    const ours = angularGrid({ elements: ['S', 'Cu'], cutoff: 6, rLower: 1.5, rUpper: 6, count: 9, mode: 'shift', zetas: [1, 6], type: 3 });
    // sfparamgen writes 6 blocks (S|Cu × SS, SCu, CuCu) of 9 × 2 × 2 = 36 lines: 216.
    expect(ours).toHaveLength(216);
    expectAllFound(ours, [
      'symfunction_short S  3 S  S  1.580E+00 -1 1.000E+00 6.000E+00 1.500E+00',
      'symfunction_short S  3 S  S  1.580E+00  1 1.000E+00 6.000E+00 1.500E+00',
      'symfunction_short S  3 S  S  1.580E+00 -1 6.000E+00 6.000E+00 1.500E+00',
      'symfunction_short S  3 S  S  1.580E+00  1 6.000E+00 6.000E+00 1.500E+00',
      'symfunction_short S  3 S  S  1.580E+00 -1 1.000E+00 6.000E+00 2.062E+00',
      'symfunction_short S  3 S  Cu 1.580E+00  1 6.000E+00 6.000E+00 3.188E+00',
      'symfunction_short S  3 Cu Cu 1.580E+00 -1 1.000E+00 6.000E+00 4.312E+00',
      'symfunction_short Cu 3 S  S  1.580E+00  1 1.000E+00 6.000E+00 5.438E+00',
      'symfunction_short Cu 3 S  Cu 1.580E+00  1 6.000E+00 6.000E+00 4.875E+00',
      'symfunction_short Cu 3 Cu Cu 1.580E+00 -1 6.000E+00 6.000E+00 6.000E+00',
      'symfunction_short Cu 3 Cu Cu 1.580E+00  1 6.000E+00 6.000E+00 6.000E+00',
    ]);
    // Exact: dr = 4.5/8 = 0.5625, eta = 1/(2 * 0.31640625) = 128/81.
    for (const d of ours) expect(d.eta).toBeCloseTo(128 / 81, 14);
  });

  it('wide angular, gastegger2018 center, 3 pairs, r_lower 1.5, r_upper 6, zetas [1, 6] (one whole block)', () => {
    const ours = angularGrid({ elements: ['S', 'Cu'], cutoff: 6, rLower: 1.5, rUpper: 6, count: 3, mode: 'center', zetas: [1, 6], type: 9 });
    expect(ours).toHaveLength(2 * 3 * 3 * 2 * 2);
    expectAllFound(ours, [
      'symfunction_short S  9 S  S  2.222E-01 -1 1.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  2.222E-01  1 1.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  2.222E-01 -1 6.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  2.222E-01  1 6.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  3.556E-02 -1 1.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  3.556E-02  1 1.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  3.556E-02 -1 6.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  3.556E-02  1 6.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  1.389E-02 -1 1.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  1.389E-02  1 1.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  1.389E-02 -1 6.000E+00 6.000E+00 0.000E+00',
      'symfunction_short S  9 S  S  1.389E-02  1 6.000E+00 6.000E+00 0.000E+00',
      'symfunction_short Cu 9 S  Cu 3.556E-02 -1 6.000E+00 6.000E+00 0.000E+00',
      'symfunction_short Cu 9 Cu Cu 1.389E-02  1 1.000E+00 6.000E+00 0.000E+00',
    ]);
    // Exact: grid 1.5, 3.75, 6 -> eta = 1/4.5 = 2/9, 1/28.125 = 8/225, 1/72.
    expect([...new Set(ours.map((d) => d.eta))]).toEqual([1 / 72, 8 / 225, 2 / 9].map((x) => expect.closeTo(x, 15)));
  });
});

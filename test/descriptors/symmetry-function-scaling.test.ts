import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/core/random';
import { PolymorphError } from '../../lib/core/errors';
import {
  formatScalingData, parseScalingData, readScalingData, scaleFactors, ScalingType, scalingDataHeader, scalingStatistics,
  SymmetryFunctionStatistics,
} from '../../lib/descriptors/symmetry-function-scaling';
import { readN2p2Settings, symmetryFunctionCounts } from '../../lib/potentials/n2p2-settings';
import { sharedData } from '../helpers';
import { catchParseError } from '../io/helpers';

const potentials = path.join(sharedData, 'n2p2', 'potentials');
const names = ['H2O_RPBE-D3', 'H2O_BLYP-D3', 'Cu2S_PBE', 'Anisole_SCAN', 'Ethylbenzene_SCAN', 'DMABN_SCAN'];
const countsOf = (name: string): number[] => symmetryFunctionCounts(readN2p2Settings(path.join(potentials, name, 'input.nn')));
const scalingFile = (name: string): string => path.join(potentials, name, 'scaling.data');

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

/** A tiny two-element file: element 1 with 2 functions, element 2 with 1. */
const tiny: SymmetryFunctionStatistics[] = [
  { min: Float64Array.of(0.5, -1), max: Float64Array.of(2.5, 3), mean: Float64Array.of(1, 0.25), sigma: Float64Array.of(0.5, 1.5) },
  { min: Float64Array.of(10), max: Float64Array.of(20), mean: Float64Array.of(12), sigma: Float64Array.of(3) },
];
const tinyText = formatScalingData(tiny);
const header = scalingDataHeader.split('\n').length - 1; // 15 header lines

describe('shipped scaling.data files', () => {
  it.each(names)('%s: parses with the counts of its input.nn', (name) => {
    const counts = countsOf(name);
    const stats = readScalingData(scalingFile(name), counts);
    expect(stats.map((s) => s.min.length)).toEqual(counts);
    for (const s of stats) {
      for (let k = 0; k < s.min.length; ++k) {
        expect(s.min[k]).toBeLessThanOrEqual(s.mean[k]);
        expect(s.mean[k]).toBeLessThanOrEqual(s.max[k]);
        expect(s.sigma[k]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('H2O_RPBE-D3: 27 H and 30 O functions, exact values of the first and last lines', () => {
    const stats = readScalingData(scalingFile('H2O_RPBE-D3'), [27, 30]);
    expect(stats[0].min[0]).toBe(1.0882016636170764);
    expect(stats[0].max[0]).toBe(9.6166419119419064);
    expect(stats[0].mean[0]).toBe(2.2691752247542194);
    expect(stats[0].sigma[0]).toBe(0.67883526611658462);
    expect(stats[1].sigma[29]).toBe(8.9415193910804703e-3);
  });

  // All six shipped files were written by n2p2 itself (same header, 6 columns), so all six must
  // come out byte for byte.
  it.each(names)('%s: formatting reproduces the file byte for byte', (name) => {
    const original = fs.readFileSync(scalingFile(name), 'utf8');
    const stats = parseScalingData(original, name, countsOf(name));
    expect(formatScalingData(stats) === original).toBe(true);
  });
});

describe('formatting', () => {
  it('writes the header and %10d %10d %24.16E ×4 lines', () => {
    expect(tinyText.startsWith(scalingDataHeader)).toBe(true);
    const lines = tinyText.slice(scalingDataHeader.length).split('\n');
    expect(lines[0]).toBe('         1          1   5.0000000000000000E-01   2.5000000000000000E+00   1.0000000000000000E+00   5.0000000000000000E-01');
    expect(lines[2]).toBe('         2          1   1.0000000000000000E+01   2.0000000000000000E+01   1.2000000000000000E+01   3.0000000000000000E+00');
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
    expect(parseScalingData(tinyText, 's', [2, 1])).toEqual(tiny);
  });

  it('writes 5 columns for a missing sigma and refuses non-finite statistics', () => {
    const stats = parseScalingData(tinyText, 's', [2, 1]);
    stats[1].sigma[0] = NaN;
    const text = formatScalingData(stats);
    expect(text.trimEnd().split('\n').pop()!.trim().split(/\s+/)).toHaveLength(5);
    expect(parseScalingData(text, 's', [2, 1])[1].sigma[0]).toBeNaN();
    stats[0].max[1] = Infinity;
    expectCode(() => formatScalingData(stats), 'E_VALUE', /element e_index 1, function 2/);
    stats[0].max = new Float64Array(1);
    expectCode(() => formatScalingData(stats), 'E_SHAPE');
  });
});

describe('parsing', () => {
  const lines = tinyText.split('\n');
  const edit = (k: number, text: string): string => {
    const copy = [...lines];
    copy[header + k] = text;
    return copy.join('\n');
  };

  it('accepts blank lines (Q7), 5-column lines, and ignores extra trailing lines (RuNNer energy line)', () => {
    const copy = [...lines];
    copy.splice(header + 1, 0, '', '   ');
    const withBlank = copy.join('\n');
    expect(parseScalingData(withBlank, 's', [2, 1])).toEqual(tiny);
    const runner = `${tinyText}   -0.5   0.25\ngarbage here\n`;
    expect(parseScalingData(runner, 's', [2, 1])).toEqual(tiny);
    const five = parseScalingData(edit(1, '1 2 -1 3 0.25'), 's', [2, 1]);
    expect(five[0].sigma[1]).toBeNaN();
    expect(five[0].mean[1]).toBe(0.25);
    // fewer functions than the file has: the rest is ignored (positional reading, as n2p2)
    expect(parseScalingData(tinyText, 's', [2])).toEqual([tiny[0]]);
  });

  it('validates both indices (Q6), naming the line', () => {
    catchParseError(() => parseScalingData(edit(1, '1 3 -1 3 0.25 1.5'), 's.data', [2, 1]), 's.data', header + 2, /element 1, symmetry function 2/);
    catchParseError(() => parseScalingData(edit(2, '1 1 10 20 12 3'), 's.data', [2, 1]), 's.data', header + 3, /element 2, symmetry function 1/);
    catchParseError(() => parseScalingData(edit(1, '2 1 -1 3 0.25 1.5'), 's.data', [2, 1]), 's.data', header + 2, /element 1, symmetry function 2/);
    // a file for other counts: element 2 starts one line too early
    catchParseError(() => parseScalingData(tinyText, 's.data', [3]), 's.data', header + 3, /element 1, symmetry function 3/);
  });

  it('refuses too few lines (line 0)', () => {
    catchParseError(() => parseScalingData(tinyText, 's.data', [2, 2]), 's.data', 0, /4 data lines \(2 \+ 2 functions per element\), found 3/);
  });

  it('refuses malformed numbers, Fortran exponents, wrong column counts and CR', () => {
    catchParseError(() => parseScalingData(edit(0, '1 1 0.5 2.5 1.0d0 0.5'), 's.data', [2, 1]), 's.data', header + 1, /write 1\.0e0, not 1\.0d0/);
    catchParseError(() => parseScalingData(edit(0, '1 1 0.5 2.5x 1 0.5'), 's.data', [2, 1]), 's.data', header + 1, /sf_max/);
    catchParseError(() => parseScalingData(edit(0, '1 1 0.5 inf 1 0.5'), 's.data', [2, 1]), 's.data', header + 1, /sf_max/);
    catchParseError(() => parseScalingData(edit(0, '1.0 1 0.5 2.5 1 0.5'), 's.data', [2, 1]), 's.data', header + 1, /e_index/);
    catchParseError(() => parseScalingData(edit(0, '1 1 0.5 2.5 1 0.5 7'), 's.data', [2, 1]), 's.data', header + 1, /6 columns/);
    catchParseError(() => parseScalingData(edit(0, '  # indented comment'), 's.data', [2, 1]), 's.data', header + 1, /6 columns|e_index/);
    catchParseError(() => parseScalingData(tinyText.replace(/\n/g, '\r\n'), 's.data', [2, 1]), 's.data', 1, /LF line ends/);
  });

  it('checks counts, and a missing file is E_IO naming the path', () => {
    expectCode(() => parseScalingData(tinyText, 's', []), 'E_VALUE');
    expectCode(() => parseScalingData(tinyText, 's', [2, 0]), 'E_VALUE');
    const missing = path.join(potentials, 'nowhere', 'scaling.data');
    expectCode(() => readScalingData(missing, [1]), 'E_IO', new RegExp(missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});

describe('scalingStatistics', () => {
  /** The textbook formulas, directly. */
  function direct(values: number[]): { min: number; max: number; mean: number; sigma: number } {
    const n = values.length;
    const sum = values.reduce((a, b) => a + b, 0);
    const sum2 = values.reduce((a, b) => a + b * b, 0);
    return { min: Math.min(...values), max: Math.max(...values), mean: sum / n, sigma: n > 1 ? Math.sqrt((sum2 - (sum * sum) / n) / (n - 1)) : 0 };
  }

  it('matches min, max, mean and the sample sigma formula', () => {
    const random = mulberry32(7);
    const counts = [3, 2];
    const atoms = [50, 17];
    const values = counts.map((m, e) => Float64Array.from({ length: m * atoms[e] }, (_, k) => (k % m + 1) * (0.5 + random())));
    const stats = scalingStatistics(values, counts, ['H', 'O']);
    counts.forEach((m, e) => {
      for (let s = 0; s < m; ++s) {
        const column = Array.from({ length: atoms[e] }, (_, a) => values[e][a * m + s]);
        const want = direct(column);
        expect(stats[e].min[s]).toBe(want.min);
        expect(stats[e].max[s]).toBe(want.max);
        expect(Math.abs(stats[e].mean[s] - want.mean)).toBeLessThanOrEqual(1e-14 * Math.abs(want.mean));
        expect(Math.abs(stats[e].sigma[s] - want.sigma)).toBeLessThanOrEqual(1e-12 * want.sigma);
      }
    });
  });

  it('is exact on a small example; sigma 0 for one atom and for a constant function', () => {
    const [st] = scalingStatistics([Float64Array.of(1, 10, 3, 20)], [2]);
    expect(Array.from(st.min)).toEqual([1, 10]);
    expect(Array.from(st.max)).toEqual([3, 20]);
    expect(Array.from(st.mean)).toEqual([2, 15]);
    expect(st.sigma[0]).toBeCloseTo(Math.SQRT2, 15);
    expect(st.sigma[1]).toBeCloseTo(Math.sqrt(50), 14);
    const [one] = scalingStatistics([Float64Array.of(4, 5)], [2]);
    expect(Array.from(one.sigma)).toEqual([0, 0]);
    const [constant] = scalingStatistics([Float64Array.of(0.1, 0.1, 0.1)], [1]);
    expect(constant.sigma[0]).toBe(0);
  });

  it('refuses an element without atoms (E_EMPTY, named), bad shapes and non-finite values', () => {
    expectCode(() => scalingStatistics([Float64Array.of(1, 2), new Float64Array(0)], [2, 3], ['H', 'O']), 'E_EMPTY', /element O/);
    expectCode(() => scalingStatistics([new Float64Array(0)], [2]), 'E_EMPTY', /e_index 1/);
    expectCode(() => scalingStatistics([Float64Array.of(1, 2, 3)], [2]), 'E_SHAPE');
    expectCode(() => scalingStatistics([Float64Array.of(1, 2)], [2, 1]), 'E_SHAPE');
    expectCode(() => scalingStatistics([Float64Array.of(1, NaN)], [2], ['Cu']), 'E_VALUE', /element Cu.*function 2/);
  });

  it('round-trips through scaling.data exactly', () => {
    const stats = scalingStatistics([Float64Array.from({ length: 30 }, (_, k) => Math.sin(k) / 3)], [3]);
    expect(parseScalingData(formatScalingData(stats), 's', [3])).toEqual(stats);
  });
});

describe('scaleFactors', () => {
  /** Spec §1.7 table, written out. */
  function scaledDirect(type: ScalingType, g: number, st: SymmetryFunctionStatistics, s: number, smin: number, smax: number): number {
    switch (type) {
      case 'none': return g;
      case 'scale': return smin + (smax - smin) * (g - st.min[s]) / (st.max[s] - st.min[s]);
      case 'center': return g - st.mean[s];
      case 'scalecenter': return smin + (smax - smin) * (g - st.mean[s]) / (st.max[s] - st.min[s]);
      case 'sigma': return smin + (smax - smin) * (g - st.mean[s]) / st.sigma[s];
    }
  }

  const types: ScalingType[] = ['none', 'scale', 'center', 'scalecenter', 'sigma'];

  it.each(['H2O_RPBE-D3', 'Cu2S_PBE', 'DMABN_SCAN'])('%s: factor·G + offset reproduces the §1.7 formulas for all types', (name) => {
    const stats = readScalingData(scalingFile(name), countsOf(name));
    const random = mulberry32(11);
    for (const type of types) {
      for (const [smin, smax] of [[0, 1], [-1, 1], [0.25, 2]]) {
        const factors = scaleFactors(stats, { type, min: smin, max: smax });
        stats.forEach((st, e) => {
          const f = factors[e];
          expect(f.base).toBe(type === 'none' || type === 'center' ? 0 : smin);
          for (let s = 0; s < st.min.length; ++s) {
            for (const u of [0, 1, random(), 1.5 * random() - 0.25]) {
              const g = st.min[s] + u * (st.max[s] - st.min[s]);
              const want = scaledDirect(type, g, st, s, smin, smax);
              const got = f.factor[s] * g + f.offset[s];
              const n2p2Form = f.base + f.factor[s] * (g - f.shift[s]);
              const scale = Math.max(1, Math.abs(want));
              expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-14 * scale);
              expect(Math.abs(n2p2Form - want)).toBeLessThanOrEqual(1e-14 * scale);
            }
          }
        });
      }
    }
  });

  it('gives the identity for none and a pure shift for center', () => {
    const [none] = scaleFactors([tiny[0]], { type: 'none', min: 0, max: 1 });
    expect(Array.from(none.factor)).toEqual([1, 1]);
    expect(Array.from(none.offset)).toEqual([0, 0]);
    const [center] = scaleFactors([tiny[0]], { type: 'center', min: 0, max: 1 });
    expect(Array.from(center.factor)).toEqual([1, 1]);
    expect(Array.from(center.offset)).toEqual([-1, -0.25]);
    const [scale] = scaleFactors([tiny[0]], { type: 'scale', min: 0, max: 1 });
    expect(Array.from(scale.factor)).toEqual([0.5, 0.25]);
    expect(Array.from(scale.offset)).toEqual([-0.25, 0.25]);
    const [sigma] = scaleFactors([tiny[0]], { type: 'sigma', min: 0, max: 1 });
    expect(Array.from(sigma.factor)).toEqual([2, 1 / 1.5]);
  });

  it('refuses G_max = G_min for scale types and sigma <= 0 or missing for sigma (named element and function)', () => {
    const flat: SymmetryFunctionStatistics = { min: Float64Array.of(1, 2), max: Float64Array.of(3, 2), mean: Float64Array.of(2, 2), sigma: Float64Array.of(1, 0) };
    for (const type of ['scale', 'scalecenter'] as const) {
      expectCode(() => scaleFactors([tiny[1], flat], { type, min: 0, max: 1 }, ['H', 'O']), 'E_VALUE', /element O \(e_index 2\), symmetry function 2 has G_max = G_min/);
    }
    expectCode(() => scaleFactors([flat], { type: 'sigma', min: 0, max: 1 }), 'E_VALUE', /e_index 1, symmetry function 2 has sigma = 0/);
    const noSigma = parseScalingData(tinyText.replace(/(\n {9}2 {10}1 .*) +\S+\n$/, '$1\n'), 's', [2, 1]);
    expect(noSigma[1].sigma[0]).toBeNaN();
    expectCode(() => scaleFactors(noSigma, { type: 'sigma', min: 0, max: 1 }), 'E_VALUE', /no sigma \(5-column scaling data\)/);
    // the other types do not need sigma, and center/none do not need a range
    expect(() => scaleFactors(noSigma, { type: 'scalecenter', min: 0, max: 1 })).not.toThrow();
    expect(() => scaleFactors([flat], { type: 'center', min: 0, max: 1 })).not.toThrow();
    expectCode(() => scaleFactors([flat], { type: 'bogus' as ScalingType, min: 0, max: 1 }), 'E_VALUE');
    expectCode(() => scaleFactors([tiny[0]], { type: 'scale', min: 0, max: NaN }), 'E_VALUE');
  });
});

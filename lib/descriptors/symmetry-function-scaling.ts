/**
 * Symmetry-function statistics and scaling: n2p2's `scaling.data` (`specs/n2p2-formats.md` §2),
 * the statistics `nnp-scaling` computes, and the linear map from raw to scaled symmetry functions
 * that the network sees (§1.7).
 *
 * Symmetry-function values are dimensionless (the Z-weighted types carry Z), so these statistics are
 * the same in physical and in n2p2's normalised units.
 *
 * **`scaling.data`.** One line per (element, function): element index e (1-based, elements by
 * atomic number), function index s (1-based, n2p2's sorted order), G_min, G_max, G_mean, σ_G. The
 * reader follows n2p2 (§2.2: positional, lines starting with `#` skipped, extra trailing lines such
 * as RuNNer's final energy line ignored, a 5-column line has no σ) with these decisions:
 * both indices are checked (spec Q6: n2p2 only fails when both are wrong); blank lines are skipped
 * (Q7: n2p2 aborts on them); CR line ends, Fortran `d` exponents and malformed or non-finite
 * numbers are ParseErrors naming file and line; too few lines is a ParseError. A missing σ is NaN
 * (n2p2 uses 0), so using σ scaling with it fails in {@link scaleFactors}. The writer is
 * byte-identical to n2p2's `nnp-scaling`.
 *
 * @example
 * ```ts
 * const stats = readScalingData('scaling.data', [27, 30]);   // H, O of H2O_RPBE-D3
 * const [h, o] = scaleFactors(stats, { type: 'scalecenter', min: 0, max: 1 }, ['H', 'O']);
 * const scaled = h.factor[0] * g + h.offset[0];                // G_s of H function 1
 * ```
 * @module
 */
import { ParseError, PolymorphError } from '../core/errors';
import { formatE } from '../io/tokens';
import { n2p2Fields, n2p2Integer, n2p2Lines, n2p2Real, readN2p2Text } from '../io/n2p2-text';

/** Statistics of each symmetry function of one element over a data set (all arrays: one entry per function, sorted order). */
export interface SymmetryFunctionStatistics {
  /** Minimum of G over all atoms of the element. */
  min: Float64Array;
  /** Maximum of G. */
  max: Float64Array;
  /** Mean of G. */
  mean: Float64Array;
  /** Sample standard deviation √((Σg² − (Σg)²/n)/(n−1)); 0 for one atom; NaN when a file had no σ column. */
  sigma: Float64Array;
}

/** n2p2's scaling types (§1.7): which flags of `input.nn` select them is decided by the settings reader. */
export type ScalingType = 'none' | 'scale' | 'center' | 'scalecenter' | 'sigma';

/** The scaling of an n2p2 potential: type and target range [S_min, S_max] (`scale_min_short`, `scale_max_short`). */
export interface SymmetryFunctionScaling {
  type: ScalingType;
  min: number;
  max: number;
}

/**
 * Per element: G_s = factor·G + offset for every function. `shift` and `base` give the form n2p2
 * evaluates, G_s = base + factor·(G − shift); the two agree up to rounding (a few ulp of the
 * larger of |base| and |factor·G|).
 */
export interface ScaleFactors {
  factor: Float64Array;
  offset: Float64Array;
  /** The value subtracted before multiplying: G_min (scale), G_mean (center, scalecenter, sigma) or 0 (none). */
  shift: Float64Array;
  /** S_min for scale, scalecenter and sigma; 0 for none and center. */
  base: number;
}

function elementName(e: number, elements?: readonly string[]): string {
  return elements?.[e] !== undefined ? `element ${elements[e]} (e_index ${e + 1})` : `element e_index ${e + 1}`;
}

function checkCounts(counts: readonly number[], what: string): void {
  if (!Array.isArray(counts) || counts.length === 0 || !counts.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new PolymorphError('E_VALUE', `${what}: counts must be one positive integer (functions per element) per element, got ${JSON.stringify(counts)}`);
  }
}

function emptyStatistics(n: number): SymmetryFunctionStatistics {
  return { min: new Float64Array(n), max: new Float64Array(n), mean: new Float64Array(n), sigma: new Float64Array(n) };
}

/**
 * Parses the text of a `scaling.data` file. `counts[e]` is the number of symmetry functions of
 * element e (elements by atomic number), so the file must have Σ counts data lines.
 * @throws ParseError naming file and line for anything n2p2 would misread (see module documentation).
 */
export function parseScalingData(text: string, file: string, counts: readonly number[]): SymmetryFunctionStatistics[] {
  checkCounts(counts, 'parseScalingData');
  const stats = counts.map(emptyStatistics);
  const total = counts.reduce((a, b) => a + b, 0);
  const lines = n2p2Lines(text, file);
  let e = 0, s = 0, read = 0;
  for (let i = 0; i < lines.length && read < total; ++i) {
    const line = lines[i];
    if (line[0] === '#') continue;
    const fields = n2p2Fields(line);
    if (fields.length === 0) continue;
    const at = i + 1;
    if (fields.length !== 5 && fields.length !== 6) {
      throw new ParseError(file, at, 'a data line with 6 columns (e_index sf_index sf_min sf_max sf_mean sf_sigma) or 5 (without sf_sigma)', line);
    }
    const eIndex = n2p2Integer(fields[0], file, at, 'e_index');
    const sIndex = n2p2Integer(fields[1], file, at, 'sf_index');
    if (eIndex !== e + 1 || sIndex !== s + 1) {
      throw new ParseError(file, at, `element ${e + 1}, symmetry function ${s + 1} (lines must follow element and function order; the potential has ${counts.join(', ')} functions per element)`, `${fields[0]} ${fields[1]}`);
    }
    const st = stats[e];
    st.min[s] = n2p2Real(fields[2], file, at, 'sf_min');
    st.max[s] = n2p2Real(fields[3], file, at, 'sf_max');
    st.mean[s] = n2p2Real(fields[4], file, at, 'sf_mean');
    st.sigma[s] = fields.length === 6 ? n2p2Real(fields[5], file, at, 'sf_sigma') : NaN;
    ++read;
    if (++s === counts[e]) {
      s = 0;
      ++e;
    }
  }
  if (read < total) {
    throw new ParseError(file, 0, `${total} data lines (${counts.join(' + ')} functions per element), found ${read}: is this the scaling.data of this potential?`);
  }
  return stats;
}

/**
 * Reads a `scaling.data` file (see {@link parseScalingData}).
 * @throws PolymorphError `E_IO` when the file cannot be read (the message names the path).
 */
export function readScalingData(path: string, counts: readonly number[]): SymmetryFunctionStatistics[] {
  return parseScalingData(readN2p2Text(path), path, counts);
}

/** n2p2's header of `scaling.data`, verbatim. */
export const scalingDataHeader = [
  '################################################################################',
  '# Symmetry function scaling data.',
  '################################################################################',
  '# Col  Name     Description',
  '################################################################################',
  '# 1    e_index  Element index.',
  '# 2    sf_index Symmetry function index.',
  '# 3    sf_min   Symmetry function minimum.',
  '# 4    sf_max   Symmetry function maximum.',
  '# 5    sf_mean  Symmetry function mean.',
  '# 6    sf_sigma Symmetry function sigma.',
  '#'.repeat(121),
  '#        1          2                        3                        4                        5                        6',
  '#  e_index   sf_index                   sf_min                   sf_max                  sf_mean                 sf_sigma',
  '#'.repeat(121),
].join('\n') + '\n';

/**
 * The text of `scaling.data` exactly as n2p2 writes it: the header, then
 * `%10d %10d %24.16E %24.16E %24.16E %24.16E` per function. A NaN σ (statistics read from a
 * 5-column file) is written as a 5-column line.
 * @throws PolymorphError `E_SHAPE` for arrays of different lengths, `E_VALUE` for non-finite min, max or mean.
 */
export function formatScalingData(stats: readonly SymmetryFunctionStatistics[]): string {
  const out: string[] = [scalingDataHeader];
  stats.forEach((st, e) => {
    const n = st.min.length;
    if (st.max.length !== n || st.mean.length !== n || st.sigma.length !== n) {
      throw new PolymorphError('E_SHAPE', `formatScalingData: ${elementName(e)} has arrays of different lengths`);
    }
    for (let s = 0; s < n; ++s) {
      const row = [st.min[s], st.max[s], st.mean[s]];
      const sigma = st.sigma[s];
      if (!row.every(Number.isFinite) || sigma === Infinity || sigma === -Infinity) {
        throw new PolymorphError('E_VALUE', `formatScalingData: ${elementName(e)}, function ${s + 1} has a non-finite statistic`);
      }
      if (!Number.isNaN(sigma)) row.push(sigma);
      out.push(`${String(e + 1).padStart(10)} ${String(s + 1).padStart(10)} ${row.map((x) => formatE(x)).join(' ')}\n`);
    }
  });
  return out.join('');
}

/**
 * What `nnp-scaling` computes: per element and function, the minimum, maximum, mean and sample
 * standard deviation σ = √((Σg² − (Σg)²/n)/(n−1)) of G over all n atoms of the element.
 * σ is computed with the corrected two-pass algorithm, σ² = (Σd² − (Σd)²/n)/(n−1) with d = g − mean,
 * which equals the formula above in exact arithmetic and avoids its cancellation; σ = 0 for n = 1.
 *
 * @param valuesPerElement per element, the values of all its atoms, row-major `[n_atoms, counts[e]]`.
 * @param counts functions per element.
 * @param elements optional element symbols, for error messages.
 * @throws PolymorphError `E_EMPTY` for an element without atoms, `E_SHAPE` for a length that is not a
 * multiple of the count, `E_VALUE` for non-finite values.
 * @example scalingStatistics([Float64Array.of(1, 10, 3, 20)], [2]) // min [1, 10], max [3, 20], mean [2, 15], sigma [√2, √50]
 */
export function scalingStatistics(valuesPerElement: readonly Float64Array[], counts: readonly number[], elements?: readonly string[]): SymmetryFunctionStatistics[] {
  checkCounts(counts, 'scalingStatistics');
  if (valuesPerElement.length !== counts.length) {
    throw new PolymorphError('E_SHAPE', `scalingStatistics: ${counts.length} elements in counts but ${valuesPerElement.length} value arrays`);
  }
  return counts.map((m, e) => {
    const g = valuesPerElement[e];
    if (g.length % m !== 0) throw new PolymorphError('E_SHAPE', `scalingStatistics: ${elementName(e, elements)} has ${g.length} values, not a multiple of its ${m} functions`);
    const n = g.length / m;
    if (n === 0) throw new PolymorphError('E_EMPTY', `scalingStatistics: no atoms of ${elementName(e, elements)} in the data set, so its symmetry functions have no statistics`);
    const st = emptyStatistics(m);
    for (let s = 0; s < m; ++s) {
      let lo = Infinity, hi = -Infinity, sum = 0;
      for (let a = 0; a < n; ++a) {
        const x = g[a * m + s];
        if (!Number.isFinite(x)) throw new PolymorphError('E_VALUE', `scalingStatistics: ${elementName(e, elements)}, atom ${a}, function ${s + 1} is ${x}`);
        if (x < lo) lo = x;
        if (x > hi) hi = x;
        sum += x;
      }
      const mean = sum / n;
      let sd = 0, sd2 = 0;
      for (let a = 0; a < n; ++a) {
        const d = g[a * m + s] - mean;
        sd += d;
        sd2 += d * d;
      }
      st.min[s] = lo;
      st.max[s] = hi;
      st.mean[s] = mean;
      st.sigma[s] = n > 1 ? Math.sqrt(Math.max(0, (sd2 - (sd * sd) / n) / (n - 1))) : 0;
    }
    return st;
  });
}

/**
 * The linear map G_s = factor·G + offset that n2p2's scaling applies to each symmetry function
 * (§1.7; S = [S_min, S_max] from `scaling`):
 *
 * | type | factor | shift | G_s = S_base + factor·(G − shift) |
 * | --- | --- | --- | --- |
 * | none | 1 | 0 | G |
 * | scale | (S_max−S_min)/(G_max−G_min) | G_min | S_min + (S_max−S_min)(G−G_min)/(G_max−G_min) |
 * | center | 1 | G_mean | G − G_mean |
 * | scalecenter | (S_max−S_min)/(G_max−G_min) | G_mean | S_min + (S_max−S_min)(G−G_mean)/(G_max−G_min) |
 * | sigma | (S_max−S_min)/σ | G_mean | S_min + (S_max−S_min)(G−G_mean)/σ |
 *
 * and offset = S_base − factor·shift (S_base = S_min, or 0 for none and center). The factor is
 * also the one n2p2 applies to derivatives.
 *
 * Unlike n2p2, which silently produces inf/NaN, a function with G_max ≤ G_min (scale types) or
 * σ ≤ 0 or missing (sigma) is refused, even though such a constant function carries no information:
 * remove it from the potential or choose another scaling.
 * @throws PolymorphError `E_VALUE` naming the element and the 1-based function index.
 */
export function scaleFactors(stats: readonly SymmetryFunctionStatistics[], scaling: SymmetryFunctionScaling, elements?: readonly string[]): ScaleFactors[] {
  const { type } = scaling;
  const kinds: ScalingType[] = ['none', 'scale', 'center', 'scalecenter', 'sigma'];
  if (!kinds.includes(type)) throw new PolymorphError('E_VALUE', `scaleFactors: unknown scaling type ${JSON.stringify(type)} (expected ${kinds.join(', ')})`);
  const ranged = type === 'scale' || type === 'scalecenter' || type === 'sigma';
  if (ranged && !(Number.isFinite(scaling.min) && Number.isFinite(scaling.max))) {
    throw new PolymorphError('E_VALUE', `scaleFactors: scaling min and max must be finite, got ${scaling.min} and ${scaling.max}`);
  }
  const base = ranged ? scaling.min : 0;
  const range = scaling.max - scaling.min;
  return stats.map((st, e) => {
    const n = st.min.length;
    const out: ScaleFactors = { factor: new Float64Array(n), offset: new Float64Array(n), shift: new Float64Array(n), base };
    for (let s = 0; s < n; ++s) {
      let factor = 1, shift = 0;
      if (type === 'scale' || type === 'scalecenter') {
        const width = st.max[s] - st.min[s];
        if (!(width > 0)) {
          throw new PolymorphError('E_VALUE', `scaleFactors: ${elementName(e, elements)}, symmetry function ${s + 1} has G_max = G_min = ${st.min[s]} in the scaling data, so '${type}' scaling would divide by zero (n2p2 would silently produce inf/NaN): remove the function or change the data set`);
        }
        factor = range / width;
        shift = type === 'scale' ? st.min[s] : st.mean[s];
      } else if (type === 'sigma') {
        if (!(st.sigma[s] > 0)) {
          const why = Number.isNaN(st.sigma[s]) ? 'no sigma (5-column scaling data)' : `sigma = ${st.sigma[s]}`;
          throw new PolymorphError('E_VALUE', `scaleFactors: ${elementName(e, elements)}, symmetry function ${s + 1} has ${why}, so 'sigma' scaling is impossible (n2p2 would silently produce inf/NaN)`);
        }
        factor = range / st.sigma[s];
        shift = st.mean[s];
      } else if (type === 'center') {
        shift = st.mean[s];
      }
      out.factor[s] = factor;
      out.shift[s] = shift;
      out.offset[s] = base - factor * shift;
    }
    return out;
  });
}

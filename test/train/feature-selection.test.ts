// Feature-selection filters (Pearson, CUR, FPS) on descriptor matrices: hand-computed 3-feature
// examples, brute-force references computed directly on the rows (not through the Gram matrix the
// filters use), rank-deficient data for CUR, streaming in blocks, and the typed errors.
import { describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import { mulberry32 } from '../../lib/core/random';
import { curSelection, type DescriptorBlock, farthestPointSelection, pearsonSelection } from '../../lib/train';
import { symmetricEigenvalues } from '../../lib/core/symmetric-eigen';

/** Columns (each a number[] over the samples) → one row-major block. */
function fromColumns(columns: number[][]): DescriptorBlock {
  const rows = columns[0].length, p = columns.length;
  const data = new Float64Array(rows * p);
  for (let j = 0; j < p; ++j) for (let r = 0; r < rows; ++r) data[r * p + j] = columns[j][r];
  return { rows, columns: p, data };
}

function columnsOf(X: DescriptorBlock): number[][] {
  return Array.from({ length: X.columns }, (_, j) => Array.from({ length: X.rows }, (_, r) => X.data[r * X.columns + j]));
}

/** A random n×p matrix whose columns are correlated (mixtures of a few latent columns plus noise), with offsets. */
function randomMatrix(n: number, p: number, seed: number): DescriptorBlock {
  const random = mulberry32(seed);
  const latent = Array.from({ length: 3 }, () => Array.from({ length: n }, () => random() - 0.5));
  const columns = Array.from({ length: p }, (_, j) => {
    const w = latent.map(() => 2 * random() - 1);
    const noise = 0.3 * random();
    const offset = 5 * random();
    const scale = 0.5 + 3 * random();
    return Array.from({ length: n }, (_, r) => offset + scale * (w[0] * latent[0][r] + w[1] * latent[1][r] + w[2] * latent[2][r] + noise * (random() - 0.5) + 0.02 * j));
  });
  return fromColumns(columns);
}

/** Splits X into row blocks of the given sizes (which must add up to X.rows). */
function split(X: DescriptorBlock, sizes: number[]): DescriptorBlock[] {
  const blocks: DescriptorBlock[] = [];
  let row = 0;
  for (const rows of sizes) {
    blocks.push({ rows, columns: X.columns, data: X.data.slice(row * X.columns, (row + rows) * X.columns) });
    row += rows;
  }
  expect(row).toBe(X.rows);
  return blocks;
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i], 0);

function pearson(a: number[], b: number[]): number {
  const ma = mean(a), mb = mean(b);
  const da = a.map((x) => x - ma), db = b.map((x) => x - mb);
  return dot(da, db) / Math.sqrt(dot(da, da) * dot(db, db));
}

function standardised(columns: number[][]): number[][] {
  return columns.map((c) => {
    const m = mean(c);
    const sd = Math.sqrt(mean(c.map((x) => (x - m) ** 2)));
    return c.map((x) => (sd > 0 ? (x - m) / sd : 0));
  });
}

function gram(columns: number[][]): Float64Array {
  const p = columns.length;
  const G = new Float64Array(p * p);
  for (let i = 0; i < p; ++i) for (let j = 0; j < p; ++j) G[i * p + j] = dot(columns[i], columns[j]);
  return G;
}

/**
 * The top-k eigenvectors of the symmetric p×p matrix G (fewer when its rank is below k), by power
 * iteration with deflation; each eigenvalue is checked against the Jacobi eigenvalues of
 * lib/workflows/symmetric-eigen.
 */
function topEigenvectors(G: Float64Array, p: number, k: number): number[][] {
  const reference = Array.from(symmetricEigenvalues(G, p)).reverse();
  const A = Float64Array.from(G);
  const vectors: number[][] = [];
  for (let j = 0; j < k; ++j) {
    if (reference[j] <= 1e-10 * reference[0]) break;  // beyond the rank: no more singular vectors
    let v = Array.from({ length: p }, (_, i) => 1 + 0.1 * i);
    let lambda = 0;
    for (let iteration = 0; iteration < 20000; ++iteration) {
      const w = v.map((_, r) => v.reduce((s, x, c) => s + A[r * p + c] * x, 0));
      const norm = Math.sqrt(dot(w, w));
      const next = w.map((x) => x / norm);
      const change = Math.min(Math.hypot(...next.map((x, i) => x - v[i])), Math.hypot(...next.map((x, i) => x + v[i])));
      v = next;
      lambda = norm;
      if (change < 1e-14) break;
    }
    expect(lambda).toBeCloseTo(reference[j], 8);
    vectors.push(v);
    for (let r = 0; r < p; ++r) for (let c = 0; c < p; ++c) A[r * p + c] -= lambda * v[r] * v[c];
  }
  return vectors;
}

/** CUR by brute force on the explicit standardised columns: SVD via the Gram eigenvectors, explicit projection of the columns. */
function curReference(X: DescriptorBlock, count: number, k: number): { selected: number[]; scores: number[]; residuals: number[] } {
  let columns = standardised(columnsOf(X));
  const p = columns.length;
  const selected: number[] = [], scores: number[] = [], residuals: number[] = [];
  for (let step = 0; step < count; ++step) {
    const vectors = topEigenvectors(gram(columns), p, k);
    const pi = Array.from({ length: p }, (_, i) => vectors.reduce((s, v) => s + v[i] ** 2, 0));
    // the documented tie rule: the lowest index among scores within 1e-9 of the largest
    const top = Math.max(...pi.filter((_, i) => !selected.includes(i)));
    const c = pi.findIndex((v, i) => !selected.includes(i) && v >= top * (1 - 1e-9));
    selected.push(c);
    scores.push(pi[c]);
    const xc = columns[c];
    const norm2 = dot(xc, xc);
    columns = columns.map((x) => {
      const f = dot(xc, x) / norm2;
      return x.map((value, r) => value - f * xc[r]);
    });
    residuals.push(Math.sqrt(columns.reduce((s, x) => s + dot(x, x), 0)));
  }
  return { selected, scores, residuals };
}

/** The rank of a set of columns: eigenvalues of their Gram matrix above 1e-10 of the largest. */
function rank(columns: number[][]): number {
  const values = symmetricEigenvalues(gram(columns), columns.length);
  const top = Math.max(...values);
  return values.filter((v) => v > 1e-10 * top).length;
}

function expectError(f: () => unknown, code: string, text?: RegExp): void {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(PolymorphError);
    expect((error as PolymorphError).code).toBe(code);
    if (text) expect((error as Error).message).toMatch(text);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('pearsonSelection', () => {
  it('selects a hand-computed 3-feature example: largest variance, then ρ = 0, then mean |ρ| = 1/(2√2)', () => {
    // x0 = 3u1 (variance 9), x1 = u1 + u2 (ρ with x0 = 1/√2), x2 = u3 (uncorrelated with both); u orthogonal, mean 0
    const u1 = [1, 1, -1, -1], u2 = [1, -1, 1, -1], u3 = [1, -1, -1, 1];
    const X = fromColumns([u1.map((x) => 3 * x), u1.map((x, r) => x + u2[r]), u3]);
    const { selected, scores } = pearsonSelection(X, { count: 3 });
    expect(selected).toEqual([0, 2, 1]);
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeCloseTo(0, 15);
    expect(scores[2]).toBeCloseTo(1 / (2 * Math.SQRT2), 14);
    expect(pearsonSelection(X, { count: 2, start: 1 }).selected).toEqual([1, 2]);
  });

  it('picks, at every step, the feature with the lowest mean |ρ| to those selected (brute force on a random matrix)', () => {
    const X = randomMatrix(40, 8, 11);
    const columns = columnsOf(X);
    const { selected, scores } = pearsonSelection(X, { count: 8 });
    const variances = columns.map((c) => mean(c.map((x) => (x - mean(c)) ** 2)));
    expect(selected[0]).toBe(variances.indexOf(Math.max(...variances)));
    for (let step = 1; step < 8; ++step) {
      const chosen = selected.slice(0, step);
      const meanAbs = (i: number): number => mean(chosen.map((j) => Math.abs(pearson(columns[i], columns[j]))));
      const candidates = columns.map((_, i) => i).filter((i) => !chosen.includes(i));
      const best = Math.min(...candidates.map(meanAbs));
      expect(scores[step]).toBeCloseTo(meanAbs(selected[step]), 12);
      expect(meanAbs(selected[step])).toBeLessThanOrEqual(best + 1e-12);
    }
    expect(new Set(selected).size).toBe(8);
  });

  it('selects constant columns last, in index order, with score Infinity, after duplicates of chosen columns', () => {
    const random = mulberry32(3);
    const a = Array.from({ length: 12 }, () => random()), b = Array.from({ length: 12 }, () => random());
    const X = fromColumns([a.map(() => 0.1), a, b.map((x) => 2 * x), a.map(() => 7), a.map((x) => x)]);
    const { selected, scores } = pearsonSelection(X, { count: 5 });
    expect(selected.slice(3)).toEqual([0, 3]);
    expect(scores.slice(3)).toEqual([Infinity, Infinity]);
    expect(selected.slice(0, 3).sort()).toEqual([1, 2, 4]);
    expect(scores.slice(0, 3).every(Number.isFinite)).toBe(true);
    const allConstant = fromColumns([[1, 1, 1], [2, 2, 2]]);
    expect(pearsonSelection(allConstant, { count: 2 })).toEqual({ selected: [0, 1], scores: [Infinity, Infinity] });
  });
});

describe('curSelection', () => {
  it('selects a hand-computed 3-feature example (column 2 = column 0 / 2; count 3 > rank 2)', () => {
    // columns a = (2, 0, 0), b = (0, 1, 0), c = (1, 0, 0): C = [[4, 0, 2], [0, 1, 0], [2, 0, 1]],
    // top eigenvector (2, 0, 1)/√5 → π = (0.8, 0, 0.2); then c's residual is 0, b's is b.
    const X = { rows: 3, columns: 3, data: Float64Array.of(2, 0, 1, 0, 1, 0, 0, 0, 0) };
    const cur = curSelection(X, { count: 3, center: false });
    expect(cur.selected).toEqual([0, 1, 2]);
    expect(cur.scores[0]).toBeCloseTo(0.8, 14);
    expect(cur.scores[1]).toBeCloseTo(1, 14);
    expect(cur.scores[2]).toBe(0);
    expect(cur.residuals[0]).toBeCloseTo(1, 14);
    expect(cur.residuals.slice(1)).toEqual([0, 0]);
    expect(cur.norm).toBeCloseTo(Math.sqrt(6), 14);
  });

  it('never picks a column dependent on the chosen ones before an independent one, and returns count distinct indices beyond the rank', () => {
    const random = mulberry32(5);
    const [a, b, c] = [0, 1, 2].map(() => Array.from({ length: 30 }, () => random() - 0.5));
    // rank 3: a, b, a (duplicate), a + b, c, 2b, a − c, b + 3c
    const columns = [a, b, a.slice(), a.map((x, r) => x + b[r]), c, b.map((x) => 2 * x), a.map((x, r) => x - c[r]), b.map((x, r) => x + 3 * c[r])];
    const X = fromColumns(columns);
    for (const options of [{}, { center: false }, { k: 2 }, { k: 3 }]) {
      const cur = curSelection(X, { count: 8, ...options });
      expect(new Set(cur.selected).size).toBe(8);
      const processed = 'center' in options ? columns : standardised(columns);
      for (let step = 0; step < 3; ++step) expect(rank(cur.selected.slice(0, step + 1).map((i) => processed[i]))).toBe(step + 1);
      expect(cur.scores.slice(3)).toEqual([0, 0, 0, 0, 0]);
      expect(cur.residuals[1]).toBeGreaterThan(1e-3 * cur.norm);
      expect(cur.residuals.slice(2).every((r) => r < 1e-6 * cur.norm)).toBe(true);
    }
    // a zero column and a constant column (zero once centred) come after the rest, without failing
    const withZeros = fromColumns([a.map(() => 0), a, a.map(() => 4), b]);
    expect(curSelection(withZeros, { count: 4 }).selected).toEqual([1, 3, 0, 2]);
    expect(curSelection(withZeros, { count: 4, start: 0 }).selected.slice(0, 1)).toEqual([0]);
  });

  it('matches a brute-force CUR (power-iteration SVD checked against the Jacobi eigenvalues of XᵀX) for k = 1 and k = 2', () => {
    const X = randomMatrix(30, 6, 21);
    for (const k of [1, 2]) {
      const reference = curReference(X, 6, k);
      const cur = curSelection(X, { count: 6, k });
      expect(cur.selected).toEqual(reference.selected);
      cur.scores.forEach((s, i) => expect(s).toBeCloseTo(reference.scores[i], 8));
      cur.residuals.forEach((r, i) => expect(r).toBeCloseTo(reference.residuals[i], 6));
    }
  });
});

describe('farthestPointSelection', () => {
  it('selects a hand-computed 3-feature example: largest norm, then the farthest column, then the last', () => {
    // columns a = (3, 0), b = (0, 1), c = (3, 1): norms 3, 1, √10; |c − a| = 1, |c − b| = 3, |a − b| = √10
    const X = { rows: 2, columns: 3, data: Float64Array.of(3, 0, 3, 0, 1, 1) };
    const { selected, scores } = farthestPointSelection(X, { count: 3 });
    expect(selected).toEqual([2, 1, 0]);
    expect(scores[0]).toBeCloseTo(Math.sqrt(10), 14);
    expect(scores[1]).toBeCloseTo(3, 14);
    expect(scores[2]).toBeCloseTo(1, 14);
  });

  it('equals a brute-force reference with distances computed on the columns, and never repeats a duplicate', () => {
    const X = randomMatrix(25, 9, 31);
    const columns = columnsOf(X);
    columns.push(columns[4].slice());
    const Y = fromColumns(columns);
    const distance = (i: number, j: number): number => Math.hypot(...columns[i].map((x, r) => x - columns[j][r]));
    const norms = columns.map((c) => Math.hypot(...c));
    const selected = [norms.indexOf(Math.max(...norms))];
    const scores = [Math.max(...norms)];
    while (selected.length < columns.length) {
      let best = -1, bestDistance = -1;
      for (let i = 0; i < columns.length; ++i) {
        if (selected.includes(i)) continue;
        const d = Math.min(...selected.map((j) => distance(i, j)));
        if (d > bestDistance) [best, bestDistance] = [i, d];
      }
      selected.push(best);
      scores.push(bestDistance);
    }
    const fps = farthestPointSelection(Y, { count: columns.length });
    expect(fps.selected).toEqual(selected);
    fps.scores.forEach((s, i) => expect(s).toBeCloseTo(scores[i], 9));
    expect(new Set(fps.selected).size).toBe(columns.length);
    expect(fps.scores[fps.scores.length - 1]).toBeCloseTo(0, 6);
    expect(farthestPointSelection(Y, { count: 3, start: 7 }).selected[0]).toBe(7);
  });
});

describe('streaming', () => {
  it('gives the same selections from row blocks (array or generator, empty blocks included) as from one block', () => {
    const X = randomMatrix(57, 7, 41);
    // a large common offset: the block-wise centring must keep the small spread's digits
    const shifted = { ...X, data: X.data.map((x) => x + 1e4) };
    for (const M of [X, shifted]) {
      const sizes = [10, 0, 1, 23, 17, 6];
      function* frames(): Generator<DescriptorBlock> {
        yield* split(M, sizes);
      }
      const filters = [
        (Y: Parameters<typeof pearsonSelection>[0]) => pearsonSelection(Y, { count: 7 }),
        (Y: Parameters<typeof curSelection>[0]) => curSelection(Y, { count: 7, k: 2 }),
        (Y: Parameters<typeof farthestPointSelection>[0]) => farthestPointSelection(Y, { count: 7 }),
      ];
      for (const filter of filters) {
        const whole = filter(M);
        for (const streamed of [filter(split(M, sizes)), filter(frames())]) {
          expect(streamed.selected).toEqual(whole.selected);
          streamed.scores.forEach((s, i) => expect(Math.abs(s - whole.scores[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(whole.scores[i]))));
        }
      }
    }
    // the offset changes neither Pearson nor standardised CUR
    expect(pearsonSelection(shifted, { count: 7 }).selected).toEqual(pearsonSelection(X, { count: 7 }).selected);
    expect(curSelection(shifted, { count: 7 }).selected).toEqual(curSelection(X, { count: 7 }).selected);
  });
});

describe('errors', () => {
  const X = randomMatrix(6, 3, 1);
  const filters = { pearsonSelection, curSelection, farthestPointSelection } as const;
  for (const [name, filter] of Object.entries(filters)) {
    it(`${name}: count, start, data, shape and option errors are typed`, () => {
      const f = filter as (Y: unknown, options: unknown) => unknown;
      expectError(() => f(X, { count: 0 }), 'E_VALUE', /count/);
      expectError(() => f(X, { count: 4 }), 'E_VALUE', /only 3 features/);
      expectError(() => f(X, { count: 1.5 }), 'E_VALUE', /count/);
      expectError(() => f(X, {}), 'E_VALUE', /count/);
      expectError(() => f(X, { count: 2, start: 3 }), 'E_VALUE', /start/);
      expectError(() => f(X, { count: 2, start: -1 }), 'E_VALUE', /start/);
      expectError(() => f(X, { count: 2, cuont: 1 }), 'E_VALUE', /unknown option 'cuont'/);
      expectError(() => f({ rows: 2, columns: 2, data: Float64Array.of(1, NaN, 3, 4) }, { count: 1 }), 'E_VALUE', /row 0, column 1/);
      expectError(() => f({ rows: 2, columns: 2, data: Float64Array.of(1, 2, Infinity, 4) }, { count: 1 }), 'E_VALUE', /row 1, column 0/);
      expectError(() => f([{ rows: 1, columns: 2, data: Float64Array.of(1, 2) }, { rows: 1, columns: 3, data: Float64Array.of(1, 2, 3) }], { count: 1 }), 'E_SHAPE', /block 1 has 3 columns/);
      expectError(() => f({ rows: 2, columns: 2, data: Float64Array.of(1, 2, 3) }, { count: 1 }), 'E_SHAPE', /3 values/);
      expectError(() => f({ rows: 0, columns: 2, data: new Float64Array(0) }, { count: 1 }), 'E_SHAPE', /no rows/);
      expectError(() => f([], { count: 1 }), 'E_SHAPE', /no rows/);
      expectError(() => f({ rows: 1, columns: 2, data: [1, 2] }, { count: 1 }), 'E_TYPE', /Float64Array/);
      expectError(() => f(42, { count: 1 }), 'E_TYPE');
      expectError(() => f([[1, 2]], { count: 1 }), 'E_TYPE', /block 0/);
    });
  }

  it('curSelection: k, center/standardize and tolerance errors are typed', () => {
    expectError(() => curSelection(X, { count: 1, k: 0 }), 'E_VALUE', /k must be/);
    expectError(() => curSelection(X, { count: 1, center: false, standardize: true }), 'E_VALUE', /standardize needs center/);
    expectError(() => curSelection(X, { count: 1, tolerance: 1 }), 'E_VALUE', /tolerance/);
    expectError(() => curSelection(X, { count: 1, center: 1 as unknown as boolean }), 'E_TYPE', /booleans/);
  });
});

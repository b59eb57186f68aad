import { describe, expect, it } from 'vitest';
import { duplicateColumns } from '../../lib/train/plip-duplicates';

describe('duplicateColumns', () => {
  it('finds columns equal to an earlier non-zero column within the tolerance, and nothing else', () => {
    const rows = 50, P = 6;
    const Z = new Float64Array(rows * P);
    for (let i = 0; i < rows; ++i) {
      const a = Math.sin(1.3 * i), b = Math.cos(0.7 * i + 0.2);
      // columns: a, b, a (+1e-14 round-off), zero, zero, a + 1e-6 (a different column)
      Z.set([a, b, a + 1e-14 * Math.sin(5 * i), 0, 0, a + 1e-6 * Math.cos(3 * i)], i * P);
    }
    expect(Array.from(duplicateColumns(Z, rows, P))).toEqual([-1, -1, 0, -1, -1, -1]);
    expect(Array.from(duplicateColumns(Z, rows, P, P, 1e-4))).toEqual([-1, -1, 0, -1, -1, 0]);
    expect(Array.from(duplicateColumns(Z, rows, P, 2))).toEqual([-1, -1]);
  });
});

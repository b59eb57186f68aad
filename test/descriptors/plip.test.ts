import { describe, expect, it } from 'vitest';
import { setNumThreads } from '../../lib/core/threads';
import { PlipDescriptors, PlipDescriptorsOptions, plipGrid, plipRange } from '../../lib/descriptors';
import { Structure } from '../../lib/structure/structure';
import { expectClose, expectCode, strained, transformed } from '../potentials/conformance';
import { cluster, randomRotation, seededRandom, triclinicCrystal } from '../potentials/structures';

const options: PlipDescriptorsOptions = {
  elements: ['Zn', 'O'],
  cutoff: 4.3,
  grid: { widths: [0.8, 1.7], centres: [1.6, 2.6, 3.4] },
  threeBody: { lmax: 3, grid: { widths: [1.1], centres: [2.2, 3.1] } },
  nBody: { mmax: 7, rShort: { 'Zn-Zn': 2.6, 'O-O': 2.4, 'Zn-O': 2.5 } },
};
const plip = new PlipDescriptors(options);

/** A rattled binary triclinic crystal with nearest neighbours around 2.5 Å (12 atoms). */
const crystal = (): Structure => triclinicCrystal({ symbols: ['Zn', 'O'], spacing: 2.5, rattle: 0.2, seed: 4 });
/** An open binary cluster (13 atoms). */
const smallCluster = (): Structure => cluster({ symbols: ['Zn', 'O'], spacing: 2.5, rattle: 0.2, seed: 9 });

interface Neighbour { j: number; d: number[]; r: number }

/** Every image of every atom within the cutoff of atom i (brute force over lattice shifts). */
function neighbours(s: Structure, i: number, cutoff: number): Neighbour[] {
  const out: Neighbour[] = [];
  const range = s.pbc.map((p) => (p ? 4 : 0));
  const cell = s.cell;
  for (let j = 0; j < s.length; ++j) {
    for (let n0 = -range[0]; n0 <= range[0]; ++n0) {
      for (let n1 = -range[1]; n1 <= range[1]; ++n1) {
        for (let n2 = -range[2]; n2 <= range[2]; ++n2) {
          const d = [0, 1, 2].map((a) => s.positions.get(j, a) - s.positions.get(i, a) +
            (cell ? n0 * cell.get(0, a) + n1 * cell.get(1, a) + n2 * cell.get(2, a) : 0));
          const r = Math.hypot(d[0], d[1], d[2]);
          if (r > 1e-10 && r < cutoff) out.push({ j, d, r });
        }
      }
    }
  }
  return out;
}

/** The descriptor rows [N][F] straight from the formulas (no derivatives). */
function reference(s: Structure, o: PlipDescriptorsOptions): number[][] {
  const E = o.elements, T = E.length, rc = o.cutoff ?? 6;
  const elementOf = (i: number) => E.indexOf(s.symbols[i]);
  const gauss = (grid: { widths: number[]; centres: number[] }) => grid.widths.flatMap((a) => grid.centres.map((b) => [a, b]));
  const g2 = gauss(o.grid!), g3 = gauss(o.threeBody!.grid ?? o.grid!), gN = gauss(o.grid!);
  const fc = (r: number) => 0.5 * (1 + Math.cos((Math.PI * r) / rc));
  const phi = (r: number, [a, b]: number[]) => Math.exp(-a * (r - b) ** 2) * fc(r);
  const fs = (r: number, rs: number) => {
    const r1 = 0.95 * rs, r2 = 1.05 * rs;
    if (r < r1) return 0;
    if (r > r2) return 1;
    const u = (r - r1) / (r2 - r1);
    return 6 * u ** 5 - 15 * u ** 4 + 10 * u ** 3;
  };
  const rShort = o.nBody!.rShort as Record<string, number>;
  const rs = (a: number, b: number) => rShort[`${E[a]}-${E[b]}`] ?? rShort[`${E[b]}-${E[a]}`];
  const L = o.threeBody!.lmax;
  return Array.from({ length: s.length }, (_, i) => {
    const c = elementOf(i);
    const nb = neighbours(s, i, rc);
    const block: number[] = [];
    for (let b = 0; b < T; ++b) for (const g of g2) block.push(nb.filter((n) => elementOf(n.j) === b).reduce((t, n) => t + phi(n.r, g), 0));
    for (let b1 = 0; b1 < T; ++b1) {
      for (let b2 = b1; b2 < T; ++b2) {
        for (let l = 0; l <= L; ++l) {
          for (const g of g3) {
            let sum = 0;
            for (let p = 0; p < nb.length; ++p) {
              for (let q = p + 1; q < nb.length; ++q) {
                const ep = elementOf(nb[p].j), eq = elementOf(nb[q].j);
                if (!((ep === b1 && eq === b2) || (ep === b2 && eq === b1))) continue;
                const cos = (nb[p].d[0] * nb[q].d[0] + nb[p].d[1] * nb[q].d[1] + nb[p].d[2] * nb[q].d[2]) / (nb[p].r * nb[q].r);
                sum += phi(nb[p].r, g) * phi(nb[q].r, g) * cos ** l;
              }
            }
            block.push(sum);
          }
        }
      }
    }
    for (let b = 0; b < T; ++b) {
      for (let m = 4; m <= o.nBody!.mmax; ++m) {
        for (const g of gN) block.push(nb.filter((n) => elementOf(n.j) === b).reduce((t, n) => t + phi(n.r, g) * fs(n.r, rs(c, b)), 0) ** m);
      }
    }
    const row = new Array<number>(T * block.length).fill(0);
    block.forEach((v, f) => (row[c * block.length + f] = v));
    return row;
  });
}

/** Counts of neighbour distances below r1, inside [r1, r2] and above r2 of the NB smoothstep. */
function smoothStepRegions(s: Structure): number[] {
  const counts = [0, 0, 0];
  const rShort = options.nBody!.rShort as Record<string, number>;
  for (let i = 0; i < s.length; ++i) {
    for (const n of neighbours(s, i, options.cutoff!)) {
      const key = [s.symbols[i], s.symbols[n.j]].sort().reverse().join('-');
      const rs = rShort[key] ?? rShort[[s.symbols[i], s.symbols[n.j]].sort().join('-')];
      counts[n.r < 0.95 * rs ? 0 : n.r > 1.05 * rs ? 2 : 1]++;
    }
  }
  return counts;
}

function energyRow(s: Structure): Float64Array {
  return plip.compute(s).energyRow;
}

describe('PlipDescriptors: values', () => {
  it('feature names follow the documented order and count', () => {
    const names = plip.featureNames();
    // per element: 2B 2×6, 3B 3 pairs × 4 l × 2, NB 2 × 4 m × 6
    expect(plip.featuresPerElement).toBe(12 + 24 + 48);
    expect(names.length).toBe(2 * 84);
    expect(names[0]).toBe('2B Zn-Zn a=0.8 b=1.6');
    expect(names[6]).toBe('2B Zn-O a=0.8 b=1.6');
    expect(names[12]).toBe('3B Zn-Zn-Zn l=0 a=1.1 b=2.2');
    expect(names[12 + 8]).toBe('3B Zn-Zn-O l=0 a=1.1 b=2.2');
    expect(names[36]).toBe('NB Zn-Zn m=4 a=0.8 b=1.6');
    expect(names[84 + 36 + 24]).toBe('NB O-O m=4 a=0.8 b=1.6');
  });

  for (const [label, make] of [['periodic binary crystal', crystal], ['open cluster', smallCluster]] as const) {
    it(`${label}: values match a brute-force reference (2B, 3B l ≤ 3, NB m ≤ 7, f_s in all regions)`, () => {
      const s = make();
      if (label === 'periodic binary crystal') expect(smoothStepRegions(s).every((c) => c > 0)).toBe(true);
      const got = plip.compute(s).atomDescriptors;
      const want = reference(s, options);
      const F = plip.featureCount;
      for (let i = 0; i < s.length; ++i) {
        expectClose(Array.from({ length: F }, (_, f) => got.get(i, f)), want[i], 1e-12, `${label} atom ${i}`);
      }
    });
  }

  it('energy row is the sum of atom rows and is extensive under supercells', () => {
    const s = crystal();
    const r = plip.compute(s);
    const big = plip.compute(s.repeat([2, 1, 2])).energyRow;
    expectClose(big, Array.from(r.energyRow, (x) => 4 * x), 1e-12, 'supercell energy row');
    const sum = new Float64Array(plip.featureCount);
    for (let i = 0; i < s.length; ++i) for (let f = 0; f < sum.length; ++f) sum[f] += r.atomDescriptors.get(i, f);
    expectClose(r.energyRow, sum, 1e-14, 'Σ atom rows');
  });

  it('is invariant under translation, rotation and permutation', () => {
    const s = crystal();
    const base = plip.compute(s).atomDescriptors;
    const random = seededRandom(3);
    const moved = s.clone();
    for (let i = 0; i < s.length; ++i) for (let a = 0; a < 3; ++a) moved.positions.set(i, a, s.positions.get(i, a) + 0.37 * (a + 1));
    const rotated = transformed(s, randomRotation(random));
    for (const [what, t] of [['translation', moved], ['rotation', rotated]] as const) {
      expectClose(plip.compute(t).atomDescriptors.data, base.data, 1e-11, what);
    }
    const order = Array.from({ length: s.length }, (_, k) => k).reverse();
    const permuted = new Structure({ symbols: order.map((k) => s.symbols[k]), positions: order.map((k) => [0, 1, 2].map((a) => s.positions.get(k, a))), cell: s.cell!, pbc: true });
    const p = plip.compute(permuted).atomDescriptors;
    const F = plip.featureCount;
    for (let n = 0; n < s.length; ++n) {
      expectClose(Array.from({ length: F }, (_, f) => p.get(n, f)), Array.from({ length: F }, (_, f) => base.get(order[n], f)), 1e-12, `permuted atom ${n}`);
    }
  });
});

describe('PlipDescriptors: derivatives', () => {
  for (const [label, make] of [['periodic binary crystal', crystal], ['open cluster', smallCluster]] as const) {
    it(`${label}: force rows = −∂(energy row)/∂r by finite differences`, () => {
      const s = make();
      const rows = plip.compute(s, { forces: true }).forceRows!;
      const h = 1e-5, F = plip.featureCount;
      let worst = 0, scale = 0;
      for (let k = 0; k < s.length; ++k) {
        for (let a = 0; a < 3; ++a) {
          const plus = s.clone(), minus = s.clone();
          plus.positions.set(k, a, s.positions.get(k, a) + h);
          minus.positions.set(k, a, s.positions.get(k, a) - h);
          const ep = energyRow(plus), em = energyRow(minus);
          for (let f = 0; f < F; ++f) {
            const fd = -(ep[f] - em[f]) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - rows.get(3 * k + a, f)));
            scale = Math.max(scale, Math.abs(fd));
          }
        }
      }
      expect(worst / scale).toBeLessThan(1e-7);
    });
  }

  it('stress rows = (1/V) ∂(energy row)/∂ε by finite differences', () => {
    const s = crystal();
    const rows = plip.compute(s, { stress: true }).stressRows!;
    const volume = Math.abs(s.volume);
    const h = 1e-6, F = plip.featureCount;
    const voigt = [[0, 0], [1, 1], [2, 2], [1, 2], [0, 2], [0, 1]];
    let worst = 0, scale = 0;
    voigt.forEach(([a, b], q) => {
      const ep = energyRow(strained(s, a, b, h)), em = energyRow(strained(s, a, b, -h));
      for (let f = 0; f < F; ++f) {
        const fd = (ep[f] - em[f]) / (2 * h) / volume;
        worst = Math.max(worst, Math.abs(fd - rows.get(q, f)));
        scale = Math.max(scale, Math.abs(fd));
      }
    });
    expect(worst / scale).toBeLessThan(1e-7);
  });

  it('rows are identical with 1 and 2 threads, sync and async', async () => {
    const s = crystal();
    setNumThreads(1);
    const one = plip.compute(s, { forces: true, stress: true });
    setNumThreads(2);
    const two = plip.compute(s, { forces: true, stress: true });
    const later = await plip.computeAsync(s, { forces: true, stress: true });
    for (const r of [two, later]) {
      expect(Array.from(r.forceRows!.data)).toEqual(Array.from(one.forceRows!.data));
      expect(Array.from(r.stressRows!.data)).toEqual(Array.from(one.stressRows!.data));
      expect(Array.from(r.atomDescriptors.data)).toEqual(Array.from(one.atomDescriptors.data));
    }
  });
});

describe('PlipDescriptors: grids and errors', () => {
  it("plipRange reproduces PLIP's floating accumulation", () => {
    expect(plipRange({ min: 0.5, max: 6, step: 0.5 })).toHaveLength(12);
    // ten steps of 0.1 reach 0.9999999999999999 < 1, so 1.0999999999999999 < 1.1 is kept too
    const range = plipRange({ min: 0, max: 1, step: 0.1 });
    expect(range).toHaveLength(12);
    expect(range[11]).toBe(1.0999999999999999);
    const grid = plipGrid({ widths: { min: 0.5, max: 1.5, step: 1 }, centres: { min: 0.5, max: 6, step: 0.5 } });
    expect(grid.widths).toEqual([0.5, 1.5]);
    expect(grid.centres.length).toBe(12);
  });

  it('bad input is a typed PolymorphError', () => {
    expectCode(() => new PlipDescriptors({ ...options, cutoff: 0 }), 'E_VALUE');
    expectCode(() => new PlipDescriptors({ ...options, cutoff: -1 }), 'E_VALUE');
    expectCode(() => new PlipDescriptors({ ...options, grid: { widths: [], centres: [1] } }), 'E_VALUE');
    expectCode(() => new PlipDescriptors({ ...options, nBody: { mmax: 5, rShort: 4.3 } }), 'E_VALUE');
    expectCode(() => new PlipDescriptors({ ...options, nBody: { mmax: 5, rShort: 0 } }), 'E_VALUE');
    expectCode(() => new PlipDescriptors({ ...options, nBody: { mmax: 5, rShort: { 'Zn-O': 2 } } }), 'E_VALUE');
    expectCode(() => new PlipDescriptors({ ...options, elements: ['Zn', 'Xx'] }), 'E_ELEMENT');
    expectCode(() => new PlipDescriptors({ ...options, grid: { widths: [Number.NaN], centres: [1] } }), 'E_VALUE');
    const argon = new Structure({ symbols: ['Ar'], positions: [[0, 0, 0]] });
    expectCode(() => plip.compute(argon), 'E_ELEMENT');
    expectCode(() => plip.compute(smallCluster(), { stress: true }), 'E_CELL');
    const overlap = new Structure({ symbols: ['Zn', 'O'], positions: [[0, 0, 0], [0, 0, 0]] });
    expectCode(() => plip.compute(overlap), 'E_VALUE');
  });
});

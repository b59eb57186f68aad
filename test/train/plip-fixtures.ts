// Shared fixtures of the fitPlip suites: small PLIP descriptors, a sparse "true" linear model,
// strained and rattled wurtzite cells (or open clusters cut from them), and labelling helpers.
import ndarray from 'ndarray';
import { rattle, wurtzite } from '../../lib/build/crystals';
import { mulberry32 } from '../../lib/core/random';
import { PlipDescriptors, PlipDescriptorsOptions } from '../../lib/descriptors';
import { LinearPotential } from '../../lib/potentials/linear';
import type { Potential } from '../../lib/potentials/potential';
import { Structure } from '../../lib/structure/structure';
import type { FitPlipReport } from '../../lib/train';

/** A report as plain data (typed arrays as lists), for exact comparison. */
export function plainReport(r: FitPlipReport): unknown {
  return JSON.parse(JSON.stringify(r, (_, v) => (v instanceof Float64Array ? { f64: Array.from(v, String) } : v)));
}

const options: PlipDescriptorsOptions = {
  elements: ['Zn', 'O'],
  cutoff: 4.5,
  grid: { widths: [1.0], centres: [1.9, 2.6, 3.3] },
  threeBody: { lmax: 1, grid: { widths: [1.0], centres: [2.0] } },
  nBody: { mmax: 4, rShort: { 'Zn-Zn': 2.7, 'O-O': 2.5, 'Zn-O': 2.1 }, grid: { widths: [1.0], centres: [2.0] } },
};
export const descriptors = new PlipDescriptors(options);
export const F = descriptors.featureCount;

/** A sparse LinearPotential: 6 non-zero weights (eV) and per-element offsets. */
export function truth(): LinearPotential {
  const weights = new Float64Array(F);
  const pick: Array<[number, number]> = [[0, 0.35], [2, -0.2], [3, 0.15], [F / 2 + 1, 0.25], [F / 2 + 4, -0.1], [F - 1, 0.02]];
  for (const [k, w] of pick) weights[k] = w;
  return new LinearPotential({ descriptors, weights, offsets: { Zn: -1.3, O: -4.2 } });
}

/** 14 rattled, strained wurtzite 2×2×1 cells (16 atoms); in some, atoms are swapped to the other element (composition varies). Open: the first 10 atoms of each, without a cell. */
export function crystals(periodic = true): Structure[] {
  return Array.from({ length: 14 }, (_, k) => {
    const base = rattle(wurtzite().repeat([2, 2, 1]), 0.08, 100 + k);
    const strain = 1 + 0.02 * ((k % 5) - 2);
    const symbols = base.symbols.map((s, i) => (k % 3 === 1 && i % 7 === k % 7 ? (s === 'Zn' ? 'O' : 'Zn') : s));
    const cell = (base.cell?.data as Float64Array).map((x) => x * strain);
    const positions = (base.positions.data as Float64Array).map((x) => x * strain);
    return periodic
      ? new Structure({ symbols, positions: ndarray(positions, [base.length, 3]), cell: ndarray(cell, [3, 3]), pbc: true })
      : new Structure({ symbols: symbols.slice(0, 10), positions: ndarray(positions.slice(0, 30), [10, 3]) });
  });
}

/**
 * `count` rattled wurtzite 2×2×1 cells (16 atoms) under random symmetric strains (each component
 * up to ±4 %, shear included; seeded), every third with swapped atoms. Stress rows need strains
 * of all six kinds: isotropic strains alone leave them nearly collinear.
 */
export function strainedCells(count: number, seed: number): Structure[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, k) => {
    const base = rattle(wurtzite().repeat([2, 2, 1]), 0.08, 300 + k);
    const e = Array.from({ length: 6 }, () => 0.04 * (2 * random() - 1));
    const strain = [1 + e[0], e[5], e[4], e[5], 1 + e[1], e[3], e[4], e[3], 1 + e[2]];
    const deform = (v: Float64Array, n: number): Float64Array => {
      const out = new Float64Array(3 * n);
      for (let i = 0; i < n; ++i) for (let a = 0; a < 3; ++a) for (let b = 0; b < 3; ++b) out[3 * i + a] += v[3 * i + b] * strain[3 * b + a];
      return out;
    };
    const symbols = base.symbols.map((s, i) => (k % 3 === 1 && i % 7 === k % 7 ? (s === 'Zn' ? 'O' : 'Zn') : s));
    const positions = ndarray(deform(base.positions.data as Float64Array, base.length), [base.length, 3]);
    return new Structure({ symbols, positions, cell: ndarray(deform(base.cell?.data as Float64Array, 3), [3, 3]), pbc: true });
  });
}

/** Labels the structures with the model's energies (eV), forces (eV/Å) and, with `stress`, the stress `[3,3]` (eV/Å³) of the periodic ones. */
export function label(structures: Structure[], model: Potential, stress = false): Structure[] {
  for (const s of structures) {
    const periodic = stress && s.cell !== null && s.pbc.every((p) => p);
    const r = model.compute(s, { forces: true, stress: periodic });
    s.info.energy = r.energy;
    s.arrays.forces = r.forces as ndarray.NdArray<Float64Array>;
    if (periodic) s.info.stress = r.stress as ndarray.NdArray<Float64Array>;
  }
  return structures;
}

/** Largest |a − b| over energies per atom (eV/atom), force components (eV/Å) and, for periodic structures, stress components (eV/Å³) of two potentials. */
export function maxDifference(structures: Structure[], a: Potential, b: Potential): { energy: number; forces: number; stress: number } {
  let energy = 0, forces = 0, stress = 0;
  for (const s of structures) {
    const periodic = s.cell !== null && s.pbc.every((p) => p);
    const ra = a.compute(s, { forces: true, stress: periodic }), rb = b.compute(s, { forces: true, stress: periodic });
    energy = Math.max(energy, Math.abs(ra.energy - rb.energy) / s.length);
    const fa = ra.forces?.data as Float64Array, fb = rb.forces?.data as Float64Array;
    for (let k = 0; k < fa.length; ++k) forces = Math.max(forces, Math.abs(fa[k] - fb[k]));
    if (periodic) for (let k = 0; k < 9; ++k) stress = Math.max(stress, Math.abs((ra.stress?.data[k] as number) - (rb.stress?.data[k] as number)));
  }
  return { energy, forces, stress };
}

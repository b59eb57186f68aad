/**
 * `SymmetryFunctions` (every n2p2 type, every cutoff type) against a brute-force reference written
 * in this file from the formulas of specs/n2p2-formats.md §1.4–1.5 only: periodic triclinic
 * crystals, a slab, an open cluster and a cell so small that atoms see their own images, with
 * three elements (H, O, Zn). Then analytic derivatives and the virial against central finite
 * differences, invariances, async == sync, 1 thread == 2 threads, length units, n2p2 order,
 * `toN2p2()` round trips and input errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolymorphError } from '../../lib/core/errors';
import { getNumThreads, setNumThreads } from '../../lib/core/threads';
import {
  CutoffFunction, symmetryFunctionFromFields, SymmetryFunctionDefinition,
} from '../../lib/descriptors/symmetry-function-definitions';
import { SymmetryFunctionResults, SymmetryFunctions } from '../../lib/descriptors/symmetry-functions';
import { atomicNumber } from '../../lib/structure/elements';
import { Structure } from '../../lib/structure/structure';
import { bohr } from '../../lib/structure/units';
import { expectCode, transformed } from '../potentials/conformance';
import { cluster, randomRotation, seededRandom, slab, triclinicCrystal } from '../potentials/structures';

type V3 = [number, number, number];
const ELEMENTS = ['H', 'O', 'Zn'] as const;
const DEGREE = Math.PI / 180;

// ---------------------------------------------------------------------------------------------
// Brute-force reference (spec §1.4–1.5), O(N · images · neighbours²).

/** One neighbour of atom i: an image of atom j at d = r_j + S·cell − r_i. */
interface Neighbor {
  j: number;
  d: V3;
  r: number;
  z: number;
  symbol: string;
}

/** Every neighbour image closer than `rc`, by looping over all atoms and all image shifts that can reach. */
function referenceNeighbors(s: Structure, rc: number): Neighbor[][] {
  const n = s.length;
  const pos: V3[] = Array.from({ length: n }, (_, i) => [0, 1, 2].map((a) => s.positions.get(i, a)) as V3);
  const symbols = s.symbols;
  let shifts: V3[] = [[0, 0, 0]];
  if (s.cell && s.pbc.some((p) => p)) {
    const c: V3[] = [0, 1, 2].map((k) => [0, 1, 2].map((a) => s.cell!.get(k, a)) as V3);
    const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    const volume = Math.abs(dot(c[0], cross(c[1], c[2])));
    const range = [0, 1, 2].map((k) => {
      if (!s.pbc[k]) return 0;
      const normal = cross(c[(k + 1) % 3], c[(k + 2) % 3]);
      const spacing = volume / Math.sqrt(dot(normal, normal));
      // Fractional coordinate k of every atom: r · (a_{k+1} × a_{k+2}) / V (signed volume).
      const signed = dot(c[k], normal);
      const f = pos.map((p) => dot(p, normal) / signed);
      return Math.ceil(rc / spacing + Math.max(...f) - Math.min(...f)) + 1;
    });
    shifts = [];
    for (let a = -range[0]; a <= range[0]; ++a)
      for (let b = -range[1]; b <= range[1]; ++b)
        for (let g = -range[2]; g <= range[2]; ++g) shifts.push([0, 1, 2].map((x) => a * c[0][x] + b * c[1][x] + g * c[2][x]) as V3);
  }
  const out: Neighbor[][] = [];
  for (let i = 0; i < n; ++i) {
    const list: Neighbor[] = [];
    for (let j = 0; j < n; ++j) {
      for (const S of shifts) {
        if (i === j && S[0] === 0 && S[1] === 0 && S[2] === 0) continue;
        const d: V3 = [pos[j][0] + S[0] - pos[i][0], pos[j][1] + S[1] - pos[i][1], pos[j][2] + S[2] - pos[i][2]];
        const r = Math.hypot(d[0], d[1], d[2]);
        if (r < rc) list.push({ j, d, r, z: s.numbers[j], symbol: symbols[j] });
      }
    }
    out.push(list);
  }
  return out;
}

/** f_c(r) of spec §1.4 (value only). */
function referenceCutoff(c: CutoffFunction, rc: number, r: number): number {
  if (r >= rc) return 0;
  if (c.type === 2) return Math.tanh(1 - r / rc) ** 3;
  if (c.type === 3) return (Math.tanh(1 - r / rc) / Math.tanh(1)) ** 3; // coth³(1) tanh³(1 − r/r_c)
  const rci = c.alpha * rc;
  if (r < rci) return 1;
  const x = (r - rci) / (rc - rci);
  switch (c.type) {
    case 0: return 1;
    case 1: return 0.5 * (Math.cos(Math.PI * x) + 1);
    case 4: return Math.E * Math.exp(1 / (x * x - 1));
    default: return polynomialCore(c.type - 4, x);
  }
}

/** POLY1…POLY4 of the spec's table, as printed there. */
function polynomialCore(order: number, x: number): number {
  switch (order) {
    case 1: return (2 * x - 3) * x * x + 1;
    case 2: return ((15 - 6 * x) * x - 10) * x ** 3 + 1;
    case 3: return (x * (x * (20 * x - 70) + 84) - 35) * x ** 4 + 1;
    case 4: return (x * (x * ((315 - 70 * x) * x - 540) + 420) - 126) * x ** 5 + 1;
    default: throw new Error(`no polynomial core ${order}`);
  }
}

/** C(a; l, r) = core(|a − m|/w) of a compact subtype (`p1`…`p4`, `e`, optional `a`); zero outside (l, r). */
function referenceCompact(subtype: string, l: number, r: number, a: number, asymmetricAllowed = true): number {
  if (!(a > l && a < r)) return 0;
  const m = (l + r) / 2, w = (r - l) / 2;
  let x = Math.abs(a - m) / w;
  if (asymmetricAllowed && subtype.endsWith('a')) x = (2 - x) * x;
  const core = subtype.replace(/a$/, '');
  if (core === 'e') return x >= 1 ? 0 : Math.E * Math.exp(1 / (x * x - 1));
  return polynomialCore(Number(core.slice(1)), x);
}

/** Unordered pairs of neighbours of one atom, with cos θ_ijk and r_jk. */
interface Pair {
  a: Neighbor;
  b: Neighbor;
  cos: number;
  rjk: number;
}

function pairsOf(list: Neighbor[]): Pair[] {
  const out: Pair[] = [];
  for (let p = 0; p < list.length; ++p) {
    for (let q = p + 1; q < list.length; ++q) {
      const a = list[p], b = list[q];
      const cos = (a.d[0] * b.d[0] + a.d[1] * b.d[1] + a.d[2] * b.d[2]) / (a.r * b.r);
      out.push({ a, b, cos, rjk: Math.hypot(b.d[0] - a.d[0], b.d[1] - a.d[1], b.d[2] - a.d[2]) });
    }
  }
  return out;
}

/** Whether the neighbour elements of a pair are {e1, e2} (as a multiset). */
function pairMatches(p: Pair, e: readonly [string, string]): boolean {
  return (p.a.symbol === e[0] && p.b.symbol === e[1]) || (p.a.symbol === e[1] && p.b.symbol === e[0]);
}

/**
 * G of one function for one atom, straight from the spec's table, and the sum of the terms with
 * their cutoff and compact factors set to 1. Those factors are 1 + (polynomial) and lose relative
 * accuracy near their zeros, so a term carries an absolute rounding error of a few ulps of that
 * sum whatever its size: the comparison allows 1e-13 of it on top of 1e-12 relative.
 */
function referenceFunction(def: SymmetryFunctionDefinition, list: Neighbor[], pairs: Pair[], c: CutoffFunction): [number, number] {
  let sum = 0, magnitude = 0;
  switch (def.type) {
    case 2:
    case 12:
      for (const n of list) {
        if (n.r >= def.cutoff || (def.type === 2 && n.symbol !== def.neighbor)) continue;
        const t = (def.type === 12 ? n.z : 1) * Math.exp(-def.eta * (n.r - def.rShift) ** 2);
        sum += t * referenceCutoff(c, def.cutoff, n.r);
        magnitude += t;
      }
      return [sum, magnitude];
    case 3:
    case 9:
    case 13: {
      const narrow = def.type !== 9;
      for (const p of pairs) {
        if (p.a.r >= def.cutoff || p.b.r >= def.cutoff) continue;
        if (def.type !== 13 && !pairMatches(p, def.neighbors)) continue;
        if (narrow && p.rjk >= def.cutoff) continue;
        const base = 1 + def.lambda * p.cos;
        if (base <= 0) continue;
        const w = def.type === 13 ? p.a.z * p.b.z : 1;
        let exponent = (p.a.r - def.rShift) ** 2 + (p.b.r - def.rShift) ** 2;
        let fc = referenceCutoff(c, def.cutoff, p.a.r) * referenceCutoff(c, def.cutoff, p.b.r);
        if (narrow) {
          exponent += (p.rjk - def.rShift) ** 2;
          fc *= referenceCutoff(c, def.cutoff, p.rjk);
        }
        const t = w * base ** def.zeta * Math.exp(-def.eta * exponent);
        sum += t * fc;
        magnitude += t;
      }
      return [2 ** (1 - def.zeta) * sum, 2 ** (1 - def.zeta) * magnitude];
    }
    case 20:
    case 23:
      for (const n of list) {
        if (def.type === 20 && n.symbol !== def.neighbor) continue;
        if (!(def.rLow < n.r && n.r < def.cutoff)) continue;
        const w = def.type === 23 ? n.z : 1;
        sum += w * referenceCompact(def.subtype, def.rLow, def.cutoff, n.r);
        magnitude += w;
      }
      return [sum, magnitude];
    case 21:
    case 22:
    case 24:
    case 25: {
      const narrow = def.type === 21 || def.type === 24;
      for (const p of pairs) {
        if (!(def.rLow < p.a.r && p.a.r < def.cutoff && def.rLow < p.b.r && p.b.r < def.cutoff)) continue;
        if ((def.type === 21 || def.type === 22) && !pairMatches(p, def.neighbors)) continue;
        if (narrow && !(Math.max(def.rLow, 0) < p.rjk && p.rjk < def.cutoff)) continue;
        if (p.cos <= -1 || p.cos >= 1) continue;
        const theta = Math.acos(p.cos);
        if (theta < def.angleLeft * DEGREE || theta > def.angleRight * DEGREE) continue;
        const w = def.type >= 24 ? p.a.z * p.b.z : 1;
        let t = w * referenceCompact(def.subtype, def.rLow, def.cutoff, p.a.r) * referenceCompact(def.subtype, def.rLow, def.cutoff, p.b.r);
        if (narrow) t *= referenceCompact(def.subtype, def.rLow, def.cutoff, p.rjk);
        // The angular part always uses the symmetric core.
        t *= referenceCompact(def.subtype, def.angleLeft * DEGREE, def.angleRight * DEGREE, theta, false);
        sum += t;
        magnitude += w;
      }
      return [sum, magnitude];
    }
  }
}

/** Reference G per atom (in the order of `sf.definitionsOf(element)`) and the rounding floor of each (see referenceFunction). */
function referenceValues(sf: SymmetryFunctions, s: Structure): { values: number[][]; floors: number[][] } {
  const lists = referenceNeighbors(s, Math.max(...sf.definitions.map((d) => d.cutoff)));
  const symbols = s.symbols;
  const values: number[][] = [], floors: number[][] = [];
  lists.forEach((list, i) => {
    const pairs = pairsOf(list);
    const both = sf.definitionsOf(symbols[i]).map((d) => referenceFunction(d, list, pairs, sf.cutoffFunction));
    values.push(both.map((x) => x[0]));
    floors.push(both.map((x) => 1e-13 * x[1] + 1e-300));
  });
  return { values, floors };
}

/** Expects agreement with the reference: 1e-12 relative, plus the rounding floor of each value. */
function expectReference(sf: SymmetryFunctions, s: Structure, values: number[][], what: string): void {
  const reference = referenceValues(sf, s);
  expectRelative(values, reference.values, 1e-12, reference.floors, what);
}

// ---------------------------------------------------------------------------------------------
// Helpers on results.

/** G per atom from a result (rows in atom order). */
function perAtom(sf: SymmetryFunctions, s: Structure, result: SymmetryFunctionResults): number[][] {
  const out: number[][] = Array.from({ length: s.length }, () => []);
  for (const e of sf.elements) {
    const values = result.values[e], atoms = result.atoms[e];
    const count = sf.count(e);
    expect(values.shape).toEqual([atoms.length, count]);
    for (let k = 0; k < atoms.length; ++k) out[atoms[k]] = Array.from({ length: count }, (_, q) => values.get(k, q));
  }
  return out;
}

/**
 * Dense ∂G_i,s/∂r_j from the sparse slots: Σ_{m→j} D[m] − δ_ij Σ_m D[m]; indexed [i][s][3·j + a].
 * Also the per-atom virial Σ_m d_m ⊗ D[m], indexed [i][s][3·a + b].
 */
function denseDerivatives(sf: SymmetryFunctions, s: Structure, result: SymmetryFunctionResults): { gradient: number[][][]; virial: number[][][] } {
  const n = s.length;
  const gradient: number[][][] = Array.from({ length: n }, () => []);
  const virial: number[][][] = Array.from({ length: n }, () => []);
  for (const e of sf.elements) {
    const d = result.derivatives![e], atoms = result.atoms[e], count = sf.count(e);
    expect(d.start.length).toBe(atoms.length + 1);
    expect(d.derivative.shape).toEqual([d.neighbor.length, count, 3]);
    for (let k = 0; k < atoms.length; ++k) {
      const i = atoms[k];
      gradient[i] = Array.from({ length: count }, () => new Array<number>(3 * n).fill(0));
      virial[i] = Array.from({ length: count }, () => new Array<number>(9).fill(0));
      for (let m = d.start[k]; m < d.start[k + 1]; ++m) {
        const j = d.neighbor[m];
        for (let q = 0; q < count; ++q) {
          for (let a = 0; a < 3; ++a) {
            const D = d.derivative.get(m, q, a);
            gradient[i][q][3 * j + a] += D;
            gradient[i][q][3 * i + a] -= D;
            for (let b = 0; b < 3; ++b) virial[i][q][3 * b + a] += d.vector.get(m, b) * D;
          }
        }
      }
    }
  }
  return { gradient, virial };
}

function moved(s: Structure, atom: number, axis: number, h: number): Structure {
  const out = s.clone();
  out.positions.set(atom, axis, s.positions.get(atom, axis) + h);
  return out;
}

/**
 * Expects |actual − expected| ≤ rel·|expected| + floor entrywise (the functions are sums of
 * non-negative terms, so a relative test per value is meaningful); reports the worst entry.
 */
function expectRelative(actual: number[][], expected: number[][], rel: number, floor: number | number[][], what: string): void {
  expect(actual.length, `${what}: atoms`).toBe(expected.length);
  let worst = 0, where = '';
  for (let i = 0; i < expected.length; ++i) {
    expect(actual[i].length, `${what}: functions of atom ${i}`).toBe(expected[i].length);
    for (let q = 0; q < expected[i].length; ++q) {
      const ratio = Math.abs(actual[i][q] - expected[i][q]) / (rel * Math.abs(expected[i][q]) + (typeof floor === 'number' ? floor : floor[i][q]));
      if (!(ratio <= worst)) {
        worst = ratio;
        where = `atom ${i} function ${q}: ${actual[i][q]} vs ${expected[i][q]}`;
      }
    }
  }
  expect(worst, `${what}: worst ${where}`).toBeLessThanOrEqual(1);
}

/** Central differences (G(make(h)) − G(make(−h)))/2h of every atom's values. */
function valueDifference(sf: SymmetryFunctions, s: Structure, make: (h: number) => Structure, h: number): number[][] {
  const plus = perAtom(sf, s, sf.compute(make(h))), minus = perAtom(sf, s, sf.compute(make(-h)));
  return plus.map((row, i) => row.map((g, q) => (g - minus[i][q]) / (2 * h)));
}

/**
 * Checks analytic derivatives (chosen atoms, every axis) and the virial (all nine components of
 * a general strain of cell and positions) against central finite differences. Each function's
 * tolerance is 1e-6 of its largest analytic entry in the structure plus the rounding noise of
 * its values divided by the step.
 */
function checkDerivatives(sf: SymmetryFunctions, s: Structure, atoms: number[], what: string,
  o: { h?: number; strain?: number; tolerance?: number } = {}): void {
  const h = o.h ?? 1e-5, strain = o.strain ?? 1e-5, tolerance = o.tolerance ?? 1e-6;
  const result = sf.compute(s, { derivatives: true });
  const { gradient, virial } = denseDerivatives(sf, s, result);
  const values = perAtom(sf, s, result);
  const symbols = s.symbols;
  // Per (element, function): the largest |∂G/∂r|, |virial| and |G| over all atoms. Values carry
  // an absolute rounding noise of ~1e-13·max(1, |G|) (many terms, near-cutoff cancellation),
  // which central differences divide by 2h.
  const scale = new Map<string, number>();
  const vscale = new Map<string, number>();
  const noise = new Map<string, number>();
  for (let i = 0; i < s.length; ++i) {
    gradient[i].forEach((g, q) => {
      const key = `${symbols[i]}${q}`;
      scale.set(key, Math.max(scale.get(key) ?? 0, ...g.map(Math.abs)));
      vscale.set(key, Math.max(vscale.get(key) ?? 0, ...virial[i][q].map(Math.abs)));
      noise.set(key, Math.max(noise.get(key) ?? 0, 2e-13 * Math.max(1, Math.abs(values[i][q]))));
    });
  }
  let worst = 0, where = '';
  const compare = (analytic: number, numeric: number, limit: number, label: string): void => {
    const ratio = Math.abs(analytic - numeric) / limit;
    if (!(ratio <= worst)) {
      worst = ratio;
      where = `${label}: analytic ${analytic} vs finite difference ${numeric}`;
    }
  };
  for (const j of atoms) {
    for (let a = 0; a < 3; ++a) {
      const fd = valueDifference(sf, s, (x) => moved(s, j, a, x), h);
      for (let i = 0; i < s.length; ++i) {
        fd[i].forEach((value, q) => compare(gradient[i][q][3 * j + a], value, tolerance * scale.get(`${symbols[i]}${q}`)! + noise.get(`${symbols[i]}${q}`)! / h,
          `dG[atom ${i}, ${symbols[i]} function ${q}]/dr[atom ${j}, axis ${a}]`));
      }
    }
  }
  for (let a = 0; a < 3; ++a) {
    for (let b = 0; b < 3; ++b) {
      const fd = valueDifference(sf, s, (x) => {
        const m = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        m[3 * a + b] += x;
        return transformed(s, m);
      }, strain);
      for (let i = 0; i < s.length; ++i) {
        fd[i].forEach((value, q) => compare(virial[i][q][3 * a + b], value, tolerance * vscale.get(`${symbols[i]}${q}`)! + noise.get(`${symbols[i]}${q}`)! / strain,
          `virial[atom ${i}, ${symbols[i]} function ${q}][${a}${b}]`));
      }
    }
  }
  expect(worst, `${what}: worst ${where}`).toBeLessThanOrEqual(1);
}

// ---------------------------------------------------------------------------------------------
// Structures and definitions.

const SYMBOLS = ['Zn', 'O', 'H'];
const SPACING = 2.1; // Å; every cutoff below stays under the self-image distance of the larger cells

/** The same positions and cell with Zn, O, H in turn (in a seeded random order), so that every element is common. */
function balanced(s: Structure, seed: number): Structure {
  const random = seededRandom(seed);
  const symbols = Array.from({ length: s.length }, (_, i) => SYMBOLS[i % 3]).sort(() => random() - 0.5);
  return new Structure({ positions: s.positions, symbols, cell: s.cell, pbc: s.pbc });
}

/** The test structures: [name, structure, has collinear self-image triplets]. */
function structures(): [string, Structure, boolean][] {
  return [
    ['triclinic crystal (12 atoms)', balanced(triclinicCrystal({ spacing: SPACING, seed: 3 }), 1), false],
    ['slab pbc T T F (12 atoms)', balanced(slab({ spacing: SPACING, seed: 4 }), 2), false],
    ['open cluster (13 atoms)', balanced(cluster({ spacing: SPACING, seed: 5 }), 3), false],
    ['tiny cell, own images (3 atoms)', balanced(triclinicCrystal({ spacing: SPACING, seed: 6, repeat: [3, 1, 1] }), 4), true],
    ['open cluster with close pairs below alpha r_c (15 atoms)', closePairs(), false],
  ];
}

/** The 13-atom cluster plus two atoms near the middle of nearest-neighbour bonds (~1.05 Å from both ends). */
function closePairs(): Structure {
  const base = cluster({ spacing: SPACING, seed: 7 });
  const p = (i: number) => [0, 1, 2].map((a) => base.positions.get(i, a));
  const positions = Array.from({ length: base.length }, (_, i) => p(i));
  for (const [i, offset] of [[0, 0.03], [2, -0.04]]) {
    let nearest = -1, distance = Infinity;
    for (let k = 0; k < base.length; ++k) {
      const d = Math.hypot(...p(k).map((x, a) => x - p(i)[a]));
      if (k !== i && d < distance) [nearest, distance] = [k, d];
    }
    positions.push(p(i).map((x, a) => 0.5 * (x + p(nearest)[a]) + offset * (a + 1)));
  }
  return balanced(new Structure({ positions, symbols: Array(positions.length).fill('H') }), 6);
}

const PAIRS: [string, string][] = [['H', 'H'], ['H', 'O'], ['H', 'Zn'], ['O', 'O'], ['O', 'Zn'], ['Zn', 'Zn']];

/** Gaussian-type functions (2, 3, 9, 12, 13) for every element: several η, r_s, λ, ζ (integer and not), cutoffs. */
function gaussianDefinitions(): SymmetryFunctionDefinition[] {
  const out: SymmetryFunctionDefinition[] = [];
  for (const element of ELEMENTS) {
    for (const neighbor of ELEMENTS) {
      out.push({ type: 2, element, neighbor, eta: 0.3, rShift: 0, cutoff: 3.7 });
      out.push({ type: 2, element, neighbor, eta: 1.5, rShift: 2.2, cutoff: 3.2 });
    }
    out.push({ type: 12, element, eta: 0.2, rShift: 0, cutoff: 3.7 });
    out.push({ type: 12, element, eta: 1.0, rShift: 2.0, cutoff: 3.0 });
    PAIRS.forEach((neighbors, k) => {
      const zeta = [1, 2, 4.5, 3, 1.7, 16][k];
      const lambda = k % 2 === 0 ? 1 : -1;
      out.push({ type: 3, element, neighbors, eta: 0.05 * (k + 1), lambda, zeta, cutoff: k < 3 ? 3.7 : 3.3, rShift: k === 2 ? 0.5 : 0 });
      out.push({ type: 9, element, neighbors, eta: 0.04 * (k + 1), lambda: -lambda, zeta: [2, 1, 1.3, 4, 6.5, 1][k], cutoff: k < 3 ? 3.4 : 3.7, rShift: k === 4 ? 1.0 : 0 });
    });
    out.push({ type: 13, element, eta: 0.1, rShift: 0, lambda: 1, zeta: 1, cutoff: 3.7 });
    out.push({ type: 13, element, eta: 0.3, rShift: 0.4, lambda: -1, zeta: 3.3, cutoff: 3.4 });
    // λ other than ±1 and negative shifts are allowed too.
    out.push({ type: 13, element, eta: 0.08, rShift: -0.3, lambda: -0.7, zeta: 2, cutoff: 3.6 });
    out.push({ type: 9, element, neighbors: ['H', 'O'], eta: 0.07, lambda: 0.5, zeta: 2, cutoff: 3.6, rShift: -0.5 });
    out.push({ type: 2, element, neighbor: 'O', eta: 0.6, rShift: -0.4, cutoff: 3.6 });
  }
  return out;
}

const SUBTYPES = ['p1', 'p2', 'p3', 'p4', 'e', 'p1a', 'p2a', 'p3a', 'p4a', 'ea'];
/** Radial windows (r_l, r_c): monotone cutoff-like (r_l = −r_c), shells, and r_l between. */
const RADIAL: [number, number][] = [[-3.6, 3.6], [1.8, 3.3], [0.5, 3.7], [-1.0, 2.9], [2.6, 3.7]];
/** Angle windows (degrees), some centred on 0° or 180° (up to the full 360° width). */
const WINDOWS: [number, number][] = [[-90, 90], [90, 270], [0, 100], [30, 150], [60, 180], [45, 120], [-120, 120], [100, 260], [-180, 180], [0, 360]];

/**
 * Compact functions (20–25) for every element, with every subtype. `centred`: include windows
 * centred on 0° and 180°. Those peak where θ = 0 or 180°, where n2p2 skips the triplet
 * (cos θ = ±1): for exactly collinear triplets (an atom and two of its own images) the term
 * jumps between 0 and its peak with the last bit of cos θ, so a comparison is meaningless there.
 */
function compactDefinitions(centred: boolean): SymmetryFunctionDefinition[] {
  const windows = centred ? WINDOWS : WINDOWS.filter(([l, r]) => l >= 0 && r <= 180);
  // Narrow types need r_jk < r_c as well: larger cutoffs and angles up to ~120°.
  const narrowRadial = RADIAL.filter(([rl, rc]) => rc >= 3.3 && rl < 2);
  const narrowWindows = windows.filter(([l, r]) => l < 90 && r <= 150);
  const out: SymmetryFunctionDefinition[] = [];
  const counters = new Map<unknown, number>();
  const next = <T>(list: readonly T[]): T => {
    const k = counters.get(list) ?? 0;
    counters.set(list, k + 1);
    return list[k % list.length];
  };
  for (const element of ELEMENTS) {
    for (const neighbor of ELEMENTS) {
      for (let q = 0; q < 3; ++q) {
        const [rLow, cutoff] = next(RADIAL);
        out.push({ type: 20, element, neighbor, rLow, cutoff, subtype: next(SUBTYPES) });
      }
    }
    for (let q = 0; q < 4; ++q) {
      const [rLow, cutoff] = next(RADIAL);
      out.push({ type: 23, element, rLow, cutoff, subtype: next(SUBTYPES) });
    }
    for (const neighbors of PAIRS) {
      for (const type of [21, 22] as const) {
        const [rLow, cutoff] = next(type === 21 ? narrowRadial : RADIAL);
        const [angleLeft, angleRight] = next(type === 21 ? narrowWindows : windows);
        out.push({ type, element, neighbors, rLow, cutoff, angleLeft, angleRight, subtype: next(SUBTYPES) });
      }
    }
    for (const type of [24, 25, 24, 25, 24, 25] as const) {
      const [rLow, cutoff] = next(type === 24 ? narrowRadial : RADIAL);
      const [angleLeft, angleRight] = next(type === 24 ? narrowWindows : windows);
      out.push({ type, element, rLow, cutoff, angleLeft, angleRight, subtype: next(SUBTYPES) });
    }
  }
  return out;
}

const CUTOFF_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8];

// Hundreds of small calls: one thread avoids OpenMP start-up and spin-waiting costs on a busy
// machine (20× slower with 2 threads on 2 loaded cores). '1 thread == 2 threads' sets its own.
let savedThreads = 0;
beforeAll(() => {
  savedThreads = getNumThreads();
  setNumThreads(1);
});
afterAll(() => setNumThreads(savedThreads));

// ---------------------------------------------------------------------------------------------

describe('symmetry functions: values vs the brute-force reference', () => {
  for (const type of CUTOFF_TYPES) {
    for (const alpha of [0, 0.3]) {
      it(`Gaussian types 2, 3, 9, 12, 13 with cutoff type ${type}, alpha ${alpha}`, () => {
        const sf = new SymmetryFunctions(gaussianDefinitions(), { cutoffFunction: { type, alpha } });
        for (const [name, s] of structures()) {
          const values = perAtom(sf, s, sf.compute(s));
          expectReference(sf, s, values, `${name}, cutoff ${type}/${alpha}`);
          // Every function is exercised (non-zero somewhere).
          if (name.startsWith('triclinic')) {
            for (const e of sf.elements) {
              for (let q = 0; q < sf.count(e); ++q) {
                expect(values.some((g, i) => s.symbols[i] === e && g[q] > 0), `${e} function ${q} is non-zero somewhere`).toBe(true);
              }
            }
          }
        }
      });
    }
  }

  it('compact types 20-25 with every subtype (p1-p4, e, asymmetric variants) and angle window', () => {
    for (const [name, s, collinear] of structures()) {
      const sf = new SymmetryFunctions(compactDefinitions(!collinear), { cutoffFunction: { type: 6, alpha: 0.2 } });
      const values = perAtom(sf, s, sf.compute(s));
      expectReference(sf, s, values, name);
      if (name.startsWith('triclinic')) {
        for (const e of sf.elements) {
          for (let q = 0; q < sf.count(e); ++q) {
            expect(values.some((g, i) => s.symbols[i] === e && g[q] > 0), `${e} function ${q} (${JSON.stringify(sf.definitionsOf(e)[q])}) is non-zero somewhere`).toBe(true);
          }
        }
      }
    }
  });

  it('the cutoff type does not change compact functions', () => {
    const s = structures()[0][1];
    const a = new SymmetryFunctions(compactDefinitions(true), { cutoffFunction: { type: 0, alpha: 0 } });
    const b = new SymmetryFunctions(compactDefinitions(true), { cutoffFunction: { type: 4, alpha: 0.5 } });
    expect(perAtom(b, s, b.compute(s))).toEqual(perAtom(a, s, a.compute(s)));
  });

  it('dimer: G = f_c(r) for η = 0, every cutoff type; f_c = 1 below α r_c; types 2 and 3 ignore α', () => {
    const rc = 4;
    const dimer = (r: number) => new Structure({ symbols: ['O', 'H'], positions: [[0.1, 0.2, -0.3], [0.1 + r * 0.6, 0.2 - r * 0.8, -0.3]] });
    const def: SymmetryFunctionDefinition = { type: 2, element: 'O', neighbor: 'H', eta: 0, rShift: 0, cutoff: rc };
    const g = (type: number, alpha: number, r: number): number =>
      new SymmetryFunctions([def], { cutoffFunction: { type, alpha } }).compute(dimer(r)).values.O.get(0, 0);
    const x = (r: number, alpha: number) => (r - alpha * rc) / (rc - alpha * rc);
    // Hand-written closed forms at r = 3 (α = 0.3: x = (3 − 1.2)/2.8).
    const forms: Record<number, (r: number, a: number) => number> = {
      0: () => 1,
      1: (r, a) => 0.5 * (Math.cos(Math.PI * x(r, a)) + 1),
      2: (r) => Math.tanh(1 - r / rc) ** 3,
      3: (r) => Math.tanh(1 - r / rc) ** 3 / Math.tanh(1) ** 3,
      4: (r, a) => Math.exp(1 - 1 / (1 - x(r, a) ** 2)),
      5: (r, a) => 2 * x(r, a) ** 3 - 3 * x(r, a) ** 2 + 1,
      6: (r, a) => -6 * x(r, a) ** 5 + 15 * x(r, a) ** 4 - 10 * x(r, a) ** 3 + 1,
      7: (r, a) => 20 * x(r, a) ** 7 - 70 * x(r, a) ** 6 + 84 * x(r, a) ** 5 - 35 * x(r, a) ** 4 + 1,
      8: (r, a) => -70 * x(r, a) ** 9 + 315 * x(r, a) ** 8 - 540 * x(r, a) ** 7 + 420 * x(r, a) ** 6 - 126 * x(r, a) ** 5 + 1,
    };
    for (const type of CUTOFF_TYPES) {
      for (const alpha of [0, 0.3]) {
        expect(g(type, alpha, 3), `type ${type} alpha ${alpha} at r = 3`).toBeCloseTo(forms[type](3, alpha), 13);
        expect(g(type, alpha, rc * (1 + 1e-9)), `type ${type}: zero beyond r_c`).toBe(0);
        // Hard cutoff: 1 up to r_c; every other type goes continuously to 0.
        if (type === 0) expect(g(type, alpha, rc * (1 - 1e-6))).toBe(1);
        else expect(g(type, alpha, rc * (1 - 1e-6)), `type ${type}: continuous at r_c`).toBeLessThan(1e-9);
      }
      // Below α r_c the cutoff is exactly 1 (types 2 and 3 ignore α: same value as α = 0).
      if (type === 2 || type === 3) expect(g(type, 0.5, 1.0)).toBe(g(type, 0, 1.0));
      else expect(g(type, 0.5, 1.9)).toBe(1);
    }
  });
});

describe('symmetry functions: derivatives vs finite differences', () => {
  for (const type of CUTOFF_TYPES) {
    for (const alpha of [0, 0.3]) {
      it(`Gaussian types with cutoff type ${type}, alpha ${alpha}: ∂G/∂r and the virial`, () => {
        const sf = new SymmetryFunctions(gaussianDefinitions(), { cutoffFunction: { type, alpha } });
        for (const [name, s] of structures()) {
          checkDerivatives(sf, s, s.length <= 3 ? [0, 1, 2] : [0, 1, 2, 7, s.length - 1], `${name}, cutoff ${type}/${alpha}`);
        }
      });
    }
  }

  it('compact types 20-25 (every subtype): ∂G/∂r and the virial', () => {
    for (const [name, s, collinear] of structures()) {
      const sf = new SymmetryFunctions(compactDefinitions(!collinear));
      checkDerivatives(sf, s, s.length <= 3 ? [0, 1, 2] : [0, 1, 2, 7, s.length - 1], name);
    }
  });

  it('slots: one per neighbour image within the element cutoff, vectors d = r_j + S·cell − r_i', () => {
    const [, s] = structures()[3];
    const sf = new SymmetryFunctions(gaussianDefinitions());
    const result = sf.compute(s, { derivatives: true });
    const lists = referenceNeighbors(s, 3.7);
    for (const e of sf.elements) {
      const d = result.derivatives![e], atoms = result.atoms[e];
      for (let k = 0; k < atoms.length; ++k) {
        const expected = lists[atoms[k]].map((n) => [n.j, ...n.d.map((x) => x.toFixed(9))].join(' ')).sort();
        const got: string[] = [];
        for (let m = d.start[k]; m < d.start[k + 1]; ++m) {
          got.push([d.neighbor[m], ...[0, 1, 2].map((a) => d.vector.get(m, a).toFixed(9))].join(' '));
        }
        expect(got.sort()).toEqual(expected);
        // The atom sees its own images in this cell.
        expect(got.some((x) => Number(x.split(' ')[0]) === atoms[k])).toBe(true);
      }
    }
  });
});

describe('symmetry functions: invariances and reproducibility', () => {
  const definitions = [...gaussianDefinitions(), ...compactDefinitions(false)];
  const sf = new SymmetryFunctions(definitions, { cutoffFunction: { type: 1, alpha: 0.1 } });

  it('translation, rotation, permutation and periodic image do not change G', () => {
    const random = seededRandom(77);
    for (const [name, s] of structures()) {
      const base = perAtom(sf, s, sf.compute(s));
      const floor = roundingFloor(sf, s);
      const shift = [3.1 * random() - 1.5, 2 * random() - 1, 7 * random()];
      expectRelative(perAtom(sf, s, sf.compute(translate(s, shift))), base, 1e-12, floor, `${name}: translation`);
      expectRelative(perAtom(sf, s, sf.compute(transformed(s, randomRotation(random)))), base, 1e-12, floor, `${name}: rotation`);
      const order = Array.from({ length: s.length }, (_, i) => i).sort(() => random() - 0.5);
      const permuted = s.select(order);
      const values = perAtom(sf, permuted, sf.compute(permuted));
      expectRelative(values, order.map((i) => base[i]), 1e-12, order.map((i) => floor[i]), `${name}: permutation`);
      if (s.cell && s.pbc.every((p) => p)) {
        const imaged = s.clone();
        for (let a = 0; a < 3; ++a) imaged.positions.set(1, a, s.positions.get(1, a) + s.cell.get(0, a) - 2 * s.cell.get(2, a));
        expectRelative(perAtom(sf, imaged, sf.compute(imaged)), base, 1e-12, floor, `${name}: periodic image`);
      }
    }
  });

  it('rotation rotates the derivatives; translation leaves them', () => {
    const [, s] = structures()[0];
    const R = randomRotation(seededRandom(5));
    const a = sf.compute(s, { derivatives: true });
    const b = sf.compute(transformed(s, R), { derivatives: true });
    for (const e of sf.elements) {
      const da = a.derivatives![e], db = b.derivatives![e];
      expect(Array.from(db.neighbor)).toEqual(Array.from(da.neighbor));
      const rotated = new Float64Array(da.derivative.data.length);
      for (let k = 0; k < rotated.length; k += 3) {
        for (let c = 0; c < 3; ++c) rotated[k + c] = [0, 1, 2].reduce((sum, x) => sum + da.derivative.data[k + x] * R[3 * x + c], 0);
      }
      const scale = Math.max(...Array.from(da.derivative.data, Math.abs));
      const worst = Math.max(...Array.from(rotated, (v, k) => Math.abs(v - db.derivative.data[k])));
      expect(worst).toBeLessThan(1e-11 * scale);
    }
  });

  it('computeAsync == compute (also with several calls in flight), with and without derivatives', async () => {
    for (const [name, s] of structures()) {
      const sync = sf.compute(s, { derivatives: true });
      const syncValues = sf.compute(s);
      const [async, values] = await Promise.all([sf.computeAsync(s, { derivatives: true }), sf.computeAsync(s)]);
      expectSameResult(async, sync, `${name} async`);
      expectSameResult(values, syncValues, `${name} async, values only`);
      expect(values.derivatives).toBeUndefined();
      // Values computed with and without derivatives agree (the kernels differ, so allow rounding).
      const base = perAtom(sf, s, sync);
      expectRelative(perAtom(sf, s, syncValues), base, 1e-13, 1e-300, `${name}: values with vs without derivatives`);
    }
  });

  it('computeAsync copies the positions when called', async () => {
    const [, s] = structures()[0];
    const expected = sf.compute(s);
    const pending = sf.computeAsync(s);
    for (let a = 0; a < 3; ++a) s.positions.set(0, a, s.positions.get(0, a) + 0.3);
    expectSameResult(await pending, expected, 'async after moving an atom');
  });

  it('layout: rows follow atom order per element; isolated atoms give 0; absent elements give empty blocks', () => {
    const [, s] = structures()[0];
    const result = sf.compute(s, { derivatives: true });
    for (const e of sf.elements) {
      const expected = s.symbols.flatMap((x, i) => (x === e ? [i] : []));
      expect(Array.from(result.atoms[e])).toEqual(expected);
      expect(result.values[e].shape).toEqual([expected.length, sf.count(e)]);
      expect(sf.definitionsOf(e).length).toBe(sf.count(e));
    }
    expect(sf.cutoff).toBe(3.7);
    const lonely = new Structure({ symbols: ['O', 'H'], positions: [[0, 0, 0], [0, 0, 9]] });
    const r = sf.compute(lonely, { derivatives: true });
    expect(Array.from(r.values.O.data).every((x) => x === 0)).toBe(true);
    expect(Array.from(r.values.H.data).every((x) => x === 0)).toBe(true);
    expect(r.values.Zn.shape).toEqual([0, sf.count('Zn')]);
    expect(r.atoms.Zn.length).toBe(0);
    expect(Array.from(r.derivatives!.Zn.start)).toEqual([0]);
    expect(r.derivatives!.O.neighbor.length).toBe(0);
    expect(r.derivatives!.O.derivative.shape).toEqual([0, sf.count('O'), 3]);
  });

  it('1 thread == 2 threads (bit for bit)', () => {
    const s = balanced(triclinicCrystal({ spacing: SPACING, seed: 9, repeat: [4, 3, 3] }), 5);
    try {
      setNumThreads(1);
      const one = sf.compute(s, { derivatives: true });
      setNumThreads(2);
      expect(getNumThreads()).toBe(2);
      const two = sf.compute(s, { derivatives: true });
      expectSameResult(two, one, '2 threads vs 1');
      expectSameResult(sf.compute(s), sf.compute(s, {}), '2 threads, values only');
    } finally {
      setNumThreads(1);
    }
  });

  it("lengthUnit 'bohr': definitions in bohr give the same G and derivatives (1/Å) as the same functions in Å", () => {
    const toBohr = (d: SymmetryFunctionDefinition): SymmetryFunctionDefinition => {
      const out = { ...d } as Record<string, unknown>;
      for (const key of ['cutoff', 'rShift', 'rLow']) if (key in out) out[key] = (out[key] as number) / bohr;
      if ('eta' in out) out.eta = (out.eta as number) * bohr * bohr;
      return out as unknown as SymmetryFunctionDefinition;
    };
    const inBohr = new SymmetryFunctions(definitions.map(toBohr), { cutoffFunction: sf.cutoffFunction, lengthUnit: 'bohr' });
    expect(inBohr.lengthUnit).toBe(bohr);
    expect(inBohr.cutoff).toBeCloseTo(sf.cutoff, 12);
    for (const [name, s] of structures()) {
      const a = sf.compute(s, { derivatives: true }), b = inBohr.compute(s, { derivatives: true });
      const base = perAtom(sf, s, a);
      expectRelative(perAtom(inBohr, s, b), base, 1e-12, roundingFloor(sf, s), `${name}: values`);
      for (const e of sf.elements) {
        expect(Array.from(b.derivatives![e].neighbor)).toEqual(Array.from(a.derivatives![e].neighbor));
        const close = (x: ArrayLike<number>, y: ArrayLike<number>, what: string) => {
          const scale = Math.max(...Array.from(y, Math.abs));
          const worst = Math.max(0, ...Array.from(x, (v, k) => Math.abs(v - y[k])));
          expect(worst, `${name} ${e} ${what}`).toBeLessThanOrEqual(1e-11 * scale);
        };
        close(b.derivatives![e].vector.data, a.derivatives![e].vector.data, 'vectors (Å)');
        close(b.derivatives![e].derivative.data, a.derivatives![e].derivative.data, 'derivatives (1/Å)');
      }
    }
  });
});

describe('symmetry functions: n2p2 order and files', () => {
  /** The sort key of spec §1.6, written out again here. */
  function key(d: SymmetryFunctionDefinition): (number | string)[] {
    const z = atomicNumber;
    const head = [z(d.element), d.type];
    switch (d.type) {
      case 2: return [...head, d.cutoff, d.eta, d.rShift, z(d.neighbor)];
      case 3: case 9: return [...head, d.cutoff, d.eta, d.rShift, d.zeta, d.lambda, z(d.neighbors[0]), z(d.neighbors[1])];
      case 12: return [...head, d.cutoff, d.eta, d.rShift];
      case 13: return [...head, d.cutoff, d.eta, d.rShift, d.zeta, d.lambda];
      case 20: return [...head, d.subtype, z(d.neighbor), d.cutoff, d.rLow];
      case 21: case 22: return [...head, d.subtype, z(d.neighbors[0]), z(d.neighbors[1]), d.cutoff, d.rLow, d.angleLeft, d.angleRight];
      case 23: return [...head, d.subtype, d.cutoff, d.rLow];
      case 24: case 25: return [...head, d.subtype, d.cutoff, d.rLow, d.angleLeft, d.angleRight];
    }
  }
  const before = (a: (number | string)[], b: (number | string)[]): number => {
    for (let k = 0; k < Math.min(a.length, b.length); ++k) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
    return 0;
  };
  const all = [...gaussianDefinitions(), ...compactDefinitions(true)];

  it('definitionsOf follows n2p2 order whatever the input order, and the columns follow definitionsOf', () => {
    const random = seededRandom(3);
    const shuffled = [...all].sort(() => random() - 0.5);
    const a = new SymmetryFunctions(all), b = new SymmetryFunctions(shuffled);
    for (const e of ELEMENTS) {
      const defs = b.definitionsOf(e);
      expect(defs).toEqual(a.definitionsOf(e));
      expect(defs.length).toBe(all.filter((d) => d.element === e).length);
      for (let k = 1; k < defs.length; ++k) expect(before(key(defs[k - 1]), key(defs[k])), `${e} ${k}`).toBeLessThanOrEqual(0);
    }
    expect(b.elements).toEqual(['H', 'O', 'Zn']);
    const s = structures()[0][1];
    const ra = a.compute(s), rb = b.compute(s);
    for (const e of ELEMENTS) expect(Array.from(rb.values[e].data)).toEqual(Array.from(ra.values[e].data));
  });

  it('the H2O example of spec §1.6: r_c, η, r_s, then the neighbour element; angular neighbours swapped', () => {
    const lines = [
      'H 2 O 0.15 0.9 12', 'H 2 H 0.15 1.9 12', 'H 2 O 0.001 0.0 12', 'H 2 H 0.001 0.0 12',
      'O 3 O H 0.01 1 4 12', 'O 3 H H 0.01 1 4 12', 'O 9 H O 0.01 -1 4 12', 'O 2 H 0.01 0 11',
    ];
    const defs = lines.map((line) => {
      const fields = line.split(' ');
      return symmetryFunctionFromFields(fields, (k) => Number(fields[k]));
    });
    const sf = new SymmetryFunctions(defs);
    const h = sf.definitionsOf('H').map((d) => [(d as { neighbor: string }).neighbor, (d as { eta: number }).eta, (d as { rShift: number }).rShift]);
    expect(h).toEqual([['H', 0.001, 0], ['O', 0.001, 0], ['O', 0.15, 0.9], ['H', 0.15, 1.9]]);
    const o = sf.definitionsOf('O');
    expect(o.map((d) => d.type)).toEqual([2, 3, 3, 9]);
    expect((o[1] as { neighbors: string[] }).neighbors).toEqual(['H', 'H']);
    expect((o[2] as { neighbors: string[] }).neighbors).toEqual(['H', 'O']); // 'O 3 O H' ≡ 'O 3 H O'
  });

  it('toN2p2() writes lines that parse back to the same definitions and cutoff', () => {
    const sf = new SymmetryFunctions(all, { cutoffFunction: { type: 4, alpha: 0.3 } });
    const lines = sf.toN2p2().trimEnd().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['cutoff_type', '4', '0.3']);
    expect(lines.length).toBe(all.length + 1);
    const parsed = lines.slice(1).map((line) => {
      const fields = line.trim().split(/\s+/);
      expect(fields[0]).toBe('symfunction_short');
      const rest = fields.slice(1);
      return symmetryFunctionFromFields(rest, (k) => {
        const x = Number(rest[k]);
        expect(Number.isFinite(x)).toBe(true);
        return x;
      });
    });
    expect(parsed).toEqual([...sf.definitions]);
    const again = new SymmetryFunctions(parsed, { cutoffFunction: { type: Number(lines[0].split(/\s+/)[1]), alpha: Number(lines[0].split(/\s+/)[2]) } });
    expect(again.toN2p2()).toBe(sf.toN2p2());
  });
});

describe('symmetry functions: errors', () => {
  const sf = new SymmetryFunctions([{ type: 2, element: 'O', neighbor: 'H', eta: 0.1, rShift: 0, cutoff: 4 }]);

  it('an element the functions do not cover is E_ELEMENT (sync and async)', async () => {
    const s = new Structure({ symbols: ['O', 'Zn'], positions: [[0, 0, 0], [1.5, 0, 0]] });
    expectCode(() => sf.compute(s), 'E_ELEMENT');
    await expect(sf.computeAsync(s)).rejects.toMatchObject({ code: 'E_ELEMENT' });
    expectCode(() => sf.count('Zn'), 'E_ELEMENT');
    expectCode(() => new SymmetryFunctions([{ type: 2, element: 'O', neighbor: 'H', eta: 0, rShift: 0, cutoff: 4 }], { elements: ['O'] }), 'E_ELEMENT');
  });

  it('an empty structure is E_EMPTY', async () => {
    const empty = new Structure({ positions: [], symbols: [] });
    expectCode(() => sf.compute(empty), 'E_EMPTY');
    expectCode(() => sf.compute(empty, { derivatives: true }), 'E_EMPTY');
    await expect(sf.computeAsync(empty)).rejects.toMatchObject({ code: 'E_EMPTY' });
  });

  it('bad definitions and cutoff functions are E_VALUE', () => {
    const radial = { type: 2, element: 'O', neighbor: 'H', eta: 0.1, rShift: 0, cutoff: 4 };
    const angular = { type: 21, element: 'O', neighbors: ['H', 'O'], rLow: 1, cutoff: 4, angleLeft: 0, angleRight: 90, subtype: 'p2' };
    const bad: Record<string, unknown>[] = [
      { ...radial, cutoff: 0 }, { ...radial, cutoff: -1 }, { ...radial, cutoff: Infinity }, { ...radial, eta: -0.1 },
      { ...radial, eta: NaN }, { ...radial, rShift: undefined }, { ...radial, type: 7 }, { ...radial, type: 26 },
      { type: 3, element: 'O', neighbors: ['H', 'O'], eta: 0.1, lambda: 1, zeta: 0.5, cutoff: 4, rShift: 0 },
      { type: 13, element: 'O', eta: 0.1, rShift: 0, lambda: 1, zeta: 0, cutoff: 4 },
      { ...angular, rLow: 4 }, { ...angular, rLow: 5 }, { ...angular, subtype: 'p5' }, { ...angular, subtype: 'x' },
      { ...angular, subtype: 'p2b' }, { ...angular, angleLeft: 90, angleRight: 90 }, { ...angular, angleLeft: 100, angleRight: 50 },
      { ...angular, angleLeft: -30, angleRight: 90 }, { ...angular, angleLeft: 100, angleRight: 200 },
      { ...angular, angleLeft: -200, angleRight: 200 }, { ...angular, neighbors: ['H'] },
    ];
    for (const d of bad) expectCode(() => new SymmetryFunctions([d as unknown as SymmetryFunctionDefinition]), 'E_VALUE');
    for (const cutoffFunction of [{ type: 9, alpha: 0 }, { type: -1, alpha: 0 }, { type: 1.5, alpha: 0 }, { type: 1, alpha: 1 }, { type: 1, alpha: -0.1 }, { type: 1, alpha: NaN }]) {
      expectCode(() => new SymmetryFunctions([radial as SymmetryFunctionDefinition], { cutoffFunction }), 'E_VALUE');
    }
    expectCode(() => new SymmetryFunctions([]), 'E_VALUE');
    expectCode(() => new SymmetryFunctions([radial as SymmetryFunctionDefinition], { lengthUnit: -1 }), 'E_UNIT');
  });

  it('overlapping atoms (also an atom on the image of another) are E_VALUE', async () => {
    const both = new SymmetryFunctions([
      { type: 2, element: 'O', neighbor: 'H', eta: 0.1, rShift: 0, cutoff: 4 },
      { type: 2, element: 'H', neighbor: 'O', eta: 0.1, rShift: 0, cutoff: 4 },
    ]);
    const same = new Structure({ symbols: ['O', 'H', 'H'], positions: [[0, 0, 0], [1, 0, 0], [1, 0, 0]] });
    expectCode(() => both.compute(same), 'E_VALUE');
    expectCode(() => both.compute(same, { derivatives: true }), 'E_VALUE');
    await expect(both.computeAsync(same)).rejects.toMatchObject({ code: 'E_VALUE' });
    try {
      both.compute(same);
    } catch (error) {
      expect((error as PolymorphError).message).toMatch(/atoms 1 and 2|atoms 2 and 1/);
    }
    const cell = [[5, 0, 0], [0.5, 5, 0], [0.2, 0.3, 5]];
    const imaged = new Structure({ symbols: ['O', 'H'], positions: [[0.5, 0.5, 0.5], [5.5, 0.5, 0.5]], cell, pbc: true });
    expectCode(() => sf.compute(imaged), 'E_VALUE');
    expectCode(() => sf.compute(imaged, { derivatives: true }), 'E_VALUE');
    // The same pair far apart in an open cell is fine.
    const open = new Structure({ symbols: ['O', 'H'], positions: [[0.5, 0.5, 0.5], [5.5, 0.5, 0.5]], cell, pbc: false });
    expect(sf.compute(open).values.O.get(0, 0)).toBe(0);
  });

  // Regression: overlaps used to be noticed only within the central element's cutoff, so two atoms
  // of an element without functions (here H) passed silently.
  it('overlapping atoms of an element without functions are E_VALUE', () => {
    const same = new Structure({ symbols: ['O', 'H', 'H'], positions: [[0, 0, 0], [1, 0, 0], [1, 0, 0]] });
    expectCode(() => sf.compute(same), 'E_VALUE');
    expectCode(() => sf.compute(same, { derivatives: true }), 'E_VALUE');
  });

  // An atom put on a lattice translate of another (r_1 = r_0 + b in floating point) is found
  // ~1e-16 Å away; its unit vector would be rounding noise and ∂G/∂d ~1e15, so it is an overlap.
  it('an atom on a periodic image of another up to rounding is E_VALUE', () => {
    const withAngles = new SymmetryFunctions([
      { type: 2, element: 'O', neighbor: 'H', eta: 0.1, rShift: 0, cutoff: 4 },
      { type: 9, element: 'O', neighbors: ['H', 'H'], eta: 0.1, lambda: 1, zeta: 1, cutoff: 4, rShift: 0 },
    ]);
    const cell = [[4.4, 0.22, 0], [0.66, 2.09, 0.11], [-0.44, 0.55, 2.31]];
    const p0 = [0.123, 0.456, 0.789];
    const s = new Structure({ symbols: ['O', 'H', 'H'], positions: [p0, p0.map((x, a) => x + cell[1][a]), [1.3, 0.2, 0.4]], cell, pbc: true });
    expectCode(() => withAngles.compute(s, { derivatives: true }), 'E_VALUE');
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * The rounding noise allowed when the same G is computed from geometry rounded differently
 * (rotated, translated, other units): 1e-12 of the sum of its terms without their cutoff and
 * compact factors (see referenceFunction).
 */
function roundingFloor(sf: SymmetryFunctions, s: Structure): number[][] {
  return referenceValues(sf, s).floors.map((row) => row.map((x) => 10 * x));
}

function translate(s: Structure, shift: number[]): Structure {
  const out = s.clone();
  for (let i = 0; i < s.length; ++i) for (let a = 0; a < 3; ++a) out.positions.set(i, a, s.positions.get(i, a) + shift[a]);
  return out;
}

/** Bit-for-bit equal values, rows, slots and derivatives. */
function expectSameResult(actual: SymmetryFunctionResults, expected: SymmetryFunctionResults, what: string): void {
  for (const e of Object.keys(expected.values)) {
    expect(Array.from(actual.atoms[e]), `${what} ${e} atoms`).toEqual(Array.from(expected.atoms[e]));
    expect(Array.from(actual.values[e].data), `${what} ${e} values`).toEqual(Array.from(expected.values[e].data));
    if (expected.derivatives) {
      const a = actual.derivatives![e], b = expected.derivatives[e];
      expect(Array.from(a.start), `${what} ${e} start`).toEqual(Array.from(b.start));
      expect(Array.from(a.neighbor), `${what} ${e} neighbor`).toEqual(Array.from(b.neighbor));
      expect(Array.from(a.vector.data), `${what} ${e} vector`).toEqual(Array.from(b.vector.data));
      expect(Array.from(a.derivative.data), `${what} ${e} derivative`).toEqual(Array.from(b.derivative.data));
    }
  }
}

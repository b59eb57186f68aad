import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { crystal, crystalNames } from '../../lib/build/crystal';
import { fcc, fromFractional, rattle, wurtzite } from '../../lib/build/crystals';
import { droplet, insertSeed } from '../../lib/build/droplet';
import { supercell } from '../../lib/build/supercell';
import { cubane } from '../../lib/build/zinc-oxide-polymorphs';
import { groupIndices } from '../../lib/md/groups';
import { cellParameters } from '../../lib/structure/cell';
import { NeighborList } from '../../lib/structure/neighbor-list';
import type { Structure } from '../../lib/structure/structure';
import { errorCode, sharedData } from '../helpers';

const reference = JSON.parse(fs.readFileSync(path.join(sharedData, 'reference', 'structures', 'zno_polymorphs.json'), 'utf8')) as Record<string, {
  cellpar: number[]; frac_positions: number[][]; species: string[]; volume_per_ZnO_A3: number;
}>;

/** Fractional positions per species, wrapped to [0, 1) and rounded, as sorted strings (a set to compare). */
function sites(s: Structure): string[] {
  const f = s.scaledPositions();
  return Array.from({ length: s.length }, (_, i) => `${s.symbols[i]} ${[0, 1, 2].map((k) => {
    const x = f.get(i, k) - Math.floor(f.get(i, k));
    return (Math.abs(x - 1) < 5e-6 ? 0 : x).toFixed(5);
  }).join(' ')}`).sort();
}

/** Neighbour counts within `cutoff` (Å), and whether every neighbour is of the other species. */
function shells(s: Structure, cutoff: number): { counts: number[]; hetero: boolean } {
  const list = NeighborList.build(s, cutoff);
  const counts: number[] = [];
  let hetero = true;
  for (let i = 0; i < s.length; ++i) {
    counts.push(list.rowPtr[i + 1] - list.rowPtr[i]);
    for (let p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) hetero &&= s.numbers[list.neighbors[p]] !== s.numbers[i];
  }
  return { counts, hetero };
}

describe('crystal(name): the ZnO polymorphs of the reference data', () => {
  const cases: [string, string, Record<string, number>][] = [
    ['wurtzite', 'wurtzite', {}], ['zincblende', 'zincblende', {}], ['rocksalt', 'rocksalt', {}], ['h-BN', 'hBN', {}],
    ['BCT', 'BCT', {}], ['bct', 'BCT_betaBeO_scaled', { a: 5.46, c: 3.15, x: 0.336, xAnion: 0.31 }], ['sodalite', 'sodalite', {}],
  ];
  for (const [name, key, options] of cases) {
    it(`${name}: cell, sites and volume per ZnO as ${key}`, () => {
      const s = crystal(name, options);
      const ref = reference[key];
      cellParameters(s.cell!.data).forEach((p, k) => expect(p).toBeCloseTo(ref.cellpar[k], 9));
      const refSites = fromFractional([[1, 0, 0], [0, 1, 0], [0, 0, 1]], ref.frac_positions, ref.species);
      expect(sites(s)).toEqual(sites(refSites));
      expect(s.volume / (s.length / 2)).toBeCloseTo(ref.volume_per_ZnO_A3, 2);
    });
  }

  it('coordination within 2.6 Å: 4 (wurtzite, zincblende, BCT, sodalite, cubane), 6 (rocksalt), 3 + 2 (h-BN), always Zn–O', () => {
    const want: Record<string, number> = { wurtzite: 4, zincblende: 4, BCT: 4, sodalite: 4, cubane: 4, rocksalt: 6, hBN: 5 };
    for (const [name, cn] of Object.entries(want)) {
      const { counts, hetero } = shells(crystal(name).repeat(2), 2.6);
      expect(new Set(counts)).toEqual(new Set([cn]));
      expect(hetero).toBe(true);
    }
    // h-BN: 3 in the plane, 2 along c
    const hbn = crystal('hBN').repeat(2);
    const list = NeighborList.build(hbn, 2.6);
    const d = Array.from(list.distances.subarray(list.rowPtr[0], list.rowPtr[1])).sort();
    expect(d.slice(0, 3).map((x) => +x.toFixed(4))).toEqual(Array(3).fill(+(3.45 / Math.sqrt(3)).toFixed(4)));
    expect(d.slice(3).map((x) => +x.toFixed(4))).toEqual([2.23, 2.23]);
  });

  it('cubane: Zn₄O₄ cubes of edge `bond` on a bcc lattice, each ion with three bonds in its cube (90°) and one out of it (125.26°)', () => {
    const bond = 1.98;
    const s = cubane(['Zn', 'O'], bond);
    expect(s.length).toBe(16);
    expect(s.cell!.get(0, 0)).toBeCloseTo(2 * bond * (1 + 1 / Math.sqrt(3)), 12);
    const big = s.repeat(2);
    const list = NeighborList.build(big, 2.6);
    for (let i = 0; i < big.length; ++i) {
      const vectors: number[][] = [];
      for (let p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
        expect(list.distances[p]).toBeCloseTo(bond, 12);
        vectors.push([0, 1, 2].map((a) => list.vectors[3 * p + a] / bond));
      }
      expect(vectors.length).toBe(4);
      const angles: number[] = [];
      for (let a = 0; a < 4; ++a) for (let b = 0; b < a; ++b) {
        angles.push((Math.acos(vectors[a][0] * vectors[b][0] + vectors[a][1] * vectors[b][1] + vectors[a][2] * vectors[b][2]) * 180) / Math.PI);
      }
      angles.sort((x, y) => x - y);
      [90, 90, 90].forEach((x, k) => expect(angles[k]).toBeCloseTo(x, 9));
      angles.slice(3).forEach((x) => expect(x).toBeCloseTo((Math.acos(-1 / Math.sqrt(3)) * 180) / Math.PI, 9));
    }
    // Nothing else closer than the cube's face diagonal √2·bond.
    const second = NeighborList.build(big, Math.SQRT2 * bond - 1e-6);
    expect(second.rowPtr[big.length]).toBe(4 * big.length);
  });

  it('one-element lattices need their element and a; binary ones take other elements; unknown names and unused parameters are errors', () => {
    expect(crystal('fcc', { elements: 'Al', a: 4.05 }).length).toBe(4);
    expect(crystal('hcp', { elements: 'Mg', a: 3.21, c: 5.21 }).cell!.get(2, 2)).toBeCloseTo(5.21, 12);
    expect(crystal('SC', { elements: 'Po', a: 3.35 }).length).toBe(1);
    expect(crystal('diamond', { elements: 'Si', a: 5.43 }).length).toBe(8);
    expect(crystal('bcc', { elements: 'Fe', a: 2.87 }).length).toBe(2);
    expect(crystal('wurtzite', { elements: ['Ga', 'N'], a: 3.189, c: 5.185, u: 0.377 }).symbols).toEqual(['Ga', 'Ga', 'N', 'N']);
    for (const name of crystalNames) if (!['fcc', 'bcc', 'hcp', 'sc', 'diamond'].includes(name)) expect(crystal(name).formula).toMatch(/^(Zn\d*O\d*|O\d*Zn\d*)$/);
    expect(errorCode(() => crystal('perovskite'))).toBe('E_VALUE');
    expect(errorCode(() => crystal('fcc', { a: 4 }))).toBe('E_VALUE');
    expect(errorCode(() => crystal('fcc', { elements: 'Al' }))).toBe('E_VALUE');
    expect(errorCode(() => crystal('fcc', { elements: 'Xx', a: 4 }))).toBe('E_VALUE');
    expect(errorCode(() => crystal('rocksalt', { c: 4 }))).toBe('E_VALUE');
    expect(errorCode(() => crystal('wurtzite', { u: 1.2 }))).toBe('E_VALUE');
    expect(errorCode(() => crystal('sodalite', { a: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => crystal('sodalite', { lattice: 5 } as never))).toBe('E_VALUE');
  });
});

describe('supercell', () => {
  it('an integer or three repeat; a matrix builds the cell P·cell with |det P|·N atoms, the same crystal', () => {
    const a = 4.05;
    const conventional = fcc('Al', a);
    expect(supercell(conventional, 2).length).toBe(32);
    expect(supercell(conventional, [1, 2, 3]).length).toBe(24);
    const primitive = fromFractional([[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]], [[0, 0, 0]], ['Al']);
    const cube = supercell(primitive, [[-1, 1, 1], [1, -1, 1], [1, 1, -1]]);
    expect(cube.length).toBe(4);
    for (let i = 0; i < 3; ++i) for (let k = 0; k < 3; ++k) expect(cube.cell!.get(i, k)).toBeCloseTo(i === k ? a : 0, 12);
    expect(sites(cube)).toEqual(sites(conventional));
    // Wurtzite in an orthorhombic cell (a, √3 a, c): 8 atoms, the same neighbour shells.
    const w = wurtzite();
    const ortho = supercell(w, [[1, 0, 0], [1, 2, 0], [0, 0, 1]]);
    expect(ortho.length).toBe(8);
    expect(ortho.cell!.get(1, 0)).toBeCloseTo(0, 12);
    expect(ortho.cell!.get(1, 1)).toBeCloseTo(Math.sqrt(3) * 3.2496, 12);
    const shell = (s: Structure): number[] => Array.from(NeighborList.build(s, 3.3).distances).map((d) => +d.toFixed(8)).sort();
    const one = shell(w.repeat(2)), two = shell(supercell(ortho, [2, 1, 2]));
    expect(two.length).toBe(one.length);
    expect(two).toEqual(one);
    // A left-handed matrix (det −1) is a valid basis too.
    expect(supercell(w, [[0, 1, 0], [1, 0, 0], [0, 0, 1]]).length).toBe(4);
    expect(errorCode(() => supercell(w, [[1, 0, 0], [2, 0, 0], [0, 0, 1]]))).toBe('E_VALUE');
    expect(errorCode(() => supercell(w, [[1.5, 0, 0], [0, 1, 0], [0, 0, 1]]))).toBe('E_VALUE');
    expect(errorCode(() => supercell(droplet(w, 6), 2))).toBe('E_CELL');
  });
});

describe('droplet', () => {
  it('a stoichiometric sphere, centred at the origin, without a cell', () => {
    const d = droplet(crystal('wurtzite'), 10);
    expect(d.cell).toBeNull();
    expect(d.pbc).toEqual([false, false, false]);
    const zn = d.symbols.filter((x) => x === 'Zn').length;
    expect(zn).toBe(d.length - zn);
    let far = 0;
    for (let i = 0; i < d.length; ++i) far = Math.max(far, Math.hypot(d.positions.get(i, 0), d.positions.get(i, 1), d.positions.get(i, 2)));
    expect(far).toBeLessThanOrEqual(10);
    // About (4/3)π R³ / (V per atom) atoms.
    const expected = (4 / 3) * Math.PI * 1000 / (23.7966 / 2);
    expect(Math.abs(d.length - expected) / expected).toBeLessThan(0.1);
    const exact = droplet(crystal('rocksalt'), { atoms: 500 });
    expect(exact.length).toBe(500);
    expect(exact.symbols.filter((x) => x === 'O').length).toBe(250);
    // From an open cluster too (a droplet of a droplet), velocities carried.
    const inner = droplet(d, { atoms: 100 });
    expect(inner.length).toBe(100);
    expect(errorCode(() => droplet(crystal('rocksalt'), { atoms: 501 }))).toBe('E_VALUE');
    expect(errorCode(() => droplet(crystal('rocksalt'), { radius: 3, atoms: 10 }))).toBe('E_VALUE');
    expect(errorCode(() => droplet(crystal('rocksalt'), 0))).toBe('E_VALUE');
    expect(errorCode(() => droplet(d, { atoms: d.length + 2 }))).toBe('E_VALUE');
  });
});

describe('insertSeed', () => {
  it('replaces the host atoms where the seed goes, keeps the composition, no overlaps, reports the seed as an MD group', () => {
    const host = droplet(rattle(crystal('rocksalt').repeat(5), 0.3, 4), { atoms: 1000 });
    const { structure, seed } = insertSeed(host, crystal('wurtzite'), { atoms: 120 });
    expect(seed.length).toBe(120);
    expect(Array.from(seed)).toEqual(Array.from({ length: 120 }, (_, k) => structure.length - 120 + k));
    const zn = structure.symbols.filter((x) => x === 'Zn').length;
    expect(zn).toBe(structure.length - zn);
    // The seed is the wurtzite droplet, moved to the host's centroid.
    const alone = droplet(crystal('wurtzite'), { atoms: 120 });
    const centroid = [0, 1, 2].map((k) => { let s = 0; for (let i = 0; i < host.length; ++i) s += host.positions.get(i, k); return s / host.length; });
    for (let k = 0; k < 120; ++k) for (let a = 0; a < 3; ++a) expect(structure.positions.get(seed[k], a)).toBeCloseTo(alone.positions.get(k, a) + centroid[a], 10);
    // No host atom closer to a seed atom than 0.9 × the seed's shortest distance (Zn–O 1.974 Å).
    let closest = Infinity;
    for (let i = 0; i < structure.length - 120; ++i) for (const k of seed) {
      closest = Math.min(closest, Math.hypot(...[0, 1, 2].map((a) => structure.positions.get(i, a) - structure.positions.get(k, a)) as [number, number, number]));
    }
    expect(closest).toBeGreaterThanOrEqual(0.9 * 1.9743);
    expect(Array.from(groupIndices(seed, structure, 'seed'))).toEqual(Array.from(seed));
  });

  it('in a periodic host, through the cell boundary: the composition holds and images are respected', () => {
    const host = rattle(crystal('zincblende').repeat(4), 0.2, 9);
    const corner: [number, number, number] = [0.5, 0.5, 0.5];
    const { structure, seed } = insertSeed(host, crystal('rocksalt'), { radius: 4, center: corner, minDistance: 1.8 });
    expect(structure.cell!.data).toEqual(host.cell!.data);
    const zn = structure.symbols.filter((x) => x === 'Zn').length;
    expect(zn).toBe(structure.length - zn);
    const list = NeighborList.build(structure, 1.8 - 1e-9);
    for (const k of seed) {
      for (let p = list.rowPtr[k]; p < list.rowPtr[k + 1]; ++p) expect(seed.includes(list.neighbors[p])).toBe(true);
    }
    expect(errorCode(() => insertSeed(host, crystal('rocksalt'), {} as never))).toBe('E_VALUE');
    expect(errorCode(() => insertSeed(host, crystal('rocksalt'), { radius: 3, center: [0, 0] as never }))).toBe('E_VALUE');
  });
});

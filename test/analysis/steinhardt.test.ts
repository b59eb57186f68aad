import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { steinhardt, steinhardtAsync, SteinhardtOptions } from '../../lib/analysis';
import { bcc, diamond, fcc, hcp, simpleCubic, wurtzite } from '../../lib/build/crystals';
import { setNumThreads } from '../../lib/core/threads';
import { read, write } from '../../lib/io';
import { Structure } from '../../lib/structure/structure';
import { errorCode, findLammps, sharedData } from '../helpers';
import { cluster, triclinicCrystal } from '../potentials/structures';

const structures = path.join(sharedData, 'reference', 'structures');
type Entry = Record<string, number | number[]>;
const reference = JSON.parse(fs.readFileSync(path.join(structures, 'ql_reference.json'), 'utf8')).steinhardt as Record<string, Entry>;

/** The 13-atom icosahedron (centre first), open boundaries. */
function icosahedron(): Structure {
  const g = (1 + Math.sqrt(5)) / 2;
  const positions = [[0, 0, 0]];
  for (let a = 0; a < 3; ++a)
    for (const p of [-1, 1])
      for (const q of [-1, 1]) {
        const v = [0, 0, 0];
        v[(a + 1) % 3] = p;
        v[(a + 2) % 3] = q * g;
        positions.push(v.map((x) => (2.5 * x) / Math.hypot(1, g)));
      }
  return new Structure({ positions, symbols: Array(13).fill('Cu'), pbc: false });
}

const lattices: Record<string, () => Structure> = {
  fcc: () => fcc('Cu', 3.6).repeat([2, 2, 2]),
  bcc: () => bcc('Fe', 2.9).repeat([2, 2, 2]),
  sc: () => simpleCubic('Po', 3.3).repeat([3, 3, 3]),
  hcp: () => hcp('Mg', 3.2).repeat([2, 2, 2]),
  diamond: () => diamond('C', 3.57).repeat([2, 2, 2]),
  // Hexagonal diamond: wurtzite with ideal c/a and u = 3/8, one element.
  hex_diamond: () => wurtzite(['C', 'C'], 2.5, 2.5 * Math.sqrt(8 / 3), 3 / 8).repeat([2, 2, 2]),
};

/** Splits a reference key ('fcc/N=12', 'bcc/voronoi-weighted') into a structure and neighbours. */
function caseOf(key: string): { structure: Structure; neighbors: SteinhardtOptions['neighbors']; rows: number[] } {
  if (key.startsWith('icosahedron')) return { structure: icosahedron(), neighbors: { count: 12 }, rows: [0] };
  const [name, spec] = key.split('/');
  const structure = lattices[name]();
  const rows = Array.from({ length: structure.length }, (_, i) => i);
  return { structure, neighbors: spec === 'voronoi-weighted' ? { voronoi: true } : { count: Number(spec.slice(2)) }, rows };
}

describe('steinhardt: ideal lattices (ql_reference.json)', () => {
  for (const [key, entry] of Object.entries(reference)) {
    it(`${key}: q_l, q̄_l, ŵ_l, w̄_l to 1e-6`, () => {
      const { structure, neighbors, rows } = caseOf(key);
      const families: [string, { average: boolean; wl: boolean }][] = [
        ['q', { average: false, wl: false }], ['qbar', { average: true, wl: false }],
        ['w', { average: false, wl: true }], ['wbar', { average: true, wl: true }],
      ];
      let compared = 0;
      for (const [prefix, flags] of families) {
        const degrees = Object.keys(entry).filter((k) => new RegExp(`^${prefix}\\d+$`).test(k)).map((k) => Number(k.slice(prefix.length)));
        if (degrees.length === 0) continue;
        const values = steinhardt(structure, { l: degrees, neighbors, ...flags });
        for (const i of rows) {
          degrees.forEach((l, c) => {
            expect(Math.abs(values.get(i, c) - (entry[`${prefix}${l}`] as number)), `${prefix}${l} atom ${i}`).toBeLessThanOrEqual(1e-6);
          });
          if (entry.n_voronoi_faces) expect(values.neighborCounts[i]).toBe((entry.n_voronoi_faces as number[])[0]);
        }
        compared += degrees.length;
      }
      expect(compared).toBeGreaterThan(10);
    });
  }
});

describe('steinhardt: ZnO polymorph SGMA features at T = 0 (zno_polymorphs.json)', () => {
  const phases = JSON.parse(fs.readFileSync(path.join(structures, 'zno_polymorphs.json'), 'utf8')) as Record<string, {
    features_l2_to_l8: Record<string, { q: number[]; qbar: number[]; n_voronoi: number }[]>;
  }>;
  for (const [phase, data] of Object.entries(phases)) {
    it(`${phase}: Voronoi-weighted q'2…q'8 and averages, all species and homonuclear`, () => {
      const s = read(path.join(structures, `${phase}.xyz`)).repeat([2, 2, 2]);
      const l = [2, 3, 4, 5, 6, 7, 8];
      for (const species of ['all', 'same'] as const) {
        const q = steinhardt(s, { l, neighbors: { voronoi: true }, species });
        const qbar = steinhardt(s, { l, neighbors: { voronoi: true }, species, average: true });
        for (const element of ['Zn', 'O']) {
          const sites = data.features_l2_to_l8[`${species === 'all' ? 'all' : 'homo'}/${element}`];
          const matched = new Set<number>();
          s.symbols.forEach((symbol, i) => {
            if (symbol !== element) return;
            // The reference lists symmetry-distinct sites (5 decimals): each atom matches one.
            const site = sites.findIndex((ref) => ref.n_voronoi === q.neighborCounts[i] &&
              l.every((_, c) => Math.abs(q.get(i, c) - ref.q[c]) <= 5.1e-6 && Math.abs(qbar.get(i, c) - ref.qbar[c]) <= 5.1e-6));
            expect(site, `${phase} ${species} ${element} atom ${i}: q ${l.map((_, c) => q.get(i, c).toFixed(6))} qbar ${l.map((_, c) => qbar.get(i, c).toFixed(6))} n ${q.neighborCounts[i]}`).toBeGreaterThanOrEqual(0);
            matched.add(site);
          });
          expect(matched.size).toBe(sites.length);
        }
      }
    });
  }
});

describe('steinhardt: per-atom q_l equal LAMMPS compute orientorder/atom', () => {
  const lmp = findLammps();
  it.skipIf(!lmp)(`rattled triclinic cell, cutoff 3.3 Å, q2…q8 and ŵ2…ŵ8 to 1e-10${lmp ? '' : ' (skipped: no lmp on PATH)'}`, () => {
    const s = triclinicCrystal({ symbols: ['Cu'], spacing: 2.55, rattle: 0.25, seed: 5, repeat: [6, 5, 4] });
    const cutoff = 3.3;
    const l = [2, 3, 4, 5, 6, 7, 8];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-steinhardt-'));
    write(path.join(dir, 'data.lmp'), s, { format: 'lammps-data' });
    fs.writeFileSync(path.join(dir, 'in.q'), [
      'units metal', 'atom_style atomic', 'boundary p p p', 'read_data data.lmp',
      `pair_style zero ${cutoff + 1}`, 'pair_coeff * *',
      `compute q all orientorder/atom degrees ${l.length} ${l.join(' ')} nnn NULL cutoff ${cutoff} wl/hat yes`,
      'dump d all custom 1 q.dump id c_q[*]', 'dump_modify d sort id format float %.17g', 'run 0',
    ].join('\n'));
    execFileSync(lmp!, ['-in', 'in.q', '-log', 'none', '-screen', 'none'], { cwd: dir });
    const lines = fs.readFileSync(path.join(dir, 'q.dump'), 'utf8').trim().split('\n');
    const rows = lines.slice(lines.findIndex((x) => x.startsWith('ITEM: ATOMS')) + 1).map((x) => x.trim().split(/\s+/).map(Number));
    expect(rows.length).toBe(s.length);
    const q = steinhardt(s, { l, neighbors: { cutoff } });
    const w = steinhardt(s, { l, neighbors: { cutoff }, wl: true });
    let worstQ = 0, worstW = 0;
    for (const row of rows) {
      const i = row[0] - 1;
      l.forEach((_, c) => {
        worstQ = Math.max(worstQ, Math.abs(row[1 + c] - q.get(i, c)));
        worstW = Math.max(worstW, Math.abs(row[1 + l.length + c] - w.get(i, c)));
      });
    }
    console.log(`LAMMPS orientorder/atom vs steinhardt: max |dq| = ${worstQ.toExponential(2)}, max |dw| = ${worstW.toExponential(2)} over ${rows.length} atoms`);
    expect(worstQ).toBeLessThanOrEqual(1e-10);
    expect(worstW).toBeLessThanOrEqual(1e-10);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('steinhardt: threads, async, neighbours', () => {
  const s = triclinicCrystal({ symbols: ['Zn', 'O'], spacing: 2.5, rattle: 0.3, seed: 2, repeat: [4, 4, 3] });
  it('one and two threads give bitwise identical results; async equals sync', async () => {
    for (const neighbors of [{ cutoff: 3.2 }, { count: 12 }, { voronoi: true as const }]) {
      for (const species of ['all', 'same'] as const) {
        const options: SteinhardtOptions = { neighbors, average: true, species };
        setNumThreads(1);
        const one = steinhardt(s, options);
        setNumThreads(2);
        const two = steinhardt(s, options);
        expect(Buffer.from(two.data.buffer).equals(Buffer.from(one.data.buffer))).toBe(true);
        const later = await steinhardtAsync(s, options);
        expect(Array.from(later.data)).toEqual(Array.from(one.data));
        expect(Array.from(later.neighborCounts)).toEqual(Array.from(one.neighborCounts));
      }
    }
    setNumThreads(0);
  });

  it('{ count } takes the N nearest; species "same" sees only its own element', () => {
    const q = steinhardt(s, { l: 6, neighbors: { count: 7 } });
    expect(q.shape).toEqual([s.length, 1]);
    expect(q.degrees).toEqual([6]);
    expect(Array.from(q.neighborCounts).every((c) => c === 7)).toBe(true);
    // Rocksalt's cation sub-lattice is fcc: q6 (12 nearest of the same species) = 0.574524.
    const rs = read(path.join(structures, 'rocksalt.xyz')).repeat([2, 2, 2]);
    const same = steinhardt(rs, { l: 6, neighbors: { count: 12 }, species: 'same' });
    for (let i = 0; i < rs.length; ++i) expect(same.get(i, 0)).toBeCloseTo(0.574524, 6);
    const all = steinhardt(rs, { l: 6, neighbors: { count: 6 } });
    for (let i = 0; i < rs.length; ++i) expect(all.get(i, 0)).toBeCloseTo(Math.sqrt(1 / 8), 12);
  });

  it('atoms without neighbours get NaN and neighborCounts 0 (open cluster, an evaporated atom)', () => {
    const c = cluster({ symbols: ['Cu'], spacing: 2.5, count: 13, seed: 1 });
    const positions = [...Array.from({ length: c.length }, (_, i) => [0, 1, 2].map((a) => c.positions.get(i, a))), [30, 0, 0]];
    const withAtom = new Structure({ positions, symbols: Array(positions.length).fill('Cu'), pbc: false });
    for (const neighbors of [{ cutoff: 3.0 }, { voronoi: true as const }]) {
      const q = steinhardt(withAtom, { l: [4, 6], neighbors, average: true });
      const last = withAtom.length - 1;
      expect(q.neighborCounts[last]).toBe(0);
      expect(Number.isNaN(q.get(last, 0)) && Number.isNaN(q.get(last, 1))).toBe(true);
      expect(q.neighborCounts[0]).toBe(12);
      expect(Number.isFinite(q.get(0, 1))).toBe(true);
    }
  });
});

describe('steinhardt: bad input', () => {
  const s = fcc('Cu', 3.6);
  const code = (options: unknown, structure: unknown = s) => errorCode(() => steinhardt(structure as Structure, options as SteinhardtOptions));
  it('answers with typed PolymorphErrors', async () => {
    expect(code({ neighbors: { cutoff: 3 } }, new Structure({ positions: [], numbers: [] }))).toBe('E_EMPTY');
    expect(code({ neighbors: { cutoff: 3 } }, { positions: [] })).toBe('E_TYPE');
    expect(code(undefined)).toBe('E_VALUE');
    expect(code({})).toBe('E_VALUE');
    for (const l of [-1, 21, 2.5, [], [4, 'x'], 'six', NaN]) expect(code({ l, neighbors: { cutoff: 3 } })).toBe('E_VALUE');
    expect(code({ neighbors: { cutoff: -1 } })).toBe('E_VALUE');
    expect(code({ neighbors: { cutoff: Infinity } })).toBe('E_VALUE');
    expect(code({ neighbors: { count: 0 } })).toBe('E_VALUE');
    expect(code({ neighbors: { count: 2.5 } })).toBe('E_VALUE');
    expect(code({ neighbors: { cutoff: 3, count: 12 } })).toBe('E_VALUE');
    expect(code({ neighbors: { voronoi: false } })).toBe('E_VALUE');
    expect(code({ neighbors: { voronoi: true, areaThreshold: 1.5 } })).toBe('E_VALUE');
    expect(code({ neighbors: { voronoi: true, openBoundary: -2 } })).toBe('E_VALUE');
    expect(code({ neighbors: { cutoff: 3, areaThreshold: 0.1 } })).toBe('E_VALUE');
    expect(code({ neighbors: { cutof: 3 } })).toBe('E_VALUE');
    expect(code({ neighbors: { cutoff: 3 }, specie: 'same' })).toBe('E_VALUE');
    expect(code({ neighbors: { cutoff: 3 }, species: 'other' })).toBe('E_VALUE');
    expect(code({ neighbors: { cutoff: 3 }, average: 'yes' })).toBe('E_TYPE');
    // 12 nearest in an open 5-atom cluster cannot exist.
    expect(code({ neighbors: { count: 12 } }, cluster({ symbols: ['Cu'], count: 5 }))).toBe('E_VALUE');
    // Two atoms at one place.
    const twins = new Structure({ positions: [[0, 0, 0], [0, 0, 0]], symbols: ['Cu', 'Cu'], pbc: false });
    expect(code({ neighbors: { cutoff: 3 } }, twins)).toBe('E_VALUE');
    await expect(steinhardtAsync(s, { l: 99, neighbors: { cutoff: 3 } })).rejects.toMatchObject({ code: 'E_VALUE' });
  });
});

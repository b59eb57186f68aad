import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { fcc, hcp, rattle, rocksalt, wurtzite, zincblende } from '../../lib/build/crystals';
import { NeighborList } from '../../lib/structure/neighbor-list';
import { sharedData } from '../helpers';

describe('crystal builders', () => {
  it('wurtzite ZnO matches the reference structure (Kisi & Elcombe 1989)', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(sharedData, 'reference', 'structures', 'zno_polymorphs.json'), 'utf8')).wurtzite;
    const s = wurtzite();
    expect(s.symbols).toEqual(ref.species);
    for (let i = 0; i < 3; ++i) for (let k = 0; k < 3; ++k) expect(s.cell!.get(i, k)).toBeCloseTo(ref.cell[i][k], 5);
    const f = s.scaledPositions();
    for (let i = 0; i < 4; ++i) for (let k = 0; k < 3; ++k) expect(f.get(i, k)).toBeCloseTo(ref.frac_positions[i][k], 5);
    expect(s.volume / 2).toBeCloseTo(ref.volume_per_ZnO_A3, 8);
    // First shell: 4 neighbours at 1.9743 (x3) and 1.9875 Å
    const list = NeighborList.build(s.repeat([2, 2, 2]), 2.6);
    const shell = Array.from(list.distances.subarray(list.rowPtr[0], list.rowPtr[1])).sort();
    expect(shell.length).toBe(4);
    const want = ref['first_shell_rc2.6'].Zn.distances as number[];
    shell.forEach((d, k) => expect(d).toBeCloseTo(want[k], 4));
  });

  it('coordination numbers: fcc 12, hcp 12, rocksalt 6, zincblende 4', () => {
    const cases: [ReturnType<typeof fcc>, number, number][] = [
      [fcc('Al', 4.05), 3.2, 12], [hcp('Mg', 3.21), 3.3, 12], [rocksalt(['Na', 'Cl'], 5.64), 3.0, 6], [zincblende(['Zn', 'S'], 5.41), 2.5, 4],
    ];
    for (const [s, cutoff, cn] of cases) {
      const counts = NeighborList.build(s, cutoff).counts();
      expect(Array.from(counts).every((c) => c === cn)).toBe(true);
    }
  });

  it('rattle is reproducible with a seed and has the requested spread', () => {
    const a = rattle(fcc('Al', 4.05).repeat(5), 0.1, 1);
    const b = rattle(fcc('Al', 4.05).repeat(5), 0.1, 1);
    expect(Array.from(a.positions.data)).toEqual(Array.from(b.positions.data));
    const ref = fcc('Al', 4.05).repeat(5);
    let sum2 = 0;
    for (let k = 0; k < a.positions.data.length; ++k) sum2 += (a.positions.data[k] - ref.positions.data[k]) ** 2;
    expect(Math.sqrt(sum2 / a.positions.data.length)).toBeCloseTo(0.1, 1);
  });
});

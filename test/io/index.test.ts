import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { rattle, wurtzite } from '../../lib/build/crystals';
import { PolymorphError } from '../../lib/core/errors';
import { formatFromPath, iread, read, readAll, write } from '../../lib/io/index';
import { Structure } from '../../lib/structure/structure';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Ten frames, frame k has its index in info.frame and k+4 atoms (so frames are distinguishable). */
function frames(): Structure[] {
  return Array.from({ length: 10 }, (_, k) => {
    const s = rattle(wurtzite().repeat([2, 2, 1]), 0.02, k + 1).select(Array.from({ length: k + 4 }, (_, i) => i));
    s.info.frame = k;
    return s;
  });
}

async function collect(file: string, index?: number | string): Promise<number[]> {
  const out: number[] = [];
  for await (const s of iread(file, { index })) out.push(s.length - 4);
  return out;
}

describe('read / readAll / iread / write', () => {
  const file = path.join(dir, 'traj.xyz');
  write(file, frames());

  it('read gives the last frame by default (as ASE) and any frame by index', () => {
    expect(read(file).info.frame).toBe(9);
    expect(read(file, { index: 0 }).info.frame).toBe(0);
    expect(read(file, { index: -3 }).info.frame).toBe(7);
    expect(() => read(file, { index: 10 })).toThrowError(PolymorphError);
    expect(() => read(file, { index: ':' })).toThrow(/readAll/);
  });

  it('readAll and iread follow Python slice semantics', async () => {
    const cases: [string | number | undefined, number[]][] = [
      [undefined, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
      [':', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
      ['::3', [0, 3, 6, 9]],
      ['2:5', [2, 3, 4]],
      ['-3:', [7, 8, 9]],
      [':-7', [0, 1, 2]],
      ['::-4', [9, 5, 1]],
      ['8:2:-2', [8, 6, 4]],
      ['5:100', [5, 6, 7, 8, 9]],
      [-1, [9]],
      [4, [4]],
    ];
    for (const [index, want] of cases) {
      expect(readAll(file, { index }).map((s) => s.info.frame), String(index)).toEqual(want);
      expect(await collect(file, index), String(index)).toEqual(want);
    }
    expect(() => readAll(file, { index: '::0' })).toThrowError(PolymorphError);
    expect(() => readAll(file, { index: 'a:b' })).toThrowError(PolymorphError);
  });

  it('append adds frames; single-frame formats refuse several structures', () => {
    const extra = path.join(dir, 'append.xyz');
    write(extra, frames().slice(0, 2));
    write(extra, frames().slice(5, 6), { append: true });
    expect(readAll(extra).map((s) => s.info.frame)).toEqual([0, 1, 5]);
    expect(() => write(path.join(dir, 'POSCAR'), frames().slice(0, 2))).toThrow(/exactly one structure/);
    expect(() => write(path.join(dir, 'POSCAR'), frames()[0], { append: true })).toThrow(/cannot append/);
  });

  it('every format round-trips through a file, chosen by its name', () => {
    const s = rattle(wurtzite().repeat([2, 2, 2]), 0.03, 4);
    const names = ['a.extxyz', 'input.data', 'data.zno', 'zno.lmp', 'zno.dump', 'zno.lammpstrj', 'POSCAR', 'CONTCAR_relaxed', 'zno.vasp'];
    for (const name of names) {
      const f = path.join(dir, name);
      const lammps = formatFromPath(name, false).startsWith('lammps');
      write(f, s, lammps ? { types: ['Zn', 'O'] } : {});
      const back = read(f, lammps ? { types: ['Zn', 'O'] } : {});
      expect(back.symbols, name).toEqual(s.symbols);
      expect(back.volume, name).toBeCloseTo(s.volume, 6);
      for (let i = 0; i < s.length; ++i) expect(back.distance(0, i), name).toBeCloseTo(s.distance(0, i), 5);
    }
  });

  it('format detection from names, and sniffing of .data files', () => {
    expect(formatFromPath('x.xyz')).toBe('extxyz');
    expect(formatFromPath('/a/b/input.data')).toBe('n2p2');
    expect(formatFromPath('dump.melt')).toBe('lammps-dump');
    expect(formatFromPath('x.lammpstrj')).toBe('lammps-dump');
    expect(formatFromPath('data.lmp')).toBe('lammps-data');
    expect(formatFromPath('CONTCAR')).toBe('poscar');
    const n2p2 = path.join(dir, 'set.data');
    write(n2p2, wurtzite(), { format: 'n2p2' });
    expect(formatFromPath(n2p2)).toBe('n2p2');
    const lammps = path.join(dir, 'box.data');
    write(lammps, wurtzite(), { format: 'lammps-data' });
    expect(formatFromPath(lammps)).toBe('lammps-data');
    expect(() => formatFromPath('new.data', false)).toThrow(/say which/);
    expect(() => formatFromPath('notes.txt')).toThrowError(PolymorphError);
  });

  it('missing files and unknown formats are E_IO / E_FORMAT, for sync and async reads', async () => {
    const missing = path.join(dir, 'nope.xyz');
    expect(() => read(missing)).toThrowError(expect.objectContaining({ code: 'E_IO' }));
    await expect(collect(missing)).rejects.toMatchObject({ code: 'E_IO' });
    expect(() => read(file, { format: 'pdb' as never })).toThrowError(expect.objectContaining({ code: 'E_FORMAT' }));
  });

  it('iread streams: frames come out before the reader reaches a broken end of the file', async () => {
    const big = path.join(dir, 'big.xyz');
    const frame = wurtzite().repeat([6, 6, 6]);
    write(big, Array(80).fill(frame)); // about 4 MB: several 1 MiB reads
    fs.appendFileSync(big, '5\nbroken frame\n');
    expect(fs.statSync(big).size).toBeGreaterThan(3 << 20);
    const iterator = iread(big)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(first.value.length).toBe(frame.length);
    await iterator.return?.(undefined);
    expect(() => readAll(big)).toThrowError(expect.objectContaining({ code: 'E_PARSE' }));
    expect(readAll(big, { index: ':2' }).length).toBe(2); // stops reading early, never sees the end
  });

  it('a parse error names the file and the line', () => {
    const bad = path.join(dir, 'bad.xyz');
    fs.writeFileSync(bad, '2\nLattice="4 0 0 0 4 0 0 0 4"\nZn 0 0 0\nO 0 0 x\n');
    expect(() => read(bad)).toThrowError(expect.objectContaining({ code: 'E_PARSE', file: bad, line: 4 }));
  });
});

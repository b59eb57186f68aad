/**
 * Sync/async twins of polymorph/io: readAsync, readAllAsync, iread and writeAsync give the same
 * structures and bytes as read, readAll and write, for every format and every kind of slice.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { rattle, wurtzite } from '../../lib/build/crystals';
import { iread, read, readAll, readAllAsync, readAsync, ReadOptions, write, writeAsync, WriteOptions } from '../../lib/io/index';
import { Structure } from '../../lib/structure/structure';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-io-async-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Seven labelled frames; frame k has k + 3 atoms. */
function frames(): Structure[] {
  return Array.from({ length: 7 }, (_, k) => {
    const base = rattle(wurtzite().repeat([2, 2, 1]), 0.03, k + 1).select(Array.from({ length: k + 3 }, (_, i) => i));
    return new Structure({
      positions: base.positions, numbers: base.numbers, cell: base.cell, pbc: true,
      charges: Array.from(base.numbers, (z) => (z === 30 ? 1.2 : -1.2)),
      info: { energy: -1.5 * (k + 1) },
      arrays: { forces: Array.from({ length: base.length }, (_, i) => [0.01 * i, -0.02 * k, 0.5]) },
    });
  });
}

/** Everything that matters of a structure, as plain data (bit-exact numbers). */
function plain(s: Structure): unknown {
  return JSON.parse(JSON.stringify(s.toJSON()));
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const multi: [string, WriteOptions, ReadOptions][] = [
  ['traj.xyz', {}, {}],
  ['input.data', { lengthUnit: 'Bohr', energyUnit: 'Hartree' }, { lengthUnit: 'Bohr', energyUnit: 'Hartree' }],
  ['traj.dump', { types: ['Zn', 'O'] }, { types: ['Zn', 'O'] }],
];
const single: [string, WriteOptions, ReadOptions][] = [
  ['POSCAR', {}, {}],
  ['zno.lmp', { types: ['Zn', 'O'] }, { types: ['Zn', 'O'] }],
];

describe('async forms equal their sync twins', () => {
  it.each(multi)('%s: readAll = readAllAsync = iread, read = readAsync, for every slice', async (name, writeOptions, readOptions) => {
    const file = path.join(dir, name);
    write(file, frames(), writeOptions);
    for (const index of [undefined, ':', '::3', '2:5', '-3:', ':-5', '::-2', '5:1:-2', 4, -1, '10:']) {
      const sync = readAll(file, { ...readOptions, index }).map(plain);
      expect(await readAllAsync(file, { ...readOptions, index }).then((f) => f.map(plain)), String(index)).toEqual(sync);
      expect((await collect(iread(file, { ...readOptions, index }))).map(plain), String(index)).toEqual(sync);
    }
    for (const index of [0, 3, -1, -7]) expect(plain(await readAsync(file, { ...readOptions, index }))).toEqual(plain(read(file, { ...readOptions, index })));
    expect(plain(await readAsync(file, readOptions))).toEqual(plain(read(file, readOptions)));
  });

  it.each([...multi, ...single])('%s: writeAsync writes the bytes write writes', async (name, writeOptions) => {
    const list = name === 'POSCAR' || name === 'zno.lmp' ? frames()[6] : frames();
    for (const sub of ['sync', 'async']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    const a = path.join(dir, 'sync', name), b = path.join(dir, 'async', name);
    write(a, list, writeOptions);
    await writeAsync(b, list, writeOptions);
    expect(fs.readFileSync(b, 'utf8')).toBe(fs.readFileSync(a, 'utf8'));
  });

  it('writeAsync appends as write does', async () => {
    const a = path.join(dir, 'append-sync.xyz'), b = path.join(dir, 'append-async.xyz');
    write(a, frames().slice(0, 2));
    write(a, frames().slice(4, 5), { append: true });
    await writeAsync(b, frames().slice(0, 2));
    await writeAsync(b, frames().slice(4, 5), { append: true });
    expect(fs.readFileSync(b, 'utf8')).toBe(fs.readFileSync(a, 'utf8'));
  });

  it('errors are the same: missing files E_IO, missing frames E_VALUE, malformed files E_PARSE with file and line', async () => {
    const missing = path.join(dir, 'missing.xyz');
    await expect(readAsync(missing)).rejects.toMatchObject({ code: 'E_IO' });
    await expect(readAllAsync(missing)).rejects.toMatchObject({ code: 'E_IO' });
    const file = path.join(dir, 'short.xyz');
    write(file, frames().slice(0, 2));
    await expect(readAsync(file, { index: 5 })).rejects.toMatchObject({ code: 'E_VALUE' });
    await expect(readAsync(file, { index: ':' })).rejects.toThrow(/readAllAsync/);
    const bad = path.join(dir, 'bad.xyz');
    fs.writeFileSync(bad, '1\nLattice="4 0 0 0 4 0 0 0 4"\nZn 0 0 x\n');
    await expect(readAllAsync(bad)).rejects.toMatchObject({ code: 'E_PARSE', file: bad, line: 3 });
    expect(() => readAll(bad)).toThrow(expect.objectContaining({ code: 'E_PARSE', file: bad, line: 3 }));
    await expect(writeAsync(path.join(dir, 'no-such-dir', 'x.xyz'), frames()[0])).rejects.toMatchObject({ code: 'E_IO' });
  });

  it('readAsync leaves the event loop free while it reads', async () => {
    const big = path.join(dir, 'big.xyz');
    write(big, Array(40).fill(wurtzite().repeat([6, 6, 6]))); // about 2 MB: several reads
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const s = await readAsync(big, { index: -1 });
      expect(s.length).toBe(864);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});

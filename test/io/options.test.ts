/**
 * Every public reader and writer of polymorph/io checks its options: a misspelt key is E_VALUE
 * naming the expected keys (and the closest one), an option of another format is E_VALUE naming
 * the format, and nothing is read or written before the check.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { wurtzite } from '../../lib/build/crystals';
import { formatText, iread, parseText, read, readAll, readAllAsync, readAsync, write, writeAsync } from '../../lib/io/index';
import { parseWith } from '../../lib/io/parse-with';
import { formatDump } from '../../lib/io/lammps-dump-writer';
import { formatN2p2, n2p2Format } from '../../lib/io/n2p2';
import { formatPoscar } from '../../lib/io/poscar';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-io-options-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const zno = wurtzite();
const xyz = path.join(dir, 'zno.xyz');
write(xyz, zno);
const n2p2Text = formatText(zno, { format: 'n2p2' });

/** The error `fn` throws (or the rejection of the promise it returns). */
async function failure(fn: () => unknown): Promise<Error & { code?: string }> {
  try {
    const result = fn();
    if (result && typeof (result as AsyncIterator<unknown>).next === 'function' && !(Symbol.iterator in (result as object))) await (result as AsyncIterator<unknown>).next();
    else await result;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error, got none');
}

/** Asserts an E_VALUE whose message names the function, the bad key and the expected one. */
async function expectMisspelt(fn: () => unknown, what: string, key: string, expected: string): Promise<void> {
  const e = await failure(fn);
  expect(e.code, e.message).toBe('E_VALUE');
  expect(e.message).toContain(`${what}:`);
  expect(e.message).toContain(`unknown option '${key}'`);
  expect(e.message).toContain(`Did you mean '${expected}'?`);
}

describe('misspelt option keys are E_VALUE naming the expected keys', () => {
  it('read', async () => {
    await expectMisspelt(() => read(xyz, { formt: 'extxyz' } as never), 'read', 'formt', 'format');
    const e = await failure(() => read(xyz, { formt: 'extxyz' } as never));
    expect(e.message).toMatch(/expected one of format, index, /);
  });
  it('readAsync', () => expectMisspelt(() => readAsync(xyz, { indx: 0 } as never), 'readAsync', 'indx', 'index'));
  it('readAll', () => expectMisspelt(() => readAll(xyz, { Index: ':' } as never), 'readAll', 'Index', 'index'));
  it('readAllAsync', () => expectMisspelt(() => readAllAsync(xyz, { fromat: 'extxyz' } as never), 'readAllAsync', 'fromat', 'format'));
  it('iread (at the call, before the first frame is asked for)', async () => {
    expect(() => iread(xyz, { tpyes: ['Zn'] } as never)).toThrow(expect.objectContaining({ code: 'E_VALUE', message: expect.stringContaining("Did you mean 'types'?") }));
  });
  it('write (the file is not touched)', async () => {
    const file = path.join(dir, 'never.xyz');
    await expectMisspelt(() => write(file, zno, { apend: true } as never), 'write', 'apend', 'append');
    expect(fs.existsSync(file)).toBe(false);
  });
  it('writeAsync (the file is not touched)', async () => {
    const file = path.join(dir, 'never-async.xyz');
    await expectMisspelt(() => writeAsync(file, zno, { colums: ['id'] } as never), 'writeAsync', 'colums', 'columns');
    expect(fs.existsSync(file)).toBe(false);
  });
  it('parseText', () => expectMisspelt(() => parseText(n2p2Text, { format: 'n2p2', lenghtUnit: 'Bohr' } as never), 'parseText', 'lenghtUnit', 'lengthUnit'));
  it('parseWith', () => expectMisspelt(() => parseWith(n2p2Format, n2p2Text, { energyUnits: 'Hartree' } as never), 'parseWith', 'energyUnits', 'energyUnit'));
  it('formatText', () => expectMisspelt(() => formatText(zno, { format: 'poscar', drect: false } as never), 'formatText', 'drect', 'direct'));
  it('formatN2p2', () => expectMisspelt(() => formatN2p2(zno, { lengthUnits: 'Bohr' } as never), 'formatN2p2', 'lengthUnits', 'lengthUnit'));
  it('formatPoscar', () => expectMisspelt(() => formatPoscar(zno, { directt: true } as never), 'formatPoscar', 'directt', 'direct'));
  it('formatDump', () => expectMisspelt(() => formatDump(zno, { column: ['id'] } as never, 0), 'formatDump', 'column', 'columns'));
});

describe('options of another format are E_VALUE naming the format', () => {
  it('reading', async () => {
    const e = await failure(() => read(xyz, { unwrap: true }));
    expect(e.code).toBe('E_VALUE');
    expect(e.message).toMatch(/read: option 'unwrap' does not apply to extxyz files \(reading extxyz takes format, index\)/);
    await expect(readAllAsync(xyz, { lengthUnit: 'Bohr' })).rejects.toMatchObject({ code: 'E_VALUE', message: expect.stringMatching(/'lengthUnit' does not apply to extxyz/) });
    expect(() => parseText(n2p2Text, { format: 'n2p2', types: ['Zn', 'O'] })).toThrow(/'types' does not apply to n2p2 files/);
  });

  it('writing', async () => {
    const file = path.join(dir, 'other.xyz');
    expect(() => write(file, zno, { direct: true })).toThrow(/write: option 'direct' does not apply to extxyz files \(writing extxyz takes format, append\)/);
    await expect(writeAsync(file, zno, { format: 'lammps-data', energyUnit: 'Hartree' })).rejects.toThrow(/'energyUnit' does not apply to lammps-data/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('keys set to undefined are ignored; non-object options are E_TYPE', () => {
    expect(read(xyz, { types: undefined, index: undefined }).length).toBe(zno.length);
    expect(() => read(xyz, 'extxyz' as never)).toThrow(expect.objectContaining({ code: 'E_TYPE' }));
    expect(() => parseText(n2p2Text, {} as never)).toThrow(/parseText: options.format is required/);
  });
});

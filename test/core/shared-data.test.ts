/**
 * Tests and benchmarks find `../shared/data` in one place each: `sharedData` in test/helpers.ts and
 * in bench/shared-data.ts. No absolute paths, no path.resolve(__dirname, '../../..', 'shared') of their own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../helpers';

const root = path.resolve(__dirname, '..', '..');
/** The two helpers, and this test (whose patterns name the folder). */
const allowed = ['test/helpers.ts', 'bench/shared-data.ts', 'test/core/shared-data.test.ts'];

function typescriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? typescriptFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** A string literal that builds a path to the shared folder: '/work/shared…', '…../shared…', 'shared/data…' or the segment 'shared'. */
const sharedPath = /\/work\/shared|\.\.\/shared\b|['"`]shared\/|(['"`])shared\1/;

/** Code lines (not comments) that build a path to the shared folder. */
function sharedPathLiterals(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n')
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .filter((line) => sharedPath.test(line));
}

describe('../shared', () => {
  it('is found through sharedData only', () => {
    const offenders = ['test', 'bench'].flatMap((d) => typescriptFiles(path.join(root, d)))
      .map((f) => path.relative(root, f).split(path.sep).join('/'))
      .filter((f) => !allowed.includes(f))
      .flatMap((f) => sharedPathLiterals(path.join(root, f)).map((line) => `${f}: ${line.trim()}`));
    expect(offenders).toEqual([]);
  });

  it('sharedData is ../shared/data beside the project', () => {
    expect(sharedData).toBe(path.resolve(root, '..', 'shared', 'data'));
    expect(fs.existsSync(path.join(sharedData, 'n2p2'))).toBe(true);
  });
});

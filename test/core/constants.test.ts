/** Physical constants are written once in lib/ (lib/structure/units.ts) and imported everywhere else. */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { COULOMB_CONSTANT } from '../../lib/potentials';
import { units } from '../../lib/structure';

const root = path.resolve(__dirname, '..', '..');

function typescriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? typescriptFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the Coulomb constant', () => {
  it('is one number under both public names (CODATA 2018, eV·Å/e²)', () => {
    expect(COULOMB_CONSTANT).toBe(units.coulombConstant);
    expect(COULOMB_CONSTANT).toBeCloseTo(14.3996, 4); // the digits are checked against the Ewald reference data in test/potentials/ewald.test.ts
  });

  it('is written as a number literal only in lib/structure/units.ts (lib, tests, benchmarks, examples)', () => {
    const writers = ['lib', 'test', 'bench', 'examples'].flatMap((d) => typescriptFiles(path.join(root, d)))
      .filter((f) => /14\.3996454784/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(writers).toEqual([path.join('lib', 'structure', 'units.ts')]);
  });
});

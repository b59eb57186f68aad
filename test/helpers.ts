/** Shared test helpers: paths to ../shared, seeded random numbers, random structures. */
import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'vitest';
import { PolymorphError } from '../lib/core/errors';
import { mulberry32 } from '../lib/core/random';
import { Structure } from '../lib/structure/structure';

/** The shared reference data folder (../shared/data beside the project). */
export const sharedData = path.resolve(__dirname, '..', '..', 'shared', 'data');

/** A random skewed, rotated triclinic cell (rows, Å) with lengths in [lo, lo+spread). */
export function randomCell(random: () => number, lo = 5, spread = 3): number[][] {
  const cell = [
    [lo + spread * random(), 0, 0],
    [2 * random() - 1, lo - 1 + spread * random(), 0],
    [2 * random() - 1, 2 * random() - 1, lo - 0.5 + spread * random()],
  ];
  const angle = 0.3 + random();
  const c = Math.cos(angle), s = Math.sin(angle);
  return cell.map(([x, y, z]) => [c * x - s * y, s * x + c * y, z]);
}

/** Random atoms in (and slightly outside) a random triclinic cell. */
export function randomStructure(seed: number, n: number, pbc: [boolean, boolean, boolean], withCell = true): Structure {
  const random = mulberry32(seed);
  const cell = randomCell(random);
  const positions = Array.from({ length: n }, () => {
    const f = [1.4 * random() - 0.2, 1.4 * random() - 0.2, 1.4 * random() - 0.2];
    return [0, 1, 2].map((a) => f[0] * cell[0][a] + f[1] * cell[1][a] + f[2] * cell[2][a]);
  });
  return new Structure({ positions, symbols: Array(n).fill('Ar'), cell: withCell ? cell : null, pbc });
}

/** The code of the PolymorphError `run` throws ('no error' when it returns). */
export function errorCode(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(PolymorphError);
    return (e as PolymorphError).code;
  }
  return 'no error';
}

/** The first of `names` found as an executable on the PATH, or null. */
function onPath(names: string[]): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** The LAMMPS executable on the PATH (lmp, lmp_serial, lmp_mpi), or null: cross-checks skip without it. */
export function findLammps(): string | null {
  return onPath(['lmp', 'lmp_serial', 'lmp_mpi']);
}

/** n2p2's nnp-predict: the executable in NNP_PREDICT, else on the PATH, or null: cross-checks skip without it. */
export function findNnpPredict(): string | null {
  return process.env.NNP_PREDICT || onPath(['nnp-predict']);
}

/** Data rows (non-comment lines) of an n2p2 output file (energy.out, nnforces.out, nnatoms.out) as numbers. */
export function n2p2OutputRows(file: string): number[][] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/).map(Number));
}

/** The code of the PolymorphError a promise rejects with ('no error' when it resolves). */
export async function errorCodeAsync(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PolymorphError);
    return (e as PolymorphError).code;
  }
  return 'no error';
}

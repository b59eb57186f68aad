/** Where benchmarks find `../shared/data` (reference potentials and structures beside the project). */
import * as fs from 'fs';
import * as path from 'path';

/** The project root: the nearest folder above this file holding polymorph's package.json (works from `build-scripts/bench/` too). */
function projectRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'polymorph') return dir;
  }
  throw new Error(`no polymorph package.json above ${__dirname}`);
}

/** The shared reference data folder (`../shared/data` beside the project), as `sharedData` in test/helpers.ts. */
export const sharedData = path.resolve(projectRoot(), '..', 'shared', 'data');

/** Indices of the structures n2p2 held out as test set when training LJ256 (`training/LJ256/n2p2-anchor/test-structures.txt`). */
export function lj256TestStructures(): number[] {
  return fs.readFileSync(path.join(sharedData, 'training', 'LJ256', 'n2p2-anchor', 'test-structures.txt'), 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => /^\d+$/.test(l)).map(Number);
}

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as polymorph from '../../lib';
import * as build from '../../lib/build';
import * as descriptors from '../../lib/descriptors';
import * as io from '../../lib/io';
import * as potentials from '../../lib/potentials';
import * as structure from '../../lib/structure';
import * as train from '../../lib/train';
import * as workflows from '../../lib/workflows';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package entry points', () => {
  const modules = Object.keys(pkg.exports).filter((k) => k.startsWith('./') && k !== './package.json').map((k) => k.slice(2));

  it('every module subpath has types for node16 (exports) and node10 resolution (typesVersions, as tslab uses)', () => {
    expect(modules.sort()).toEqual(Object.keys(pkg.typesVersions['*']).sort());
    for (const m of modules) {
      expect(pkg.exports[`./${m}`].types).toBe(`./dist/${m}/index.d.ts`);
      expect(pkg.typesVersions['*'][m]).toEqual([`dist/${m}/index.d.ts`]);
      expect(fs.existsSync(path.join(root, 'lib', m, 'index.ts')), `lib/${m}/index.ts`).toBe(true);
    }
  });

  it('the compiled package loads through its own name and subpaths (CommonJS, as tslab requires it)', () => {
    expect(fs.existsSync(path.join(root, 'dist', 'index.js'))).toBe(true); // built by npm ci (prepare)
    const script = `
      const pm = require('polymorph');
      const names = ${JSON.stringify(modules)}.map((m) => Object.keys(require('polymorph/' + m)).length);
      const s = pm.wurtzite();
      console.log(JSON.stringify({ names, n: s.length, list: pm.NeighborList.build(s, 2.6).size }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out.n).toBe(4);
    expect(out.list).toBe(16); // 4 neighbours each, full list
    expect(out.names.every((k: number) => k > 0)).toBe(true);
  });

  it("require('polymorph') loads a module on first use, with the same names and values as dist/index.js", () => {
    const script = `
      const loaded = () => Object.keys(require.cache).filter((f) => f.includes('/dist/')).map((f) => f.split('/dist/')[1]).sort();
      const pm = require('polymorph');
      const atStart = loaded();
      const structure = pm.Structure;
      const afterStructure = loaded();
      const eager = require('./dist/index.js');
      const same = Object.keys(eager).sort().join() === Object.keys(pm).sort().join() && Object.keys(eager).every((k) => eager[k] === pm[k]);
      console.log(JSON.stringify({ atStart, afterStructure, same, structure: typeof structure, esModule: pm.__esModule }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out.atStart).toEqual(['lazy-index.js']);
    expect(out.afterStructure).toContain('structure/index.js');
    expect(out.afterStructure.some((f: string) => f.startsWith('io/') || f.startsWith('potentials/'))).toBe(false);
    expect(out.same).toBe(true);
    expect(out.structure).toBe('function');
    expect(out.esModule).toBe(true);
  });

  it('ES modules import named exports from the root and the subpaths', () => {
    const script = "import { Structure, read, LassoLars } from 'polymorph'; import { Hdnnp } from 'polymorph/potentials'; " +
      'console.log([Structure, read, LassoLars, Hdnnp].map((x) => typeof x).join());';
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim()).toBe('function,function,function,function');
  });
});

describe('public API', () => {
  /** Implementation details: tests import them from their files, users never see them. */
  const internal = [
    'fromNative', 'mulberry32', 'parseWith', 'cellEntries', 'determinant3', 'inverse3', 'isSingular', 'minimumImageLength',
    'checkCutoffFunction', 'packSymmetryFunctions', 'lengthUnitInAngstrom', 'checkPlipGrid', 'expandPlipGrid',
    'checkSymmetryFunction', 'symmetryFunctionFromFields', 'compareSymmetryFunctions', 'scalingDataHeader',
    'energyUnitInEv', 'weightsFileHeader', 'PME_ERROR_CONSTANTS', 'pmeRealSpaceError', 'pmeReciprocalError',
    'choosePmeParameters', 'smoothSize', 'checkRequest', 'toResults', 'parsePairs', 'callNative', 'native',
  ];
  const entryPoints: Record<string, object> = { polymorph, structure, io, build, descriptors, potentials, train, workflows };

  it.each(Object.entries(entryPoints))('%s exports no internal helper', (_, module) => {
    expect(internal.filter((name) => name in module)).toEqual([]);
  });

  it('the package root exports every name of every module index (and the same objects)', () => {
    for (const [name, module] of Object.entries(entryPoints)) {
      if (name === 'polymorph') continue;
      for (const [key, value] of Object.entries(module)) expect((polymorph as Record<string, unknown>)[key], `${name}.${key}`).toBe(value);
    }
  });

  it('users still find the public names (spot checks)', () => {
    for (const name of ['Structure', 'NeighborList', 'read', 'write', 'wurtzite', 'rattle', 'SymmetryFunctions', 'radialGrid',
      'plipGrid', 'Hdnnp', 'Ewald', 'COULOMB_CONSTANT', 'EWALD_COST_RATIO', 'connectionCount', 'networkLayers',
      'cellParameters', 'PolymorphError', 'ParseError', 'setNumThreads', 'units']) {
      expect(name in polymorph, name).toBe(true);
    }
  });
});

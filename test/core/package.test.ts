import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as polymorph from '../../lib';
import * as build from '../../lib/build';
import * as descriptors from '../../lib/descriptors';
import * as io from '../../lib/io';
import * as potentials from '../../lib/potentials';
import * as structure from '../../lib/structure';
import * as train from '../../lib/train';
import * as md from '../../lib/md';
import * as workflows from '../../lib/workflows';
import { explainLoadFailure, findAddon } from '../../lib/core/native';

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
  const entryPoints: Record<string, object> = { polymorph, structure, io, build, descriptors, potentials, train, md, workflows };

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

describe('install: a prebuilt addon, node-gyp-build, and the source build as fallback', () => {
  it('package.json ships prebuilds/ and the sources, installs with node-gyp-build, and prebuilds at pack time', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['prebuilds', 'native', 'binding.gyp', 'dist']));
    expect(pkg.scripts.install).toBe('node-gyp-build'); // prebuilds/ when one loads, else `node-gyp rebuild`
    expect(pkg.dependencies['node-gyp-build']).toBeDefined();
    expect(pkg.devDependencies.prebuildify).toBeDefined();
    expect(pkg.scripts['build:prebuilds']).toMatch(/^prebuildify --napi --strip --tag-libc /);
    expect(pkg.scripts.prepack).toBe('npm run build:prebuilds');
    // npm runs `pre<name>` before `<name>`: a script called `prebuild` would run before every `npm run build`.
    expect(pkg.scripts.prebuild).toBeUndefined();
    expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n')).toContain('/prebuilds/');
  });

  it('with POLYMORPH_ADDON unset, the loader takes the addon node-gyp-build resolves from the package root, and it loads', () => {
    withAddonEnv(undefined, () => {
      const nodeGypBuild = require('node-gyp-build') as { path(dir: string): string };
      const found = findAddon();
      expect(found.file).toBe(nodeGypBuild.path(root));
      expect((require(found.file as string) as { abiVersion: number }).abiVersion).toBe(2);
    });
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64' && !fs.existsSync('/etc/alpine-release'))(
    'looks in build/Release, then prebuilds/linux-x64 (prebuildify names), then build-cmake/Release; POLYMORPH_ADDON first',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-loader-'));
      const touch = (...parts: string[]) => {
        const file = path.join(dir, ...parts);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, '');
        return file;
      };
      try {
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'polymorph' }));
        withAddonEnv(undefined, () => {
          const none = findAddon(dir);
          expect(none.file).toBeUndefined();
          expect(none.looked).toEqual([
            path.join(dir, 'build', 'Release', '*.node'),
            path.join(dir, 'prebuilds', 'linux-x64', '*.node'),
            path.join(dir, 'build-cmake', 'Release', 'polymorph.node'),
          ]);
          const cmake = touch('build-cmake', 'Release', 'polymorph.node');
          expect(findAddon(dir).file).toBe(cmake);
          const prebuilt = touch('prebuilds', 'linux-x64', 'polymorph.glibc.node'); // as `npm run build:prebuilds` names it
          expect(findAddon(dir).file).toBe(prebuilt);
          const built = touch('build', 'Release', 'polymorph.node');
          expect(findAddon(dir).file).toBe(built);
        });
        const chosen = touch('elsewhere', 'polymorph.node');
        withAddonEnv(chosen, () => expect(findAddon(dir)).toEqual({ file: chosen, looked: [chosen] }));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('explains a prebuilt addon that needs a newer C or C++ runtime than the system has', () => {
    const error = new Error("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.35' not found (required by polymorph.glibc.node)");
    expect(explainLoadFailure('polymorph.glibc.node', error)).toMatch(/newer C or C\+\+ runtime.*npm rebuild polymorph/);
  });
});

// Slow (rebuilds the addon at pack time, installs from the registry): only with POLYMORPH_PACK_TEST=1,
// and then alone, as it rebuilds build/ under any other test file using the addon:
//   POLYMORPH_PACK_TEST=1 npx vitest run test/core/package.test.ts
const packTest = process.env.POLYMORPH_PACK_TEST === '1';
describe('the packed package, installed without a compiler (bench/install-check.ts)', () => {
  it.runIf(packTest)(
    `npm pack, then npm install of the tarball with scripts ignored and with no compiler, require and evaluate${packTest ? '' : ' (skipped: set POLYMORPH_PACK_TEST=1 to run)'}`,
    () => {
      const out = execFileSync(process.execPath, [path.join(root, 'bench', 'run.js'), 'install-check'], { cwd: root, encoding: 'utf8' });
      const report = JSON.parse(out.trim().split('\n').pop() as string);
      expect(report.failures).toEqual([]);
      expect(report.tarball.prebuilt.map((f: { path: string }) => f.path)).toEqual(['prebuilds/linux-x64/polymorph.glibc.node']);
      expect(report.ignoreScripts.polymorphFiles).not.toContain('build');
      expect(report.withScriptsNoCompiler.energy).toBe(report.referenceEnergy);
    },
    900_000,
  );
});

/** Runs `body` with POLYMORPH_ADDON set to `value` (or unset), restoring it afterwards. */
function withAddonEnv(value: string | undefined, body: () => void): void {
  const saved = process.env.POLYMORPH_ADDON;
  if (value === undefined) delete process.env.POLYMORPH_ADDON;
  else process.env.POLYMORPH_ADDON = value;
  try {
    body();
  } finally {
    if (saved === undefined) delete process.env.POLYMORPH_ADDON;
    else process.env.POLYMORPH_ADDON = saved;
  }
}

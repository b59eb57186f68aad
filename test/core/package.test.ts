import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

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
});

/**
 * The modules of lib/ form layers: a module imports only from the layers below it. In particular
 * descriptors never import potentials (the n2p2 tokenizer they share lives in lib/io).
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const lib = path.resolve(__dirname, '..', '..', 'lib');

/** Bottom to top: each module may import from the modules before it. */
const layers = ['core', 'structure', 'io', 'descriptors', 'potentials', 'build', 'train', 'md', 'analysis', 'workflows', 'plot', 'cli'];

/** The lib/ modules that `file` (in lib/<module>/) imports, by relative specifiers. */
function importedModules(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)'(\.[^']*)'/g)].map((m) => m[1]);
  return specifiers
    .map((s) => path.relative(lib, path.resolve(path.dirname(file), s)).split(path.sep)[0])
    .filter((m) => m !== '' && !m.startsWith('..'));
}

function sources(module: string): string[] {
  const dir = path.join(lib, module);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

describe('lib/ layering', () => {
  it('every folder of lib/ has a layer', () => {
    const folders = fs.readdirSync(lib).filter((f) => fs.statSync(path.join(lib, f)).isDirectory());
    expect(folders.sort()).toEqual([...layers].sort());
  });

  it('lib/descriptors imports nothing from lib/potentials', () => {
    const offenders = sources('descriptors').filter((f) => importedModules(f).includes('potentials'));
    expect(offenders.map((f) => path.relative(lib, f))).toEqual([]);
  });

  it.each(layers.map((m, k) => [m, layers.slice(0, k)] as const))('lib/%s imports only from the layers below it', (module, below) => {
    const wrong: string[] = [];
    for (const file of sources(module)) {
      for (const m of importedModules(file)) if (m !== module && !below.includes(m)) wrong.push(`${path.relative(lib, file)} imports lib/${m}`);
    }
    expect(wrong).toEqual([]);
  });
});

/**
 * Loads the compiled addon (`polymorph.node`) once and explains load failures.
 *
 * The addon is looked up, in order, at `$POLYMORPH_ADDON` (a path, used by CI to test the
 * CMake build), `build/Release/polymorph.node` (node-gyp) and `build-cmake/Release/polymorph.node`.
 * @module
 */
import * as fs from 'fs';
import * as path from 'path';
import { NativeLoadError, fromNative } from './errors';
import type { NativeAddon } from './native-types';

let cached: NativeAddon | undefined;

/** Root of the package: the nearest folder above this file holding polymorph's package.json. */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'polymorph') return dir;
    } catch {
      // no package.json here: keep looking
    }
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
}

function candidates(): string[] {
  const root = packageRoot();
  const fromEnv = process.env.POLYMORPH_ADDON;
  if (fromEnv) return [path.resolve(fromEnv)];
  return [
    path.join(root, 'build', 'Release', 'polymorph.node'),
    path.join(root, 'build-cmake', 'Release', 'polymorph.node'),
  ];
}

/** Turns a dlopen failure into advice. Exported for tests. */
export function explainLoadFailure(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const rebuild = 'Rebuild it with `npm rebuild polymorph` (or `npm run build:native` in a checkout); ' +
    'that needs a C++17 compiler with OpenMP (g++ and make).';
  if (/libgomp/.test(message)) {
    return `polymorph's native addon ${file} needs the OpenMP runtime libgomp, which is missing: ` +
      `install it (Debian/Ubuntu: apt-get install libgomp1; it comes with g++). Loader said: ${message}`;
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|wrong ELF class|Exec format error/.test(message)) {
    return `polymorph's native addon ${file} was built for another Node.js or platform ` +
      `(this is Node ${process.version}, ${process.platform}-${process.arch}). ${rebuild} Loader said: ${message}`;
  }
  if (/undefined symbol/.test(message)) {
    return `polymorph's native addon ${file} is out of date or was linked wrongly. ${rebuild} Loader said: ${message}`;
  }
  return `polymorph's native addon ${file} could not be loaded. ${rebuild} Loader said: ${message}`;
}

/** The loaded addon; throws {@link NativeLoadError} with advice when it cannot be loaded. */
export function native(): NativeAddon {
  if (cached) return cached;
  const files = candidates();
  const file = files.find((f) => fs.existsSync(f));
  if (!file) {
    throw new NativeLoadError(
      `polymorph's native addon was not found (looked for ${files.join(', ')}). ` +
        'It is built when the package is installed; if the install skipped it (--ignore-scripts), ' +
        'run `npm rebuild polymorph`, or `npm run build:native` in a checkout. ' +
        'Building needs a C++17 compiler with OpenMP (g++ and make).',
    );
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addon = require(file) as NativeAddon;
    if (addon.abiVersion !== 2) {
      throw new Error(`addon ABI version ${String(addon.abiVersion)} does not match this polymorph (expects 2)`);
    }
    cached = addon;
    return addon;
  } catch (error) {
    throw new NativeLoadError(explainLoadFailure(file, error), error);
  }
}

/** Calls into the addon, turning its errors into PolymorphErrors. */
export function callNative<T>(call: (addon: NativeAddon) => T): T {
  const addon = native();
  try {
    return call(addon);
  } catch (error) {
    throw fromNative(error);
  }
}

/**
 * Loads the compiled addon (`polymorph.node`) once and explains load failures.
 *
 * The addon is looked up, in order, at `$POLYMORPH_ADDON` (a path, used by CI to test the
 * CMake build); then where node-gyp-build looks from the package root: `build/Release/` (a
 * node-gyp build, made at install or by `npm run build:native`), then
 * `prebuilds/<platform>-<arch>/` (the prebuilt addon a packed package ships for linux-x64);
 * then `build-cmake/Release/polymorph.node` (the CMake build).
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

/** node-gyp-build's resolver: the addon file for this platform and Node, or a throw naming them. */
interface NodeGypBuild {
  path(dir: string): string;
}

/** Where the addon was found (if anywhere) and every place looked at, for messages. */
export interface AddonLookup {
  file?: string;
  looked: string[];
}

/**
 * Finds the addon under the package root `root`, in the order the module comment gives; does not
 * load it. Exported for tests.
 */
export function findAddon(root: string = packageRoot()): AddonLookup {
  const fromEnv = process.env.POLYMORPH_ADDON;
  if (fromEnv) {
    const file = path.resolve(fromEnv);
    return fs.existsSync(file) ? { file, looked: [file] } : { looked: [file] };
  }
  const looked = [
    path.join(root, 'build', 'Release', '*.node'),
    path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, '*.node'),
  ];
  let nodeGypBuild: NodeGypBuild | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    nodeGypBuild = require('node-gyp-build') as NodeGypBuild;
  } catch {
    looked.push('(node-gyp-build, a dependency of polymorph, is missing: reinstall polymorph)');
  }
  if (nodeGypBuild) {
    try {
      return { file: nodeGypBuild.path(root), looked };
    } catch {
      // none of node-gyp-build's places has an addon for this platform: try the CMake build
    }
  }
  const cmake = path.join(root, 'build-cmake', 'Release', 'polymorph.node');
  looked.push(cmake);
  return fs.existsSync(cmake) ? { file: cmake, looked } : { looked };
}

/** Turns a dlopen failure into advice. Exported for tests. */
export function explainLoadFailure(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const rebuild = 'Rebuild it with `npm rebuild polymorph` (or `npm run build:native` in a checkout); ' +
    'that needs a C++17 compiler with OpenMP (g++ and make).';
  if (/version `(GLIBC|GLIBCXX|CXXABI|GOMP)_[^']*' not found/.test(message)) {
    return `polymorph's native addon ${file} needs a newer C or C++ runtime (glibc, libstdc++, libgomp) ` +
      `than this system has; the prebuilt addon targets current Linux distributions. Build it here from ` +
      `source instead: \`npm rebuild polymorph\` (when the prebuilt addon fails to load, the install step ` +
      `builds from source); that needs a C++17 compiler with OpenMP (g++ and make). Loader said: ${message}`;
  }
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
  const { file, looked } = findAddon();
  if (!file) {
    throw new NativeLoadError(
      `polymorph's native addon was not found (looked for ${looked.join(', ')}). ` +
        'The package from the registry ships it prebuilt for linux-x64; elsewhere it is built when ' +
        'the package is installed. If the install skipped that (--ignore-scripts) or it failed, ' +
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

/**
 * polymorph: machine-learning interatomic potentials and crystal-nucleation analysis for
 * TypeScript, with a C++17/OpenMP core.
 *
 * Every module is also importable on its own: `polymorph/structure`, `polymorph/io`,
 * `polymorph/build`, `polymorph/descriptors`, `polymorph/potentials`, `polymorph/train`, `polymorph/md`, `polymorph/workflows`, `polymorph/analysis`, `polymorph/plot`.
 * @module polymorph
 */
export { PolymorphError, ParseError, NativeLoadError } from './core/errors';
export type { ErrorCode } from './core/errors';
export { setNumThreads, getNumThreads, availableThreads } from './core/threads';
export * from './structure';
export * from './io';
export * from './build';
export * from './descriptors';
export * from './potentials';
export * from './train';
export * from './md';
export * from './workflows';
export * from './analysis';
export * from './plot';

/**
 * `polymorph/build`: crystals, supercells (via `Structure.repeat`) and random displacements.
 * @module build
 */
export * from './crystals';
export * from './relax-lattice';
export * from './surfaces';

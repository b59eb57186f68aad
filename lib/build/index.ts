/**
 * `polymorph/build`: crystals, supercells (via `Structure.repeat`) and random displacements.
 * @module build
 */
export { bcc, cesiumChloride, diamond, fcc, fromFractional, hcp, rattle, rocksalt, simpleCubic, wurtzite, zincblende } from './crystals';
export * from './relax-lattice';
export * from './surfaces';

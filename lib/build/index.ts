/**
 * `polymorph/build`: crystals (by name with `crystal`, or one builder each), supercells,
 * droplets and seeds, random displacements, surfaces.
 * @module build
 */
export { bcc, cesiumChloride, diamond, fcc, fromFractional, hcp, rattle, rocksalt, simpleCubic, wurtzite, zincblende } from './crystals';
export { crystal, crystalNames } from './crystal';
export type { CrystalName, CrystalOptions } from './crystal';
export { bodyCenteredTetragonal, cubane, hexagonalBoronNitride, sodalite } from './zinc-oxide-polymorphs';
export { supercell } from './supercell';
export { droplet, insertSeed } from './droplet';
export type { DropletOptions, InsertSeedOptions, SeededStructure } from './droplet';
export * from './relax-lattice';
export * from './surfaces';

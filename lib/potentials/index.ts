/**
 * `polymorph/potentials`: the {@link Potential} interface and its implementations
 * (Lennard-Jones; sums of potentials).
 * @module potentials
 */
export * from './potential';
export * from './lennard-jones';
export * from './sum';

/**
 * `polymorph/potentials`: the {@link Potential} interface and its implementations
 * (Lennard-Jones; n2p2-compatible HDNNPs and their files; sums of potentials).
 * @module potentials
 */
export * from './potential';
export * from './lennard-jones';
export * from './buckingham';
export * from './zinc-oxide';
export * from './sum';
export * from './hdnnp';
export * from './n2p2-settings';
export * from './n2p2-weights';
export * from './linear';
export * from './ewald';
export * from './pme-parameters';
export * from './coulomb';
export type { ChargeMap } from './point-charges';

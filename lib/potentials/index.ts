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
export { Hdnnp } from './hdnnp';
export type { EnergyUnit, Extrapolation, HdnnpComputeRequest, HdnnpParts, HdnnpResults, HdnnpUnits } from './hdnnp';
export * from './n2p2-settings';
export { connectionCount, formatN2p2Weights, parseN2p2Weights, readN2p2Weights, weightsFileName } from './n2p2-weights';
export * from './linear';
export * from './ewald';
export * from './coulomb';
export type { ChargeMap } from './point-charges';
export * from './electrostatics';

/**
 * `polymorph/md`: molecular dynamics. {@link MolecularDynamics} runs velocity Verlet with a
 * thermostat per atom group ({@link NoseHooverChain}, {@link Langevin}, {@link Csvr},
 * {@link Berendsen}), frozen groups, temperature ramps and a shared Verlet list, in C++ for native
 * potentials; {@link maxwellBoltzmann} draws initial velocities; {@link minimize} relaxes positions (FIRE).
 * @module md
 */
export { MolecularDynamics } from './molecular-dynamics';
export type { GroupThermo, MdCheckpoint, MolecularDynamicsOptions, RunOptions, RunProgress, ThermoRecord } from './molecular-dynamics';
export { Berendsen, Csvr, integratorFromJSON, Langevin, NoseHooverChain, NptMtk, Thermostat, VelocityVerlet } from './thermostats';
export type { BerendsenOptions, IntegratorJSON, NptMtkOptions, Pressure, NoseHooverChainOptions, StochasticThermostatOptions, Temperature } from './thermostats';
export { groupIndices } from './groups';
export type { GroupSpec } from './groups';
export { maxwellBoltzmann } from './velocities';
export type { MaxwellBoltzmannOptions } from './velocities';
export { minimize } from './minimize';
export type { MinimizeOptions, MinimizeResult } from './minimize';
export { EvaporationGuard, ThermoWriter, TrajectoryWriter } from './observers';
export type { EvaporationGuardOptions, Observer, ThermoWriterOptions, TrajectoryWriterOptions } from './observers';

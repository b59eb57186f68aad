/**
 * Integrators and thermostats of {@link MolecularDynamics}: velocity Verlet for NVE, and the
 * thermostats a group of atoms can have (Nosé–Hoover chains, Langevin, CSVR, Berendsen). They
 * are descriptions (options checked once); the engine runs them in C++ (formulas and references
 * in `native/core/md.hpp`).
 *
 * A temperature is a number (K) or a ramp `[start, stop]` that spans each run, as LAMMPS'
 * `fix nvt temp Tstart Tstop`: at step k of an n-step run the target is start + (k/n)(stop − start).
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import type { NativeMdThermostat } from '../core/native-types';

/** A target temperature (K) or a linear ramp `[start, stop]` over each run. */
export type Temperature = number | readonly [number, number];

function checkTemperature(value: unknown, what: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : undefined;
  if (!pair || !pair.every((t) => typeof t === 'number' && Number.isFinite(t) && t >= 0)) {
    throw new PolymorphError('E_VALUE', `${what}: temperature must be a number ≥ 0 (K) or a ramp [start, stop], got ${JSON.stringify(value)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

function positive(value: unknown, what: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new PolymorphError('E_VALUE', `${what}: ${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function seedOf(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PolymorphError('E_VALUE', `${what}: seed must be an integer 0…2^53−1, got ${String(value)}`);
  }
  return value;
}

/** Plain NVE: velocity Verlet with no thermostat (Swope et al., J. Chem. Phys. 76, 637, 1982). */
export class VelocityVerlet {
  readonly kind = 'nve' as const;

  /** `{ type: 'VelocityVerlet' }` (for checkpoints). */
  toJSON(): IntegratorJSON {
    return { type: 'VelocityVerlet' };
  }
}

/** An integrator or thermostat as JSON: its class name and options. */
export interface IntegratorJSON {
  type: 'VelocityVerlet' | 'NoseHooverChain' | 'Langevin' | 'Csvr' | 'Berendsen' | 'NptMtk';
  temperature?: [number, number];
  pressure?: [number, number];
  barostatRelaxation?: number;
  relaxation?: number;
  chain?: number;
  seed?: number;
  cell?: 'isotropic' | 'anisotropic' | 'triclinic';
}

/** What every thermostat has: a target temperature (or ramp), a relaxation time, and for some a chain length or a seed. */
export abstract class Thermostat {
  /** Target at the start and at the end of each run (K). */
  readonly temperature: readonly [number, number];
  /** Relaxation time τ (fs). */
  readonly relaxation: number;
  /** The native kind and the class name (for checkpoints). */
  private readonly native: { kind: NativeMdThermostat['kind']; type: IntegratorJSON['type']; chain?: number; seed?: number };

  protected constructor(temperature: [number, number], relaxation: number,
    native: { kind: NativeMdThermostat['kind']; type: IntegratorJSON['type']; chain?: number; seed?: number }) {
    this.temperature = temperature;
    this.relaxation = relaxation;
    this.native = native;
  }

  /** The native description for the atoms of `group`. @internal */
  nativeFor(group: string, atoms: Int32Array): NativeMdThermostat {
    const { kind, chain = 1, seed = 0 } = this.native;
    return { kind, group, atoms, start: this.temperature[0], stop: this.temperature[1], relaxation: this.relaxation, chain, seed };
  }

  /** The class name and options (for checkpoints). */
  toJSON(): IntegratorJSON {
    const { type, chain, seed } = this.native;
    return { type, temperature: [...this.temperature] as [number, number], relaxation: this.relaxation, ...(chain === undefined ? {} : { chain }), ...(seed === undefined ? {} : { seed }) };
  }
}

/** The target and relaxation time of `options` (τ default 100 fs), checked for `what`. */
function targetOf(options: { temperature: Temperature; relaxation?: number }, what: string): [[number, number], number] {
  return [checkTemperature(options.temperature, what), positive(options.relaxation ?? 100, what, 'relaxation (fs)')];
}

/** Options of {@link NoseHooverChain}. */
export interface NoseHooverChainOptions {
  /** Target temperature (K) or ramp [start, stop]. */
  temperature: Temperature;
  /** Period of the thermostat τ (fs), LAMMPS' Tdamp; default 100 fs (LAMMPS suggests 100 timesteps). */
  relaxation?: number;
  /** Chain length, 1…10; default 3 (LAMMPS' tchain). */
  chain?: number;
}

function chainOf(value: unknown, what: string): number {
  const chain = value ?? 3;
  if (typeof chain !== 'number' || !Number.isInteger(chain) || chain < 1 || chain > 10) {
    throw new PolymorphError('E_VALUE', `${what}: chain must be an integer 1…10, got ${String(chain)}`);
  }
  return chain;
}

/**
 * Nosé–Hoover chains (Martyna, Tuckerman, Tobias & Klein, Mol. Phys. 87, 1117, 1996): canonical,
 * deterministic, with a conserved extended energy (reported as `conserved`). Masses
 * Q₁ = N_dof k_B T τ², Q_j = k_B T τ², as LAMMPS' `fix nvt`.
 * @example
 * new NoseHooverChain({ temperature: 1500, relaxation: 100 })
 */
export class NoseHooverChain extends Thermostat {
  /** Chain length. */
  readonly chain: number;

  constructor(options: NoseHooverChainOptions) {
    const o = checkOptions(options, ['temperature', 'relaxation', 'chain'], 'NoseHooverChain');
    const chain = chainOf(o.chain, 'NoseHooverChain');
    super(...targetOf(o, 'NoseHooverChain'), { kind: 'nhc', type: 'NoseHooverChain', chain });
    this.chain = chain;
  }
}

/** Options of {@link Langevin}, {@link Csvr}. */
export interface StochasticThermostatOptions {
  /** Target temperature (K) or ramp [start, stop]. */
  temperature: Temperature;
  /** Relaxation time τ (fs): Langevin's 1/γ, CSVR's time constant; default 100 fs. */
  relaxation?: number;
  /** Seed of the thermostat's random stream (0…2^53−1); default 0. */
  seed?: number;
}

/**
 * Langevin dynamics by the BAOAB splitting (Leimkuhler & Matthews, Appl. Math. Res. Express
 * 2013, 34): friction γ = 1/τ and noise on the group's atoms; seedable; re-reads a ramping target
 * every step.
 */
export class Langevin extends Thermostat {
  /** Seed of the random stream. */
  readonly seed: number;

  constructor(options: StochasticThermostatOptions) {
    const o = checkOptions(options, ['temperature', 'relaxation', 'seed'], 'Langevin');
    const seed = seedOf(o.seed ?? 0, 'Langevin');
    super(...targetOf(o, 'Langevin'), { kind: 'langevin', type: 'Langevin', seed });
    this.seed = seed;
  }
}

/**
 * Canonical sampling through velocity rescaling (Bussi, Donadio & Parrinello, J. Chem. Phys. 126,
 * 014101, 2007): the exact resampling of the group's kinetic energy; works from zero velocities.
 */
export class Csvr extends Thermostat {
  /** Seed of the random stream. */
  readonly seed: number;

  constructor(options: StochasticThermostatOptions) {
    const o = checkOptions(options, ['temperature', 'relaxation', 'seed'], 'Csvr');
    const seed = seedOf(o.seed ?? 0, 'Csvr');
    super(...targetOf(o, 'Csvr'), { kind: 'csvr', type: 'Csvr', seed });
    this.seed = seed;
  }
}

/** Options of {@link Berendsen}. */
export interface BerendsenOptions {
  /** Target temperature (K) or ramp [start, stop]. */
  temperature: Temperature;
  /** Time constant τ (fs); default 100 fs. */
  relaxation?: number;
}

/**
 * Berendsen weak coupling (J. Chem. Phys. 81, 3684, 1984): for equilibration only; it does not
 * sample the canonical ensemble (kinetic-energy fluctuations are suppressed).
 */
export class Berendsen extends Thermostat {
  constructor(options: BerendsenOptions) {
    const o = checkOptions(options, ['temperature', 'relaxation'], 'Berendsen');
    super(...targetOf(o, 'Berendsen'), { kind: 'berendsen', type: 'Berendsen' });
  }
}

/** An integrator or thermostat from its {@link IntegratorJSON} (as a checkpoint stores it). */
export function integratorFromJSON(json: IntegratorJSON): VelocityVerlet | Thermostat | NptMtk {
  const temperature = json.temperature as [number, number];
  switch (json.type) {
    case 'VelocityVerlet': return new VelocityVerlet();
    case 'NoseHooverChain': return new NoseHooverChain({ temperature, relaxation: json.relaxation, chain: json.chain });
    case 'Langevin': return new Langevin({ temperature, relaxation: json.relaxation, seed: json.seed });
    case 'Csvr': return new Csvr({ temperature, relaxation: json.relaxation, seed: json.seed });
    case 'Berendsen': return new Berendsen({ temperature, relaxation: json.relaxation });
    case 'NptMtk': return new NptMtk({ temperature: json.temperature, pressure: json.pressure as [number, number], relaxation: json.relaxation, barostatRelaxation: json.barostatRelaxation, chain: json.chain, cell: json.cell });
    default: throw new PolymorphError('E_VALUE', `unknown integrator type ${JSON.stringify((json as { type?: unknown }).type)}`);
  }
}

/** A pressure (bar) or a linear ramp `[start, stop]` over each run. */
export type Pressure = number | readonly [number, number];

/** Options of {@link NptMtk}. */
export interface NptMtkOptions {
  /** Target temperature (K) or ramp; without one the run is NPH (constant enthalpy). */
  temperature?: Temperature;
  /** Target pressure (bar) or ramp [start, stop]. */
  pressure: Pressure;
  /** Thermostat period τ (fs); default 100. */
  relaxation?: number;
  /** Barostat period τ_p (fs); default 1000 (LAMMPS suggests 1000 timesteps). */
  barostatRelaxation?: number;
  /** Chain lengths of the thermostat and of the barostat's own chain; default 3. */
  chain?: number;
  /**
   * How the cell may change: `'isotropic'` (default: uniform scaling, shape kept),
   * `'anisotropic'` (each Cartesian axis on its own: an orthorhombic cell stays orthorhombic) or
   * `'triclinic'` (all six components of a symmetric barostat velocity: shear too, without rotating the cell).
   */
  cell?: 'isotropic' | 'anisotropic' | 'triclinic';
}

/** 1 bar in eV/Å³. */
const BAR_IN_EV_PER_A3 = 1 / 1.602176634e6;

/**
 * NPT (or NPH without a temperature) by the Martyna–Tobias–Klein barostat (J. Chem. Phys. 101, 4177,
 * 1994) with Nosé–Hoover chains on the particles and on the barostat, integrated as Tuckerman et
 * al. (J. Phys. A 39, 5629, 2006). The cell scales isotropically, each Cartesian axis on its own
 * (`cell: 'anisotropic'`), or fully (`cell: 'triclinic'`, shear included, the barostat velocity
 * kept symmetric so the cell does not rotate); it needs a cell periodic in every direction and no
 * frozen atoms.
 * @example
 * new MolecularDynamics(s, potential, { timestep: 2, integrator: new NptMtk({ temperature: 900, pressure: 1 }) })
 */
export class NptMtk {
  readonly kind = 'npt' as const;
  /** Thermostat target (K) at the start and end of each run, or null (NPH). */
  readonly temperature: readonly [number, number] | null;
  /** Pressure target (bar) at the start and end of each run. */
  readonly pressure: readonly [number, number];
  readonly relaxation: number;
  readonly barostatRelaxation: number;
  readonly chain: number;
  /** How the cell may change. */
  readonly cell: 'isotropic' | 'anisotropic' | 'triclinic';

  constructor(options: NptMtkOptions) {
    const o = checkOptions(options, ['temperature', 'pressure', 'relaxation', 'barostatRelaxation', 'chain', 'cell'], 'NptMtk');
    this.temperature = o.temperature === undefined ? null : checkTemperature(o.temperature, 'NptMtk');
    const p = typeof o.pressure === 'number' ? [o.pressure, o.pressure] : Array.isArray(o.pressure) && o.pressure.length === 2 ? o.pressure : undefined;
    if (!p || !p.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new PolymorphError('E_VALUE', `NptMtk: pressure must be a number (bar) or a ramp [start, stop], got ${JSON.stringify(o.pressure)}`);
    }
    this.pressure = [p[0], p[1]];
    this.relaxation = positive(o.relaxation ?? 100, 'NptMtk', 'relaxation (fs)');
    this.barostatRelaxation = positive(o.barostatRelaxation ?? 1000, 'NptMtk', 'barostatRelaxation (fs)');
    this.chain = chainOf(o.chain, 'NptMtk');
    if (o.cell !== undefined && !['isotropic', 'anisotropic', 'triclinic'].includes(o.cell)) {
      throw new PolymorphError('E_VALUE', `NptMtk: cell must be 'isotropic', 'anisotropic' or 'triclinic', got '${String(o.cell)}'`);
    }
    this.cell = o.cell ?? 'isotropic';
  }

  /** The class name and options (for checkpoints). */
  toJSON(): IntegratorJSON {
    return {
      type: 'NptMtk', ...(this.temperature ? { temperature: [...this.temperature] as [number, number] } : {}),
      pressure: [...this.pressure] as [number, number], relaxation: this.relaxation, barostatRelaxation: this.barostatRelaxation, chain: this.chain,
      cell: this.cell,
    };
  }

  /** The native thermostat (all atoms) and barostat. @internal */
  nativeFor(atoms: Int32Array): { thermostat: NativeMdThermostat | null; barostat: { start: number; stop: number; relaxation: number; chain: number; anisotropic: boolean; triclinic: boolean } } {
    return {
      thermostat: this.temperature
        ? new NoseHooverChain({ temperature: this.temperature, relaxation: this.relaxation, chain: this.chain }).nativeFor('all', atoms)
        : null,
      barostat: {
        start: this.pressure[0] * BAR_IN_EV_PER_A3, stop: this.pressure[1] * BAR_IN_EV_PER_A3, relaxation: this.barostatRelaxation, chain: this.chain,
        anisotropic: this.cell === 'anisotropic', triclinic: this.cell === 'triclinic',
      },
    };
  }
}

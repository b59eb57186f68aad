/**
 * `Electrostatics`: the Coulomb energy of point charges for any structure a study meets, Ewald
 * (or PME) in cells periodic in 3-D and the exact direct sum for open clusters, with one set of
 * charges. It is the electrostatic term of PLIP+Q, so one fitted model evaluates the crystals
 * it was trained on and the nanoparticles and droplets it is run on.
 * @module
 */
import { PolymorphError } from '../core/errors';
import type { NativeEvaluator } from '../core/native-types';
import { checkOptions } from '../core/options';
import type { Structure } from '../structure/structure';
import { Coulomb } from './coulomb';
import { Ewald, type EwaldOptions } from './ewald';
import { NativePotential } from './native-potential';
import type { ChargeMap } from './point-charges';
import { inspect } from 'util';
import { summary } from '../core/inspect';

/** Options of {@link Electrostatics}: the {@link EwaldOptions} (used in periodic cells) and the charges. */
export type ElectrostaticsOptions = EwaldOptions & { charges?: ChargeMap };

const KEYS = ['charges', 'accuracy', 'cutoff', 'alpha', 'kmax', 'coulombConstant', 'background', 'method', 'grid', 'order'] as const;

/**
 * Point-charge electrostatics, E = k_e ½ Σ_{i≠j} q_i q_j / r_ij (eV) over all periodic images:
 *
 * - a cell periodic in all three directions: the {@link Ewald} sum (or smooth PME) with the given
 *   options (accuracy, α, cutoffs, method);
 * - an open structure (no periodic direction): the direct sum over all pairs ({@link Coulomb}),
 *   which is the exact value the Ewald sum converges to for an isolated system;
 * - slabs and wires (some directions periodic): `E_CELL`, since neither sum applies.
 *
 * Forces (eV/Å), stress (eV/Å³, periodic cells) and per-atom energies (eV) as in the two terms.
 * Both terms share the charges and the Coulomb constant. The evaluator follows the structure,
 * so an MD run of a droplet uses the direct sum at every step and never calls JavaScript.
 * @example
 * const el = new Electrostatics({ charges: { Zn: 1.6, O: -1.6 }, accuracy: 1e-6 });
 * el.compute(bulkWurtzite).energy;   // Ewald
 * el.compute(nanoparticle).energy;   // direct sum
 */
export class Electrostatics extends NativePotential {
  /** The periodic term. */
  readonly ewald: Ewald;
  /** The open-structure term (direct sum). */
  readonly coulomb: Coulomb;
  protected readonly potentialName = 'Electrostatics';

  constructor(options: ElectrostaticsOptions = {}) {
    super();
    checkOptions(options, KEYS, 'Electrostatics');
    this.ewald = new Ewald(options);
    this.coulomb = new Coulomb({ charges: options.charges, coulombConstant: this.ewald.coulombConstant });
  }

  /** The Ewald term's fixed real-space cutoff (Å), or 0 when it follows the structure (the direct sum has none). */
  get cutoff(): number {
    return this.ewald.cutoff;
  }

  /** The term that applies to `structure` (`E_CELL` for slabs and wires). */
  termFor(structure: Structure): Ewald | Coulomb {
    if (structure.pbc.every((p) => !p)) return this.coulomb;
    if (structure.cell && structure.pbc.every((p) => p)) return this.ewald;
    throw new PolymorphError('E_CELL', `Electrostatics: needs a cell periodic in all three directions (Ewald) or an open structure (direct sum); this one has pbc [${structure.pbc.join(', ')}]`);
  }

  /** @internal */
  evaluatorFor(structure: Structure): NativeEvaluator {
    return this.termFor(structure).evaluatorFor(structure);
  }

  /** A short summary for notebooks and `console.log`. */
  [inspect.custom](): string {
    return summary('Electrostatics', {
      periodic: inspect(this.ewald).replace(/\s+/g, ' '), open: 'direct sum over all pairs',
    });
  }
}

/**
 * Coulomb interaction of point charges without Ewald summation: the direct sum for open
 * clusters, and the damped shifted force (DSF) pair form with a cutoff, usable in MD.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { callNative } from '../core/native';
import type { NativeCoulombParameters, NativeEvaluator } from '../core/native-types';
import { checkOptions } from '../core/options';
import type { Structure } from '../structure/structure';
import { COULOMB_CONSTANT } from './ewald';
import { NativePotential } from './native-potential';
import { type ChargeMap, describeCharges, nativeChargeTable, parseChargeMap } from './point-charges';
import { checkPositive } from './requests';
import { inspect } from 'util';
import { formatNumber, summary } from '../core/inspect';

/** Options of {@link Coulomb}. */
export interface CoulombOptions {
  /** Charges by element (e), e.g. `{ Zn: 2, O: -2 }`. Default: the structure's per-atom `charges`. */
  charges?: ChargeMap;
  /** Coulomb constant, eV·Å/e². Default {@link COULOMB_CONSTANT} (CODATA 2018). */
  coulombConstant?: number;
  /** Damped shifted force (Fennell & Gezelter 2006): damping `alpha` (1/Å, ≥ 0) and `cutoff` (Å). */
  dsf?: { alpha: number; cutoff: number };
}

/**
 * Coulomb energy of point charges q_i (e):
 *
 * - direct sum (default), for open structures only (no periodic direction; `E_CELL` otherwise):
 *   E = k_e ½ Σ_{i≠j} q_i q_j / r_ij, O(N²), exact;
 * - damped shifted force (`dsf: { alpha, cutoff }`), periodic or not, over a neighbour list:
 *   φ(r) = k_e q_i q_j [erfc(αr)/r − erfc(αR_c)/R_c + (erfc(αR_c)/R_c² + (2α/√π) e^{−α²R_c²}/R_c)(r − R_c)]
 *   for r < R_c, plus the self term −k_e (erfc(αR_c)/(2R_c) + α/√π) Σ q_i²; energy and force
 *   vanish continuously at R_c (Fennell & Gezelter, J. Chem. Phys. 124, 234104 (2006)).
 *
 * Energies in eV, forces eV/Å, stress eV/Å³ (ASE sign; needs a cell), per-atom energies eV (half
 * of each pair to each atom, plus the atom's own DSF self term).
 * @example
 * const cluster = new Coulomb({ charges: { Zn: 2, O: -2 } });
 * const md = new Coulomb({ charges: { Zn: 2, O: -2 }, dsf: { alpha: 0.2, cutoff: 10 } });
 */
export class Coulomb extends NativePotential {
  /** DSF cutoff (Å); 0 for the direct sum (all pairs). */
  readonly cutoff: number;
  /** Coulomb constant, eV·Å/e². */
  readonly coulombConstant: number;
  /** DSF parameters, or null for the direct sum. */
  readonly dsf: { readonly alpha: number; readonly cutoff: number } | null;
  private readonly charges: Map<number, number> | null;
  private handle: NativeEvaluator | null = null;
  protected readonly potentialName = 'Coulomb';

  constructor(options: CoulombOptions = {}) {
    super();
    checkOptions(options, ['charges', 'coulombConstant', 'dsf'], 'Coulomb');
    this.coulombConstant = options.coulombConstant === undefined ? COULOMB_CONSTANT : checkPositive(options.coulombConstant, 'Coulomb: coulombConstant (eV·Å/e²)');
    this.charges = options.charges === undefined ? null : parseChargeMap(options.charges, 'Coulomb');
    if (options.dsf === undefined) {
      this.dsf = null;
      this.cutoff = 0;
    } else {
      const d = options.dsf;
      if (typeof d !== 'object' || d === null) throw new PolymorphError('E_TYPE', 'Coulomb: dsf must be { alpha (1/Å), cutoff (Å) }');
      if (typeof d.alpha !== 'number' || !Number.isFinite(d.alpha) || d.alpha < 0) {
        throw new PolymorphError('E_VALUE', `Coulomb: dsf.alpha must be a finite number ≥ 0 (1/Å), got ${String(d.alpha)}`);
      }
      this.dsf = Object.freeze({ alpha: d.alpha, cutoff: checkPositive(d.cutoff, 'Coulomb: dsf.cutoff (Å)') });
      this.cutoff = this.dsf.cutoff;
    }
  }

  /** The native evaluator (built once). @internal */
  evaluatorFor(structure: Structure): NativeEvaluator {
    if (!this.dsf && structure.pbc.some((p) => p)) {
      throw new PolymorphError('E_CELL', 'Coulomb: the direct sum is for open clusters; use Ewald for periodic structures, or Coulomb with dsf');
    }
    if (!this.handle) {
      const parameters: NativeCoulombParameters = this.dsf
        ? { coulombConstant: this.coulombConstant, dsf: true, alpha: this.dsf.alpha, cutoff: this.dsf.cutoff }
        : { coulombConstant: this.coulombConstant, dsf: false };
      const charges = nativeChargeTable(this.charges);
      this.handle = callNative((a) => a.createCoulombEvaluator(parameters, charges));
    }
    return this.handle;
  }

  /** A short summary for notebooks and `console.log` (direct or DSF sum, charges, constant). */
  [inspect.custom](): string {
    return summary('Coulomb', {
      sum: this.dsf ? `damped shifted force (α ${formatNumber(this.dsf.alpha)} 1/Å, cutoff ${formatNumber(this.dsf.cutoff)} Å)` : 'direct, all pairs',
      charges: describeCharges(this.charges), 'k_e': `${formatNumber(this.coulombConstant)} eV·Å/e²`,
    });
  }
}

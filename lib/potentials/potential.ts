/**
 * The calculator interface every potential implements (design.md, "Calculators").
 * MD, minimisation, training metrics and workflows only ever see this interface.
 * @module
 */
import { NdArray } from 'ndarray';
import type { NeighborList } from '../structure/neighbor-list';
import type { Structure } from '../structure/structure';

/** What to compute besides the energy. */
export interface ComputeRequest {
  /** Forces `[N,3]`, eV/Å. */
  forces?: boolean;
  /** Stress `[3,3]`, eV/Å³, ASE sign: σ = (1/V) ∂E/∂ε (positive under tension); pressure = −tr(σ)/3. */
  stress?: boolean;
  /** Per-atom energies (eV) summing to the total energy. */
  atomEnergies?: boolean;
  /**
   * A neighbour list to evaluate on instead of building one: a Verlet list (built with a skin,
   * half or full, lean or not) at a cutoff ≥ the potential's, for this structure and still valid
   * (`needsRebuild(structure)` false), e.g. one list shared by the terms of a sum and reused
   * over MD steps. A list that is too short, for another atom count or out of date is refused
   * with `E_VALUE`. Results equal those of a fresh build to round-off.
   */
  neighbors?: NeighborList;
}

/** Results of a potential evaluation. */
export interface Results {
  /** Total energy, eV. */
  energy: number;
  /** Forces `[N,3]` = −∂E/∂r, eV/Å. */
  forces?: NdArray<Float64Array>;
  /** Stress `[3,3]`, eV/Å³ (ASE sign convention). */
  stress?: NdArray<Float64Array>;
  /** Per-atom energies, eV. */
  atomEnergies?: Float64Array;
}

/** An interatomic potential (a "calculator" in ASE's words). */
export interface Potential {
  /** Interaction cutoff in Å; 0 for none (e.g. Ewald). */
  readonly cutoff: number;
  /** Evaluates the potential synchronously. */
  compute(structure: Structure, want?: ComputeRequest): Results;
  /** Evaluates the potential off the event loop. */
  computeAsync(structure: Structure, want?: ComputeRequest): Promise<Results>;
}

/**
 * `HdnnpCommittee`: n HDNNPs trained on the same data from different seeds and subsets, evaluated
 * as one potential: the committee mean of energies, forces, stress and atom energies, with the
 * spread the members disagree by (what n2p2's unmerged committee PR #92 provides and what active
 * learning uses to pick new training structures):
 *   σ_E = √(Σ_m (E_m − Ē)²/n)            per structure (eV),
 *   σ_i = √(Σ_m (E_i,m − Ē_i)²/n)         per atom, of the atom energies (eV),
 *   σ_F,i = √(Σ_m |F_i,m − F̄_i|²/n)       per atom, of the force vectors (eV/Å).
 * `mean` is the same mean as one native potential (a weighted sum of the members), for MD.
 * @module
 */
import ndarray from 'ndarray';
import { inspect } from 'util';
import { PolymorphError } from '../core/errors';
import { summary } from '../core/inspect';
import { mulberry32 } from '../core/random';
import { Hdnnp } from '../potentials/hdnnp';
import type { ComputeRequest, Potential, Results } from '../potentials/potential';
import { SumPotential } from '../potentials/sum';
import type { Structure } from '../structure/structure';
import { splitStructures } from './hdnnp-training-data';
import { trainHdnnp, type HdnnpTrainingOptions, type HdnnpTrainingResult } from './hdnnp-trainer';

/** A committee's results: the mean and the members' spread. */
export interface CommitteeResults extends Results {
  /** Standard deviation of the total energy over the members (eV). */
  energyDeviation: number;
  /** Per atom: standard deviation of the atom energy (eV). */
  atomEnergyDeviations: Float64Array;
  /** Per atom (with forces): root-mean-square deviation of the force vector from the mean (eV/Å). */
  forceDeviations?: Float64Array;
}

/** Options of {@link HdnnpCommittee.train}: those of {@link trainHdnnp} plus the committee's. */
export type HdnnpCommitteeOptions = HdnnpTrainingOptions & {
  /** Members (default 4, at least 2). */
  members?: number;
  /** Fraction of the training structures each member sees, drawn per member (default 1: all, different seeds only). */
  subsample?: number;
  /** Called when a member has been trained. */
  onMember?: (member: number, result: HdnnpTrainingResult) => void;
};

/** A committee of HDNNPs as one {@link Potential} (see the module documentation). */
export class HdnnpCommittee implements Potential {
  /** The members. */
  readonly members: readonly Hdnnp[];
  /** The committee mean as one native potential (for MD and minimisation). */
  readonly mean: SumPotential;

  constructor(members: readonly Hdnnp[]) {
    if (!Array.isArray(members) || members.length < 2) throw new PolymorphError('E_VALUE', 'HdnnpCommittee: needs at least two members');
    members.forEach((m, k) => {
      if (!(m instanceof Hdnnp)) throw new PolymorphError('E_TYPE', `HdnnpCommittee: member ${k} is not an Hdnnp`);
      if (m.settings.elements.join() !== members[0].settings.elements.join()) {
        throw new PolymorphError('E_VALUE', `HdnnpCommittee: member ${k} covers ${m.settings.elements.join(', ')}, member 0 ${members[0].settings.elements.join(', ')}`);
      }
    });
    this.members = [...members];
    this.mean = new SumPotential(this.members.map((m) => [m, 1 / this.members.length] as [Potential, number]));
  }

  /** Largest cutoff of the members, Å. */
  get cutoff(): number {
    return Math.max(...this.members.map((m) => m.cutoff));
  }

  /** The mean and the spread; forces, stress and atom energies on request (atom energies and their spread always). */
  compute(structure: Structure, want: ComputeRequest = {}): CommitteeResults {
    return this.combine(structure, this.members.map((m) => m.compute(structure, { ...want, atomEnergies: true })), want);
  }

  /** {@link compute} off the event loop (members one after the other). */
  async computeAsync(structure: Structure, want: ComputeRequest = {}): Promise<CommitteeResults> {
    const results: Results[] = [];
    for (const m of this.members) results.push(await m.computeAsync(structure, { ...want, atomEnergies: true }));
    return this.combine(structure, results, want);
  }

  /**
   * Trains `members` HDNNPs on `structures` with {@link trainHdnnp}'s options: one validation split
   * (from `validation`) for all, member k with seed `seed + k` on `subsample` of the remaining
   * structures, drawn per member. Returns the committee and each member's training result.
   */
  static async train(structures: readonly Structure[], options: HdnnpCommitteeOptions): Promise<{ committee: HdnnpCommittee; results: HdnnpTrainingResult[] }> {
    const { members = 4, subsample = 1, onMember, ...training } = options;
    if (!(Number.isInteger(members) && members >= 2)) throw new PolymorphError('E_VALUE', `HdnnpCommittee.train: members must be an integer ≥ 2, got ${String(members)}`);
    if (!(subsample > 0 && subsample <= 1)) throw new PolymorphError('E_VALUE', `HdnnpCommittee.train: subsample must be in (0, 1], got ${String(subsample)}`);
    const split = splitStructures(structures.length, (training.validation ?? {}) as { fraction?: number; seed?: number; indices?: number[] }, 'HdnnpCommittee.train');
    const seed = training.seed ?? 1;
    const results: HdnnpTrainingResult[] = [];
    for (let k = 0; k < members; ++k) {
      let chosen = Array.from(split.train);
      if (subsample < 1) {
        const random = mulberry32(seed * 65537 + k);
        const keep = Math.max(1, Math.round(subsample * chosen.length));
        for (let q = chosen.length - 1; q > 0; --q) {
          const j = Math.floor(random() * (q + 1));
          [chosen[q], chosen[j]] = [chosen[j], chosen[q]];
        }
        chosen = chosen.slice(0, keep).sort((a, b) => a - b);
      }
      const held = Array.from(split.validation);
      const subset = [...held.map((i) => structures[i]), ...chosen.map((i) => structures[i])];
      const result = await trainHdnnp(subset, { ...training, seed: seed + k, validation: { indices: held.map((_, q) => q) } });
      results.push(result);
      onMember?.(k, result);
    }
    return { committee: new HdnnpCommittee(results.map((r) => r.potential)), results };
  }

  private combine(structure: Structure, results: Results[], want: ComputeRequest): CommitteeResults {
    const n = results.length, N = structure.length;
    const energies = results.map((r) => r.energy);
    const energy = energies.reduce((a, b) => a + b, 0) / n;
    const energyDeviation = Math.sqrt(energies.reduce((a, e) => a + (e - energy) ** 2, 0) / n);
    const atomEnergies = new Float64Array(N), atomEnergyDeviations = new Float64Array(N);
    for (const r of results) for (let i = 0; i < N; ++i) atomEnergies[i] += r.atomEnergies![i] / n;
    for (const r of results) for (let i = 0; i < N; ++i) atomEnergyDeviations[i] += (r.atomEnergies![i] - atomEnergies[i]) ** 2 / n;
    for (let i = 0; i < N; ++i) atomEnergyDeviations[i] = Math.sqrt(atomEnergyDeviations[i]);
    const out: CommitteeResults = { energy, energyDeviation, atomEnergyDeviations };
    if (want.atomEnergies) out.atomEnergies = atomEnergies;
    if (want.forces) {
      const mean = new Float64Array(3 * N), deviation = new Float64Array(N);
      for (const r of results) for (let k = 0; k < 3 * N; ++k) mean[k] += r.forces!.data[r.forces!.offset + k] / n;
      for (const r of results) {
        for (let i = 0; i < N; ++i) {
          let d2 = 0;
          for (let a = 0; a < 3; ++a) d2 += (r.forces!.data[r.forces!.offset + 3 * i + a] - mean[3 * i + a]) ** 2;
          deviation[i] += d2 / n;
        }
      }
      for (let i = 0; i < N; ++i) deviation[i] = Math.sqrt(deviation[i]);
      out.forces = ndarray(mean, [N, 3]);
      out.forceDeviations = deviation;
    }
    if (want.stress) {
      const s = new Float64Array(9);
      for (const r of results) for (let a = 0; a < 3; ++a) for (let b = 0; b < 3; ++b) s[3 * a + b] += r.stress!.get(a, b) / n;
      out.stress = ndarray(s, [3, 3]);
    }
    return out;
  }

  /** A short summary for notebooks. */
  [inspect.custom](): string {
    return summary('HdnnpCommittee', { members: this.members.length, elements: this.members[0].settings.elements.join(', '), cutoff: `${this.cutoff} Å` });
  }
}

/**
 * The nucleus of a classified frame: the largest cluster of crystalline atoms, whatever
 * polymorph each of them reads as, with its composition and majority phase. Brute-force runs
 * report it per frame; seeding runs report it next to N(t) of the seed's phase, so that a seed
 * turning into another polymorph (a wurtzite seed growing as BCT) is not mistaken for one melting.
 * @module
 */
import { clusters } from '../analysis/clusters';
import type { Structure } from '../structure/structure';

/** The largest crystalline cluster of a frame. */
export interface Nucleus {
  /** Its atoms (0 when no atom is crystalline). */
  atoms: number;
  /** Its majority label (ties: alphabetical first; null when empty). */
  phase: string | null;
  /** Its atoms per label, most first. */
  composition: Record<string, number>;
}

/**
 * The largest cluster of atoms whose label is one of `crystalLabels` (atoms closer than `cutoff`,
 * Å, are connected; see {@link clusters}), with its composition by label and majority phase.
 * `labels` holds one label per atom (e.g. an SGMA classification).
 * @example
 * const { labels } = await sgma.classifyAsync(frame);
 * largestNucleus(frame, labels, ['wurtzite', 'BCT'], 2.3); // { atoms: 812, phase: 'BCT', composition: { BCT: 560, wurtzite: 252 } }
 */
export function largestNucleus(frame: Structure, labels: readonly string[], crystalLabels: readonly string[], cutoff: number): Nucleus {
  const crystalline = new Set(crystalLabels);
  const found = clusters(frame, labels.map((l) => crystalline.has(l)), { cutoff });
  const tally = new Map<string, number>();
  for (const i of found.largestAtoms) tally.set(labels[i], (tally.get(labels[i]) ?? 0) + 1);
  const order = [...tally.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return { atoms: found.largest, phase: order[0]?.[0] ?? null, composition: Object.fromEntries(order) };
}

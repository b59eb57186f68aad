/**
 * Clusters of selected atoms (solid-like atoms, one phase's atoms): connected components of the
 * graph of selected atoms closer than a cutoff, by union-find over the native neighbour list.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { NeighborList } from '../structure/neighbor-list';
import { Structure } from '../structure/structure';

/** Options of {@link clusters}. */
export interface ClusterOptions {
  /** Two selected atoms closer than this (Å) are in the same cluster. */
  cutoff: number;
}

/** What {@link clusters} returns. */
export interface ClusterResult {
  /** Cluster of each atom: 0, 1, … by decreasing size (ties: lowest first atom first); −1 for atoms not selected. */
  labels: Int32Array;
  /** Atoms in each cluster, largest first. */
  sizes: number[];
  /** Size of the largest cluster (0 when nothing is selected): the nucleus size. */
  largest: number;
  /** Indices of the atoms of the largest cluster, ascending. */
  largestAtoms: Int32Array;
}

/**
 * Groups the atoms with `mask[i]` true into clusters: connected components of the graph with an
 * edge between two selected atoms closer than `cutoff` (through periodic images, any cell). A
 * cluster cutoff of its own, separate from whatever selected the atoms (e.g. a ten Wolde bond
 * cutoff), as nucleation studies need. Union-find with path halving: O(pairs).
 * @example
 * const solid = solidAtoms(frame, { cutoff: 3.5 }).solid;
 * const { largest } = clusters(frame, solid, { cutoff: 3.5 }); // nucleus size
 */
export function clusters(structure: Structure, mask: ArrayLike<boolean | number>, options: ClusterOptions): ClusterResult {
  if (!(structure instanceof Structure)) throw new PolymorphError('E_TYPE', 'clusters: expected a Structure');
  const o = checkOptions(options, ['cutoff'], 'clusters');
  if (!(typeof o.cutoff === 'number' && Number.isFinite(o.cutoff) && o.cutoff > 0)) throw new PolymorphError('E_VALUE', `clusters: cutoff must be a positive number of Å, got ${String(o.cutoff)}`);
  const n = structure.length;
  if (mask === null || typeof mask !== 'object' || mask.length !== n) {
    throw new PolymorphError('E_SHAPE', `clusters: the mask needs one entry per atom (${n}), got ${mask === null || typeof mask !== 'object' ? String(mask) : mask.length}`);
  }
  const selected = Uint8Array.from({ length: n }, (_, i) => (mask[i] ? 1 : 0));
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  if (n > 0 && selected.some((v) => v === 1)) {
    const list = NeighborList.build(structure, o.cutoff, { full: false });
    const { rowPtr, neighbors } = list;
    for (let i = 0; i < n; ++i) {
      if (!selected[i]) continue;
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; ++p) {
        const j = neighbors[p];
        if (!selected[j]) continue;
        const a = find(i), b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);  // the root is the lowest index
      }
    }
  }
  const size = new Map<number, number>();
  for (let i = 0; i < n; ++i) if (selected[i]) { const r = find(i); size.set(r, (size.get(r) ?? 0) + 1); }
  const order = [...size.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const rank = new Map(order.map(([root], k) => [root, k]));
  const labels = Int32Array.from({ length: n }, (_, i) => (selected[i] ? rank.get(find(i))! : -1));
  const sizes = order.map(([, s]) => s);
  const largestAtoms = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] === 0));
  return { labels, sizes, largest: sizes[0] ?? 0, largestAtoms };
}

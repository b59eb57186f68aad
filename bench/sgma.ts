/**
 * SGMA classification benchmark (issue 11), JSON lines, one thread: the time to classify one
 * 2 000-atom ZnO droplet frame (target ≤ 20 ms), and where it goes:
 *  - the 14 SGMA features (Voronoi-weighted, averaged q2…q8 over all neighbours, then over the
 *    atom's own species' sub-lattice: two Voronoi tessellations of the droplet and one of each
 *    sub-lattice), block by block;
 *  - the mixture's probabilities and labels (the classification's time less the features').
 * The frame: a disordered ZnO droplet (zincblende rattled by 0.7 Å, as disordered as the melt for
 * the Voronoi cells: 15–17 faces a cell) of 2 000 atoms with a 400-atom wurtzite seed inserted;
 * the classifier is trained on the seven polymorphs rattled by 0.12 Å and the same disorder
 * (the model's quality does not change the time). Median of 15 runs after a warm-up.
 * Run: npm run bench -- sgma
 */
import { crystal, droplet, insertSeed, rattle, setNumThreads, Sgma, sgmaFeatures, steinhardt, type Structure } from 'polymorph';
import { medianSeconds, report } from './timing';

const repeats = 15;
const polymorphs: Record<string, number | [number, number, number]> = {
  wurtzite: [3, 3, 2], zincblende: 2, rocksalt: 2, hBN: [3, 3, 2], BCT: [2, 2, 3], sodalite: 1, cubane: 1,
};

function references(): Record<string, Structure[]> {
  const out: Record<string, Structure[]> = {};
  for (const [name, r] of Object.entries(polymorphs)) out[name] = [0, 1, 2].map((k) => rattle(crystal(name).repeat(r), 0.12, 10 + k));
  out.liquid = [0, 1, 2].map((k) => rattle(crystal('zincblende').repeat(3), 0.7, 100 + k));
  return out;
}

function main(): void {
  setNumThreads(1);
  const sgma = Sgma.train(references(), { seed: 1 });
  const host = droplet(rattle(crystal('zincblende').repeat(8), 0.7, 998), { atoms: 2120 });  // ~2000 after the seed's overlaps go
  const { structure: frame } = insertSeed(host, crystal('wurtzite'), { atoms: 400 });
  const l = [2, 3, 4, 5, 6, 7, 8];
  const all = medianSeconds(() => steinhardt(frame, { l, neighbors: { voronoi: true }, average: true, species: 'all' }), repeats);
  const same = medianSeconds(() => steinhardt(frame, { l, neighbors: { voronoi: true }, average: true, species: 'same' }), repeats);
  const features = medianSeconds(() => sgmaFeatures(frame), repeats);
  const classify = medianSeconds(() => sgma.classify(frame), repeats);
  const counts: Record<string, number> = {};
  for (const label of sgma.classify(frame).labels) counts[label] = (counts[label] ?? 0) + 1;
  report({
    what: 'SGMA classification of a 2000-atom droplet frame, one thread', atoms: frame.length,
    seconds: classify, target: 0.02, ratioToTarget: classify / 0.02,
    features, featuresAllNeighbours: all, featuresSameSpecies: same, mixtureAndLabels: classify - features,
    labels: counts,
  });
  setNumThreads(0);
}

main();

/**
 * SGMA for ZnO as Salazar et al. (npj Comput. Mater. 10, 199 (2024)): the reference database by
 * MD with the rigid-ion model (seven polymorphs heated 200 → 1500 K over 10 ps, the liquid at
 * 2500 K; 21 snapshots each), a classifier trained on two thirds of the snapshots, the confusion
 * matrix on the held-out third, and an inserted wurtzite seed in a liquid droplet found as a
 * wurtzite cluster. Prints JSON lines and the confusion matrix as Markdown. Several minutes.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/sgma-zno.js [--atoms 250] [--time 10000]
 */
import { clusters, droplet, insertSeed, crystal, Sgma, sgmaReferenceDatabase, type Structure } from 'polymorph';

function argument(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
}

async function main(): Promise<void> {
  const atoms = argument('atoms', 250), time = argument('time', 10_000);
  const started = Date.now();
  const db = await sgmaReferenceDatabase({ atoms, heating: { time }, liquid: { time } });
  console.log(JSON.stringify({ what: 'reference database', seconds: (Date.now() - started) / 1000, melted: db.melted, rmsDisplacement: db.rmsDisplacement }));
  const train: Record<string, Structure[]> = {}, held: Record<string, Structure[]> = {};
  for (const [label, frames] of Object.entries(db.references)) {
    train[label] = frames.filter((_, k) => k % 3 !== 2);
    held[label] = frames.filter((_, k) => k % 3 === 2);
  }
  const sgma = Sgma.train(train);
  const c = sgma.confusion(held);
  console.log(JSON.stringify({ what: 'held-out accuracy per class', accuracy: c.accuracy }));
  console.log(`\n| true \\ predicted | ${c.columns.join(' | ')} |\n|${' --- |'.repeat(c.columns.length + 1)}`);
  c.rows.forEach((r, i) => console.log(`| ${r} | ${c.counts[i].join(' | ')} |`));
  // A wurtzite seed in a liquid droplet: the liquid's last snapshot, cut into a droplet.
  const liquid = db.references.liquid[db.references.liquid.length - 1];
  const host = droplet(liquid.repeat(3), { atoms: Math.min(2000, 2 * Math.floor((liquid.length * 27) / 2)) });
  const { structure, seed } = insertSeed(host, crystal('wurtzite'), { atoms: 400 });
  const { labels } = sgma.classify(structure);
  const { largest, largestAtoms } = clusters(structure, labels.map((l) => l === 'wurtzite'), { cutoff: 3.5 });
  const inSeed = Array.from(largestAtoms).filter((i) => seed.includes(i)).length;
  console.log(JSON.stringify({ what: 'inserted wurtzite seed', seedAtoms: seed.length, largestWurtziteCluster: largest, ofWhichInSeed: inSeed }));
  const t0 = process.hrtime.bigint();
  sgma.classify(structure);
  console.log(JSON.stringify({ what: 'classification time', atoms: structure.length, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
}

main().catch((error) => { console.error(error); process.exit(1); });

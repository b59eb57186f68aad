/**
 * Trains the embedded ZnO SGMA classifier (`zincOxideSgma()`): the reference database of
 * `sgmaReferenceDatabase()` with its defaults on one thread (about 3 minutes), all snapshots, and
 * writes lib/workflows/zinc-oxide-sgma.json.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/train-zno-sgma.js
 */
import * as fs from 'fs';
import * as path from 'path';
import { setNumThreads, Sgma, sgmaReferenceDatabase } from 'polymorph';

async function main(): Promise<void> {
  setNumThreads(1);
  const started = Date.now();
  const db = await sgmaReferenceDatabase({});
  const sgma = Sgma.train(db.references);
  const file = path.resolve(__dirname, '..', '..', 'lib', 'workflows', 'zinc-oxide-sgma.json');
  fs.writeFileSync(file, JSON.stringify(sgma));
  console.log(JSON.stringify({ what: 'trained', file, seconds: (Date.now() - started) / 1000, melted: db.melted }));
}

main().catch((error) => { console.error(error); process.exit(1); });

/**
 * What the nuclei of a finished seeding run became: for each production run in a `seeding`
 * checkpoint directory, the last frame's largest cluster of the seed's phase (N, as `seeding`
 * measured it) and the largest crystalline cluster with its composition (`largestNucleus`, the
 * nucleus whatever polymorph it reads as). For runs made before `seeding` reported
 * `finalNucleus` itself, e.g. the 4000-atom bisection in `docs/guides/nucleation.md`.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/seeding-nuclei.js DIR
 * (DIR: a seeding checkpoint directory of the ZnO model, e.g. seeding-4000/checkpoints/seeding-400;
 * its run.json gives the seed's phase and the cluster cutoff). Prints one JSON line per production
 * run, by temperature then replica, and one summary line per temperature.
 */
import * as fs from 'fs';
import * as path from 'path';
import { largestNucleus, Structure, zincOxideSgma } from 'polymorph';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined || !fs.existsSync(path.join(dir, 'run.json'))) throw new Error('give a seeding checkpoint directory (one with run.json)');
  const { settings } = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as { settings: { phase: string; clusterCutoff: number } };
  const { phase, clusterCutoff } = settings;
  const sgma = zincOxideSgma();
  const crystalLabels = sgma.labels.filter((l) => l !== 'liquid');
  const runs = fs.readdirSync(dir).map((f) => /^production-T(.+)-r(\d+)\.json$/.exec(f)).filter((m) => m !== null)
    .map((m) => ({ file: m[0], T: Number(m[1]), replica: Number(m[2]) })).sort((a, b) => a.T - b.T || a.replica - b.replica);
  /** A finished segment's last structure, classified: its nucleus, and the segment's frames. */
  const segment = async (file: string) => {
    const { structure, frames } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { structure: Parameters<typeof Structure.fromJSON>[0]; frames: unknown[] };
    const frame = Structure.fromJSON(structure);
    const { labels } = await sgma.classifyAsync(frame);
    return { nucleus: largestNucleus(frame, labels, crystalLabels, clusterCutoff), frames };
  };
  if (fs.existsSync(path.join(dir, 'step2.json'))) console.log(JSON.stringify({ stage: 'relaxation', nucleus: (await segment('step2.json')).nucleus }));
  const byT = new Map<number, { N: number; atoms: number; phase: string | null }[]>();
  for (const run of runs) {
    const { nucleus, frames } = await segment(run.file);
    const last = frames[frames.length - 1];
    const N = typeof last === 'number' ? last : (last as { size: number }).size;
    console.log(JSON.stringify({ T: run.T, replica: run.replica, N, nucleus }));
    byT.set(run.T, [...(byT.get(run.T) ?? []), { N, atoms: nucleus.atoms, phase: nucleus.phase }]);
  }
  for (const [T, list] of byT) {
    console.log(JSON.stringify({ T, replicas: list.length, [`${phase} N`]: list.map((x) => x.N), nucleus: list.map((x) => x.atoms), 'nucleus phase': list.map((x) => x.phase) }));
  }
}

main().catch((error) => { console.error(error); process.exit(1); });

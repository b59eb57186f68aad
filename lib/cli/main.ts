/**
 * The command line (`npx polymorph <study> --config study.json`): runs one workflow for batch
 * jobs and downstream tools. The result is JSON on stdout, progress lines on stderr; `--report DIR`
 * also writes the HTML report with the study's figure. Exit status 0, or 2 with a JSON error
 * `{ error: { code, message } }` on stderr.
 * @module
 * @internal
 */
import * as fs from 'fs';
import * as path from 'path';
import { Sgma } from '../analysis/sgma';
import { PolymorphError } from '../core/errors';
import { read } from '../io';
import { compositionChart, growthCurves, meltingCurve } from '../plot/charts';
import type { Figure } from '../plot/figure';
import { report } from '../plot/report';
import { Coulomb } from '../potentials/coulomb';
import { LennardJones, type LennardJonesOptions } from '../potentials/lennard-jones';
import type { Potential } from '../potentials/potential';
import { SumPotential } from '../potentials/sum';
import { zincOxideBuckingham, ZINC_OXIDE_CHARGES, type ZincOxideBuckinghamOptions } from '../potentials/zinc-oxide';
import type { Structure } from '../structure/structure';
import { bruteForceNucleation } from '../workflows/brute-force';
import { meltingTemperature } from '../workflows/melting';
import { seeding } from '../workflows/seeding';

const usage = `polymorph <study> --config study.json [--report DIR] [--checkpoint DIR]

Runs one nucleation workflow of polymorph/workflows and prints its result as JSON on stdout
(progress on stderr).

studies:
  melting       meltingTemperature: a nanoparticle heated along a ramp, T_m from a tanh fit
  brute-force   bruteForceNucleation: supercooled droplets, composition over time
  seeding       seeding: a crystal seed in a liquid droplet, N(t) at each temperature

study.json: the workflow's options (see docs/guides/nucleation.md), and
  "potential":  "zinc-oxide" (rigid-ion ZnO: Buckingham + all-pairs Coulomb for clusters),
                {"zincOxide": {options of zincOxideBuckingham}} or {"lennardJones": {options}}
  "classifier": path of a trained SGMA classifier (JSON of Sgma.toJSON())
  "particle" / "droplet" / "seed": paths of structure files (any format polymorph reads)
Paths are relative to the config file.

options:
  --config FILE   the study (required)
  --report DIR    also write the HTML report (figure, data) to DIR
  --checkpoint DIR  keep checkpoints in DIR: run the same command again after an
                  interruption (Ctrl-C, SIGTERM, a lost machine) and it continues
                  where it stopped, with the results of an uninterrupted run
  --help          this text
`;

/** The potential a config names; clusters get the all-pairs Coulomb sum. */
export function potentialFromConfig(spec: unknown): Potential {
  const zincOxide = (o: ZincOxideBuckinghamOptions): Potential => {
    const model = zincOxideBuckingham(o);
    // Open clusters (the workflows' particles and droplets): no cell for the Ewald sum.
    return new SumPotential([model.buckingham, new Coulomb({ charges: { ...ZINC_OXIDE_CHARGES } })]);
  };
  if (spec === 'zinc-oxide') return zincOxide({});
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    const entries = Object.entries(spec as Record<string, unknown>);
    if (entries.length === 1) {
      const [kind, options] = entries[0];
      if (kind === 'zincOxide') return zincOxide((options ?? {}) as ZincOxideBuckinghamOptions);
      if (kind === 'lennardJones') return new LennardJones(options as LennardJonesOptions);
    }
  }
  throw new PolymorphError('E_VALUE', `config: potential must be "zinc-oxide", {"zincOxide": {…}} or {"lennardJones": {…}}, got ${JSON.stringify(spec)}`);
}

interface Parsed { study: string; config: string; report?: string; checkpoint?: string; help: boolean }

function parseArguments(argv: string[]): Parsed {
  const out: Parsed = { study: '', config: '', help: false };
  for (let k = 0; k < argv.length; ++k) {
    const a = argv[k];
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--config') out.config = argv[++k] ?? '';
    else if (a === '--report') out.report = argv[++k] ?? '';
    else if (a === '--checkpoint') out.checkpoint = argv[++k] ?? '';
    else if (a.startsWith('--')) throw new PolymorphError('E_VALUE', `unknown option ${a} (see --help)`);
    else if (out.study === '') out.study = a;
    else throw new PolymorphError('E_VALUE', `unexpected argument ${a} (see --help)`);
  }
  return out;
}

/** Runs the command line on `argv` (without node and the script); resolves with the exit status. */
export async function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
  stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s),
}): Promise<number> {
  try {
    const args = parseArguments(argv);
    if (args.help || args.study === '') {
      (args.help ? io.stdout : io.stderr)(usage);
      return args.help ? 0 : 2;
    }
    if (!['melting', 'brute-force', 'seeding'].includes(args.study)) throw new PolymorphError('E_VALUE', `unknown study '${args.study}' (melting, brute-force, seeding)`);
    if (args.config === '') throw new PolymorphError('E_VALUE', '--config FILE is required');
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(fs.readFileSync(args.config, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new PolymorphError('E_IO', `cannot read the config ${args.config}: ${(error as Error).message}`);
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new PolymorphError('E_VALUE', `${args.config}: expected a JSON object`);
    const dir = path.dirname(args.config);
    const resolve = (p: unknown, what: string): string => {
      if (typeof p !== 'string') throw new PolymorphError('E_VALUE', `config: ${what} must be a file path`);
      return path.resolve(dir, p);
    };
    const { potential: potentialSpec, classifier: classifierPath, ...options } = config;
    const potential = potentialFromConfig(potentialSpec ?? 'zinc-oxide');
    const structureOf = (key: string): Structure | undefined => (options[key] === undefined ? undefined : read(resolve(options[key], key)));
    const classifier = classifierPath === undefined ? undefined : Sgma.fromJSON(JSON.parse(fs.readFileSync(resolve(classifierPath, 'classifier'), 'utf8')));
    const progress = (p: unknown): void => io.stderr(`${JSON.stringify(p)}\n`);
    if (args.checkpoint !== undefined) {
      if (args.checkpoint === '') throw new PolymorphError('E_VALUE', '--checkpoint needs a directory');
      options.checkpoint = path.resolve(args.checkpoint);
    }
    // Ctrl-C and SIGTERM cancel between frames; with --checkpoint the run's state is kept first.
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    options.signal = abort.signal;
    try {
      let result: unknown;
      let figure: Figure;
      if (args.study === 'melting') {
        const r = await meltingTemperature(potential, { ...options, particle: structureOf('particle'), classifier, onProgress: progress } as Parameters<typeof meltingTemperature>[1]);
        result = r;
        figure = meltingCurve(r);
      } else if (args.study === 'brute-force') {
        const r = await bruteForceNucleation(potential, { ...options, droplet: structureOf('droplet'), classifier, onProgress: progress } as Parameters<typeof bruteForceNucleation>[1]);
        result = r;
        figure = compositionChart(r.replicas[0].composition, { times: r.replicas[0].times, title: `Composition at ${r.temperature.toFixed(0)} K (replica 1)` });
      } else {
        const seed = typeof options.seed === 'string' && /[./]/.test(options.seed) ? read(resolve(options.seed, 'seed')) : options.seed;
        const r = await seeding(potential, { ...options, droplet: structureOf('droplet'), seed, classifier, onProgress: progress } as Parameters<typeof seeding>[1]);
        result = r;
        figure = growthCurves(r);
      }
      if (args.report !== undefined) await report({ title: `polymorph ${args.study}`, sections: [{ title: args.study, figures: [figure], data: result }] }, args.report);
      io.stdout(`${JSON.stringify(result)}\n`);
      return 0;
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  } catch (error) {
    const e = error instanceof PolymorphError ? error : new PolymorphError('E_NATIVE', (error as Error)?.message ?? String(error));
    io.stderr(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
    return 2;
  }
}

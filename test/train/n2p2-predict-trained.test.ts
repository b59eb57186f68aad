/**
 * A potential trained and saved by polymorph, read by n2p2 itself: `nnp-predict` and LAMMPS
 * `pair_style hdnnp` must reproduce polymorph's energies and forces to 1e-10 relative (issue 13).
 * Runs when the programs are there and skips (saying so) when they are not:
 *  - `nnp-predict`: the executable in NNP_PREDICT, or `nnp-predict` on the PATH;
 *  - LAMMPS: `lmp` (lmp_serial, lmp_mpi) on the PATH, built with the ML-HDNNP package (`lmp -h`
 *    lists `hdnnp` among its pair styles; Debian's lammps package is not).
 * Run with an n2p2 build:  NNP_PREDICT=/path/to/n2p2/bin/nnp-predict npx vitest run test/train/n2p2-predict-trained.test.ts
 *
 * Two potentials are trained briefly (the numbers need not be good, only the files exact): one on
 * n2p2's H2O set (one element pair, Bohr and Hartree in the files) and one on Cu2S (mean-energy
 * and unit normalisation in `input.nn`). Everything stays in the files' own units: structures are
 * read without unit options and the potential is loaded back the same way, so numbers in are
 * numbers out on both sides. Each structure is given to nnp-predict as its original `begin … end`
 * block of the training file, untouched.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatText, parseText, readAll } from '../../lib/io';
import { Hdnnp } from '../../lib/potentials/hdnnp';
import { Structure } from '../../lib/structure/structure';
import { trainHdnnp } from '../../lib/train';
import { findLammps, findNnpPredict, n2p2OutputRows as rowsOf, sharedData } from '../helpers';

function lammpsWithHdnnp(): string | null {
  const lmp = findLammps();
  if (lmp === null) return null;
  try {
    return /\bhdnnp\b/.test(execFileSync(lmp, ['-h'], { encoding: 'utf8', timeout: 30_000 })) ? lmp : null;
  } catch {
    return null;
  }
}

const nnpPredict = findNnpPredict();
const lammps = lammpsWithHdnnp();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-n2p2-trained-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The `begin … end` blocks of an n2p2 data file, as written. */
function blocksOf(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split(/^(?=[ \t]*begin\b)/m).filter((b) => b.trimStart().startsWith('begin'));
}

/** Largest |a − b| over the force components, relative to the largest |F| of the structure. */
function forceError(ours: Float64Array, theirs: Float64Array): number {
  let worst = 0, scale = 0;
  for (let k = 0; k < ours.length; ++k) {
    worst = Math.max(worst, Math.abs(ours[k] - theirs[k]));
    scale = Math.max(scale, Math.abs(ours[k]));
  }
  return worst / scale;
}

const which = (exe: string | null, what: string): string => (exe ? `with ${exe}` : `SKIPPED: no ${what}`);

describe.each(['H2O_RPBE-D3', 'Cu2S_PBE'])('a potential trained on %s and saved by polymorph', (name) => {
  const data = path.join(sharedData, 'n2p2', 'train', name, 'input.data');
  const dir = path.join(scratch, name);
  const checked = [0, 7, 13];
  let potential: Hdnnp | null = null;
  const trained = async (): Promise<Hdnnp> => {
    if (potential) return potential;
    const structures = readAll(data, { format: 'n2p2' }).slice(0, 20);
    const result = await trainHdnnp(structures, {
      settings: path.join(sharedData, 'n2p2', 'train', name, 'input.nn'), loss: { energy: 1, forces: 1 }, epochs: 3, batchSize: 4, optimizer: { learningRate: 1e-3 }, seed: 5,
    });
    result.potential.save(dir);
    potential = Hdnnp.load(dir);
    return potential;
  };

  it.skipIf(nnpPredict === null)(`nnp-predict reproduces its energies and forces to 1e-10 relative (${which(nnpPredict, 'nnp-predict: set NNP_PREDICT')})`, async () => {
    const hdnnp = await trained();
    const blocks = blocksOf(data);
    for (const k of checked) {
      const run = path.join(dir, `nnp-predict-${k}`);
      fs.mkdirSync(run, { recursive: true });
      for (const f of fs.readdirSync(dir)) if (fs.statSync(path.join(dir, f)).isFile()) fs.copyFileSync(path.join(dir, f), path.join(run, f));
      fs.writeFileSync(path.join(run, 'input.data'), blocks[k]);
      execFileSync(nnpPredict as string, ['0'], { cwd: run, timeout: 120_000, stdio: 'ignore' });
      const [structure] = parseText(blocks[k], { format: 'n2p2' });
      const ours = hdnnp.compute(structure, { forces: true });
      const [[, natoms, , energy]] = rowsOf(path.join(run, 'energy.out'));
      expect(natoms).toBe(structure.length);
      expect(Math.abs(ours.energy - energy) / Math.abs(energy)).toBeLessThan(1e-10);
      const theirs = new Float64Array(3 * structure.length);
      for (const [, index, , , , fx, fy, fz] of rowsOf(path.join(run, 'nnforces.out'))) theirs.set([fx, fy, fz], 3 * (index - 1));
      expect(forceError(ours.forces!.data as Float64Array, theirs)).toBeLessThan(1e-10);
    }
  });

  it.skipIf(lammps === null)(`LAMMPS pair_style hdnnp reproduces its energies and forces to 1e-10 relative (${which(lammps, 'LAMMPS with ML-HDNNP on PATH')})`, async () => {
    const hdnnp = await trained();
    const all = readAll(data, { format: 'n2p2' });
    const elements = hdnnp.settings.elements;
    for (const k of checked) {
      const run = path.join(dir, `lammps-${k}`);
      fs.mkdirSync(run, { recursive: true });
      // LAMMPS may rotate the cell into its restricted form: compare on the structure it reads.
      const text = formatText(all[k], { format: 'lammps-data', types: elements, atomStyle: 'atomic' });
      fs.writeFileSync(path.join(run, 'structure.data'), text);
      const [structure] = parseText(text, { format: 'lammps-data', types: elements }) as Structure[];
      fs.writeFileSync(path.join(run, 'in.hdnnp'), [
        'units metal', 'atom_style atomic', 'boundary p p p', 'read_data structure.data',
        `pair_style hdnnp ${hdnnp.cutoff} dir "${dir}" showew no showewsum 0 resetew no maxew 1000000 cflength 1.0 cfenergy 1.0`,
        `pair_coeff * * ${elements.join(' ')}`,
        'dump forces all custom 1 forces.dump id fx fy fz', 'dump_modify forces sort id format float %.17g',
        'run 0', 'print "ENERGY $(pe:%.17g)"',
      ].join('\n'));
      const log = execFileSync(lammps as string, ['-in', 'in.hdnnp', '-log', 'none'], { cwd: run, timeout: 120_000, encoding: 'utf8' });
      const energy = Number(/^ENERGY (\S+)/m.exec(log)![1]);
      const ours = hdnnp.compute(structure, { forces: true });
      expect(Math.abs(ours.energy - energy) / Math.abs(energy)).toBeLessThan(1e-10);
      const lines = fs.readFileSync(path.join(run, 'forces.dump'), 'utf8').split('\n');
      const at = lines.findIndex((l) => l.startsWith('ITEM: ATOMS'));
      const theirs = new Float64Array(3 * structure.length);
      for (const line of lines.slice(at + 1, at + 1 + structure.length)) {
        const [id, fx, fy, fz] = line.trim().split(/\s+/).map(Number);
        theirs.set([fx, fy, fz], 3 * (id - 1));
      }
      expect(forceError(ours.forces!.data as Float64Array, theirs)).toBeLessThan(1e-10);
    }
  });
});

/**
 * HDNNP benchmark (issue 3): energy + forces per call, neighbour list included, as µs per atom.
 *  - H2O_RPBE-D3 on its 1080-atom example and ×8 (8640 atoms), in its own units (Bohr/Hartree);
 *  - Cu2S_PBE on its 144-atom example ×8 (1152 atoms) and ×64 (9216 atoms);
 *  - 1 and 2 threads; median of several calls, with a turn of the event loop between calls.
 * Anchors (n2p2 v2.3 OpenMP, neighbour list excluded, same kind of machine): H2O 261 / 147 µs/atom
 * (1 / 2 threads), Cu2S ×8 354 / 192. Targets: H2O ≤ 130 / 70, Cu2S ×8 ≤ 175 / 95, per-atom cost
 * flat within 10 % from ~1000 to ~9000 atoms.
 * Needs ../shared/data (the n2p2 example potentials) beside the project.
 * Run: npm run bench -- hdnnp
 */
import * as path from 'path';
import { Hdnnp, read, setNumThreads, Structure } from 'polymorph';
import { sharedData } from './shared-data';
import { medianSecondsAsync, report } from './timing';

const data = path.join(sharedData, 'n2p2', 'potentials');

interface Case { name: string; repeats: [number, number, number][]; anchor: [number, number]; target: [number, number] }
const cases: Case[] = [
  { name: 'H2O_RPBE-D3', repeats: [[1, 1, 1], [2, 2, 2]], anchor: [261, 147], target: [130, 70] },
  { name: 'Cu2S_PBE', repeats: [[2, 2, 2], [4, 4, 4]], anchor: [354, 192], target: [175, 95] },
];

async function main(): Promise<void> {
  for (const c of cases) {
    const potential = Hdnnp.load(path.join(data, c.name));
    const example = read(path.join(data, c.name, 'example.data'), { format: 'n2p2', index: 0 }) as Structure;
    for (const reps of c.repeats) {
      const s = example.repeat(reps);
      for (const threads of [1, 2]) {
        setNumThreads(threads);
        const calls = s.length > 5000 ? 3 : 7;
        const seconds = await medianSecondsAsync(() => potential.compute(s, { forces: true }), calls);
        const perAtom = (seconds / s.length) * 1e6;
        report({
          what: `hdnnp ${c.name} energy+forces (neighbour list included)`, atoms: s.length, repeat: reps, threads,
          median_s: seconds, per_atom_us: perAtom, n2p2_per_atom_us: c.anchor[threads - 1], target_per_atom_us: c.target[threads - 1],
          meets_target: perAtom <= c.target[threads - 1],
        });
      }
    }
  }
}

void main();

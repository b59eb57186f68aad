/**
 * Common neighbour analysis: exact signatures of ideal lattices, one-cell-thin and triclinic cells,
 * ≥ 95 % right on rattled crystals, sync = async, bad input; and the cutoff form against LAMMPS
 * `compute cna/atom` (needs `lmp` on the PATH; skipped, and says so, without it).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { cna, cnaAsync } from '../../lib/analysis/cna';
import { bcc, fcc, fromFractional, hcp, rattle } from '../../lib/build/crystals';
import { formatText } from '../../lib/io';
import { Structure } from '../../lib/structure/structure';
import { errorCode, findLammps } from '../helpers';

const lammps = findLammps();

/** Signature counts of atom i as "cn,b,lcb": count. */
function signature(r: ReturnType<typeof cna>, i: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let p = r.bonds.rowPtr[i]; p < r.bonds.rowPtr[i + 1]; ++p) {
    const key = [0, 1, 2].map((k) => r.bonds.signatures.get(p, k)).join(',');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('cna', () => {
  it('ideal fcc, hcp, bcc: every atom labelled, with the textbook signatures (adaptive and with a cutoff)', () => {
    const cases: [Structure, string, Record<string, number>, number][] = [
      [fcc('Cu', 3.61).repeat(3), 'fcc', { '4,2,1': 12 }, 3.08],
      [hcp('Mg', 3.21).repeat(3), 'hcp', { '4,2,1': 6, '4,2,2': 6 }, 3.87],
      [bcc('Fe', 2.87).repeat(3), 'bcc', { '6,6,6': 8, '4,4,4': 6 }, 3.46],
    ];
    for (const [s, label, sig, cutoff] of cases) {
      for (const r of [cna(s), cna(s, { cutoff })]) {
        expect(r.counts[label as 'fcc']).toBe(s.length);
        expect(r.labels.every((l) => l === label)).toBe(true);
        expect(signature(r, 1)).toEqual(sig);
      }
    }
  });

  it('a single conventional cell and a primitive triclinic cell (all neighbours are images) are fcc', () => {
    expect(cna(fcc('Cu', 3.61)).counts.fcc).toBe(4);
    const a = 3.61;
    const primitive = fromFractional([[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]], [[0, 0, 0]], ['Cu']);
    expect(cna(primitive).labels).toEqual(['fcc']);
    expect(cna(primitive, { cutoff: 3.0 }).labels).toEqual(['fcc']);
    // One cell thick along c, many cells in-plane: still hcp everywhere.
    expect(cna(hcp('Mg', 3.21).repeat([6, 6, 1])).counts.hcp).toBe(72);
  });

  it('≥ 95 % right in crystals rattled by 5 % of the nearest-neighbour distance; async equals sync', async () => {
    const cases: [Structure, 'fcc' | 'hcp' | 'bcc', number][] = [
      [fcc('Cu', 3.61).repeat(6), 'fcc', 3.61 / Math.SQRT2], [hcp('Mg', 3.21).repeat(6), 'hcp', 3.21], [bcc('Fe', 2.87).repeat(7), 'bcc', (2.87 * Math.sqrt(3)) / 2],
    ];
    for (const [s, label, nn] of cases) {
      const moved = rattle(s, (0.05 * nn) / Math.sqrt(3), 11);
      const r = cna(moved);
      expect(r.counts[label] / s.length).toBeGreaterThanOrEqual(0.95);
      const later = await cnaAsync(moved);
      expect(later.codes).toEqual(r.codes);
      expect(later.bonds.signatures.data).toEqual(r.bonds.signatures.data);
    }
  });

  it('bad input: typed errors', () => {
    expect(errorCode(() => cna(new Structure({ positions: [], symbols: [] })))).toBe('E_EMPTY');
    expect(errorCode(() => cna(fcc('Cu', 3.61), { cutoff: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => cna(fcc('Cu', 3.61), { cutoff: 3, adaptive: true }))).toBe('E_VALUE');
    expect(errorCode(() => cna(fcc('Cu', 3.61), { radius: 3 } as never))).toBe('E_VALUE');
    expect(errorCode(() => cna({} as never))).toBe('E_TYPE');
    const bad = fcc('Cu', 3.61);
    bad.positions.set(1, 1, Number.NaN);
    expect(errorCode(() => cna(bad))).toBe('E_VALUE');
  });

  it.skipIf(lammps === null)(`the cutoff form equals LAMMPS compute cna/atom atom by atom (${lammps ? `with ${lammps}` : 'SKIPPED: no lmp on PATH'})`, () => {
    const cases: [Structure, number][] = [
      [rattle(fcc('Cu', 3.61).repeat(5), 0.07, 3), 3.08], [rattle(hcp('Mg', 3.21).repeat(5), 0.09, 5), 3.87], [rattle(bcc('Fe', 2.87).repeat(6), 0.08, 7), 3.46],
      // a triclinic (primitive fcc) cell repeated, rattled harder: a mix of fcc and other
      [rattle(fromFractional([[0, 1.805, 1.805], [1.805, 0, 1.805], [1.805, 1.805, 0]], [[0, 0, 0]], ['Cu']).repeat(8), 0.15, 9), 3.08],
    ];
    const lammpsCode = ['other', 'fcc', 'hcp', 'bcc', 'ico', 'other'];
    for (const [s, cutoff] of cases) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-cna-'));
      try {
        fs.writeFileSync(path.join(dir, 'start.data'), formatText(s, { format: 'lammps-data' }));
        fs.writeFileSync(path.join(dir, 'in.cna'), [
          'units metal', 'atom_style atomic', 'boundary p p p', 'read_data start.data', `pair_style zero ${cutoff + 0.5}`, 'pair_coeff * *',
          'mass * 1.0', `compute c all cna/atom ${cutoff}`, 'dump d all custom 1 cna.dump id c_c', 'dump_modify d sort id', 'run 0',
        ].join('\n'));
        execFileSync(lammps as string, ['-in', 'in.cna', '-log', 'none', '-screen', 'none'], { cwd: dir, timeout: 60_000 });
        const lines = fs.readFileSync(path.join(dir, 'cna.dump'), 'utf8').trim().split('\n');
        const start = lines.findIndex((l) => l.startsWith('ITEM: ATOMS')) + 1;
        const theirs = lines.slice(start).map((l) => lammpsCode[Number(l.trim().split(/\s+/)[1])]);
        const ours = cna(s, { cutoff }).labels;
        expect(theirs.length).toBe(s.length);
        const differing = ours.filter((l, i) => l !== theirs[i]).length;
        console.log(`cna vs LAMMPS (${s.formula}, cutoff ${cutoff} Å): ${differing} of ${s.length} labels differ; ours ${JSON.stringify(cna(s, { cutoff }).counts)}`);
        expect(differing).toBe(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

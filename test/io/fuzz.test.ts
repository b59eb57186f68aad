/**
 * Parser fuzzing: random mutations of valid files of every format — files polymorph writes, files
 * LAMMPS and ASE wrote (fixtures), n2p2 data from ../shared, hand-written POSCAR variants. Whatever
 * the input, a parser returns structures with finite coordinates or throws a PolymorphError —
 * never another error, a crash or a hang. CI runs FUZZ_CASES (default 24 000) cases in all.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { rattle, wurtzite } from '../../lib/build/crystals';
import { mulberry32 } from '../../lib/core/random';
import { PolymorphError } from '../../lib/core/errors';
import { FormatName, formatText, parseText, ReadOptions } from '../../lib/io/index';
import { Structure } from '../../lib/structure/structure';
import { sharedData } from '../helpers';

const totalCases = Number(process.env.FUZZ_CASES ?? 24000);

function sampleStructure(): Structure {
  const base = rattle(wurtzite().repeat([2, 1, 1]), 0.05, 9);
  const random = mulberry32(5);
  const small = (): number[][] => Array.from({ length: base.length }, () => [random() - 0.5, random() - 0.5, random() - 0.5]);
  return new Structure({
    positions: base.positions, numbers: base.numbers, cell: base.cell, pbc: true,
    velocities: small().map((v) => v.map((x) => 0.01 * x)),
    charges: Array.from(base.numbers, (z) => (z === 30 ? 1.2 : -1.2)),
    info: { energy: -12.5 },
    arrays: { forces: small() },
  });
}

/** Read options of a seed: the elements of LAMMPS atom types where the format takes them. */
const optionsFor = (format: FormatName): ReadOptions & { format: FormatName } =>
  (format === 'lammps-data' || format === 'lammps-dump' || format === 'poscar' ? { format, types: ['Zn', 'O'] } : { format });

function seeds(): { format: FormatName; text: string; options: ReadOptions & { format: FormatName } }[] {
  const s = sampleStructure();
  const out: { format: FormatName; text: string; options: ReadOptions & { format: FormatName } }[] = [];
  for (const format of ['extxyz', 'n2p2', 'lammps-data', 'lammps-dump', 'poscar'] as FormatName[]) {
    const frames = format === 'lammps-data' || format === 'poscar' ? [s] : [s, s.select([0, 1, 2])];
    out.push({ format, text: formatText(frames, { format }), options: optionsFor(format) });
  }
  const fixtures = path.join(__dirname, 'fixtures');
  const files: [FormatName, string, number?][] = [
    ['extxyz', path.join(sharedData, 'reference', 'structures', 'BCT.xyz')],
    ['extxyz', path.join(fixtures, 'extxyz', 'ase_calculator.xyz')],
    ['n2p2', path.join(sharedData, 'n2p2', 'potentials', 'DMABN_SCAN', 'example.data')],
    ['n2p2', path.join(sharedData, 'n2p2', 'train', 'LJ', 'input.data'), 30],
    ['lammps-data', path.join(fixtures, 'lammps', 'zno.data')],
    ['lammps-data', path.join(fixtures, 'lammps', 'tric.data')],
    ['lammps-data', path.join(fixtures, 'lammps', 'al.data')],
    ['lammps-dump', path.join(fixtures, 'lammps', 'zno.dump')],
    ['lammps-dump', path.join(fixtures, 'lammps', 'tric.dump')],
    ['lammps-dump', path.join(fixtures, 'lammps', 'al.dump')],
  ];
  for (const [format, file, lines] of files) {
    const text = fs.readFileSync(file, 'utf8');
    out.push({ format, text: lines ? text.split('\n').slice(0, lines).join('\n') : text, options: optionsFor(format) });
  }
  const poscars = [
    ['slab', '-300', '4 0 0', '0 4 0', '1 1 20', 'Pt O', '2 1', 'Selective dynamics', 'Cartesian', '0 0 0 F F F', '2 2 1 T T T', '2 2 3 T F T', '', '0.1 0 0', '0 0.1 0', '0 0 0.1', ''],
    ['Zn O', '1 1 2', '3 0 0', '-1.5 2.6 0', '0 0 5', '2 2', 'Direct', '0 0 0', '0.3 0.6 0.5', '0 0 0.4', '0.3 0.6 0.9'],
  ];
  for (const lines of poscars) out.push({ format: 'poscar', text: lines.join('\n'), options: { format: 'poscar' } });
  return out;
}

// Tokens that mean something to one of the parsers, or that numbers must not be.
const garbage = [
  '', ' ', 'nan', 'NaN', 'inf', '-inf', '1e400', '1e999', '-0', 'x', '3.5.1', '1,5', '"', "'", '=', 'T', 'F', 'Q', 'L',
  '{', '}', '[', ']', '\\', 'Lattice=', 'Properties=species:S:1', ':R:', '_JSON', 'pbc="T F"', '99999999999', '-1', '0',
  '2.5', '.5', '1e-320', 'ITEM:', 'ITEM: ATOMS id x', 'begin', 'end', 'atom', 'lattice', 'Atoms', 'Masses', 'Velocities',
  '# charge', 'xlo xhi', 'xy xz yz', 'atoms', 'Selective', 'Cartesian', 'Direct', '1 1 1', 'Zz', 'Zn', 'H', '\t', '\u00e9', '\u0000',
];

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number): number => Math.floor(random() * n);
  const k = pick(lines.length);
  switch (pick(9)) {
    case 0: lines.splice(k, 1); break;                                              // delete a line
    case 1: lines.splice(k, 0, lines[pick(lines.length)]); break;                   // duplicate a line
    case 2: { const j = pick(lines.length); [lines[k], lines[j]] = [lines[j], lines[k]]; break; } // swap two lines
    case 3: return lines.slice(0, k).join('\n') + '\n' + (lines[k] ?? '').slice(0, pick((lines[k] ?? '').length + 1)); // truncate
    case 4: {                                                                       // replace a token
      const tokens = (lines[k] ?? '').split(' ');
      tokens[pick(tokens.length)] = garbage[pick(garbage.length)];
      lines[k] = tokens.join(' ');
      break;
    }
    case 5: {                                                                       // change a number
      lines[k] = (lines[k] ?? '').replace(/-?\d+(\.\d+)?/, () => String([0, -1, 1e9, 2 ** 31, 7, 1e-300][pick(6)]));
      break;
    }
    case 6: {                                                                       // insert random characters
      const line = lines[k] ?? '';
      const at = pick(line.length + 1);
      const chars = Array.from({ length: 1 + pick(4) }, () => String.fromCharCode(32 + pick(95))).join('');
      lines[k] = line.slice(0, at) + chars + line.slice(at);
      break;
    }
    case 7: lines.splice(k, 0, ''); break;                                           // blank line
    default: {                                                                      // drop a token
      const tokens = (lines[k] ?? '').split(' ');
      tokens.splice(pick(tokens.length), 1);
      lines[k] = tokens.join(' ');
    }
  }
  return lines.join('\n');
}

describe('parser fuzzing', () => {
  const cases = seeds();
  it('the seeds themselves parse', () => {
    for (const c of cases) expect(parseText(c.text, { ...c.options, index: ':' }).length).toBeGreaterThan(0);
  });

  it(`${totalCases} mutated files: structures with finite values or a PolymorphError, nothing else`, () => {
    const random = mulberry32(20261121);
    const outcomes = { parsed: 0, rejected: 0 };
    const perSeed = Math.ceil(totalCases / cases.length);
    for (const c of cases) {
      for (let n = 0; n < perSeed; ++n) {
        let text = c.text;
        const mutations = 1 + Math.floor(random() * 3);
        for (let m = 0; m < mutations; ++m) text = mutate(text, random);
        let frames: Structure[];
        try {
          frames = parseText(text, { ...c.options, index: ':' }, 'fuzz');
        } catch (error) {
          if (!(error instanceof PolymorphError)) {
            throw new Error(`${c.format}: a non-PolymorphError escaped (${String(error)}) for input:\n${text}`);
          }
          expect(error.message.length).toBeGreaterThan(0);
          outcomes.rejected++;
          continue;
        }
        for (const s of frames) {
          for (const x of s.positions.data) if (!Number.isFinite(x)) throw new Error(`${c.format}: non-finite position accepted:\n${text}`);
          if (s.cell) for (const x of s.cell.data) if (!Number.isFinite(x)) throw new Error(`${c.format}: non-finite cell accepted:\n${text}`);
        }
        outcomes.parsed++;
      }
    }
    expect(outcomes.parsed + outcomes.rejected).toBeGreaterThanOrEqual(totalCases);
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.parsed).toBeGreaterThan(0);
  });
});

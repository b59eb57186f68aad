import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import { networkLayers, readN2p2Settings } from '../../lib/potentials/n2p2-settings';
import {
  connectionCount, formatN2p2Weights, parseN2p2Weights, readN2p2Weights, weightsFileHeader, weightsFileName,
} from '../../lib/potentials/n2p2-weights';
import { atomicNumber } from '../../lib/structure/elements';
import { sharedData } from '../helpers';
import { catchParseError } from '../io/helpers';

const potentials = path.join(sharedData, 'n2p2', 'potentials');
const names = ['H2O_RPBE-D3', 'H2O_BLYP-D3', 'Cu2S_PBE', 'Anisole_SCAN', 'Ethylbenzene_SCAN', 'DMABN_SCAN'];

/** Every shipped weights file with the layer sizes its input.nn gives. */
const shipped = names.flatMap((name) => {
  const settings = readN2p2Settings(path.join(potentials, name, 'input.nn'));
  return settings.elements.map((element) => ({
    name, element, layers: networkLayers(settings, element),
    file: path.join(potentials, name, weightsFileName(atomicNumber(element))),
  }));
});

/** A small network 2-3-1: 2·3+3 + 3·1+1 = 13 connections. */
const small = [2, 3, 1];
const smallValues = Float64Array.from({ length: 13 }, (_, k) => (k - 6) / 7);

describe('weights file names and counts', () => {
  it('names files by atomic number, three digits', () => {
    expect(weightsFileName(1)).toBe('weights.001.data');
    expect(weightsFileName(8)).toBe('weights.008.data');
    expect(weightsFileName(29)).toBe('weights.029.data');
    expect(weightsFileName(102)).toBe('weights.102.data');
    expect(() => weightsFileName(0)).toThrow(PolymorphError);
    expect(() => weightsFileName(1.5)).toThrow(PolymorphError);
  });

  it('counts (n_{l-1}+1)·n_l over layers', () => {
    expect(connectionCount([27, 25, 25, 1])).toBe(1376);
    expect(connectionCount([30, 25, 25, 1])).toBe(1451);
    expect(connectionCount([3, 10, 10, 1])).toBe(161); // spec §8
    expect(connectionCount(small)).toBe(13);
    expect(() => connectionCount([5])).toThrow(PolymorphError);
    expect(() => connectionCount([5, 0, 1])).toThrow(PolymorphError);
  });
});

describe('shipped weights files', () => {
  it('finds all 14 files', () => {
    expect(shipped).toHaveLength(14);
  });

  it.each(shipped.map((s) => [`${s.name} ${s.element}`, s] as const))('%s: reads exactly the expected count', (_, s) => {
    const w = readN2p2Weights(s.file, connectionCount(s.layers), s.layers);
    expect(w.length).toBe(connectionCount(s.layers));
    // the last line of an n2p2 file is the output bias, labelled with the total count
    const lines = fs.readFileSync(s.file, 'utf8').trimEnd().split('\n');
    const last = lines[lines.length - 1].trim().split(/\s+/);
    expect(last.slice(1, 3)).toEqual(['b', String(w.length)]);
    expect(w[w.length - 1]).toBe(Number(last[0]));
    expect(w[0]).toBe(Number(lines[16].trim().split(/\s+/)[0]));
  });

  it('H2O_RPBE-D3 H network 27-25-25-1 has 1376 values', () => {
    const file = path.join(potentials, 'H2O_RPBE-D3', 'weights.001.data');
    const w = readN2p2Weights(file, 1376, [27, 25, 25, 1]);
    expect(w.length).toBe(1376);
    expect(w[0]).toBe(1.2539155865352127);
    expect(w[1375]).toBe(9.7386086372975722);
  });

  it.each(shipped.map((s) => [`${s.name} ${s.element}`, s] as const))('%s: formatting reproduces the file byte for byte', (_, s) => {
    const original = fs.readFileSync(s.file, 'utf8');
    const w = parseN2p2Weights(original, s.file, connectionCount(s.layers), s.layers);
    expect(formatN2p2Weights(w, s.layers) === original).toBe(true);
  });

  it('the header is n2p2\'s, 16 lines', () => {
    const original = fs.readFileSync(shipped[0].file, 'utf8');
    expect(original.startsWith(weightsFileHeader)).toBe(true);
    expect(weightsFileHeader.split('\n')).toHaveLength(17);
  });
});

describe('formatting', () => {
  it('writes the §3.3 line layout in connection order', () => {
    const text = formatN2p2Weights(smallValues, small);
    const lines = text.slice(weightsFileHeader.length).split('\n');
    expect(lines).toHaveLength(14); // 13 lines and the final newline
    expect(lines[0]).toBe(' -8.5714285714285710E-01 a         1     0     1     1     1');
    expect(lines[2]).toBe(' -5.7142857142857140E-01 a         3     0     1     1     3');
    expect(lines[3]).toBe(' -4.2857142857142855E-01 a         4     0     2     1     1');
    expect(lines[6]).toBe('  0.0000000000000000E+00 b         7     1     1');
    expect(lines[9]).toBe('  4.2857142857142855E-01 a        10     1     1     2     1');
    expect(lines[12]).toBe('  8.5714285714285710E-01 b        13     2     1');
    expect(parseN2p2Weights(text, 'w', 13, small)).toEqual(smallValues);
  });

  it('refuses a wrong length or non-finite values', () => {
    expect(() => formatN2p2Weights(new Float64Array(12), small)).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    const bad = Float64Array.from(smallValues);
    bad[4] = NaN;
    expect(() => formatN2p2Weights(bad, small)).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
  });
});

describe('parsing', () => {
  const text = formatN2p2Weights(smallValues, small);
  const header = weightsFileHeader.split('\n').length - 1; // 16 header lines

  it('reads one-column (RuNNer) files, skipping empty and # lines', () => {
    const runner = ['# comment', '', ...Array.from(smallValues, (x) => `  ${x}`), ''].join('\n');
    expect(parseN2p2Weights(runner, 'w', 13)).toEqual(smallValues);
    expect(parseN2p2Weights(runner, 'w', 13, small)).toEqual(smallValues);
  });

  it('refuses too few values (line 0, with counts and layers)', () => {
    const short = text.split('\n').slice(0, header + 12).join('\n') + '\n';
    const e = catchParseError(() => parseN2p2Weights(short, 'w.data', 13, small), 'w.data', 0, /exactly 13 values for layers 2-3-1, found 12/);
    expect(e.message).toMatch(/^w\.data: /);
  });

  it('refuses too many values at the line of the first extra one', () => {
    catchParseError(() => parseN2p2Weights(`${text}1.0\n# note\n2.0\n`, 'w.data', 13, small), 'w.data', header + 14, /exactly 13 values for layers 2-3-1, found 15 \(this line holds value 14/);
    catchParseError(() => parseN2p2Weights(`${text}1.0\n`, 'w.data', 13), 'w.data', header + 14, /exactly 13 values, found 14/);
  });

  it('refuses malformed, non-finite and Fortran-exponent values with their line', () => {
    const lines = text.split('\n');
    const swap = (k: number, first: string): string => {
      const copy = [...lines];
      copy[header + k] = copy[header + k].replace(/^\s*\S+/, first);
      return copy.join('\n');
    };
    catchParseError(() => parseN2p2Weights(swap(4, '1.0x'), 'w.data', 13, small), 'w.data', header + 5, /finite real number/);
    catchParseError(() => parseN2p2Weights(swap(4, 'nan'), 'w.data', 13, small), 'w.data', header + 5, /finite real number/);
    catchParseError(() => parseN2p2Weights(swap(4, '1e999'), 'w.data', 13, small), 'w.data', header + 5, /finite real number/);
    const e = catchParseError(() => parseN2p2Weights(swap(2, '1.0d-3'), 'w.data', 13, small), 'w.data', header + 3, /write 1\.0e-3/);
    expect(e.message).toMatch(/n2p2 would silently read 1\.0d-3 as 1\.0/);
  });

  it('refuses a whitespace-only line (n2p2 reads NaN)', () => {
    const lines = text.split('\n');
    lines.splice(header + 3, 0, '   ');
    catchParseError(() => parseN2p2Weights(lines.join('\n'), 'w.data', 13, small), 'w.data', header + 4, /NaN/);
  });

  it('refuses CR line ends at the first such line', () => {
    catchParseError(() => parseN2p2Weights(text.replace(/\n/g, '\r\n'), 'w.data', 13, small), 'w.data', 1, /convert the file to LF/);
    const lines = text.split('\n');
    lines[header + 5] += '\r';
    catchParseError(() => parseN2p2Weights(lines.join('\n'), 'w.data', 13, small), 'w.data', header + 6, /LF line ends/);
  });

  it('refuses a file written for another topology with the same count', () => {
    // [3, 3, 1]: 4·3 + 4·1 = 16 connections; [1, 5, 1]: 2·5 + 6·1 = 16 as well
    const p = [3, 3, 1], q = [1, 5, 1];
    expect(connectionCount(p)).toBe(connectionCount(q));
    const written = formatN2p2Weights(new Float64Array(16).fill(0.5), p);
    expect(parseN2p2Weights(written, 'w.data', 16)).toHaveLength(16); // without layers: no label check
    catchParseError(() => parseN2p2Weights(written, 'w.data', 16, q), 'w.data', header + 4, /another network topology/);
  });

  it('checks that layers and expectedCount agree', () => {
    expect(() => parseN2p2Weights(text, 'w', 14, small)).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    expect(() => parseN2p2Weights(text, 'w', 0)).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
  });

  it('a missing file is E_IO naming the path', () => {
    const missing = path.join(potentials, 'H2O_RPBE-D3', 'weights.099.data');
    let caught: unknown;
    try {
      readN2p2Weights(missing, 13);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolymorphError);
    expect((caught as PolymorphError).code).toBe('E_IO');
    expect((caught as PolymorphError).message).toContain(missing);
  });
});

/**
 * HDNNP against n2p2 v2.3.0 `nnp-predict` on the shipped examples (acceptance: energy to 1e-10
 * relative, every force component to 1e-9 absolute, in the potential's units).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../lib/io';
import { Hdnnp } from '../../lib/potentials/hdnnp';
import { n2p2OutputRows as rowsOf, sharedData } from '../helpers';

const potentials = join(sharedData, 'n2p2', 'potentials');
const reference = join(sharedData, 'n2p2', 'reference');

describe.each(['H2O_RPBE-D3', 'Cu2S_PBE'])('%s equals n2p2 nnp-predict', (name) => {
  // Units: the potential's own (numbers in, numbers out), so results compare with n2p2 directly.
  const potential = Hdnnp.load(join(potentials, name));
  const structure = read(join(potentials, name, 'example.data'), { format: 'n2p2', index: 0 });
  const result = potential.compute(structure, { forces: true, atomEnergies: true });

  it('energy to 1e-10 relative', () => {
    const [[, natoms, , energy]] = rowsOf(join(reference, name, 'energy.out'));
    expect(natoms).toBe(structure.length);
    expect(Math.abs(result.energy - energy) / Math.abs(energy)).toBeLessThan(1e-10);
  });

  it('every force component to 1e-9 absolute', () => {
    const rows = rowsOf(join(reference, name, 'nnforces.out'));
    expect(rows.length).toBe(structure.length);
    let worst = 0;
    for (const [, index, , , , fx, fy, fz] of rows) {
      const i = index - 1;
      [fx, fy, fz].forEach((f, k) => { worst = Math.max(worst, Math.abs(result.forces!.get(i, k) - f)); });
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('atomic NN energies match nnatoms.out (without mean energy and offsets)', () => {
    const rows = rowsOf(join(reference, name, 'nnatoms.out'));
    const settings = potential.settings;
    const mean = settings.normalization?.meanEnergy ?? 0;
    let worst = 0;
    for (const [, index, z, , , , e] of rows) {
      const i = index - 1;
      expect(structure.numbers[i]).toBe(z);
      const offset = settings.atomEnergies[structure.symbols[i]] ?? 0;
      worst = Math.max(worst, Math.abs(result.atomEnergies![i] - mean - offset - e));
    }
    expect(worst).toBeLessThan(1e-10);
  });
});

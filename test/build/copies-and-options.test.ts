/**
 * Builders return new structures and never touch their input; builders that take an options
 * object refuse misspelt keys with E_VALUE naming the expected ones.
 */
import { describe, expect, it } from 'vitest';
import * as build from '../../lib/build/index';
import { fcc, rattle, wurtzite } from '../../lib/build/crystals';
import { relaxLattice } from '../../lib/build/relax-lattice';
import { addVacuum, wurtziteNonPolarSlab, wurtzitePolarSlab } from '../../lib/build/surfaces';
import { gaussian, mulberry32 } from '../../lib/core/random';
import type { Potential } from '../../lib/potentials/potential';
import { Structure } from '../../lib/structure/structure';

/** The bytes of a Float64Array, for bit-for-bit comparisons (−0 ≠ 0, NaN = NaN). */
const bytes = (a: Float64Array): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** A structure with every optional field set, so that copies can be checked field by field. */
function labelled(): Structure {
  const base = wurtzite().repeat([2, 1, 1]);
  return new Structure({
    positions: base.positions, numbers: base.numbers, cell: base.cell, pbc: true,
    velocities: Array.from({ length: base.length }, (_, i) => [0.001 * i, -0.002, 0]),
    charges: Array.from({ length: base.length }, (_, i) => (i % 2 === 0 ? 1.2 : -1.2)),
    info: { energy: -3.5, comment: 'reference' },
    arrays: { forces: Array.from({ length: base.length }, () => [0.1, -0.2, 0.3]) },
  });
}

function expectUnexpectedKey(fn: () => unknown, what: string, key: string, expected: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `${what} accepted '${key}'`).toMatchObject({ code: 'E_VALUE' });
  const message = (caught as Error).message;
  expect(message).toContain(what);
  expect(message).toContain(`'${key}'`);
  expect(message).toContain(expected);
}

describe('builders return new structures', () => {
  it('rattle leaves its input bit-identical and returns a displaced copy with every label', () => {
    const input = labelled();
    const before = bytes(input.positions.data);
    const out = rattle(input, 0.1, 3);
    expect(out).not.toBe(input);
    expect(bytes(input.positions.data)).toEqual(before);
    expect(out.positions.data).not.toBe(input.positions.data);
    expect(Array.from(out.positions.data).some((x, k) => x !== input.positions.data[k])).toBe(true);
    expect(out.symbols).toEqual(input.symbols);
    expect(Array.from(out.velocities!.data)).toEqual(Array.from(input.velocities!.data));
    expect(Array.from(out.charges!)).toEqual(Array.from(input.charges!));
    expect(out.info).toEqual(input.info);
    expect(Array.from((out.arrays.forces as { data: Float64Array }).data)).toEqual(Array.from((input.arrays.forces as { data: Float64Array }).data));
    // Changing the copy does not reach the input.
    out.positions.set(0, 0, 99);
    out.info.energy = 0;
    expect(input.positions.get(0, 0)).not.toBe(99);
    expect(input.info.energy).toBe(-3.5);
  });

  it('rattle draws the same displacements as gaussian(mulberry32(seed)) and refuses bad arguments', () => {
    const input = fcc('Al', 4.05).repeat(2);
    const out = rattle(input, 0.05, 11);
    const gauss = gaussian(mulberry32(11));
    for (let k = 0; k < input.positions.data.length; ++k) expect(out.positions.data[k]).toBe(input.positions.data[k] + 0.05 * gauss());
    expect(() => rattle(input, -0.1)).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    expect(() => rattle(input, 0.1, 1.5)).toThrow(expect.objectContaining({ code: 'E_VALUE' }));
    expect(() => rattle({} as Structure, 0.1)).toThrow(expect.objectContaining({ code: 'E_TYPE' }));
  });

  it('addVacuum leaves its input bit-identical', () => {
    const input = labelled();
    const positions = bytes(input.positions.data), cell = bytes(input.cell!.data);
    const out = addVacuum(input, 2, 10);
    expect(out).not.toBe(input);
    expect(bytes(input.positions.data)).toEqual(positions);
    expect(bytes(input.cell!.data)).toEqual(cell);
    expect(out.cell!.get(2, 2)).toBeCloseTo(input.cell!.get(2, 2) + 10, 12);
  });

  it('every crystal and slab builder returns a fresh structure on each call', () => {
    const makers: [string, () => Structure][] = [
      ['fcc', () => build.fcc('Cu', 3.61)], ['bcc', () => build.bcc('Fe', 2.87)], ['simpleCubic', () => build.simpleCubic('Po', 3.35)],
      ['hcp', () => build.hcp('Mg', 3.21)], ['diamond', () => build.diamond('Si', 5.43)], ['rocksalt', () => build.rocksalt(['Na', 'Cl'], 5.64)],
      ['zincblende', () => build.zincblende(['Zn', 'S'], 5.41)], ['wurtzite', () => build.wurtzite()], ['cesiumChloride', () => build.cesiumChloride(['Cs', 'Cl'], 4.12)],
      ['wurtzitePolarSlab', () => build.wurtzitePolarSlab(2)], ['wurtziteNonPolarSlab', () => build.wurtziteNonPolarSlab(2)],
    ];
    for (const [name, make] of makers) {
      const first = make();
      const reference = bytes(first.positions.data);
      first.positions.set(0, 0, 1234);
      expect(bytes(make().positions.data), name).toEqual(reference);
    }
  });

  it('the random-number generator is not part of the public build module', () => {
    expect('mulberry32' in build).toBe(false);
    expect('gaussian' in build).toBe(false);
  });
});

describe('builder options are checked', () => {
  const potential: Potential = {
    cutoff: 0,
    compute: () => ({ energy: 0 }),
    computeAsync: async () => ({ energy: 0 }),
  } as unknown as Potential;

  it('relaxLattice', () => {
    expectUnexpectedKey(() => relaxLattice(([a]) => fcc('Al', a), potential, [4.05], { maxEvaluation: 10 } as never),
      'relaxLattice', 'maxEvaluation', 'maxEvaluations');
  });

  it('wurtzitePolarSlab', () => {
    expectUnexpectedKey(() => wurtzitePolarSlab(2, { vaccum: 10 } as never), 'wurtzitePolarSlab', 'vaccum', 'vacuum');
  });

  it('wurtziteNonPolarSlab', () => {
    expectUnexpectedKey(() => wurtziteNonPolarSlab(2, { top: 'Zn' } as never), 'wurtziteNonPolarSlab', 'top', 'vacuum');
  });

  it('an options argument that is not an object is E_TYPE', () => {
    expect(() => wurtzitePolarSlab(2, 10 as never)).toThrow(expect.objectContaining({ code: 'E_TYPE' }));
  });
});

/**
 * `util.inspect` (what notebooks and `console.log` show) prints every public class and every kind
 * of result as a short summary: at most 15 lines, with the facts a reader looks for, never the
 * elements of an array.
 */
import { join } from 'path';
import { inspect } from 'util';
import { describe, expect, it } from 'vitest';
import { rattle, wurtzite } from '../../lib/build/crystals';
import { describeArray, formatNumber, objectSummary, summary, withSummary } from '../../lib/core/inspect';
import { PlipDescriptors } from '../../lib/descriptors/plip';
import { radialGrid } from '../../lib/descriptors/symmetry-function-grids';
import { SymmetryFunctionStatisticsAccumulator } from '../../lib/descriptors/symmetry-function-statistics';
import { SymmetryFunctions } from '../../lib/descriptors/symmetry-functions';
import { read } from '../../lib/io';
import { Buckingham } from '../../lib/potentials/buckingham';
import { Coulomb } from '../../lib/potentials/coulomb';
import { Ewald } from '../../lib/potentials/ewald';
import { Hdnnp } from '../../lib/potentials/hdnnp';
import { LennardJones } from '../../lib/potentials/lennard-jones';
import { LinearPotential } from '../../lib/potentials/linear';
import { SumPotential } from '../../lib/potentials/sum';
import { NeighborList } from '../../lib/structure/neighbor-list';
import { Structure } from '../../lib/structure/structure';
import { sharedData } from '../helpers';

/** What console.log prints, checked to be short and to contain every fact. */
function expectSummary(value: unknown, ...facts: (string | RegExp)[]): string {
  const text = inspect(value);
  const lines = text.split('\n');
  expect(lines.length, text).toBeLessThanOrEqual(15);
  expect(Math.max(...lines.map((l) => l.length)), text).toBeLessThanOrEqual(140);
  for (const fact of facts) {
    if (typeof fact === 'string') expect(text).toContain(fact);
    else expect(text).toMatch(fact);
  }
  return text;
}

const zno = rattle(wurtzite().repeat([3, 3, 2]), 0.02, 1); // 72 atoms
const charged = new Structure({ symbols: zno.symbols, positions: zno.positions, cell: zno.cell, pbc: true, charges: zno.symbols.map((e) => (e === 'Zn' ? 2 : -2)) });
const buckingham = new Buckingham({ pairs: { 'Zn-O': { A: 529.7, rho: 0.3581, C: 0 }, 'O-O': { A: 9547.96, rho: 0.21916, C: 32 } }, cutoff: 8 });
const ewald = new Ewald({ charges: { Zn: 2, O: -2 }, accuracy: 1e-5 });
const plip = new PlipDescriptors({ elements: ['Zn', 'O'], cutoff: 5, grid: { widths: [1], centres: [1, 2, 3, 4] }, threeBody: { lmax: 2 } });
const linear = new LinearPotential({ descriptors: plip, weights: new Float64Array(plip.featureCount).fill(0.01), offsets: { Zn: -1.5, O: -2.5 } });

describe('the inspect helpers', () => {
  it('format numbers, arrays and fields', () => {
    expect(formatNumber(-12.345678901)).toBe('-12.3457');
    expect(formatNumber(1e-6)).toBe('1e-6');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-748166.1234567, 10)).toBe('-748166.1235');
    expect(describeArray(zno.positions)).toBe('ndarray [72,3] Float64');
    expect(describeArray(new Int32Array(5))).toBe('Int32Array(5)');
    expect(summary('X', { a: 1, b: 'two', c: undefined })).toBe('X { a: 1; b: two }');
  });

  it('put long summaries on one line per field, at most 14 lines', () => {
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`field${k}`, 'x'.repeat(20)]));
    const text = summary('Big', fields);
    expect(text.split('\n')).toHaveLength(14);
    expect(text).toContain('… 19 more');
  });

  it('withSummary hides its printer: keys, equality and JSON are those of the plain object', () => {
    const plain = { energy: -1.5, forces: zno.positions };
    const shaped = withSummary({ ...plain }, 'Results');
    expect(Object.keys(shaped)).toEqual(['energy', 'forces']);
    expect(shaped).toEqual(plain);
    expect(JSON.stringify(shaped)).toBe(JSON.stringify(plain));
    expect(inspect(shaped)).toBe(objectSummary('Results', plain, { energy: 'eV', forces: 'eV/Å' }));
    expectSummary(shaped, 'energy: -1.5 eV', 'forces: ndarray [72,3] Float64 eV/Å');
  });
});

describe('public classes print a summary', () => {
  it('Structure and NeighborList', () => {
    expectSummary(zno, "formula='O36Zn36'", 'N=72');
    expectSummary(NeighborList.build(zno, 4, { skin: 0.5 }), 'NeighborList', 'atoms: 72', 'full list', 'cutoff: 4 Å + skin 0.5 Å', 'neighbours per atom');
  });

  it('SymmetryFunctions, PlipDescriptors and the statistics accumulator', () => {
    const functions = new SymmetryFunctions(radialGrid({ elements: ['Zn', 'O'], cutoff: 6, rLower: 1, count: 4, mode: 'shift' }));
    expectSummary(functions, 'SymmetryFunctions', 'elements: O, Zn', 'functions: O 8, Zn 8', 'cutoff: 6 Å', 'length unit: Å');
    expectSummary(plip, 'PlipDescriptors', 'elements: Zn, O', 'cutoff: 5 Å', `features: ${plip.featureCount}`, '3-body: lmax 2, 1×4 Gaussians');
    const running = new SymmetryFunctionStatisticsAccumulator(functions);
    running.add(functions.compute(zno).values);
    expectSummary(running, 'SymmetryFunctionStatisticsAccumulator', 'atoms seen: O 36, Zn 36');
  });

  it('the pair, point-charge, linear and sum potentials', () => {
    expectSummary(new LennardJones({ epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 }), 'LennardJones', 'ε 0.0104 eV', 'σ 3.4 Å', 'cutoff 8.5 Å');
    expectSummary(buckingham, 'Buckingham', 'O-Zn: A 529.7 eV, ρ 0.3581 Å', 'O-O', 'shift: false');
    expectSummary(ewald, 'Ewald', 'Ewald sum', 'accuracy: 1e-5', 'charges: Zn +2, O -2 e', 'k_e: 14.3996');
    expectSummary(new Ewald({ method: 'pme' }), 'smooth PME (order 6)', 'per atom (structure.charges)');
    expectSummary(new Coulomb({ charges: { Zn: 2, O: -2 }, dsf: { alpha: 0.2, cutoff: 8 } }), 'Coulomb', 'damped shifted force (α 0.2 1/Å, cutoff 8 Å)');
    expectSummary(linear, 'LinearPotential', `weights: ${plip.featureCount} (${plip.featureCount} non-zero)`, 'offsets: Zn -1.5, O -2.5 eV');
    expectSummary(new SumPotential([buckingham, [ewald, 0.5]]), 'SumPotential { terms: 1 × Buckingham + 0.5 × Ewald; cutoff: 8 Å }');
  });

  it('Hdnnp (H2O_RPBE-D3, in Bohr and Hartree)', () => {
    const water = Hdnnp.load(join(sharedData, 'n2p2', 'potentials', 'H2O_RPBE-D3'), { lengthUnit: 'bohr', energyUnit: 'hartree' });
    expectSummary(water, 'Hdnnp', 'elements: H, O', 'functions: 27/30', 'networks: H 27-25-25-1, O 30-25-25-1', 'units: Bohr/Hartree');
    expectSummary(water.symmetryFunctions, 'length unit: Bohr', 'types: 2, 3');
  });
});

describe('results print a summary', () => {
  const forcesOf = (n: number): string => `forces: ndarray [${n},3] Float64 eV/Å`;

  it('of the native pair and point-charge potentials', () => {
    expectSummary(buckingham.compute(zno, { forces: true, stress: true, atomEnergies: true }),
      /^Results/, /energy: -?\d+(\.\d+)? eV/, forcesOf(72), 'stress: ndarray [3,3] Float64 eV/Å³', 'atomEnergies: Float64Array(72) eV');
    const cluster = new Structure({ symbols: ['Zn', 'O', 'Zn', 'O'], positions: [[0, 0, 0], [2, 0, 0], [2, 2, 0], [0, 2, 0]] });
    expectSummary(new Coulomb({ charges: { Zn: 2, O: -2 } }).compute(cluster, { forces: true }), /^Results/, forcesOf(4));
    expectSummary(ewald.compute(charged, { forces: true }), /^EwaldResults/, forcesOf(72), 'terms: { real:', 'parameters: { accuracy: 1e-5, alpha: ');
  });

  it('of sums, linear potentials and HDNNPs', () => {
    expectSummary(new SumPotential([buckingham, ewald]).compute(zno, { forces: true }), /^Results/, forcesOf(72));
    expectSummary(linear.compute(zno, { forces: true, atomEnergies: true }), /^Results/, forcesOf(72), 'atomEnergies: Float64Array(72) eV');
    const copper = Hdnnp.load(join(sharedData, 'n2p2', 'potentials', 'Cu2S_PBE'));
    const example = read(join(sharedData, 'n2p2', 'potentials', 'Cu2S_PBE', 'example.data'), { format: 'n2p2', index: 0 });
    expectSummary(copper.compute(example, { forces: true }), /^HdnnpResults/, forcesOf(example.length), 'extrapolations: ');
  });

  it('of descriptors', () => {
    const functions = new SymmetryFunctions(radialGrid({ elements: ['Zn', 'O'], cutoff: 6, rLower: 1, count: 4, mode: 'shift' }));
    expectSummary(functions.compute(zno, { derivatives: true }), /^SymmetryFunctionResults/,
      'values: { O: ndarray [36,8] Float64, Zn: ndarray [36,8] Float64 }', 'atoms: { O: Int32Array(36), Zn: Int32Array(36) }',
      'derivatives: { O: { start, neighbor, vector, derivative }');
    expectSummary(plip.compute(zno, { forces: true, stress: true }), /^PlipResult/,
      `atomDescriptors: ndarray [72,${plip.featureCount}] Float64`, `forceRows: ndarray [216,${plip.featureCount}] Float64`);
  });
});

/**
 * Units of a file's numbers, for formats that carry whatever units their producer used (n2p2
 * `input.data`). Readers multiply by the unit's size to get Å and eV; writers divide.
 *
 * | length unit | size in Å | energy unit | size in eV |
 * | --- | --- | --- | --- |
 * | `'Angstrom'` | 1 | `'eV'` | 1 |
 * | `'Bohr'` | 0.529177210903 (a₀, CODATA 2018) | `'Hartree'` | 27.211386245988 (E_h, CODATA 2018) |
 * | `'nm'` | 10 | `'Ry'` | E_h / 2 = 13.605693122994 |
 * | a positive number | that many Å | `'kcal/mol'` | 4184 J / (N_A e) = 0.0433641042… |
 * |  |  | `'kJ/mol'` | 1000 J / (N_A e) = 0.0103642696… |
 * |  |  | a positive number | that many eV |
 *
 * a₀ and E_h are `units.bohr` and `units.hartree` of `polymorph/structure` (CODATA 2018, as ASE
 * ≥ 3.22); the molar units use the exact SI values N_A = 6.02214076·10²³ mol⁻¹ and
 * e = 1.602176634·10⁻¹⁹ C. Names are matched without regard to case (`'bohr'` and `'hartree'`, the
 * spellings of `Hdnnp.load`, work too). Anything else is `E_UNIT`.
 * @example
 * fileLengthUnitInAngstrom('Bohr');    // 0.529177210903
 * fileEnergyUnitInEv('kcal/mol');      // 0.043364104241800934
 * @module
 */
import { PolymorphError } from '../core/errors';
import { bohr, hartree } from '../structure/units';

/** Length unit of a file: a name, or the size of the unit in Å (a positive number). */
export type FileLengthUnit = 'Angstrom' | 'angstrom' | 'Bohr' | 'bohr' | 'nm' | number;

/** Energy unit of a file: a name, or the size of the unit in eV (a positive number). */
export type FileEnergyUnit = 'eV' | 'Hartree' | 'hartree' | 'Ry' | 'kcal/mol' | 'kJ/mol' | number;

/** Avogadro constant (mol⁻¹) times the elementary charge (C): J/mol per eV, exact since SI 2019. */
const JOULES_PER_MOL_PER_EV = 6.02214076e23 * 1.602176634e-19;

const LENGTHS: ReadonlyMap<string, number> = new Map([['angstrom', 1], ['bohr', bohr], ['nm', 10]]);
const ENERGIES: ReadonlyMap<string, number> = new Map([
  ['ev', 1], ['hartree', hartree], ['ry', hartree / 2],
  ['kcal/mol', 4184 / JOULES_PER_MOL_PER_EV], ['kj/mol', 1000 / JOULES_PER_MOL_PER_EV],
]);

function unitSize(unit: unknown, table: ReadonlyMap<string, number>, names: string, base: string, what: string): number {
  if (typeof unit === 'number' && Number.isFinite(unit) && unit > 0) return unit;
  const size = typeof unit === 'string' ? table.get(unit.toLowerCase()) : undefined;
  if (size !== undefined) return size;
  throw new PolymorphError('E_UNIT', `${what} must be one of ${names} or the size of the unit in ${base} (a positive number), got ${JSON.stringify(unit)}`);
}

/** The size of a length unit in Å; `E_UNIT` for an unknown name or a non-positive number. */
export function fileLengthUnitInAngstrom(unit: FileLengthUnit, what = 'lengthUnit'): number {
  return unitSize(unit, LENGTHS, "'Angstrom', 'Bohr', 'nm'", 'Å', what);
}

/** The size of an energy unit in eV; `E_UNIT` for an unknown name or a non-positive number. */
export function fileEnergyUnitInEv(unit: FileEnergyUnit, what = 'energyUnit'): number {
  return unitSize(unit, ENERGIES, "'eV', 'Hartree', 'Ry', 'kcal/mol', 'kJ/mol'", 'eV', what);
}

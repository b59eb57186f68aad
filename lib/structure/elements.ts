/**
 * Chemical elements: symbols, atomic numbers and standard atomic weights (amu).
 *
 * Weights are the IUPAC 2016 standard atomic weights (abridged), the same table ASE uses by
 * default (`ase.data.atomic_masses`), so masses agree with ASE when files move between the two.
 * For elements without stable isotopes, the mass of the longest-lived isotope.
 * @module
 */
import { PolymorphError } from '../core/errors';

/** Symbols indexed by atomic number; index 0 is the placeholder `X` (as in ASE). */
export const chemicalSymbols: readonly string[] = [
  'X',
  'H', 'He', 'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne',
  'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar', 'K', 'Ca',
  'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn',
  'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr', 'Rb', 'Sr', 'Y', 'Zr',
  'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn',
  'Sb', 'Te', 'I', 'Xe', 'Cs', 'Ba', 'La', 'Ce', 'Pr', 'Nd',
  'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb',
  'Lu', 'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir', 'Pt', 'Au', 'Hg',
  'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Ac', 'Th',
  'Pa', 'U', 'Np', 'Pu', 'Am', 'Cm', 'Bk', 'Cf', 'Es', 'Fm',
  'Md', 'No', 'Lr', 'Rf', 'Db', 'Sg', 'Bh', 'Hs', 'Mt', 'Ds',
  'Rg', 'Cn', 'Nh', 'Fl', 'Mc', 'Lv', 'Ts', 'Og',
];

/** Standard atomic weights in amu, indexed by atomic number (index 0: `X`, mass 1). */
export const atomicMasses: readonly number[] = [
  1.0,
  1.008, 4.002602, 6.94, 9.0121831, 10.81, 12.011, 14.007, 15.999, 18.998403163, 20.1797,
  22.98976928, 24.305, 26.9815385, 28.085, 30.973761998, 32.06, 35.45, 39.948, 39.0983, 40.078,
  44.955908, 47.867, 50.9415, 51.9961, 54.938044, 55.845, 58.933194, 58.6934, 63.546, 65.38,
  69.723, 72.63, 74.921595, 78.971, 79.904, 83.798, 85.4678, 87.62, 88.90584, 91.224,
  92.90637, 95.95, 97.90721, 101.07, 102.9055, 106.42, 107.8682, 112.414, 114.818, 118.71,
  121.76, 127.6, 126.90447, 131.293, 132.90545196, 137.327, 138.90547, 140.116, 140.90766, 144.242,
  144.91276, 150.36, 151.964, 157.25, 158.92535, 162.5, 164.93033, 167.259, 168.93422, 173.054,
  174.9668, 178.49, 180.94788, 183.84, 186.207, 190.23, 192.217, 195.084, 196.966569, 200.592,
  204.38, 207.2, 208.9804, 208.98243, 209.98715, 222.01758, 223.01974, 226.02541, 227.02775, 232.0377,
  231.03588, 238.02891, 237.04817, 244.06421, 243.06138, 247.07035, 247.07031, 251.07959, 252.083, 257.09511,
  258.09843, 259.101, 262.11, 267.122, 268.126, 271.134, 270.133, 269.1338, 278.156, 281.165,
  281.166, 285.177, 286.182, 289.19, 289.194, 293.204, 293.208, 294.214,
];

const numberBySymbol = new Map<string, number>(chemicalSymbols.map((s, z) => [s, z]));

/** Largest atomic number known (118, Og). */
export const maxAtomicNumber = chemicalSymbols.length - 1;

/**
 * Atomic number of a chemical symbol (case-sensitive, as in ASE and n2p2: `Zn`, not `ZN`).
 * @throws PolymorphError `E_ELEMENT` for an unknown symbol.
 */
export function atomicNumber(symbol: string): number {
  const z = numberBySymbol.get(symbol);
  if (z === undefined || z === 0) {
    const hint = numberBySymbol.get(symbol.charAt(0).toUpperCase() + symbol.slice(1).toLowerCase());
    const suggestion = hint ? ` (did you mean '${chemicalSymbols[hint]}'?)` : '';
    throw new PolymorphError('E_ELEMENT', `unknown chemical symbol '${symbol}'${suggestion}`);
  }
  return z;
}

/** True if `symbol` is a known chemical symbol (1 ≤ Z ≤ 118). */
export function isChemicalSymbol(symbol: string): boolean {
  const z = numberBySymbol.get(symbol);
  return z !== undefined && z > 0;
}

/**
 * Chemical symbol of an atomic number.
 * @throws PolymorphError `E_ELEMENT` unless 1 ≤ z ≤ 118.
 */
export function chemicalSymbol(z: number): string {
  if (!Number.isInteger(z) || z < 1 || z > maxAtomicNumber) {
    throw new PolymorphError('E_ELEMENT', `unknown atomic number ${z} (expected an integer 1…${maxAtomicNumber})`);
  }
  return chemicalSymbols[z];
}

/** Standard atomic weight (amu) of an atomic number. */
export function atomicMass(z: number): number {
  chemicalSymbol(z);
  return atomicMasses[z];
}

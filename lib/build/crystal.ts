/**
 * `crystal(name, options)`: one entry point for every crystal builder, by name.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { isChemicalSymbol } from '../structure/elements';
import type { Structure } from '../structure/structure';
import { bcc, diamond, fcc, hcp, rocksalt, simpleCubic, wurtzite, zincblende } from './crystals';
import { bodyCenteredTetragonal, cubane, hexagonalBoronNitride, sodalite } from './zinc-oxide-polymorphs';

/** The structures {@link crystal} builds. */
export const crystalNames = ['fcc', 'bcc', 'hcp', 'sc', 'diamond', 'wurtzite', 'zincblende', 'rocksalt', 'hBN', 'BCT', 'sodalite', 'cubane'] as const;
/** A name {@link crystal} understands (case and hyphens are ignored: `'h-BN'`, `'bct'` work too). */
export type CrystalName = (typeof crystalNames)[number];

/** Options of {@link crystal}. Lattice parameters in Å; what a structure does not use is an error. */
export interface CrystalOptions {
  /** The element of a one-element lattice, or [cation, anion] of a binary one (default ['Zn', 'O']). */
  elements?: string | readonly [string, string];
  /** Lattice constant a (Å). Required for fcc, bcc, hcp, sc and diamond; ZnO values by default otherwise. */
  a?: number;
  /** c (Å): hcp (default ideal √(8/3)·a), wurtzite, h-BN, BCT. */
  c?: number;
  /** Wurtzite's internal parameter (default 0.3819). */
  u?: number;
  /** BCT's cation parameter x (default 0.32279) and anion parameter (default x). */
  x?: number;
  xAnion?: number;
  /** Cubane: the Zn–O bond (Å, default 1.98), which sets the cell. */
  bond?: number;
}

const uses: Record<CrystalName, (keyof CrystalOptions)[]> = {
  fcc: ['a'], bcc: ['a'], hcp: ['a', 'c'], sc: ['a'], diamond: ['a'],
  wurtzite: ['a', 'c', 'u'], zincblende: ['a'], rocksalt: ['a'], hBN: ['a', 'c'], BCT: ['a', 'c', 'x', 'xAnion'], sodalite: ['a'], cubane: ['bond'],
};
const single = new Set<CrystalName>(['fcc', 'bcc', 'hcp', 'sc', 'diamond']);

/**
 * The conventional cell of a named crystal (see {@link crystalNames}). One-element lattices need
 * `elements` and `a`; the binary ones default to ZnO at its reference parameters: wurtzite (Kisi &
 * Elcombe 1989), zincblende a = 4.62 Å (epitaxial films), rocksalt a = 4.28 Å (Bates, White & Roy
 * 1962), and h-BN, BCT, sodalite and cubane as documented on their builders
 * ({@link hexagonalBoronNitride}, {@link bodyCenteredTetragonal}, {@link sodalite}, {@link cubane}).
 * Combine with {@link supercell} or `Structure.repeat`.
 * @example
 * const al = crystal('fcc', { elements: 'Al', a: 4.05 });
 * const sod = crystal('sodalite');                  // ZnO, a = 5.60 Å
 * const gan = crystal('wurtzite', { elements: ['Ga', 'N'], a: 3.189, c: 5.185, u: 0.377 });
 */
export function crystal(name: CrystalName | string, options: CrystalOptions = {}): Structure {
  const key = crystalNames.find((n) => n.toLowerCase() === String(name).toLowerCase().replace(/-/g, ''));
  if (key === undefined) throw new PolymorphError('E_VALUE', `crystal: unknown structure '${String(name)}'; known: ${crystalNames.join(', ')}`);
  const o = checkOptions(options, ['elements', 'a', 'c', 'u', 'x', 'xAnion', 'bond'], 'crystal');
  for (const k of ['a', 'c', 'u', 'x', 'xAnion', 'bond'] as const) {
    if (o[k] !== undefined && !uses[key].includes(k)) throw new PolymorphError('E_VALUE', `crystal: '${key}' has no parameter '${k}' (it takes ${uses[key].join(', ')})`);
  }
  const elements = o.elements;
  if (single.has(key)) {
    if (typeof elements !== 'string' || !isChemicalSymbol(elements)) {
      throw new PolymorphError('E_VALUE', `crystal: '${key}' needs one element, e.g. { elements: 'Al', a: 4.05 }, got ${JSON.stringify(elements)}`);
    }
    if (o.a === undefined) throw new PolymorphError('E_VALUE', `crystal: '${key}' needs its lattice constant a (Å)`);
    switch (key) {
      case 'fcc': return fcc(elements, o.a);
      case 'bcc': return bcc(elements, o.a);
      case 'sc': return simpleCubic(elements, o.a);
      case 'diamond': return diamond(elements, o.a);
      default: return o.c === undefined ? hcp(elements, o.a) : hcp(elements, o.a, o.c);
    }
  }
  const pair = elements ?? ['Zn', 'O'];
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((e) => typeof e === 'string' && isChemicalSymbol(e))) {
    throw new PolymorphError('E_VALUE', `crystal: '${key}' needs two elements [cation, anion], got ${JSON.stringify(elements)}`);
  }
  const s: [string, string] = [pair[0], pair[1]];
  switch (key) {
    case 'wurtzite': return wurtzite(s, o.a ?? 3.2496, o.c ?? 5.2042, o.u ?? 0.3819);
    case 'zincblende': return zincblende(s, o.a ?? 4.62);
    case 'rocksalt': return rocksalt(s, o.a ?? 4.28);
    case 'hBN': return hexagonalBoronNitride(s, o.a ?? 3.45, o.c ?? 4.46);
    case 'BCT': return bodyCenteredTetragonal(s, o.a ?? 5.587, o.c ?? 3.223, o.x ?? 0.32279, o.xAnion ?? o.x ?? 0.32279);
    case 'sodalite': return sodalite(s, o.a ?? 5.6);
    default: return cubane(s, o.bond ?? 1.98);
  }
}

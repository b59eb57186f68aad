/**
 * Behler–Parrinello symmetry-function definitions, exactly as n2p2 (v2.3) understands them: every
 * type (2, 3, 9, 12, 13, 20–25), the `symfunction_short` line syntax of `input.nn` in both
 * directions, and n2p2's sort order, which fixes the index of every function (the neural-network
 * input neuron and the row of `scaling.data`). See `specs/n2p2-formats.md` §1.4–1.6.
 *
 * Lengths are in the length unit of the potential (Å unless the potential says otherwise), η in
 * 1/length², compact-function angles in degrees.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { atomicNumber, isChemicalSymbol } from '../structure/elements';

/** n2p2's symmetry-function type numbers. */
export type SymmetryFunctionType = 2 | 3 | 9 | 12 | 13 | 20 | 21 | 22 | 23 | 24 | 25;

/** Every supported type, ascending. */
export const symmetryFunctionTypes: readonly SymmetryFunctionType[] = [2, 3, 9, 12, 13, 20, 21, 22, 23, 24, 25];

/**
 * Core of a compact function (types 20–25): `p1`…`p4` are the polynomials POLY1…POLY4 of the
 * cutoff table, `e` is e·exp(1/(x²−1)); a trailing `a` (e.g. `p2a`) applies the core to
 * x(2−x) in the radial parts.
 */
export type CompactSubtype = string;

/** Type 2: G = Σ_{j∈e1} exp(−η(r_ij − r_s)²) f_c(r_ij). */
export interface RadialSymmetryFunction {
  type: 2;
  /** Central element (symbol). */
  element: string;
  /** Neighbour element (symbol). */
  neighbor: string;
  /** η, 1/length². */
  eta: number;
  /** Shift r_s, length. */
  rShift: number;
  /** Cutoff radius r_c, length. */
  cutoff: number;
}

/**
 * Type 3 (narrow, "G4"): 2^{1−ζ} Σ_{j<k} (1+λcosθ)^ζ exp(−η[(r_ij−r_s)²+(r_ik−r_s)²+(r_jk−r_s)²]) f_c f_c f_c;
 * type 9 (wide, "G5"): the same without the r_jk terms.
 */
export interface AngularSymmetryFunction {
  type: 3 | 9;
  element: string;
  /** The two neighbour elements, ordered by atomic number (n2p2 swaps them on reading). */
  neighbors: [string, string];
  eta: number;
  /** λ, usually ±1. */
  lambda: number;
  /** ζ ≥ 1; integer ζ is evaluated by repeated multiplication. */
  zeta: number;
  cutoff: number;
  /** Shift r_s, length (default 0 in the file). */
  rShift: number;
}

/** Type 12: G = Σ_j Z_j exp(−η(r_ij − r_s)²) f_c(r_ij), over neighbours of every element. */
export interface WeightedRadialSymmetryFunction {
  type: 12;
  element: string;
  eta: number;
  rShift: number;
  cutoff: number;
}

/** Type 13: the Z_j Z_k-weighted narrow angular function over neighbours of every element. */
export interface WeightedAngularSymmetryFunction {
  type: 13;
  element: string;
  eta: number;
  rShift: number;
  lambda: number;
  zeta: number;
  cutoff: number;
}

/** Type 20: G = Σ_{j∈e1, r_l<r_ij<r_c} C(r_ij; r_l, r_c). */
export interface CompactRadialSymmetryFunction {
  type: 20;
  element: string;
  neighbor: string;
  /** Lower radius r_l, length (−r_c gives the monotone "cutoff-like" function). */
  rLow: number;
  cutoff: number;
  subtype: CompactSubtype;
}

/** Types 21 (narrow) and 22 (wide): compact angular functions C(r_ij)C(r_ik)[C(r_jk)]C(θ; θ_l, θ_r). */
export interface CompactAngularSymmetryFunction {
  type: 21 | 22;
  element: string;
  neighbors: [string, string];
  rLow: number;
  cutoff: number;
  /** Left angle θ_l, degrees. */
  angleLeft: number;
  /** Right angle θ_r, degrees. */
  angleRight: number;
  subtype: CompactSubtype;
}

/** Type 23: G = Σ_j Z_j C(r_ij; r_l, r_c). */
export interface CompactWeightedRadialSymmetryFunction {
  type: 23;
  element: string;
  rLow: number;
  cutoff: number;
  subtype: CompactSubtype;
}

/** Types 24 (narrow) and 25 (wide): Z_j Z_k-weighted compact angular functions. */
export interface CompactWeightedAngularSymmetryFunction {
  type: 24 | 25;
  element: string;
  rLow: number;
  cutoff: number;
  angleLeft: number;
  angleRight: number;
  subtype: CompactSubtype;
}

/** One symmetry function of any type. */
export type SymmetryFunctionDefinition =
  | RadialSymmetryFunction
  | AngularSymmetryFunction
  | WeightedRadialSymmetryFunction
  | WeightedAngularSymmetryFunction
  | CompactRadialSymmetryFunction
  | CompactAngularSymmetryFunction
  | CompactWeightedRadialSymmetryFunction
  | CompactWeightedAngularSymmetryFunction;

/**
 * The cutoff function f_c of the Gaussian-type functions (2, 3, 9, 12, 13); n2p2's `cutoff_type`.
 * With x = (r − α r_c)/(r_c − α r_c) and f_c = 1 below α r_c:
 * 0 hard (1), 1 cos (½[cos πx + 1]), 2 tanhU (tanh³(1 − r/r_c)), 3 tanh (coth³(1) tanh³(1 − r/r_c)),
 * 4 exp (exp(1 − 1/(1 − x²))), 5–8 POLY1–POLY4. Types 2 and 3 ignore α.
 */
export interface CutoffFunction {
  /** n2p2 cutoff type, 0–8. */
  type: number;
  /** Inner-cutoff fraction α, 0 ≤ α < 1. */
  alpha: number;
}

/** Names of the cutoff types 0–8, as n2p2 calls them. */
export const cutoffTypeNames: readonly string[] = ['HARD', 'COS', 'TANHU', 'TANH', 'EXP', 'POLY1', 'POLY2', 'POLY3', 'POLY4'];

const COMPACT_SUBTYPE = /^(?:p[1-4]|e)a?$/;

/** Whether `type` is a three-body (angular) type. */
export function isAngular(type: SymmetryFunctionType): boolean {
  return type === 3 || type === 9 || type === 13 || type === 21 || type === 22 || type === 24 || type === 25;
}

/** Whether `type` is weighted by atomic numbers (runs over neighbours of every element). */
export function isWeighted(type: SymmetryFunctionType): boolean {
  return type === 12 || type === 13 || type === 23 || type === 24 || type === 25;
}

/** Whether `type` is a compact-support function (20–25). */
export function isCompact(type: SymmetryFunctionType): boolean {
  return type >= 20;
}

function fail(what: string, message: string): never {
  throw new PolymorphError('E_VALUE', `${what}: ${message}`);
}

function finite(x: unknown, what: string, name: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(what, `${name} must be a finite number, got ${String(x)}`);
  return x;
}

function element(symbol: unknown, what: string, name: string): string {
  if (typeof symbol !== 'string' || !isChemicalSymbol(symbol)) {
    throw new PolymorphError('E_ELEMENT', `${what}: ${name} must be a chemical symbol (case-sensitive, e.g. 'O'), got ${JSON.stringify(symbol)}`);
  }
  return symbol;
}

/**
 * Checks a definition and returns a normalised copy: neighbour elements ordered by atomic number
 * (as n2p2 does), numbers finite, ranges as n2p2 requires (r_c > 0, η ≥ 0, ζ ≥ 1 where used,
 * r_l < r_c, θ_l < θ_r, θ_r − θ_l ≤ 360°, a window reaching below 0° centred on 0°, one reaching
 * above 180° centred on 180°, compact subtype `p1`–`p4` or `e` with an optional `a`).
 * Throws `E_VALUE` (or `E_ELEMENT`) naming the problem.
 */
export function checkSymmetryFunction(definition: SymmetryFunctionDefinition, what = 'symmetry function'): SymmetryFunctionDefinition {
  if (typeof definition !== 'object' || definition === null) throw new PolymorphError('E_TYPE', `${what}: expected a definition object`);
  const d = definition as SymmetryFunctionDefinition;
  if (!symmetryFunctionTypes.includes(d.type)) {
    fail(what, `unknown symmetry-function type ${String(d.type)} (n2p2 knows ${symmetryFunctionTypes.join(', ')})`);
  }
  const central = element(d.element, what, 'element');
  const cutoff = finite(d.cutoff, what, 'cutoff');
  if (!(cutoff > 0)) fail(what, `cutoff must be > 0, got ${cutoff}`);
  const pair = (): [string, string] => {
    const n = (d as { neighbors?: unknown }).neighbors;
    if (!Array.isArray(n) || n.length !== 2) fail(what, 'neighbors must be two element symbols');
    const a = element(n[0], what, 'neighbors[0]'), b = element(n[1], what, 'neighbors[1]');
    return atomicNumber(a) <= atomicNumber(b) ? [a, b] : [b, a];
  };
  const gaussian = (eta: unknown, rShift: unknown): { eta: number; rShift: number } => {
    const e = finite(eta, what, 'eta');
    if (e < 0) fail(what, `eta must be >= 0, got ${e}`);
    return { eta: e, rShift: finite(rShift, what, 'rShift') };
  };
  const angular = (lambda: unknown, zeta: unknown): { lambda: number; zeta: number } => {
    const z = finite(zeta, what, 'zeta');
    if (z < 1) fail(what, `zeta must be >= 1, got ${z}`);
    return { lambda: finite(lambda, what, 'lambda'), zeta: z };
  };
  const compact = (rLow: unknown, subtype: unknown): { rLow: number; subtype: string } => {
    const r = finite(rLow, what, 'rLow');
    if (!(r < cutoff)) fail(what, `rLow must be < cutoff (${cutoff}), got ${r}`);
    if (typeof subtype !== 'string' || !COMPACT_SUBTYPE.test(subtype)) {
      fail(what, `compact subtype must be p1, p2, p3, p4 or e, optionally followed by a (e.g. p2a), got ${JSON.stringify(subtype)}`);
    }
    return { rLow: r, subtype };
  };
  const window = (left: unknown, right: unknown): { angleLeft: number; angleRight: number } => {
    const l = finite(left, what, 'angleLeft'), r = finite(right, what, 'angleRight');
    if (!(l < r)) fail(what, `angleLeft must be < angleRight, got ${l} and ${r}`);
    if (r - l > 360) fail(what, `the angle window is wider than 360 degrees (${l} to ${r})`);
    if (l < 0 && l + r !== 0) fail(what, `a window reaching below 0 degrees must be centred on 0, got ${l} to ${r}`);
    if (r > 180 && l + r !== 360) fail(what, `a window reaching above 180 degrees must be centred on 180, got ${l} to ${r}`);
    return { angleLeft: l, angleRight: r };
  };
  switch (d.type) {
    case 2:
      return { type: 2, element: central, neighbor: element(d.neighbor, what, 'neighbor'), ...gaussian(d.eta, d.rShift), cutoff };
    case 3:
    case 9: {
      const { eta, rShift } = gaussian(d.eta, d.rShift ?? 0);
      return { type: d.type, element: central, neighbors: pair(), eta, ...angular(d.lambda, d.zeta), cutoff, rShift };
    }
    case 12:
      return { type: 12, element: central, ...gaussian(d.eta, d.rShift), cutoff };
    case 13: {
      const { eta, rShift } = gaussian(d.eta, d.rShift);
      return { type: 13, element: central, eta, rShift, ...angular(d.lambda, d.zeta), cutoff };
    }
    case 20:
      return { type: 20, element: central, neighbor: element(d.neighbor, what, 'neighbor'), ...compactPair(compact(d.rLow, d.subtype), cutoff) };
    case 21:
    case 22: {
      const c = compact(d.rLow, d.subtype);
      return { type: d.type, element: central, neighbors: pair(), rLow: c.rLow, cutoff, ...window(d.angleLeft, d.angleRight), subtype: c.subtype };
    }
    case 23:
      return { type: 23, element: central, ...compactPair(compact(d.rLow, d.subtype), cutoff) };
    case 24:
    case 25: {
      const c = compact(d.rLow, d.subtype);
      return { type: d.type, element: central, rLow: c.rLow, cutoff, ...window(d.angleLeft, d.angleRight), subtype: c.subtype };
    }
  }
}

function compactPair(c: { rLow: number; subtype: string }, cutoff: number): { rLow: number; cutoff: number; subtype: string } {
  return { rLow: c.rLow, cutoff, subtype: c.subtype };
}

/**
 * Parses the fields of a `symfunction_short` line after the keyword (`<ec> <type> <params…>`,
 * numbers already converted) into a checked definition. `numbers(k)` returns field k as a number;
 * the caller decides how strictly numbers are read and how errors name file and line.
 * Throws `E_VALUE` for an unknown type or too few fields.
 */
export function symmetryFunctionFromFields(fields: readonly string[], number: (index: number, name: string) => number,
  what = 'symfunction_short'): SymmetryFunctionDefinition {
  const need = (count: number, layout: string): void => {
    if (fields.length < count) fail(what, `type ${fields[1]} needs ${count} fields after the keyword (${layout}), got ${fields.length}`);
  };
  need(2, '<element> <type> ...');
  const type = Number(fields[1]) as SymmetryFunctionType;
  if (!/^\d+$/.test(fields[1]) || !symmetryFunctionTypes.includes(type)) {
    fail(what, `unknown symmetry-function type ${JSON.stringify(fields[1])} (n2p2 knows ${symmetryFunctionTypes.join(', ')})`);
  }
  const ec = fields[0];
  let d: SymmetryFunctionDefinition;
  switch (type) {
    case 2:
      need(6, '<ec> 2 <e1> <eta> <rs> <rc>');
      d = { type, element: ec, neighbor: fields[2], eta: number(3, 'eta'), rShift: number(4, 'rs'), cutoff: number(5, 'rc') };
      break;
    case 3:
    case 9:
      need(8, `<ec> ${type} <e1> <e2> <eta> <lambda> <zeta> <rc> [<rs>]`);
      d = {
        type, element: ec, neighbors: [fields[2], fields[3]], eta: number(4, 'eta'), lambda: number(5, 'lambda'),
        zeta: number(6, 'zeta'), cutoff: number(7, 'rc'), rShift: fields.length > 8 ? number(8, 'rs') : 0,
      };
      break;
    case 12:
      need(5, '<ec> 12 <eta> <rs> <rc>');
      d = { type, element: ec, eta: number(2, 'eta'), rShift: number(3, 'rs'), cutoff: number(4, 'rc') };
      break;
    case 13:
      need(7, '<ec> 13 <eta> <rs> <lambda> <zeta> <rc>');
      d = { type, element: ec, eta: number(2, 'eta'), rShift: number(3, 'rs'), lambda: number(4, 'lambda'), zeta: number(5, 'zeta'), cutoff: number(6, 'rc') };
      break;
    case 20:
      need(6, '<ec> 20 <e1> <rl> <rc> <subtype>');
      d = { type, element: ec, neighbor: fields[2], rLow: number(3, 'rl'), cutoff: number(4, 'rc'), subtype: fields[5] };
      break;
    case 21:
    case 22:
      need(9, `<ec> ${type} <e1> <e2> <rl> <rc> <angle left> <angle right> <subtype>`);
      d = {
        type, element: ec, neighbors: [fields[2], fields[3]], rLow: number(4, 'rl'), cutoff: number(5, 'rc'),
        angleLeft: number(6, 'angle left'), angleRight: number(7, 'angle right'), subtype: fields[8],
      };
      break;
    case 23:
      need(5, '<ec> 23 <rl> <rc> <subtype>');
      d = { type, element: ec, rLow: number(2, 'rl'), cutoff: number(3, 'rc'), subtype: fields[4] };
      break;
    default:
      need(7, `<ec> ${type} <rl> <rc> <angle left> <angle right> <subtype>`);
      d = {
        type: type as 24 | 25, element: ec, rLow: number(2, 'rl'), cutoff: number(3, 'rc'),
        angleLeft: number(4, 'angle left'), angleRight: number(5, 'angle right'), subtype: fields[6],
      };
  }
  return checkSymmetryFunction(d, what);
}

/** Shortest decimal that reads back as the same double (the file stays readable and exact). */
function num(x: number): string {
  return String(x);
}

/**
 * The `symfunction_short` line that defines `d` in an n2p2 `input.nn` (without a newline).
 * Numbers are written in their shortest exact decimal form, so reading the line back gives the
 * same doubles.
 */
export function formatSymmetryFunction(d: SymmetryFunctionDefinition): string {
  const head = `symfunction_short ${d.element} ${d.type}`;
  switch (d.type) {
    case 2:
      return `${head} ${d.neighbor} ${num(d.eta)} ${num(d.rShift)} ${num(d.cutoff)}`;
    case 3:
    case 9:
      return `${head} ${d.neighbors[0]} ${d.neighbors[1]} ${num(d.eta)} ${num(d.lambda)} ${num(d.zeta)} ${num(d.cutoff)} ${num(d.rShift)}`;
    case 12:
      return `${head} ${num(d.eta)} ${num(d.rShift)} ${num(d.cutoff)}`;
    case 13:
      return `${head} ${num(d.eta)} ${num(d.rShift)} ${num(d.lambda)} ${num(d.zeta)} ${num(d.cutoff)}`;
    case 20:
      return `${head} ${d.neighbor} ${num(d.rLow)} ${num(d.cutoff)} ${d.subtype}`;
    case 21:
    case 22:
      return `${head} ${d.neighbors[0]} ${d.neighbors[1]} ${num(d.rLow)} ${num(d.cutoff)} ${num(d.angleLeft)} ${num(d.angleRight)} ${d.subtype}`;
    case 23:
      return `${head} ${num(d.rLow)} ${num(d.cutoff)} ${d.subtype}`;
    case 24:
    case 25:
      return `${head} ${num(d.rLow)} ${num(d.cutoff)} ${num(d.angleLeft)} ${num(d.angleRight)} ${d.subtype}`;
  }
}

type Key = (number | string)[];

/** n2p2's sort key after (central element, type): spec §1.6. Elements compare by atomic number. */
function sortKey(d: SymmetryFunctionDefinition): Key {
  const z = atomicNumber;
  switch (d.type) {
    case 2:
      return [d.cutoff, d.eta, d.rShift, z(d.neighbor)];
    case 3:
    case 9:
      return [d.cutoff, d.eta, d.rShift, d.zeta, d.lambda, z(d.neighbors[0]), z(d.neighbors[1])];
    case 12:
      return [d.cutoff, d.eta, d.rShift];
    case 13:
      return [d.cutoff, d.eta, d.rShift, d.zeta, d.lambda];
    case 20:
      return [d.subtype, z(d.neighbor), d.cutoff, d.rLow];
    case 21:
    case 22:
      return [d.subtype, z(d.neighbors[0]), z(d.neighbors[1]), d.cutoff, d.rLow, d.angleLeft, d.angleRight];
    case 23:
      return [d.subtype, d.cutoff, d.rLow];
    case 24:
    case 25:
      return [d.subtype, d.cutoff, d.rLow, d.angleLeft, d.angleRight];
  }
}

/** Orders two definitions as n2p2 does: central element (by Z), type, then the type's key. */
export function compareSymmetryFunctions(a: SymmetryFunctionDefinition, b: SymmetryFunctionDefinition): number {
  const za = atomicNumber(a.element), zb = atomicNumber(b.element);
  if (za !== zb) return za - zb;
  if (a.type !== b.type) return a.type - b.type;
  const ka = sortKey(a), kb = sortKey(b);
  for (let k = 0; k < ka.length; ++k) {
    const x = ka[k], y = kb[k];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** A sorted copy of `definitions` in n2p2's order (stable for exact duplicates). */
export function sortSymmetryFunctions<T extends SymmetryFunctionDefinition>(definitions: readonly T[]): T[] {
  return [...definitions].sort(compareSymmetryFunctions);
}

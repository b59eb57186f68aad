/**
 * `modelProperties`: what Figs. 1–2 of Salazar et al. (npj Comput. Mater. 10, 199 (2024)) compare
 * between an ML potential and its reference, for any set of ZnO models: relaxed lattices and the
 * energy ordering of the polymorphs, the phonon density of states of wurtzite, partial g(r) of
 * the liquid, and nanoparticle energies. Lengths Å, energies eV (tables in meV), frequencies THz.
 * @module
 */
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { formatNumber, summary, withInspect } from '../core/inspect';
import { wurtzite } from '../build/crystals';
import type { Potential } from '../potentials/potential';
import { liquidRdfs, type LiquidRdfOptions, type LiquidRdfs } from './model-liquid';
import { relaxPolymorphs, type PolymorphLattices, type RelaxPolymorphsOptions, ZINC_OXIDE_POLYMORPHS } from './model-lattices';
import { nanoparticleEnergies, type NanoparticleEnergies, type NanoparticleOptions } from './nanoparticles';
import { dosAgreement, dosOfModes, forceConstants, meshFrequencies, phononFrequencies } from './phonons';
import { relaxLattice } from '../build/relax-lattice';

/** Options of the phonon part of {@link modelProperties}. */
export interface PhononComparisonOptions {
  /** Supercell of the wurtzite primitive cell (default [3, 3, 2], 72 atoms). */
  supercell?: readonly [number, number, number];
  /** Displacement, Å (default 0.01). */
  displacement?: number;
  /** q-mesh (default [6, 6, 4]) and Gaussian broadening σ, THz (default 0.3). */
  mesh?: readonly [number, number, number];
  sigma?: number;
  /** Points of the common frequency grid (default 301). */
  points?: number;
}

/** Phonons of wurtzite under each model at the reference's relaxed lattice. */
export interface PhononComparison {
  /** The model compared against. */
  reference: string;
  /** The lattice used: the reference's relaxed wurtzite [a (Å), c/a, u]. */
  lattice: number[];
  supercell: [number, number, number];
  mesh: [number, number, number];
  sigma: number;
  /** The common frequency grid, THz. */
  frequency: number[];
  /** g(ν) per model on `frequency` (normalised to 1 over the modes on the grid). */
  dos: Record<string, number[]>;
  /** Frequencies at Γ per model, THz (the first three are the acoustic modes, ≈ 0). */
  gamma: Record<string, number[]>;
  /** Mean and highest frequency over the mesh, THz; unstable modes (ν < −0.1 THz) on the mesh. */
  meanFrequency: Record<string, number>;
  maxFrequency: Record<string, number>;
  imaginaryModes: Record<string, number>;
  /** Overlap (1 = same shape) and half-L1 difference (0 = identical) of each model's DOS with the reference's. */
  agreement: Record<string, { overlap: number; difference: number }>;
}

/** Options of {@link modelProperties}: each part can be switched off with `false` or tuned. */
export interface ModelPropertiesOptions {
  lattices?: false | RelaxPolymorphsOptions;
  phonons?: false | PhononComparisonOptions;
  liquid?: false | LiquidRdfOptions;
  nanoparticles?: false | NanoparticleOptions;
}

/** What {@link modelProperties} returns (a part switched off is null). */
export interface ModelProperties {
  /** Model names; `reference` is the one compared against. */
  models: string[];
  reference: string;
  lattices: PolymorphLattices | null;
  phonons: PhononComparison | null;
  liquid: LiquidRdfs | null;
  nanoparticles: NanoparticleEnergies | null;
  /** Wall time of each part, s. */
  seconds: Record<string, number>;
}

const KEYS = ['lattices', 'phonons', 'liquid', 'nanoparticles'] as const;
const PHONON_KEYS = ['supercell', 'displacement', 'mesh', 'sigma', 'points'] as const;

function part<T extends object>(value: false | T | undefined, what: string): T | null {
  if (value === false) return null;
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) throw new PolymorphError('E_TYPE', `modelProperties: ${what} must be false or an options object`);
  return (value ?? {}) as T;
}

/** Wurtzite phonons of every model at `lattice` (reference's [a, c/a, u]). */
export function comparePhonons(models: Record<string, Potential>, reference: string, lattice: readonly number[], options: PhononComparisonOptions = {}): PhononComparison {
  const o = checkOptions(options, PHONON_KEYS, 'comparePhonons');
  if (!(reference in models)) throw new PolymorphError('E_VALUE', `comparePhonons: the models must include the reference '${reference}'`);
  const supercell = (o.supercell ?? [3, 3, 2]) as [number, number, number];
  const mesh = (o.mesh ?? [6, 6, 4]) as [number, number, number];
  const sigma = o.sigma ?? 0.3, points = o.points ?? 301;
  const [a, ca, u] = lattice;
  const cell = wurtzite(['Zn', 'O'], a, ca * a, u);
  const fcs = Object.fromEntries(Object.entries(models).map(([name, m]) => [name, forceConstants(cell, m, { supercell, displacement: o.displacement ?? 0.01 })]));
  const modes = Object.fromEntries(Object.entries(fcs).map(([name, fc]) => [name, meshFrequencies(fc, mesh)]));
  const refMax = Math.max(...modes[reference]);
  const lowest = Math.min(...Object.values(modes).map((m) => Math.min(...m))), highest = Math.max(...Object.values(modes).map((m) => Math.max(...m)));
  // The grid covers every model's modes, within [−refMax, 3·refMax] (modes beyond are left off the DOS).
  const grid = { from: Math.max(Math.min(0, lowest - 3 * sigma), -refMax), to: Math.min(highest + 3 * sigma, 3 * refMax), points };
  const dos = Object.fromEntries(Object.entries(modes).map(([name, m]) => [name, dosOfModes(m, mesh[0] * mesh[1] * mesh[2], { sigma, grid })]));
  return {
    reference, lattice: [...lattice], supercell, mesh, sigma, frequency: dos[reference].frequency,
    dos: Object.fromEntries(Object.entries(dos).map(([name, d]) => [name, d.dos])),
    gamma: Object.fromEntries(Object.entries(fcs).map(([name, fc]) => [name, Array.from(phononFrequencies(fc, [0, 0, 0]))])),
    meanFrequency: Object.fromEntries(Object.entries(dos).map(([name, d]) => [name, d.meanFrequency])),
    maxFrequency: Object.fromEntries(Object.entries(dos).map(([name, d]) => [name, d.maxFrequency])),
    imaginaryModes: Object.fromEntries(Object.entries(dos).map(([name, d]) => [name, d.imaginaryModes])),
    agreement: Object.fromEntries(Object.entries(dos).map(([name, d]) => [name, dosAgreement(d, dos[reference])])),
  };
}

/**
 * Compares ZnO models with `models[reference]` on the properties of Salazar et al.'s Figs. 1–2
 * (each part can be switched off or tuned through `options`):
 *
 * - `lattices`: {@link relaxPolymorphs} — the seven polymorphs relaxed with every model,
 *   parameter errors (%) and energies above wurtzite (meV/f.u.);
 * - `phonons`: {@link comparePhonons} — wurtzite force constants by finite displacements in a
 *   supercell at the reference's relaxed lattice, DOS on a q-mesh, overlap with the reference;
 * - `liquid`: {@link liquidRdfs} — partial g(r) of the liquid at 1500 K, first-peak errors,
 *   collapses detected;
 * - `nanoparticles`: {@link nanoparticleEnergies} — spheres, polar-capped wurtzite prisms and
 *   {111} zincblende octahedra, relaxed with the reference, energies per atom above bulk.
 *
 * Every model must evaluate periodic cells and open clusters (use `Electrostatics`, not `Ewald`,
 * for the charges).
 * @example
 * const p = modelProperties({ reference: ref, plipQ: fit.potential }, 'reference', { liquid: false });
 * p.lattices?.errors.plipQ.wurtzite; p.phonons?.agreement.plipQ.overlap;
 */
export function modelProperties(models: Record<string, Potential>, reference: string, options: ModelPropertiesOptions = {}): ModelProperties {
  const o = checkOptions(options, KEYS, 'modelProperties');
  if (models === null || typeof models !== 'object' || !(reference in models)) throw new PolymorphError('E_VALUE', `modelProperties: the models must include the reference '${String(reference)}'`);
  for (const [name, m] of Object.entries(models)) {
    if (m === null || typeof m !== 'object' || typeof m.compute !== 'function') throw new PolymorphError('E_TYPE', `modelProperties: model '${name}' is not a Potential`);
  }
  const latticeOptions = part(o.lattices, 'lattices'), phononOptions = part(o.phonons, 'phonons');
  const liquidOptions = part(o.liquid, 'liquid'), particleOptions = part(o.nanoparticles, 'nanoparticles');
  const seconds: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const t0 = process.hrtime.bigint();
    try { return f(); } finally { seconds[name] = Number(process.hrtime.bigint() - t0) / 1e9; }
  };
  const lattices = latticeOptions ? timed('lattices', () => relaxPolymorphs(models, reference, latticeOptions)) : null;
  // The reference's wurtzite and zincblende: from the comparison, or relaxed here when it is off.
  const referenceLattice = (p: 'wurtzite' | 'zincblende'): number[] => {
    const known = lattices?.models[reference][p];
    if (known) return known.parameters;
    const spec = ZINC_OXIDE_POLYMORPHS[p];
    return relaxLattice(spec.build, models[reference], spec.initial, { energyTolerance: 1e-8, parameterTolerance: 1e-5 }).parameters;
  };
  const wz = phononOptions || particleOptions ? referenceLattice('wurtzite') : null;
  const phonons = phononOptions ? timed('phonons', () => comparePhonons(models, reference, wz!, phononOptions)) : null;
  const liquid = liquidOptions ? timed('liquid', () => liquidRdfs(models, reference, liquidOptions)) : null;
  const nanoparticles = particleOptions ? timed('nanoparticles', () => nanoparticleEnergies(models, reference,
    { wurtzite: wz as unknown as [number, number, number], zincblende: referenceLattice('zincblende')[0] }, particleOptions)) : null;
  const result: ModelProperties = { models: Object.keys(models), reference, lattices, phonons, liquid, nanoparticles, seconds };
  return withInspect(result, () => propertiesSummary(result));
}

/** A few lines per result: per model, wurtzite a error, DOS overlap, liquid Zn–O peak or collapse, nanoparticle RMSE. */
export function propertiesSummary(p: ModelProperties, title = 'ModelProperties'): string {
  const others = p.models.filter((m) => m !== p.reference);
  const each = (f: (m: string) => string): string => others.map((m) => `${m} ${f(m)}`).join(', ');
  const fields: Record<string, string> = { models: `${p.models.join(', ')} (reference ${p.reference})` };
  if (p.lattices) fields['wurtzite Δa'] = each((m) => `${formatNumber(p.lattices!.errors[m].wurtzite[0], 3)} %`);
  if (p.phonons) fields['phonon DOS overlap'] = each((m) => formatNumber(p.phonons!.agreement[m].overlap, 3));
  if (p.liquid) {
    fields[`liquid ${formatNumber(p.liquid.temperature)} K`] = each((m) => {
      const run = p.liquid!.models[m];
      if (run.collapsed) return `collapsed at ${formatNumber(run.collapsed.time)} fs`;
      const e = p.liquid!.peakErrors[m];
      return e ? `Zn–O peak Δr ${formatNumber(e['O-Zn'].position, 3)} Å` : 'no g(r)';
    });
  }
  if (p.nanoparticles) {
    const { ideal, relaxed } = p.nanoparticles.rmse;
    fields['nanoparticle RMSE'] = each((m) => `${formatNumber(ideal[m], 4)}${relaxed ? ` / ${formatNumber(relaxed[m], 4)}` : ''}`) + ` meV/atom (ideal${relaxed ? ' / relaxed' : ''} cuts)`;
  }
  return summary(title, fields);
}

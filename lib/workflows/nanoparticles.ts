/**
 * Stoichiometric ZnO nanoparticles of three shapes — spheres cut from wurtzite (non-polar
 * clusters), hexagonal wurtzite prisms with polar (0001)/(000-1) caps, and zincblende octahedra
 * with polar {111} facets — and their energies under several models relative to each model's bulk
 * wurtzite. Lengths Å, energies eV (reported in meV/atom).
 * @module
 */
import { wurtzite, zincblende } from '../build/crystals';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { minimize } from '../md/minimize';
import type { Potential } from '../potentials/potential';
import { planeSpacings } from '../structure/cell';
import { Structure } from '../structure/structure';
import { shortestDistance } from './model-lattices';

/** The particle shapes of {@link nanoparticleEnergies}. */
export type NanoparticleShape = 'sphere' | 'prism' | 'octahedron';

/**
 * `atoms` atoms (even: half Zn, half O) of `crystal` with the smallest `norm` of their position
 * relative to the centre of a block of the crystal, each species nearest first (norms and
 * distances compared to 1e-6 Å; ties by distance from the centre, then index), with open
 * boundaries. The ideal energy of such a cut depends strongly on which of several equivalent
 * surface atoms are kept (their dipole), hence the exact tie rule.
 */
function shapeCut(crystal: Structure, atoms: number, norm: (x: number, y: number, z: number) => number): Structure {
  if (!(Number.isInteger(atoms) && atoms >= 2 && atoms % 2 === 0)) throw new PolymorphError('E_VALUE', `nanoparticle: atoms must be an even integer ≥ 2 (half Zn, half O), got ${String(atoms)}`);
  const perAtom = crystal.volume / crystal.length;
  const radius = 1.5 * Math.cbrt((3 * atoms * perAtom) / (4 * Math.PI)) + 3;
  const spacing = planeSpacings(crystal.cell!.data);
  const block = crystal.repeat(spacing.map((d) => Math.ceil((2 * radius) / d) + 1) as [number, number, number]);
  const h = block.cellMatrix();
  const centre = [0, 1, 2].map((x) => 0.5 * (h[x] + h[3 + x] + h[6 + x]));
  const p = block.positions;
  const order = (z: number): number[] => {
    const idx: { i: number; n: number; r: number }[] = [];
    for (let i = 0; i < block.length; ++i) {
      if (block.numbers[i] !== z) continue;
      const v = [0, 1, 2].map((x) => p.get(i, x) - centre[x]);
      // Rounded to 1e-6 Å so that symmetry-equivalent atoms tie exactly and the choice among them
      // (by index) does not flip with round-off or a lattice change in the last digits.
      idx.push({ i, n: Math.round(1e6 * norm(v[0], v[1], v[2])), r: Math.round(1e6 * Math.hypot(v[0], v[1], v[2])) });
    }
    idx.sort((a, b) => a.n - b.n || a.r - b.r || a.i - b.i);
    return idx.slice(0, atoms / 2).map((x) => x.i);
  };
  const species = [...new Set(block.numbers)];
  if (species.length !== 2) throw new PolymorphError('E_VALUE', 'nanoparticle: the crystal must hold two species');
  const chosen = [...order(species[0]), ...order(species[1])].sort((a, b) => a - b);
  const positions = chosen.map((i) => [0, 1, 2].map((x) => p.get(i, x) - centre[x]));
  return new Structure({ positions, numbers: chosen.map((i) => block.numbers[i]) });
}

/** Hexagonal norm in the basal plane with {10-10} facets (normals at 30°, 90°, 150° from a₁ = x): the apothem through (x, y). */
function hexagonal(x: number, y: number): number {
  const c = Math.sqrt(3) / 2;
  return Math.max(Math.abs(c * x + 0.5 * y), Math.abs(y), Math.abs(-c * x + 0.5 * y));
}

/**
 * A sphere of wurtzite: the `atoms` atoms (half Zn, half O) nearest the centre of a block of the
 * crystal, as `droplet` (polymorph/build) cuts it, with the tie rule of the other shapes.
 */
export function wurtziteSphere(atoms: number, a: number, c: number, u: number): Structure {
  return shapeCut(wurtzite(['Zn', 'O'], a, c, u), atoms, (x, y, z) => Math.hypot(x, y, z));
}

/**
 * A hexagonal prism of wurtzite (a, c in Å, internal u) with {10-10} side facets and polar
 * (0001)/(000-1) caps, as tall as it is wide across its facets: the `atoms` atoms (half Zn, half O)
 * with the smallest max(apothem, |z|) about the centre of a block of the crystal.
 */
export function wurtzitePrism(atoms: number, a: number, c: number, u: number): Structure {
  return shapeCut(wurtzite(['Zn', 'O'], a, c, u), atoms, (x, y, z) => Math.max(hexagonal(x, y), Math.abs(z)));
}

/**
 * An octahedron of zincblende (lattice constant a, Å) bounded by polar {111} facets: the `atoms`
 * atoms (half Zn, half O) with the smallest (|x| + |y| + |z|)/√3 (the distance to the {111} planes
 * through the centre) in the cubic axes.
 */
export function zincblendeOctahedron(atoms: number, a: number): Structure {
  return shapeCut(zincblende(['Zn', 'O'], a), atoms, (x, y, z) => (Math.abs(x) + Math.abs(y) + Math.abs(z)) / Math.sqrt(3));
}

/** Options of {@link nanoparticleEnergies}. */
export interface NanoparticleOptions {
  /** Particle sizes, atoms (even; default [64, 128, 256]). */
  sizes?: readonly number[];
  /** Shapes (default all three). */
  shapes?: readonly NanoparticleShape[];
  /**
   * Also evaluate each particle after relaxing it with the reference model (FIRE; fmax eV/Å,
   * default 0.05, and steps, default 300), beside the ideal cut: `false` for the ideal cuts only.
   */
  relax?: false | { fmax?: number; steps?: number };
}

/** One particle in one geometry. */
export interface NanoparticleEntry {
  shape: NanoparticleShape;
  atoms: number;
  /** 'ideal': the cut at the bulk lattice; 'relaxed': the cut relaxed with the reference model. */
  geometry: 'ideal' | 'relaxed';
  /** E/N − e_bulk(model), meV/atom, by model (each model's own bulk wurtzite energy per atom). */
  energies: Record<string, number>;
  /** |model − reference|, meV/atom, by model. */
  errors: Record<string, number>;
  /** Shortest interatomic distance of the geometry evaluated, Å; and whether the reference relaxation converged (null: the ideal cut). */
  shortestDistance: number;
  relaxed: boolean | null;
}

/** What {@link nanoparticleEnergies} returns. */
export interface NanoparticleEnergies {
  particles: NanoparticleEntry[];
  /** Root mean square of `errors` over the particles of each geometry, meV/atom, by geometry then model. */
  rmse: { ideal: Record<string, number>; relaxed?: Record<string, number> };
  reference: string;
}

const KEYS = ['sizes', 'shapes', 'relax'] as const;
const SHAPES: readonly NanoparticleShape[] = ['sphere', 'prism', 'octahedron'];

/**
 * Energies of ZnO nanoparticles under several models, against the reference: each particle is
 * cut from the reference's relaxed crystals ({@link wurtziteSphere},
 * {@link wurtzitePrism}, {@link zincblendeOctahedron}) and evaluated as cut ('ideal') and, unless
 * `relax` is false, after relaxation with the reference model ('relaxed', as a DFT study relaxes
 * its clusters with DFT); every model evaluates the same geometries: ΔE = E/N − e_bulk, meV/atom, e_bulk the model's energy per atom of bulk wurtzite at
 * `wurtziteLattice`. The models must evaluate open clusters (Buckingham + Electrostatics, PLIP,
 * PLIP+Q with Electrostatics).
 * @example
 * const np = nanoparticleEnergies({ reference: ref, plipQ: fit.potential }, 'reference',
 *   { wurtzite: [3.271, 5.139, 0.389], zincblende: 4.567 }, { sizes: [64, 128] });
 */
export function nanoparticleEnergies(models: Record<string, Potential>, reference: string,
  lattices: { wurtzite: readonly [number, number, number]; zincblende: number }, options: NanoparticleOptions = {}): NanoparticleEnergies {
  const o = checkOptions(options, KEYS, 'nanoparticleEnergies');
  if (models === null || typeof models !== 'object' || !(reference in models)) throw new PolymorphError('E_VALUE', `nanoparticleEnergies: the models must include the reference '${String(reference)}'`);
  const sizes = o.sizes ?? [64, 128, 256];
  if (!Array.isArray(sizes) || sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n >= 8 && n % 2 === 0)) {
    throw new PolymorphError('E_VALUE', `nanoparticleEnergies: sizes must be even integers ≥ 8, got ${JSON.stringify(sizes)}`);
  }
  const shapes = o.shapes ?? SHAPES;
  if (!Array.isArray(shapes) || shapes.length === 0) throw new PolymorphError('E_VALUE', 'nanoparticleEnergies: shapes must be a non-empty list');
  for (const s of shapes) if (!SHAPES.includes(s)) throw new PolymorphError('E_VALUE', `nanoparticleEnergies: unknown shape '${String(s)}' (expected ${SHAPES.join(', ')})`);
  const relax = o.relax === false ? null : checkOptions(o.relax ?? {}, ['fmax', 'steps'], 'nanoparticleEnergies: relax');
  const [a, ca, u] = lattices.wurtzite;
  const c = ca * a;
  const bulk = wurtzite(['Zn', 'O'], a, c, u).repeat([3, 3, 2]);
  const eBulk = Object.fromEntries(Object.entries(models).map(([name, m]) => [name, m.compute(bulk).energy / bulk.length]));
  const build = (shape: NanoparticleShape, atoms: number): Structure => {
    if (shape === 'sphere') return wurtziteSphere(atoms, a, c, u);
    if (shape === 'prism') return wurtzitePrism(atoms, a, c, u);
    return zincblendeOctahedron(atoms, lattices.zincblende);
  };
  const particles: NanoparticleEntry[] = [];
  const evaluate = (s: Structure, shape: NanoparticleShape, geometry: 'ideal' | 'relaxed', relaxed: boolean | null): void => {
    const energies = Object.fromEntries(Object.entries(models).map(([name, m]) => [name, 1000 * (m.compute(s).energy / s.length - eBulk[name])]));
    const errors = Object.fromEntries(Object.keys(models).map((name) => [name, Math.abs(energies[name] - energies[reference])]));
    particles.push({ shape, atoms: s.length, geometry, energies, errors, shortestDistance: shortestDistance(s, 4), relaxed });
  };
  for (const shape of shapes) {
    for (const atoms of sizes) {
      const s = build(shape, atoms);
      evaluate(s, shape, 'ideal', null);
      if (relax) {
        const r = minimize(s, models[reference], { fmax: relax.fmax ?? 0.05, steps: relax.steps ?? 300 });
        evaluate(r.structure, shape, 'relaxed', r.converged);
      }
    }
  }
  const rmseOf = (geometry: 'ideal' | 'relaxed'): Record<string, number> => {
    const of = particles.filter((p) => p.geometry === geometry);
    return Object.fromEntries(Object.keys(models).map((name) => [name, Math.sqrt(of.reduce((t, p) => t + p.errors[name] ** 2, 0) / of.length)]));
  };
  return { particles, rmse: relax ? { ideal: rmseOf('ideal'), relaxed: rmseOf('relaxed') } : { ideal: rmseOf('ideal') }, reference };
}

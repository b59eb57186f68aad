/**
 * Droplets and seeds for nucleation studies: a stoichiometric sphere cut from a crystal or a
 * liquid, and a crystal seed inserted into a host (a droplet or a periodic liquid).
 * @module
 */
import ndarray from 'ndarray';
import { PolymorphError } from '../core/errors';
import { checkOptions } from '../core/options';
import { inverse3, planeSpacings } from '../structure/cell';
import { Structure } from '../structure/structure';

/** Options of {@link droplet}: give `radius` or `atoms`. */
export interface DropletOptions {
  /** Radius of the sphere (Å): every formula unit that fits, the atoms nearest the centre. */
  radius?: number;
  /** Number of atoms (a whole number of formula units): the nearest to the centre. */
  atoms?: number;
}

/** Counts per atomic number in `numbers`, divided by their greatest common divisor: the formula unit. */
function formulaUnit(numbers: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < numbers.length; ++i) counts.set(numbers[i], (counts.get(numbers[i]) ?? 0) + 1);
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = [...counts.values()].reduce(gcd);
  for (const [z, c] of counts) counts.set(z, c / g);
  return counts;
}

function checkStructure(s: unknown, what: string): Structure {
  if (!(s instanceof Structure)) throw new PolymorphError('E_TYPE', `${what}: expected a Structure`);
  if (s.length === 0) throw new PolymorphError('E_EMPTY', `${what}: the structure has no atoms`);
  return s;
}

function positiveNumber(x: unknown, what: string): number {
  if (!(typeof x === 'number' && Number.isFinite(x) && x > 0)) throw new PolymorphError('E_VALUE', `${what} must be a positive number, got ${String(x)}`);
  return x;
}

/** A block of `s` large enough to hold a sphere of `radius` about its centre, and that centre. */
function block(s: Structure, radius: number): { block: Structure; centre: number[] } {
  const periodic = s.pbc.every((p) => p) && s.cell !== null;
  if (!periodic) {
    if (s.pbc.some((p) => p)) throw new PolymorphError('E_CELL', 'droplet: the structure must be periodic in all three directions, or open');
    const p = s.positions;
    const centre = [0, 1, 2].map((k) => { let sum = 0; for (let i = 0; i < s.length; ++i) sum += p.get(i, k); return sum / s.length; });
    return { block: s, centre };
  }
  const spacing = planeSpacings(s.cell!.data);
  const reps = spacing.map((d) => Math.max(1, Math.ceil((2 * radius) / d) + 1)) as [number, number, number];
  const big = s.repeat(reps);
  const h = big.cellMatrix();
  const centre = [0, 1, 2].map((a) => 0.5 * (h[a] + h[3 + a] + h[6 + a]));
  return { block: big, centre };
}

/**
 * A stoichiometric sphere cut from `structure` — a periodic crystal or liquid (repeated as far as
 * needed) or an open cluster — centred at the origin, with open boundaries (no cell). With
 * `radius`, the largest whole number of formula units whose atoms lie within it, each element's
 * atoms taken nearest the centre first; with `atoms`, exactly that many, the same way. The formula
 * unit is the source's composition (ZnO: one Zn per O), so a ZnO droplet is always neutral.
 * Velocities, masses, charges and per-atom arrays follow their atoms.
 * @example
 * const d = droplet(crystal('wurtzite'), { atoms: 2000 }); // 1000 Zn + 1000 O
 * const r = droplet(liquid, 12);                          // everything within 12 Å, stoichiometric
 */
export function droplet(structure: Structure, options: number | DropletOptions): Structure {
  const s = checkStructure(structure, 'droplet');
  const o: DropletOptions = typeof options === 'number' ? { radius: options } : checkOptions(options, ['radius', 'atoms'], 'droplet');
  if ((o.radius === undefined) === (o.atoms === undefined)) throw new PolymorphError('E_VALUE', 'droplet: give exactly one of radius (Å) or atoms');
  const unit = formulaUnit(s.numbers);
  const unitSize = [...unit.values()].reduce((a, b) => a + b, 0);
  let radius: number, units: number | undefined;
  if (o.radius !== undefined) {
    radius = positiveNumber(o.radius, 'droplet: radius');
  } else {
    const atoms = o.atoms!;
    if (!(Number.isInteger(atoms) && atoms > 0 && atoms % unitSize === 0)) {
      throw new PolymorphError('E_VALUE', `droplet: atoms must be a positive multiple of the formula unit's ${unitSize} atoms, got ${String(atoms)}`);
    }
    units = atoms / unitSize;
    // The sphere holding that many atoms at the source's density, with room to spare.
    const density = s.cell !== null && s.pbc.every((p) => p) ? s.length / s.volume : NaN;
    radius = Number.isFinite(density) ? 1.25 * Math.cbrt((3 * atoms) / (4 * Math.PI * density)) + 2 : Infinity;
  }
  const { block: b, centre } = block(s, Number.isFinite(radius) ? radius : 0);
  const p = b.positions;
  const byElement = new Map<number, { i: number; r: number }[]>();
  for (let i = 0; i < b.length; ++i) {
    const r = Math.hypot(p.get(i, 0) - centre[0], p.get(i, 1) - centre[1], p.get(i, 2) - centre[2]);
    if (r > radius) continue;
    const list = byElement.get(b.numbers[i]) ?? [];
    list.push({ i, r });
    byElement.set(b.numbers[i], list);
  }
  const fits = Math.min(...[...unit].map(([z, c]) => Math.floor((byElement.get(z)?.length ?? 0) / c)));
  const k = units ?? fits;
  if (k > fits) throw new PolymorphError('E_VALUE', `droplet: the source holds only ${fits * unitSize} atoms of its composition, ${k * unitSize} asked`);
  if (k === 0) throw new PolymorphError('E_VALUE', `droplet: no formula unit fits in a radius of ${radius} Å`);
  const picked: number[] = [];
  for (const [z, c] of unit) picked.push(...byElement.get(z)!.sort((x, y) => x.r - y.r || x.i - y.i).slice(0, k * c).map((e) => e.i));
  picked.sort((x, y) => x - y);
  const out = b.select(picked);
  for (let i = 0; i < out.length; ++i) for (let a = 0; a < 3; ++a) out.positions.set(i, a, out.positions.get(i, a) - centre[a]);
  out.cell = null;
  out.pbc = [false, false, false];
  return out;
}

/** Options of {@link insertSeed}: give `radius` or `atoms` (the seed's size). */
export interface InsertSeedOptions {
  /** Radius of the seed (Å): a {@link droplet} of the crystal. */
  radius?: number;
  /** Number of seed atoms (a whole number of the crystal's formula units). */
  atoms?: number;
  /** Where the seed goes (Å, Cartesian); default the host's centre (centroid of an open host, cell centre of a periodic one). */
  center?: readonly [number, number, number];
  /**
   * Host atoms closer than this to a seed atom are removed (Å; default 0.9 × the seed's shortest
   * interatomic distance). A periodic host is compared through its images.
   */
  minDistance?: number;
}

/** The host with its seed, and the seed's atom indices (a group the MD engine accepts). */
export interface SeededStructure {
  structure: Structure;
  /** Indices of the seed's atoms in `structure` (the last ones). */
  seed: Int32Array;
}

/**
 * Replaces the host atoms where a crystal seed goes by the seed: a {@link droplet} of `crystal`
 * (by `radius` or `atoms`, in the crystal's orientation) is centred at `center`; host atoms inside
 * the seed's sphere or closer than `minDistance` to a seed atom are removed, and then, for the host to
 * keep its composition, the fewest further host atoms nearest the seed that make the removed set a
 * whole number of the host's formula units. The result keeps the host's cell and boundaries; host
 * atoms keep their order, velocities, masses and charges, and the seed follows them with zero
 * velocities (when the host has any) and the crystal's masses and charges. Per-atom `arrays` are
 * dropped (forces and the like no longer apply); `info` is kept.
 * @example
 * const { structure, seed } = insertSeed(liquidDroplet, crystal('wurtzite'), { atoms: 200 });
 * const sim = new MolecularDynamics(structure, potential, { timestep: 1, groups: { seed } });
 */
export function insertSeed(host: Structure, crystal: Structure, options: InsertSeedOptions): SeededStructure {
  const h = checkStructure(host, 'insertSeed (host)');
  checkStructure(crystal, 'insertSeed (crystal)');
  const o = checkOptions(options, ['radius', 'atoms', 'center', 'minDistance'], 'insertSeed');
  const seed = droplet(crystal, { radius: o.radius, atoms: o.atoms });
  const periodic = h.pbc.some((p) => p);
  let centre: number[];
  if (o.center !== undefined) {
    if (!(Array.isArray(o.center) && o.center.length === 3 && o.center.every((x) => Number.isFinite(x)))) {
      throw new PolymorphError('E_VALUE', `insertSeed: center must be three finite numbers (Å), got ${JSON.stringify(o.center)}`);
    }
    centre = [...o.center];
  } else if (periodic) {
    const m = h.cellMatrix();
    centre = [0, 1, 2].map((a) => 0.5 * (m[a] + m[3 + a] + m[6 + a]));
  } else {
    centre = [0, 1, 2].map((k) => { let sum = 0; for (let i = 0; i < h.length; ++i) sum += h.positions.get(i, k); return sum / h.length; });
  }
  const sp = seed.positions;
  let shortest = Infinity, extent = 0;
  for (let i = 0; i < seed.length; ++i) {
    extent = Math.max(extent, Math.hypot(sp.get(i, 0), sp.get(i, 1), sp.get(i, 2)));
    for (let j = 0; j < i; ++j) shortest = Math.min(shortest, Math.hypot(sp.get(i, 0) - sp.get(j, 0), sp.get(i, 1) - sp.get(j, 1), sp.get(i, 2) - sp.get(j, 2)));
  }
  const minDistance = o.minDistance === undefined ? (Number.isFinite(shortest) ? 0.9 * shortest : 1.5) : positiveNumber(o.minDistance, 'insertSeed: minDistance');
  const seedAt = Array.from({ length: seed.length }, (_, i) => [0, 1, 2].map((a) => sp.get(i, a) + centre[a]));
  // Displacement from the seed's centre, through the nearest image in periodic directions.
  const inverse = periodic ? inverse3(h.cellMatrix()) : null;
  const m = periodic ? h.cellMatrix() : null;
  const nearest = (d: number[]): number[] => {
    if (!inverse || !m) return d;
    const f = [0, 1, 2].map((b) => d[0] * inverse[b] + d[1] * inverse[3 + b] + d[2] * inverse[6 + b]);
    for (let b = 0; b < 3; ++b) if (h.pbc[b]) f[b] -= Math.round(f[b]);
    return [0, 1, 2].map((a) => f[0] * m[a] + f[1] * m[3 + a] + f[2] * m[6 + a]);
  };
  const hp = h.positions;
  const removed = new Uint8Array(h.length);
  const distanceToSeed = new Float64Array(h.length);
  for (let i = 0; i < h.length; ++i) {
    const d = nearest([0, 1, 2].map((a) => hp.get(i, a) - centre[a]));
    const r = Math.hypot(d[0], d[1], d[2]);
    distanceToSeed[i] = r;
    if (r <= extent + 0.5 * minDistance) { removed[i] = 1; continue; }
    if (r > extent + minDistance + 1e-9) continue;
    for (const q of seedAt) {
      const e = nearest([0, 1, 2].map((a) => hp.get(i, a) - q[a]));
      if (Math.hypot(e[0], e[1], e[2]) < minDistance) { removed[i] = 1; break; }
    }
  }
  // Remove further host atoms, nearest the seed first, until the removed set is whole formula units.
  const unit = formulaUnit(h.numbers);
  const count = (z: number): number => { let c = 0; for (let i = 0; i < h.length; ++i) if (removed[i] && h.numbers[i] === z) ++c; return c; };
  const need = Math.max(...[...unit].map(([z, c]) => Math.ceil(count(z) / c)));
  for (const [z, c] of unit) {
    const missing = need * c - count(z);
    const candidates = Array.from({ length: h.length }, (_, i) => i).filter((i) => !removed[i] && h.numbers[i] === z).sort((x, y) => distanceToSeed[x] - distanceToSeed[y] || x - y);
    if (candidates.length < missing) throw new PolymorphError('E_VALUE', 'insertSeed: the host is too small for this seed');
    for (const i of candidates.slice(0, missing)) removed[i] = 1;
  }
  const kept = Array.from({ length: h.length }, (_, i) => i).filter((i) => !removed[i]);
  if (h.charges !== null && seed.charges === null) throw new PolymorphError('E_VALUE', 'insertSeed: the host has charges and the crystal has none');
  const positions = [...kept.map((i) => [hp.get(i, 0), hp.get(i, 1), hp.get(i, 2)]), ...seedAt];
  const velocities = h.velocities === null ? null : [...kept.map((i) => [0, 1, 2].map((a) => h.velocities!.get(i, a))), ...seedAt.map(() => [0, 0, 0])];
  const structure = new Structure({
    positions,
    numbers: Int32Array.from([...kept.map((i) => h.numbers[i]), ...seed.numbers]),
    cell: h.cell === null ? null : ndarray(Float64Array.from(h.cell.data), [3, 3]),
    pbc: [...h.pbc],
    velocities,
    masses: Float64Array.from([...kept.map((i) => h.masses[i]), ...seed.masses]),
    charges: h.charges === null ? null : Float64Array.from([...kept.map((i) => h.charges![i]), ...seed.charges!]),
    info: { ...h.info },
  });
  return { structure, seed: Int32Array.from({ length: seed.length }, (_, k) => kept.length + k) };
}


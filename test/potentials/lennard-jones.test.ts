import { describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import { LennardJones } from '../../lib/potentials/lennard-jones';
import { SumPotential } from '../../lib/potentials/sum';
import { Structure } from '../../lib/structure/structure';
import { describePotentialConformance, expectClose, expectCode, expectSameResults } from './conformance';
import { standardStructures, triclinicCrystal } from './structures';

// Argon and krypton (eV, Å).
const argon = { epsilon: 0.0104, sigma: 3.4 };
const krypton = { epsilon: 0.014, sigma: 3.65 };
const tolerances = { displacement: 2e-5, forceTolerance: 1e-8, stressTolerance: 1e-9 };

/** φ(r) = 4ε[(σ/r)¹² − (σ/r)⁶] (eV) and dφ/dr (eV/Å). */
function lj(epsilon: number, sigma: number, r: number): { phi: number; dphi: number } {
  const x = (sigma / r) ** 6;
  return { phi: 4 * epsilon * (x * x - x), dphi: (4 * epsilon * (-12 * x * x + 6 * x)) / r };
}

function dimer(r: number, symbols: [string, string] = ['Ar', 'Ar']): Structure {
  return new Structure({ symbols, positions: [[0.3, -0.1, 0.2], [0.3 + r, -0.1, 0.2]] });
}

/** One atom in the fcc primitive cell with nearest-neighbour distance `nearest` (Å). */
function primitiveFcc(nearest: number, symbol = 'Ar'): Structure {
  const h = nearest / Math.SQRT2;
  return new Structure({ symbols: [symbol], positions: [[0, 0, 0]], cell: [[0, h, h], [h, 0, h], [h, h, 0]], pbc: true });
}

describePotentialConformance('Lennard-Jones, argon', () => new LennardJones({ ...argon, cutoff: 8.5 }),
  standardStructures({ symbols: ['Ar'], spacing: 3.8 }), tolerances);

describePotentialConformance('Lennard-Jones, argon, shifted', () => new LennardJones({ ...argon, cutoff: 8.5, shift: true }),
  standardStructures({ symbols: ['Ar'], spacing: 3.8, seed: 7 }), tolerances);

describePotentialConformance('Lennard-Jones, Ar-Kr listed pairs with their own cutoffs',
  () => new LennardJones({
    pairs: { 'Ar-Ar': { ...argon, cutoff: 8.5 }, 'Kr-Ar': { epsilon: 0.012, sigma: 3.5, cutoff: 8.8 }, 'Kr-Kr': { ...krypton, cutoff: 9.1 } },
  }),
  standardStructures({ symbols: ['Ar', 'Kr'], spacing: 3.9, seed: 3 }), tolerances);

describePotentialConformance('Lennard-Jones, Ar-Kr Lorentz-Berthelot mixing, shifted',
  () => new LennardJones({ pairs: { 'Ar-Ar': argon, 'Kr-Kr': krypton }, cutoff: 9.0, shift: true, mixing: 'lorentz-berthelot' }),
  standardStructures({ symbols: ['Ar', 'Kr'], spacing: 3.9, seed: 11 }), tolerances);

describePotentialConformance('SumPotential of two weighted Lennard-Jones terms',
  () => new SumPotential([[new LennardJones({ ...argon, cutoff: 8.5, shift: true }), 0.7], new LennardJones({ epsilon: 0.002, sigma: 4.0, cutoff: 7.0 })]),
  { 'triclinic crystal': triclinicCrystal({ symbols: ['Ar'], seed: 5 }) }, tolerances);

describe('Lennard-Jones physics', () => {
  it('dimer: energy, forces and atom energies match the formula', () => {
    const r = 3.8;
    const result = new LennardJones({ ...argon, cutoff: 8.5 }).compute(dimer(r), { forces: true, atomEnergies: true });
    const { phi, dphi } = lj(argon.epsilon, argon.sigma, r);
    expect(result.energy).toBeCloseTo(phi, 15);
    // Atom 1 sits at +x from atom 0: F_1 = −φ′(r) x̂, F_0 = +φ′(r) x̂.
    expectClose(result.forces!.data, [dphi, 0, 0, -dphi, 0, 0], 1e-14, 'dimer forces');
    expectClose(result.atomEnergies!, [phi / 2, phi / 2], 1e-14, 'dimer atom energies');
  });

  it('dimer: minimum −ε at 2^(1/6) σ with zero force', () => {
    const result = new LennardJones({ ...argon, cutoff: 8.5 }).compute(dimer(2 ** (1 / 6) * argon.sigma), { forces: true });
    expect(result.energy).toBeCloseTo(-argon.epsilon, 15);
    expect(Math.max(...Array.from(result.forces!.data, Math.abs))).toBeLessThan(1e-15);
  });

  it('shift: the energy goes continuously to zero at the cutoff (LAMMPS pair_modify shift yes)', () => {
    const cutoff = 2.5 * argon.sigma;
    const shifted = new LennardJones({ ...argon, cutoff, shift: true });
    const plain = new LennardJones({ ...argon, cutoff });
    const below = dimer(cutoff * (1 - 1e-12)), above = dimer(cutoff * (1 + 1e-12));
    expect(Math.abs(shifted.compute(below).energy)).toBeLessThan(1e-14); // φ′(rc)·rc·1e-12 ≈ 1e-15 eV
    expect(plain.compute(below).energy).toBeCloseTo(lj(argon.epsilon, argon.sigma, cutoff).phi, 14);
    expect(plain.compute(above).energy).toBe(0);
    expect(shifted.compute(above).energy).toBe(0);
    // Inside the cutoff the shift moves the energy by −φ(rc) and leaves the forces alone.
    const s = dimer(4.0);
    const a = shifted.compute(s, { forces: true }), b = plain.compute(s, { forces: true });
    expect(a.energy - b.energy).toBeCloseTo(-lj(argon.epsilon, argon.sigma, cutoff).phi, 16);
    expect(Array.from(a.forces!.data)).toEqual(Array.from(b.forces!.data));
  });

  it('fcc: the lattice sums give E/N = 2ε[A12 (σ/d)¹² − A6 (σ/d)⁶], A12 = 12.13188, A6 = 14.45392', () => {
    // One atom per cell: all neighbours are the atom's own images. Cutoff between shells, tail added.
    const d = 1.1 * argon.sigma, cutoff = 25.3 * d;
    const energy = new LennardJones({ ...argon, cutoff }).compute(primitiveFcc(d)).energy;
    const rho = Math.SQRT2 / d ** 3;
    const tail = 0.5 * rho * 4 * Math.PI * 4 * argon.epsilon * (argon.sigma ** 12 / (9 * cutoff ** 9) - argon.sigma ** 6 / (3 * cutoff ** 3));
    const x6 = (argon.sigma / d) ** 6;
    const lattice = 2 * argon.epsilon * (12.13188 * x6 * x6 - 14.45392 * x6);
    expect(Math.abs(energy + tail - lattice) / Math.abs(lattice)).toBeLessThan(2e-6);
  });

  it('fcc argon: equilibrium nearest-neighbour distance 1.0902 σ, a ≈ 5.24 Å, E/N ≈ −0.0896 eV', () => {
    const cutoff = 20 * argon.sigma;
    const lj20 = new LennardJones({ ...argon, cutoff });
    const energy = (d: number): number => lj20.compute(primitiveFcc(d)).energy;
    let lo = 3.5, hi = 4.0;
    const g = (Math.sqrt(5) - 1) / 2;
    for (let it = 0; it < 35; ++it) {
      const a = hi - g * (hi - lo), b = lo + g * (hi - lo);
      if (energy(a) < energy(b)) hi = b;
      else lo = a;
    }
    const d = (lo + hi) / 2;
    expect(d / argon.sigma).toBeCloseTo(1.0902, 3);
    expect(Math.SQRT2 * d).toBeCloseTo(5.242, 2); // fcc lattice constant, Å (experiment: 5.26 Å at 4 K)
    const tail = -0.5 * (Math.SQRT2 / d ** 3) * 4 * Math.PI * 4 * argon.epsilon * argon.sigma ** 6 / (3 * cutoff ** 3);
    expect(energy(d) + tail).toBeCloseTo(-argon.epsilon * 14.45392 ** 2 / (2 * 12.13188), 5);
    // At equilibrium the stress vanishes; compressed crystals push outwards (pressure > 0).
    const pressure = (nearest: number): number => {
      const stress = lj20.compute(primitiveFcc(nearest), { stress: true }).stress!.data;
      return -(stress[0] + stress[4] + stress[8]) / 3;
    };
    expect(Math.abs(pressure(d))).toBeLessThan(1e-6);
    expect(pressure(0.95 * d)).toBeGreaterThan(0);
    expect(pressure(1.05 * d)).toBeLessThan(0);
  });

  it('several elements: parameters per pair, per-pair cutoffs, mixing rules', () => {
    const explicit = new LennardJones({
      pairs: { 'Ar-Ar': argon, 'Kr-Kr': krypton, 'Ar-Kr': { epsilon: Math.sqrt(argon.epsilon * krypton.epsilon), sigma: (argon.sigma + krypton.sigma) / 2 } },
      cutoff: 9,
    });
    const mixed = new LennardJones({ pairs: { 'Ar-Ar': argon, 'Kr-Kr': krypton }, cutoff: 9, mixing: 'lorentz-berthelot' });
    const s = triclinicCrystal({ symbols: ['Ar', 'Kr'], spacing: 3.9, seed: 4 });
    expectSameResults(mixed.compute(s, { forces: true, stress: true }), explicit.compute(s, { forces: true, stress: true }), 1e-15, 'mixed vs explicit');
    expect(mixed.pairParameters('Kr', 'Ar')).toEqual({ epsilon: Math.sqrt(argon.epsilon * krypton.epsilon), sigma: 3.525, cutoff: 9 });
    const geometric = new LennardJones({ pairs: { 'Ar-Ar': argon, 'Kr-Kr': krypton }, cutoff: 9, mixing: 'geometric' });
    expect(geometric.pairParameters('Ar', 'Kr')!.sigma).toBeCloseTo(Math.sqrt(argon.sigma * krypton.sigma), 15);
    // Dimer Ar-Kr: the cross pair's parameters and cutoff apply.
    const r = 4.0;
    expect(mixed.compute(dimer(r, ['Ar', 'Kr'])).energy).toBeCloseTo(lj(Math.sqrt(argon.epsilon * krypton.epsilon), 3.525, r).phi, 16);
    const short = new LennardJones({ pairs: { 'Ar-Ar': argon, 'Ar-Kr': { ...argon, cutoff: 3.9 }, 'Kr-Kr': krypton }, cutoff: 9 });
    expect(short.compute(dimer(r, ['Ar', 'Kr'])).energy).toBe(0);
    expect(short.compute(dimer(r, ['Kr', 'Kr'])).energy).toBeCloseTo(lj(krypton.epsilon, krypton.sigma, r).phi, 16);
    expect(short.cutoff).toBe(9);
    // Only the elements present matter: a pure-Ar structure needs no Ar-Kr pair.
    const partial = new LennardJones({ pairs: { 'Ar-Ar': argon, 'Kr-Kr': krypton }, cutoff: 9 });
    expect(partial.compute(dimer(r)).energy).toBeCloseTo(lj(argon.epsilon, argon.sigma, r).phi, 16);
  });

  it('one parameter set applies to every atom, whatever its element', () => {
    const one = new LennardJones({ ...argon, cutoff: 8.5 });
    expect(one.compute(dimer(4, ['Ar', 'Kr'])).energy).toBe(one.compute(dimer(4)).energy);
    expect(one.elements).toBeNull();
    expect(one.cutoff).toBe(8.5);
    expect(new LennardJones(argon).cutoff).toBe(2.5 * argon.sigma);
  });

  it('SumPotential adds weighted energies, forces, stress and atom energies', async () => {
    const lj1 = new LennardJones({ ...argon, cutoff: 8.5 });
    const s = triclinicCrystal({ symbols: ['Ar'], seed: 9 });
    const want = { forces: true, stress: true, atomEnergies: true };
    const single = lj1.compute(s, want);
    const sum = new SumPotential([[lj1, 0.25], [lj1, 1.75]]);
    const doubled = sum.compute(s, want);
    expect(sum.cutoff).toBe(8.5);
    expectClose([doubled.energy], [2 * single.energy], 1e-14, 'sum energy');
    expectClose(doubled.forces!.data, Array.from(single.forces!.data, (x) => 2 * x), 1e-14, 'sum forces');
    expectClose(doubled.stress!.data, Array.from(single.stress!.data, (x) => 2 * x), 1e-14, 'sum stress');
    expectClose(doubled.atomEnergies!, Array.from(single.atomEnergies!, (x) => 2 * x), 1e-14, 'sum atom energies');
    expectSameResults(await sum.computeAsync(s, want), doubled, 0, 'async sum');
    expectCode(() => new SumPotential([]), 'E_VALUE');
    expectCode(() => new SumPotential([[lj1, Number.NaN]]), 'E_VALUE');
    expectCode(() => new SumPotential([{} as never]), 'E_TYPE');
  });
});

describe('Lennard-Jones errors', () => {
  const lj1 = new LennardJones({ ...argon, cutoff: 8.5 });

  it('rejects bad parameters and options', () => {
    expectCode(() => new LennardJones({ epsilon: -1, sigma: 3.4, cutoff: 8 }), 'E_VALUE');
    expectCode(() => new LennardJones({ epsilon: 0.01, sigma: 0, cutoff: 8 }), 'E_VALUE');
    expectCode(() => new LennardJones({ epsilon: 0.01, sigma: 3.4, cutoff: Number.POSITIVE_INFINITY }), 'E_VALUE');
    expectCode(() => new LennardJones({ epsilon: Number.NaN, sigma: 3.4 }), 'E_VALUE');
    expectCode(() => new LennardJones({ sigma: 3.4 }), 'E_VALUE');
    expectCode(() => new LennardJones({ ...argon, sigmma: 3 } as never), 'E_VALUE');
    expectCode(() => new LennardJones({ ...argon, shift: 'yes' } as never), 'E_TYPE');
    expectCode(() => new LennardJones({ ...argon, pairs: { 'Ar-Ar': argon } }), 'E_VALUE');
    expectCode(() => new LennardJones({ pairs: { 'Ar-Ar': argon }, mixing: 'arithmetic' as never }), 'E_VALUE');
    expectCode(() => new LennardJones({ pairs: {} }), 'E_VALUE');
    expectCode(() => new LennardJones({ pairs: { ArKr: argon } }), 'E_VALUE');
    expectCode(() => new LennardJones({ pairs: { 'Ar-Kr': argon, 'Kr-Ar': argon } }), 'E_VALUE');
    expectCode(() => new LennardJones({ pairs: { 'Ar-Xx': argon } }), 'E_ELEMENT');
    expectCode(() => new LennardJones({ pairs: { 'Ar-Ar': { ...argon, sigma: -3 } } }), 'E_VALUE');
    expectCode(() => new LennardJones(null as never), 'E_TYPE');
  });

  it('names an element of the structure that the potential does not cover (E_ELEMENT)', () => {
    const lj2 = new LennardJones({ pairs: { 'Ar-Ar': argon }, cutoff: 8.5 });
    let error: unknown;
    try {
      lj2.compute(dimer(4, ['Ar', 'Xe']));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolymorphError);
    expect((error as PolymorphError).code).toBe('E_ELEMENT');
    expect((error as PolymorphError).message).toMatch(/Xe/);
  });

  it('names a missing pair without a mixing rule (E_VALUE)', async () => {
    const lj2 = new LennardJones({ pairs: { 'Ar-Ar': argon, 'Kr-Kr': krypton }, cutoff: 9 });
    expect(() => lj2.compute(dimer(4, ['Kr', 'Ar']))).toThrow(/Ar-Kr/);
    expectCode(() => lj2.compute(dimer(4, ['Kr', 'Ar'])), 'E_VALUE');
    await expect(lj2.computeAsync(dimer(4, ['Kr', 'Ar']))).rejects.toMatchObject({ code: 'E_VALUE' });
    // Mixing needs both like pairs.
    const noLike = new LennardJones({ pairs: { 'Ar-Ar': argon, 'Kr-Xe': krypton, 'Xe-Xe': krypton }, cutoff: 9, mixing: 'geometric' });
    expect(() => noLike.compute(dimer(4, ['Kr', 'Ar']))).toThrow(/Ar-Kr/);
  });

  it('empty structure (E_EMPTY), stress without a cell (E_CELL), overlapping atoms (E_VALUE), bad requests (E_TYPE)', async () => {
    const empty = new Structure({ positions: [], symbols: [] });
    expectCode(() => lj1.compute(empty), 'E_EMPTY');
    await expect(lj1.computeAsync(empty)).rejects.toMatchObject({ code: 'E_EMPTY' });
    expectCode(() => lj1.compute(dimer(4), { stress: true }), 'E_CELL');
    expectCode(() => lj1.compute(dimer(0)), 'E_VALUE');
    await expect(lj1.computeAsync(dimer(0), { forces: true })).rejects.toMatchObject({ code: 'E_VALUE' });
    expectCode(() => lj1.compute(dimer(4), { forces: 1 } as never), 'E_TYPE');
    expectCode(() => lj1.compute({} as never), 'E_TYPE');
    // Nothing is computed that was not asked for.
    const plain = lj1.compute(dimer(4));
    expect(Object.keys(plain)).toEqual(['energy']);
    expect(plain.energy).toBeCloseTo(lj(argon.epsilon, argon.sigma, 4).phi, 16);
  });

  it('computeAsync snapshots the positions at call time', async () => {
    const s = dimer(4);
    const pending = lj1.computeAsync(s);
    s.positions.set(1, 0, 100);
    expect((await pending).energy).toBeCloseTo(lj(argon.epsilon, argon.sigma, 4).phi, 16);
  });
});

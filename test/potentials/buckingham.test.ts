import { describe, expect, it } from 'vitest';
import { PolymorphError } from '../../lib/core/errors';
import { rattle, wurtzite } from '../../lib/build/crystals';
import { Buckingham } from '../../lib/potentials/buckingham';
import { Structure } from '../../lib/structure/structure';
import { describePotentialConformance, expectClose, expectCode } from './conformance';
import { standardStructures } from './structures';

// The O–O term of the Bush/Binks oxide set (eV, Å, eV·Å⁶) and a Zn–O term.
const oxygen = { A: 9547.96, rho: 0.21916, C: 32.0 };
const zincOxygen = { A: 529.7, rho: 0.3581, C: 0 };

/** φ(r) = A e^{−r/ρ} − C/r⁶ (eV) and dφ/dr (eV/Å). */
function buck(p: { A: number; rho: number; C: number }, r: number): { phi: number; dphi: number } {
  const e = p.A * Math.exp(-r / p.rho);
  return { phi: e - p.C / r ** 6, dphi: -e / p.rho + (6 * p.C) / r ** 7 };
}

function dimer(r: number, symbols: [string, string] = ['O', 'O']): Structure {
  return new Structure({ symbols, positions: [[0.3, -0.1, 0.2], [0.3 + r, -0.1, 0.2]] });
}

// Finite-difference steps small enough for the steep exponential (truncation error ∝ h² φ‴).
const tolerances = { displacement: 2e-5, forceTolerance: 1e-7, stressTolerance: 1e-8 };

// Shifted: without a shift the energy jumps by φ(r_c) when a pair crosses the cutoff, which a
// finite difference sees as a spurious force whenever a pair lies within h of r_c; the force
// still has a kink there, so r_c = 6.3 Å is chosen with no pair of these structures near it.
describePotentialConformance('Buckingham, Zn-O and O-O (Zn-Zn not listed)',
  () => new Buckingham({ pairs: { 'Zn-O': zincOxygen, 'O-O': oxygen }, cutoff: 6.3, shift: true }),
  standardStructures({ symbols: ['Zn', 'O'], spacing: 2.7, seed: 5 }), tolerances);

describePotentialConformance('Buckingham, shifted, per-pair cutoffs',
  () => new Buckingham({ pairs: { 'O-Zn': { ...zincOxygen, cutoff: 6.0 }, 'O-O': { ...oxygen, cutoff: 7.5 } }, shift: true }),
  { 'rattled wurtzite': rattle(wurtzite(), 0.05, 3) }, tolerances);

describe('Buckingham physics', () => {
  it('dimer: energy, forces and atom energies match the formula', () => {
    const r = 2.4;
    const result = new Buckingham({ pairs: { 'O-O': oxygen }, cutoff: 10 }).compute(dimer(r), { forces: true, atomEnergies: true });
    const { phi, dphi } = buck(oxygen, r);
    expect(result.energy).toBeCloseTo(phi, 13);
    expectClose(result.forces!.data, [dphi, 0, 0, -dphi, 0, 0], 1e-13, 'dimer forces');
    expectClose(result.atomEnergies!, [phi / 2, phi / 2], 1e-15, 'dimer atom energies', 1);
  });

  it("pairs are symmetric ('O-Zn' = 'Zn-O') and unlisted pairs do not interact", () => {
    const a = new Buckingham({ pairs: { 'Zn-O': zincOxygen }, cutoff: 8 });
    const b = new Buckingham({ pairs: { 'O-Zn': zincOxygen }, cutoff: 8 });
    expect(a.compute(dimer(2.0, ['Zn', 'O'])).energy).toBe(b.compute(dimer(2.0, ['O', 'Zn'])).energy);
    expect(a.compute(dimer(2.0, ['Zn', 'O'])).energy).toBeCloseTo(buck(zincOxygen, 2.0).phi, 13);
    expect(a.compute(dimer(2.0, ['Zn', 'Zn'])).energy).toBe(0);
    expect(a.compute(dimer(2.0, ['O', 'O']), { forces: true }).forces!.data.every((f: number) => f === 0)).toBe(true);
    expect(a.pairParameters('O', 'Zn')).toEqual({ ...zincOxygen, cutoff: 8 });
    expect(a.pairParameters('O', 'O')).toBeUndefined();
  });

  it('shift: energy continuous to zero at the cutoff, forces unchanged', () => {
    const cutoff = 6;
    const shifted = new Buckingham({ pairs: { 'O-O': oxygen }, cutoff, shift: true });
    const plain = new Buckingham({ pairs: { 'O-O': oxygen }, cutoff });
    expect(Math.abs(shifted.compute(dimer(cutoff * (1 - 1e-12))).energy)).toBeLessThan(1e-14); // φ′(rc)·rc·1e-12 ≈ 4e-15 eV
    expect(plain.compute(dimer(cutoff * (1 + 1e-12))).energy).toBe(0);
    const x = shifted.compute(dimer(3), { forces: true }), y = plain.compute(dimer(3), { forces: true });
    expect(x.energy - y.energy).toBeCloseTo(-buck(oxygen, cutoff).phi, 16);
    expect(Array.from(x.forces!.data)).toEqual(Array.from(y.forces!.data));
  });

  it('closer than the inner maximum (Buckingham catastrophe) is E_VALUE, not a collapsing energy', () => {
    const p = new Buckingham({ pairs: { 'O-O': oxygen }, cutoff: 10 });
    expectCode(() => p.compute(dimer(0.5)), 'E_VALUE');
    expect(Number.isFinite(p.compute(dimer(1.0)).energy)).toBe(true);
  });

  it('bad input is a typed PolymorphError', () => {
    const make = (options: unknown) => () => new Buckingham(options as never);
    expectCode(make({ pairs: { 'O-O': { ...oxygen, A: -1 } }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': { ...oxygen, rho: 0 } }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': { ...oxygen, rho: -0.2 } }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': { ...oxygen, C: NaN } }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': { ...oxygen, A: NaN } }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': oxygen }, cutoff: 0 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': oxygen }, cutoff: -3 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': oxygen } }), 'E_VALUE');
    expectCode(make({ pairs: { OO: oxygen }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O-O': oxygen }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-': oxygen }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'Xx-O': oxygen }, cutoff: 10 }), 'E_ELEMENT');
    expectCode(make({ pairs: { 'Zn-O': zincOxygen, 'O-Zn': zincOxygen }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': { ...oxygen, B: 1 } }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: {}, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': { A: 1, rho: 0.1, C: 1e6 } }, cutoff: 10 }), 'E_VALUE');
    expectCode(make({ pairs: { 'O-O': oxygen }, cutoff: 10, epsilon: 1 }), 'E_VALUE');
    const p = new Buckingham({ pairs: { 'O-O': oxygen }, cutoff: 10 });
    expectCode(() => p.compute(dimer(2, ['O', 'Si'])), 'E_ELEMENT');
    expectCode(() => p.compute(dimer(2), { stress: true }), 'E_CELL');
    expectCode(() => p.compute(new Structure({ symbols: ['O'], positions: [[NaN, 0, 0]] })), 'E_VALUE');
    expect(() => p.compute(dimer(0.5))).toThrow(PolymorphError);
  });

  it('async rejects bad input with the same code', async () => {
    const p = new Buckingham({ pairs: { 'O-O': oxygen }, cutoff: 10 });
    await expect(p.computeAsync(dimer(0.5))).rejects.toMatchObject({ code: 'E_VALUE' });
  });
});

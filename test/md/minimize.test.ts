/**
 * FIRE minimisation: rattled wurtzite ZnO (Buckingham + Ewald) relaxes to max force < 1e-4 eV/Å
 * and to the energy of the relaxed perfect crystal; the one-call-per-step path of a TypeScript
 * potential takes the same steps; frozen atoms stay; bad options are typed errors.
 */
import { describe, expect, it } from 'vitest';
import { minimize, rattle, relaxLattice, rocksalt, wurtzite, zincOxideBuckingham } from '../../lib';
import type { ComputeRequest, Potential, Results, Structure } from '../../lib';
import { errorCode } from '../helpers';

const { potential } = zincOxideBuckingham();

class Wrapped implements Potential {
  readonly cutoff = 0;
  constructor(private readonly inner: Potential) {}
  compute(s: Structure, want?: ComputeRequest): Results {
    return this.inner.compute(s, want);
  }
  computeAsync(s: Structure, want?: ComputeRequest): Promise<Results> {
    return this.inner.computeAsync(s, want);
  }
}

describe('minimize (FIRE)', () => {
  const perfect = wurtzite().repeat([3, 3, 2]);
  const rattled = rattle(perfect, 0.1, 3);

  it('relaxes rattled wurtzite ZnO to max force < 1e-4 eV/Å, at the relaxed perfect crystal energy', () => {
    const r = minimize(rattled, potential, { fmax: 1e-4, steps: 3000 });
    expect(r.converged).toBe(true);
    expect(r.maxForce).toBeLessThan(1e-4);
    let worst = 0;
    for (const f of r.forces.data) worst = Math.max(worst, Math.abs(f));
    expect(worst).toBeLessThan(1e-4);
    expect(r.energy).toBeLessThan(potential.compute(rattled).energy);
    const reference = minimize(perfect, potential, { fmax: 1e-5, steps: 3000 });
    // A max force of 1e-4 eV/Å leaves an energy error of order f²/k ~ 1e-8 eV per atom.
    expect(Math.abs(r.energy - reference.energy)).toBeLessThan(1e-6 * perfect.length);
    expect(Math.abs(potential.compute(r.structure).energy - r.energy)).toBeLessThan(1e-9 * Math.abs(r.energy));
  });

  it('conjugate gradients relax it too, to the same minimum', () => {
    const fire = minimize(rattled, potential, { fmax: 1e-4, steps: 3000 });
    const cg = minimize(rattled, potential, { method: 'cg', fmax: 1e-4, steps: 3000 });
    expect(cg.converged).toBe(true);
    expect(cg.maxForce).toBeLessThan(1e-4);
    expect(Math.abs(cg.energy - fire.energy)).toBeLessThan(1e-6 * rattled.length);
    expect(errorCode(() => minimize(rattled, new Wrapped(potential), { method: 'cg' }))).toBe('E_VALUE');
  });

  it('with the cell: recovers relaxLattice\'s lattice constants to 1e-4 (rocksalt and wurtzite ZnO)', () => {
    const cubic = relaxLattice(([a]) => rocksalt(['Zn', 'O'], a), potential, [4.4]);
    const r = minimize(rattle(rocksalt(['Zn', 'O'], 4.4).repeat([2, 2, 2]), 0.02, 1), potential, { cell: true, fmax: 1e-5, steps: 5000 });
    expect(r.converged).toBe(true);
    const a = Math.cbrt(Math.abs(r.structure.cell!.get(0, 0) * r.structure.cell!.get(1, 1) * r.structure.cell!.get(2, 2))) / 2;
    expect(Math.abs(a - cubic.parameters[0]) / cubic.parameters[0]).toBeLessThan(1e-4);
    const hexagonal = relaxLattice(([x, ca, u]) => wurtzite(['Zn', 'O'], x, ca * x, u), potential, [3.25, 1.6, 0.38]);
    const w = minimize(wurtzite(['Zn', 'O'], 3.3, 5.3, 0.38).repeat([2, 2, 2]), potential, { cell: true, fmax: 1e-5, steps: 5000 });
    expect(w.converged).toBe(true);
    const cell = w.structure.cell!;
    const lengthA = Math.hypot(cell.get(0, 0), cell.get(0, 1), cell.get(0, 2)) / 2, lengthC = Math.hypot(cell.get(2, 0), cell.get(2, 1), cell.get(2, 2)) / 2;
    expect(Math.abs(lengthA - hexagonal.parameters[0]) / hexagonal.parameters[0]).toBeLessThan(1e-4);
    expect(Math.abs(lengthC / lengthA - hexagonal.parameters[1]) / hexagonal.parameters[1]).toBeLessThan(1e-4);
    expect(errorCode(() => minimize(rattled, potential, { cell: true, method: 'cg' }))).toBe('E_VALUE');
  });

  it('a TypeScript potential takes the same FIRE steps (one call per step)', () => {
    const a = minimize(rattled, potential, { fmax: 1e-3 });
    const b = minimize(rattled, new Wrapped(potential), { fmax: 1e-3 });
    expect(b.steps).toBe(a.steps);
    const x = a.structure.positions.data, y = b.structure.positions.data;
    for (let k = 0; k < x.length; ++k) expect(Math.abs(x[k] - y[k])).toBeLessThan(1e-9);
  });

  it('frozen atoms stay where they are and leave the convergence test', () => {
    const frozen = [0, 5, 17];
    const r = minimize(rattled, potential, { fmax: 1e-3, frozen });
    expect(r.converged).toBe(true);
    for (const i of frozen) for (let k = 0; k < 3; ++k) expect(r.structure.positions.get(i, k)).toBe(rattled.positions.get(i, k));
    const mask = Array.from({ length: rattled.length }, (_, i) => frozen.includes(i));
    expect(minimize(rattled, potential, { fmax: 1e-3, frozen: mask }).energy).toBe(r.energy);
  });

  it('bad options are typed errors', () => {
    expect(errorCode(() => minimize(rattled, potential, { fmax: 0 }))).toBe('E_VALUE');
    expect(errorCode(() => minimize(rattled, potential, { steps: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => minimize(rattled, potential, { frozen: [1e6] }))).toBe('E_VALUE');
    expect(errorCode(() => minimize(rattled, potential, { fMax: 1 } as never))).toBe('E_VALUE');
    expect(errorCode(() => minimize(rattled, potential, { frozen: [true, false] }))).toBe('E_SHAPE');
  });
});

import { describe, expect, it } from 'vitest';
import { PlipDescriptors, PlipDescriptorsOptions } from '../../lib/descriptors';
import { LinearPotential } from '../../lib/potentials/linear';
import { Structure } from '../../lib/structure/structure';
import { describePotentialConformance, expectClose, expectCode, expectSameResults } from './conformance';
import { seededRandom, standardStructures, triclinicCrystal } from './structures';

const options: PlipDescriptorsOptions = {
  elements: ['Zn', 'O'],
  cutoff: 4.5,
  grid: { widths: [0.7, 1.5], centres: [1.8, 2.7, 3.6] },
  threeBody: { lmax: 2, grid: { widths: [1.2], centres: [2.4] } },
  nBody: { mmax: 5, rShort: { 'Zn-Zn': 2.7, 'O-O': 2.5, 'Zn-O': 2.6 } },
};

/** A LinearPotential with random-but-fixed weights (eV) of mixed sign, scaled so that energies are eV-sized. */
function makeModel(seed = 17): LinearPotential {
  const descriptors = new PlipDescriptors(options);
  const random = seededRandom(seed);
  const names = descriptors.featureNames();
  const weights = names.map((name) => (2 * random() - 1) * (name.startsWith('NB') ? 1e-4 : name.startsWith('3B') ? 0.01 : 0.1));
  return new LinearPotential({ descriptors, weights, offsets: { Zn: -1.25, O: -4.5 } });
}

const structures = standardStructures({ symbols: ['Zn', 'O'], spacing: 2.6, seed: 5 });

describePotentialConformance('LinearPotential over PLIP descriptors, Zn-O', () => makeModel(), structures,
  { displacement: 1e-5, forceTolerance: 1e-7, stressTolerance: 1e-8 });

describe('LinearPotential', () => {
  const model = makeModel();
  const crystal = (): Structure => triclinicCrystal({ symbols: ['Zn', 'O'], spacing: 2.6, seed: 8 });

  it('equals the descriptor rows contracted with the weights', () => {
    const s = crystal();
    const rows = model.descriptors.compute(s, { forces: true, stress: true });
    const w = model.weights;
    const F = w.length;
    const dot = (get: (f: number) => number) => { let t = 0; for (let f = 0; f < F; ++f) t += get(f) * w[f]; return t; };
    const counts = { Zn: s.symbols.filter((x) => x === 'Zn').length, O: s.symbols.filter((x) => x === 'O').length };
    const energy = dot((f) => rows.energyRow[f]) + counts.Zn * -1.25 + counts.O * -4.5;
    const result = model.compute(s, { forces: true, stress: true, atomEnergies: true });
    expectClose([result.energy], [energy], 1e-13, 'energy', Math.abs(energy));
    const forces = Array.from({ length: 3 * s.length }, (_, k) => dot((f) => rows.forceRows!.get(k, f)));
    expectClose(result.forces!.data, forces, 1e-12, 'forces');
    const voigt = Array.from({ length: 6 }, (_, q) => dot((f) => rows.stressRows!.get(q, f)));
    const st = result.stress!;
    expectClose([st.get(0, 0), st.get(1, 1), st.get(2, 2), st.get(1, 2), st.get(0, 2), st.get(0, 1)], voigt, 1e-12, 'stress');
    const atoms = Array.from({ length: s.length }, (_, i) => dot((f) => rows.atomDescriptors.get(i, f)) + (s.symbols[i] === 'Zn' ? -1.25 : -4.5));
    expectClose(result.atomEnergies!, atoms, 1e-13, 'atom energies');
  });

  it('toJSON / fromJSON round-trips exactly', async () => {
    const s = crystal();
    const json = JSON.stringify(model);
    const copy = LinearPotential.fromJSON(JSON.parse(json));
    expect(JSON.stringify(copy)).toBe(json);
    expect(copy.descriptors.featureNames()).toEqual(model.descriptors.featureNames());
    const want = { forces: true, stress: true, atomEnergies: true };
    const a = model.compute(s, want), b = copy.compute(s, want);
    expectSameResults(b, a, 0, 'round trip');
    expectSameResults(await copy.computeAsync(s, want), a, 0, 'round trip async');
  });

  it('bad input is a typed PolymorphError', () => {
    const descriptors = new PlipDescriptors(options);
    const F = descriptors.featureCount;
    expectCode(() => new LinearPotential({ descriptors, weights: new Array(F - 1).fill(0) }), 'E_SHAPE');
    expectCode(() => new LinearPotential({ descriptors, weights: [...new Array(F - 1).fill(0), Number.NaN] }), 'E_VALUE');
    expectCode(() => new LinearPotential({ descriptors, weights: new Array(F).fill(0), offsets: { Cu: 1 } }), 'E_ELEMENT');
    expectCode(() => new LinearPotential({ descriptors, weights: new Array(F).fill(0), offsets: { Zn: Number.NaN } }), 'E_VALUE');
    expectCode(() => LinearPotential.fromJSON({ type: 'Other' } as never), 'E_VALUE');
    const copper = new Structure({ symbols: ['Cu', 'O'], positions: [[0, 0, 0], [2, 0, 0]] });
    expectCode(() => model.compute(copper), 'E_ELEMENT');
  });

  it("async bad input rejects with a typed error", async () => {
    const copper = new Structure({ symbols: ["Cu", "O"], positions: [[0, 0, 0], [2, 0, 0]] });
    await expect(model.computeAsync(copper)).rejects.toMatchObject({ code: 'E_ELEMENT' });
  });
});

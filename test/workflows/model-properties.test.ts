/**
 * The properties of Salazar et al.'s Figs. 1–2 (lattices, phonons, liquid g(r), nanoparticles)
 * for any set of models: physics of the rigid-ion reference, a model compared with itself, a
 * model without short-range repulsion (which collapses), and compareChargeColumn's properties.
 */
import { inspect } from 'util';
import { beforeAll, describe, expect, it } from 'vitest';
import { zincblende } from '../../lib/build/crystals';
import { droplet } from '../../lib/build/droplet';
import { Electrostatics } from '../../lib/potentials/electrostatics';
import { SumPotential } from '../../lib/potentials/sum';
import { zincOxideBuckingham } from '../../lib/potentials/zinc-oxide';
import { relaxPolymorphs } from '../../lib/workflows/model-lattices';
import { liquidRdfs } from '../../lib/workflows/model-liquid';
import { modelProperties, type ModelProperties } from '../../lib/workflows/model-properties';
import { nanoparticleEnergies, wurtzitePrism, wurtziteSphere, zincblendeOctahedron } from '../../lib/workflows/nanoparticles';
import { compareChargeColumn } from '../../lib/workflows/plip-charge-study';
import { zincOxideDataset } from '../../lib/workflows/zinc-oxide-dataset';
import { expectCode } from '../potentials/conformance';

const zno = zincOxideBuckingham();
// The reference for every structure: Buckingham + Electrostatics (Ewald in cells, direct sum in clusters).
const reference = new SumPotential([zno.buckingham, new Electrostatics({ charges: { Zn: 2, O: -2 }, accuracy: 1e-6 })]);
// A second object with the same model: compared with the reference it must show no error at all.
const copy = new SumPotential([zno.buckingham, new Electrostatics({ charges: { Zn: 2, O: -2 }, accuracy: 1e-6 })]);
// Point charges without short-range repulsion: nothing stops a Zn and an O from meeting.
const noRepulsion = new Electrostatics({ charges: { Zn: 2, O: -2 }, accuracy: 1e-6 });

const SMALL_LIQUID = { atoms: 64, meltSteps: 1000, coolSteps: 500, equilibrationSteps: 100, sampleSteps: 300, sampleEvery: 20 };

describe('modelProperties: the reference against itself', () => {
  let p: ModelProperties;
  beforeAll(() => {
    p = modelProperties({ reference, copy }, 'reference', {
      lattices: { polymorphs: ['zincblende', 'rocksalt', 'BCT'] }, phonons: { supercell: [2, 2, 2], mesh: [3, 3, 2] },
      liquid: SMALL_LIQUID, nanoparticles: { sizes: [64, 128, 256] },
    });
  }, 120000);

  it('gives zero errors in every part', () => {
    for (const poly of p.lattices!.polymorphs) {
      expect(p.lattices!.errors.copy[poly].every((e) => e === 0)).toBe(true);
      expect(p.lattices!.energyVsWurtzite.copy[poly]).toBe(p.lattices!.energyVsWurtzite.reference[poly]);
    }
    expect(p.phonons!.agreement.copy.overlap).toBeCloseTo(1, 12);
    expect(p.phonons!.agreement.copy.difference).toBe(0);
    expect(p.liquid!.peakErrors.copy).toEqual(p.liquid!.peakErrors.reference);
    for (const pair of ['O-O', 'O-Zn', 'Zn-Zn']) expect(p.liquid!.peakErrors.copy![pair]).toEqual({ position: 0, height: 0 });
    expect(p.nanoparticles!.rmse).toEqual({ ideal: { reference: 0, copy: 0 }, relaxed: { reference: 0, copy: 0 } });
    const text = inspect(p);
    expect(text.split('\n').length).toBeLessThanOrEqual(8);
    expect(text).toContain('wurtzite Δa: copy 0 %');
    expect(text).toContain('phonon DOS overlap: copy 1');
  });

  it('relaxes the rigid-ion polymorphs to their known lattices and ordering', () => {
    // test/potentials/zinc-oxide.test.ts: wurtzite a 3.271 Å, c 5.139 Å, u 0.389, 90 meV/f.u. below zincblende.
    const [a, ca, u] = p.lattices!.models.reference.wurtzite.parameters;
    expect(a).toBeCloseTo(3.271, 2);
    expect(a * ca).toBeCloseTo(5.139, 2);
    expect(u).toBeCloseTo(0.389, 2);
    const e = p.lattices!.energyVsWurtzite.reference;
    expect(e.zincblende).toBeGreaterThan(80);
    expect(e.zincblende).toBeLessThan(100);
    expect(e.rocksalt).toBeGreaterThan(e.zincblende);
    expect(e.BCT).toBeGreaterThan(0);
    for (const poly of p.lattices!.polymorphs) expect(p.lattices!.models.reference[poly].collapsed).toBe(false);
  });

  it('phonons: three acoustic zeros at Γ, no unstable mode, optical modes up to ~25 THz', () => {
    const gamma = p.phonons!.gamma.reference;
    for (const v of gamma.slice(0, 3)) expect(Math.abs(v)).toBeLessThan(0.1);
    expect(p.phonons!.imaginaryModes.reference).toBe(0);
    // A light O²⁻ bound by ±2 charges: the highest optical mode of the rigid-ion model (measured 22–25 THz) is above ZnO's 17 THz from experiment, below 40.
    expect(p.phonons!.maxFrequency.reference).toBeGreaterThan(15);
    expect(p.phonons!.maxFrequency.reference).toBeLessThan(40);
  });

  it('the liquid at 1500 K: Zn–O first peak at a bond length, like pairs further out, no collapse', () => {
    const run = p.liquid!.models.reference;
    expect(run.collapsed).toBeNull();
    expect(run.frames).toBe(15);
    // 64 atoms, 15 frames: temperatures fluctuate by ~T√(2/3N) ≈ 150 K per frame, ±40 K on the mean.
    expect(Math.abs(run.temperature - 1500)).toBeLessThan(150);
    const peaks = run.peaks!;
    expect(peaks['O-Zn'].position).toBeGreaterThan(1.75);
    expect(peaks['O-Zn'].position).toBeLessThan(2.15);
    for (const like of ['Zn-Zn', 'O-O']) {
      expect(peaks[like].position).toBeGreaterThan(2.7);
      expect(peaks[like].position).toBeLessThan(3.6);
    }
    expect(peaks['O-Zn'].height).toBeGreaterThan(peaks['Zn-Zn'].height);
  });

  it('nanoparticles: relaxed, the excess energy is positive and falls with size for every shape; relaxation lowers it', () => {
    for (const shape of ['sphere', 'prism', 'octahedron']) {
      const e = p.nanoparticles!.particles.filter((q) => q.shape === shape && q.geometry === 'relaxed').map((q) => q.energies.reference);
      expect(e).toHaveLength(3);
      expect(e[0]).toBeGreaterThan(e[1]);
      expect(e[1]).toBeGreaterThan(e[2]);
      expect(e[2]).toBeGreaterThan(0);
    }
    // The reference relaxes every ideal cut to a lower energy (FIRE never goes uphill).
    const ideal = p.nanoparticles!.particles.filter((q) => q.geometry === 'ideal');
    const relaxed = p.nanoparticles!.particles.filter((q) => q.geometry === 'relaxed');
    expect(ideal).toHaveLength(9);
    ideal.forEach((q, k) => expect(relaxed[k].energies.reference).toBeLessThan(q.energies.reference));
  });
});

describe('a model without short-range repulsion collapses, and is reported, not thrown', () => {
  it('lattices: the minimum sits on the shortest-distance bound', () => {
    const lat = relaxPolymorphs({ reference, noRepulsion }, 'reference', { polymorphs: ['rocksalt'], maxEvaluations: 200 });
    expect(lat.models.noRepulsion.rocksalt.collapsed).toBe(true);
    expect(lat.models.noRepulsion.rocksalt.shortestDistance).toBeLessThan(1.25);
    expect(lat.models.reference.rocksalt.collapsed).toBe(false);
  });

  it('liquid: the run stops at the collapse and gives no g(r)', () => {
    const liquid = liquidRdfs({ reference, noRepulsion }, 'reference', { ...SMALL_LIQUID, meltSteps: 200, coolSteps: 100, sampleSteps: 100 });
    const run = liquid.models.noRepulsion;
    expect(run.collapsed).not.toBeNull();
    expect(run.collapsed!.reason).toMatch(/apart|runaway|engine/);
    expect(run.rdf).toBeNull();
    expect(liquid.peakErrors.noRepulsion).toBeNull();
    expect(liquid.models.reference.collapsed).toBeNull();
  }, 60000);
});

describe('nanoparticle shapes', () => {
  it('prisms and octahedra are stoichiometric and bounded by their facets', () => {
    const prism = wurtzitePrism(128, 3.271, 5.139, 0.389);
    const oct = zincblendeOctahedron(512, 4.567);
    for (const s of [prism, oct]) {
      expect(s.symbols.filter((e) => e === 'Zn')).toHaveLength(s.length / 2);
      expect(s.pbc.some((x) => x)).toBe(false);
    }
    // Polar caps: the top and bottom (0001) planes of the prism each hold one species, different ones.
    const z = Array.from({ length: prism.length }, (_, i) => prism.positions.get(i, 2));
    const top = Math.max(...z), bottom = Math.min(...z);
    const cap = (h: number): Set<string> => new Set(prism.symbols.filter((_, i) => Math.abs(z[i] - h) < 0.01));
    expect(cap(top).size).toBe(1);
    expect(cap(bottom).size).toBe(1);
    expect([...cap(top)][0]).not.toBe([...cap(bottom)][0]);
    // The octahedron lies within |x|+|y|+|z| ≤ R: its reach along ⟨100⟩ exceeds that along ⟨111⟩ by √3
    // for the ideal solid (less for 512 atoms, whose vertices are blunt), by ~1 for a sphere.
    const reach = (s: typeof oct): number => {
      let along100 = 0, along111 = 0;
      for (let i = 0; i < s.length; ++i) {
        along100 = Math.max(along100, Math.abs(s.positions.get(i, 0)));
        along111 = Math.max(along111, Math.abs(s.positions.get(i, 0) + s.positions.get(i, 1) + s.positions.get(i, 2)) / Math.sqrt(3));
      }
      return along100 / along111;
    };
    expect(reach(oct)).toBeGreaterThan(1.2);
    expect(reach(droplet(zincblende(['Zn', 'O'], 4.567), { atoms: 512 }))).toBeLessThan(1.1);
  });

  it('the choice among equivalent surface atoms does not flip with a change of the lattice in the last digits', () => {
    for (const build of [(f: number) => wurtziteSphere(128, 3.271 * f, 5.139 * f, 0.389), (f: number) => wurtzitePrism(128, 3.271 * f, 5.139 * f, 0.389),
      (f: number) => zincblendeOctahedron(128, 4.567 * f)]) {
      const a = build(1), b = build(1 + 1e-9);
      expect(b.symbols).toEqual(a.symbols);
      for (let k = 0; k < 3 * a.length; ++k) expect(Math.abs(b.positions.data[k] - a.positions.data[k])).toBeLessThan(1e-7);
    }
  });
});

describe('compareChargeColumn properties', () => {
  it('are JSON-serialisable, summarised in a few lines, and switch off', () => {
    const data = zincOxideDataset({ seed: 3, bulkCount: 2, slabCount: 1, liquidCount: 2 });
    const common = { dataset: data, validation: 0.25, alpha: 1e-3, descriptors: { cutoff: 5, grid: { widths: [1], centres: [1, 2, 3, 4] } } };
    const study = compareChargeColumn({
      ...common,
      properties: {
        lattices: { polymorphs: ['zincblende'] }, phonons: { supercell: [2, 2, 2], mesh: [2, 2, 2] },
        liquid: { atoms: 32, meltSteps: 200, coolSteps: 100, equilibrationSteps: 20, sampleSteps: 40, sampleEvery: 10 }, nanoparticles: { sizes: [32], shapes: ['sphere'] },
      },
    });
    const p = study.properties!;
    expect(p.models).toEqual(['reference', 'plip', 'plipQ']);
    expect(p.parity.energy.reference).toHaveLength(study.validationIndices.length);
    expect(p.parity.forces.plipQ).toHaveLength(3 * p.parity.atoms.reduce((a, b) => a + b, 0));
    // The reference of the properties is the data set's reference: its parity energies are the labels.
    study.validationIndices.forEach((k, i) => expect(p.parity.energy.reference[i]).toBeCloseTo((data.structures[k].info.energy as number) / data.structures[k].length, 9));
    expect(p.surfaceOrdering.lower.reference).toBe('non-polar');
    const json = JSON.stringify({ ...study, plip: { ...study.plip, potential: undefined }, plipQ: { ...study.plipQ, potential: undefined } });
    expect(JSON.parse(json).properties.lattices.polymorphs).toEqual(['wurtzite', 'zincblende']);
    const text = inspect(study);
    expect(text.split('\n').length).toBeLessThanOrEqual(15);
    expect(inspect(p).split('\n').length).toBeLessThanOrEqual(8);
    expect(text).toMatch(/wurtzite Δa: PLIP -?[\d.e-]+ %, PLIP\+Q -?[\d.e-]+ %/);
    expect(text).toMatch(/phonon DOS overlap: PLIP [\d.]+, PLIP\+Q [\d.]+/);
    const off = compareChargeColumn({ ...common, properties: false });
    expect('properties' in off).toBe(false);
    expect(off.plipQ.validation.energyRmse).toBe(study.plipQ.validation.energyRmse);
  }, 120000);
});

describe('typed errors', () => {
  it('on bad options', () => {
    expectCode(() => modelProperties({ reference }, 'missing'), 'E_VALUE');
    expectCode(() => modelProperties({ reference }, 'reference', { phonon: false } as never), 'E_VALUE');
    expectCode(() => modelProperties({ reference }, 'reference', { liquid: 3 } as never), 'E_TYPE');
    expectCode(() => modelProperties({ reference, other: {} as never }, 'reference'), 'E_TYPE');
    expectCode(() => relaxPolymorphs({ reference }, 'reference', { polymorphs: ['quartz' as never] }), 'E_VALUE');
    expectCode(() => relaxPolymorphs({ reference }, 'reference', { minimumDistance: -1 }), 'E_VALUE');
    expectCode(() => liquidRdfs({ reference }, 'reference', { atoms: 63 }), 'E_VALUE');
    expectCode(() => liquidRdfs({ reference }, 'reference', { rMax: 50 }), 'E_VALUE');
    expectCode(() => liquidRdfs({ reference }, 'reference', { timestep: 0 }), 'E_VALUE');
    expectCode(() => nanoparticleEnergies({ reference }, 'reference', { wurtzite: [3.27, 1.57, 0.389], zincblende: 4.57 }, { sizes: [63] }), 'E_VALUE');
    expectCode(() => nanoparticleEnergies({ reference }, 'reference', { wurtzite: [3.27, 1.57, 0.389], zincblende: 4.57 }, { shapes: ['cube' as never] }), 'E_VALUE');
    expectCode(() => wurtzitePrism(7, 3.27, 5.14, 0.389), 'E_VALUE');
    expectCode(() => compareChargeColumn({ properties: 3 } as never), 'E_TYPE');
  });
});

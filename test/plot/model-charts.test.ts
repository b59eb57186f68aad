/**
 * Model-comparison figures: each renders headless to SVG with its marks (one symbol or bar per
 * datum where it has them), and a study becomes a report section with every figure and table.
 */
import { describe, expect, it } from 'vitest';
import { chargeStudySection, Figure, latticeErrorChart, nanoparticleChart, parityChart, phononDosChart, polymorphEnergyChart, rdfComparisonChart, surfaceEnergyChart } from '../../lib/plot';
import type { PolymorphLattices } from '../../lib/workflows/model-lattices';
import type { LiquidRdfs } from '../../lib/workflows/model-liquid';
import type { PhononComparison } from '../../lib/workflows/model-properties';
import type { NanoparticleEnergies } from '../../lib/workflows/nanoparticles';
import type { ChargeStudy, ParityData } from '../../lib/workflows/plip-charge-study';
import { errorCode } from '../helpers';

/** Drawn items in the SVG group(s) of a mark class ('mark-symbol', 'mark-rect', …), summed over facets. */
function items(svg: string, markClass: string): number {
  let total = 0;
  for (const part of svg.split(`class="${markClass} role-mark`).slice(1)) {
    const body = part.slice(part.indexOf('>') + 1);
    let depth = 0, k = 0, count = 0;
    for (;;) {
      const open = body.indexOf('<', k);
      if (open < 0) break;
      if (body.startsWith('</', open)) { if (depth === 0) break; depth--; } else {
        const end = body.indexOf('>', open);
        if (depth === 0) count++;
        if (body[end - 1] !== '/') depth++;
        k = end + 1;
        continue;
      }
      k = body.indexOf('>', open) + 1;
    }
    total += count;
  }
  return total;
}

const parity: ParityData = {
  kinds: ['bulk-wurtzite', 'liquid'], atoms: [2, 2],
  energy: { reference: [-19.6, -19.2], plip: [-19.5, -19.3], plipQ: [-19.61, -19.21] },
  forces: { reference: [0.1, -0.1, 0, 0.2, 0, -0.2, 1, -1, 0, 0.5, 0.5, -1], plip: [0.2, -0.1, 0, 0.1, 0, -0.2, 1.2, -1, 0, 0.5, 0.4, -1], plipQ: [0.1, -0.1, 0, 0.2, 0, -0.2, 1, -1.1, 0, 0.5, 0.5, -1] },
};
const relaxed = (parameters: number[], collapsed = false) => ({ parameters, energyPerAtom: -19.6, shortestDistance: 1.97, converged: true, collapsed });
const lattices: PolymorphLattices = {
  polymorphs: ['wurtzite', 'zincblende', 'hBN'], reference: 'reference',
  parameterNames: { wurtzite: ['a (Å)', 'c/a', 'u'], zincblende: ['a (Å)'], hBN: ['a (Å)', 'c (Å)'] },
  models: {
    reference: { wurtzite: relaxed([3.27, 1.57, 0.389]), zincblende: relaxed([4.57]), hBN: relaxed([3.39, 4.63]) },
    plip: { wurtzite: relaxed([3.3, 1.55, 0.39]), zincblende: relaxed([4.6]), hBN: relaxed([2.0, 5.1], true) },
    plipQ: { wurtzite: relaxed([3.28, 1.56, 0.389]), zincblende: relaxed([4.58]), hBN: relaxed([3.4, 4.6]) },
  },
  errors: { reference: { wurtzite: [0, 0, 0], zincblende: [0], hBN: [0, 0] }, plip: { wurtzite: [0.9, -1.3, 0.3], zincblende: [0.7], hBN: [-41, 10] }, plipQ: { wurtzite: [0.3, -0.6, 0], zincblende: [0.2], hBN: [0.3, -0.6] } },
  energyVsWurtzite: { reference: { wurtzite: 0, zincblende: 90, hBN: 91 }, plip: { wurtzite: 0, zincblende: 120, hBN: -1e9 }, plipQ: { wurtzite: 0, zincblende: 95, hBN: 80 } },
};
const grid = Array.from({ length: 50 }, (_, k) => k * 0.5);
const gauss = (c: number) => grid.map((f) => Math.exp(-0.5 * ((f - c) / 2) ** 2) / (2 * Math.sqrt(2 * Math.PI)));
const phonons: PhononComparison = {
  reference: 'reference', lattice: [3.27, 1.57, 0.389], supercell: [3, 3, 2], mesh: [6, 6, 4], sigma: 0.3, frequency: grid,
  dos: { reference: gauss(10), plip: gauss(12), plipQ: gauss(10.5) }, gamma: { reference: [0, 0, 0, 4], plip: [0, 0, 0, 7], plipQ: [0, 0, 0, 5] },
  meanFrequency: { reference: 10, plip: 12, plipQ: 10.5 }, maxFrequency: { reference: 24, plip: 25, plipQ: 24 }, imaginaryModes: { reference: 0, plip: 0, plipQ: 0 },
  agreement: { reference: { overlap: 1, difference: 0 }, plip: { overlap: 0.78, difference: 0.34 }, plipQ: { overlap: 0.93, difference: 0.16 } },
};
const r = [1.5, 2, 2.5, 3, 3.5];
const liquid: LiquidRdfs = {
  atoms: 64, density: 0.075, temperature: 1500, time: 600, reference: 'reference',
  models: {
    reference: { collapsed: null, frames: 20, temperature: 1500, potentialEnergy: -19.2, rdf: { r, partial: { 'O-O': [0, 0, 1, 2.9, 1], 'O-Zn': [0, 4.4, 1, 1, 1], 'Zn-Zn': [0, 0, 1, 2.7, 1] } },
      peaks: { 'O-O': { position: 3, height: 2.9 }, 'O-Zn': { position: 2, height: 4.4 }, 'Zn-Zn': { position: 3, height: 2.7 } } },
    plip: { collapsed: { step: 30, time: 30, reason: 'atoms 0.45 Å apart (below 1.2 Å)', shortestDistance: 0.45 }, frames: 0, temperature: NaN, potentialEnergy: NaN, rdf: null, peaks: null },
    plipQ: { collapsed: null, frames: 20, temperature: 1490, potentialEnergy: -19.1, rdf: { r, partial: { 'O-O': [0, 0, 1.1, 2.5, 1], 'O-Zn': [0, 4, 1.2, 1, 1], 'Zn-Zn': [0, 0, 1.3, 2.5, 1] } },
      peaks: { 'O-O': { position: 3, height: 2.5 }, 'O-Zn': { position: 2, height: 4 }, 'Zn-Zn': { position: 3, height: 2.5 } } },
  },
  peakErrors: { reference: { 'O-Zn': { position: 0, height: 0 } }, plip: null, plipQ: { 'O-Zn': { position: 0, height: -0.4 } } },
};
const surfaces = { polar: { reference: 8.14, plip: 8.27, plipQ: 8.15, errorPlip: 0.13, errorPlipQ: 0.01 }, nonPolar: { reference: 1.78, plip: 1.95, plipQ: 1.97, errorPlip: 0.17, errorPlipQ: 0.19 } };
const particle = (shape: 'sphere' | 'prism' | 'octahedron', atoms: number, e: number, geometry: 'ideal' | 'relaxed' = 'relaxed') => ({
  shape, atoms, geometry, energies: { reference: e, plip: e + 300, plipQ: e + 100 }, errors: { reference: 0, plip: 300, plipQ: 100 }, shortestDistance: 1.65, relaxed: true,
});
const nanoparticles: NanoparticleEnergies = {
  reference: 'reference', rmse: { ideal: { reference: 0, plip: 300, plipQ: 100 }, relaxed: { reference: 0, plip: 300, plipQ: 100 } },
  particles: [particle('sphere', 64, 600), particle('sphere', 128, 460), particle('prism', 64, 590), particle('prism', 128, 480), particle('octahedron', 64, 560), particle('octahedron', 128, 490),
    particle('sphere', 64, 2900, 'ideal'), particle('sphere', 128, 1400, 'ideal')],
};

describe('model comparison figures', () => {
  it('parity plots: one symbol per prediction of each non-reference model and the y = x line', async () => {
    const energy = await parityChart(parity).toSvg();
    expect(items(energy, 'mark-symbol')).toBe(4);
    expect(energy).toContain('mark-line');
    const forces = parityChart(parity, { quantity: 'forces' });
    expect(items(await forces.toSvg(), 'mark-symbol')).toBe(24);
    expect(JSON.stringify(forces.spec)).toContain('PLIP+Q');
  });

  it('lattice errors and polymorph energies: one bar per model and parameter, collapsed polymorphs left out and named', async () => {
    const errors = latticeErrorChart(lattices);
    // PLIP: wurtzite 3 + zincblende 1 (hBN collapsed); PLIP+Q: 3 + 1 + 2.
    expect(items(await errors.toSvg(), 'mark-rect')).toBe(10);
    expect(errors.title).toContain('collapsed, not shown: PLIP hBN');
    const ordering = polymorphEnergyChart(lattices);
    // zincblende and hBN for reference and PLIP+Q, zincblende for PLIP.
    expect(items(await ordering.toSvg(), 'mark-rect')).toBe(5);
  });

  it('phonon DOS, liquid g(r), surface energies and nanoparticles', async () => {
    const dos = phononDosChart(phonons);
    const dosSvg = await dos.toSvg();
    expect(dosSvg.split('class="mark-line role-mark').length - 1).toBe(3);  // one line per model
    expect(dos.title).toContain('overlap PLIP 0.78, PLIP+Q 0.93');
    expect((dos.spec.data as { values: unknown[] }).values).toHaveLength(150);
    const g = rdfComparisonChart(liquid);
    const gSvg = await g.toSvg();
    expect(gSvg.split('class="mark-line role-mark').length - 1).toBe(6);  // three panels (pairs) × two models with a g(r)
    expect(g.title).toContain('collapsed: PLIP after 30 fs');
    expect((g.spec.data as { values: unknown[] }).values).toHaveLength(30);  // two models × three pairs × five bins
    expect(items(await surfaceEnergyChart(surfaces).toSvg(), 'mark-rect')).toBe(6);
    const np = await nanoparticleChart(nanoparticles).toSvg();
    expect(items(np, 'mark-symbol')).toBe(24);  // eight particles × three models
  });

  it('a study becomes a report section with its figures, tables and data (no potentials)', () => {
    const model = { alpha: 1e-3, alphaFromCv: true, nonZero: 10, features: 20, train: {}, validation: { energyRmse: 20, forceRmse: 0.3 }, validationByKind: {}, potential: { cutoff: 5 } };
    const study = {
      dataset: { structures: 10, atoms: 200, kinds: {} }, trainIndices: [0], validationIndices: [1], plip: model, plipQ: model,
      electrostatics: { gamma: 0.9, gammaFitted: 0.9 }, surfaces,
      properties: { models: ['reference', 'plip', 'plipQ'], reference: 'reference', lattices, phonons, liquid, nanoparticles, seconds: {}, parity,
        surfaceOrdering: { lower: { reference: 'non-polar', plip: 'non-polar', plipQ: 'non-polar' }, agrees: { reference: true, plip: true, plipQ: true } } },
    } as unknown as ChargeStudy;
    const section = chargeStudySection(study);
    expect(section.figures!.map((f) => f.title?.split(':')[0].split(' (')[0])).toEqual([
      'Parity on the validation set', 'Parity on the validation set', 'Relaxed lattice parameters', 'Polymorph energies above wurtzite',
      'Phonon DOS of wurtzite', 'Surface energies', 'Liquid ZnO at 1500 K, 64 atoms', 'Nanoparticles',
    ]);
    for (const f of section.figures!) expect(f).toBeInstanceOf(Figure);
    expect(section.tables!.map((t) => t.rows.length)).toEqual([2, 9, 3, 3, 3, 8]);
    for (const t of section.tables!) for (const row of t.rows) expect(row).toHaveLength(t.columns.length);
    expect((section.text as string[]).some((line) => line.startsWith('PLIP collapses in the 1500 K liquid after 30 fs'))).toBe(true);
    expect(JSON.stringify(section.data)).not.toContain('"potential"');
    // Without properties: the RMSE and surface tables, parity-free figures.
    const bare = chargeStudySection({ ...study, properties: undefined });
    expect(bare.figures!.map((f) => f.title)).toEqual(['Surface energies (unrelaxed)']);
  });

  it('rejects bad input with typed errors', () => {
    expect(errorCode(() => parityChart(null as never))).toBe('E_TYPE');
    expect(errorCode(() => parityChart(parity, { quantity: 'stress' as never }))).toBe('E_VALUE');
    expect(errorCode(() => latticeErrorChart({} as never))).toBe('E_TYPE');
    expect(errorCode(() => phononDosChart(phonons, { width: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => rdfComparisonChart(liquid, { colour: 'red' } as never))).toBe('E_VALUE');
    expect(errorCode(() => chargeStudySection({} as never))).toBe('E_TYPE');
  });
});

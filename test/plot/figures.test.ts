/**
 * Figures: each builder's Vega-Lite specification renders headless to SVG that is well-formed XML
 * and holds the expected marks, one symbol per data point where the figure has points; figures
 * serialise to their specification and give a Jupyter MIME bundle; bad input is a typed error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { compositionChart, confusionMatrixChart, criticalTemperatureChart, Figure, growthCurves, lineChart, meltingCurve, VEGA_LITE_MIME } from '../../lib/plot';
import type { SeedingResult } from '../../lib/workflows/seeding';
import type { MeltingTemperatureResult } from '../../lib/workflows/melting';
import { errorCode } from '../helpers';

/** Checks that `xml` is well-formed (every tag closed in order); returns the element names seen. */
function wellFormed(xml: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  const body = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, close, name, , selfClose] = m;
    if (close) {
      expect(stack.pop()).toBe(name);
    } else {
      names.push(name);
      if (!selfClose) stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  return names;
}

/** Number of drawn items in the SVG group of a mark class ('mark-symbol', …). */
function itemsOf(svg: string, markClass: string): number {
  const start = svg.indexOf(`class="${markClass} role-mark`);
  expect(start).toBeGreaterThan(0);
  let depth = 0, count = 0, k = svg.indexOf('>', start) + 1;
  while (k < svg.length) {
    const open = svg.indexOf('<', k);
    if (open < 0) break;
    if (svg.startsWith('</g', open)) { if (depth === 0) break; --depth; } else if (svg.startsWith('<g', open)) { ++depth; } else if (depth === 0 && !svg.startsWith('</', open)) { ++count; }
    k = svg.indexOf('>', open) + 1;
  }
  return count;
}

const melting: MeltingTemperatureResult = {
  meltingTemperature: 1630, uncertainty: 6,
  fit: { midpoint: 1630, midpointError: 6, width: 55, widthError: 5, low: 380, high: 20, rms: 9, converged: true },
  temperatures: Array.from({ length: 21 }, (_, k) => 1300 + 30 * k),
  measuredTemperatures: Array.from({ length: 21 }, (_, k) => 1300 + 30 * k),
  crystal: Array.from({ length: 21 }, (_, k) => Math.round(200 - 180 * Math.tanh((1300 + 30 * k - 1630) / 55))),
  atoms: 500, ramp: { from: 1300, to: 1900, rate: 2000 }, timestep: 1, measure: 'sgma', seconds: 1, replicas: [],
};
melting.replicas.push({ seed: 1, fit: melting.fit, measuredTemperatures: melting.measuredTemperatures, crystal: melting.crystal });

describe('figures', () => {
  it('render to well-formed SVG with their marks and data', async () => {
    const melt = await meltingCurve(melting).toSvg();
    expect(wellFormed(melt)[0]).toBe('svg');
    expect(itemsOf(melt, 'mark-symbol')).toBe(21);
    for (const mark of ['mark-line', 'mark-rule', 'mark-rect']) expect(melt).toContain(mark);
    expect(melt).toContain('T_m = 1630 ± 6 K');
    // three ramps: their 3 × 21 counts as a first symbol layer under the 21 means, the title says so
    const three: MeltingTemperatureResult = {
      ...melting, meltingTemperature: 1640, uncertainty: 12,
      replicas: [1, 2, 3].map((seed) => ({ seed, fit: melting.fit, measuredTemperatures: melting.measuredTemperatures, crystal: melting.crystal.map((n) => n + seed) })),
    };
    const replicated = await meltingCurve(three).toSvg();
    wellFormed(replicated);
    expect(itemsOf(replicated, 'mark-symbol')).toBe(63);
    expect(replicated.split('class="mark-symbol role-mark').length - 1).toBe(2);
    expect(replicated).toContain('T_m = 1640 ± 12 K (mean of 3 ramps)');

    const lines = await lineChart({ 'Zn-O': { x: [1, 2, 3], y: [0, 2, 1] }, 'O-O': { x: [1, 2, 3], y: [0, 1, 1.5] } }, { xLabel: 'r (Å)', yLabel: 'g(r)' }).toSvg();
    wellFormed(lines);
    expect(lines).toContain('mark-line');
    expect(lines).toContain('r (Å)');

    const composition = await compositionChart([{ liquid: 90, wurtzite: 10 }, { liquid: 70, wurtzite: 30 }, { liquid: 40, wurtzite: 60 }], { times: [0, 10, 20] }).toSvg();
    wellFormed(composition);
    expect(composition).toContain('mark-area');

    const seeded = { phase: 'wurtzite', seedAtoms: 300, atoms: 2000, temperatures: [1100, 1300].map((temperature, j) => ({
      temperature, times: [0, 10, 20], mean: [100, 100 + (j ? -40 : 40), 100 + (j ? -80 : 80)], std: [5, 8, 10], sizes: [], growthRate: j ? -4 : 4, grows: !j,
    })) } as unknown as SeedingResult;
    const growth = await growthCurves(seeded).toSvg();
    wellFormed(growth);
    expect(growth.split('class="mark-line role-mark').length - 1).toBe(2);  // one line per temperature
    expect(growth).toContain('mark-area');
    // with the nucleus (largest crystalline cluster) at one temperature: one dashed line more, and the title says so
    const withNucleus = { ...seeded, temperatures: seeded.temperatures.map((t, j) => (j ? t : { ...t, crystal: [[120, 170, 220], [130, 190, 250]] })) };
    const grown = await growthCurves(withNucleus).toSvg();
    wellFormed(grown);
    expect(grown.split('class="mark-line role-mark').length - 1).toBe(3);
    expect(grown).toContain('stroke-dasharray="5,3"');
    expect(grown).toContain('dashed: the whole crystalline nucleus');
    const points = (growthCurves(withNucleus).spec as { data: { values: { nucleus: number | null }[] } }).data.values;
    expect(points.filter((v) => v.nucleus !== null).map((v) => v.nucleus)).toEqual([125, 180, 235]);

    const critical = await criticalTemperatureChart([{ size: 50, low: 1100, high: 1116 }, { size: 200, low: 1300, high: 1316 }, { size: 800, low: 1500, high: 1540 }]).toSvg();
    wellFormed(critical);
    expect(itemsOf(critical, 'mark-rule')).toBe(3);  // one bracket per size
    expect(itemsOf(critical, 'mark-symbol')).toBe(3);
    expect(critical).toContain('N_c (atoms)');

    const confusion = await confusionMatrixChart({ rows: ['a', 'b'], columns: ['a', 'b', 'unassigned'], counts: [[9, 1, 0], [2, 7, 1]] }).toSvg();
    wellFormed(confusion);
    expect(itemsOf(confusion, 'mark-rect')).toBe(6);
    expect(itemsOf(confusion, 'mark-text')).toBe(6);
  });

  it('serialise to their specification, write SVG files, and give a Jupyter MIME bundle', async () => {
    const fig = lineChart({ x: [1, 2, 3], y: [1, 4, 9] }, { title: 'squares' });
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig.spec);
    expect(fig.spec.$schema).toContain('vega-lite');
    expect(fig.title).toBe('squares');
    expect(fig.mimeBundle()[VEGA_LITE_MIME]).toBe(fig.spec);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-plot-')), 'squares.svg');
    await fig.writeSvg(file);
    expect(fs.readFileSync(file, 'utf8').startsWith('<svg')).toBe(true);
  });

  it('bad input is a typed error', async () => {
    expect(errorCode(() => lineChart({ a: { x: [1, 2], y: [1] } }))).toBe('E_SHAPE');
    expect(errorCode(() => lineChart({}))).toBe('E_VALUE');
    expect(errorCode(() => lineChart({ x: [1], y: [1] }, { width: -1 }))).toBe('E_VALUE');
    expect(errorCode(() => meltingCurve({} as never))).toBe('E_TYPE');
    expect(errorCode(() => growthCurves({} as never))).toBe('E_TYPE');
    expect(errorCode(() => criticalTemperatureChart([]))).toBe('E_VALUE');
    expect(errorCode(() => criticalTemperatureChart([{ size: 10, low: 1200, high: 1100 }]))).toBe('E_VALUE');
    expect(errorCode(() => compositionChart([]))).toBe('E_VALUE');
    expect(errorCode(() => compositionChart([{ a: 1 }], { times: [1, 2] }))).toBe('E_SHAPE');
    expect(errorCode(() => confusionMatrixChart({ rows: ['a'], columns: ['a', 'b'], counts: [[1]] }))).toBe('E_SHAPE');
    expect(errorCode(() => new Figure(null as never))).toBe('E_TYPE');
    await expect(new Figure({ mark: 'nonsense-mark' }).toSvg()).rejects.toMatchObject({ code: 'E_VALUE' });
  });
});

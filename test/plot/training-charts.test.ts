/**
 * Training figures: the learning curve (two facets, validation and training lines, an anchor) and
 * the adaptive-group-lasso path render headless to SVG with the expected marks; bad input is a
 * typed error.
 */
import { describe, expect, it } from 'vitest';
import { featureSelectionChart, groupLassoPathChart, learningCurveChart } from '../../lib/plot';
import type { AdaptiveGroupLassoStep } from '../../lib/train/adaptive-group-lasso';
import type { HdnnpEpoch } from '../../lib/train/hdnnp-trainer';
import { errorCode } from '../helpers';

const errors = (e: number, f: number) => ({ energyRmse: e, forceRmse: f, stressRmse: NaN, loss: e * e + f * f });
const history: HdnnpEpoch[] = Array.from({ length: 6 }, (_, k) => ({
  epoch: k, learningRate: 0.01, train: errors(0.1 / (k + 1), 1 / (k + 1)), validation: errors(0.12 / (k + 1), 1.1 / (k + 1)), seconds: 10 * k,
}));

describe('training figures', () => {
  it('draws the learning curve per epoch and against wall time, with an anchor', async () => {
    const figure = learningCurveChart(history, { anchor: { name: 'n2p2', points: [{ epoch: 0, seconds: 0, energy: 5, forces: 20 }, { epoch: 1, seconds: 100, energy: 0.02, forces: 0.8 }] } });
    const svg = await figure.toSvg();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('mark-line');
    expect(svg).toContain('energy (eV/atom)');
    expect(svg).toContain('forces (eV/Å)');
    // 6 epochs × 2 (validation, training) + 2 anchor points per panel, as data rows.
    expect((figure.spec.data as { values: unknown[] }).values).toHaveLength(2 * (12 + 2));
    const timed = learningCurveChart(history, { x: 'seconds' });
    expect(JSON.stringify(timed.spec)).toContain('wall time (s)');
    expect(errorCode(() => learningCurveChart([]))).toBe('E_VALUE');
    expect(errorCode(() => learningCurveChart(history, { x: 'hours' as never }))).toBe('E_VALUE');
  });

  it('draws the group-lasso path', async () => {
    const step = (lambda: number, count: number): AdaptiveGroupLassoStep => ({
      lambda, count, angular: 1, selected: {}, before: errors(0.01, 0.5), after: errors(0.008, 0.3), settings: {} as AdaptiveGroupLassoStep['settings'],
    });
    const svg = await groupLassoPathChart([step(0, 22), step(1e-4, 12), step(1e-3, 7), step(1e-2, 3)]).toSvg();
    expect(svg).toContain('mark-line');
    expect(svg).toContain('symmetry functions kept');
    expect(errorCode(() => groupLassoPathChart([]))).toBe('E_VALUE');
  });

  it('compares selections at equal feature counts, with the full set as a rule', async () => {
    const figure = featureSelectionChart([
      { name: 'AGL', points: [{ count: 7, forceRmse: 0.5, energyRmse: 0.01 }, { count: 12, forceRmse: 0.4, energyRmse: 0.008 }] },
      { name: 'CUR', points: [{ count: 7, forceRmse: 0.9 }, { count: 12, forceRmse: 0.6 }] },
    ], { full: { count: 22, forceRmse: 0.35, energyRmse: 0.007 } });
    const svg = await figure.toSvg();
    expect(svg).toContain('mark-line');
    expect(svg).toContain('mark-rule');
    expect(svg).toContain('all 22');
    expect(svg).toContain('CUR');
    // two methods with force points, one with energy points, one rule per panel
    const rows = (figure.spec as { data: { values: { quantity: string; rule?: boolean }[] } }).data.values;
    expect(rows.filter((r) => r.rule)).toHaveLength(2);
    expect(rows.filter((r) => !r.rule && r.quantity.startsWith('energy'))).toHaveLength(2);
    expect(errorCode(() => featureSelectionChart([]))).toBe('E_VALUE');
    expect(errorCode(() => featureSelectionChart([{ name: 'x', points: [] }], { colour: 1 } as object))).toBe('E_VALUE');
  });

  it('labels reduced units when asked (a Lennard-Jones set in ε and σ)', async () => {
    const units = { energy: 'ε/atom', forces: 'ε/σ' };
    const curve = await learningCurveChart(history, { units }).toSvg();
    expect(curve).toContain('forces (ε/σ)');
    expect(curve).toContain('energy (ε/atom)');
    expect(curve).not.toContain('eV');
    const steps = [{ lambda: 10, count: 7, angular: 0, before: errors(0.1, 2), after: errors(0.05, 1) }] as unknown as AdaptiveGroupLassoStep[];
    const path = await groupLassoPathChart(steps, { units }).toSvg();
    expect(path).toContain('validation force RMSE (ε/σ)');
    const selection = await featureSelectionChart([{ name: 'AGL', points: [{ count: 7, forceRmse: 0.5, energyRmse: 0.01 }] }], { units }).toSvg();
    expect(selection).toContain('forces (ε/σ)');
    expect(selection).not.toContain('eV');
    expect(errorCode(() => featureSelectionChart([{ name: 'x', points: [] }], { units: { forces: '' } }))).toBe('E_TYPE');
    expect(errorCode(() => learningCurveChart(history, { units: { force: 'ε/σ' } as object }))).toBe('E_VALUE');
  });
});

/**
 * Adaptive group lasso on LJ dimers (5 strongly correlated radial functions): without penalty
 * every function stays; a strong penalty removes inputs exactly (their first-layer weights are
 * zero, not small); the refit without penalty lowers the error of the penalised model; the
 * selection's settings are a valid input.nn with only the selected functions.
 */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../lib/io';
import { formatN2p2Settings, parseN2p2Settings, readN2p2Settings } from '../../lib/potentials/n2p2-settings';
import { adaptiveGroupLasso, selectSymmetryFunctions } from '../../lib/train';
import { errorCode, errorCodeAsync, sharedData } from '../helpers';

const dir = path.join(sharedData, 'n2p2', 'train', 'LJ');

describe('adaptiveGroupLasso', () => {
  const lj = readAll(path.join(dir, 'input.data'), { format: 'n2p2' });
  const settings = path.join(dir, 'input.nn');

  it('keeps every function without penalty, drops inputs under a strong one, and the refit helps', async () => {
    const steps = await adaptiveGroupLasso(lj, {
      settings, lambdas: [0, 1], epochs: 150, batchSize: 8, optimizer: { learningRate: 1e-2 }, loss: { energy: 1, forces: 1 }, seed: 2,
    });
    expect(steps.map((s) => s.count)).toEqual([5, steps[1].count]);
    expect(steps[1].count).toBeLessThan(5);
    expect(steps[1].count).toBeGreaterThanOrEqual(1);
    expect(steps[1].angular).toBe(0);
    // The penalty biases the weights: refitting the kept inputs without it lowers the force error.
    expect(steps[1].after!.forceRmse).toBeLessThan(steps[1].before!.forceRmse);
    const text = formatN2p2Settings(steps[1].settings);
    const again = parseN2p2Settings(text, '<agl>');
    expect(again.symmetryFunctions).toHaveLength(steps[1].count);
    const all = readN2p2Settings(settings).symmetryFunctions;
    expect(again.symmetryFunctions.map((f) => JSON.stringify(f))).toEqual(steps[1].selected.Ne.map((j) => JSON.stringify(all[j])));
  });

  it('refuses an empty path, negative λ, the Kalman filter and empty selections', async () => {
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [] }))).toBe('E_VALUE');
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [-1] }))).toBe('E_VALUE');
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [1], optimizer: { type: 'kalman' } }))).toBe('E_VALUE');
    expect(errorCode(() => selectSymmetryFunctions(readN2p2Settings(settings), { Ne: [] }))).toBe('E_VALUE');
  });
});

/**
 * Adaptive group lasso on LJ dimers (5 strongly correlated radial functions): without penalty
 * every function stays; a strong penalty removes inputs exactly (their first-layer weights are
 * zero, not small); the refit without penalty lowers the error of the penalised model; the
 * selection's settings are a valid input.nn with only the selected functions; the path can start
 * from a trained network and refit with the Kalman filter.
 */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../lib/io';
import { formatN2p2Settings, parseN2p2Settings, readN2p2Settings } from '../../lib/potentials/n2p2-settings';
import { adaptiveGroupLasso, selectSymmetryFunctions, trainHdnnp } from '../../lib/train';
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

  it('starts from given weights and refits with other options (the Kalman filter)', async () => {
    const validation = { fraction: 0.2, seed: 3 };
    const start = await trainHdnnp(lj, { settings, optimizer: { type: 'kalman' }, epochs: 2, validation, seed: 2 });
    const startErrors = start.history[start.bestEpoch].validation!;
    // λ = 0 and no epochs: the path's model is the starting one, every input kept.
    const [warm] = await adaptiveGroupLasso(lj, { settings, lambdas: [0], epochs: 0, validation, initialWeights: start.potential.weights, refit: { epochs: 0 } });
    expect(warm.count).toBe(5);
    expect(warm.before!.forceRmse).toBe(startErrors.forceRmse);
    expect(warm.after!.energyRmse).toBe(startErrors.energyRmse);
    // A strong penalty from the trained model, then a Kalman refit of what is left: the refit
    // undoes the penalty's bias.
    const [strong] = await adaptiveGroupLasso(lj, {
      settings, lambdas: [3], epochs: 30, batchSize: 1, optimizer: { learningRate: 1e-2 }, loss: { energy: 1, forces: 1 }, validation, seed: 2,
      initialWeights: start.potential.weights, refit: { optimizer: { type: 'kalman' }, epochs: 2 },
    });
    expect(strong.count).toBeLessThan(5);
    expect(strong.after!.forceRmse).toBeLessThan(strong.before!.forceRmse);
  });

  it('refuses an empty path, negative λ, the Kalman filter and empty selections', async () => {
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [] }))).toBe('E_VALUE');
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [-1] }))).toBe('E_VALUE');
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [1], optimizer: { type: 'kalman' } }))).toBe('E_VALUE');
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [1], refit: { settings } as object }))).toBe('E_VALUE');
    expect(await errorCodeAsync(adaptiveGroupLasso(lj, { settings, lambdas: [1], refit: 3 as unknown as object }))).toBe('E_VALUE');
    expect(errorCode(() => selectSymmetryFunctions(readN2p2Settings(settings), { Ne: [] }))).toBe('E_VALUE');
  });
});

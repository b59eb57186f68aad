/**
 * HDNNP training: the analytic loss gradient (energy, force and stress terms) against finite
 * differences on n2p2's H2O and Cu2S training sets; bitwise independence of the thread count;
 * training lowers the errors and the trained potential predicts what the trainer measured;
 * save → load is exact; the progress line; bad input is refused with typed errors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ndarray from 'ndarray';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getNumThreads, setNumThreads } from '../../lib/core/threads';
import { readAll } from '../../lib/io';
import { Hdnnp } from '../../lib/potentials/hdnnp';
import { networkLayers, readN2p2Settings } from '../../lib/potentials/n2p2-settings';
import { Structure } from '../../lib/structure/structure';
import { radialGrid } from '../../lib/descriptors';
import { hdnnpSettings, HdnnpTrainer, trainHdnnp } from '../../lib/train';
import { errorCode, errorCodeAsync, sharedData } from '../helpers';

const trainDir = (name: string): string => path.join(sharedData, 'n2p2', 'train', name);
const threads = getNumThreads();
afterAll(() => setNumThreads(threads));

function dataSet(name: 'H2O_RPBE-D3' | 'Cu2S_PBE', count: number): { structures: Structure[]; units: { lengthUnit?: 'bohr'; energyUnit?: 'hartree' } } {
  const water = name === 'H2O_RPBE-D3';
  const structures = readAll(path.join(trainDir(name), 'input.data'), { format: 'n2p2', ...(water ? { lengthUnit: 'Bohr', energyUnit: 'Hartree' } : {}) }).slice(0, count);
  return { structures, units: water ? { lengthUnit: 'bohr', energyUnit: 'hartree' } : {} };
}

/** Weights away from the initial ones (biases non-zero too). */
function perturbed(trainer: HdnnpTrainer): Float64Array {
  const w = trainer.initialWeights(3);
  for (let k = 0; k < w.length; ++k) w[k] += 0.05 * Math.sin(k);
  return w;
}

describe('HdnnpTrainer: loss gradient against finite differences', () => {
  for (const name of ['H2O_RPBE-D3', 'Cu2S_PBE'] as const) {
    const terms = [
      { energy: 1, forces: 0, stress: 0 }, { energy: 0, forces: 1, stress: 0 }, { energy: 0, forces: 0, stress: 1 }, { energy: 1, forces: 0.5, stress: 2 },
    ];
    it.each(terms)(`${name}: loss %o`, async (loss) => {
      const { structures, units } = dataSet(name, name === 'Cu2S_PBE' ? 1 : 2);
      structures.forEach((s, k) => {
        // Labels away from the model's predictions: a stress label (the sets have none) and shifted
        // energies, so that the energy term is not a difference of nearly equal large totals.
        s.info.stress = ndarray(Float64Array.from({ length: 9 }, (_, q) => 0.01 * Math.cos(q + k)), [3, 3]);
        s.info.energy = (s.info.energy as number) + 0.5 * s.length * (k + 1);
      });
      const trainer = new HdnnpTrainer(structures, { settings: path.join(trainDir(name), 'input.nn'), units, loss, validation: { fraction: 0 } });
      await trainer.prepare();
      const w = perturbed(trainer);
      const indices = structures.map((_, k) => k);
      const { gradient } = trainer.loss(w, indices, { gradient: true });
      const at = (k: number, d: number): number => {
        const x = w.slice();
        x[k] += d;
        return trainer.loss(x, indices, { forces: loss.forces > 0 }).loss;
      };
      const h = 1e-3;
      let error = 0, norm = 0;
      for (let trial = 0; trial < 10; ++trial) {
        const k = (trial * 7919) % w.length;
        // Fourth-order central difference: the truncation error is O(h⁴).
        const fd = (8 * (at(k, h) - at(k, -h)) - (at(k, 2 * h) - at(k, -2 * h))) / (12 * h);
        error += (fd - gradient![k]) ** 2;
        norm += gradient![k] ** 2;
      }
      expect(norm).toBeGreaterThan(0);
      expect(Math.sqrt(error / norm)).toBeLessThan(1e-6);
    });
  }
});

describe('HdnnpTrainer: threads, training and the trained potential', () => {
  const lj = readAll(path.join(trainDir('LJ'), 'input.data'), { format: 'n2p2' });
  const settings = path.join(trainDir('LJ'), 'input.nn');

  it('gives bitwise the same loss, gradient and trained weights for 1 and 2 threads', async () => {
    const run = async (n: number): Promise<{ gradient: Float64Array; weights: Float64Array }> => {
      setNumThreads(n);
      const trainer = new HdnnpTrainer(lj.slice(0, 20), { settings, loss: { energy: 1, forces: 1 }, validation: { fraction: 0.2 } });
      await trainer.prepare();
      const { gradient } = trainer.loss(perturbed(trainer), trainer.trainIndices, { gradient: true });
      const trained = await trainHdnnp(lj.slice(0, 20), { settings, loss: { energy: 1, forces: 1 }, validation: { fraction: 0.2 }, epochs: 3, batchSize: 4 });
      return { gradient: gradient!, weights: Float64Array.from(Object.values(trained.potential.weights).flatMap((w) => Array.from(w))) };
    };
    const one = await run(1), two = await run(2);
    expect(Buffer.from(two.gradient.buffer).equals(Buffer.from(one.gradient.buffer))).toBe(true);
    expect(Buffer.from(two.weights.buffer).equals(Buffer.from(one.weights.buffer))).toBe(true);
  });

  it('an L2 penalty shrinks the connection weights, not the biases', async () => {
    const run = async (l2: number) => {
      const r = await trainHdnnp(lj.slice(0, 20), { settings, loss: { energy: 1, forces: 1 }, epochs: 20, batchSize: 4, optimizer: { learningRate: 1e-2, l2 }, seed: 2 });
      // n2p2 order: per layer, the connection weights then the biases
      const layers = networkLayers(readN2p2Settings(settings), 'Ne'), w = r.potential.weights.Ne;
      let connections = 0, biases = 0, at = 0;
      for (let l = 1; l < layers.length; ++l) {
        for (let k = 0; k < layers[l - 1] * layers[l]; ++k) connections += w[at++] ** 2;
        for (let k = 0; k < layers[l]; ++k) biases += w[at++] ** 2;
      }
      expect(at).toBe(w.length);
      return { connections: Math.sqrt(connections), biases: Math.sqrt(biases) };
    };
    const free = await run(0), penalised = await run(10);
    // This 5-3-1 network's loss gradients are O(1): at l2 = 10 the penalty's 10·w dominates them.
    expect(penalised.connections).toBeLessThan(0.5 * free.connections);
    expect(penalised.biases).toBeGreaterThan(0);
  });

  it('lowers the validation errors, and the trained potential predicts what the trainer measured', async () => {
    setNumThreads(threads);
    const result = await trainHdnnp(lj, { settings, loss: { energy: 1, forces: 1 }, epochs: 150, batchSize: 8, optimizer: { learningRate: 1e-2 }, seed: 2 });
    const first = result.history[0].validation!, best = result.history[result.bestEpoch].validation!;
    // LJ dimers: 150 epochs take the errors down by more than an order of magnitude.
    expect(best.forceRmse).toBeLessThan(0.1 * first.forceRmse);
    expect(best.energyRmse).toBeLessThan(0.1 * first.energyRmse);
    // RMSEs recomputed with the potential's own compute() equal the trainer's validation errors.
    let e2 = 0, f2 = 0, fn = 0;
    for (const k of result.validationIndices) {
      const s = lj[k];
      const r = result.potential.compute(s, { forces: true });
      e2 += ((r.energy - (s.info.energy as number)) / s.length) ** 2;
      const f = s.arrays.forces as ndarray.NdArray<Float64Array>;
      for (let i = 0; i < s.length; ++i) for (let a = 0; a < 3; ++a) { f2 += (r.forces!.get(i, a) - f.get(i, a)) ** 2; ++fn; }
    }
    expect(Math.sqrt(e2 / result.validationIndices.length)).toBeCloseTo(best.energyRmse, 10);
    expect(Math.sqrt(f2 / fn)).toBeCloseTo(best.forceRmse, 10);
    // Saved in n2p2's format and loaded back: the same potential, bit for bit.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-hdnnp-train-'));
    result.potential.save(dir);
    const again = Hdnnp.load(dir);
    for (const k of result.validationIndices.slice(0, 3)) {
      const a = result.potential.compute(lj[k], { forces: true }), b = again.compute(lj[k], { forces: true });
      expect(b.energy).toBe(a.energy);
      expect(Buffer.from(b.forces!.data.buffer).equals(Buffer.from(a.forces!.data.buffer))).toBe(true);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("HdnnpTrainer: n2p2's Kalman filter", () => {
  const lj = readAll(path.join(trainDir('LJ'), 'input.data'), { format: 'n2p2' });
  const settings = path.join(trainDir('LJ'), 'input.nn');

  it('fits LJ dimers in a few epochs, bitwise the same on 1 and 2 threads', async () => {
    const run = async (n: number) => {
      setNumThreads(n);
      return trainHdnnp(lj, { settings, normalize: false, optimizer: { type: 'kalman', forceFraction: 0.2 }, epochs: 6, seed: 3 });
    };
    const one = await run(1), two = await run(2);
    setNumThreads(threads);
    const first = one.history[0].validation!, best = one.history[one.bestEpoch].validation!;
    // 6 epochs of 91 energy and ~110 force updates take both errors down more than tenfold.
    expect(best.energyRmse).toBeLessThan(0.1 * first.energyRmse);
    expect(best.forceRmse).toBeLessThan(0.1 * first.forceRmse);
    expect(two.history.map((h) => h.validation!.loss)).toEqual(one.history.map((h) => h.validation!.loss));
    for (const e of Object.keys(one.potential.weights)) {
      expect(Buffer.from(two.potential.weights[e].buffer).equals(Buffer.from(one.potential.weights[e].buffer))).toBe(true);
    }
  });

  it('prints one progress line per epoch on stderr (not a terminal) with the errors it returns', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    let result;
    try {
      result = await trainHdnnp(lj.slice(0, 20), { settings, optimizer: { type: 'kalman' }, epochs: 2, progress: true });
    } finally {
      spy.mockRestore();
    }
    const lines = written.join('').split('\n').filter((l) => l.startsWith('train: '));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^train: \[\.{20}\] epoch 0\/2 /);
    expect(lines[2]).toMatch(/^train: \[#{20}\] epoch 2\/2 /);
    expect(lines[1]).toContain(`val E ${result.history[1].validation!.energyRmse.toExponential(2)} F ${result.history[1].validation!.forceRmse.toExponential(2)}`);
    expect(lines[1]).toMatch(/ETA \d+ s$/);
    expect(await errorCodeAsync(trainHdnnp(lj.slice(0, 10), { settings, epochs: 1, progress: 1 as never }))).toBe('E_TYPE');
  });

  it('reads its settings from the input.nn and refuses bad ones', async () => {
    expect(await errorCodeAsync(trainHdnnp(lj.slice(0, 10), { settings, optimizer: { type: 'kalman', epsilon: 0 }, epochs: 1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(trainHdnnp(lj.slice(0, 10), { settings, optimizer: { type: 'kalman', thresholdTrials: 1.5 }, epochs: 1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(trainHdnnp(lj.slice(0, 10), { settings, optimizer: { type: 'kalman', learningRate: 1 } as never, epochs: 1 }))).toBe('E_VALUE');
  });
});

describe('hdnnpSettings: a potential from typed definitions', () => {
  it('builds the settings from a radial grid, trains on them, and saves an input.nn that reads back the same', async () => {
    const lj = readAll(path.join(trainDir('LJ'), 'input.data'), { format: 'n2p2' });
    const settings = hdnnpSettings({ elements: ['Ne'], symmetryFunctions: radialGrid({ elements: ['Ne'], cutoff: 3, rLower: 0.8, count: 4, mode: 'shift' }), hiddenLayers: [4] });
    expect(settings.symmetryFunctions).toHaveLength(4);
    expect(settings.networks.Ne.activations).toEqual(['t', 'l']);
    const result = await trainHdnnp(lj, { settings, epochs: 60, batchSize: 8, optimizer: { learningRate: 1e-2 }, loss: { energy: 1, forces: 1 } });
    expect(result.history[result.bestEpoch].validation!.forceRmse).toBeLessThan(0.3 * result.history[0].validation!.forceRmse);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-hdnnp-settings-'));
    result.potential.save(dir);
    expect(Hdnnp.load(dir).compute(lj[5]).energy).toBe(result.potential.compute(lj[5]).energy);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(errorCode(() => hdnnpSettings({ elements: ['Ne', 'Ar'], symmetryFunctions: settings.symmetryFunctions }))).toBe('E_ELEMENT');
    expect(errorCode(() => hdnnpSettings({ elements: ['Ne'], symmetryFunctions: settings.symmetryFunctions, activations: ['t'] }))).toBe('E_VALUE');
  });
});

describe('HdnnpTrainer: cancel and resume', () => {
  const lj = readAll(path.join(trainDir('LJ'), 'input.data'), { format: 'n2p2' });
  const settings = path.join(trainDir('LJ'), 'input.nn');

  it.each([
    ['Adam', { optimizer: { learningRate: 1e-2 }, batchSize: 8 }],
    ['Kalman', { optimizer: { type: 'kalman' as const, forceFraction: 0.2 }, normalize: false }],
  ])('%s: cancelled after epoch 3 of 6 and resumed from its checkpoint = uninterrupted, bit for bit', async (_name, extra) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-hdnnp-resume-'));
    const options = { settings, epochs: 6, seed: 4, ...extra };
    const whole = await trainHdnnp(lj, options);
    const checkpoint = path.join(dir, 'training.json');
    const controller = new AbortController();
    const cancelled = trainHdnnp(lj, { ...options, checkpoint, signal: controller.signal, onEpoch: (e) => { if (e.epoch === 3) controller.abort(); } });
    expect(await errorCodeAsync(cancelled)).toBe('E_CANCELLED');
    const resumed = await trainHdnnp(lj, { ...options, checkpoint });
    expect(resumed.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(resumed.history.map((h) => h.validation!.loss)).toEqual(whole.history.map((h) => h.validation!.loss));
    expect(resumed.bestEpoch).toBe(whole.bestEpoch);
    for (const e of Object.keys(whole.potential.weights)) {
      expect(Buffer.from(resumed.potential.weights[e].buffer).equals(Buffer.from(whole.potential.weights[e].buffer))).toBe(true);
    }
    // The same file with other settings is refused.
    expect(await errorCodeAsync(trainHdnnp(lj, { ...options, seed: 5, checkpoint }))).toBe('E_VALUE');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('HdnnpTrainer: bad input', () => {
  const settings = path.join(trainDir('LJ'), 'input.nn');
  const lj = readAll(path.join(trainDir('LJ'), 'input.data'), { format: 'n2p2' }).slice(0, 4);
  const copy = (): Structure[] => lj.map((s) => s.clone());

  it('refuses structures without the labels the loss needs, NaN labels and uncovered elements', () => {
    const noEnergy = copy();
    delete noEnergy[1].info.energy;
    expect(errorCode(() => new HdnnpTrainer(noEnergy, { settings }))).toBe('E_VALUE');
    const noForces = copy();
    delete noForces[2].arrays.forces;
    expect(errorCode(() => new HdnnpTrainer(noForces, { settings }))).toBe('E_VALUE');
    expect(errorCode(() => new HdnnpTrainer(noForces, { settings, loss: { forces: 0 } }))).toBe('no error');
    const nan = copy();
    nan[0].info.energy = NaN;
    expect(errorCode(() => new HdnnpTrainer(nan, { settings }))).toBe('E_VALUE');
    const nanForce = copy();
    (nanForce[3].arrays.forces as ndarray.NdArray<Float64Array>).set(0, 1, NaN);
    expect(errorCode(() => new HdnnpTrainer(nanForce, { settings }))).toBe('E_VALUE');
    const copper = new Structure({ positions: [[0, 0, 0], [2, 0, 0]], symbols: ['Cu', 'Cu'], info: { energy: 1 }, arrays: { forces: [[0, 0, 0], [0, 0, 0]] } });
    expect(errorCode(() => new HdnnpTrainer([...copy(), copper], { settings }))).toBe('E_ELEMENT');
    expect(errorCode(() => new HdnnpTrainer(copy(), { settings, loss: { stress: 1 } }))).toBe('E_VALUE');
    expect(errorCode(() => new HdnnpTrainer([], { settings }))).toBe('E_EMPTY');
    expect(errorCode(() => new HdnnpTrainer(copy(), { settings, epochs: 2, learningRate: 1 } as never))).toBe('E_VALUE');
  });

  it('refuses initial weights that do not match the architecture and bad optimiser settings', async () => {
    expect(await errorCodeAsync(trainHdnnp(copy(), { settings, initialWeights: { Ne: new Float64Array(3) }, epochs: 1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(trainHdnnp(copy(), { settings, optimizer: { type: 'sgd' as never }, epochs: 1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(trainHdnnp(copy(), { settings, schedule: { type: 'cosine', period: 0 }, epochs: 1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(trainHdnnp(copy(), { settings, batchSize: 0, epochs: 1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(trainHdnnp(copy(), { settings, optimizer: { weightDecay: 1e-4 }, epochs: 1 }))).toBe('E_VALUE');
    expect(await errorCodeAsync(trainHdnnp(copy(), { settings, optimizer: { l2: -1 }, epochs: 1 }))).toBe('E_VALUE');
  });
});

/**
 * HdnnpCommittee: the mean and spread are those of the members; identical members disagree by
 * nothing; members trained from different seeds and subsets disagree more where the data are not
 * (LJ dimers stretched beyond the training distances) and their spread ranks errors.
 */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../lib/io';
import { Structure } from '../../lib/structure/structure';
import { HdnnpCommittee } from '../../lib/train';
import { errorCode, sharedData } from '../helpers';

const dir = path.join(sharedData, 'n2p2', 'train', 'LJ');

describe('HdnnpCommittee', () => {
  const lj = readAll(path.join(dir, 'input.data'), { format: 'n2p2' });

  it('averages its members, and its spread grows outside the training data', async () => {
    const { committee, results } = await HdnnpCommittee.train(lj, {
      settings: path.join(dir, 'input.nn'), normalize: false, optimizer: { type: 'kalman', forceFraction: 0.2 }, epochs: 4, members: 3, subsample: 0.7, seed: 5,
    });
    expect(results).toHaveLength(3);
    const s = lj[7];
    const r = committee.compute(s, { forces: true, atomEnergies: true });
    const each = committee.members.map((m) => m.compute(s, { forces: true, atomEnergies: true }));
    const mean = each.reduce((a, b) => a + b.energy, 0) / 3;
    expect(r.energy).toBeCloseTo(mean, 12);
    expect(r.energyDeviation).toBeCloseTo(Math.sqrt(each.reduce((a, b) => a + (b.energy - mean) ** 2, 0) / 3), 12);
    expect(r.atomEnergies!.reduce((a, b) => a + b, 0)).toBeCloseTo(r.energy, 10);
    // The native mean (for MD) is the same mean.
    const native = committee.mean.compute(s, { forces: true });
    expect(native.energy).toBeCloseTo(r.energy, 10);
    for (let k = 0; k < 6; ++k) expect(native.forces!.data[k]).toBeCloseTo(r.forces!.data[k], 10);
    // A dimer far outside the training distances: the members disagree much more than on the data.
    const distances = lj.map((x) => Math.hypot(...[0, 1, 2].map((a) => x.positions.get(1, a) - x.positions.get(0, a))));
    const far = new Structure({ positions: [[0, 0, 0], [0, 0, 0.6 * Math.min(...distances)]], symbols: ['Ne', 'Ne'] });
    const inside = lj.slice(0, 20).map((x) => committee.compute(x).energyDeviation);
    expect(committee.compute(far).energyDeviation).toBeGreaterThan(3 * Math.max(...inside));
  });

  it('of identical members has zero spread; refuses fewer than two members', async () => {
    const { committee } = await HdnnpCommittee.train(lj.slice(0, 30), {
      settings: path.join(dir, 'input.nn'), optimizer: { type: 'kalman' }, epochs: 1, members: 2, seed: 1,
    });
    const twins = new HdnnpCommittee([committee.members[0], committee.members[0]]);
    const r = twins.compute(lj[3], { forces: true });
    expect(r.energyDeviation).toBe(0);
    expect(Math.max(...r.forceDeviations!)).toBe(0);
    expect(errorCode(() => new HdnnpCommittee([committee.members[0]]))).toBe('E_VALUE');
    expect(r.energy).toBeCloseTo(committee.members[0].compute(lj[3]).energy, 12);
  });
});

/**
 * Resumable workflows (ResumeStore): a run cancelled part-way and started again with the same
 * checkpoint directory gives the results of an uninterrupted run bit for bit; a directory of
 * another run is refused; every stage is found again after it finished.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { errorCodeAsync } from '../helpers';
import { argon, argonCluster, argonSgma } from './argon';
import { fcc } from '../../lib/build/crystals';
import { droplet } from '../../lib/build/droplet';
import { bruteForceNucleation } from '../../lib/workflows/brute-force';
import { meltingTemperature } from '../../lib/workflows/melting';
import { seeding } from '../../lib/workflows/seeding';

const scratch = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'pm-resume-'));
const withoutTime = <T extends { seconds: number }>(r: T): Omit<T, 'seconds'> => ({ ...r, seconds: 0 });

describe('resumable workflows', () => {
  it('meltingTemperature: cancelled at frame 15 of 31 and resumed = uninterrupted, bit for bit', async () => {
    const run = { particle: argonCluster, ramp: { from: 10, to: 110, rate: 4000 }, equilibration: 0.5, timestep: 5, frames: 31, solidAtoms: { cutoff: 4.6 } };
    const straight = await meltingTemperature(argon, run);
    const dir = scratch();
    const abort = new AbortController();
    const first = meltingTemperature(argon, { ...run, checkpoint: dir, checkpointSeconds: 0, signal: abort.signal, onProgress: (p) => { if (p.frame === 15) abort.abort(); } });
    expect(await errorCodeAsync(first)).toBe('E_CANCELLED');
    expect(fs.existsSync(path.join(dir, 'equilibration.json'))).toBe(true);
    const partial = JSON.parse(fs.readFileSync(path.join(dir, 'ramp.partial.json'), 'utf8'));
    expect(partial.frames.length).toBe(14);  // frames 2…15 of the ramp (frame 1 is its start)
    const frames: number[] = [];
    const resumed = await meltingTemperature(argon, { ...run, checkpoint: dir, checkpointSeconds: 0, onProgress: (p) => frames.push(p.frame) });
    expect(frames[0]).toBe(1);
    expect(frames[1]).toBe(16);  // continued after the last checkpoint, not from the start
    expect(withoutTime(resumed)).toEqual(withoutTime(straight));
    expect(fs.existsSync(path.join(dir, 'ramp.partial.json'))).toBe(false);
    // finished: a third call reads every stage back
    expect(withoutTime(await meltingTemperature(argon, { ...run, checkpoint: dir }))).toEqual(withoutTime(straight));
    // other settings in the same directory are refused before any MD
    expect(await errorCodeAsync(meltingTemperature(argon, { ...run, frames: 21, checkpoint: dir }))).toBe('E_VALUE');
  }, 120_000);

  it('bruteForceNucleation: cancelled in the second replica and resumed = uninterrupted', async () => {
    const run = { meltingTemperature: 72, droplet: argonCluster, classifier: argonSgma(0.1, 5.26, 3.72), timestep: 5, nucleusAtoms: 10, supercooling: 0.6,
      melt: { time: 2 }, replicas: 2, duration: 6, frames: 7 };
    const straight = await bruteForceNucleation(argon, run);
    const dir = scratch();
    const abort = new AbortController();
    const first = bruteForceNucleation(argon, { ...run, checkpoint: dir, checkpointSeconds: 0, signal: abort.signal,
      onProgress: (p) => { if (p.replica === 1 && p.frame === 4) abort.abort(); } });
    expect(await errorCodeAsync(first)).toBe('E_CANCELLED');
    expect(fs.readdirSync(dir).sort()).toEqual(['melt.json', 'replica-0.json', 'replica-1.partial.json', 'run.json']);
    expect(withoutTime(await bruteForceNucleation(argon, { ...run, checkpoint: dir }))).toEqual(withoutTime(straight));
  }, 120_000);

  it('seeding: cancelled in the production run at the second temperature and resumed = uninterrupted', async () => {
    const liquid = droplet(fcc('Ar', 5.6).repeat(7), { atoms: 500 });
    const run = { droplet: liquid, seed: fcc('Ar', 5.26), phase: 'fcc', seedAtoms: 150, T0: 55, seedFrom: 10, temperatures: [40, 90], replicas: 1, frames: 5,
      classifier: argonSgma(0.2, 5.3, 3.75), timestep: 5, relaxation: 500, durations: { frozen: 1, heatSeed: 1, quench: 1, production: 4 } };
    const straight = await seeding(argon, run);
    const dir = scratch();
    const abort = new AbortController();
    const first = seeding(argon, { ...run, checkpoint: dir, checkpointSeconds: 0, signal: abort.signal,
      onProgress: (p) => { if (p.stage === 'production' && p.temperature === 90 && (p.time ?? 0) >= 2) abort.abort(); } });
    expect(await errorCodeAsync(first)).toBe('E_CANCELLED');
    expect(fs.existsSync(path.join(dir, 'production-T90-r0.partial.json'))).toBe(true);
    expect(withoutTime(await seeding(argon, { ...run, checkpoint: dir }))).toEqual(withoutTime(straight));
    // the same directory serves one temperature alone (as a bisection asks): the relaxation and its runs are read back
    const files = fs.readdirSync(dir).length;
    const alone = await seeding(argon, { ...run, temperatures: [40], checkpoint: dir });
    expect(alone.relaxation).toEqual(straight.relaxation);
    expect(alone.temperatures[0]).toEqual(straight.temperatures[0]);
    expect(fs.readdirSync(dir).length).toBe(files);
  }, 120_000);
});

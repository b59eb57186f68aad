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
import { argon, argonCluster } from './argon';
import { meltingTemperature } from '../../lib/workflows/melting';

const scratch = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'pm-resume-'));
const withoutTime = <T extends { seconds: number }>(r: T): Omit<T, 'seconds'> => ({ ...r, seconds: 0 });

describe('resumable workflows', () => {
  it('meltingTemperature: cancelled at frame 15 of 31 and resumed = uninterrupted, bit for bit', async () => {
    const run = { particle: argonCluster, ramp: { from: 10, to: 110, rate: 2000 }, equilibration: 1, timestep: 5, frames: 31, solidAtoms: { cutoff: 4.6 } };
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
});

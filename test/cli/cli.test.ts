/**
 * The command line: --help, a melting study of an LJ argon cluster from a config file (JSON
 * result on stdout, progress on stderr, the HTML report), and bad configs → exit status 2 with a
 * JSON error naming the problem.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { write } from '../../lib/io';
import { potentialFromConfig } from '../../lib/cli/main';
import { errorCode } from '../helpers';
import { argonCluster } from '../workflows/argon';

const bin = path.resolve(__dirname, '..', '..', 'bin', 'polymorph.js');
const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('npx polymorph', () => {
  it('prints its help', () => {
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toContain('polymorph <study> --config study.json');
  });

  it('runs a melting study from a config: JSON on stdout, progress on stderr, the report', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-cli-'));
    write(path.join(dir, 'argon.xyz'), argonCluster);
    fs.writeFileSync(path.join(dir, 'study.json'), JSON.stringify({
      potential: { lennardJones: { epsilon: 0.0104, sigma: 3.40, cutoff: 8.5, shift: true } },
      particle: 'argon.xyz', ramp: { from: 10, to: 110, rate: 1000 }, timestep: 5, frames: 21, solidAtoms: { cutoff: 4.6 },
    }));
    const r = run(['melting', '--config', path.join(dir, 'study.json'), '--report', path.join(dir, 'report')]);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.atoms).toBe(201);
    expect(result.meltingTemperature).toBeGreaterThan(40);
    expect(result.meltingTemperature).toBeLessThan(84);
    expect(r.stderr.trim().split('\n').length).toBe(21);
    expect(fs.readFileSync(path.join(dir, 'report', 'index.html'), 'utf8')).toContain('<svg');
  });

  it('--checkpoint: stopped by SIGTERM part-way, the same command continues and gives the uninterrupted result', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-cli-'));
    write(path.join(dir, 'argon.xyz'), argonCluster);
    const config = path.join(dir, 'study.json');
    fs.writeFileSync(config, JSON.stringify({
      potential: { lennardJones: { epsilon: 0.0104, sigma: 3.40, cutoff: 8.5, shift: true } },
      particle: 'argon.xyz', ramp: { from: 10, to: 110, rate: 1000 }, timestep: 5, frames: 21, solidAtoms: { cutoff: 4.6 }, checkpointSeconds: 0,
    }));
    const straight = JSON.parse(run(['melting', '--config', config]).stdout);
    const args = ['melting', '--config', config, '--checkpoint', path.join(dir, 'checkpoints')];
    const stopped = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args]);
      let stderr = '', killed = false;
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!killed && stderr.split('\n').length > 8) killed = child.kill('SIGTERM');
      });
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(stopped.status).toBe(2);
    expect(JSON.parse(stopped.stderr.trim().split('\n').pop()!).error.code).toBe('E_CANCELLED');
    const resumed = run(args);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr.trim().split('\n').length).toBeLessThan(21);  // it did not start again
    expect({ ...JSON.parse(resumed.stdout), seconds: 0 }).toEqual({ ...straight, seconds: 0 });
  }, 120_000);

  it('bad input: exit status 2 and a JSON error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-cli-'));
    const bad = (config: unknown, study = 'melting'): { code: string; message: string } => {
      fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(config));
      const r = run([study, '--config', path.join(dir, 'bad.json')]);
      expect(r.status).toBe(2);
      return JSON.parse(r.stderr.trim().split('\n').pop()!).error;
    };
    expect(bad({ potential: 'gold' }).code).toBe('E_VALUE');
    expect(bad({ particle: 'missing.xyz', solidAtoms: { cutoff: 3 } }).code).toBe('E_IO');
    expect(bad({ frames: 2, solidAtoms: { cutoff: 3 } }).message).toContain('frames');
    expect(bad({}, 'nucleate').message).toContain('unknown study');
    expect(run(['melting']).status).toBe(2);
    expect(run(['melting', '--config', path.join(dir, 'nothing.json')]).status).toBe(2);
    expect(errorCode(() => potentialFromConfig({ lennardJones: {}, zincOxide: {} }))).toBe('E_VALUE');
  });
});

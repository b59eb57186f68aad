import { describe, expect, it } from 'vitest';
import { fromNative, ParseError, PolymorphError } from '../../lib/core/errors';
import { explainLoadFailure, native } from '../../lib/core/native';
import { availableThreads, getNumThreads, runQueued, setNumThreads } from '../../lib/core/threads';

describe('native addon loader', () => {
  it('loads the addon', () => {
    expect(native().abiVersion).toBe(2);
  });
  it('explains missing libgomp, wrong ABI and unknown failures with rebuild advice', () => {
    expect(explainLoadFailure('x.node', new Error('libgomp.so.1: cannot open shared object file'))).toMatch(/apt-get install libgomp1/);
    expect(explainLoadFailure('x.node', new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 108'))).toMatch(/built for another Node\.js.*npm rebuild polymorph/);
    expect(explainLoadFailure('x.node', new Error('undefined symbol: _ZN9polymorph'))).toMatch(/out of date/);
    expect(explainLoadFailure('x.node', new Error('boom'))).toMatch(/npm run build:native/);
  });
});

describe('threads', () => {
  it('setNumThreads / getNumThreads round trip; 0 means all cores', () => {
    const before = getNumThreads();
    try {
      setNumThreads(1);
      expect(getNumThreads()).toBe(1);
      setNumThreads(0);
      expect(getNumThreads()).toBe(availableThreads());
      expect(() => setNumThreads(-1)).toThrowError(PolymorphError);
      expect(() => setNumThreads(1.5)).toThrowError(PolymorphError);
    } finally {
      setNumThreads(before);
    }
  });

  it('runQueued runs jobs one at a time, in order, and isolates failures', async () => {
    const events: string[] = [];
    const job = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        events.push(`start ${name}`);
        setTimeout(() => {
          events.push(`end ${name}`);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms);
      });
    const results = await Promise.allSettled([runQueued(job('a', 20)), runQueued(job('b', 1, true)), runQueued(job('c', 5))]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('errors', () => {
  it('native errors keep their code; ParseError names file and line', () => {
    const e = fromNative(Object.assign(new Error('bad'), { code: 'E_SHAPE' }));
    expect(e).toBeInstanceOf(PolymorphError);
    expect(e.code).toBe('E_SHAPE');
    expect(fromNative(new Error('x')).code).toBe('E_NATIVE');
    const p = new ParseError('a.xyz', 12, 'an integer atom count', 'abc');
    expect(p.code).toBe('E_PARSE');
    expect(p.message).toBe('a.xyz:12: expected an integer atom count, got "abc"');
    expect(p).toBeInstanceOf(PolymorphError);
  });
});

describe('native addon loader failures (in a child process)', () => {
  it('a missing addon gives a NativeLoadError that says how to rebuild', async () => {
    const { execFileSync } = await import('child_process');
    const fs = await import('fs');
    const path = await import('path');
    const dist = path.resolve(__dirname, '../../dist/core/native.js'); // compiled by npm ci (prepare)
    expect(fs.existsSync(dist)).toBe(true);
    const script = `const { native } = require(${JSON.stringify(dist)});
      try { native(); console.log('loaded'); } catch (e) { console.log(e.name, e.code, e.message); }`;
    const out = execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, POLYMORPH_ADDON: '/nonexistent/polymorph.node' },
      encoding: 'utf8',
    });
    expect(out).toMatch(/^NativeLoadError E_NATIVE polymorph's native addon was not found/);
    expect(out).toMatch(/npm rebuild polymorph/);
  });
});

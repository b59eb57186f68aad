import { describe, expect, it } from 'vitest';
import { checkOptions } from '../../lib/core/options';
import { PolymorphError } from '../../lib/core/errors';

describe('checkOptions', () => {
  it('passes known keys and turns undefined into {}', () => {
    expect(checkOptions({ full: false }, ['full', 'skin'], 'f')).toEqual({ full: false });
    expect(checkOptions(undefined, ['full'], 'f')).toEqual({});
  });
  it('refuses an unknown key with E_VALUE naming the expected keys and the closest one', () => {
    try {
      checkOptions({ ful: true } as object, ['full', 'skin'], 'NeighborList.build');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolymorphError);
      expect((e as PolymorphError).code).toBe('E_VALUE');
      expect((e as Error).message).toMatch(/NeighborList\.build: unknown option 'ful'.*full, skin.*Did you mean 'full'/);
    }
  });
  it('gives no hint for a key far from every allowed name', () => {
    expect(() => checkOptions({ zzzzzzzz: 1 } as object, ['full'], 'f')).toThrow(/unknown option 'zzzzzzzz' \(expected one of full\)\.$/);
  });
  it('refuses non-objects with E_TYPE', () => {
    for (const bad of [3, 'x', [1], new Float64Array(1)]) {
      expect(() => checkOptions(bad as unknown as object, ['a'], 'f')).toThrow(expect.objectContaining({ code: 'E_TYPE' }));
    }
  });
});

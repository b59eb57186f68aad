/**
 * largestNucleus: the largest cluster of crystalline atoms whatever their polymorph, its
 * composition and majority phase, on a chain of atoms 1 Å apart whose labels are set by hand.
 */
import { describe, expect, it } from 'vitest';
import { Structure } from '../../lib/structure/structure';
import { largestNucleus } from '../../lib/workflows/nucleus';

const chain = (n: number): Structure => new Structure({ positions: Array.from({ length: n }, (_, i) => [i, 0, 0]), symbols: Array(n).fill('Ar') });

describe('largestNucleus', () => {
  it('joins every crystalline label into one cluster; a liquid atom breaks it; the majority names it', () => {
    const labels = ['fcc', 'fcc', 'hcp', 'liquid', 'fcc', 'hcp', 'hcp', 'hcp', 'liquid'];
    const n = largestNucleus(chain(labels.length), labels, ['fcc', 'hcp'], 1.5);
    expect(n).toEqual({ atoms: 4, phase: 'hcp', composition: { hcp: 3, fcc: 1 } });
    // only fcc counts as crystalline: the two fcc atoms at the start are the largest cluster
    expect(largestNucleus(chain(labels.length), labels, ['fcc'], 1.5)).toEqual({ atoms: 2, phase: 'fcc', composition: { fcc: 2 } });
    // a cutoff past the liquid atom joins the two halves
    expect(largestNucleus(chain(labels.length), labels, ['fcc', 'hcp'], 2.5).atoms).toBe(7);
  });

  it('a tie goes to the alphabetically first label; no crystalline atom gives an empty nucleus', () => {
    expect(largestNucleus(chain(4), ['hcp', 'hcp', 'fcc', 'fcc'], ['fcc', 'hcp'], 1.5)).toEqual({ atoms: 4, phase: 'fcc', composition: { fcc: 2, hcp: 2 } });
    expect(largestNucleus(chain(3), ['liquid', 'liquid', 'liquid'], ['fcc'], 1.5)).toEqual({ atoms: 0, phase: null, composition: {} });
  });
});

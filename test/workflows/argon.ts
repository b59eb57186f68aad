/**
 * Lennard-Jones argon for the workflow tests: fast, one element, and physics that is well known
 * (bulk triple point T* = 0.694, 83.8 K for ε = 0.0104 eV). A potential, a 201-atom fcc-cut
 * cluster, and an SGMA classifier trained on rattled fcc and hcp and a disordered phase.
 */
import { Sgma } from '../../lib/analysis/sgma';
import { fcc, hcp, rattle } from '../../lib/build/crystals';
import { droplet } from '../../lib/build/droplet';
import { LennardJones } from '../../lib/potentials/lennard-jones';

export const argon = new LennardJones({ epsilon: 0.0104, sigma: 3.40, cutoff: 8.5, shift: true });

/** Bulk LJ argon's triple point (K). */
export const argonTripleTemperature = 0.694 * (0.0104 / 8.617333262e-5);

/** A 201-atom cluster cut from fcc argon. */
export const argonCluster = droplet(fcc('Ar', 5.26).repeat(6), { atoms: 201 });

/**
 * SGMA labels 'fcc', 'hcp' and 'liquid': fcc (lattice constant `a`) and hcp (`hcpA`) rattled by
 * `rattleBy` Å, and fcc at a = 5.6 Å rattled by 0.8 Å for the disordered phase.
 */
export function argonSgma(rattleBy: number, a: number, hcpA: number): Sgma {
  return Sgma.train({
    fcc: [0, 1, 2].map((k) => rattle(fcc('Ar', a).repeat(4), rattleBy, k)),
    hcp: [0, 1, 2].map((k) => rattle(hcp('Ar', hcpA).repeat([4, 4, 3]), rattleBy, k)),
    liquid: [0, 1, 2].map((k) => rattle(fcc('Ar', 5.6).repeat(4), 0.8, 20 + k)),
  }, { species: ['all'] });
}

/**
 * NVE against LAMMPS (needs `lmp` on the PATH; skipped, and says so, without it): Lennard-Jones
 * argon, 4 000 atoms at ρ* = 0.8442 from an fcc lattice with Maxwell–Boltzmann velocities at
 * T* = 1.5, r_c = 2.5σ, Δt = 0.005τ. Both codes start from the same positions and velocities
 * (LAMMPS reads polymorph's data file) and the trajectories agree to 1e-8 Å over 200 steps once
 * polymorph's masses are scaled by CODATA's force-to-acceleration constant over LAMMPS' rounded
 * metal-units one (1/1.0364269e-4), the only difference between the two codes' equations of
 * motion.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { fcc, formatText, LennardJones, maxwellBoltzmann, MolecularDynamics, read, Structure, units } from '../../lib';
import { findLammps } from '../helpers';

const lammps = findLammps();
const epsilon = 0.0104, sigma = 3.4, mass = 39.948;
const tau = sigma * Math.sqrt(mass / (epsilon * 9.648533212e-3));  // fs
const codataOverLammps = 9648.533212 / (1 / 1.0364269e-4);

function argonLiquid(): Structure {
  const lattice = fcc('Ar', Math.cbrt(4 / 0.8442) * sigma).repeat([10, 10, 10]);
  return maxwellBoltzmann(lattice, { temperature: (1.5 * epsilon) / units.boltzmann, seed: 4 });
}

describe('NVE Lennard-Jones against LAMMPS', () => {
  it.skipIf(lammps === null)(`follows LAMMPS' trajectory for 200 steps to 1e-8 Å (${lammps ? `with ${lammps}` : 'SKIPPED: no lmp on PATH'})`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polymorph-md-lammps-'));
    try {
      const start = argonLiquid();
      fs.writeFileSync(path.join(dir, 'start.data'), formatText(start, { format: 'lammps-data' }));
      const dt = 0.005 * tau;
      fs.writeFileSync(path.join(dir, 'in.md'), [
        'units metal', 'atom_style atomic', 'boundary p p p', 'read_data start.data',
        `pair_style lj/cut ${2.5 * sigma}`, `pair_coeff * * ${epsilon} ${sigma}`, 'neighbor 1.0 bin',
        'neigh_modify every 1 delay 0 check yes', 'fix 1 all nve', `timestep ${dt / 1000}`,
        'thermo_style custom step etotal', 'thermo 200', 'run 200',
        'write_dump all custom end.dump id type xu yu zu modify sort id format float %.17g',
      ].join('\n'));
      execFileSync(lammps as string, ['-in', 'in.md', '-log', 'none', '-screen', 'none'], { cwd: dir, timeout: 120_000 });
      const theirs = read(path.join(dir, 'end.dump'), { format: 'lammps-dump', types: ['Ar'] });
      const scaled = new Structure({ numbers: start.numbers, positions: start.positions, velocities: start.velocities, cell: start.cell, pbc: start.pbc, masses: Array.from(start.masses, (m) => m * codataOverLammps) });
      const sim = new MolecularDynamics(scaled, new LennardJones({ epsilon, sigma, cutoff: 2.5 * sigma }), { timestep: dt, neighborSkin: 1.0 });
      await sim.run(200, { every: 200 });
      const ours = sim.structure.positions;
      let worst = 0, moved = 0;
      for (let i = 0; i < start.length; ++i) {
        for (let k = 0; k < 3; ++k) {
          worst = Math.max(worst, Math.abs(ours.get(i, k) - theirs.positions.get(i, k)));
          moved = Math.max(moved, Math.abs(ours.get(i, k) - start.positions.get(i, k)));
        }
      }
      console.log(`largest difference from LAMMPS after 200 steps: ${worst.toExponential(2)} Å (atoms moved up to ${moved.toFixed(2)} Å)`);
      expect(moved).toBeGreaterThan(0.5);
      expect(worst).toBeLessThan(1e-8);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

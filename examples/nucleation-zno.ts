/**
 * The nucleation studies of Salazar et al. (2024) on the rigid-ion ZnO model at a small scale,
 * with the embedded SGMA classifier: the melting temperature of a wurtzite particle from a fast
 * heating ramp, a brute-force run of a supercooled droplet, and a seeded droplet followed at two
 * temperatures; the HTML report with every figure. Minutes on two cores; every size and length is
 * an option.
 *
 * Run: npx tsc -p tsconfig.scripts.json && node build-scripts/examples/nucleation-zno.js
 *   [--atoms 800] [--rate 40000] [--brute 20] [--out nucleation-report]
 */
import {
  bruteForceNucleation, compositionChart, Coulomb, crystal, droplet, growthCurves, maxwellBoltzmann, meltingCurve, meltingTemperature,
  MolecularDynamics, NoseHooverChain, report, seeding, SumPotential, zincOxideBuckingham, zincOxideSgma,
} from 'polymorph';

function option(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
}

async function main(): Promise<void> {
  const started = Date.now();
  const atoms = option('atoms', 800), rate = option('rate', 40_000), brute = option('brute', 20);
  const k = process.argv.indexOf('--out');
  const out = k > 0 ? process.argv[k + 1] : 'nucleation-report';
  // Open clusters: Buckingham + the all-pairs Coulomb sum.
  const potential = new SumPotential([zincOxideBuckingham().buckingham, new Coulomb({ charges: { Zn: 2, O: -2 } })]);
  const sgma = zincOxideSgma();
  const log = (what: string, x: unknown): void => console.log(JSON.stringify({ what, seconds: (Date.now() - started) / 1000, ...(x as object) }));

  const melting = await meltingTemperature(potential, { atoms, ramp: { from: 1000, to: 3000, rate }, frames: 41, classifier: sgma });
  log('melting', { atoms: melting.atoms, rate, T_melt: melting.meltingTemperature, uncertainty: melting.uncertainty, crystal: melting.crystal });

  const bf = await bruteForceNucleation(potential, {
    meltingTemperature: melting.meltingTemperature, atoms, replicas: 1, duration: brute, frames: 21, classifier: sgma, melt: { time: 10 },
  });
  const last = bf.replicas[0].composition[bf.replicas[0].composition.length - 1];
  log('brute force', { T: bf.temperature, composition: last, firstNucleus: bf.replicas[0].firstNucleusTime, largest: bf.replicas[0].finalCluster });

  // A wurtzite seed of atoms/2 in a liquid droplet of 2·atoms at T0 = 0.8 T_melt, followed at 0.6 and 0.9 T_melt.
  const tm = melting.meltingTemperature, T0 = 0.8 * tm;
  const cell = crystal('zincblende');
  const start = droplet(cell.repeat(Math.ceil(Math.cbrt((4.4 * atoms) / cell.length))), { atoms: 2 * atoms });
  const melt = new MolecularDynamics(maxwellBoltzmann(start, { temperature: 1.5 * tm, seed: 3 }), potential,
    { timestep: 1, integrator: new NoseHooverChain({ temperature: [1.5 * tm, T0], relaxation: 100 }) });
  await melt.run(10_000, { every: 1000 });
  const seeded = await seeding(potential, {
    droplet: melt.structure, seed: 'WRZ', seedAtoms: Math.round(atoms / 2), T0, temperatures: [0.6 * tm, 0.9 * tm], replicas: 1, frames: 11,
    classifier: sgma, durations: { frozen: 2, heatSeed: 2, quench: 2, production: 10 },
  });
  log('seeding', { T0, relaxedSize: seeded.relaxation.size, rates: seeded.temperatures.map((t) => ({ T: t.temperature, dNdt: t.growthRate, N: t.mean })) });
  await report({
    title: 'ZnO nucleation (rigid-ion model, small scale)',
    summary: [
      `T_melt = ${melting.meltingTemperature.toFixed(0)} ± ${melting.uncertainty.toFixed(0)} K for a ${melting.atoms}-atom wurtzite particle at ${rate} K/ns (faster than the paper's 2000 K/ns: superheated).`,
      `Brute force at ${bf.temperature.toFixed(0)} K for ${brute} ps: ${JSON.stringify(last)}.`,
    ],
    sections: [
      { title: 'Melting', figures: [meltingCurve(melting)], data: melting },
      { title: 'Brute-force nucleation', figures: [compositionChart(bf.replicas[0].composition, { times: bf.replicas[0].times, exclude: ['liquid'] })], data: bf },
      { title: 'Seeding', figures: [growthCurves(seeded)], data: seeded },
    ],
  }, out);
  log('report', { out });
}

main().catch((error) => { console.error(error); process.exit(1); });

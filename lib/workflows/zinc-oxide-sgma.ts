/**
 * A ready-trained SGMA classifier for the rigid-ion ZnO model: the embedded default of the
 * nucleation studies (no reference MD needed before a run).
 * @module
 */
import { Sgma } from '../analysis/sgma';
import trained from './zinc-oxide-sgma.json';

/**
 * The SGMA classifier of the seven ZnO polymorphs and the liquid, trained on
 * `sgmaReferenceDatabase()` with its defaults (the rigid-ion model `zincOxideBuckingham()`, each
 * crystal of ≥ 250 atoms heated 200 → 1500 K over 10 ps, the liquid melted at 4000 K and sampled at
 * 2500 K, 21 snapshots each, seed 1) by `examples/train-zno-sgma.ts`, which rewrites this file.
 * Labels: wurtzite, zincblende, rocksalt, hBN, BCT, sodalite, cubane, liquid. A new copy each call.
 * @example
 * const { labels } = zincOxideSgma().classify(frame);
 */
export function zincOxideSgma(): Sgma {
  return Sgma.fromJSON(trained);
}

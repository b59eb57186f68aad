/**
 * Seeded random numbers for reproducible builders, data splits and test structures: one small
 * uniform generator (mulberry32) and the Gaussian draws built on it. Not for cryptography, and
 * not a statistical-quality generator for Monte Carlo production runs (period 2³²).
 * @module
 * @internal
 */

/**
 * A small, fast, seeded uniform generator on [0, 1) (mulberry32, 32-bit state). The same seed
 * gives the same sequence on every platform.
 * @example
 * const random = mulberry32(42);
 * const x = random(); // in [0, 1)
 */
export function mulberry32(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws (mean 0, standard deviation 1) from a uniform generator on [0, 1), by the
 * Box–Muller transform: z = √(−2 ln(1 − u₁)) · cos(2π u₂). Each draw consumes two uniforms.
 * @example
 * const gauss = gaussian(mulberry32(7));
 * const dx = 0.05 * gauss(); // Å
 */
export function gaussian(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

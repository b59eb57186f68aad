/**
 * The shape of the native addon's exports. Internal: users call the typed wrappers.
 * @internal
 * @module
 */

/** Raw neighbour list as the addon returns it (CSR, typed arrays owned by JS). */
export interface NativeNeighborList {
  rowPtr: Int32Array;
  neighbors: Int32Array;
  shifts: Int32Array;
  vectors: Float64Array;
  distances: Float64Array;
}

/** Results of a native potential evaluation (eV, eV/Å, eV/Å³). */
export interface NativePotentialResult {
  energy: number;
  forces?: Float64Array;
  stress?: Float64Array;
  atomEnergies?: Float64Array;
}

/** Lennard-Jones parameter tables for T types, each T×T row-major and symmetric (eV, Å, Å). */
export interface NativeLennardJonesParameters {
  epsilon: Float64Array;
  sigma: Float64Array;
  cutoff: Float64Array;
  shift: boolean;
}

/** Buckingham parameter tables for T types, each T×T row-major and symmetric (eV, Å, eV·Å⁶, Å). */
export interface NativeBuckinghamParameters {
  a: Float64Array;
  rho: Float64Array;
  c: Float64Array;
  cutoff: Float64Array;
  shift: boolean;
}

/** What a native potential computes besides the energy. */
export interface NativeWant {
  forces: boolean;
  stress: boolean;
  atomEnergies: boolean;
}

/** Ewald parameters (1/Å, Å, 1/Å, eV·Å/e²). */
export interface NativeEwaldParameters {
  alpha: number;
  cutoff: number;
  kCutoff: number;
  coulombConstant: number;
  background: boolean;
  /** Smooth particle-mesh Ewald with this grid (K1, K2, K3) and B-spline order. */
  pme?: boolean;
  grid?: Int32Array;
  order?: number;
}

/** Ewald results with the energy terms (eV) and the number of k-vectors (k and −k once). */
export interface NativeEwaldResult extends NativePotentialResult {
  terms: { real: number; reciprocal: number; self: number; background: number };
  kVectors: number;
}

/** Coulomb parameters: direct sum, or damped shifted force with alpha (1/Å) and cutoff (Å). */
export interface NativeCoulombParameters {
  coulombConstant: number;
  dsf: boolean;
  alpha?: number;
  cutoff?: number;
}

/** Options of one native Lasso-LARS path computation (`native/addon/lasso_lars.cpp`). */
export interface NativeLarsOptions {
  fitIntercept: boolean;
  /** The path stops at this α (0: the whole path). */
  alphaMin: number;
  maxIter: number;
  positive: boolean;
  /** Also return the residual sum of squares at every breakpoint (`rss`). */
  rss: boolean;
  /** Also return the (non-negative when `positive`) least-squares RSS (`olsRss`). */
  olsRss: boolean;
  /** Held-out rows [nTest, p] and targets [nTest]: return their residuals along the path (`residues`). */
  testX?: Float64Array;
  testY?: Float64Array;
}

/** What the native Lasso-LARS path returns: breakpoints, the path [K, p] row-major, the active set. */
export interface NativeLarsResult {
  alphas: Float64Array;
  coefs: Float64Array;
  active: Int32Array;
  nIter: number;
  earlyStop: boolean;
  degenerate: number;
  xMean: Float64Array;
  yMean: number;
  rss?: Float64Array;
  olsRss?: number;
  residues?: Float64Array;
}

/** The Lasso-LARS entry points: X [n, p] row-major, y [n]. */
export interface NativeLarsAddon {
  lassoLarsPath(X: Float64Array, n: number, p: number, y: Float64Array, options: NativeLarsOptions): NativeLarsResult;
  lassoLarsPathAsync(X: Float64Array, n: number, p: number, y: Float64Array, options: NativeLarsOptions): Promise<NativeLarsResult>;
}

export interface NativeAddon extends NativeLarsAddon {
  abiVersion: number;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  availableThreads(): number;
  neighborList(
    positions: Float64Array, cell: Float64Array | null, pbc: boolean[], cutoff: number, full: boolean,
    reuse?: Record<'rowPtr' | 'neighbors' | 'shifts' | 'vectors' | 'distances', ArrayBufferLike>,
  ): NativeNeighborList;
  neighborListAsync(positions: Float64Array, cell: Float64Array | null, pbc: boolean[], cutoff: number, full: boolean): Promise<NativeNeighborList>;
  lennardJones(positions: Float64Array, types: Int32Array, cell: Float64Array | null, pbc: boolean[], parameters: NativeLennardJonesParameters, want: NativeWant): NativePotentialResult;
  lennardJonesAsync(positions: Float64Array, types: Int32Array, cell: Float64Array | null, pbc: boolean[], parameters: NativeLennardJonesParameters, want: NativeWant): Promise<NativePotentialResult>;
  buckingham(positions: Float64Array, types: Int32Array, cell: Float64Array | null, pbc: boolean[], parameters: NativeBuckinghamParameters, want: NativeWant): NativePotentialResult;
  buckinghamAsync(positions: Float64Array, types: Int32Array, cell: Float64Array | null, pbc: boolean[], parameters: NativeBuckinghamParameters, want: NativeWant): Promise<NativePotentialResult>;
  ewald(positions: Float64Array, charges: Float64Array, cell: Float64Array, parameters: NativeEwaldParameters, want: NativeWant): NativeEwaldResult;
  ewaldAsync(positions: Float64Array, charges: Float64Array, cell: Float64Array, parameters: NativeEwaldParameters, want: NativeWant): Promise<NativeEwaldResult>;
  coulomb(positions: Float64Array, charges: Float64Array, cell: Float64Array | null, pbc: boolean[], parameters: NativeCoulombParameters, want: NativeWant): NativePotentialResult;
  coulombAsync(positions: Float64Array, charges: Float64Array, cell: Float64Array | null, pbc: boolean[], parameters: NativeCoulombParameters, want: NativeWant): Promise<NativePotentialResult>;
  [name: string]: unknown;
}

/**
 * Gaussian-mixture benchmark (issue 11), JSON lines, side by side with scikit-learn when a
 * `python3` on the PATH (or /usr/bin/python3) imports sklearn (Debian: apt-get install python3-sklearn):
 *  - `GaussianMixture` full covariances, 10⁵ samples × 14 features, K = 8, nInit = 3 (k-means++
 *    and Lloyd, then EM at tol 1e-3): polymorph on two threads (and one, for context) against
 *    scikit-learn's `GaussianMixture(8, n_init=3)` with OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = 2,
 *    on the same data (written to a temporary file); median wall times of 3 fits each, EM
 *    iterations and lower bounds of the last fit, and the ratio polymorph / scikit-learn.
 *    The two k-means initialisations draw different random numbers, so their EM runs start from
 *    different places; seconds per EM iteration are reported besides.
 *  - `predictProba` of 2 000 × 14 samples, K = 8, on one thread (SGMA classifies a droplet of
 *    that size; the whole classification must take ≤ 20 ms), with scikit-learn's on one thread.
 * The data: 8 Gaussian clusters with random centres (σ = 2.5 per coordinate) and random skewed
 * covariances (A Aᵀ with A = I + 0.3·N(0, 1)), unequal sizes, seeded.
 * Target: polymorph two threads ≤ 0.33× scikit-learn's time.
 * Run: npm run bench -- gmm
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ndarray, { NdArray } from 'ndarray';
import { GaussianMixture, setNumThreads } from 'polymorph';
import { median, report } from './timing';

const nSamples = 100_000, nFeatures = 14, nComponents = 8, nInit = 3, repeats = 3;
const probaSamples = 2000, probaRepeats = 50;

/** A seeded uniform generator on [0, 1) (mulberry32) and standard normals from it (Box–Muller). */
function normals(seed: number): () => number {
  let t = seed >>> 0;
  const uniform = (): number => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** n samples of the 8-cluster mixture described above, [n, 14]. */
function mixtureData(n: number, seed: number): NdArray<Float64Array> {
  const gauss = normals(seed);
  const d = nFeatures, K = nComponents;
  const centres = Array.from({ length: K }, () => Array.from({ length: d }, () => 2.5 * gauss()));
  const shapes = Array.from({ length: K }, () => Array.from({ length: d * d }, (_, q) => (q % (d + 1) === 0 ? 1 : 0) + 0.3 * gauss()));
  const data = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; ++i) {
    const k = Math.floor(K * ((i * 0.618033988749895) % 1) ** 1.5);  // unequal cluster sizes
    for (let j = 0; j < d; ++j) z[j] = gauss();
    for (let a = 0; a < d; ++a) {
      let s = centres[k][a];
      for (let b = 0; b < d; ++b) s += shapes[k][a * d + b] * z[b];
      data[i * d + a] = s;
    }
  }
  return ndarray(data, [n, d]);
}

/** Seconds of one call. */
function seconds(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** A python3 that imports sklearn, if any. */
function pythonWithSklearn(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
      return python;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const sklearnScript = `
import json, sys, time
import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture
path, d, k, n_init, repeats, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
X = np.fromfile(path, dtype='<f8').reshape(-1, d)
if mode == 'fit':
    times = []
    for r in range(repeats):
        t = time.perf_counter()
        g = GaussianMixture(k, n_init=n_init, random_state=r).fit(X)
        times.append(time.perf_counter() - t)
    print(json.dumps({'version': sklearn.__version__, 'times': times, 'n_iter': int(g.n_iter_), 'lower_bound': float(g.lower_bound_), 'converged': bool(g.converged_)}))
else:
    g = GaussianMixture(k, random_state=0).fit(X)
    Y = X[:int(sys.argv[7])]
    g.predict_proba(Y)
    times = []
    for r in range(repeats):
        t = time.perf_counter()
        g.predict_proba(Y)
        times.append(time.perf_counter() - t)
    print(json.dumps({'version': sklearn.__version__, 'times': times}))
`;

/** Runs the script above on X (written to a temporary file) with `threads` OpenMP/BLAS threads; its JSON. */
function runSklearn(python: string, X: NdArray<Float64Array>, threads: number, args: (string | number)[]): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-bench-gmm-'));
  try {
    const file = path.join(dir, 'X.bin');
    fs.writeFileSync(file, Buffer.from(X.data.buffer, X.data.byteOffset, X.data.byteLength));
    fs.writeFileSync(path.join(dir, 'bench.py'), sklearnScript);
    const n = String(threads);
    const env = { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, PYTHONWARNINGS: 'ignore' };
    const out = execFileSync(python, [path.join(dir, 'bench.py'), file, String(nFeatures), ...args.map(String)], { env, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const X = mixtureData(nSamples, 2024);
  const python = pythonWithSklearn();
  if (!python) {
    report({ what: 'scikit-learn anchor', skipped: 'no python3 that imports sklearn (Debian: apt-get install python3-sklearn): polymorph only, no ratio' });
  }

  // fit: polymorph on two threads, then one, then scikit-learn on two
  const fits: Record<number, { times: number[]; model?: GaussianMixture }> = { 1: { times: [] }, 2: { times: [] } };
  for (const threads of [2, 1]) {
    setNumThreads(threads);
    new GaussianMixture({ nComponents, nInit: 1, maxIter: 2 }).fit(X);  // warm-up
    for (let r = 0; r < repeats; ++r) {
      const model = new GaussianMixture({ nComponents, nInit, seed: r });
      fits[threads].times.push(seconds(() => model.fit(X)));
      fits[threads].model = model;
    }
    const m = fits[threads].model!;
    report({
      what: 'polymorph GaussianMixture fit (full, k-means++ init)', samples: nSamples, features: nFeatures, components: nComponents, n_init: nInit,
      threads, median_s: median(fits[threads].times), times_s: fits[threads].times, last_fit: { n_iter: m.nIter, lower_bound: m.lowerBound, converged: m.converged },
    });
  }
  let sklearnFit: number | undefined;
  if (python) {
    const r = runSklearn(python, X, 2, [nComponents, nInit, repeats, 'fit']);
    sklearnFit = median(r.times as number[]);
    report({
      what: 'scikit-learn GaussianMixture fit (full, kmeans init)', version: r.version, samples: nSamples, features: nFeatures, components: nComponents,
      n_init: nInit, threads: 2, median_s: sklearnFit, times_s: r.times, last_fit: { n_iter: r.n_iter, lower_bound: r.lower_bound, converged: r.converged },
    });
    report({ what: 'GaussianMixture fit, polymorph two threads / scikit-learn two threads', ratio: median(fits[2].times) / sklearnFit, target: 0.33 });
  }

  // EM alone from one fixed start (the same work for any initialisation): seconds per iteration
  setNumThreads(2);
  const start = fits[2].model!;
  const em = new GaussianMixture({ nComponents, maxIter: 10, tol: 0 });
  const emSeconds = median([0, 1, 2].map(() => seconds(() => em.fitFrom(X, { weights: start.weights, means: start.means, covariances: start.covariances }))));
  report({ what: 'polymorph EM iteration (E-step + M-step)', samples: nSamples, features: nFeatures, components: nComponents, threads: 2, per_iteration_s: emSeconds / 10 });

  // predictProba of a droplet-sized set on one thread
  setNumThreads(1);
  const small = ndarray(X.data.subarray(0, probaSamples * nFeatures), [probaSamples, nFeatures]);
  const model = new GaussianMixture({ nComponents, seed: 0 }).fit(X);
  model.predictProba(small);
  const probaTimes = Array.from({ length: probaRepeats }, () => seconds(() => model.predictProba(small)));
  report({ what: 'polymorph predictProba', samples: probaSamples, features: nFeatures, components: nComponents, threads: 1, median_s: median(probaTimes), budget_s: 0.02 });
  if (python) {
    const r = runSklearn(python, X, 1, [nComponents, 1, probaRepeats, 'proba', probaSamples]);
    const s = median(r.times as number[]);
    report({ what: 'scikit-learn predict_proba', version: r.version, samples: probaSamples, features: nFeatures, components: nComponents, threads: 1, median_s: s });
    report({ what: 'predictProba, polymorph / scikit-learn (one thread)', ratio: median(probaTimes) / s });
  }
  setNumThreads(0);
}

main();

// k-means clustering as scikit-learn 1.2.1 `KMeans(n_clusters=K, n_init=1, init='k-means++',
// algorithm='lloyd', max_iter=300, tol=1e-4)` runs it to initialise a Gaussian mixture
// (shared/specs/gmm.md, rule 2), with polymorph's own random numbers (xoshiro256**, not numpy's
// MT19937: the same algorithm, not the same draws).
//
//   1. X is centred (x − x̄, column means); tolAbs = tol · mean_j var(X[:, j]).
//   2. k-means++ seeding: the first centre is a uniformly drawn sample; each next one is the best
//      of 2 + ⌊ln K⌋ candidates drawn with probability ∝ D(x)² (D = distance to the nearest centre
//      so far), "best" meaning the smallest Σ_n min(D², ‖x_n − candidate‖²).
//   3. Lloyd iterations: label every sample with its nearest centre (ties: lowest index), move each
//      centre to the mean of its samples (an empty cluster takes the sample farthest from its own
//      centre, as sklearn's _relocate_empty_clusters does), stop when the labels repeat ("strict"
//      convergence) or Σ_k ‖Δc_k‖² ≤ tolAbs, at most maxIter times; without strict convergence
//      the labels are assigned once more with the final centres.
//
// Data are row-major X [n, d]. Work is split into fixed chunks of samples; every sum is formed
// per chunk and the chunks are added in order, so the result does not depend on the thread count.
//
// Example:
//   polymorph::Random rng(42);
//   KMeansResult r = kMeans(X, n, d, 3, rng);   // r.labels [n] in 0…2, r.centres [3, d]
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/random.hpp"

namespace polymorph {

struct KMeansResult {
  std::vector<int32_t> labels;   // [n], cluster of each sample
  std::vector<double> centres;   // [K, d], in the coordinates of X (not centred)
  int nIter = 0;                 // Lloyd iterations run
  bool strictConvergence = false;
};

// k-means++ seeds [K, d] of the centred data Xc [n, d] (draws from `rng`).
std::vector<double> kMeansPlusPlus(const double* Xc, std::size_t n, std::size_t d, std::size_t K, Random& rng);

// Lloyd iterations from `centres` [K, d] (modified in place) on Xc [n, d].
KMeansResult lloyd(const double* Xc, std::size_t n, std::size_t d, std::size_t K, std::vector<double> centres,
                   int maxIter, double tolAbs);

// The whole procedure above; throws E_VALUE for n < K, K < 1, d < 1 or maxIter < 1.
KMeansResult kMeans(const double* X, std::size_t n, std::size_t d, std::size_t K, Random& rng, int maxIter = 300,
                    double tol = 1e-4);

}  // namespace polymorph

// k-means++ and Lloyd iterations (scikit-learn 1.2.1 KMeans semantics). See k_means.hpp.
#include "core/k_means.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr std::size_t kChunk = 1024;  // samples per partial sum (fixed: sums do not depend on threads)

std::size_t chunksOf(std::size_t n) { return (n + kChunk - 1) / kChunk; }

// Whether a pass costing about n·work flops is worth a parallel region (waking threads costs
// microseconds, much more on a busy machine).
bool parallelWorth(std::size_t n, std::size_t work) {
  return chunksOf(n) > 1 && static_cast<double>(n) * static_cast<double>(work) >= 2e6;
}

double squaredDistance(const double* a, const double* b, std::size_t d) {
  double s = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    const double t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

// Index of the nearest centre (lowest index on ties) and its squared distance.
std::size_t nearest(const double* x, const double* centres, std::size_t K, std::size_t d, double& best) {
  std::size_t label = 0;
  best = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < K; ++k) {
    const double s = squaredDistance(x, centres + k * d, d);
    if (s < best) best = s, label = k;
  }
  return label;
}

// Labels with respect to `centres`; per chunk, the counts and coordinate sums of each cluster.
void assign(const double* Xc, std::size_t n, std::size_t d, std::size_t K, const double* centres, int32_t* labels,
            std::vector<double>& chunkSums, std::vector<double>& chunkCounts) {
  const std::size_t nChunks = chunksOf(n);
  chunkSums.assign(nChunks * K * d, 0.0);
  chunkCounts.assign(nChunks * K, 0.0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, K * d))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(nChunks); ++c) {
    double* sums = chunkSums.data() + c * K * d;
    double* counts = chunkCounts.data() + c * K;
    const std::size_t i1 = std::min(n, (c + 1) * kChunk);
    for (std::size_t i = c * kChunk; i < i1; ++i) {
      double best;
      const std::size_t k = nearest(Xc + i * d, centres, K, d, best);
      labels[i] = static_cast<int32_t>(k);
      counts[k] += 1.0;
      for (std::size_t j = 0; j < d; ++j) sums[k * d + j] += Xc[i * d + j];
    }
  }
}

}  // namespace

std::vector<double> kMeansPlusPlus(const double* Xc, std::size_t n, std::size_t d, std::size_t K, Random& rng) {
  std::vector<double> centres(K * d);
  const std::size_t trials = 2 + static_cast<std::size_t>(std::log(static_cast<double>(K)));
  const std::size_t nChunks = chunksOf(n);
  const auto draw = [&](double scale) { return rng.uniform() * scale; };

  std::size_t first = std::min(n - 1, static_cast<std::size_t>(draw(static_cast<double>(n))));
  std::copy(Xc + first * d, Xc + (first + 1) * d, centres.begin());
  std::vector<double> closest(n), cumulative(n), candidatePot(nChunks * trials), chunkPot(nChunks);
#pragma omp parallel for schedule(static) num_threads(numThreads()) if (parallelWorth(n, d))
  for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(n); ++i) closest[i] = squaredDistance(Xc + i * d, Xc + first * d, d);
  double potential = 0.0;
  for (double v : closest) potential += v;

  std::vector<std::size_t> candidates(trials);
  for (std::size_t c = 1; c < K; ++c) {
    // candidates drawn ∝ D²: searchsorted(cumsum(D²), u·potential) (first index with cumsum ≥ value)
    double running = 0.0;
    for (std::size_t i = 0; i < n; ++i) cumulative[i] = running += closest[i];
    for (std::size_t t = 0; t < trials; ++t) {
      const double value = draw(potential);
      const auto at = std::lower_bound(cumulative.begin(), cumulative.end(), value) - cumulative.begin();
      candidates[t] = std::min(n - 1, static_cast<std::size_t>(at));
    }
    // Σ_n min(D², distance to each candidate), per chunk then in chunk order
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, trials * d))
    for (std::ptrdiff_t ch = 0; ch < static_cast<std::ptrdiff_t>(nChunks); ++ch) {
      const std::size_t i1 = std::min(n, (ch + 1) * kChunk);
      for (std::size_t t = 0; t < trials; ++t) {
        const double* y = Xc + candidates[t] * d;
        double s = 0.0;
        for (std::size_t i = ch * kChunk; i < i1; ++i) s += std::min(closest[i], squaredDistance(Xc + i * d, y, d));
        candidatePot[ch * trials + t] = s;
      }
    }
    std::size_t best = 0;
    double bestPot = std::numeric_limits<double>::infinity();
    for (std::size_t t = 0; t < trials; ++t) {
      double s = 0.0;
      for (std::size_t ch = 0; ch < nChunks; ++ch) s += candidatePot[ch * trials + t];
      if (s < bestPot) bestPot = s, best = t;  // first minimum, as np.argmin
    }
    const double* y = Xc + candidates[best] * d;
    std::copy(y, y + d, centres.begin() + c * d);
#pragma omp parallel for schedule(static) num_threads(numThreads()) if (parallelWorth(n, d))
    for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(n); ++i) closest[i] = std::min(closest[i], squaredDistance(Xc + i * d, y, d));
    potential = bestPot;
  }
  return centres;
}

KMeansResult lloyd(const double* Xc, std::size_t n, std::size_t d, std::size_t K, std::vector<double> centres, int maxIter,
                   double tolAbs) {
  KMeansResult r;
  r.labels.assign(n, -1);
  std::vector<int32_t> previous(n, -1);
  std::vector<double> chunkSums, chunkCounts, sums(K * d), counts(K), fresh(K * d);
  const std::size_t nChunks = chunksOf(n);
  for (int iter = 0; iter < maxIter; ++iter) {
    r.nIter = iter + 1;
    assign(Xc, n, d, K, centres.data(), r.labels.data(), chunkSums, chunkCounts);
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0.0);
    for (std::size_t c = 0; c < nChunks; ++c) {
      for (std::size_t k = 0; k < K; ++k) counts[k] += chunkCounts[c * K + k];
      for (std::size_t q = 0; q < K * d; ++q) sums[q] += chunkSums[c * K * d + q];
    }
    // empty clusters take the samples farthest from their (old) centres, farthest first
    std::vector<std::size_t> empty;
    for (std::size_t k = 0; k < K; ++k)
      if (counts[k] == 0.0) empty.push_back(k);
    if (!empty.empty()) {
      std::vector<double> distance(n);
      for (std::size_t i = 0; i < n; ++i) distance[i] = squaredDistance(Xc + i * d, centres.data() + r.labels[i] * d, d);
      std::vector<std::size_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      const std::size_t m = std::min(empty.size(), n);
      std::partial_sort(order.begin(), order.begin() + m, order.end(), [&](std::size_t a, std::size_t b) {
        return distance[a] > distance[b] || (distance[a] == distance[b] && a < b);
      });
      for (std::size_t e = 0; e < m; ++e) {
        const std::size_t i = order[e], to = empty[e], from = static_cast<std::size_t>(r.labels[i]);
        for (std::size_t j = 0; j < d; ++j) {
          sums[from * d + j] -= Xc[i * d + j];
          sums[to * d + j] = Xc[i * d + j];
        }
        counts[to] = 1.0;
        counts[from] -= 1.0;
      }
    }
    double shift = 0.0;
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t j = 0; j < d; ++j) {
        fresh[k * d + j] = counts[k] > 0.0 ? sums[k * d + j] / counts[k] : centres[k * d + j];
        const double t = fresh[k * d + j] - centres[k * d + j];
        shift += t * t;
      }
    std::swap(centres, fresh);
    if (r.labels == previous) {
      r.strictConvergence = true;
      break;
    }
    if (shift <= tolAbs) break;
    previous = r.labels;
  }
  if (!r.strictConvergence) assign(Xc, n, d, K, centres.data(), r.labels.data(), chunkSums, chunkCounts);
  r.centres = std::move(centres);
  return r;
}

KMeansResult kMeans(const double* X, std::size_t n, std::size_t d, std::size_t K, Random& rng, int maxIter, double tol) {
  require(K >= 1 && d >= 1, "E_VALUE", "kMeans: need at least one cluster and one feature");
  require(n >= K, "E_VALUE", "kMeans: n_samples=" + std::to_string(n) + " should be >= n_clusters=" + std::to_string(K));
  require(maxIter >= 1, "E_VALUE", "kMeans: maxIter must be >= 1");
  std::vector<double> mean(d, 0.0), Xc(n * d);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) mean[j] += X[i * d + j];
  for (double& m : mean) m /= static_cast<double>(n);
  double variance = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double t = X[i * d + j] - mean[j];
      Xc[i * d + j] = t;
      s += t * t;
    }
    variance += s / static_cast<double>(n);
  }
  const double tolAbs = tol * variance / static_cast<double>(d);
  KMeansResult r = lloyd(Xc.data(), n, d, K, kMeansPlusPlus(Xc.data(), n, d, K, rng), maxIter, tolAbs);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = 0; j < d; ++j) r.centres[k * d + j] += mean[j];
  return r;
}

}  // namespace polymorph

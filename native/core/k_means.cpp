// k-means++ and Lloyd iterations (scikit-learn 1.2.1 KMeans semantics). See k_means.hpp.
#include "core/k_means.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/fast_math.hpp"
#include "core/simd4.hpp"
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

// Points [K, d] transposed to [d][kPad] (kPad = K rounded up to 4; the padding repeats point 0),
// so that the distances of one sample to all of them vectorise.
std::vector<double> transposed(const double* points, std::size_t K, std::size_t d, std::size_t& kPad) {
  kPad = (K + 3) & ~std::size_t(3);
  std::vector<double> t(d * kPad);
  for (std::size_t l = 0; l < d; ++l)
    for (std::size_t k = 0; k < kPad; ++k) t[l * kPad + k] = points[(k < K ? k : 0) * d + l];
  return t;
}

// Squared distances of B samples i, i + 1, … of X [n, d] to the 4·KV points Pt [d][4KV] into
// out [B][4KV], with the accumulators in registers.
template <std::size_t KV, std::size_t B>
POLYMORPH_ALWAYS_INLINE void distanceBlock(const double* X, std::size_t d, std::size_t i, const double* Pt, double* out) {
  using simd4::Vec;
  Vec acc[B][KV];
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t v = 0; v < KV; ++v) acc[b][v] = simd4::splat(0.0);
  for (std::size_t l = 0; l < d; ++l) {
    Vec p[KV];
    for (std::size_t v = 0; v < KV; ++v) p[v] = simd4::load(Pt + l * 4 * KV + 4 * v);
    for (std::size_t b = 0; b < B; ++b) {
      const Vec x = simd4::splat(X[(i + b) * d + l]);
      for (std::size_t v = 0; v < KV; ++v) {
        const Vec t = x - p[v];
        acc[b][v] += t * t;
      }
    }
  }
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t v = 0; v < KV; ++v) simd4::store(out + b * 4 * KV + 4 * v, acc[b][v]);
}

// distanceBlock over samples [i0, i1): B at a time, then one at a time.
template <std::size_t KV, std::size_t B>
POLYMORPH_ALWAYS_INLINE void distanceRows(const double* X, std::size_t d, std::size_t i0, std::size_t i1, const double* Pt, double* out) {
  std::size_t i = i0;
  for (; i + B <= i1; i += B) distanceBlock<KV, B>(X, d, i, Pt, out + (i - i0) * 4 * KV);
  for (; i < i1; ++i) distanceBlock<KV, 1>(X, d, i, Pt, out + (i - i0) * 4 * KV);
}

// out [(i1 − i0), kPad] = squared distances of samples [i0, i1) of X [n, d] to the points Pt
// [d][kPad]; each summed over the coordinates in order (the value squaredDistance gives).
POLYMORPH_CLONES void distancesRange(const double* X, std::size_t d, std::size_t i0, std::size_t i1, const double* Pt, std::size_t kPad,
                                     double* out) {
  switch (kPad / 4) {
    case 1: return distanceRows<1, 4>(X, d, i0, i1, Pt, out);
    case 2: return distanceRows<2, 4>(X, d, i0, i1, Pt, out);
    case 3: return distanceRows<3, 3>(X, d, i0, i1, Pt, out);
    case 4: return distanceRows<4, 2>(X, d, i0, i1, Pt, out);
    default: break;
  }
  for (std::size_t i = i0; i < i1; ++i) {
    double* o = out + (i - i0) * kPad;
    std::fill(o, o + kPad, 0.0);
    for (std::size_t l = 0; l < d; ++l) {
      const double x = X[i * d + l];
      const double* p = Pt + l * kPad;
      for (std::size_t k = 0; k < kPad; ++k) {
        const double t = x - p[k];
        o[k] += t * t;
      }
    }
  }
}

// Labels with respect to `centres` (nearest, lowest index on ties); per chunk, the counts and
// coordinate sums of each cluster.
void assign(const double* Xc, std::size_t n, std::size_t d, std::size_t K, const double* centres, int32_t* labels,
            std::vector<double>& chunkSums, std::vector<double>& chunkCounts) {
  const std::size_t nChunks = chunksOf(n);
  std::size_t kPad = 0;
  const std::vector<double> Ct = transposed(centres, K, d, kPad);
  chunkSums.assign(nChunks * K * d, 0.0);
  chunkCounts.assign(nChunks * K, 0.0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, K * d))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(nChunks); ++c) {
    // sums and counts accumulate in the chunk's own memory, copied out at the end (the partials of
    // neighbouring chunks share cache lines: written per sample, they would bounce between cores)
    std::vector<double> sums(K * d, 0.0), counts(K, 0.0);
    const std::size_t i0 = c * kChunk, i1 = std::min(n, (c + 1) * kChunk);
    std::vector<double> distance((i1 - i0) * kPad);
    distancesRange(Xc, d, i0, i1, Ct.data(), kPad, distance.data());
    for (std::size_t i = i0; i < i1; ++i) {
      const double* di = distance.data() + (i - i0) * kPad;
      std::size_t k = 0;
      for (std::size_t q = 1; q < K; ++q)
        if (di[q] < di[k]) k = q;
      labels[i] = static_cast<int32_t>(k);
      counts[k] += 1.0;
      for (std::size_t j = 0; j < d; ++j) sums[k * d + j] += Xc[i * d + j];
    }
    std::copy(sums.begin(), sums.end(), chunkSums.begin() + c * K * d);
    std::copy(counts.begin(), counts.end(), chunkCounts.begin() + c * K);
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
    std::vector<double> points(trials * d);
    for (std::size_t t = 0; t < trials; ++t) std::copy(Xc + candidates[t] * d, Xc + (candidates[t] + 1) * d, points.begin() + t * d);
    std::size_t tPad = 0;
    const std::vector<double> Pt = transposed(points.data(), trials, d, tPad);
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, trials * d))
    for (std::ptrdiff_t ch = 0; ch < static_cast<std::ptrdiff_t>(nChunks); ++ch) {
      const std::size_t i0 = ch * kChunk, i1 = std::min(n, (ch + 1) * kChunk);
      std::vector<double> distance((i1 - i0) * tPad);
      distancesRange(Xc, d, i0, i1, Pt.data(), tPad, distance.data());
      for (std::size_t t = 0; t < trials; ++t) {
        double s = 0.0;
        for (std::size_t i = i0; i < i1; ++i) s += std::min(closest[i], distance[(i - i0) * tPad + t]);
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
  std::vector<double> squares(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double t = X[i * d + j] - mean[j];
      Xc[i * d + j] = t;
      squares[j] += t * t;
    }
  double variance = 0.0;  // Σ_j var(X[:, j])
  for (double s : squares) variance += s / static_cast<double>(n);
  const double tolAbs = tol * variance / static_cast<double>(d);
  KMeansResult r = lloyd(Xc.data(), n, d, K, kMeansPlusPlus(Xc.data(), n, d, K, rng), maxIter, tolAbs);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = 0; j < d; ++j) r.centres[k * d + j] += mean[j];
  return r;
}

}  // namespace polymorph

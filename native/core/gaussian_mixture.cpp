// Gaussian mixture EM (scikit-learn 1.2.1 semantics). See gaussian_mixture.hpp.
//
// Layout of the work: the E-step of a sample evaluates, for each component k, y = (x − μ_k)ᵀ P_k
// as a row vector times an upper-triangular matrix stored with its rows padded to a multiple of
// four columns (zeros beyond d), so the inner loop over columns vectorises; the M-step's scatter
// Σ r (x − μ)(x − μ)ᵀ is a rank-one update per sample of the upper triangle, vectorised the same
// way. Both run over fixed chunks of samples in parallel, with per-chunk partial sums added in
// chunk order afterwards.
#include "core/gaussian_mixture.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/fast_math.hpp"
#include "core/k_means.hpp"
#include "core/random.hpp"
#include "core/simd4.hpp"

namespace polymorph {
using simd4::load;
using simd4::splat;
using simd4::store;
using simd4::sumLanes;
using simd4::Vec;
using simd4::VecArray;
}  // namespace polymorph
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr std::size_t kChunk = 1024;            // samples per partial sum (fixed: sums do not depend on threads)
constexpr double kEps = 2.220446049250313e-16;  // np.finfo(float64).eps
constexpr double kLog2Pi = 1.8378770664093454836;

std::size_t chunksOf(std::size_t n) { return (n + kChunk - 1) / kChunk; }
std::size_t padded(std::size_t d) { return (d + 3) & ~std::size_t(3); }

// Whether a pass over n samples is worth a parallel region: waking the other threads costs
// microseconds (much more on a busy machine), a pass over a small data set less than that.
bool parallelWorth(std::size_t n, std::size_t K, std::size_t d) {
  return chunksOf(n) > 1 && static_cast<double>(n) * static_cast<double>(K) * static_cast<double>(d * d + d) >= 2e6;
}

const char* kIllDefined =
    "Fitting the mixture model failed because some components have ill-defined empirical covariance (for instance "
    "caused by singleton or collapsed samples). Try to decrease the number of components, or increase regCovar.";

// What the E-step needs, laid out for it: P_k with rows padded to dPad columns (full: [K][d][dPad],
// upper triangle; diag: [K][dPad]), means [K][dPad], and the per-component constants.
struct Prepared {
  std::size_t K = 0, d = 0, dPad = 0;
  bool diag = false;
  std::vector<double> P, means, logDet, logWeight;
};

Prepared prepare(const GaussianMixtureModel& m) {
  Prepared p;
  p.K = m.nComponents, p.d = m.nFeatures, p.dPad = padded(m.nFeatures);
  p.diag = m.covarianceType == CovarianceType::Diag;
  const std::size_t K = p.K, d = p.d, dp = p.dPad;
  p.means.assign(K * dp, 0.0);
  p.logDet.assign(K, 0.0);
  p.logWeight.assign(K, 0.0);
  p.P.assign(p.diag ? K * dp : K * d * dp, 0.0);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t j = 0; j < d; ++j) p.means[k * dp + j] = m.means[k * d + j];
    double logDet = 0.0;
    if (p.diag) {
      for (std::size_t j = 0; j < d; ++j) {
        p.P[k * dp + j] = m.precisionsCholesky[k * d + j];
        logDet += std::log(m.precisionsCholesky[k * d + j]);
      }
    } else {
      const double* Pk = m.precisionsCholesky.data() + k * d * d;
      for (std::size_t l = 0; l < d; ++l)
        for (std::size_t j = l; j < d; ++j) p.P[(k * d + l) * dp + j] = Pk[l * d + j];
      for (std::size_t j = 0; j < d; ++j) logDet += std::log(Pk[j * d + j]);
    }
    p.logDet[k] = logDet;
    p.logWeight[k] = std::log(m.weights[k]);
  }
  return p;
}

// The kernels below take W = dPad / 4 as a template argument (W = 1…8, d ≤ 32) so that the
// accumulators live in registers; W = 0 is the same arithmetic with W read at run time (d > 32).
// They handle samples in pairs (B = 2; B = 1 for the last of an odd range): two independent
// dependency chains hide the latency of the multiply-adds. Pairs start at even offsets from the
// chunk's start, so the arithmetic of every sample is the same for any thread count.

// q_b = ‖(x_b − μ)ᵀ P‖² for B samples x_b [dPad] (padded with zeros), P upper-triangular with
// rows padded to 4W columns (full covariance).
template <std::size_t W, std::size_t B>
POLYMORPH_ALWAYS_INLINE void quadFull(const double* const* x, const double* mu, const double* P, std::size_t d, std::size_t wRun,
                                      Vec* heap, double* q) {
  constexpr std::size_t kSlots = W ? W : 1;
  Vec local[B][kSlots];
  const std::size_t w = W ? W : wRun;
  Vec* y[B];
  for (std::size_t b = 0; b < B; ++b) y[b] = W ? local[b] : heap + b * w;
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t v = 0; v < w; ++v) y[b][v] = splat(0.0);
#pragma GCC unroll 8
  for (std::size_t lb = 0; lb < w; ++lb) {
    const std::size_t l1 = std::min(d, 4 * lb + 4);
    for (std::size_t l = 4 * lb; l < l1; ++l) {  // P[l][j] = 0 for j < l: start at l's vector
      Vec t[B];
      for (std::size_t b = 0; b < B; ++b) t[b] = splat(x[b][l] - mu[l]);
      const double* Pl = P + l * 4 * w;
#pragma GCC unroll 8
      for (std::size_t v = lb; v < w; ++v) {
        const Vec pv = load(Pl + 4 * v);
        for (std::size_t b = 0; b < B; ++b) y[b][v] += t[b] * pv;
      }
    }
  }
  for (std::size_t b = 0; b < B; ++b) {
    Vec acc = y[b][0] * y[b][0];
    for (std::size_t v = 1; v < w; ++v) acc += y[b][v] * y[b][v];
    q[b] = sumLanes(acc);
  }
}

// q_b = Σ_j ((x_bj − μ_j) P_j)² (diagonal covariance); x and μ padded with zeros to 4W.
template <std::size_t W, std::size_t B>
POLYMORPH_ALWAYS_INLINE void quadDiag(const double* const* x, const double* mu, const double* P, std::size_t wRun, double* q) {
  const std::size_t w = W ? W : wRun;
  for (std::size_t b = 0; b < B; ++b) {
    Vec acc = splat(0.0);
#pragma GCC unroll 8
    for (std::size_t v = 0; v < w; ++v) {
      const Vec t = (load(x[b] + 4 * v) - load(mu + 4 * v)) * load(P + 4 * v);
      acc += t * t;
    }
    q[b] = sumLanes(acc);
  }
}

// Copies row i of X [n, d] into x [dPad] (whose tail stays zero).
POLYMORPH_ALWAYS_INLINE void copyRow(const double* X, std::size_t i, std::size_t d, double* x) {
  const double* row = X + i * d;
  for (std::size_t j = 0; j < d; ++j) x[j] = row[j];
}

// log π_k + log N(x_b | k) for B samples into lw [B][K].
template <std::size_t W, std::size_t B>
POLYMORPH_ALWAYS_INLINE void weightedLogProb(const Prepared& p, const double* const* x, Vec* heap, double* lw) {
  const std::size_t K = p.K, d = p.d, dp = p.dPad, w = dp / 4;
  const double constant = static_cast<double>(d) * kLog2Pi;
  for (std::size_t k = 0; k < K; ++k) {
    const double* mu = p.means.data() + k * dp;
    double q[B];
    if (p.diag) quadDiag<W, B>(x, mu, p.P.data() + k * dp, w, q);
    else quadFull<W, B>(x, mu, p.P.data() + k * d * dp, d, w, heap, q);
    for (std::size_t b = 0; b < B; ++b) lw[b * K + k] = (-0.5 * (constant + q[b]) + p.logDet[k]) + p.logWeight[k];
  }
}

// E-step over samples [i0, i1): log p(x) (returned as a sum, and into logProb when given), labels,
// responsibilities into resp [n, K] (when given), and, when nk is given, the first moments
// nk [K] += Σ r, sums [K, dPad] += Σ r x.
template <std::size_t W>
POLYMORPH_ALWAYS_INLINE double eStepKernel(const Prepared& p, const double* X, std::size_t i0, std::size_t i1, double* resp,
                                           double* logProb, int32_t* labels, double* nk, double* sums) {
  const std::size_t K = p.K, d = p.d, dp = p.dPad, w = dp / 4;
  std::vector<double> scratch(2 * dp + 3 * K, 0.0);
  VecArray heap(W ? 0 : 2 * w);
  double* x[2] = {scratch.data(), scratch.data() + dp};  // two samples, padded with zeros
  double* lw = x[1] + dp;                                // [2][K]: log π_k + log N(x | k)
  double* r = lw + 2 * K;                                // [K]: responsibilities
  double total = 0.0;
  const auto finish = [&](std::size_t i, const double* lwi, const double* xi) {
    double top = lwi[0];
    std::size_t best = 0;
    for (std::size_t k = 1; k < K; ++k)
      if (lwi[k] > top) top = lwi[k], best = k;
    double s = 0.0;
    for (std::size_t k = 0; k < K; ++k) s += fastExp(lwi[k] - top);
    const double lp = std::log(s) + top;  // logsumexp
    total += lp;
    if (logProb) logProb[i] = lp;
    if (labels) labels[i] = static_cast<int32_t>(best);
    if (!resp && !nk) return;
    for (std::size_t k = 0; k < K; ++k) r[k] = fastExp(lwi[k] - lp);  // exp(log resp)
    if (resp)
      for (std::size_t k = 0; k < K; ++k) resp[i * K + k] = r[k];
    if (nk) {
      for (std::size_t k = 0; k < K; ++k) {
        nk[k] += r[k];
        const Vec rk = splat(r[k]);
        double* sk = sums + k * dp;
#pragma GCC unroll 8
        for (std::size_t v = 0; v < w; ++v) store(sk + 4 * v, load(sk + 4 * v) + rk * load(xi + 4 * v));
      }
    }
  };
  std::size_t i = i0;
  for (; i + 1 < i1; i += 2) {
    copyRow(X, i, d, x[0]);
    copyRow(X, i + 1, d, x[1]);
    weightedLogProb<W, 2>(p, x, heap.data(), lw);
    finish(i, lw, x[0]);
    finish(i + 1, lw + K, x[1]);
  }
  if (i < i1) {
    copyRow(X, i, d, x[0]);
    weightedLogProb<W, 1>(p, x, heap.data(), lw);
    finish(i, lw, x[0]);
  }
  return total;
}

constexpr std::size_t kTile = 128;  // samples whose centred coordinates [kTile, dPad] stay in the L1 cache

// Rows a and a + 1 (a even; both in the block of vectors LB) of S [d][4W] += Σ_i r_i D_i[a|a+1] D_i
// over the tile's centred samples D [m][4W] with responsibilities r [m]: two rows of
// accumulators stay in registers for the whole tile. Row a + 1 is stored only when `two`.
template <std::size_t W, std::size_t LB>
POLYMORPH_ALWAYS_INLINE void scatterRows(const double* D, const double* r, std::size_t m, std::size_t a, bool two, double* S) {
  constexpr std::size_t N = W - LB;
  Vec acc0[N], acc1[N];
  for (std::size_t v = 0; v < N; ++v) acc0[v] = acc1[v] = splat(0.0);
  for (std::size_t i = 0; i < m; ++i) {
    const double* Di = D + i * 4 * W;
    const Vec e0 = splat(r[i] * Di[a]), e1 = splat(r[i] * Di[a + 1]);
    for (std::size_t v = 0; v < N; ++v) {
      const Vec dv = load(Di + 4 * (LB + v));
      acc0[v] += e0 * dv;
      acc1[v] += e1 * dv;
    }
  }
  double* row0 = S + a * 4 * W + 4 * LB;
  for (std::size_t v = 0; v < N; ++v) store(row0 + 4 * v, load(row0 + 4 * v) + acc0[v]);
  if (!two) return;
  double* row1 = row0 + 4 * W;
  for (std::size_t v = 0; v < N; ++v) store(row1 + 4 * v, load(row1 + 4 * v) + acc1[v]);
}

// scatterRows with the block LB = lb chosen at run time.
template <std::size_t W, std::size_t LB = 0>
POLYMORPH_ALWAYS_INLINE void scatterRowsAt(std::size_t lb, const double* D, const double* r, std::size_t m, std::size_t a, bool two,
                                           double* S) {
  if constexpr (LB < W) {
    if (lb == LB) scatterRows<W, LB>(D, r, m, a, two, S);
    else scatterRowsAt<W, LB + 1>(lb, D, r, m, a, two, S);
  }
}

// scatter [K][d][dPad] (upper triangle by vectors; diag: [K][dPad]) += Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ
// over samples [i0, i1), tile by tile (entries are summed over each tile, tiles in order).
template <std::size_t W>
POLYMORPH_ALWAYS_INLINE void scatterKernel(const Prepared& p, const double* X, const double* resp, std::size_t i0, std::size_t i1,
                                           double* scatter) {
  const std::size_t K = p.K, d = p.d, dp = p.dPad, w = dp / 4;
  std::vector<double> D(kTile * dp, 0.0), rk(kTile);
  for (std::size_t t0 = i0; t0 < i1; t0 += kTile) {
    const std::size_t m = std::min(kTile, i1 - t0);
    for (std::size_t k = 0; k < K; ++k) {
      const double* mu = p.means.data() + k * dp;
      for (std::size_t i = 0; i < m; ++i) {
        rk[i] = resp[(t0 + i) * K + k];
        const double* x = X + (t0 + i) * d;
        for (std::size_t j = 0; j < d; ++j) D[i * dp + j] = x[j] - mu[j];  // the padding stays zero
      }
      if (p.diag) {
        double* S = scatter + k * dp;
        for (std::size_t v = 0; v < w; ++v) {
          Vec acc = splat(0.0);
          for (std::size_t i = 0; i < m; ++i) {
            const Vec dv = load(D.data() + i * dp + 4 * v);
            acc += splat(rk[i]) * dv * dv;
          }
          store(S + 4 * v, load(S + 4 * v) + acc);
        }
        continue;
      }
      double* S = scatter + k * d * dp;
      if constexpr (W > 0) {
        for (std::size_t a = 0; a < d; a += 2) scatterRowsAt<W>(a / 4, D.data(), rk.data(), m, a, a + 1 < d, S);
      } else {
        for (std::size_t a = 0; a < d; ++a)
          for (std::size_t b = a & ~std::size_t(3); b < dp; ++b) {
            double acc = 0.0;
            for (std::size_t i = 0; i < m; ++i) acc += rk[i] * D[i * dp + a] * D[i * dp + b];
            S[a * dp + b] += acc;
          }
      }
    }
  }
}

#define POLYMORPH_GMM_WIDTHS(CALL) \
  switch (p.dPad / 4) {            \
    case 1: CALL(1);               \
    case 2: CALL(2);               \
    case 3: CALL(3);               \
    case 4: CALL(4);               \
    case 5: CALL(5);               \
    case 6: CALL(6);               \
    case 7: CALL(7);               \
    case 8: CALL(8);               \
    default: CALL(0);              \
  }

POLYMORPH_CLONES double eStepRange(const Prepared& p, const double* X, std::size_t i0, std::size_t i1, double* resp,
                                   double* logProb, int32_t* labels, double* nk, double* sums) {
#define POLYMORPH_GMM_E(W) return eStepKernel<W>(p, X, i0, i1, resp, logProb, labels, nk, sums)
  POLYMORPH_GMM_WIDTHS(POLYMORPH_GMM_E)
#undef POLYMORPH_GMM_E
}

POLYMORPH_CLONES void scatterRange(const Prepared& p, const double* X, const double* resp, std::size_t i0, std::size_t i1,
                                   double* scatter) {
#define POLYMORPH_GMM_S(W) return scatterKernel<W>(p, X, resp, i0, i1, scatter)
  POLYMORPH_GMM_WIDTHS(POLYMORPH_GMM_S)
#undef POLYMORPH_GMM_S
}

// Partial sums of one fit, per chunk, and the responsibilities.
struct Workspace {
  std::size_t n = 0, d = 0, K = 0, dPad = 0, nChunks = 0;
  bool diag = false;
  std::vector<double> resp, chunkNk, chunkSums, chunkScatter, chunkLogProb;

  Workspace(std::size_t n_, std::size_t d_, std::size_t K_, CovarianceType type)
      : n(n_), d(d_), K(K_), dPad(padded(d_)), nChunks(chunksOf(n_)), diag(type == CovarianceType::Diag),
        resp(n_ * K_), chunkNk(nChunks * K_), chunkSums(nChunks * K_ * dPad),
        chunkScatter(nChunks * K_ * (diag ? dPad : d_ * dPad)), chunkLogProb(nChunks) {}
};

// E-step of a fit: responsibilities and first moments per chunk; returns mean_n log p(x_n).
double eStep(const GaussianMixtureModel& model, const double* X, Workspace& ws) {
  const Prepared p = prepare(model);
  const std::size_t K = ws.K, n = ws.n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, K, ws.d))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(ws.nChunks); ++c) {
    // partial sums in the chunk's own memory, copied out at the end (neighbouring chunks' slots
    // share cache lines: written per sample, they would bounce between cores)
    std::vector<double> nk(K, 0.0), sums(K * ws.dPad, 0.0);
    ws.chunkLogProb[c] = eStepRange(p, X, c * kChunk, std::min(n, (c + 1) * kChunk), ws.resp.data(), nullptr, nullptr, nk.data(), sums.data());
    std::copy(nk.begin(), nk.end(), ws.chunkNk.begin() + c * K);
    std::copy(sums.begin(), sums.end(), ws.chunkSums.begin() + c * K * ws.dPad);
  }
  double total = 0.0;
  for (double s : ws.chunkLogProb) total += s;
  return total / static_cast<double>(n);
}

// First moments of fixed responsibilities ws.resp (the one-hot start), per chunk.
void firstMoments(const double* X, Workspace& ws) {
  const std::size_t K = ws.K, d = ws.d, n = ws.n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, K, d))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(ws.nChunks); ++c) {
    std::vector<double> nk(K, 0.0), sums(K * ws.dPad, 0.0);  // copied out at the end, as in eStep
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i)
      for (std::size_t k = 0; k < K; ++k) {
        const double r = ws.resp[i * K + k];
        nk[k] += r;
        for (std::size_t j = 0; j < d; ++j) sums[k * ws.dPad + j] += r * X[i * d + j];
      }
    std::copy(nk.begin(), nk.end(), ws.chunkNk.begin() + c * K);
    std::copy(sums.begin(), sums.end(), ws.chunkSums.begin() + c * K * ws.dPad);
  }
}

// M-step from the responsibilities and first moments in ws: weights (n_k / N at the start,
// normalised after an E-step), means, covariances, precision Cholesky factors.
void mStep(GaussianMixtureModel& model, const double* X, Workspace& ws, double regCovar, bool normalise) {
  const std::size_t K = ws.K, d = ws.d, dp = ws.dPad, n = ws.n;
  std::vector<double> nk(K, 0.0), sums(K * dp, 0.0);
  for (std::size_t c = 0; c < ws.nChunks; ++c) {
    for (std::size_t k = 0; k < K; ++k) nk[k] += ws.chunkNk[c * K + k];
    for (std::size_t q = 0; q < K * dp; ++q) sums[q] += ws.chunkSums[c * K * dp + q];
  }
  for (double& v : nk) v += 10.0 * kEps;
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = 0; j < d; ++j) model.means[k * d + j] = sums[k * dp + j] / nk[k];

  Prepared p;  // only the padded means are used by scatterRange
  p.K = K, p.d = d, p.dPad = dp, p.diag = ws.diag;
  p.means.assign(K * dp, 0.0);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = 0; j < d; ++j) p.means[k * dp + j] = model.means[k * d + j];
  const std::size_t block = ws.diag ? dp : d * dp;
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, K, d))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(ws.nChunks); ++c) {
    std::vector<double> scatter(K * block, 0.0);  // copied out at the end, as in eStep
    scatterRange(p, X, ws.resp.data(), c * kChunk, std::min(n, (c + 1) * kChunk), scatter.data());
    std::copy(scatter.begin(), scatter.end(), ws.chunkScatter.begin() + c * K * block);
  }
  std::vector<double> S(K * block, 0.0);
  for (std::size_t c = 0; c < ws.nChunks; ++c)
    for (std::size_t q = 0; q < K * block; ++q) S[q] += ws.chunkScatter[c * K * block + q];
  for (std::size_t k = 0; k < K; ++k) {
    if (ws.diag) {
      for (std::size_t j = 0; j < d; ++j) model.covariances[k * d + j] = S[k * dp + j] / nk[k] + regCovar;
    } else {
      double* cov = model.covariances.data() + k * d * d;
      for (std::size_t a = 0; a < d; ++a)
        for (std::size_t b = a; b < d; ++b) cov[a * d + b] = cov[b * d + a] = S[(k * d + a) * dp + b] / nk[k];
      for (std::size_t a = 0; a < d; ++a) cov[a * d + a] += regCovar;
    }
  }
  double total = 0.0;
  for (double v : nk) total += v;
  for (std::size_t k = 0; k < K; ++k) model.weights[k] = normalise ? nk[k] / total : nk[k] / static_cast<double>(n);
  computePrecisionCholesky(model);
}

struct Run {
  GaussianMixtureModel model;
  double lowerBound = -std::numeric_limits<double>::infinity();
  std::vector<double> lowerBounds;
  int nIter = 0;
  bool converged = false;
};

Run em(GaussianMixtureModel model, const double* X, Workspace& ws, const GaussianMixtureOptions& o) {
  Run run;
  for (int iter = 1; iter <= o.maxIter; ++iter) {
    const double previous = run.lowerBound;
    run.lowerBound = eStep(model, X, ws);
    mStep(model, X, ws, o.regCovar, true);
    run.lowerBounds.push_back(run.lowerBound);
    run.nIter = iter;
    if (std::fabs(run.lowerBound - previous) < o.tol) {
      run.converged = true;
      break;
    }
  }
  run.model = std::move(model);
  return run;
}

void checkInput(const double* X, std::size_t n, std::size_t d, const GaussianMixtureOptions& o) {
  require(o.nComponents >= 1, "E_VALUE", "GaussianMixture: nComponents must be >= 1");
  require(d >= 1, "E_SHAPE", "GaussianMixture: X must have at least one feature");
  require(n >= 1, "E_SHAPE", "GaussianMixture: X is empty (0 samples)");
  require(n >= o.nComponents, "E_VALUE",
          "GaussianMixture: expected nSamples >= nComponents, got nComponents = " + std::to_string(o.nComponents) +
              ", nSamples = " + std::to_string(n));
  require(o.nInit >= 1 && o.maxIter >= 1, "E_VALUE", "GaussianMixture: nInit and maxIter must be >= 1");
  require(o.tol >= 0.0 && std::isfinite(o.tol) && o.regCovar >= 0.0 && std::isfinite(o.regCovar), "E_VALUE",
          "GaussianMixture: tol and regCovar must be finite and >= 0");
  const std::size_t bad = firstNonFinite(X, n * d);
  require(bad == n * d, "E_VALUE",
          "GaussianMixture: X[" + std::to_string(bad / d) + "][" + std::to_string(bad % d) + "] is not finite");
}

// The parameters of one-hot responsibilities (sklearn's _initialize after k-means): π_k = n_k / N.
GaussianMixtureModel startFromLabels(const double* X, Workspace& ws, const int32_t* labels, CovarianceType type,
                                     double regCovar) {
  const std::size_t n = ws.n, d = ws.d, K = ws.K;
  std::fill(ws.resp.begin(), ws.resp.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    require(labels[i] >= 0 && static_cast<std::size_t>(labels[i]) < K, "E_VALUE", "GaussianMixture: label out of range");
    ws.resp[i * K + static_cast<std::size_t>(labels[i])] = 1.0;
  }
  GaussianMixtureModel model;
  model.nComponents = K, model.nFeatures = d, model.covarianceType = type;
  model.weights.assign(K, 0.0);
  model.means.assign(K * d, 0.0);
  model.covariances.assign(K * covarianceSize(type, d), 0.0);
  firstMoments(X, ws);
  mStep(model, X, ws, regCovar, false);
  return model;
}

GaussianMixtureFit toFit(Run&& run, int index) {
  GaussianMixtureFit f;
  f.model = std::move(run.model);
  f.lowerBound = run.lowerBound;
  f.lowerBounds = std::move(run.lowerBounds);
  f.nIter = run.nIter;
  f.converged = run.converged;
  f.bestInit = index;
  return f;
}

}  // namespace

std::size_t covarianceSize(CovarianceType type, std::size_t d) { return type == CovarianceType::Diag ? d : d * d; }

void computePrecisionCholesky(GaussianMixtureModel& model) {
  const std::size_t K = model.nComponents, d = model.nFeatures;
  model.precisionsCholesky.assign(K * covarianceSize(model.covarianceType, d), 0.0);
  if (model.covarianceType == CovarianceType::Diag) {
    for (std::size_t q = 0; q < K * d; ++q) {
      const double v = model.covariances[q];
      require(v > 0.0, "E_VALUE", kIllDefined);
      model.precisionsCholesky[q] = 1.0 / std::sqrt(v);
    }
    return;
  }
  std::vector<double> L(d * d), Linv(d * d);
  for (std::size_t k = 0; k < K; ++k) {
    const double* A = model.covariances.data() + k * d * d;
    std::fill(L.begin(), L.end(), 0.0);
    for (std::size_t j = 0; j < d; ++j) {  // Σ = L Lᵀ from the lower triangle (as LAPACK dpotrf)
      double s = A[j * d + j];
      for (std::size_t m = 0; m < j; ++m) s -= L[j * d + m] * L[j * d + m];
      require(s > 0.0 && std::isfinite(s), "E_VALUE", kIllDefined);
      const double ljj = std::sqrt(s);
      L[j * d + j] = ljj;
      for (std::size_t i = j + 1; i < d; ++i) {
        double t = A[i * d + j];
        for (std::size_t m = 0; m < j; ++m) t -= L[i * d + m] * L[j * d + m];
        L[i * d + j] = t / ljj;
      }
    }
    std::fill(Linv.begin(), Linv.end(), 0.0);
    for (std::size_t c = 0; c < d; ++c)  // L⁻¹ by forward substitution, column by column
      for (std::size_t i = c; i < d; ++i) {
        double t = i == c ? 1.0 : 0.0;
        for (std::size_t m = c; m < i; ++m) t -= L[i * d + m] * Linv[m * d + c];
        Linv[i * d + c] = t / L[i * d + i];
      }
    double* P = model.precisionsCholesky.data() + k * d * d;
    for (std::size_t l = 0; l < d; ++l)
      for (std::size_t j = l; j < d; ++j) P[l * d + j] = Linv[j * d + l];  // P = (L⁻¹)ᵀ, upper
  }
}

GaussianMixtureModel parametersFromLabels(const double* X, std::size_t n, std::size_t d, const int32_t* labels,
                                          std::size_t K, CovarianceType type, double regCovar) {
  Workspace ws(n, d, K, type);
  return startFromLabels(X, ws, labels, type, regCovar);
}

GaussianMixtureFit fitGaussianMixture(const double* X, std::size_t n, std::size_t d, const GaussianMixtureOptions& o) {
  checkInput(X, n, d, o);
  const std::size_t K = o.nComponents;
  Random rng(o.seed);
  Workspace ws(n, d, K, o.covarianceType);
  GaussianMixtureFit best;
  for (int init = 0; init < o.nInit; ++init) {
    const KMeansResult km = kMeans(X, n, d, K, rng);
    Run run = em(startFromLabels(X, ws, km.labels.data(), o.covarianceType, o.regCovar), X, ws, o);
    if (init == 0 || run.lowerBound > best.lowerBound) best = toFit(std::move(run), init);
  }
  return best;
}

GaussianMixtureFit fitGaussianMixtureFrom(const double* X, std::size_t n, std::size_t d, const GaussianMixtureOptions& o,
                                          GaussianMixtureModel start) {
  checkInput(X, n, d, o);
  const std::size_t K = o.nComponents;
  require(start.nComponents == K && start.nFeatures == d && start.covarianceType == o.covarianceType &&
              start.weights.size() == K && start.means.size() == K * d &&
              start.covariances.size() == K * covarianceSize(o.covarianceType, d),
          "E_SHAPE", "GaussianMixture.fitFrom: the start parameters do not match nComponents, nFeatures and covarianceType");
  computePrecisionCholesky(start);
  Workspace ws(n, d, K, o.covarianceType);
  return toFit(em(std::move(start), X, ws, o), 0);
}

double scoreGaussianMixture(const GaussianMixtureModel& model, const double* X, std::size_t n, double* logProb,
                            double* proba, int32_t* labels) {
  const std::size_t d = model.nFeatures;
  require(n >= 1, "E_SHAPE", "GaussianMixture: X is empty (0 samples)");
  const std::size_t bad = firstNonFinite(X, n * d);
  require(bad == n * d, "E_VALUE",
          "GaussianMixture: X[" + std::to_string(bad / d) + "][" + std::to_string(bad % d) + "] is not finite");
  const Prepared p = prepare(model);
  const std::size_t nChunks = chunksOf(n);
  std::vector<double> partial(nChunks);
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (parallelWorth(n, model.nComponents, d))
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(nChunks); ++c)
    partial[c] = eStepRange(p, X, c * kChunk, std::min(n, (c + 1) * kChunk), proba, logProb, labels, nullptr, nullptr);
  double total = 0.0;
  for (double s : partial) total += s;
  return total / static_cast<double>(n);
}

}  // namespace polymorph

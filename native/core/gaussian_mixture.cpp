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
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr std::size_t kChunk = 1024;            // samples per partial sum (fixed: sums do not depend on threads)
constexpr double kEps = 2.220446049250313e-16;  // np.finfo(float64).eps
constexpr double kLog2Pi = 1.8378770664093454836;

std::size_t chunksOf(std::size_t n) { return (n + kChunk - 1) / kChunk; }
std::size_t padded(std::size_t d) { return (d + 3) & ~std::size_t(3); }

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

// log π_k + log N(x | k) for every k into w [K]; diff is scratch [dPad] (its tail stays zero).
POLYMORPH_ALWAYS_INLINE void weightedLogProb(const Prepared& p, const double* x, double* diff, double* y, double* w) {
  const std::size_t d = p.d, dp = p.dPad;
  const double constant = static_cast<double>(d) * kLog2Pi;
  for (std::size_t k = 0; k < p.K; ++k) {
    const double* mu = p.means.data() + k * dp;
    for (std::size_t j = 0; j < d; ++j) diff[j] = x[j] - mu[j];
    double q = 0.0;
    if (p.diag) {
      const double* P = p.P.data() + k * dp;
      for (std::size_t j = 0; j < d; ++j) {
        const double t = diff[j] * P[j];
        q += t * t;
      }
    } else {
      const double* P = p.P.data() + k * d * dp;
      for (std::size_t j = 0; j < dp; ++j) y[j] = 0.0;
      for (std::size_t l = 0; l < d; ++l) {
        const double dl = diff[l];
        const double* Pl = P + l * dp;
        for (std::size_t j = l & ~std::size_t(3); j < dp; ++j) y[j] += dl * Pl[j];
      }
      for (std::size_t j = 0; j < d; ++j) q += y[j] * y[j];
    }
    w[k] = (-0.5 * (constant + q) + p.logDet[k]) + p.logWeight[k];
  }
}

// E-step over samples [i0, i1): log p(x) (returned as a sum, and into logProb when given), labels,
// responsibilities into resp [n, K] (when given), and, when nk is given, the first moments
// nk [K] += Σ r, sums [K, d] += Σ r x.
POLYMORPH_CLONES double eStepRange(const Prepared& p, const double* X, std::size_t i0, std::size_t i1, double* resp,
                                   double* logProb, int32_t* labels, double* nk, double* sums) {
  const std::size_t K = p.K, d = p.d, dp = p.dPad;
  std::vector<double> scratch(2 * dp + 2 * K, 0.0);
  double* diff = scratch.data();
  double* y = diff + dp;
  double* w = y + dp;
  double* r = w + K;
  double total = 0.0;
  for (std::size_t i = i0; i < i1; ++i) {
    const double* x = X + i * d;
    weightedLogProb(p, x, diff, y, w);
    double top = w[0];
    std::size_t best = 0;
    for (std::size_t k = 1; k < K; ++k)
      if (w[k] > top) top = w[k], best = k;
    double s = 0.0;
    for (std::size_t k = 0; k < K; ++k) s += fastExp(w[k] - top);
    const double lp = std::log(s) + top;  // logsumexp
    total += lp;
    if (logProb) logProb[i] = lp;
    if (labels) labels[i] = static_cast<int32_t>(best);
    if (!resp && !nk) continue;
    for (std::size_t k = 0; k < K; ++k) r[k] = fastExp(w[k] - lp);  // exp(log resp)
    if (resp) std::copy(r, r + K, resp + i * K);
    if (nk) {
      for (std::size_t k = 0; k < K; ++k) {
        nk[k] += r[k];
        double* sk = sums + k * d;
        for (std::size_t j = 0; j < d; ++j) sk[j] += r[k] * x[j];
      }
    }
  }
  return total;
}

// scatter [K][d][dPad] (upper triangle; diag: [K][dPad]) += Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ over [i0, i1).
POLYMORPH_CLONES void scatterRange(const Prepared& p, const double* X, const double* resp, std::size_t i0, std::size_t i1,
                                   double* scatter) {
  const std::size_t K = p.K, d = p.d, dp = p.dPad;
  std::vector<double> diff(dp, 0.0);
  for (std::size_t i = i0; i < i1; ++i) {
    const double* x = X + i * d;
    for (std::size_t k = 0; k < K; ++k) {
      const double r = resp[i * K + k];
      const double* mu = p.means.data() + k * dp;
      for (std::size_t j = 0; j < d; ++j) diff[j] = x[j] - mu[j];
      if (p.diag) {
        double* S = scatter + k * dp;
        for (std::size_t j = 0; j < dp; ++j) S[j] += r * diff[j] * diff[j];
      } else {
        double* S = scatter + k * d * dp;
        for (std::size_t a = 0; a < d; ++a) {
          const double e = r * diff[a];
          double* row = S + a * dp;
          for (std::size_t b = a & ~std::size_t(3); b < dp; ++b) row[b] += e * diff[b];
        }
      }
    }
  }
}

// Partial sums of one fit, per chunk, and the responsibilities.
struct Workspace {
  std::size_t n = 0, d = 0, K = 0, dPad = 0, nChunks = 0;
  bool diag = false;
  std::vector<double> resp, chunkNk, chunkSums, chunkScatter, chunkLogProb;

  Workspace(std::size_t n_, std::size_t d_, std::size_t K_, CovarianceType type)
      : n(n_), d(d_), K(K_), dPad(padded(d_)), nChunks(chunksOf(n_)), diag(type == CovarianceType::Diag),
        resp(n_ * K_), chunkNk(nChunks * K_), chunkSums(nChunks * K_ * d_),
        chunkScatter(nChunks * K_ * (diag ? dPad : d_ * dPad)), chunkLogProb(nChunks) {}
};

// E-step of a fit: responsibilities and first moments per chunk; returns mean_n log p(x_n).
double eStep(const GaussianMixtureModel& model, const double* X, Workspace& ws) {
  const Prepared p = prepare(model);
  const std::size_t K = ws.K, d = ws.d, n = ws.n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (ws.nChunks > 1)
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(ws.nChunks); ++c) {
    double* nk = ws.chunkNk.data() + c * K;
    double* sums = ws.chunkSums.data() + c * K * d;
    std::fill(nk, nk + K, 0.0);
    std::fill(sums, sums + K * d, 0.0);
    ws.chunkLogProb[c] = eStepRange(p, X, c * kChunk, std::min(n, (c + 1) * kChunk), ws.resp.data(), nullptr, nullptr, nk, sums);
  }
  double total = 0.0;
  for (double s : ws.chunkLogProb) total += s;
  return total / static_cast<double>(n);
}

// First moments of fixed responsibilities ws.resp (the one-hot start), per chunk.
void firstMoments(const double* X, Workspace& ws) {
  const std::size_t K = ws.K, d = ws.d, n = ws.n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (ws.nChunks > 1)
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(ws.nChunks); ++c) {
    double* nk = ws.chunkNk.data() + c * K;
    double* sums = ws.chunkSums.data() + c * K * d;
    std::fill(nk, nk + K, 0.0);
    std::fill(sums, sums + K * d, 0.0);
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i)
      for (std::size_t k = 0; k < K; ++k) {
        const double r = ws.resp[i * K + k];
        nk[k] += r;
        for (std::size_t j = 0; j < d; ++j) sums[k * d + j] += r * X[i * d + j];
      }
  }
}

// M-step from the responsibilities and first moments in ws: weights (n_k / N at the start,
// normalised after an E-step), means, covariances, precision Cholesky factors.
void mStep(GaussianMixtureModel& model, const double* X, Workspace& ws, double regCovar, bool normalise) {
  const std::size_t K = ws.K, d = ws.d, dp = ws.dPad, n = ws.n;
  std::vector<double> nk(K, 0.0), sums(K * d, 0.0);
  for (std::size_t c = 0; c < ws.nChunks; ++c) {
    for (std::size_t k = 0; k < K; ++k) nk[k] += ws.chunkNk[c * K + k];
    for (std::size_t q = 0; q < K * d; ++q) sums[q] += ws.chunkSums[c * K * d + q];
  }
  for (double& v : nk) v += 10.0 * kEps;
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = 0; j < d; ++j) model.means[k * d + j] = sums[k * d + j] / nk[k];

  Prepared p;  // only the padded means are used by scatterRange
  p.K = K, p.d = d, p.dPad = dp, p.diag = ws.diag;
  p.means.assign(K * dp, 0.0);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = 0; j < d; ++j) p.means[k * dp + j] = model.means[k * d + j];
  const std::size_t block = ws.diag ? dp : d * dp;
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (ws.nChunks > 1)
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(ws.nChunks); ++c) {
    double* scatter = ws.chunkScatter.data() + c * K * block;
    std::fill(scatter, scatter + K * block, 0.0);
    scatterRange(p, X, ws.resp.data(), c * kChunk, std::min(n, (c + 1) * kChunk), scatter);
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
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads()) if (nChunks > 1)
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(nChunks); ++c)
    partial[c] = eStepRange(p, X, c * kChunk, std::min(n, (c + 1) * kChunk), proba, logProb, labels, nullptr, nullptr);
  double total = 0.0;
  for (double s : partial) total += s;
  return total / static_cast<double>(n);
}

}  // namespace polymorph

// Gaussian mixtures and k-means: the precision Cholesky factor against Σ⁻¹, EM steps against a
// plain implementation written from the formulas (Gauss–Jordan inverse and determinant, no
// chunks), bitwise thread independence, k-means on separated blobs, and the errors.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "core/gaussian_mixture.hpp"
#include "core/k_means.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {

using polymorph::CovarianceType;
using polymorph::GaussianMixtureModel;
constexpr double kLog2Pi = 1.8378770664093454836;

// n samples in d dimensions from K skewed Gaussian blobs (labels in `truth`).
std::vector<double> blobs(std::size_t n, std::size_t d, std::size_t K, double spread, unsigned seed,
                          std::vector<int32_t>* truth = nullptr) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> centres(K * d), A(K * d * d), X(n * d);
  for (double& c : centres) c = spread * normal(rng);
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b) A[(k * d + a) * d + b] = (a == b ? 1.0 : 0.0) + 0.3 * normal(rng);
  std::vector<double> z(d);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = i % K;
    if (truth) truth->push_back(static_cast<int32_t>(k));
    for (double& v : z) v = normal(rng);
    for (std::size_t a = 0; a < d; ++a) {
      double s = centres[k * d + a];
      for (std::size_t b = 0; b < d; ++b) s += A[(k * d + a) * d + b] * z[b];
      X[i * d + a] = s;
    }
  }
  return X;
}

// Inverse and log-determinant of a symmetric positive-definite matrix by Gauss–Jordan elimination.
double inverse(std::vector<double> A, std::size_t d, std::vector<double>& inv) {
  inv.assign(d * d, 0.0);
  for (std::size_t i = 0; i < d; ++i) inv[i * d + i] = 1.0;
  double logDet = 0.0;
  for (std::size_t c = 0; c < d; ++c) {
    const double pivot = A[c * d + c];
    logDet += std::log(pivot);
    for (std::size_t j = 0; j < d; ++j) A[c * d + j] /= pivot, inv[c * d + j] /= pivot;
    for (std::size_t r = 0; r < d; ++r) {
      if (r == c) continue;
      const double f = A[r * d + c];
      for (std::size_t j = 0; j < d; ++j) A[r * d + j] -= f * A[c * d + j], inv[r * d + j] -= f * inv[c * d + j];
    }
  }
  return logDet;
}

// One plain EM iteration (E-step with `m`, then M-step into `m`); returns mean log p(x).
double plainEmStep(GaussianMixtureModel& m, const std::vector<double>& X, std::size_t n, double reg) {
  const std::size_t K = m.nComponents, d = m.nFeatures;
  const bool diag = m.covarianceType == CovarianceType::Diag;
  std::vector<std::vector<double>> inv(K);
  std::vector<double> logDet(K), resp(n * K), full(d * d);
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b)
        full[a * d + b] = diag ? (a == b ? m.covariances[k * d + a] : 0.0) : m.covariances[(k * d + a) * d + b];
    logDet[k] = inverse(full, d, inv[k]);
  }
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> w(K);
    for (std::size_t k = 0; k < K; ++k) {
      double q = 0.0;
      for (std::size_t a = 0; a < d; ++a)
        for (std::size_t b = 0; b < d; ++b)
          q += (X[i * d + a] - m.means[k * d + a]) * inv[k][a * d + b] * (X[i * d + b] - m.means[k * d + b]);
      w[k] = std::log(m.weights[k]) - 0.5 * (d * kLog2Pi + logDet[k] + q);
    }
    const double top = *std::max_element(w.begin(), w.end());
    double s = 0.0;
    for (double v : w) s += std::exp(v - top);
    const double lp = top + std::log(s);
    total += lp;
    for (std::size_t k = 0; k < K; ++k) resp[i * K + k] = std::exp(w[k] - lp);
  }
  double sumNk = 0.0;
  for (std::size_t k = 0; k < K; ++k) {
    double nk = 10 * 2.220446049250313e-16;
    for (std::size_t i = 0; i < n; ++i) nk += resp[i * K + k];
    sumNk += nk;
    m.weights[k] = nk;
    for (std::size_t a = 0; a < d; ++a) {
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) s += resp[i * K + k] * X[i * d + a];
      m.means[k * d + a] = s / nk;
    }
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b) {
        if (diag && a != b) continue;
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i)
          s += resp[i * K + k] * (X[i * d + a] - m.means[k * d + a]) * (X[i * d + b] - m.means[k * d + b]);
        s = s / nk + (a == b ? reg : 0.0);
        if (diag) m.covariances[k * d + a] = s;
        else m.covariances[(k * d + a) * d + b] = s;
      }
  }
  for (double& v : m.weights) v /= sumNk;
  return total / static_cast<double>(n);
}

double maxDiff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = a.size() == b.size() ? 0.0 : INFINITY;
  for (std::size_t q = 0; q < std::min(a.size(), b.size()); ++q) m = std::max(m, std::fabs(a[q] - b[q]));
  return m;
}

GaussianMixtureModel startOf(const std::vector<double>& X, std::size_t n, std::size_t d, std::size_t K, CovarianceType type) {
  std::vector<int32_t> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = static_cast<int32_t>((i * 7 + i / 3) % K);  // poor, overlapping start
  return polymorph::parametersFromLabels(X.data(), n, d, labels.data(), K, type, 1e-6);
}

}  // namespace

TEST_CASE("gaussian_mixture: the precision Cholesky factor P is upper-triangular with P Pᵀ = Σ⁻¹") {
  const std::size_t n = 300, d = 5, K = 2;
  const auto X = blobs(n, d, K, 3.0, 11);
  for (CovarianceType type : {CovarianceType::Full, CovarianceType::Diag}) {
    GaussianMixtureModel m = startOf(X, n, d, K, type);
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double> full(d * d, 0.0), inv, PPt(d * d, 0.0);
      for (std::size_t a = 0; a < d; ++a)
        for (std::size_t b = 0; b < d; ++b) {
          if (type == CovarianceType::Full) {
            full[a * d + b] = m.covariances[(k * d + a) * d + b];
            for (std::size_t c = 0; c < d; ++c)
              PPt[a * d + b] += m.precisionsCholesky[(k * d + a) * d + c] * m.precisionsCholesky[(k * d + b) * d + c];
            if (a > b) CHECK(m.precisionsCholesky[(k * d + a) * d + b] == 0.0);
          } else if (a == b) {
            full[a * d + a] = m.covariances[k * d + a];
            PPt[a * d + a] = m.precisionsCholesky[k * d + a] * m.precisionsCholesky[k * d + a];
          }
        }
      inverse(full, d, inv);
      CHECK(maxDiff(PPt, inv) < 1e-10);
    }
  }
}

TEST_CASE("gaussian_mixture: EM steps and scores match a plain implementation (full and diag; d = 4, 13, 35)") {
  struct Case {
    std::size_t n, d, K;
  };
  // several chunks with a ragged last one and an odd sample count; an odd d; d > 32 (run-time widths)
  for (const Case c : {Case{2501, 4, 3}, Case{700, 13, 2}, Case{301, 35, 2}})
  for (CovarianceType type : {CovarianceType::Full, CovarianceType::Diag}) {
    const std::size_t n = c.n, d = c.d, K = c.K;
    const auto X = blobs(n, d, K, 2.0, 5);
    GaussianMixtureModel start = startOf(X, n, d, K, type);
    GaussianMixtureModel plain = start;
    polymorph::GaussianMixtureOptions o;
    o.nComponents = K, o.covarianceType = type, o.maxIter = 4, o.tol = 0.0;
    const auto fit = polymorph::fitGaussianMixtureFrom(X.data(), n, d, o, start);
    CHECK(fit.nIter == 4 && !fit.converged && fit.lowerBounds.size() == 4);
    for (int t = 0; t < 4; ++t) CHECK_NEAR(fit.lowerBounds[t], plainEmStep(plain, X, n, 1e-6), 1e-12);
    CHECK(fit.lowerBound == fit.lowerBounds.back());
    CHECK(maxDiff(fit.model.weights, plain.weights) < 1e-12);
    CHECK(maxDiff(fit.model.means, plain.means) < 1e-11);
    CHECK(maxDiff(fit.model.covariances, plain.covariances) < 1e-11);
    CHECK(fit.lowerBounds[3] > fit.lowerBounds[0]);  // EM never decreases the likelihood

    // scores with the final parameters: log p(x) = log Σ_k π_k N(x | k), responsibilities, labels
    std::vector<double> logProb(n), proba(n * K);
    std::vector<int32_t> labels(n);
    const double mean = polymorph::scoreGaussianMixture(fit.model, X.data(), n, logProb.data(), proba.data(), labels.data());
    GaussianMixtureModel check = fit.model;
    CHECK_NEAR(mean, plainEmStep(check, X, n, 1e-6), 1e-12);
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      sum += logProb[i];
      double rows = 0.0;
      std::size_t best = 0;
      for (std::size_t k = 0; k < K; ++k) {
        rows += proba[i * K + k];
        if (proba[i * K + k] > proba[i * K + best]) best = k;
      }
      CHECK_NEAR(rows, 1.0, 1e-14);
      CHECK(static_cast<std::size_t>(labels[i]) == best);
    }
    CHECK_NEAR(sum / n, mean, 1e-12);
  }
}

TEST_CASE("gaussian_mixture: fits are bitwise identical on 1 and 2 threads, and reproducible by seed") {
  // large enough for every pass (k-means++ candidates, Lloyd, E-step, scatter) to run in parallel
  const std::size_t n = 120000, d = 6, K = 4;
  const auto X = blobs(n, d, K, 1.5, 8);
  polymorph::GaussianMixtureOptions o;
  o.nComponents = K, o.nInit = 2, o.seed = 3;
  const int before = polymorph::numThreads();
  polymorph::setNumThreads(1);
  const auto one = polymorph::fitGaussianMixture(X.data(), n, d, o);
  polymorph::setNumThreads(2);
  const auto two = polymorph::fitGaussianMixture(X.data(), n, d, o);
  const auto again = polymorph::fitGaussianMixture(X.data(), n, d, o);
  polymorph::setNumThreads(before);
  CHECK(one.nIter > 1);
  for (const auto* f : {&two, &again}) {
    CHECK(f->model.means == one.model.means);
    CHECK(f->model.covariances == one.model.covariances);
    CHECK(f->model.weights == one.model.weights);
    CHECK(f->lowerBounds == one.lowerBounds);
  }
  o.seed = 4;
  const auto other = polymorph::fitGaussianMixture(X.data(), n, d, o);
  CHECK(other.converged);
}

TEST_CASE("k_means: k-means++ and Lloyd recover separated blobs; seeds reproduce") {
  const std::size_t n = 3000, d = 3, K = 5;
  std::vector<int32_t> truth;
  const auto X = blobs(n, d, K, 25.0, 2, &truth);
  polymorph::Random rng(9);
  const auto r = polymorph::kMeans(X.data(), n, d, K, rng);
  // the same partition up to relabelling
  std::vector<int32_t> map(K, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (map[truth[i]] < 0) map[truth[i]] = r.labels[i];
    CHECK(map[truth[i]] == r.labels[i]);
  }
  std::sort(map.begin(), map.end());
  for (std::size_t k = 0; k < K; ++k) CHECK(map[k] == static_cast<int32_t>(k));
  CHECK(r.strictConvergence);
  polymorph::Random same(9);
  CHECK(polymorph::kMeans(X.data(), n, d, K, same).labels == r.labels);
}

TEST_CASE("k_means: an empty cluster takes the farthest sample") {
  // two tight groups and a far outlier; start with a centre nobody is nearest to
  const std::size_t d = 1;
  std::vector<double> X = {0.0, 0.1, 0.2, 10.0, 10.1, 10.2, 50.0};
  const auto r = polymorph::lloyd(X.data(), X.size(), d, 3, {0.1, 10.1, -1000.0}, 300, 0.0);
  CHECK(r.labels[6] == 2);
  CHECK_NEAR(r.centres[2], 50.0, 1e-12);
  CHECK(r.labels[0] == 0 && r.labels[3] == 1);
}

TEST_CASE("gaussian_mixture: bad input and ill-defined covariances are E_VALUE / E_SHAPE") {
  const std::size_t d = 2;
  std::vector<double> X = {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1};  // two points, each three times
  polymorph::GaussianMixtureOptions o;
  o.nComponents = 2, o.regCovar = 0.0;
  CHECK_THROWS_CODE(polymorph::fitGaussianMixture(X.data(), 6, d, o), "E_VALUE");  // collapsed: Σ = 0
  o.regCovar = 1e-6;
  const auto fit = polymorph::fitGaussianMixture(X.data(), 6, d, o);  // regularised: fine
  CHECK(fit.converged);
  o.nComponents = 7;
  CHECK_THROWS_CODE(polymorph::fitGaussianMixture(X.data(), 6, d, o), "E_VALUE");  // n < K
  o.nComponents = 1;
  CHECK_THROWS_CODE(polymorph::fitGaussianMixture(X.data(), 0, d, o), "E_SHAPE");
  X[3] = NAN;
  CHECK_THROWS_CODE(polymorph::fitGaussianMixture(X.data(), 6, d, o), "E_VALUE");
  GaussianMixtureModel start;
  start.nComponents = 1, start.nFeatures = 2;
  start.weights = {1.0}, start.means = {0, 0}, start.covariances = {1, 2, 2, 1};  // indefinite
  X[3] = 1.0;
  CHECK_THROWS_CODE(polymorph::fitGaussianMixtureFrom(X.data(), 6, d, o, start), "E_VALUE");
  start.covarianceType = CovarianceType::Diag;
  CHECK_THROWS_CODE(polymorph::fitGaussianMixtureFrom(X.data(), 6, d, o, start), "E_SHAPE");
}

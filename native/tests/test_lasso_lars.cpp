// LassoLars pieces: blocked Gram and cross products against naive sums (and thread-independence),
// Cholesky append/delete/solve against direct factorisations, and a tiny path checked by its
// Lasso optimality conditions.
#include <cmath>
#include <random>
#include <vector>

#include "core/lasso_lars.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {

std::vector<double> randomMatrix(std::size_t n, std::size_t p, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.5, 1.0);
  std::vector<double> X(n * p);
  for (double& x : X) x = normal(rng);
  return X;
}

// Plain Cholesky of the k×k leading block of G [p, p] into L (ld = k).
std::vector<double> cholesky(const std::vector<double>& G, std::size_t p, const std::vector<std::size_t>& idx) {
  const std::size_t k = idx.size();
  std::vector<double> L(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      double s = G[idx[i] * p + idx[j]];
      for (std::size_t q = 0; q < j; ++q) s -= L[i * k + q] * L[j * k + q];
      L[i * k + j] = i == j ? std::sqrt(s) : s / L[j * k + j];
    }
  return L;
}

}  // namespace

TEST_CASE("lasso_lars: blocked centred Gram and cross product match naive sums, any thread count") {
  const std::size_t n = 137, p = 150;  // several 64-column tiles, a ragged last one
  const auto X = randomMatrix(n, p, 3);
  std::vector<double> y(n);
  for (std::size_t r = 0; r < n; ++r) y[r] = std::sin(0.1 * static_cast<double>(r)) + 2.0;
  const auto mean = polymorph::columnMeans(X.data(), n, p);
  std::vector<double> G(p * p), c(p);
  polymorph::setNumThreads(1);
  polymorph::centredGram(X.data(), n, p, mean.data(), G.data());
  polymorph::centredCrossProduct(X.data(), y.data(), n, p, mean.data(), 2.0, c.data());
  for (std::size_t i = 0; i < p; i += 7)
    for (std::size_t j = 0; j < p; j += 5) {
      double s = 0.0;
      for (std::size_t r = 0; r < n; ++r) s += (X[r * p + i] - mean[i]) * (X[r * p + j] - mean[j]);
      CHECK_NEAR(G[i * p + j], s, 1e-11);
      CHECK(G[i * p + j] == G[j * p + i]);
    }
  for (std::size_t j = 0; j < p; ++j) {
    double s = 0.0;
    for (std::size_t r = 0; r < n; ++r) s += (X[r * p + j] - mean[j]) * (y[r] - 2.0);
    CHECK_NEAR(c[j], s, 1e-11);
  }
  std::vector<double> G2(p * p), c2(p);
  polymorph::setNumThreads(2);
  polymorph::centredGram(X.data(), n, p, mean.data(), G2.data());
  polymorph::centredCrossProduct(X.data(), y.data(), n, p, mean.data(), 2.0, c2.data());
  CHECK(G == G2);
  CHECK(c == c2);
}

TEST_CASE("lasso_lars: Cholesky append builds the factor, delete removes a row/column, solve inverts") {
  const std::size_t n = 40, p = 8;
  const auto X = randomMatrix(n, p, 11);
  std::vector<double> G(p * p);
  polymorph::centredGram(X.data(), n, p, nullptr, G.data());
  const std::size_t ld = p;
  std::vector<double> L(ld * ld, 0.0);
  for (std::size_t k = 0; k < p; ++k) polymorph::choleskyAppend(L.data(), ld, k, G.data() + k * p, G[k * p + k], 1e-16);
  std::vector<std::size_t> all{0, 1, 2, 3, 4, 5, 6, 7};
  const auto direct = cholesky(G, p, all);
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t j = 0; j <= i; ++j) CHECK_NEAR(L[i * ld + j], direct[i * p + j], 1e-10);
  polymorph::choleskyDelete(L.data(), ld, p, 2);
  std::vector<std::size_t> kept{0, 1, 3, 4, 5, 6, 7};
  const auto reduced = cholesky(G, p, kept);
  for (std::size_t i = 0; i < kept.size(); ++i)
    for (std::size_t j = 0; j <= i; ++j) CHECK_NEAR(L[i * ld + j], reduced[i * kept.size() + j], 1e-10);
  std::vector<double> b{1, -1, 1, 1, -1, 1, -1};
  auto x = b;
  polymorph::choleskySolve(L.data(), ld, kept.size(), x.data());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    double s = 0.0;
    for (std::size_t j = 0; j < kept.size(); ++j) s += G[kept[i] * p + kept[j]] * x[j];
    CHECK_NEAR(s, b[i], 1e-10);
  }
}

TEST_CASE("lasso_lars: a path ends at alpha and satisfies the Lasso optimality conditions") {
  const std::size_t n = 60, p = 10;
  const auto X = randomMatrix(n, p, 5);
  std::vector<double> y(n);
  for (std::size_t r = 0; r < n; ++r) y[r] = 2.0 * X[r * p] - 1.5 * X[r * p + 3] + 0.1 * std::cos(static_cast<double>(r));
  auto c = polymorph::centredProducts(X.data(), y.data(), n, p, true);
  polymorph::LarsProblem problem;
  problem.gram = c.gram.data();
  problem.xty = c.xty.data();
  problem.nSamples = n;
  problem.nFeatures = p;
  problem.alphaMin = 0.05;
  auto path = polymorph::larsPath(problem);
  CHECK(path.alphas.size() == static_cast<std::size_t>(path.nIter) + 1);
  CHECK(path.alphas.back() == 0.05);
  const double* w = path.coefs.data() + (path.alphas.size() - 1) * p;
  for (std::size_t j = 0; j < p; ++j) {
    double g = c.xty[j];
    for (std::size_t i = 0; i < p; ++i) g -= c.gram[j * p + i] * w[i];
    g /= static_cast<double>(n);
    if (w[j] != 0.0) CHECK_NEAR(g, 0.05 * (w[j] > 0 ? 1.0 : -1.0), 1e-10);
    else CHECK(std::fabs(g) <= 0.05 + 1e-10);
  }
}

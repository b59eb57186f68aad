// Non-negative least squares (Lawson–Hanson on the normal equations): the KKT conditions on
// random problems with active bounds, agreement with unconstrained least squares when that
// solution is positive, a rank-deficient Gram matrix, and input errors.
#include <cmath>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "core/non_negative_least_squares.hpp"
#include "tests/test.hpp"

namespace {

struct Problem {
  std::vector<double> gram, xty;
  std::size_t p = 0;
};

// G = XᵀX, c = Xᵀy for X [n, p] and y [n].
Problem normalEquations(const std::vector<double>& X, const std::vector<double>& y, std::size_t n, std::size_t p) {
  Problem q;
  q.p = p;
  q.gram.assign(p * p, 0.0);
  q.xty.assign(p, 0.0);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t i = 0; i < p; ++i) {
      q.xty[i] += X[r * p + i] * y[r];
      for (std::size_t j = 0; j < p; ++j) q.gram[i * p + j] += X[r * p + i] * X[r * p + j];
    }
  return q;
}

// max over j of the KKT violation, relative to max |c|: w_j < 0, or gradient g_j = c_j − (G w)_j
// positive at w_j = 0, or non-zero at w_j > 0.
double kktViolation(const Problem& q, const std::vector<double>& w) {
  double scale = 0.0, worst = 0.0;
  for (double c : q.xty) scale = std::max(scale, std::fabs(c));
  for (std::size_t j = 0; j < q.p; ++j) {
    double g = q.xty[j];
    for (std::size_t k = 0; k < q.p; ++k) g -= q.gram[j * q.p + k] * w[k];
    if (w[j] < 0.0) worst = std::max(worst, -w[j]);
    worst = std::max(worst, (w[j] > 0.0 ? std::fabs(g) : std::max(g, 0.0)) / scale);
  }
  return worst;
}

}  // namespace

TEST_CASE("non-negative least squares: KKT conditions on random problems with active bounds") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t n = 60, p = 3 + trial % 12;
    std::vector<double> X(n * p), y(n);
    for (double& x : X) x = normal(rng);
    for (double& v : y) v = normal(rng);  // no positive structure: many bounds active
    const Problem q = normalEquations(X, y, n, p);
    const std::vector<double> w = polymorph::nonNegativeLeastSquares(q.gram.data(), q.xty.data(), p);
    CHECK(kktViolation(q, w) < 1e-10);
    int zeros = 0;
    for (double v : w) zeros += v == 0.0;
    if (trial == 19) CHECK(zeros > 0);
  }
}

TEST_CASE("non-negative least squares: equals least squares when that solution is positive") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  const std::size_t n = 80, p = 6;
  const double truth[p] = {1.0, 0.5, 2.0, 0.25, 1.5, 0.75};
  std::vector<double> X(n * p), y(n);
  for (double& x : X) x = normal(rng);
  for (std::size_t r = 0; r < n; ++r) {
    y[r] = 0.01 * normal(rng);
    for (std::size_t j = 0; j < p; ++j) y[r] += X[r * p + j] * truth[j];
  }
  const Problem q = normalEquations(X, y, n, p);
  const std::vector<double> w = polymorph::nonNegativeLeastSquares(q.gram.data(), q.xty.data(), p);
  // Unconstrained solution by Gauss–Jordan on the normal equations.
  std::vector<double> A = q.gram, b = q.xty;
  for (std::size_t k = 0; k < p; ++k)
    for (std::size_t i = 0; i < p; ++i) {
      if (i == k) continue;
      const double f = A[i * p + k] / A[k * p + k];
      for (std::size_t j = 0; j < p; ++j) A[i * p + j] -= f * A[k * p + j];
      b[i] -= f * b[k];
    }
  for (std::size_t j = 0; j < p; ++j) {
    CHECK(w[j] > 0.0);
    CHECK_NEAR(w[j], b[j] / A[j * p + j], 1e-12);
    CHECK_NEAR(w[j], truth[j], 0.01);
  }
}

TEST_CASE("non-negative least squares: a duplicated column (singular Gram) still satisfies KKT") {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> normal(0.0, 1.0);
  const std::size_t n = 40, p = 4;
  std::vector<double> X(n * p), y(n);
  for (std::size_t r = 0; r < n; ++r) {
    X[r * p + 0] = normal(rng);
    X[r * p + 1] = normal(rng);
    X[r * p + 2] = X[r * p + 0];  // exact copy of column 0
    X[r * p + 3] = normal(rng);
    y[r] = 2.0 * X[r * p + 0] + X[r * p + 1] + 0.1 * normal(rng);
  }
  const Problem q = normalEquations(X, y, n, p);
  const std::vector<double> w = polymorph::nonNegativeLeastSquares(q.gram.data(), q.xty.data(), p);
  CHECK(kktViolation(q, w) < 1e-9);
  CHECK_NEAR(w[0] + w[2], 2.0, 0.1);
}

TEST_CASE("non-negative least squares: input errors") {
  const double gram[1] = {NAN}, xty[1] = {1.0};
  CHECK_THROWS_CODE(polymorph::nonNegativeLeastSquares(gram, xty, 1), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::nonNegativeLeastSquares(gram, xty, 0), "E_VALUE");
}

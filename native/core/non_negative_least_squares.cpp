#include "core/non_negative_least_squares.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace polymorph {
namespace {

// Solves G[P,P] z = c[P] by Cholesky (P: the passive set); false if G[P,P] is not positive definite.
bool solvePassive(const double* G, const double* c, std::size_t p, const std::vector<std::size_t>& P,
                  std::vector<double>& L, std::vector<double>& z) {
  const std::size_t k = P.size();
  L.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = G[P[i] * p + P[j]];
      for (std::size_t q = 0; q < j; ++q) s -= L[i * k + q] * L[j * k + q];
      if (i == j) {
        if (!(s > 0.0)) return false;
        L[i * k + i] = std::sqrt(s);
      } else {
        L[i * k + j] = s / L[j * k + j];
      }
    }
  }
  std::vector<double> t(k);
  for (std::size_t i = 0; i < k; ++i) {
    double s = c[P[i]];
    for (std::size_t q = 0; q < i; ++q) s -= L[i * k + q] * t[q];
    t[i] = s / L[i * k + i];
  }
  z.assign(k, 0.0);
  for (std::size_t i = k; i-- > 0;) {
    double s = t[i];
    for (std::size_t q = i + 1; q < k; ++q) s -= L[q * k + i] * z[q];
    z[i] = s / L[i * k + i];
  }
  return true;
}

}  // namespace

std::vector<double> nonNegativeLeastSquares(const double* gram, const double* xty, std::size_t p) {
  require(p > 0 && gram != nullptr && xty != nullptr, "E_VALUE", "non-negative least squares: empty problem");
  for (std::size_t k = 0; k < p * p; ++k) {
    require(std::isfinite(gram[k]), "E_VALUE", "non-negative least squares: the Gram matrix is not finite");
  }
  double gradientScale = 0.0;
  for (std::size_t k = 0; k < p; ++k) {
    require(std::isfinite(xty[k]), "E_VALUE", "non-negative least squares: Xᵀy is not finite");
    gradientScale = std::max(gradientScale, std::fabs(xty[k]));
  }
  constexpr double eps = 2.220446049250313e-16;
  // A zero variable enters only if its gradient exceeds this (round-off of c − G w).
  const double gradientTolerance = 1e3 * eps * static_cast<double>(p) * gradientScale;
  std::vector<double> w(p, 0.0), g(xty, xty + p), z, L;
  std::vector<char> passive(p, 0), excluded(p, 0);  // excluded: linearly dependent on the passive set
  std::vector<std::size_t> P;
  const std::size_t maxOuter = 3 * p + 10;
  for (std::size_t outer = 0;; ++outer) {
    std::size_t best = p;  // the zero variable with the largest gradient c − G w
    double top = gradientTolerance;
    for (std::size_t j = 0; j < p; ++j) {
      if (!passive[j] && !excluded[j] && g[j] > top) top = g[j], best = j;
    }
    if (best == p) break;
    require(outer < maxOuter, "E_CONVERGENCE", "non-negative least squares did not converge (" + std::to_string(p) + " variables)");
    passive[best] = 1;
    P.push_back(best);
    for (;;) {
      if (!solvePassive(gram, xty, p, P, L, z)) {  // G[P,P] singular: `best` depends on the others
        passive[best] = 0;
        excluded[best] = 1;
        P.pop_back();
        if (!P.empty()) solvePassive(gram, xty, p, P, L, z);
        else z.clear();
        break;
      }
      bool feasible = true;
      for (double v : z) feasible = feasible && v > 0.0;
      if (feasible) break;
      // Move from w towards z until the first passive variable reaches 0; those leave the set.
      double step = 1.0;
      for (std::size_t i = 0; i < P.size(); ++i) {
        if (z[i] <= 0.0) step = std::min(step, w[P[i]] / (w[P[i]] - z[i]));
      }
      double largest = 0.0;
      for (std::size_t i = 0; i < P.size(); ++i) {
        w[P[i]] += step * (z[i] - w[P[i]]);
        largest = std::max(largest, std::fabs(w[P[i]]));
      }
      std::vector<std::size_t> kept;
      for (std::size_t i = 0; i < P.size(); ++i) {
        if (w[P[i]] <= 10.0 * eps * largest) {
          w[P[i]] = 0.0;
          passive[P[i]] = 0;
        } else {
          kept.push_back(P[i]);
        }
      }
      P.swap(kept);
      if (P.empty()) {
        z.clear();
        break;
      }
    }
    std::fill(w.begin(), w.end(), 0.0);
    for (std::size_t i = 0; i < P.size(); ++i) w[P[i]] = z[i];
    for (std::size_t j = 0; j < p; ++j) {
      double s = xty[j];
      for (std::size_t q = 0; q < p; ++q) s -= gram[j * p + q] * w[q];
      g[j] = s;
    }
  }
  return w;
}

}  // namespace polymorph

// LassoLars: the Lasso regularisation path by least-angle regression, reproducing scikit-learn
// 1.2.1 `lars_path(method='lasso')` with a precomputed Gram matrix, step for step (see
// shared/specs/plip-lassolars.md, rules 1-9).
//
//   objective   (1/2n) ‖y − X w − b‖² + α ‖w‖₁
//
// Data are row-major: X [n, p], y [n]. The path is a list of breakpoints α_0 > α_1 > … with the
// coefficients w_k at each; between breakpoints w is linear in α. The path stops at α_min
// (interpolated onto it), after maxIter steps, when every feature is active, or early when α
// grows (round-off, sklearn's "early stopping").
//
// Example:
//   CentredProducts c = centredProducts(X, y, n, p, /*centre=*/true);
//   LarsProblem problem{c.gram.data(), c.xty.data(), n, p, /*alphaMin=*/0.01, 500, false};
//   LarsPath path = larsPath(problem);    // path.coefs row k = w at path.alphas[k]
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

// XᵀX and Xᵀy of the (optionally) column-centred data, and the means removed.
struct CentredProducts {
  std::vector<double> gram;   // [p, p] row-major, symmetric: (X − x̄)ᵀ(X − x̄)
  std::vector<double> xty;    // [p]: (X − x̄)ᵀ(y − ȳ)
  std::vector<double> xMean;  // [p]: column means x̄ (zeros without centring)
  double yMean = 0.0;         // ȳ (0 without centring)
};

// Column means of X [n, p] (sequential sums over rows).
std::vector<double> columnMeans(const double* X, std::size_t n, std::size_t p);

// Gram matrix G = (X − 1 meanᵀ)ᵀ (X − 1 meanᵀ) into `gram` [p, p]; `mean` may be null (no
// centring). Blocked over 64×64 column tiles, OpenMP-parallel over tiles; each entry is summed by
// one thread over the rows in order, so the result does not depend on the thread count.
void centredGram(const double* X, std::size_t n, std::size_t p, const double* mean, double* gram);

// c = (X − 1 meanᵀ)ᵀ (y − yMean) into `out` [p]; deterministic like centredGram.
void centredCrossProduct(const double* X, const double* y, std::size_t n, std::size_t p, const double* mean,
                         double yMean, double* out);

// Everything the path needs from X and y; `centre` subtracts column means (fit_intercept).
CentredProducts centredProducts(const double* X, const double* y, std::size_t n, std::size_t p, bool centre);

// Cholesky pieces on a row-major lower-triangular factor L with leading dimension `ld`, holding
// the factor of a k×k matrix in its top-left corner.
//
// choleskyAppend: given row = G[k, :k] and the diagonal entry c = G[k, k], forms the new row
// w = L⁻¹ row and the diagonal max(sqrt(|c − w·w|), eps) in row k; returns the diagonal.
double choleskyAppend(double* L, std::size_t ld, std::size_t k, const double* row, double c, double eps);
// choleskyDelete: the factor of G with row/column `index` removed (k → k − 1), by shifting the
// rows up and restoring the triangle with Givens rotations (positive diagonal).
void choleskyDelete(double* L, std::size_t ld, std::size_t k, std::size_t index);
// choleskySolve: solves L Lᵀ x = b in place (b [k] becomes x).
void choleskySolve(const double* L, std::size_t ld, std::size_t k, double* b);

struct LarsProblem {
  const double* gram = nullptr;  // [p, p] centred Gram matrix
  const double* xty = nullptr;   // [p] centred correlations Xᵀy
  std::size_t nSamples = 0;      // n (α = C / n)
  std::size_t nFeatures = 0;     // p
  double alphaMin = 0.0;         // stop at this α (≥ 0)
  int maxIter = 500;             // ≥ 1
  bool positive = false;         // restrict coefficients to w ≥ 0
  double eps = 2.220446049250313e-16;  // sklearn `eps` (Cholesky diagonal floor)
};

struct LarsPath {
  std::vector<double> alphas;   // [nAlphas], breakpoints (descending unless stopped early)
  std::vector<double> coefs;    // [nAlphas, p] row-major: row k = w at alphas[k]
  std::vector<int32_t> active;  // features active at the end, in order of entry
  int nIter = 0;                // LARS steps taken (= nAlphas − 1)
  int degenerate = 0;           // regressors skipped as degenerate (Cholesky diagonal < 1e-7)
  bool earlyStop = false;       // α increased between steps (round-off); the path stopped there
};

// The Lasso path (throws polymorph::Error E_VALUE on bad sizes or settings).
LarsPath larsPath(const LarsProblem& problem);

// Residual sum of squares ‖y_c − X_c w‖² for each row w of `coefs` [k, p], with X_c, y_c centred
// by `mean`, `yMean` (mean may be null). Parallel over rows of X in fixed chunks, summed in order.
std::vector<double> residualSumsOfSquares(const double* X, const double* y, std::size_t n, std::size_t p,
                                          const double* mean, double yMean, const double* coefs, std::size_t k);

// Residual sum of squares of the ordinary least-squares fit of centred y on centred X (no
// intercept), by Householder QR: ‖y‖² minus the part of y in the span of the columns.
double leastSquaresResidual(const double* X, const double* y, std::size_t n, std::size_t p, const double* mean,
                            double yMean);

}  // namespace polymorph

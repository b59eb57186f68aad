// LassoLars path (scikit-learn 1.2.1 semantics), Cholesky updates, and deterministic blocked
// products. See lasso_lars.hpp.
#include "core/lasso_lars.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace polymorph {
namespace {

constexpr std::size_t kTile = 64;
constexpr double kTiny32 = 1.1754943508222875e-38;    // np.finfo(np.float32).tiny
constexpr double kEps32 = 1.1920928955078125e-07;     // np.finfo(np.float32).eps
constexpr double kFloatMax = 3.4028234663852886e+38;  // FLT_MAX, sklearn's min_pos start value

// sklearn arrayfuncs.min_pos: the smallest strictly positive entry, FLT_MAX if none.
double minPositive(const std::vector<double>& values) {
  double best = kFloatMax;
  for (double v : values)
    if (v > 0.0 && v < best) best = v;
  return best;
}

// np.around(x, 15): scale, round half to even, unscale.
double round15(double x) { return std::nearbyint(x * 1e15) / 1e15; }

double signOf(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }

// Swaps rows and columns a and b of the square row-major matrix G [p, p].
void swapSymmetric(std::vector<double>& G, std::size_t p, std::size_t a, std::size_t b) {
  if (a == b) return;
  for (std::size_t j = 0; j < p; ++j) std::swap(G[a * p + j], G[b * p + j]);
  for (std::size_t i = 0; i < p; ++i) std::swap(G[i * p + a], G[i * p + b]);
}

}  // namespace

std::vector<double> columnMeans(const double* X, std::size_t n, std::size_t p) {
  std::vector<double> mean(p, 0.0);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t j = 0; j < p; ++j) mean[j] += X[r * p + j];
  for (double& m : mean) m /= static_cast<double>(n);
  return mean;
}

void centredGram(const double* X, std::size_t n, std::size_t p, const double* mean, double* gram) {
  const std::size_t tiles = (p + kTile - 1) / kTile;
  const std::size_t pairs = tiles * (tiles + 1) / 2;
  const std::vector<double> zeros(mean ? 0 : p, 0.0);
  const double* m = mean ? mean : zeros.data();
#pragma omp parallel for schedule(dynamic, 1)
  for (std::ptrdiff_t t = 0; t < static_cast<std::ptrdiff_t>(pairs); ++t) {
    // tile pair (bi, bj) with bi <= bj, enumerated row by row of the upper triangle
    std::size_t bi = 0, rest = static_cast<std::size_t>(t);
    while (rest >= tiles - bi) rest -= tiles - bi++;
    const std::size_t bj = bi + rest;
    const std::size_t i0 = bi * kTile, i1 = std::min(p, i0 + kTile);
    const std::size_t j0 = bj * kTile, j1 = std::min(p, j0 + kTile);
    const std::size_t wi = i1 - i0, wj = j1 - j0;
    std::vector<double> acc(wi * wj, 0.0), xj(wj);
    for (std::size_t r = 0; r < n; ++r) {
      const double* row = X + r * p;
      for (std::size_t b = 0; b < wj; ++b) xj[b] = row[j0 + b] - m[j0 + b];
      for (std::size_t a = 0; a < wi; ++a) {
        const double xi = row[i0 + a] - m[i0 + a];
        double* out = acc.data() + a * wj;
        for (std::size_t b = 0; b < wj; ++b) out[b] += xi * xj[b];
      }
    }
    for (std::size_t a = 0; a < wi; ++a)
      for (std::size_t b = 0; b < wj; ++b) {
        gram[(i0 + a) * p + j0 + b] = acc[a * wj + b];
        gram[(j0 + b) * p + i0 + a] = acc[a * wj + b];
      }
  }
}

void centredCrossProduct(const double* X, const double* y, std::size_t n, std::size_t p, const double* mean,
                         double yMean, double* out) {
  const std::size_t tiles = (p + kTile - 1) / kTile;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::ptrdiff_t t = 0; t < static_cast<std::ptrdiff_t>(tiles); ++t) {
    const std::size_t j0 = static_cast<std::size_t>(t) * kTile, j1 = std::min(p, j0 + kTile);
    std::vector<double> acc(j1 - j0, 0.0);
    for (std::size_t r = 0; r < n; ++r) {
      const double yr = y[r] - yMean;
      const double* row = X + r * p;
      for (std::size_t j = j0; j < j1; ++j) acc[j - j0] += (row[j] - (mean ? mean[j] : 0.0)) * yr;
    }
    std::copy(acc.begin(), acc.end(), out + j0);
  }
}

CentredProducts centredProducts(const double* X, const double* y, std::size_t n, std::size_t p, bool centre) {
  require(n > 0 && p > 0, "E_SHAPE", "LassoLars: X must have at least one row and one column");
  CentredProducts c;
  c.xMean = centre ? columnMeans(X, n, p) : std::vector<double>(p, 0.0);
  if (centre) {
    double sum = 0.0;
    for (std::size_t r = 0; r < n; ++r) sum += y[r];
    c.yMean = sum / static_cast<double>(n);
  }
  c.gram.assign(p * p, 0.0);
  c.xty.assign(p, 0.0);
  centredGram(X, n, p, c.xMean.data(), c.gram.data());
  centredCrossProduct(X, y, n, p, c.xMean.data(), c.yMean, c.xty.data());
  return c;
}

double choleskyAppend(double* L, std::size_t ld, std::size_t k, const double* row, double c, double eps) {
  double* w = L + k * ld;
  for (std::size_t j = 0; j < k; ++j) {  // forward substitution L w = row
    double s = row[j];
    for (std::size_t i = 0; i < j; ++i) s -= L[j * ld + i] * w[i];
    w[j] = s / L[j * ld + j];
  }
  double v = 0.0;
  for (std::size_t j = 0; j < k; ++j) v += w[j] * w[j];
  const double diagonal = std::max(std::sqrt(std::fabs(c - v)), eps);
  w[k] = diagonal;
  return diagonal;
}

void choleskyDelete(double* L, std::size_t ld, std::size_t k, std::size_t index) {
  for (std::size_t i = index; i + 1 < k; ++i)  // row i ← row i + 1 (its first i + 2 entries)
    for (std::size_t j = 0; j < i + 2; ++j) L[i * ld + j] = L[(i + 1) * ld + j];
  for (std::size_t i = index; i + 1 < k; ++i) {  // rotate columns (i, i + 1) to zero L[i][i+1]
    const double a = L[i * ld + i], b = L[i * ld + i + 1];
    const double r = std::hypot(a, b);
    const double cs = r == 0.0 ? 1.0 : a / r, sn = r == 0.0 ? 0.0 : b / r;
    L[i * ld + i] = r;
    L[i * ld + i + 1] = 0.0;
    for (std::size_t j = i + 1; j + 1 < k; ++j) {
      const double x = L[j * ld + i], y = L[j * ld + i + 1];
      L[j * ld + i] = cs * x + sn * y;
      L[j * ld + i + 1] = cs * y - sn * x;
    }
  }
  for (std::size_t j = 0; j < k; ++j) L[(k - 1) * ld + j] = 0.0;
}

void choleskySolve(const double* L, std::size_t ld, std::size_t k, double* b) {
  for (std::size_t j = 0; j < k; ++j) {
    double s = b[j];
    for (std::size_t i = 0; i < j; ++i) s -= L[j * ld + i] * b[i];
    b[j] = s / L[j * ld + j];
  }
  for (std::size_t j = k; j-- > 0;) {
    double s = b[j];
    for (std::size_t i = j + 1; i < k; ++i) s -= L[i * ld + j] * b[i];
    b[j] = s / L[j * ld + j];
  }
}

namespace {

// State of one path computation; positions 0…nActive−1 of the permuted Gram are the active set,
// the rest the inactive one, exactly as sklearn swaps them.
class LarsSolver {
 public:
  explicit LarsSolver(const LarsProblem& pb)
      : pb_(pb), p_(pb.nFeatures), ld_(std::min<std::size_t>(static_cast<std::size_t>(pb.maxIter), pb.nFeatures)),
        gram_(pb.gram, pb.gram + p_ * p_), cov_(pb.xty, pb.xty + p_), indices_(p_), L_(ld_ * ld_, 0.0) {
    for (std::size_t j = 0; j < p_; ++j) indices_[j] = j;
    path_.alphas.push_back(0.0);
    path_.coefs.assign(p_, 0.0);
  }

  LarsPath run() {
    while (step()) {
    }
    path_.nIter = static_cast<int>(nIter_);
    path_.alphas.resize(nIter_ + 1);
    path_.coefs.resize((nIter_ + 1) * p_);
    return std::move(path_);
  }

 private:
  double* row(std::size_t k) { return path_.coefs.data() + k * p_; }

  // One pass of sklearn's loop; false when the path ends.
  bool step() {
    std::size_t best = p_;
    double cSigned = 0.0, C = 0.0;
    for (std::size_t k = nActive_; k < p_; ++k) {
      const double value = pb_.positive ? cov_[k] : std::fabs(cov_[k]);
      if (best == p_ || value > C) {
        best = k;
        C = value;
      }
    }
    if (best != p_) cSigned = cov_[best];
    const double prevAlpha = nIter_ > 0 ? path_.alphas[nIter_ - 1] : 0.0;
    double& alpha = path_.alphas[nIter_];
    alpha = C / static_cast<double>(pb_.nSamples);
    if (alpha <= pb_.alphaMin + kEps32) {
      if (std::fabs(alpha - pb_.alphaMin) > kEps32) {
        if (nIter_ > 0) {
          const double ss = (prevAlpha - pb_.alphaMin) / (prevAlpha - alpha);
          double* w = row(nIter_);
          const double* w0 = row(nIter_ - 1);
          for (std::size_t j = 0; j < p_; ++j) w[j] = w0[j] + ss * (w[j] - w0[j]);
        }
        alpha = pb_.alphaMin;
      }
      return false;
    }
    if (nIter_ >= static_cast<std::size_t>(pb_.maxIter) || nActive_ >= p_) return false;
    if (!drop_ && !addVariable(best, cSigned)) return true;  // degenerate: skipped, look again
    if (nIter_ > 0 && prevAlpha < alpha) {
      path_.earlyStop = true;
      return false;
    }
    advance(C);
    return true;
  }

  // Moves the variable at position `at` into the active set (rule 4); false if degenerate.
  bool addVariable(std::size_t at, double cSigned) {
    const std::size_t m = nActive_;
    const double s = pb_.positive ? 1.0 : signOf(cSigned);
    std::swap(cov_[at], cov_[m]);
    std::swap(indices_[at], indices_[m]);
    swapSymmetric(gram_, p_, m, at);
    const double diagonal = choleskyAppend(L_.data(), ld_, m, gram_.data() + m * p_, gram_[m * p_ + m], pb_.eps);
    if (diagonal < 1e-7) {
      // sklearn zeroes this correlation and swaps the correlations back, but not the Gram or the
      // indices; reproduced as is.
      cov_[m] = 0.0;
      std::swap(cov_[at], cov_[m]);
      ++path_.degenerate;
      return false;
    }
    path_.active.push_back(static_cast<int32_t>(indices_[m]));
    sign_.push_back(s);
    ++nActive_;
    return true;
  }

  // Equiangular direction (rule 5), step length (6, 7), update (8).
  void advance(double C) {
    const std::size_t k = nActive_;
    std::vector<double> x(sign_.begin(), sign_.end());
    choleskySolve(L_.data(), ld_, k, x.data());
    double AA;
    if (k == 1 && x[0] == 0.0) {
      x[0] = 1.0;
      AA = 1.0;
    } else {
      AA = 1.0 / std::sqrt(dot(x, sign_));
      for (int i = 0; !std::isfinite(AA); ++i) {  // L too ill-conditioned: add 2^i eps to its diagonal
        std::vector<double> L(L_);
        for (std::size_t j = 0; j < k; ++j) L[j * ld_ + j] += std::ldexp(pb_.eps, i);
        x.assign(sign_.begin(), sign_.end());
        choleskySolve(L.data(), ld_, k, x.data());
        AA = 1.0 / std::sqrt(std::max(dot(x, sign_), pb_.eps));
      }
      for (double& v : x) v *= AA;
    }
    std::vector<double> a(p_ - k, 0.0);  // a_j = G[A, j]·δ for inactive j, rounded to 15 decimals
    for (std::size_t j = k; j < p_; ++j) {
      double s = 0.0;
      for (std::size_t i = 0; i < k; ++i) s += gram_[i * p_ + j] * x[i];
      a[j - k] = round15(s);
    }
    std::vector<double> q(p_ - k);
    for (std::size_t j = k; j < p_; ++j) q[j - k] = (C - cov_[j]) / (AA - a[j - k] + kTiny32);
    double gamma = std::min(minPositive(q), C / AA);
    if (!pb_.positive) {
      for (std::size_t j = k; j < p_; ++j) q[j - k] = (C + cov_[j]) / (AA + a[j - k] + kTiny32);
      gamma = std::min(gamma, minPositive(q));
    }
    const double* w = row(nIter_);
    std::vector<double> z(k);
    for (std::size_t i = 0; i < k; ++i) z[i] = -w[path_.active[i]] / (x[i] + kTiny32);
    const double zMin = minPositive(z);
    std::vector<std::size_t> dropped;  // positions, descending
    drop_ = false;
    if (zMin < gamma) {
      for (std::size_t i = k; i-- > 0;)
        if (z[i] == zMin) dropped.push_back(i);
      gamma = zMin;
      drop_ = true;
    }
    ++nIter_;
    path_.alphas.push_back(0.0);
    path_.coefs.resize((nIter_ + 1) * p_, 0.0);
    double* next = row(nIter_);
    const double* prev = row(nIter_ - 1);
    for (std::size_t i = 0; i < k; ++i) next[path_.active[i]] = prev[path_.active[i]] + gamma * x[i];
    for (std::size_t j = k; j < p_; ++j) cov_[j] -= gamma * a[j - k];
    if (drop_) dropVariables(dropped, next);
  }

  // Removes the variables at `positions` (descending) from the active set; their correlations are
  // recomputed from the original Gram with the new coefficients (a dropped one keeps its ~1e-16
  // value in this row).
  void dropVariables(const std::vector<std::size_t>& positions, const double* w) {
    for (std::size_t at : positions) {
      choleskyDelete(L_.data(), ld_, nActive_, at);
      --nActive_;
      for (std::size_t i = at; i < nActive_; ++i) {
        std::swap(indices_[i], indices_[i + 1]);
        swapSymmetric(gram_, p_, i, i + 1);
      }
      path_.active.erase(path_.active.begin() + static_cast<std::ptrdiff_t>(at));
      sign_.erase(sign_.begin() + static_cast<std::ptrdiff_t>(at));
    }
    for (std::size_t pos = nActive_; pos < nActive_ + positions.size(); ++pos) {
      const std::size_t j = indices_[pos];
      double s = 0.0;
      for (std::size_t i = 0; i < p_; ++i) s += pb_.gram[j * p_ + i] * w[i];
      cov_[pos] = pb_.xty[j] - s;
    }
  }

  static double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
  }

  const LarsProblem& pb_;
  std::size_t p_, ld_;
  std::vector<double> gram_, cov_;
  std::vector<std::size_t> indices_;
  std::vector<double> L_, sign_;
  std::size_t nActive_ = 0, nIter_ = 0;
  bool drop_ = false;
  LarsPath path_;
};

}  // namespace

LarsPath larsPath(const LarsProblem& problem) {
  require(problem.gram && problem.xty && problem.nFeatures > 0 && problem.nSamples > 0, "E_SHAPE",
          "LassoLars: empty problem (no samples or no features)");
  require(std::isfinite(problem.alphaMin) && problem.alphaMin >= 0.0, "E_VALUE",
          "LassoLars: alpha must be finite and >= 0, got " + std::to_string(problem.alphaMin));
  require(problem.maxIter >= 1, "E_VALUE", "LassoLars: maxIter must be >= 1");
  return LarsSolver(problem).run();
}

std::vector<double> residualSumsOfSquares(const double* X, const double* y, std::size_t n, std::size_t p,
                                          const double* mean, double yMean, const double* coefs, std::size_t k) {
  constexpr std::size_t kChunk = 256;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> partial(chunks * k, 0.0);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(chunks); ++c) {
    const std::size_t r0 = static_cast<std::size_t>(c) * kChunk, r1 = std::min(n, r0 + kChunk);
    std::vector<double> xr(p);
    for (std::size_t r = r0; r < r1; ++r) {
      for (std::size_t j = 0; j < p; ++j) xr[j] = X[r * p + j] - (mean ? mean[j] : 0.0);
      for (std::size_t q = 0; q < k; ++q) {
        double fit = 0.0;
        for (std::size_t j = 0; j < p; ++j) fit += xr[j] * coefs[q * p + j];
        const double e = y[r] - yMean - fit;
        partial[static_cast<std::size_t>(c) * k + q] += e * e;
      }
    }
  }
  std::vector<double> rss(k, 0.0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t q = 0; q < k; ++q) rss[q] += partial[c * k + q];
  return rss;
}

double leastSquaresResidual(const double* X, const double* y, std::size_t n, std::size_t p, const double* mean,
                            double yMean) {
  require(n > p, "E_VALUE", "least squares residual needs more samples than features");
  // column-major centred copy A [n, p] and b [n]
  std::vector<double> A(n * p), b(n);
  for (std::size_t r = 0; r < n; ++r) {
    b[r] = y[r] - yMean;
    for (std::size_t j = 0; j < p; ++j) A[j * n + r] = X[r * p + j] - (mean ? mean[j] : 0.0);
  }
  std::vector<double> v(n);
  for (std::size_t j = 0; j < p; ++j) {  // Householder reflection of column j, rows j…n−1
    double* col = A.data() + j * n;
    double norm = 0.0;
    for (std::size_t r = j; r < n; ++r) norm += col[r] * col[r];
    norm = std::sqrt(norm);
    if (norm == 0.0) continue;
    const double alpha = col[j] > 0 ? -norm : norm;
    for (std::size_t r = j; r < n; ++r) v[r] = col[r];
    v[j] -= alpha;
    double vv = 0.0;
    for (std::size_t r = j; r < n; ++r) vv += v[r] * v[r];
    if (vv == 0.0) continue;
#pragma omp parallel for schedule(static)
    for (std::ptrdiff_t q = static_cast<std::ptrdiff_t>(j); q < static_cast<std::ptrdiff_t>(p) + 1; ++q) {
      double* target = q < static_cast<std::ptrdiff_t>(p) ? A.data() + static_cast<std::size_t>(q) * n : b.data();
      double s = 0.0;
      for (std::size_t r = j; r < n; ++r) s += v[r] * target[r];
      const double f = 2.0 * s / vv;
      for (std::size_t r = j; r < n; ++r) target[r] -= f * v[r];
    }
  }
  double rss = 0.0;
  for (std::size_t r = p; r < n; ++r) rss += b[r] * b[r];
  return rss;
}

}  // namespace polymorph

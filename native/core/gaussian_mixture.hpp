// Gaussian mixture models fitted by expectation–maximisation, reproducing scikit-learn 1.2.1
// `GaussianMixture` (covariance_type 'full' or 'diag', init_params='kmeans'); the semantics are
// in shared/specs/gmm.md.
//
//   p(x) = Σ_k π_k N(x | μ_k, Σ_k)
//   log N(x | μ, Σ) = −½ [d log 2π + ‖(x − μ)ᵀ P‖²] + Σ_i log P_ii,   Σ⁻¹ = P Pᵀ
//
// P_k, the "precision Cholesky" factor, is upper-triangular: P = (L⁻¹)ᵀ with Σ = L Lᵀ (full), or
// the vector 1/√σ²_j (diag). Shapes (row-major): X [n, d], weights [K], means [K, d], covariances
// and precisionsCholesky [K, d, d] (full) or [K, d] (diag), responsibilities [n, K].
//
// EM (one initialisation):
//   parameters from responsibilities r [n, K] ("M-step"):
//     n_k = Σ_n r_nk + 10 ε,  μ_k = Σ_n r_nk x_n / n_k,
//     Σ_k = Σ_n r_nk (x_n − μ_k)(x_n − μ_k)ᵀ / n_k + regCovar · I   (diag: the diagonal only),
//     π_k = n_k / N after the initialisation, n_k / Σ n_k after an EM step;
//   iteration t = 1…maxIter: E-step with the current parameters gives r and
//     lowerBound_t = mean_n log p(x_n)  (the parameters *before* this iteration's M-step);
//     M-step; stop (converged) when |lowerBound_t − lowerBound_{t−1}| < tol.
//   A Cholesky factorisation that fails (a covariance not positive definite) is the error
//   E_VALUE "ill-defined empirical covariance … increase regCovar", as in scikit-learn.
// fit: nInit initialisations, each from the labels of k-means (k_means.hpp; one random stream
// for all of them); the one with the highest final lower bound is kept (the first on ties).
//
// Threads: the samples are cut into fixed chunks; per-chunk partial sums (n_k, Σ r x, Σ r x xᵀ,
// Σ log p) are added in chunk order, so results are bitwise identical for any thread count.
//
// Example:
//   GaussianMixtureOptions o;  o.nComponents = 3;  o.nInit = 10;  o.seed = 1;
//   GaussianMixtureFit f = fitGaussianMixture(X, n, d, o);
//   std::vector<double> logProb(n), proba(n * 3);
//   double score = scoreGaussianMixture(f.model, X, n, logProb.data(), proba.data(), nullptr);
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

enum class CovarianceType { Full, Diag };

// A mixture's parameters (see the shapes above).
struct GaussianMixtureModel {
  std::size_t nComponents = 0;
  std::size_t nFeatures = 0;
  CovarianceType covarianceType = CovarianceType::Full;
  std::vector<double> weights;
  std::vector<double> means;
  std::vector<double> covariances;
  std::vector<double> precisionsCholesky;
};

struct GaussianMixtureOptions {
  std::size_t nComponents = 1;
  CovarianceType covarianceType = CovarianceType::Full;
  int nInit = 1;            // ≥ 1 initialisations (fit only)
  int maxIter = 100;        // ≥ 1 EM iterations per initialisation
  double tol = 1e-3;        // ≥ 0, on the change of the lower bound
  double regCovar = 1e-6;   // ≥ 0, added to the covariance diagonals
  uint64_t seed = 0;        // for k-means++ (fit only)
};

struct GaussianMixtureFit {
  GaussianMixtureModel model;      // the best initialisation's parameters
  double lowerBound = 0.0;         // its final lower bound (mean log-likelihood per sample)
  std::vector<double> lowerBounds; // its lower bound at every EM iteration
  int nIter = 0;                   // its EM iterations
  bool converged = false;          // whether it converged (sklearn 1.2.1 reports the last init's flag)
  int bestInit = 0;                // which initialisation it was (0-based)
};

// Entries of one component's covariance: d·d (full) or d (diag).
std::size_t covarianceSize(CovarianceType type, std::size_t d);

// Fills model.precisionsCholesky from model.covariances; E_VALUE when one is not positive definite.
void computePrecisionCholesky(GaussianMixtureModel& model);

// The initial parameters of one-hot responsibilities r_nk = [labels[n] == k] (π_k = n_k / N).
GaussianMixtureModel parametersFromLabels(const double* X, std::size_t n, std::size_t d, const int32_t* labels,
                                          std::size_t K, CovarianceType type, double regCovar);

// k-means initialisations and EM, keeping the best (see above). Throws E_VALUE on bad settings
// or input (n < K, non-finite X) and on an ill-defined covariance.
GaussianMixtureFit fitGaussianMixture(const double* X, std::size_t n, std::size_t d, const GaussianMixtureOptions& options);

// EM from the given start (weights, means, covariances set; precisionsCholesky computed here).
GaussianMixtureFit fitGaussianMixtureFrom(const double* X, std::size_t n, std::size_t d,
                                          const GaussianMixtureOptions& options, GaussianMixtureModel start);

// E-step with fixed parameters: log p(x_n) into logProb [n], responsibilities into proba [n, K],
// argmax_k log π_k N(x_n | k) into labels [n] (each may be null). Returns mean_n log p(x_n).
double scoreGaussianMixture(const GaussianMixtureModel& model, const double* X, std::size_t n, double* logProb,
                            double* proba, int32_t* labels);

}  // namespace polymorph

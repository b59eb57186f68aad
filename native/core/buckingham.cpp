// Buckingham evaluation (formulas in buckingham.hpp): a kernel for the shared pair-potential
// skeleton (pair_potential.hpp: neighbour list, OpenMP scheme, stress, determinism).
#include "core/buckingham.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/fast_math.hpp"

namespace polymorph {
namespace {

const std::string kName = "Buckingham";

// Per type pair: φ(r) = A e^{−r/ρ} − C r⁻⁶ − offset for r² < cutoff2; NaN below r* (catastrophe).
struct BuckinghamKernel {
  int types = 0;
  std::vector<double> a, inverseRho, c, cutoff2Table, inner2, offset;

  explicit BuckinghamKernel(const BuckinghamParameters& p) : types(p.types) {
    const std::size_t size = static_cast<std::size_t>(p.types) * p.types;
    a = p.a, c = p.c;
    inverseRho.resize(size), cutoff2Table.resize(size), inner2.resize(size), offset.resize(size);
    for (std::size_t k = 0; k < size; ++k) {
      inverseRho[k] = 1.0 / p.rho[k];
      const bool interacts = a[k] != 0.0 || c[k] != 0.0;
      cutoff2Table[k] = interacts ? p.cutoff[k] * p.cutoff[k] : 0.0;
      const double inner = buckinghamInnerMaximum(a[k], p.rho[k], c[k]);
      inner2[k] = inner * inner;
      const double rc = p.cutoff[k];
      offset[k] = p.shift && interacts ? a[k] * std::exp(-rc * inverseRho[k]) - c[k] / std::pow(rc, 6) : 0.0;
    }
  }
  double cutoff2(int pair) const { return cutoff2Table[pair]; }
  void operator()(int pair, double r2, double& phi, double& dphiOverR) const {
    // Branch-free and with one division: the batched pair loop vectorises it (pair_batch.hpp).
    const double r = std::sqrt(r2);
    const double ir = 1.0 / r, ir2 = ir * ir;
    const double dispersion = c[pair] * ir2 * ir2 * ir2;  // C / r⁶
    const double repulsion = a[pair] * fastExp(-r * inverseRho[pair]);
    const double value = repulsion - dispersion - offset[pair];
    phi = r2 <= inner2[pair] ? std::numeric_limits<double>::quiet_NaN() : value;
    // φ'(r)/r = (−A/ρ e^{−r/ρ}) / r + 6 C / r⁸
    dphiOverR = (6.0 * dispersion * ir - repulsion * inverseRho[pair]) * ir;
  }
  bool overlaps(int pair, double r2) const { return r2 <= inner2[pair] || !(r2 > 0.0); }
};

std::string pairName(int a, int b) { return "(" + std::to_string(a) + ", " + std::to_string(b) + ")"; }

}  // namespace

double buckinghamInnerMaximum(double a, double rho, double c) {
  if (a == 0.0 || c == 0.0) return 0.0;
  // −φ'(r) > 0 ⇔ g(r) = ln(A/ρ) − r/ρ − ln(6C) + 7 ln r > 0; g rises up to r = 7ρ, then falls.
  const auto g = [&](double r) { return std::log(a / rho) - r / rho - std::log(6.0 * c) + 7.0 * std::log(r); };
  double high = 7.0 * rho;
  if (!(g(high) > 0.0)) return -1.0;
  double low = high;
  while (g(low) > 0.0) low *= 0.5;
  for (int k = 0; k < 200 && high - low > 1e-14 * high; ++k) {
    const double mid = 0.5 * (low + high);
    (g(mid) > 0.0 ? high : low) = mid;
  }
  return high;
}

void validateBuckingham(const BuckinghamParameters& p) {
  require(p.types >= 1 && p.types <= 4096, "E_VALUE", "Buckingham: the number of types must be 1…4096");
  const std::size_t size = static_cast<std::size_t>(p.types) * p.types;
  require(p.a.size() == size && p.rho.size() == size && p.c.size() == size && p.cutoff.size() == size, "E_SHAPE",
          "Buckingham: A, rho, C and cutoff must each have types² = " + std::to_string(size) + " entries");
  for (int i = 0; i < p.types; ++i) {
    for (int j = 0; j < p.types; ++j) {
      const std::size_t k = static_cast<std::size_t>(i) * p.types + j;
      const std::size_t t = static_cast<std::size_t>(j) * p.types + i;
      const std::string name = pairName(i, j);
      require(std::isfinite(p.a[k]) && p.a[k] >= 0.0, "E_VALUE", "Buckingham: A of pair " + name + " must be finite and >= 0 eV");
      require(std::isfinite(p.rho[k]) && p.rho[k] > 0.0, "E_VALUE", "Buckingham: rho of pair " + name + " must be finite and > 0 Å");
      require(std::isfinite(p.c[k]) && p.c[k] >= 0.0, "E_VALUE", "Buckingham: C of pair " + name + " must be finite and >= 0 eV·Å⁶");
      require(std::isfinite(p.cutoff[k]) && p.cutoff[k] > 0.0, "E_VALUE",
              "Buckingham: cutoff of pair " + name + " must be finite and > 0 Å");
      require(p.a[k] == p.a[t] && p.rho[k] == p.rho[t] && p.c[k] == p.c[t] && p.cutoff[k] == p.cutoff[t], "E_VALUE",
              "Buckingham: parameters of pairs " + name + " and " + pairName(j, i) + " differ");
      require(buckinghamInnerMaximum(p.a[k], p.rho[k], p.c[k]) >= 0.0, "E_VALUE",
              "Buckingham: pair " + name + " has no repulsive barrier (C/r⁶ exceeds A e^{−r/ρ} at every r)");
    }
  }
}

double buckinghamCutoff(const BuckinghamParameters& p) {
  double cutoff = 0.0;
  for (std::size_t k = 0; k < p.cutoff.size(); ++k)
    if (p.a[k] != 0.0 || p.c[k] != 0.0) cutoff = std::max(cutoff, p.cutoff[k]);
  return cutoff;
}

PairResult buckingham(const PairInput& in, const BuckinghamParameters& parameters) {
  validateBuckingham(parameters);
  const double cutoff = buckinghamCutoff(parameters);
  if (cutoff == 0.0) {  // no pair of the types present interacts: zero energy, forces and stress
    NeighborListData empty;
    empty.rowPtr = Buffer<int32_t>(in.n + 1, 0);
    return evaluatePairPotentialOnList(in, BuckinghamKernel(parameters), empty, kName);
  }
  return evaluatePairPotential(in, BuckinghamKernel(parameters), cutoff, kName);
}

PairResult buckinghamOnList(const PairInput& in, const BuckinghamParameters& parameters, const NeighborListData& list) {
  validateBuckingham(parameters);
  return evaluatePairPotentialOnList(in, BuckinghamKernel(parameters), list, kName);
}

std::shared_ptr<Evaluator> makeBuckinghamEvaluator(const BuckinghamParameters& parameters, const std::vector<int32_t>& elements) {
  validateBuckingham(parameters);
  return std::make_shared<PairEvaluator<BuckinghamKernel>>(BuckinghamKernel(parameters), elements, buckinghamCutoff(parameters), kName);
}

}  // namespace polymorph

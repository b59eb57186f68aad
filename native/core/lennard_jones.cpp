// Lennard-Jones evaluation (formulas in lennard_jones.hpp): a kernel for the shared
// pair-potential skeleton (pair_potential.hpp: neighbour list, OpenMP scheme, stress).
#include "core/lennard_jones.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace polymorph {
namespace {

const std::string kName = "Lennard-Jones";

// Per type pair: φ(r) = c12 r⁻¹² − c6 r⁻⁶ − offset for r² < cutoff2, with c12 = 4εσ¹², c6 = 4εσ⁶.
struct LennardJonesKernel {
  int types = 0;
  std::vector<double> c12, c6, cutoff2Table, offset;

  explicit LennardJonesKernel(const LennardJonesParameters& p) : types(p.types) {
    const std::size_t size = static_cast<std::size_t>(p.types) * p.types;
    c12.resize(size), c6.resize(size), cutoff2Table.resize(size), offset.resize(size);
    for (std::size_t k = 0; k < size; ++k) {
      const double s6 = std::pow(p.sigma[k], 6);
      c6[k] = 4.0 * p.epsilon[k] * s6;
      c12[k] = c6[k] * s6;
      cutoff2Table[k] = p.cutoff[k] * p.cutoff[k];
      const double ir6 = 1.0 / std::pow(p.cutoff[k], 6);
      offset[k] = p.shift ? (c12[k] * ir6 - c6[k]) * ir6 : 0.0;
    }
  }
  double cutoff2(int pair) const { return cutoff2Table[pair]; }
  void operator()(int pair, double r2, double& phi, double& dphiOverR) const {
    const double ir2 = 1.0 / r2;
    const double ir6 = ir2 * ir2 * ir2;
    phi = (c12[pair] * ir6 - c6[pair]) * ir6 - offset[pair];
    // φ'(r)/r = (−12 c12 r⁻¹² + 6 c6 r⁻⁶) / r²
    dphiOverR = (6.0 * c6[pair] - 12.0 * c12[pair] * ir6) * ir6 * ir2;
  }
  bool overlaps(int pair, double r2) const {
    const double ir6 = 1.0 / (r2 * r2 * r2);
    return !(std::isfinite(c12[pair] * ir6 * ir6 / r2) && r2 > 0.0);
  }
};

std::string pairName(int a, int b) { return "(" + std::to_string(a) + ", " + std::to_string(b) + ")"; }

}  // namespace

void validateLennardJones(const LennardJonesParameters& p) {
  require(p.types >= 1 && p.types <= 4096, "E_VALUE", "Lennard-Jones: the number of types must be 1…4096");
  const std::size_t size = static_cast<std::size_t>(p.types) * p.types;
  require(p.epsilon.size() == size && p.sigma.size() == size && p.cutoff.size() == size, "E_SHAPE",
          "Lennard-Jones: epsilon, sigma and cutoff must each have types² = " + std::to_string(size) + " entries");
  for (int a = 0; a < p.types; ++a) {
    for (int b = 0; b < p.types; ++b) {
      const std::size_t k = static_cast<std::size_t>(a) * p.types + b;
      const std::size_t t = static_cast<std::size_t>(b) * p.types + a;
      require(std::isfinite(p.epsilon[k]) && p.epsilon[k] >= 0.0, "E_VALUE",
              "Lennard-Jones: epsilon of pair " + pairName(a, b) + " must be finite and >= 0 eV");
      require(std::isfinite(p.sigma[k]) && p.sigma[k] > 0.0, "E_VALUE",
              "Lennard-Jones: sigma of pair " + pairName(a, b) + " must be finite and > 0 Å");
      require(std::isfinite(p.cutoff[k]) && p.cutoff[k] > 0.0, "E_VALUE",
              "Lennard-Jones: cutoff of pair " + pairName(a, b) + " must be finite and > 0 Å");
      require(p.epsilon[k] == p.epsilon[t] && p.sigma[k] == p.sigma[t] && p.cutoff[k] == p.cutoff[t], "E_VALUE",
              "Lennard-Jones: parameters of pairs " + pairName(a, b) + " and " + pairName(b, a) + " differ");
    }
  }
}

double lennardJonesCutoff(const LennardJonesParameters& p) {
  double cutoff = 0.0;
  for (double c : p.cutoff) cutoff = std::max(cutoff, c);
  return cutoff;
}

LennardJonesResult lennardJonesOnList(const LennardJonesInput& in, const LennardJonesParameters& parameters,
                                      const NeighborListData& list) {
  validateLennardJones(parameters);
  return evaluatePairPotentialOnList(in, LennardJonesKernel(parameters), list, kName);
}

LennardJonesResult lennardJones(const LennardJonesInput& in, const LennardJonesParameters& parameters) {
  validateLennardJones(parameters);
  return evaluatePairPotential(in, LennardJonesKernel(parameters), lennardJonesCutoff(parameters), kName);
}

std::shared_ptr<Evaluator> makeLennardJonesEvaluator(const LennardJonesParameters& parameters, const std::vector<int32_t>& elements) {
  validateLennardJones(parameters);
  return std::make_shared<PairEvaluator<LennardJonesKernel>>(LennardJonesKernel(parameters), elements, lennardJonesCutoff(parameters), kName);
}

}  // namespace polymorph

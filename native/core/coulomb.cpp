// Direct and damped-shifted-force Coulomb sums (formulas in coulomb.hpp).
#include "core/coulomb.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/charge_pair_sum.hpp"
#include "core/coulomb_direct.hpp"
#include "core/error.hpp"
#include "core/evaluator.hpp"
#include "core/fast_erfc.hpp"
#include "core/fast_math.hpp"
#include "core/geometry.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoOverSqrtPi = 1.12837916709551257390;

using Partial = ChargePartial;

void validate(const CoulombInput& in, const CoulombParameters& p) {
  require(in.n > 0, "E_EMPTY", "Coulomb: the structure has no atoms");
  require(in.positions != nullptr && in.charges != nullptr, "E_VALUE", "Coulomb: positions or charges are missing");
  if (const std::size_t k = firstNonFinite(in.positions, 3 * in.n); k < 3 * in.n) {
    throw Error("E_VALUE", "Coulomb: position of atom " + std::to_string(k / 3) + " is not finite");
  }
  if (const std::size_t i = firstNonFinite(in.charges, in.n); i < in.n) {
    throw Error("E_VALUE", "Coulomb: charge of atom " + std::to_string(i) + " is not finite");
  }
  if (in.cell != nullptr) {
    for (int k = 0; k < 9; ++k) require(std::isfinite(in.cell[k]), "E_CELL", "Coulomb: the cell is not finite");
  }
  const bool periodic = in.pbc[0] || in.pbc[1] || in.pbc[2];
  require(!periodic || in.cell != nullptr, "E_CELL", "Coulomb: a periodic structure needs a cell");
  require(p.dsf || !periodic, "E_CELL",
          "Coulomb: the direct sum is for open clusters; use Ewald for periodic structures, or the damped shifted force (dsf)");
  validateCoulombParameters(p);
}

}  // namespace

void validateCoulombParameters(const CoulombParameters& p) {
  require(std::isfinite(p.coulombConstant), "E_VALUE", "Coulomb: the Coulomb constant must be finite");
  if (p.dsf) {
    require(std::isfinite(p.alpha) && p.alpha >= 0, "E_VALUE", "Coulomb: dsf.alpha must be a finite number ≥ 0 (1/Å)");
    require(std::isfinite(p.cutoff) && p.cutoff > 0, "E_VALUE", "Coulomb: dsf.cutoff must be a positive finite number (Å)");
  }
}

namespace {

double stressVolume(const double* cell) { return polymorph::stressVolume(cell, "Coulomb"); }

void dampedShiftedForce(const CoulombInput& in, const CoulombParameters& p, std::vector<Partial>& partials) {
  NeighborListData own;
  const NeighborListData& list = halfListOrBuild(in.list, in.positions, in.n, in.cell, in.pbc, p.cutoff, own, "Coulomb");
  const double alpha = p.alpha, rc = p.cutoff;
  const double erfcRc = std::erfc(alpha * rc) / rc;
  const double forceRc = erfcRc / rc + kTwoOverSqrtPi * alpha * std::exp(-alpha * alpha * rc * rc) / rc;
  // φ(r) = erfc(αr)/r − erfc(αr_c)/r_c + F_c (r − r_c), φ'(r) = −[erfc(αr)/r² + (2α/√π) e^{−α²r²}/r − F_c];
  // erfc is the branch-free one (vectorised) when α r_c is within its range, else the checked one.
  const auto pair = [=](auto erfc) {
    return [=](double r, double r2, double& phi, double& g) {
      const double ir = 1.0 / r;
      const double gauss = fastExp(-alpha * alpha * r2);  // e^{−α²r²}
      const double erfcR = erfc(alpha * r, gauss) * ir;
      phi = erfcR - erfcRc + forceRc * (r - rc);
      g = -(erfcR * ir + kTwoOverSqrtPi * alpha * gauss * ir - forceRc) * ir;
    };
  };
  if (alpha * rc < kErfcInRangeLimit) {
    chargePairSum(in.charges, in.n, list, rc, "Coulomb", pair([](double x, double e) { return erfcFromExpInRange(x, e); }),
                  partials, in.positions, in.cell);
  } else {
    chargePairSum(in.charges, in.n, list, rc, "Coulomb", pair([](double x, double e) { return erfcFromExp(x, e); }),
                  partials, in.positions, in.cell);
  }
}

}  // namespace

namespace {

// coulomb() into `out` (its vectors reused), with per-thread memory `partials` kept by the caller.
void coulombInto(const CoulombInput& in, const CoulombParameters& p, std::vector<Partial>& partials, DirectScratch& direct,
                 CoulombResult& out) {
  validate(in, p);
  const double volume = in.stress ? stressVolume(in.cell) : 0.0;
  const std::size_t n = in.n;
  const int team = numThreads();
  const double ke = p.coulombConstant;
  out.energy = 0.0;
  out.forces.clear(), out.atomEnergies.clear(), out.stress.clear();  // keeps their capacity
  if (in.forces) out.forces.assign(3 * n, 0.0);
  if (in.atomEnergies) out.atomEnergies.assign(n, 0.0);
  if (!p.dsf) {
    resetChargePartials(partials, 1, n, false, false);
    const DirectSum sum = directCoulombSum(in.positions, in.charges, n, in.forces ? out.forces.data() : nullptr,
                                           in.atomEnergies ? out.atomEnergies.data() : nullptr, in.virial || in.stress, direct);
    partials[0].energy = sum.energy;
    std::copy(sum.virial, sum.virial + 6, partials[0].virial);
  } else {
    resetChargePartials(partials, team, n, in.forces, in.atomEnergies);
    dampedShiftedForce(in, p, partials);
    for (const Partial& acc : partials) {
      for (std::size_t i = 0; i < acc.forces.size(); ++i) out.forces[i] += acc.forces[i];
      for (std::size_t i = 0; i < acc.atomEnergies.size(); ++i) out.atomEnergies[i] += acc.atomEnergies[i];
    }
    const double selfFactor = -(std::erfc(p.alpha * p.cutoff) / (2 * p.cutoff) + p.alpha / std::sqrt(kPi));
    for (std::size_t i = 0; i < n; ++i) {
      const double self = selfFactor * in.charges[i] * in.charges[i];
      out.energy += self;
      if (in.atomEnergies) out.atomEnergies[i] += self;
    }
  }
  double virial[6] = {0, 0, 0, 0, 0, 0};
  double pairs = 0.0;
  for (const Partial& acc : partials) {
    pairs += acc.energy;
    for (int k = 0; k < 6; ++k) virial[k] += acc.virial[k];
  }
  out.energy = ke * (out.energy + pairs);
  for (double& f : out.forces) f *= ke;
  for (double& e : out.atomEnergies) e *= ke;
  static const int index[9] = {0, 1, 2, 1, 3, 4, 2, 4, 5};
  for (int k = 0; k < 9; ++k) out.virial[k] = ke * virial[index[k]];
  if (in.stress) {
    out.stress.resize(9);
    for (int k = 0; k < 9; ++k) out.stress[k] = out.virial[k] / volume;
  }
  require(std::isfinite(out.energy), "E_VALUE", "Coulomb: the energy is not finite");
}

}  // namespace

CoulombResult coulomb(const CoulombInput& in, const CoulombParameters& p) {
  std::vector<Partial> partials;
  DirectScratch direct;
  CoulombResult out;
  coulombInto(in, p, partials, direct, out);
  return out;
}

namespace {

class CoulombEvaluator final : public Evaluator {
 public:
  CoulombEvaluator(const CoulombParameters& p, const ChargeTable& charges) : p_(p), charges_(charges) {
    validateCoulombParameters(p_);
  }
  std::string name() const override { return "Coulomb"; }
  double cutoff() const override { return p_.dsf ? p_.cutoff : 0.0; }
  void evaluate(const SystemView& s, const NeighborListData* list, const EvaluationRequest& request,
                EvaluationOutput& out) override {
    charges_.chargesOf(s, name(), q_);
    CoulombInput in;
    in.positions = s.positions;
    in.n = s.n;
    in.charges = q_.data();
    in.cell = s.cell;
    for (int k = 0; k < 3; ++k) in.pbc[k] = s.pbc[k];
    in.forces = request.forces;
    in.atomEnergies = request.atomEnergies;
    in.virial = request.virial;
    if (p_.dsf && list != nullptr) in.list = &halfListFor(*list, s, p_.cutoff, scratch_);
    coulombInto(in, p_, partials_, direct_, result_);
    copyResult(result_, request, out);
  }

 private:
  CoulombParameters p_;
  ChargeTable charges_;
  std::vector<double> q_;
  NeighborListData scratch_;
  std::vector<Partial> partials_;  // per-thread memory and the last result, reused between calls
  DirectScratch direct_;
  CoulombResult result_;
};

}  // namespace

std::shared_ptr<Evaluator> makeCoulombEvaluator(const CoulombParameters& parameters, const ChargeTable& charges) {
  return std::make_shared<CoulombEvaluator>(parameters, charges);
}

}  // namespace polymorph

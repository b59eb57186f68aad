// Direct and damped-shifted-force Coulomb sums (formulas in coulomb.hpp).
#include "core/coulomb.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/charge_pair_sum.hpp"
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

[[noreturn]] void overlap(std::size_t i, std::size_t j) {
  throw Error("E_VALUE", "Coulomb: atoms " + std::to_string(i) + " and " + std::to_string(j) +
                             " overlap (distance 0); the Coulomb energy is infinite");
}

// Memory of the direct sum, kept between calls: positions and charges as structure-of-arrays
// [x | y | z | q], and per thread [fx | fy | fz | e].
struct DirectScratch {
  std::vector<double> soa;
  std::vector<std::vector<double>> threads;
  std::vector<double> smallest;  // per thread: the smallest r²
};

// Rows [begin, end) of the all-pairs sum: row i against the contiguous block j = i+1 … n−1 in a
// loop that vectorises (each j once per row, so the stores to j never collide). Accumulates
// Σ φ, the virial Σ g d d (g = φ'/r, d = r_j − r_i), forces (F_i += g d, F_j −= g d) and pair
// energies split half and half, in e² units; returns the smallest r² seen (overlap check).
POLYMORPH_CLONES double directRows(const double* x, const double* y, const double* z, const double* q, std::size_t n,
                                   std::size_t begin, std::size_t end, double* fx, double* fy, double* fz, double* e,
                                   double& energy, double virial[6]) {
  double smallest = std::numeric_limits<double>::infinity();
  for (std::size_t i = begin; i < end; ++i) {
    const double xi = x[i], yi = y[i], zi = z[i], qi = q[i];
    double sx = 0, sy = 0, sz = 0, se = 0, w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, low = smallest;
#pragma omp simd reduction(+ : sx, sy, sz, se, w0, w1, w2, w3, w4, w5) reduction(min : low)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = x[j] - xi, dy = y[j] - yi, dz = z[j] - zi;
      const double r2 = dx * dx + dy * dy + dz * dz;
      const double ir = 1.0 / std::sqrt(r2);
      const double phi = qi * q[j] * ir;
      const double g = -phi * ir * ir;
      const double gx = g * dx, gy = g * dy, gz = g * dz;
      sx += gx, sy += gy, sz += gz, se += phi;
      fx[j] -= gx, fy[j] -= gy, fz[j] -= gz, e[j] += 0.5 * phi;
      w0 += gx * dx, w1 += gx * dy, w2 += gx * dz, w3 += gy * dy, w4 += gy * dz, w5 += gz * dz;
      low = std::min(low, r2);
    }
    fx[i] += sx, fy[i] += sy, fz[i] += sz, e[i] += 0.5 * se;
    energy += se;
    virial[0] += w0, virial[1] += w1, virial[2] += w2, virial[3] += w3, virial[4] += w4, virial[5] += w5;
    smallest = low;
  }
  return smallest;
}

// The first row of thread t of `team` when the n(n−1)/2 pairs i < j are split evenly by rows.
std::size_t directSplit(std::size_t n, int t, int team) {
  const double pairs = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
  const double target = pairs * t / team;
  std::size_t row = 0;
  double done = 0.0;
  while (row < n && done + static_cast<double>(n - 1 - row) <= target) done += static_cast<double>(n - 1 - row), ++row;
  return t == team ? n : row;
}

// All pairs of an open cluster (no list): threads take rows with equal pair counts, each with
// its own structure-of-arrays accumulators, added in thread order.
void directSum(const CoulombInput& in, std::vector<Partial>& partials, double* forces, double* atomEnergies,
               DirectScratch& scratch) {
  const std::size_t n = in.n;
  const int team = static_cast<int>(partials.size());
  std::vector<double>& soa = scratch.soa;
  soa.resize(4 * n);
  for (std::size_t i = 0; i < n; ++i) {
    soa[i] = in.positions[3 * i], soa[n + i] = in.positions[3 * i + 1], soa[2 * n + i] = in.positions[3 * i + 2];
    soa[3 * n + i] = in.charges[i];
  }
  scratch.threads.resize(static_cast<std::size_t>(team));
  std::vector<double>& smallest = scratch.smallest;
  smallest.assign(static_cast<std::size_t>(team), 0.0);
  ParallelExceptions guard;
#pragma omp parallel num_threads(team)
  {
    guard.run([&] {
      const int t = omp_get_thread_num();
      std::vector<double>& mine = scratch.threads[static_cast<std::size_t>(t)];
      mine.assign(4 * n, 0.0);
      Partial& acc = partials[static_cast<std::size_t>(t)];
      double energy = 0.0, v[6] = {0, 0, 0, 0, 0, 0};
      smallest[static_cast<std::size_t>(t)] =
          directRows(soa.data(), soa.data() + n, soa.data() + 2 * n, soa.data() + 3 * n, n, directSplit(n, t, team),
                     directSplit(n, t + 1, team), mine.data(), mine.data() + n, mine.data() + 2 * n, mine.data() + 3 * n, energy, v);
      acc.energy = energy;
      std::copy(v, v + 6, acc.virial);
    });
  }
  guard.rethrow();
  for (double r2 : smallest) {
    if (r2 > 1e-16) continue;
    for (std::size_t i = 0; i < n; ++i)  // find the pair to name it
      for (std::size_t j = i + 1; j < n; ++j) {
        const double dx = soa[j] - soa[i], dy = soa[n + j] - soa[n + i], dz = soa[2 * n + j] - soa[2 * n + i];
        if (!(dx * dx + dy * dy + dz * dz > 1e-16)) overlap(i, j);
      }
  }
  for (const std::vector<double>& mine : scratch.threads) {
    if (forces != nullptr)
      for (std::size_t i = 0; i < n; ++i) forces[3 * i] += mine[i], forces[3 * i + 1] += mine[n + i], forces[3 * i + 2] += mine[2 * n + i];
    if (atomEnergies != nullptr)
      for (std::size_t i = 0; i < n; ++i) atomEnergies[i] += mine[3 * n + i];
  }
}

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
    resetChargePartials(partials, team, n, false, false);
    directSum(in, partials, in.forces ? out.forces.data() : nullptr, in.atomEnergies ? out.atomEnergies.data() : nullptr, direct);
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

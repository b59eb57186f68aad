// Ewald summation for point charges (formulas and parallel scheme in ewald.hpp).
#include "core/ewald.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/charge_pair_sum.hpp"
#include "core/error.hpp"
#include "core/evaluator.hpp"
#include "core/fast_erfc.hpp"
#include "core/geometry.hpp"
#include "core/phase_table.hpp"
#include "core/neighbor_list.hpp"
#include "core/pme.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoOverSqrtPi = 1.12837916709551257390;

using Partial = ChargePartial;

void validate(const EwaldInput& in, const EwaldParameters& p) {
  require(in.n > 0, "E_EMPTY", "Ewald: the structure has no atoms");
  require(in.positions != nullptr && in.charges != nullptr, "E_VALUE", "Ewald: positions or charges are missing");
  require(in.cell != nullptr, "E_CELL", "Ewald: needs a periodic cell");
  for (int k = 0; k < 9; ++k) require(std::isfinite(in.cell[k]), "E_CELL", "Ewald: the cell is not finite");
  if (const std::size_t k = firstNonFinite(in.positions, 3 * in.n); k < 3 * in.n) {
    throw Error("E_VALUE", "Ewald: position of atom " + std::to_string(k / 3) + " is not finite");
  }
  if (const std::size_t i = firstNonFinite(in.charges, in.n); i < in.n) {
    throw Error("E_VALUE", "Ewald: charge of atom " + std::to_string(i) + " is not finite");
  }
  validateEwaldParameters(p);
  require(p.background || isChargeNeutral(in.charges, in.n), "E_VALUE",
          "Ewald: the cell is charged (total charge ≠ 0) and the neutralising background is off; "
          "switch it on (background: true) or make the charges sum to zero");
}

// |det(cell)| (Å³); E_CELL when singular.
double cellVolume(const Mat3& m) {
  double scale = 0.0;
  for (int k = 0; k < 3; ++k) scale = std::max(scale, std::sqrt(dot(row(m, k), row(m, k))));
  const double volume = std::fabs(determinant(m));
  require(scale > 0.0 && volume > 1e-12 * scale * scale * scale, "E_CELL", "Ewald: the cell is singular (zero volume)");
  return volume;
}

void resetPartials(std::vector<Partial>& parts, int team, const EwaldInput& in) {
  resetChargePartials(parts, team, in.n, in.forces, in.atomEnergies);
}

// Real-space sum over a half list (e² units: k_e = 1): φ(r) = erfc(αr)/r.
void realSpace(const EwaldInput& in, const EwaldParameters& p, std::vector<Partial>& partials) {
  NeighborListData own;
  const bool periodic[3] = {true, true, true};
  const NeighborListData& list = halfListOrBuild(in.list, in.positions, in.n, in.cell, periodic, p.cutoff, own, "Ewald");
  const double alpha = p.alpha;
  // φ(r) and φ'(r)/r = −[erfc(αr)/r + (2α/√π) e^{−α²r²}] / r²; erfc is one of two functions:
  // the branch-free one (vectorised) when αr < α r_c stays in its range, else the checked one.
  const auto pair = [alpha](auto erfc) {
    return [alpha, erfc](double r, double r2, double& phi, double& g) {
      const double ir = 1.0 / r;
      const double gauss = fastExp(-alpha * alpha * r2);  // e^{−α²r²}
      phi = erfc(alpha * r, gauss) * ir;
      g = -(phi + kTwoOverSqrtPi * alpha * gauss) * ir * ir;
    };
  };
  if (alpha * p.cutoff < kErfcInRangeLimit) {
    chargePairSum(in.charges, in.n, list, p.cutoff, "Ewald", pair([](double x, double e) { return erfcFromExpInRange(x, e); }),
                  partials, in.positions, in.cell);
  } else {
    chargePairSum(in.charges, in.n, list, p.cutoff, "Ewald", pair([](double x, double e) { return erfcFromExp(x, e); }),
                  partials, in.positions, in.cell);
  }
}

// Memory of Ewald evaluations, kept by an evaluator between calls (a warm call allocates nothing).
struct EwaldWorkspace {
  std::vector<Partial> realParts, recipParts;  // per-thread accumulators
  PhaseTable tables[3];                        // k-space phase factors per lattice direction
  std::vector<std::pair<int, int>> columns;    // (h1, h2) columns of the half space
  std::vector<std::vector<double>> work;       // per thread: 4n partial phase products
  std::vector<int> counts;                     // k-vectors summed per thread
  PmeWorkspace pme;
  ReciprocalSum pmeSum;
};

// Reciprocal-space sum over the half space of k-vectors (e² units).
int reciprocalSpace(const EwaldInput& in, const EwaldParameters& p, const Mat3& cell, double volume,
                    std::vector<Partial>& partials, EwaldWorkspace& ws) {
  const std::size_t n = in.n;
  const Mat3 inv = inverse(cell);
  Vec3 b[3];
  int hmax[3];
  for (int d = 0; d < 3; ++d) {
    b[d] = {2 * kPi * inv[d], 2 * kPi * inv[3 + d], 2 * kPi * inv[6 + d]};  // column d of inv
    const Vec3 a = row(cell, d);
    hmax[d] = static_cast<int>(std::ceil(p.kCutoff * std::sqrt(dot(a, a)) / (2 * kPi)));
  }
  for (int d = 0; d < 3; ++d) phaseTable(in.positions, in.n, b[d], hmax[d], ws.tables[d]);
  const PhaseTable &t1 = ws.tables[0], &t2 = ws.tables[1], &t3 = ws.tables[2];
  // Columns (h1, h2) of the half space: h1 > 0, or h1 = 0 and h2 ≥ 0.
  std::vector<std::pair<int, int>>& columns = ws.columns;
  columns.clear();
  for (int h1 = 0; h1 <= hmax[0]; ++h1)
    for (int h2 = (h1 == 0 ? 0 : -hmax[1]); h2 <= hmax[1]; ++h2) columns.emplace_back(h1, h2);
  const double kc2 = p.kCutoff * p.kCutoff, inv4a2 = 1.0 / (4 * p.alpha * p.alpha);
  const double energyFactor = 2.0 * 2.0 * kPi / volume;  // ×2: k and −k
  const int team = static_cast<int>(partials.size());
  std::vector<int>& counts = ws.counts;
  counts.assign(static_cast<std::size_t>(team), 0);
  ws.work.resize(static_cast<std::size_t>(team));
  ParallelExceptions guard;
#pragma omp parallel num_threads(team)
  {
    guard.run([&] {
      const int t = omp_get_thread_num();
      Partial& acc = partials[static_cast<std::size_t>(t)];
      double* forces = acc.forces.empty() ? nullptr : acc.forces.data();
      double* atomEnergies = acc.atomEnergies.empty() ? nullptr : acc.atomEnergies.data();
      std::vector<double>& work = ws.work[static_cast<std::size_t>(t)];
      work.resize(4 * n);
      double *pr = work.data(), *pi = pr + n, *cr = pi + n, *ci = cr + n;
      const double* q = in.charges;
      double energy = 0, v[6] = {0, 0, 0, 0, 0, 0};
      int count = 0;
      for (std::size_t c = static_cast<std::size_t>(t); c < columns.size(); c += static_cast<std::size_t>(team)) {
        const int h1 = columns[c].first, h2 = columns[c].second;
        bool filled = false;
        for (int h3 = (h1 == 0 && h2 == 0 ? 1 : -hmax[2]); h3 <= hmax[2]; ++h3) {
          double k[3];
          for (int a = 0; a < 3; ++a) k[a] = h1 * b[0][a] + h2 * b[1][a] + h3 * b[2][a];
          const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
          if (!(k2 < kc2) || k2 == 0.0) continue;
          if (!filled) {
            columnPhases(t1, t2, h1, h2, n, pr, pi);
            filled = true;
          }
          ++count;
          const double s3 = h3 < 0 ? -1.0 : 1.0;
          const double *er = &t3.re[std::abs(h3) * n], *ei = &t3.im[std::abs(h3) * n];
          double sr = 0, si = 0;
          for (std::size_t j = 0; j < n; ++j) {
            const double eim = s3 * ei[j];
            const double xr = pr[j] * er[j] - pi[j] * eim, xi = pr[j] * eim + pi[j] * er[j];
            cr[j] = xr, ci[j] = xi;
            sr += q[j] * xr, si += q[j] * xi;
          }
          const double amplitude = std::exp(-k2 * inv4a2) / k2;
          const double weight = energyFactor * amplitude;  // 2 (2π/V) A
          const double s2abs = sr * sr + si * si;
          energy += weight * s2abs;
          const double g = 2.0 * (inv4a2 + 1.0 / k2);
          const double w = weight * s2abs;
          v[0] += w * (g * k[0] * k[0] - 1), v[1] += w * g * k[0] * k[1], v[2] += w * g * k[0] * k[2];
          v[3] += w * (g * k[1] * k[1] - 1), v[4] += w * g * k[1] * k[2], v[5] += w * (g * k[2] * k[2] - 1);
          if (forces != nullptr) {
            const double fw = 2.0 * weight;  // 2 (4π/V) A
            for (std::size_t j = 0; j < n; ++j) {
              const double im = fw * q[j] * (ci[j] * sr - cr[j] * si);
              forces[3 * j] += im * k[0], forces[3 * j + 1] += im * k[1], forces[3 * j + 2] += im * k[2];
            }
          }
          if (atomEnergies != nullptr) {
            for (std::size_t j = 0; j < n; ++j) atomEnergies[j] += weight * q[j] * (cr[j] * sr + ci[j] * si);
          }
        }
      }
      acc.energy += energy;
      for (int k = 0; k < 6; ++k) acc.virial[k] += v[k];
      counts[static_cast<std::size_t>(t)] = count;
    });
  }
  guard.rethrow();
  int total = 0;
  for (int c : counts) total += c;
  return total;
}

}  // namespace

void validateEwaldParameters(const EwaldParameters& p) {
  require(std::isfinite(p.alpha) && p.alpha > 0, "E_VALUE", "Ewald: alpha must be a positive finite number (1/Å)");
  require(std::isfinite(p.cutoff) && p.cutoff > 0, "E_VALUE", "Ewald: the real-space cutoff must be positive and finite (Å)");
  require(p.pme || (std::isfinite(p.kCutoff) && p.kCutoff > 0), "E_VALUE", "Ewald: the k-space cutoff must be positive and finite (1/Å)");
  require(std::isfinite(p.coulombConstant), "E_VALUE", "Ewald: the Coulomb constant must be finite");
  if (p.pme) {
    require(p.order >= 3 && p.order <= 12, "E_VALUE", "PME: the B-spline order must be 3…12");
    for (int d = 0; d < 3; ++d) require(p.grid[d] >= p.order, "E_VALUE", "PME: every grid dimension must be ≥ the order");
  }
}

bool isChargeNeutral(const double* charges, std::size_t n) {
  double total = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < n; ++i) total += charges[i], scale += std::fabs(charges[i]);
  return std::fabs(total) <= 1e-10 * scale;
}

// Refuses (E_VALUE, before allocating) reciprocal sums that would not fit in memory or time: more
// than 4 GiB of phase tables or PME grids, or more than 2e10 (k-vector, atom) terms (minutes of work).
static void checkReciprocalSize(const EwaldInput& in, const EwaldParameters& p, const Mat3& cell, double volume) {
  constexpr double kBytes = 4.0 * 1024 * 1024 * 1024;
  const double n = static_cast<double>(in.n);
  if (p.pme) {
    const double points = double(p.grid[0]) * p.grid[1] * p.grid[2];
    const double bytes = points * 8.0 * (numThreads() + 3);  // per-thread charge grids, transform, influence
    if (bytes > kBytes) {
      throw Error("E_VALUE", "PME: a " + std::to_string(p.grid[0]) + "×" + std::to_string(p.grid[1]) + "×" + std::to_string(p.grid[2]) +
                                 " grid needs about " + std::to_string(bytes / 1e9) + " GB, more than 4 GiB; ask for a lower accuracy or a coarser grid");
    }
    return;
  }
  double columns = 0.0;
  for (int d = 0; d < 3; ++d) {
    const Vec3 a = row(cell, d);
    columns += std::ceil(p.kCutoff * std::sqrt(dot(a, a)) / (2 * kPi)) + 1.0;
  }
  const double kVectors = p.kCutoff * p.kCutoff * p.kCutoff * volume / (6.0 * kPi * kPi);  // half sphere
  if (16.0 * n * columns > kBytes || kVectors * n > 2e10) {
    throw Error("E_VALUE", "Ewald: k-space cutoff " + std::to_string(p.kCutoff) + " 1/Å would sum about " + std::to_string(kVectors) +
                               " k-vectors over " + std::to_string(in.n) + " atoms, too many to store or run; ask for a lower accuracy, or use method 'pme'");
  }
}

namespace {

// ewald() into `out` (its vectors reused) with the memory of `ws`.
void ewaldInto(const EwaldInput& in, const EwaldParameters& p, EwaldWorkspace& ws, EwaldResult& out) {
  validate(in, p);
  Mat3 cell;
  std::copy(in.cell, in.cell + 9, cell.begin());
  const double volume = cellVolume(cell);
  checkReciprocalSize(in, p, cell, volume);
  const std::size_t n = in.n;
  const int team = numThreads();
  const double ke = p.coulombConstant;

  std::vector<Partial>& realParts = ws.realParts;
  resetPartials(realParts, team, in);
  realSpace(in, p, realParts);
  std::vector<Partial>& recipParts = ws.recipParts;
  out.real = out.reciprocal = 0.0;
  if (p.pme) {
    // One accumulator holding the mesh sum (forces and atom energies read from ws.pmeSum).
    recipParts.resize(1);
    Partial& first = recipParts[0];
    pmeReciprocal(in.positions, in.charges, n, in.cell, p.alpha, p.grid, p.order, in.forces, in.atomEnergies, in.stress,
                  team, ws.pme, ws.pmeSum);
    first.energy = ws.pmeSum.energy;
    std::copy(ws.pmeSum.virial, ws.pmeSum.virial + 6, first.virial);
    first.forces.swap(ws.pmeSum.forces);  // swapped back below: both keep their memory
    first.atomEnergies.swap(ws.pmeSum.atomEnergies);
    out.kVectors = p.grid[0] * p.grid[1] * p.grid[2];
  } else {
    resetPartials(recipParts, team, in);
    out.kVectors = reciprocalSpace(in, p, cell, volume, recipParts, ws);
  }

  double q2 = 0.0, total = 0.0;
  for (std::size_t i = 0; i < n; ++i) q2 += in.charges[i] * in.charges[i], total += in.charges[i];
  if (!p.background || isChargeNeutral(in.charges, n)) total = 0.0;
  const double selfFactor = -p.alpha / std::sqrt(kPi);
  const double backgroundFactor = -kPi / (2.0 * volume * p.alpha * p.alpha);  // E_bg = factor · Q²

  double virial[6] = {0, 0, 0, 0, 0, 0};
  for (const Partial& acc : realParts) {
    out.real += acc.energy;
    for (int k = 0; k < 6; ++k) virial[k] += acc.virial[k];
  }
  for (const Partial& acc : recipParts) {
    out.reciprocal += acc.energy;
    for (int k = 0; k < 6; ++k) virial[k] += acc.virial[k];
  }
  out.self = selfFactor * q2;
  out.background = backgroundFactor * total * total;
  virial[0] -= out.background, virial[3] -= out.background, virial[5] -= out.background;
  out.real *= ke, out.reciprocal *= ke, out.self *= ke, out.background *= ke;
  out.energy = out.real + out.reciprocal + out.self + out.background;

  out.forces.clear(), out.atomEnergies.clear();  // keeps their capacity
  if (in.forces) {
    out.forces.assign(3 * n, 0.0);
    for (const auto* parts : {&realParts, &recipParts})
      for (const Partial& acc : *parts)
        for (std::size_t i = 0; i < 3 * n; ++i) out.forces[i] += acc.forces[i];
    for (double& f : out.forces) f *= ke;
  }
  if (in.atomEnergies) {
    out.atomEnergies.assign(n, 0.0);
    for (const auto* parts : {&realParts, &recipParts})
      for (const Partial& acc : *parts)
        for (std::size_t i = 0; i < n; ++i) out.atomEnergies[i] += acc.atomEnergies[i];
    for (std::size_t i = 0; i < n; ++i) {
      const double qi = in.charges[i];
      out.atomEnergies[i] = ke * (out.atomEnergies[i] + selfFactor * qi * qi + backgroundFactor * total * qi);
    }
  }
  static const int index[9] = {0, 1, 2, 1, 3, 4, 2, 4, 5};
  for (int k = 0; k < 9; ++k) out.virial[k] = ke * virial[index[k]];
  if (p.pme) recipParts[0].forces.swap(ws.pmeSum.forces), recipParts[0].atomEnergies.swap(ws.pmeSum.atomEnergies);
  if (in.stress) {
    out.stress.resize(9);
    for (int k = 0; k < 9; ++k) out.stress[k] = out.virial[k] / volume;
  } else {
    out.stress.clear();
  }
  require(std::isfinite(out.energy), "E_VALUE", "Ewald: the energy is not finite");
}

}  // namespace

EwaldResult ewald(const EwaldInput& in, const EwaldParameters& p) {
  EwaldWorkspace ws;
  EwaldResult out;
  ewaldInto(in, p, ws, out);
  return out;
}

namespace {

class EwaldEvaluator final : public Evaluator {
 public:
  EwaldEvaluator(const EwaldParameters& p, const ChargeTable& charges) : p_(p), charges_(charges) {
    validateEwaldParameters(p_);
  }
  std::string name() const override { return p_.pme ? "PME" : "Ewald"; }
  double cutoff() const override { return p_.cutoff; }
  void evaluate(const SystemView& s, const NeighborListData* list, const EvaluationRequest& request,
                EvaluationOutput& out) override {
    charges_.chargesOf(s, name(), q_);
    EwaldInput in;
    in.positions = s.positions;
    in.n = s.n;
    in.charges = q_.data();
    require(s.pbc[0] && s.pbc[1] && s.pbc[2], "E_CELL", name() + ": needs a structure periodic in all three directions");
    in.cell = s.cell;
    in.forces = request.forces;
    in.stress = request.virial;
    in.atomEnergies = request.atomEnergies;
    in.list = list == nullptr ? nullptr : &halfListFor(*list, s, p_.cutoff, scratch_);
    evaluated_ = false;
    ewaldInto(in, p_, workspace_, result_);
    evaluated_ = true;
    copyResult(result_, request, out);
  }
  std::vector<std::pair<std::string, double>> diagnostics() const override {
    if (!evaluated_) return {};
    return {{"real", result_.real}, {"reciprocal", result_.reciprocal}, {"self", result_.self},
            {"background", result_.background}, {"kVectors", static_cast<double>(result_.kVectors)}};
  }

 private:
  EwaldParameters p_;
  ChargeTable charges_;
  std::vector<double> q_;
  NeighborListData scratch_;
  EwaldWorkspace workspace_;
  EwaldResult result_;  // the last evaluation (its memory is reused)
  bool evaluated_ = false;
};

}  // namespace

std::shared_ptr<Evaluator> makeEwaldEvaluator(const EwaldParameters& parameters, const ChargeTable& charges) {
  return std::make_shared<EwaldEvaluator>(parameters, charges);
}

}  // namespace polymorph

// PLIP descriptors: hand-computed values on a three-atom cluster, rows vs contraction,
// finite-difference force rows, thread-count independence, and settings errors.
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/plip_descriptors.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::PlipDescriptorSet;
using polymorph::PlipSettings;
using polymorph::PlipStructure;

constexpr double kPi = 3.14159265358979323846;

// Two elements (0 = Zn, 1 = O), one Gaussian a = 1, b = 2, cutoff 5, 3B l ≤ 2, NB m = 4…5.
PlipSettings settings() {
  PlipSettings s;
  s.elements = 2;
  s.cutoff = 5.0;
  s.twoBody = true;
  s.twoBodyGrid = {{1.0}, {2.0}};
  s.lmax = 2;
  s.threeBodyGrid = {{1.0}, {2.0}};
  s.mmax = 5;
  s.rShort = {2.0, 2.2, 2.2, 2.0};
  s.nBodyGrid = {{1.0}, {2.0}};
  return s;
}

double phi(double r) { return std::exp(-(r - 2.0) * (r - 2.0)) * 0.5 * (1.0 + std::cos(kPi * r / 5.0)); }

// Zn at the origin, O at (2.1, 0, 0) and (0, 2.5, 0): a right angle at Zn.
const std::vector<double> kPositions = {0, 0, 0, 2.1, 0, 0, 0, 2.5, 0};
const std::vector<int32_t> kTypes = {0, 1, 1};

PlipStructure trimer(const std::vector<double>& positions) {
  PlipStructure in;
  in.positions = positions.data();
  in.n = 3;
  in.types = kTypes.data();
  return in;
}

TEST_CASE("plip: hand-computed values of a right-angled trimer") {
  const PlipDescriptorSet set(settings());
  // per element: 2B 2, 3B 3 pairs × 3 l, NB 2 × 2 m
  CHECK(set.featuresPerElement() == 2 + 9 + 4);
  const auto rows = set.rows(trimer(kPositions), false, false);
  const std::size_t F = set.features();
  const double* zn = &rows.atomDescriptors[0];
  CHECK_NEAR(zn[0], 0.0, 0.0);                            // 2B Zn-Zn
  CHECK_NEAR(zn[1], phi(2.1) + phi(2.5), 1e-15);          // 2B Zn-O
  const double product = phi(2.1) * phi(2.5);
  CHECK_NEAR(zn[2 + 2 * 3 + 0], product, 1e-15);          // 3B O-Zn-O l=0
  CHECK_NEAR(zn[2 + 2 * 3 + 1], 0.0, 1e-15);              // cos 90° = 0
  // NB Zn-O: f_s(2.1; 2.2) is in the switching region, f_s(2.5) = 1
  const double r1 = 0.95 * 2.2, r2 = 1.05 * 2.2, u = (2.1 - r1) / (r2 - r1);
  const double rho = phi(2.1) * (u * u * u * (10 - 15 * u + 6 * u * u)) + phi(2.5);
  CHECK_NEAR(zn[11 + 2], std::pow(rho, 4), 1e-14);
  CHECK_NEAR(zn[11 + 3], std::pow(rho, 5), 1e-14);
  // The O block of the Zn row is zero; the first O atom sees Zn (2.1 Å) and O (√(2.1² + 2.5²) Å).
  for (std::size_t f = set.featuresPerElement(); f < F; ++f) CHECK(zn[f] == 0.0);
  const double* o = &rows.atomDescriptors[F + set.featuresPerElement()];
  CHECK_NEAR(o[0], phi(2.1), 1e-15);
  CHECK_NEAR(o[1], phi(std::hypot(2.1, 2.5)), 1e-15);
}

TEST_CASE("plip: contraction equals rows times weights, forces match finite differences") {
  const PlipDescriptorSet set(settings());
  const std::size_t F = set.features();
  std::vector<double> w(F);
  for (std::size_t f = 0; f < F; ++f) w[f] = std::sin(1.0 + 0.7 * static_cast<double>(f));
  const std::vector<double> offsets = {-1.0, -2.0};
  const auto rows = set.rows(trimer(kPositions), true, false);
  const auto model = set.contract(trimer(kPositions), w, offsets, true, false);
  double energy = -1.0 - 2.0 * 2;
  for (std::size_t f = 0; f < F; ++f) energy += w[f] * rows.energyRow[f];
  CHECK_NEAR(model.energy, energy, 1e-13);
  const double h = 1e-5;
  for (std::size_t k = 0; k < 9; ++k) {
    double force = 0.0;
    for (std::size_t f = 0; f < F; ++f) force += w[f] * rows.forceRows[k * F + f];
    CHECK_NEAR(model.forces[k], force, 1e-12);
    std::vector<double> plus = kPositions, minus = kPositions;
    plus[k] += h, minus[k] -= h;
    const double ep = set.contract(trimer(plus), w, offsets, false, false).energy;
    const double em = set.contract(trimer(minus), w, offsets, false, false).energy;
    CHECK_NEAR(model.forces[k], -(ep - em) / (2 * h), 1e-7);
  }
}

TEST_CASE("plip: results do not depend on the thread count") {
  const PlipDescriptorSet set(settings());
  // a periodic cell with 4 atoms, every atom seeing many images
  const std::vector<double> positions = {0.1, 0.2, 0.0, 1.9, 0.1, 0.3, 0.2, 2.1, 1.8, 2.0, 1.7, 2.2};
  const std::vector<int32_t> types = {0, 1, 0, 1};
  const double cell[9] = {4.0, 0.1, 0.0, 0.2, 3.9, 0.0, 0.1, 0.0, 4.2};
  PlipStructure in;
  in.positions = positions.data();
  in.n = 4;
  in.types = types.data();
  in.cell = cell;
  in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  polymorph::setNumThreads(1);
  const auto one = set.rows(in, true, true);
  polymorph::setNumThreads(2);
  const auto two = set.rows(in, true, true);
  CHECK(one.forceRows == two.forceRows);
  CHECK(one.stressRows == two.stressRows);
  CHECK(one.atomDescriptors == two.atomDescriptors);
}

TEST_CASE("plip: force rows built in several atom chunks equal the contraction, for 1 and 2 threads") {
  // 24 Gaussians on 2B and 3B (lmax 5): F_c = 48 + 432; 108 atoms with ~60 neighbours each need
  // ~9e6 slot-gradient doubles, more than two chunks of the 2^22-double budget.
  PlipSettings s;
  s.elements = 2;
  s.cutoff = 6.0;
  s.twoBody = true;
  for (int k = 0; k < 24; ++k) {
    s.twoBodyGrid.widths.push_back(k < 12 ? 0.5 : 1.5);
    s.twoBodyGrid.centres.push_back(0.5 + 0.5 * (k % 12));
  }
  s.lmax = 5;
  s.threeBodyGrid = s.twoBodyGrid;
  const PlipDescriptorSet set(s);
  const std::vector<double> base = {0.1, 0.2, 0.0, 1.9, 0.1, 0.3, 0.2, 2.1, 1.8, 2.0, 1.7, 2.2};
  std::vector<double> positions;
  std::vector<int32_t> types;
  for (int x = 0; x < 3; ++x) {
    for (int y = 0; y < 3; ++y) {
      for (int z = 0; z < 3; ++z) {
        for (int a = 0; a < 4; ++a) {
          const double jitter = 0.01 * std::sin(1.0 + static_cast<double>(positions.size()));
          positions.push_back(base[3 * a] + 4.0 * x + jitter);
          positions.push_back(base[3 * a + 1] + 4.0 * y - jitter);
          positions.push_back(base[3 * a + 2] + 4.0 * z + 0.5 * jitter);
          types.push_back(a % 2);
        }
      }
    }
  }
  const double cell[9] = {12.0, 0.0, 0.0, 0.0, 12.0, 0.0, 0.0, 0.0, 12.0};
  PlipStructure in;
  in.positions = positions.data();
  in.n = types.size();
  in.types = types.data();
  in.cell = cell;
  in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  const std::size_t F = set.features();
  std::vector<double> w(F);
  for (std::size_t f = 0; f < F; ++f) w[f] = 0.01 * std::sin(1.0 + 0.7 * static_cast<double>(f));
  polymorph::setNumThreads(1);
  const auto one = set.rows(in, true, true);
  polymorph::setNumThreads(2);
  const auto two = set.rows(in, true, true);
  CHECK(one.forceRows == two.forceRows);
  CHECK(one.stressRows == two.stressRows);
  const auto model = set.contract(in, w, {0.0, 0.0}, true, true);
  double scale = 0.0;
  for (double f : model.forces) scale = std::max(scale, std::fabs(f));
  CHECK(scale > 1e-3);
  for (std::size_t k = 0; k < 3 * in.n; ++k) {
    double force = 0.0;
    for (std::size_t f = 0; f < F; ++f) force += w[f] * one.forceRows[k * F + f];
    CHECK_NEAR(model.forces[k], force, 1e-12 * scale);
  }
  const int voigt[6][2] = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
  for (int q = 0; q < 6; ++q) {
    double stress = 0.0;
    for (std::size_t f = 0; f < F; ++f) stress += w[f] * one.stressRows[q * F + f];
    CHECK_NEAR(model.stress[3 * voigt[q][0] + voigt[q][1]], stress, 1e-12 * (1.0 + std::fabs(stress)));
  }
}

TEST_CASE("plip: bad settings and inputs throw coded errors") {
  PlipSettings s = settings();
  s.cutoff = 0.0;
  CHECK_THROWS_CODE(PlipDescriptorSet{s}, "E_VALUE");
  s = settings();
  s.twoBodyGrid = {};
  CHECK_THROWS_CODE(PlipDescriptorSet{s}, "E_VALUE");
  s = settings();
  s.rShort = {2.0, 5.0, 5.0, 2.0};
  CHECK_THROWS_CODE(PlipDescriptorSet{s}, "E_VALUE");
  s = settings();
  s.rShort = {2.0, 2.1, 2.2, 2.0};
  CHECK_THROWS_CODE(PlipDescriptorSet{s}, "E_VALUE");
  const PlipDescriptorSet set(settings());
  std::vector<double> w(set.features(), 0.0);
  CHECK_THROWS_CODE(set.contract(trimer(kPositions), std::vector<double>(3, 0.0), {0, 0}, false, false), "E_SHAPE");
  w[0] = std::nan("");
  CHECK_THROWS_CODE(set.contract(trimer(kPositions), w, {0, 0}, false, false), "E_VALUE");
  CHECK_THROWS_CODE(set.rows(trimer(kPositions), false, true), "E_CELL");
  PlipStructure empty;
  CHECK_THROWS_CODE(set.rows(empty, false, false), "E_EMPTY");
}

}  // namespace

// Direct structure factors: Bragg peaks of fcc and rocksalt supercells counted exactly (every
// reciprocal vector of the supercell is either a reflection, |ρ|² = N², or extinct, ρ = 0), the
// same sums for the same crystal in a sheared (unimodular) cell, sampling independent of
// threads, input errors.
#include <cmath>
#include <map>
#include <vector>

#include "core/error.hpp"
#include "core/structure_factor.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
constexpr double kPi = 3.14159265358979323846;

// A cubic supercell reps³ of a conventional cell with a fractional basis (species per site).
struct Crystal {
  std::vector<double> positions, cell;
  std::vector<int32_t> species;
};
Crystal cubic(double a, int reps, const std::vector<std::vector<double>>& basis, const std::vector<int32_t>& kinds) {
  Crystal c;
  for (int x = 0; x < reps; ++x)
    for (int y = 0; y < reps; ++y)
      for (int z = 0; z < reps; ++z)
        for (std::size_t s = 0; s < basis.size(); ++s) {
          c.positions.push_back(a * (basis[s][0] + x));
          c.positions.push_back(a * (basis[s][1] + y));
          c.positions.push_back(a * (basis[s][2] + z));
          c.species.push_back(kinds[s]);
        }
  c.cell = {a * reps, 0, 0, 0, a * reps, 0, 0, 0, a * reps};
  return c;
}

polymorph::StructureFactorSums run(const Crystal& c, int species, const polymorph::StructureFactorParameters& p) {
  polymorph::StructureFactorInput in;
  in.positions = c.positions.data();
  in.n = c.species.size();
  in.species = c.species.data();
  in.speciesCount = species;
  in.cell = c.cell.data();
  return polymorph::structureFactorSums(in, p);
}

// Half-space reciprocal vectors (H, K, L) of the cubic supercell (edge L0) in [qMin, qMax), binned;
// `rho` gives the expected ρ_a per species for a vector (real for these centrosymmetric crystals).
template <class Rho>
void expected(double L0, const polymorph::StructureFactorParameters& p, int species, Rho rho, std::vector<double>& vectors,
              std::vector<double>& products) {
  const int P = species * (species + 1) / 2;
  vectors.assign(p.bins, 0.0);
  products.assign(static_cast<std::size_t>(p.bins) * P, 0.0);
  const int hmax = static_cast<int>(std::ceil(p.qMax * L0 / (2 * kPi)));
  const double width = (p.qMax - p.qMin) / p.bins;
  for (int h = -hmax; h <= hmax; ++h)
    for (int k = -hmax; k <= hmax; ++k)
      for (int l = -hmax; l <= hmax; ++l) {
        if (!(h > 0 || (h == 0 && (k > 0 || (k == 0 && l > 0))))) continue;
        const double q = 2 * kPi / L0 * std::sqrt(double(h * h + k * k + l * l));
        if (q >= p.qMax || q < p.qMin) continue;
        const int bin = std::min(p.bins - 1, static_cast<int>((q - p.qMin) / width));
        vectors[bin] += 1;
        const std::vector<double> r = rho(h, k, l);
        int m = 0;
        for (int a = 0; a < species; ++a)
          for (int b = a; b < species; ++b) products[static_cast<std::size_t>(bin) * P + m++] += r[a] * r[b];
      }
}
}  // namespace

TEST_CASE("structure factor: fcc and rocksalt Bragg peaks exactly, per bin and per species pair") {
  const int reps = 3;
  const double a = 4.05;
  polymorph::StructureFactorParameters p;
  p.qMin = 0.5, p.qMax = 7.0, p.bins = 40;
  // fcc: reflections where H, K, L are multiples of reps with (H, K, L)/reps all even or all odd.
  const Crystal fcc = cubic(a, reps, {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}}, {0, 0, 0, 0});
  const double n = static_cast<double>(fcc.species.size());
  auto bragg = [&](int h, int k, int l) {
    if (h % reps || k % reps || l % reps) return 0;
    const int x = std::abs(h / reps) % 2, y = std::abs(k / reps) % 2, z = std::abs(l / reps) % 2;
    return x == y && y == z ? (x == 0 ? 2 : 1) : 0;  // 2: all even, 1: all odd, 0: extinct
  };
  std::vector<double> vectors, products;
  expected(a * reps, p, 1, [&](int h, int k, int l) { return std::vector<double>{bragg(h, k, l) ? n : 0.0}; }, vectors, products);
  const polymorph::StructureFactorSums s = run(fcc, 1, p);
  double peaks = 0;
  for (int b = 0; b < p.bins; ++b) {
    CHECK(s.vectors[b] == vectors[b]);
    CHECK_NEAR(s.products[b], products[b], 1e-9 * n * n);
    peaks += products[b];
  }
  CHECK(peaks >= 3 * n * n);  // (111), (200), (220) … fall inside the range
  // Rocksalt (A at fcc sites, B shifted by a/2): all-even reflections ρ_A = ρ_B = N/2, all-odd ρ_B = −N/2.
  const Crystal rs = cubic(a, reps, {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.5, .5, .5}, {.5, 0, 0}, {0, .5, 0}, {0, 0, .5}},
                           {0, 0, 0, 0, 1, 1, 1, 1});
  const double half = 0.5 * static_cast<double>(rs.species.size());
  expected(a * reps, p, 2, [&](int h, int k, int l) {
    const int kind = bragg(h, k, l);
    return kind == 0 ? std::vector<double>{0, 0} : std::vector<double>{half, kind == 2 ? half : -half};
  }, vectors, products);
  const polymorph::StructureFactorSums r = run(rs, 2, p);
  for (int b = 0; b < p.bins; ++b) {
    CHECK(r.vectors[b] == vectors[b]);
    for (int m = 0; m < 3; ++m) CHECK_NEAR(r.products[3 * b + m], products[3 * b + m], 1e-9 * half * half);
  }
}

TEST_CASE("structure factor: the same crystal in a sheared cell gives the same sums") {
  const int reps = 3;
  const double a = 4.05;
  Crystal c = cubic(a, reps, {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}}, {0, 0, 0, 0});
  polymorph::StructureFactorParameters p;
  p.qMin = 0.0, p.qMax = 6.0, p.bins = 30;
  const polymorph::StructureFactorSums cubicSums = run(c, 1, p);
  // Rows a' = a + b, b' = b − 2c, c' = c (determinant 1): the same lattice, a triclinic cell.
  const double L = a * reps;
  c.cell = {L, L, 0, 0, L, -2 * L, 0, 0, L};
  for (std::size_t i = 0; i < c.positions.size(); i += 3) c.positions[i + 1] += 2 * L * ((i / 3) % 2);  // some atoms in other images
  const polymorph::StructureFactorSums sheared = run(c, 1, p);
  for (int b = 0; b < p.bins; ++b) {
    CHECK(sheared.vectors[b] == cubicSums.vectors[b]);
    CHECK_NEAR(sheared.qSum[b], cubicSums.qSum[b], 1e-9 * (1 + cubicSums.qSum[b]));
    CHECK_NEAR(sheared.products[b], cubicSums.products[b], 1e-8 * 108 * 108);
  }
}

TEST_CASE("structure factor: sampled vectors are the same for any thread count; errors") {
  Crystal c = cubic(4.0, 4, {{0.1, 0.2, 0.3}, {.55, .5, .45}}, {0, 1});
  for (std::size_t i = 0; i < c.positions.size(); ++i) c.positions[i] += 0.3 * std::sin(1.7 * i);
  polymorph::StructureFactorParameters p;
  p.qMax = 8.0, p.bins = 20, p.vectorsPerBin = 50, p.seed = 7;
  polymorph::setNumThreads(1);
  const polymorph::StructureFactorSums one = run(c, 2, p);
  polymorph::setNumThreads(2);
  const polymorph::StructureFactorSums two = run(c, 2, p);
  polymorph::setNumThreads(0);
  double kept = 0, all = 0;
  p.vectorsPerBin = 0;
  const polymorph::StructureFactorSums full = run(c, 2, p);
  for (int b = 0; b < p.bins; ++b) {
    CHECK(one.vectors[b] == two.vectors[b]);
    for (int m = 0; m < 3; ++m) CHECK_NEAR(one.products[3 * b + m], two.products[3 * b + m], 1e-9 * (1 + std::fabs(one.products[3 * b + m])));
    CHECK(one.vectors[b] <= full.vectors[b]);
    kept += one.vectors[b], all += full.vectors[b];
  }
  CHECK(kept < 0.5 * all);  // the outer bins hold far more than 50 vectors
  polymorph::StructureFactorInput in;
  in.positions = c.positions.data(), in.n = c.species.size(), in.species = c.species.data(), in.speciesCount = 2;
  CHECK_THROWS_CODE(polymorph::structureFactorSums(in, p), "E_CELL");
  in.cell = c.cell.data();
  polymorph::StructureFactorParameters bad = p;
  bad.qMax = 0;
  CHECK_THROWS_CODE(polymorph::structureFactorSums(in, bad), "E_VALUE");
  in.speciesCount = 1;
  CHECK_THROWS_CODE(polymorph::structureFactorSums(in, p), "E_VALUE");  // species 1 out of range
  in.n = 0;
  CHECK_THROWS_CODE(polymorph::structureFactorSums(in, p), "E_EMPTY");
}

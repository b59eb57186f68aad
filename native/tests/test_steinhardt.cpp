// Steinhardt order parameters: Y_lm against closed forms, Wigner 3j values and orthogonality,
// ideal-lattice q_l / ŵ_l (first shells, N nearest, Voronoi weights), averages, species, threads
// bitwise, atoms without neighbours, input errors.
#include <cmath>
#include <complex>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "core/steinhardt.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::SteinhardtInput;
using polymorph::SteinhardtNeighbors;
using polymorph::SteinhardtParameters;
constexpr double kPi = 3.14159265358979323846;

struct Crystal {
  std::vector<double> positions, cell;
  std::vector<int32_t> types;
  SteinhardtInput input() const {
    SteinhardtInput in;
    in.positions = positions.data();
    in.n = positions.size() / 3;
    in.cell = cell.data();
    in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
    in.types = types.empty() ? nullptr : types.data();
    return in;
  }
};

Crystal build(const std::vector<double>& cell, const std::vector<std::vector<double>>& basis, int reps, std::vector<int32_t> types = {}) {
  Crystal c;
  for (int x = 0; x < reps; ++x)
    for (int y = 0; y < reps; ++y)
      for (int z = 0; z < reps; ++z)
        for (std::size_t b = 0; b < basis.size(); ++b) {
          const auto& f = basis[b];
          const double s[3] = {f[0] + x, f[1] + y, f[2] + z};
          for (int a = 0; a < 3; ++a) c.positions.push_back(s[0] * cell[a] + s[1] * cell[3 + a] + s[2] * cell[6 + a]);
          c.types.push_back(types.empty() ? 0 : types[b]);
        }
  for (double v : cell) c.cell.push_back(v * reps);
  return c;
}
const std::vector<double> kCubic = {1, 0, 0, 0, 1, 0, 0, 0, 1};
std::vector<double> scaled(const std::vector<double>& m, double a) {
  std::vector<double> r(m);
  for (double& v : r) v *= a;
  return r;
}
Crystal fcc(int reps = 2) { return build(scaled(kCubic, 4.0), {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}}, reps); }
Crystal bcc(int reps = 2) { return build(scaled(kCubic, 3.0), {{0, 0, 0}, {.5, .5, .5}}, reps); }
Crystal hcp(int reps = 3) {
  const double a = 3.0, c = std::sqrt(8.0 / 3.0) * a;
  return build({a, 0, 0, -a / 2, a * std::sqrt(3.0) / 2, 0, 0, 0, c}, {{1. / 3, 2. / 3, .25}, {2. / 3, 1. / 3, .75}}, reps);
}
Crystal diamond(int reps = 2) {
  return build(scaled(kCubic, 5.0), {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.25, .25, .25}, {.25, .75, .75}, {.75, .25, .75}, {.75, .75, .25}},
               reps, {0, 0, 0, 0, 1, 1, 1, 1});
}

SteinhardtParameters params(std::vector<int> degrees, SteinhardtNeighbors mode, double value = 0) {
  SteinhardtParameters p;
  p.degrees = std::move(degrees);
  p.neighbors = mode;
  if (mode == SteinhardtNeighbors::Cutoff) p.cutoff = value;
  if (mode == SteinhardtNeighbors::Count) p.count = static_cast<int>(value);
  return p;
}

// Every row equals `expected` (one value per degree) to `tol`.
void checkRows(const polymorph::SteinhardtResult& r, const std::vector<double>& expected, double tol) {
  const std::size_t nl = expected.size();
  for (std::size_t i = 0; i < r.neighborCounts.size(); ++i)
    for (std::size_t c = 0; c < nl; ++c) CHECK_NEAR(r.values[i * nl + c], expected[c], tol);
}

TEST_CASE("steinhardt: Y_lm against closed forms") {
  const double theta = 0.7, phi = 2.1;
  const double x = std::sin(theta) * std::cos(phi), y = std::sin(theta) * std::sin(phi), z = std::cos(theta);
  const std::complex<double> e(std::cos(phi), std::sin(phi));
  struct Case { int l, m; std::complex<double> value; };
  const Case cases[] = {
      {0, 0, std::sqrt(1 / (4 * kPi))},
      {1, 1, -std::sqrt(3 / (8 * kPi)) * std::sin(theta) * e},
      {2, 0, std::sqrt(5 / (16 * kPi)) * (3 * z * z - 1)},
      {2, 1, -std::sqrt(15 / (8 * kPi)) * std::sin(theta) * z * e},
      {2, -2, std::sqrt(15 / (32 * kPi)) * std::pow(std::sin(theta), 2) * std::conj(e * e)},
      {3, 3, -std::sqrt(35 / (64 * kPi)) * std::pow(std::sin(theta), 3) * e * e * e},
      {4, 0, 3 / (16 * std::sqrt(kPi)) * (35 * std::pow(z, 4) - 30 * z * z + 3)},
  };
  for (const Case& c : cases) {
    double out[2];
    polymorph::sphericalHarmonic(c.l, c.m, x, y, z, out);
    CHECK_NEAR(out[0], c.value.real(), 1e-14);
    CHECK_NEAR(out[1], c.value.imag(), 1e-14);
  }
  // Addition theorem: Σ_m |Y_lm|² = (2l+1)/4π, up to l = 20.
  for (int l = 0; l <= polymorph::kSteinhardtMaxDegree; ++l) {
    double sum = 0;
    for (int m = -l; m <= l; ++m) {
      double out[2];
      polymorph::sphericalHarmonic(l, m, x, y, z, out);
      sum += out[0] * out[0] + out[1] * out[1];
    }
    CHECK_NEAR(sum, (2 * l + 1) / (4 * kPi), 1e-12);
  }
}

TEST_CASE("steinhardt: Wigner 3j symbols") {
  CHECK_NEAR(polymorph::wigner3jEqual(2, 0, 0), -std::sqrt(2.0 / 35.0), 1e-15);
  CHECK_NEAR(polymorph::wigner3jEqual(4, 0, 0), std::sqrt(18.0 / 1001.0), 1e-15);
  CHECK_NEAR(polymorph::wigner3jEqual(3, 0, 0), 0.0, 1e-15);  // odd l, all m = 0: zero
  CHECK_NEAR(polymorph::wigner3jEqual(1, 1, 0), -1 / std::sqrt(6.0), 1e-15);
  CHECK(polymorph::wigner3jEqual(3, 3, 3) == 0.0);            // |m3| > l
  // Orthogonality: Σ_{m1} (l l l; m1, −m1−m3, m3)² = 1/(2l+1) for every m3.
  for (int l : {2, 6, 12, 20})
    for (int m3 = -l; m3 <= l; m3 += 3) {
      double sum = 0;
      for (int m1 = -l; m1 <= l; ++m1) {
        const double w = polymorph::wigner3jEqual(l, m1, -m1 - m3);
        sum += w * w;
      }
      CHECK_NEAR(sum, 1.0 / (2 * l + 1), 1e-13);
    }
}

TEST_CASE("steinhardt: ideal lattices, first shell by cutoff and by count") {
  const std::vector<int> l = {2, 3, 4, 5, 6, 8, 10, 12};
  checkRows(polymorph::steinhardt(fcc().input(), params(l, SteinhardtNeighbors::Cutoff, 3.2)),
            {0, 0, 0.190941, 0, 0.574524, 0.403915, 0.012857, 0.600083}, 5e-7);
  checkRows(polymorph::steinhardt(fcc().input(), params(l, SteinhardtNeighbors::Count, 12)),
            {0, 0, 0.190941, 0, 0.574524, 0.403915, 0.012857, 0.600083}, 5e-7);
  checkRows(polymorph::steinhardt(bcc().input(), params(l, SteinhardtNeighbors::Count, 8)),
            {0, 0, 0.509175, 0, 0.628539, 0.212762, 0.650154, 0.415339}, 5e-7);
  checkRows(polymorph::steinhardt(bcc().input(), params(l, SteinhardtNeighbors::Count, 14)),
            {0, 0, 0.03637, 0, 0.510688, 0.429322, 0.195191, 0.404799}, 5e-7);
  checkRows(polymorph::steinhardt(hcp().input(), params({3, 4, 5, 6}, SteinhardtNeighbors::Count, 12)),
            {0.0760726, 0.097222, 0.251586, 0.484762}, 5e-7);
  // Closed forms: fcc q6 = freud's PERFECT_FCC_Q6; sc q4 = sqrt(7/12), q6 = sqrt(1/8).
  checkRows(polymorph::steinhardt(fcc().input(), params({6}, SteinhardtNeighbors::Count, 12)), {0.574524259714}, 1e-11);
  const Crystal sc = build(scaled(kCubic, 2.0), {{0, 0, 0}}, 2);
  checkRows(polymorph::steinhardt(sc.input(), params({4, 6}, SteinhardtNeighbors::Count, 6)), {std::sqrt(7.0 / 12), std::sqrt(1.0 / 8)}, 1e-14);
}

TEST_CASE("steinhardt: w_l, averages, Voronoi weights and species") {
  SteinhardtParameters p = params({4, 6}, SteinhardtNeighbors::Count, 12);
  p.wl = true;
  checkRows(polymorph::steinhardt(fcc().input(), p), {-0.159317, -0.013161}, 5e-7);
  checkRows(polymorph::steinhardt(hcp().input(), p), {0.134097, -0.012442}, 5e-6);
  // hcp: averaged odd l shrink to q_l/13.
  SteinhardtParameters a = params({3, 6}, SteinhardtNeighbors::Count, 12);
  a.average = true;
  checkRows(polymorph::steinhardt(hcp().input(), a), {0.0760726 / 13, 0.484762}, 5e-7);
  // Voronoi-weighted bcc (14 faces): q'4 0.224025, q'6 0.56694; fcc = first shell.
  SteinhardtParameters v = params({4, 6}, SteinhardtNeighbors::Voronoi);
  checkRows(polymorph::steinhardt(bcc().input(), v), {0.224025, 0.56694}, 5e-7);
  checkRows(polymorph::steinhardt(fcc().input(), v), {0.190941, 0.574524}, 5e-7);
  // Diamond: Voronoi all species q'3 0.619; each species' sub-lattice is fcc.
  v.degrees = {3, 4, 6};
  checkRows(polymorph::steinhardt(diamond().input(), v), {0.619003, 0.455228, 0.424595}, 5e-7);
  v.sameSpecies = true;
  const auto same = polymorph::steinhardt(diamond().input(), v);
  checkRows(same, {0.0, 0.190941, 0.574524}, 5e-7);
  for (int32_t c : same.neighborCounts) CHECK(c == 12);
}

TEST_CASE("steinhardt: threads give bitwise identical rows; atoms without neighbours are NaN") {
  Crystal c = fcc(3);
  polymorph::Random random(3);
  for (double& x : c.positions) x += 0.2 * random.normal();
  for (SteinhardtNeighbors mode : {SteinhardtNeighbors::Cutoff, SteinhardtNeighbors::Count, SteinhardtNeighbors::Voronoi}) {
    SteinhardtParameters p = params({2, 4, 6, 8}, mode, mode == SteinhardtNeighbors::Cutoff ? 3.5 : 12);
    p.average = true;
    p.wl = mode == SteinhardtNeighbors::Count;
    polymorph::setNumThreads(1);
    const auto one = polymorph::steinhardt(c.input(), p);
    polymorph::setNumThreads(2);
    const auto two = polymorph::steinhardt(c.input(), p);
    CHECK(one.values == two.values);
    CHECK(one.neighborCounts == two.neighborCounts);
  }
  polymorph::setNumThreads(0);
  // Two atoms 5 Å apart, open, cutoff 3 Å: no neighbours → NaN, count 0.
  std::vector<double> positions = {0, 0, 0, 5, 0, 0};
  SteinhardtInput in;
  in.positions = positions.data();
  in.n = 2;
  const auto r = polymorph::steinhardt(in, params({4, 6}, SteinhardtNeighbors::Cutoff, 3.0));
  CHECK(r.neighborCounts[0] == 0 && r.neighborCounts[1] == 0);
  CHECK(std::isnan(r.values[0]) && std::isnan(r.values[3]));
}

TEST_CASE("steinhardt: errors") {
  std::vector<double> positions = {0, 0, 0, 1.5, 0, 0};
  SteinhardtInput in;
  in.positions = positions.data();
  in.n = 2;
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({}, SteinhardtNeighbors::Cutoff, 3.0)), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({21}, SteinhardtNeighbors::Cutoff, 3.0)), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({-1}, SteinhardtNeighbors::Cutoff, 3.0)), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({6}, SteinhardtNeighbors::Cutoff, -1.0)), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({6}, SteinhardtNeighbors::Count, 0)), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({6}, SteinhardtNeighbors::Count, 2)), "E_VALUE");
  SteinhardtParameters same = params({6}, SteinhardtNeighbors::Cutoff, 3.0);
  same.sameSpecies = true;
  CHECK_THROWS_CODE(polymorph::steinhardt(in, same), "E_VALUE");
  in.n = 0;
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({6}, SteinhardtNeighbors::Cutoff, 3.0)), "E_EMPTY");
  std::vector<double> twin = {0, 0, 0, 0, 0, 0};
  in.positions = twin.data();
  in.n = 2;
  CHECK_THROWS_CODE(polymorph::steinhardt(in, params({6}, SteinhardtNeighbors::Cutoff, 3.0)), "E_VALUE");
}

}  // namespace

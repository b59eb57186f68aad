// Ewald and Coulomb: Madelung constants (rocksalt, CsCl), finite-difference forces and stress
// of a charged triclinic cell (background on), α independence, per-atom energies, threads,
// DSF continuity, input errors.
#include <cmath>
#include <vector>

#include "core/coulomb.hpp"
#include "core/error.hpp"
#include "core/ewald.hpp"
#include "core/fft.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::EwaldInput;
using polymorph::EwaldParameters;

// Parameters from a target accuracy (the TypeScript default rule with a given α).
EwaldParameters parametersFor(double alpha, double accuracy) {
  EwaldParameters p;
  const double s = std::sqrt(-std::log(accuracy));
  p.alpha = alpha;
  p.cutoff = s / alpha;
  p.kCutoff = 2 * alpha * s;
  p.coulombConstant = 1.0;
  return p;
}

struct Crystal {
  std::vector<double> positions, charges, cell;
  EwaldInput input() const {
    EwaldInput in;
    in.positions = positions.data();
    in.n = charges.size();
    in.charges = charges.data();
    in.cell = cell.data();
    return in;
  }
};

Crystal rocksalt(double a) {
  Crystal c;
  c.cell = {a, 0, 0, 0, a, 0, 0, 0, a};
  const double h = a / 2;
  const double fcc[4][3] = {{0, 0, 0}, {0, h, h}, {h, 0, h}, {h, h, 0}};
  for (int s = 0; s < 2; ++s)
    for (const auto& p : fcc) {
      c.positions.insert(c.positions.end(), {p[0] + s * h, p[1], p[2]});
      c.charges.push_back(s == 0 ? 1.0 : -1.0);
    }
  return c;
}

// Five charges (total +1) in a skewed cell.
Crystal chargedTriclinic() {
  Crystal c;
  c.cell = {5.1, 0.3, -0.2, 0.8, 4.7, 0.1, -0.4, 0.6, 5.5};
  c.positions = {0.1, 0.2, 0.3, 2.4, 0.5, 1.1, 1.2, 3.1, 2.2, 3.9, 2.5, 4.0, 0.7, 1.9, 3.6};
  c.charges = {1.0, -1.0, 2.0, -1.5, 0.5};
  return c;
}

}  // namespace

TEST_CASE("ewald: Madelung constants of rocksalt and CsCl to 1e-12") {
  const double a = 5.64;
  Crystal nacl = rocksalt(a);
  auto r = polymorph::ewald(nacl.input(), parametersFor(0.7, 1e-15));
  CHECK_NEAR(-r.energy / 4 * (a / 2), 1.7475645946331822, 1e-12);
  Crystal cscl;
  cscl.cell = {4.12, 0, 0, 0, 4.12, 0, 0, 0, 4.12};
  cscl.positions = {0, 0, 0, 2.06, 2.06, 2.06};
  cscl.charges = {1, -1};
  r = polymorph::ewald(cscl.input(), parametersFor(0.8, 1e-15));
  CHECK_NEAR(-r.energy * (4.12 * std::sqrt(3.0) / 2), 1.7626747730709883, 1e-12);
}

TEST_CASE("ewald: charged triclinic cell, forces and stress by finite differences, α independence, atom energies") {
  Crystal c = chargedTriclinic();
  EwaldInput in = c.input();
  in.forces = in.stress = in.atomEnergies = true;
  const auto p = parametersFor(0.6, 1e-14);
  const auto r = polymorph::ewald(in, p);
  CHECK(std::fabs(r.background) > 0);
  const auto other = polymorph::ewald(in, parametersFor(0.9, 1e-14));
  CHECK_NEAR(r.energy, other.energy, 1e-11 * std::fabs(r.energy));
  double sum = 0;
  for (double e : r.atomEnergies) sum += e;
  CHECK_NEAR(sum, r.energy, 1e-12 * std::fabs(r.energy));
  const double h = 1e-5;
  for (std::size_t k = 0; k < c.positions.size(); ++k) {
    Crystal d = c;
    d.positions[k] += h;
    const double plus = polymorph::ewald(d.input(), p).energy;
    d.positions[k] -= 2 * h;
    const double minus = polymorph::ewald(d.input(), p).energy;
    CHECK_NEAR(r.forces[k], -(plus - minus) / (2 * h), 1e-7);
  }
  // σ_ab = (1/V) ∂E/∂ε_ab for symmetric strain (r → r (I + ε), cell likewise).
  const double volume = 5.1 * (4.7 * 5.5 - 0.1 * 0.6) - 0.3 * (0.8 * 5.5 - 0.1 * -0.4) + -0.2 * (0.8 * 0.6 - 4.7 * -0.4);
  for (int a = 0; a < 3; ++a)
    for (int b = a; b < 3; ++b) {
      double e[2];
      for (int sign = 0; sign < 2; ++sign) {
        const double eps = sign == 0 ? h : -h;
        double m[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        m[3 * a + b] += eps / 2, m[3 * b + a] += eps / 2;
        Crystal d = c;
        auto apply = [&](std::vector<double>& rows) {
          for (std::size_t i = 0; i < rows.size(); i += 3) {
            const double x = rows[i], y = rows[i + 1], z = rows[i + 2];
            for (int q = 0; q < 3; ++q) rows[i + q] = x * m[q] + y * m[3 + q] + z * m[6 + q];
          }
        };
        apply(d.positions);
        apply(d.cell);
        e[sign] = polymorph::ewald(d.input(), p).energy;
      }
      CHECK_NEAR(r.stress[3 * a + b], (e[0] - e[1]) / (2 * h) / std::fabs(volume), 1e-8);
    }
}

TEST_CASE("ewald: one thread and two threads agree to 1e-12") {
  Crystal c = chargedTriclinic();
  EwaldInput in = c.input();
  in.forces = in.stress = in.atomEnergies = true;
  const int saved = polymorph::numThreads();
  polymorph::setNumThreads(1);
  const auto one = polymorph::ewald(in, parametersFor(0.6, 1e-12));
  polymorph::setNumThreads(2);
  const auto two = polymorph::ewald(in, parametersFor(0.6, 1e-12));
  polymorph::setNumThreads(saved);
  CHECK_NEAR(one.energy, two.energy, 1e-12 * std::fabs(one.energy));
  for (std::size_t k = 0; k < one.forces.size(); ++k) CHECK_NEAR(one.forces[k], two.forces[k], 1e-12);
}

TEST_CASE("ewald: errors (charged cell without background, singular cell, NaN charge, overlap, bad α)") {
  Crystal c = chargedTriclinic();
  auto p = parametersFor(0.6, 1e-8);
  p.background = false;
  CHECK_THROWS_CODE(polymorph::ewald(c.input(), p), "E_VALUE");
  p.background = true;
  Crystal flat = c;
  flat.cell = {4, 0, 0, 0, 4, 0, 4, 4, 0};
  CHECK_THROWS_CODE(polymorph::ewald(flat.input(), p), "E_CELL");
  Crystal nan = c;
  nan.charges[1] = std::nan("");
  CHECK_THROWS_CODE(polymorph::ewald(nan.input(), p), "E_VALUE");
  Crystal overlap = c;
  overlap.positions[3] = overlap.positions[0], overlap.positions[4] = overlap.positions[1], overlap.positions[5] = overlap.positions[2];
  CHECK_THROWS_CODE(polymorph::ewald(overlap.input(), p), "E_VALUE");
  p.alpha = -1;
  CHECK_THROWS_CODE(polymorph::ewald(c.input(), p), "E_VALUE");
}

TEST_CASE("coulomb: direct dimer, DSF continuity at the cutoff, periodic direct sum refused") {
  std::vector<double> x = {0, 0, 0, 2.5, 0, 0}, q = {1, -1};
  polymorph::CoulombInput in;
  in.positions = x.data();
  in.n = 2;
  in.charges = q.data();
  in.forces = true;
  polymorph::CoulombParameters p;
  p.coulombConstant = 1.0;
  auto r = polymorph::coulomb(in, p);
  CHECK_NEAR(r.energy, -1 / 2.5, 1e-15);
  CHECK_NEAR(r.forces[0], 1 / 6.25, 1e-15);
  p.dsf = true, p.alpha = 0.2, p.cutoff = 5.0;
  x[3] = 5.0 - 1e-9;
  const auto inside = polymorph::coulomb(in, p);
  x[3] = 5.0 + 1e-9;
  const auto outside = polymorph::coulomb(in, p);
  CHECK_NEAR(inside.energy, outside.energy, 1e-14);
  CHECK_NEAR(inside.forces[0], 0.0, 1e-9);
  std::vector<double> cell = {10, 0, 0, 0, 10, 0, 0, 0, 10};
  in.cell = cell.data();
  in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  p.dsf = false;
  CHECK_THROWS_CODE(polymorph::coulomb(in, p), "E_CELL");
}

TEST_CASE("fft: mixed-radix transforms equal the direct DFT (lengths 1…30, 7, 49, 60), 3D round trip") {
  const double pi = 3.14159265358979323846;
  for (int n : {1, 2, 3, 4, 5, 6, 8, 9, 12, 15, 16, 25, 27, 30, 7, 49, 60}) {
    std::vector<polymorph::Complex> x(static_cast<std::size_t>(n)), y, work(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) x[static_cast<std::size_t>(k)] = polymorph::Complex(std::sin(1.3 * k + 0.2), std::cos(0.7 * k * k));
    for (int sign : {-1, 1}) {
      y = x;
      polymorph::Fft(n, sign).transform(y.data(), work.data());
      for (int m = 0; m < n; ++m) {
        polymorph::Complex direct = 0.0;
        for (int k = 0; k < n; ++k) direct += x[static_cast<std::size_t>(k)] * std::polar(1.0, sign * 2 * pi * m * k / n);
        CHECK_NEAR(std::abs(y[static_cast<std::size_t>(m)] - direct), 0.0, 1e-12 * n);
      }
    }
  }
  const int dims[3] = {6, 10, 9};
  std::vector<polymorph::Complex> grid(540), original;
  for (std::size_t k = 0; k < grid.size(); ++k) grid[k] = polymorph::Complex(std::cos(0.37 * k), 0.1 * k);
  original = grid;
  polymorph::fft3d(grid, dims, -1, 2);
  polymorph::fft3d(grid, dims, +1, 2);
  for (std::size_t k = 0; k < grid.size(); ++k) CHECK_NEAR(std::abs(grid[k] / 540.0 - original[k]), 0.0, 1e-12);
  CHECK(polymorph::smoothSize(7) == 8 && polymorph::smoothSize(31) == 32 && polymorph::smoothSize(61) == 64 && polymorph::smoothSize(26) == 27);
}

TEST_CASE("pme: agrees with the k-vector sum, forces are −∂E/∂r") {
  Crystal c = chargedTriclinic();
  EwaldInput in = c.input();
  in.forces = true;
  auto p = parametersFor(0.6, 1e-12);
  const auto exact = polymorph::ewald(in, p);
  p.pme = true;
  p.order = 8;
  p.grid[0] = p.grid[1] = p.grid[2] = 32;
  const auto r = polymorph::ewald(in, p);
  CHECK_NEAR(r.energy, exact.energy, 1e-8 * std::fabs(exact.energy));
  for (std::size_t k = 0; k < r.forces.size(); ++k) CHECK_NEAR(r.forces[k], exact.forces[k], 1e-7);
  const double h = 1e-5;
  for (std::size_t k = 0; k < 6; ++k) {
    Crystal d = c;
    d.positions[k] += h;
    const double plus = polymorph::ewald(d.input(), p).energy;
    d.positions[k] -= 2 * h;
    const double minus = polymorph::ewald(d.input(), p).energy;
    CHECK_NEAR(r.forces[k], -(plus - minus) / (2 * h), 1e-8);
  }
}

// Lennard-Jones: analytic dimer, minimum, shift, fcc lattice sums, self-images, brute force,
// finite differences of energy (forces, stress), threads, and input errors.
#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/lennard_jones.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::LennardJonesInput;
using polymorph::LennardJonesParameters;
using polymorph::LennardJonesResult;

constexpr double kPi = 3.14159265358979323846;

LennardJonesParameters oneType(double epsilon, double sigma, double cutoff, bool shift) {
  LennardJonesParameters p;
  p.types = 1;
  p.epsilon = {epsilon};
  p.sigma = {sigma};
  p.cutoff = {cutoff};
  p.shift = shift;
  return p;
}

// Two types with Lorentz-Berthelot cross terms and per-pair cutoffs.
LennardJonesParameters twoTypes(bool shift) {
  LennardJonesParameters p;
  p.types = 2;
  const double e0 = 0.0104, e1 = 0.014, s0 = 3.40, s1 = 3.65;
  const double e01 = std::sqrt(e0 * e1), s01 = 0.5 * (s0 + s1);
  p.epsilon = {e0, e01, e01, e1};
  p.sigma = {s0, s01, s01, s1};
  p.cutoff = {8.5, 8.8, 8.8, 9.1};
  p.shift = shift;
  return p;
}

double phi(double epsilon, double sigma, double r) {
  const double x = std::pow(sigma / r, 6);
  return 4.0 * epsilon * (x * x - x);
}
double dphi(double epsilon, double sigma, double r) {
  const double x = std::pow(sigma / r, 6);
  return 4.0 * epsilon * (-12.0 * x * x + 6.0 * x) / r;
}

struct System {
  std::vector<double> positions, cell;
  std::vector<int32_t> types;
  bool pbc[3] = {true, true, true};
  bool hasCell = true;

  LennardJonesInput input(bool forces = true, bool stress = true, bool atomEnergies = true) const {
    LennardJonesInput in;
    in.positions = positions.data();
    in.n = types.size();
    in.types = types.data();
    in.cell = hasCell ? cell.data() : nullptr;
    for (int k = 0; k < 3; ++k) in.pbc[k] = pbc[k];
    in.forces = forces;
    in.stress = stress;
    in.atomEnergies = atomEnergies;
    return in;
  }
};

System dimer(double r) {
  System s;
  s.positions = {0.1, 0.2, 0.3, 0.1 + r, 0.2, 0.3};
  s.types = {0, 0};
  s.hasCell = false;
  s.pbc[0] = s.pbc[1] = s.pbc[2] = false;
  return s;
}

// A rattled skewed triclinic crystal with random types; small, so atoms see their own images.
System rattledTriclinic(unsigned seed, int nx, int ny, int nz, double spacing, double rattle) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  System s;
  const double a = spacing;
  const double base[9] = {a, 0.1 * a, 0.0, 0.3 * a, 0.95 * a, 0.05 * a, -0.2 * a, 0.25 * a, 1.05 * a};
  const int reps[3] = {nx, ny, nz};
  s.cell.resize(9);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) s.cell[3 * r + c] = base[3 * r + c] * reps[r];
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j)
      for (int k = 0; k < nz; ++k) {
        for (int c = 0; c < 3; ++c)
          s.positions.push_back(i * base[c] + j * base[3 + c] + k * base[6 + c] + rattle * u(rng));
        s.types.push_back(static_cast<int32_t>(rng() % 2));
      }
  return s;
}

// O(N² · images) reference: E = ½ Σ_i Σ_(j,S)≠(i,0) φ, forces, stress, atom energies.
LennardJonesResult bruteForce(const System& s, const LennardJonesParameters& p) {
  const std::size_t n = s.types.size();
  LennardJonesResult out;
  out.forces.assign(3 * n, 0.0);
  out.atomEnergies.assign(n, 0.0);
  std::vector<double> virial(9, 0.0);
  polymorph::Mat3 m;
  std::copy(s.cell.begin(), s.cell.end(), m.begin());
  const double rcMax = *std::max_element(p.cutoff.begin(), p.cutoff.end());
  int range[3];
  for (int k = 0; k < 3; ++k) range[k] = s.pbc[k] ? static_cast<int>(std::ceil(rcMax / polymorph::planeSpacing(m, k))) + 2 : 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (int a = -range[0]; a <= range[0]; ++a)
        for (int b = -range[1]; b <= range[1]; ++b)
          for (int c = -range[2]; c <= range[2]; ++c) {
            if (i == j && a == 0 && b == 0 && c == 0) continue;
            double d[3];
            for (int x = 0; x < 3; ++x)
              d[x] = s.positions[3 * j + x] + a * m[x] + b * m[3 + x] + c * m[6 + x] - s.positions[3 * i + x];
            const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            const int k = s.types[i] * p.types + s.types[j];
            if (r >= p.cutoff[k]) continue;
            const double e = phi(p.epsilon[k], p.sigma[k], r) - (p.shift ? phi(p.epsilon[k], p.sigma[k], p.cutoff[k]) : 0.0);
            const double f = dphi(p.epsilon[k], p.sigma[k], r) / r;
            out.energy += 0.5 * e;
            out.atomEnergies[i] += 0.5 * e;
            for (int x = 0; x < 3; ++x) out.forces[3 * i + x] += f * d[x];
            for (int x = 0; x < 3; ++x)
              for (int y = 0; y < 3; ++y) virial[3 * x + y] += 0.5 * f * d[x] * d[y];
          }
  const double volume = std::fabs(polymorph::determinant(m));
  out.stress.resize(9);
  for (int k = 0; k < 9; ++k) out.stress[k] = virial[k] / volume;
  return out;
}

double maxAbs(const std::vector<double>& v) {
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

double maxDiff(const std::vector<double>& a, const std::vector<double>& b) {
  CHECK(a.size() == b.size());
  double m = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) m = std::max(m, std::fabs(a[k] - b[k]));
  return m;
}

double energyOf(const System& s, const LennardJonesParameters& p) {
  return polymorph::lennardJones(s.input(false, false, false), p).energy;
}

// Applies the symmetric strain (I + ε) to cell rows and positions.
System strained(const System& s, int a, int b, double h) {
  double e[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  e[3 * a + b] += 0.5 * h;
  e[3 * b + a] += 0.5 * h;
  System t = s;
  auto apply = [&](std::vector<double>& v) {
    for (std::size_t r = 0; r < v.size() / 3; ++r) {
      double x[3] = {v[3 * r], v[3 * r + 1], v[3 * r + 2]};
      for (int c = 0; c < 3; ++c) v[3 * r + c] = x[c] + x[0] * e[c] + x[1] * e[3 + c] + x[2] * e[6 + c];
    }
  };
  apply(t.positions);
  apply(t.cell);
  return t;
}

// One-atom primitive fcc cell with nearest-neighbour distance `nearest` (Å).
System primitiveFcc(double nearest) {
  const double h = nearest / std::sqrt(2.0);  // a/2 with a = √2 · nearest
  System s;
  s.cell = {0, h, h, h, 0, h, h, h, 0};
  s.positions = {0.0, 0.0, 0.0};
  s.types = {0};
  return s;
}

}  // namespace

TEST_CASE("lennard-jones: dimer energy, force and atom energies against the formula") {
  const double epsilon = 0.0104, sigma = 3.40, r = 1.3 * sigma;
  const System s = dimer(r);
  const LennardJonesResult res = polymorph::lennardJones(s.input(true, false, true), oneType(epsilon, sigma, 8.5, false));
  const double x = std::pow(sigma / r, 6);
  CHECK_NEAR(res.energy, 4 * epsilon * (x * x - x), 1e-16);
  const double force = -4 * epsilon * (-12 * x * x + 6 * x) / r;  // on atom 1 along +x (−dφ/dr)
  CHECK_NEAR(res.forces[3], force, 1e-16);
  CHECK_NEAR(res.forces[0], -force, 1e-16);
  for (int k : {1, 2, 4, 5}) CHECK_NEAR(res.forces[k], 0.0, 0.0);
  CHECK_NEAR(res.atomEnergies[0], 0.5 * res.energy, 1e-18);
  CHECK_NEAR(res.atomEnergies[1], 0.5 * res.energy, 1e-18);
}

TEST_CASE("lennard-jones: minimum of the dimer at 2^(1/6) sigma with depth epsilon") {
  const double epsilon = 0.25, sigma = 1.7;
  const System s = dimer(std::pow(2.0, 1.0 / 6.0) * sigma);
  const LennardJonesResult res = polymorph::lennardJones(s.input(true, false, false), oneType(epsilon, sigma, 5.0, false));
  CHECK_NEAR(res.energy, -epsilon, 1e-14);
  CHECK_NEAR(res.forces[0], 0.0, 1e-13);
  CHECK_NEAR(res.forces[3], 0.0, 1e-13);
}

TEST_CASE("lennard-jones: shifted energy vanishes at the cutoff; nothing beyond it") {
  const double epsilon = 0.0104, sigma = 3.40, cutoff = 2.5 * sigma;
  const double below = cutoff * (1 - 1e-12);
  const double shifted = energyOf(dimer(below), oneType(epsilon, sigma, cutoff, true));
  const double plain = energyOf(dimer(below), oneType(epsilon, sigma, cutoff, false));
  CHECK_NEAR(shifted, 0.0, 1e-14);  // φ'(rc)·rc·1e-12 ≈ 1e-15 eV from the 1e-12 step
  CHECK_NEAR(plain, phi(epsilon, sigma, cutoff), 1e-14);
  CHECK(energyOf(dimer(cutoff * (1 + 1e-12)), oneType(epsilon, sigma, cutoff, false)) == 0.0);
  // Inside: shift moves the energy by −φ(rc), forces are unchanged.
  const System s = dimer(1.5 * sigma);
  const auto a = polymorph::lennardJones(s.input(true, false, false), oneType(epsilon, sigma, cutoff, true));
  const auto b = polymorph::lennardJones(s.input(true, false, false), oneType(epsilon, sigma, cutoff, false));
  CHECK_NEAR(a.energy - b.energy, -phi(epsilon, sigma, cutoff), 1e-16);
  CHECK(maxDiff(a.forces, b.forces) == 0.0);
}

TEST_CASE("lennard-jones: fcc lattice sums A12 = 12.13188, A6 = 14.45392") {
  // One atom per primitive cell: every neighbour is an image of the atom itself.
  const double epsilon = 1.0, sigma = 1.0, nearest = 1.1;
  const double cutoff = 30.25 * nearest;  // between shells (fcc shells lie at nearest·√k)
  const System s = primitiveFcc(nearest);
  const LennardJonesResult res = polymorph::lennardJones(s.input(true, true, true), oneType(epsilon, sigma, cutoff, false));
  const double x6 = std::pow(sigma / nearest, 6);
  const double lattice = 2 * epsilon * (12.13188 * x6 * x6 - 14.45392 * x6);
  // Continuum tail beyond the cutoff: ½ ρ ∫_rc^∞ 4π r² φ(r) dr, ρ = √2 / nearest³.
  const double rho = std::sqrt(2.0) / std::pow(nearest, 3);
  const double tail = 0.5 * rho * 4 * kPi * 4 * epsilon *
                      (std::pow(sigma, 12) / (9 * std::pow(cutoff, 9)) - std::pow(sigma, 6) / (3 * std::pow(cutoff, 3)));
  std::cout << "     fcc E/N = " << res.energy << " (+ tail " << tail << "), lattice sum " << lattice
            << ", relative difference " << (res.energy + tail - lattice) / std::fabs(lattice) << "\n";
  CHECK_NEAR(res.energy + tail, lattice, 2e-6 * std::fabs(lattice));
  CHECK_NEAR(res.energy, lattice, 1e-4 * std::fabs(lattice));
  CHECK_NEAR(res.atomEnergies[0], res.energy, 1e-13 * std::fabs(res.energy));  // summed in another order
  CHECK(maxAbs(res.forces) < 1e-12);  // own images only: zero net force
  // Cubic symmetry: isotropic stress, equal to (1/V) dE/d(ln a) / 3 from the lattice sum.
  const double volume = nearest * nearest * nearest / std::sqrt(2.0);
  const double dEdlna = 2 * epsilon * (-12 * 12.13188 * x6 * x6 + 6 * 14.45392 * x6);
  const double isotropic = 1e-12 * std::fabs(res.stress[0]);
  std::cout << "     fcc stress anisotropy " << (res.stress[0] - res.stress[8]) / res.stress[0] << " relative\n";
  CHECK_NEAR(res.stress[0], res.stress[4], isotropic);
  CHECK_NEAR(res.stress[0], res.stress[8], isotropic);
  CHECK_NEAR(res.stress[1], 0.0, isotropic);
  CHECK_NEAR(res.stress[0], dEdlna / (3 * volume), 1e-3 * std::fabs(dEdlna / (3 * volume)));
}

TEST_CASE("lennard-jones: fcc minimum at nearest-neighbour distance 1.0902 sigma") {
  // Golden-section search of E(nearest) on a 1-atom cell with a 20 σ cutoff. The full lattice sum
  // has its minimum at (2 A12 / A6)^(1/6) σ = 1.090172 σ, with E/N = −A6² / (2 A12) ε = −8.6102 ε.
  const double sigma = 1.0, cutoff = 20.0 * sigma;
  auto energy = [&](double d) { return energyOf(primitiveFcc(d), oneType(1.0, sigma, cutoff, false)); };
  double lo = 1.0, hi = 1.2;
  const double g = (std::sqrt(5.0) - 1) / 2;
  for (int it = 0; it < 60; ++it) {
    const double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    if (energy(a) < energy(b)) hi = b; else lo = a;
  }
  const double best = 0.5 * (lo + hi);
  const double rho = std::sqrt(2.0) / std::pow(best, 3);
  const double tail = -0.5 * rho * 4 * kPi * 4 * std::pow(sigma, 6) / (3 * std::pow(cutoff, 3));
  const double exact = std::pow(2 * 12.13188 / 14.45392, 1.0 / 6.0);
  std::cout << "     fcc minimum at nearest = " << best << " sigma (lattice sums: " << exact
            << "), E/N = " << energy(best) << " + tail " << tail << " epsilon\n";
  CHECK_NEAR(best, exact, 1e-4);
  CHECK_NEAR(best, 1.0902, 2e-4);
  CHECK_NEAR(energy(best) + tail, -14.45392 * 14.45392 / (2 * 12.13188), 1e-5);
}

TEST_CASE("lennard-jones: one atom in a small cubic cell sees its own images") {
  // Simple cubic, a = 1.2 σ, cutoff 1.8 a: 6 neighbours at a, 12 at √2 a, 8 at √3 a.
  const double epsilon = 0.5, sigma = 1.0, a = 1.2;
  System s;
  s.cell = {a, 0, 0, 0, a, 0, 0, 0, a};
  s.positions = {0.3, -0.2, 5.0};  // anywhere, even outside the cell
  s.types = {0};
  const auto res = polymorph::lennardJones(s.input(true, true, true), oneType(epsilon, sigma, 1.8 * a, false));
  const double r1 = a, r2 = std::sqrt(2.0) * a, r3 = std::sqrt(3.0) * a;
  const double expected = 0.5 * (6 * phi(epsilon, sigma, r1) + 12 * phi(epsilon, sigma, r2) + 8 * phi(epsilon, sigma, r3));
  CHECK_NEAR(res.energy, expected, 1e-14);
  CHECK(maxAbs(res.forces) < 1e-14);
  // σ_xx = (1/V) ½ Σ φ'(r) x²/r: x² = a² for 2 of the 6, 8 of the 12, all 8.
  const double sxx = 0.5 * (2 * dphi(epsilon, sigma, r1) * a * a / r1 + 8 * dphi(epsilon, sigma, r2) * a * a / r2 +
                            8 * dphi(epsilon, sigma, r3) * a * a / r3) / (a * a * a);
  CHECK_NEAR(res.stress[0], sxx, 1e-13);
  CHECK_NEAR(res.stress[8], sxx, 1e-13);
  CHECK_NEAR(res.stress[1], 0.0, 1e-13);
}

TEST_CASE("lennard-jones: two types in a small triclinic cell equal brute force") {
  for (bool shift : {false, true}) {
    const System s = rattledTriclinic(7 + shift, 2, 2, 1, 3.8, 0.25);
    const auto p = twoTypes(shift);
    const auto res = polymorph::lennardJones(s.input(), p);
    const auto ref = bruteForce(s, p);
    const double scale = std::fabs(ref.energy);
    CHECK_NEAR(res.energy, ref.energy, 1e-12 * scale);
    CHECK(maxDiff(res.forces, ref.forces) < 1e-12 * maxAbs(ref.forces));
    CHECK(maxDiff(res.stress, ref.stress) < 1e-12 * maxAbs(ref.stress));
    CHECK(maxDiff(res.atomEnergies, ref.atomEnergies) < 1e-12 * maxAbs(ref.atomEnergies));
    double sum = 0;
    for (double e : res.atomEnergies) sum += e;
    CHECK_NEAR(sum, res.energy, 1e-13 * scale);
  }
}

TEST_CASE("lennard-jones: slab and cluster equal brute force") {
  System slab = rattledTriclinic(11, 3, 3, 2, 3.8, 0.2);
  slab.pbc[2] = false;
  System cluster = rattledTriclinic(12, 3, 3, 3, 3.8, 0.2);
  cluster.pbc[0] = cluster.pbc[1] = cluster.pbc[2] = false;
  for (const System* s : {&slab, &cluster}) {
    const auto p = twoTypes(true);
    const auto res = polymorph::lennardJones(s->input(), p);
    const auto ref = bruteForce(*s, p);
    CHECK_NEAR(res.energy, ref.energy, 1e-12 * std::fabs(ref.energy));
    CHECK(maxDiff(res.forces, ref.forces) < 1e-12 * maxAbs(ref.forces));
    CHECK(maxDiff(res.stress, ref.stress) < 1e-12 * maxAbs(ref.stress));
  }
}

TEST_CASE("lennard-jones: forces and stress are finite-difference derivatives of the energy") {
  const System s = rattledTriclinic(3, 2, 2, 2, 3.8, 0.3);
  const auto p = twoTypes(true);
  const auto res = polymorph::lennardJones(s.input(), p);
  const double h = 1e-5;
  double forceError = 0.0, stressError = 0.0;
  for (std::size_t k = 0; k < s.positions.size(); ++k) {
    System plus = s, minus = s;
    plus.positions[k] += h;
    minus.positions[k] -= h;
    const double fd = -(energyOf(plus, p) - energyOf(minus, p)) / (2 * h);
    forceError = std::max(forceError, std::fabs(fd - res.forces[k]));
  }
  polymorph::Mat3 m;
  std::copy(s.cell.begin(), s.cell.end(), m.begin());
  const double volume = std::fabs(polymorph::determinant(m));
  for (int a = 0; a < 3; ++a)
    for (int b = a; b < 3; ++b) {
      const double fd = (energyOf(strained(s, a, b, h), p) - energyOf(strained(s, a, b, -h), p)) / (2 * h) / volume;
      stressError = std::max(stressError, std::fabs(fd - res.stress[3 * a + b]));
    }
  std::cout << "     max |F - F_fd| = " << forceError << " eV/Å (max |F| " << maxAbs(res.forces)
            << "), max |σ - σ_fd| = " << stressError << " eV/Å³ (max |σ| " << maxAbs(res.stress) << ")\n";
  CHECK(forceError < 1e-8);
  CHECK(stressError < 1e-9);
}

TEST_CASE("lennard-jones: 1 thread and 2 threads agree") {
  const System s = rattledTriclinic(5, 4, 4, 3, 3.8, 0.3);
  const auto p = twoTypes(false);
  const int saved = polymorph::numThreads();
  polymorph::setNumThreads(1);
  const auto one = polymorph::lennardJones(s.input(), p);
  polymorph::setNumThreads(2);
  const auto two = polymorph::lennardJones(s.input(), p);
  polymorph::setNumThreads(saved);
  CHECK_NEAR(one.energy, two.energy, 1e-13 * std::fabs(one.energy));
  CHECK(maxDiff(one.forces, two.forces) < 1e-13 * maxAbs(one.forces));
  CHECK(maxDiff(one.stress, two.stress) < 1e-13 * maxAbs(one.stress));
  CHECK(maxDiff(one.atomEnergies, two.atomEnergies) < 1e-13 * maxAbs(one.atomEnergies));
}

TEST_CASE("lennard-jones: evaluation on a Verlet list with a skin equals a fresh list") {
  System s = rattledTriclinic(9, 3, 2, 2, 3.8, 0.2);
  const auto p = twoTypes(true);
  polymorph::NeighborListInput nl;
  nl.positions = s.positions.data();
  nl.n = s.types.size();
  nl.cell = s.cell.data();
  nl.pbc[0] = nl.pbc[1] = nl.pbc[2] = true;
  nl.cutoff = polymorph::lennardJonesCutoff(p) + 1.0;  // 1 Å skin
  nl.full = false;
  const auto list = polymorph::buildNeighborList(nl);
  // Move atoms by less than skin/2: the old list stays valid.
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(-0.25, 0.25);
  for (double& x : s.positions) x += u(rng);
  const auto reused = polymorph::lennardJonesOnList(s.input(), p, list);
  const auto fresh = polymorph::lennardJones(s.input(), p);
  CHECK_NEAR(reused.energy, fresh.energy, 1e-13 * std::fabs(fresh.energy));
  CHECK(maxDiff(reused.forces, fresh.forces) < 1e-13 * maxAbs(fresh.forces));
  CHECK(maxDiff(reused.stress, fresh.stress) < 1e-13 * maxAbs(fresh.stress));
  // A full list is refused (in this small cell it holds each atom's own images with ±S).
  nl.full = true;
  nl.positions = s.positions.data();
  CHECK_THROWS_CODE(polymorph::lennardJonesOnList(s.input(), p, polymorph::buildNeighborList(nl)), "E_VALUE");
}

TEST_CASE("lennard-jones: bad input is answered with error codes") {
  const auto p = oneType(0.0104, 3.4, 8.5, false);
  System s = dimer(3.8);
  System empty = s;
  empty.positions.clear();
  empty.types.clear();
  CHECK_THROWS_CODE(polymorph::lennardJones(empty.input(), p), "E_EMPTY");
  CHECK_THROWS_CODE(polymorph::lennardJones(s.input(true, true, false), p), "E_CELL");  // stress, no cell
  System singular = s;
  singular.hasCell = true;
  singular.cell = {1, 0, 0, 2, 0, 0, 0, 0, 1};
  CHECK_THROWS_CODE(polymorph::lennardJones(singular.input(true, true, false), p), "E_CELL");
  System badType = s;
  badType.types[1] = 1;
  CHECK_THROWS_CODE(polymorph::lennardJones(badType.input(), p), "E_VALUE");
  badType.types[1] = -1;
  CHECK_THROWS_CODE(polymorph::lennardJones(badType.input(), p), "E_VALUE");
  System nan = s;
  nan.positions[4] = std::nan("");
  CHECK_THROWS_CODE(polymorph::lennardJones(nan.input(true, false, false), p), "E_VALUE");
  System overlap = dimer(0.0);
  CHECK_THROWS_CODE(polymorph::lennardJones(overlap.input(true, false, false), p), "E_VALUE");
  System periodicNoCell = s;
  periodicNoCell.pbc[0] = true;
  CHECK_THROWS_CODE(polymorph::lennardJones(periodicNoCell.input(true, false, false), p), "E_CELL");

  auto bad = p;
  bad.sigma = {-1.0};
  CHECK_THROWS_CODE(polymorph::validateLennardJones(bad), "E_VALUE");
  bad = p;
  bad.epsilon = {std::nan("")};
  CHECK_THROWS_CODE(polymorph::validateLennardJones(bad), "E_VALUE");
  bad = p;
  bad.cutoff = {0.0};
  CHECK_THROWS_CODE(polymorph::validateLennardJones(bad), "E_VALUE");
  bad = p;
  bad.cutoff = {1.0, 2.0};
  CHECK_THROWS_CODE(polymorph::validateLennardJones(bad), "E_SHAPE");
  auto asymmetric = twoTypes(false);
  asymmetric.sigma[1] += 0.1;
  CHECK_THROWS_CODE(polymorph::validateLennardJones(asymmetric), "E_VALUE");
  bad = p;
  bad.types = 0;
  CHECK_THROWS_CODE(polymorph::validateLennardJones(bad), "E_VALUE");
}

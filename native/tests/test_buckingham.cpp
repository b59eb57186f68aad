// Buckingham: analytic dimer (energy, forces, atom energies), shift, inner maximum r*,
// non-interacting pairs, finite-difference forces, 1 vs 2 threads, and input errors.
#include <cmath>
#include <vector>

#include "core/buckingham.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::BuckinghamParameters;
using polymorph::PairInput;
using polymorph::PairResult;

// O–O of the Bush/Binks set: A = 9547.96 eV, ρ = 0.21916 Å, C = 32 eV·Å⁶.
constexpr double kA = 9547.96, kRho = 0.21916, kC = 32.0;

BuckinghamParameters oneType(double cutoff, bool shift) {
  BuckinghamParameters p;
  p.types = 1;
  p.a = {kA}, p.rho = {kRho}, p.c = {kC}, p.cutoff = {cutoff};
  p.shift = shift;
  return p;
}

double phi(double r) { return kA * std::exp(-r / kRho) - kC / std::pow(r, 6); }
double dphi(double r) { return -kA / kRho * std::exp(-r / kRho) + 6.0 * kC / std::pow(r, 7); }

PairResult dimer(double r, const BuckinghamParameters& p, const std::vector<int32_t>& types = {0, 0}) {
  static double xyz[6];
  xyz[0] = 0.1, xyz[1] = 0.2, xyz[2] = 0.3, xyz[3] = 0.1 + r, xyz[4] = 0.2, xyz[5] = 0.3;
  PairInput in;
  in.positions = xyz;
  in.n = 2;
  in.types = types.data();
  in.forces = in.atomEnergies = true;
  return polymorph::buckingham(in, p);
}
}  // namespace

TEST_CASE("buckingham: dimer energy, forces and atom energies match the formula") {
  const double r = 2.6;
  const PairResult res = dimer(r, oneType(10.0, false));
  CHECK_NEAR(res.energy, phi(r), 1e-13);
  CHECK_NEAR(res.forces[0], dphi(r), 1e-13);
  CHECK_NEAR(res.forces[3], -dphi(r), 1e-13);
  CHECK_NEAR(res.atomEnergies[0], 0.5 * phi(r), 1e-13);
}

TEST_CASE("buckingham: shift subtracts phi(rc); beyond the cutoff nothing") {
  const PairResult shifted = dimer(3.0, oneType(6.0, true)), plain = dimer(3.0, oneType(6.0, false));
  CHECK_NEAR(shifted.energy - plain.energy, -phi(6.0), 1e-15);
  CHECK_NEAR(shifted.forces[0], plain.forces[0], 1e-15);
  CHECK(dimer(6.01, oneType(6.0, false)).energy == 0.0);
}

TEST_CASE("buckingham: inner maximum r* has zero derivative; closer pairs are E_VALUE") {
  const double rStar = polymorph::buckinghamInnerMaximum(kA, kRho, kC);
  CHECK(rStar > 0.5 && rStar < 1.0);
  CHECK(std::fabs(dphi(rStar)) < 1e-8 * kC / std::pow(rStar, 7));
  CHECK_THROWS_CODE(dimer(0.9 * rStar, oneType(10.0, false)), "E_VALUE");
  CHECK(polymorph::buckinghamInnerMaximum(kA, kRho, 0.0) == 0.0);
  CHECK(polymorph::buckinghamInnerMaximum(1.0, 0.1, 1e6) < 0.0);  // no barrier at all
}

TEST_CASE("buckingham: a pair with A = C = 0 does not interact") {
  BuckinghamParameters p;
  p.types = 2;
  p.a = {0, kA, kA, 0}, p.rho = {1, kRho, kRho, 1}, p.c = {0, kC, kC, 0}, p.cutoff = {10, 10, 10, 10};
  CHECK(dimer(2.0, p, {0, 0}).energy == 0.0);
  CHECK_NEAR(dimer(2.0, p, {0, 1}).energy, phi(2.0), 1e-13);
}

TEST_CASE("buckingham: periodic forces match finite differences; 1 thread == 2 threads") {
  // Rattled simple-cubic box of 8 atoms, a = 2.5 Å, cutoff 6 Å (self-images included).
  std::vector<double> xyz;
  std::vector<int32_t> types;
  const double a = 2.5;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k) {
        const int s = 4 * i + 2 * j + k;
        xyz.insert(xyz.end(), {a * i + 0.05 * std::sin(s), a * j + 0.04 * std::cos(3 * s), a * k - 0.03 * std::sin(5 * s)});
        types.push_back(0);
      }
  const double cell[9] = {2 * a, 0, 0, 0, 2 * a, 0, 0, 0, 2 * a};
  PairInput in;
  in.positions = xyz.data(), in.n = 8, in.types = types.data(), in.cell = cell;
  in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  in.forces = in.stress = true;
  const BuckinghamParameters p = oneType(6.0, true);
  const int before = polymorph::numThreads();
  polymorph::setNumThreads(1);
  const PairResult one = polymorph::buckingham(in, p);
  polymorph::setNumThreads(2);
  const PairResult two = polymorph::buckingham(in, p);
  polymorph::setNumThreads(before);
  CHECK_NEAR(one.energy, two.energy, 1e-12 * std::fabs(one.energy));
  const double h = 1e-5;
  for (int k = 0; k < 6; ++k) {
    const double x = xyz[k];
    xyz[k] = x + h;
    const double up = polymorph::buckingham(in, p).energy;
    xyz[k] = x - h;
    const double down = polymorph::buckingham(in, p).energy;
    xyz[k] = x;
    CHECK_NEAR(one.forces[k], -(up - down) / (2 * h), 1e-6);
  }
}

TEST_CASE("buckingham: bad parameters are E_VALUE / E_SHAPE") {
  BuckinghamParameters p = oneType(10.0, false);
  p.a = {-1.0};
  CHECK_THROWS_CODE(polymorph::validateBuckingham(p), "E_VALUE");
  p = oneType(10.0, false), p.rho = {0.0};
  CHECK_THROWS_CODE(polymorph::validateBuckingham(p), "E_VALUE");
  p = oneType(10.0, false), p.c = {NAN};
  CHECK_THROWS_CODE(polymorph::validateBuckingham(p), "E_VALUE");
  p = oneType(-1.0, false);
  CHECK_THROWS_CODE(polymorph::validateBuckingham(p), "E_VALUE");
  p = oneType(10.0, false), p.cutoff = {1.0, 2.0};
  CHECK_THROWS_CODE(polymorph::validateBuckingham(p), "E_SHAPE");
}

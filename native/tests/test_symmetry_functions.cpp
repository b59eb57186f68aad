// Symmetry functions: cutoff functions (types 0–8 with α), compact cores and compact functions
// (symmetric and asymmetric), every function type on a hand-made 4-atom cluster against numbers
// written out from the formulas of specs/n2p2-formats.md §1.4–1.5, stored derivatives against
// finite differences, the contraction against the stored derivatives, and input errors.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "core/cutoff_function.hpp"
#include "core/error.hpp"
#include "core/symmetry_functions.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::CompactFunction;
using polymorph::CoreType;
using polymorph::CutoffFunction;
using polymorph::StructureInput;
using polymorph::SymmetryFunctionParameters;
using polymorph::SymmetryFunctionResult;
using polymorph::SymmetryFunctionSet;

constexpr double kPi = 3.14159265358979323846;
constexpr double kE = 2.71828182845904523536;

double cutoffValue(const CutoffFunction& c, double r) {
  double f, df;
  c.evaluate(r, f, df);
  return f;
}
double cutoffDerivative(const CutoffFunction& c, double r) {
  double f, df;
  c.evaluate(r, f, df);
  return df;
}

// POLY1–POLY4 written out as plain polynomials (not the Horner forms of the implementation).
double poly(int order, double x) {
  switch (order) {
    case 1: return 2 * std::pow(x, 3) - 3 * x * x + 1;
    case 2: return -6 * std::pow(x, 5) + 15 * std::pow(x, 4) - 10 * std::pow(x, 3) + 1;
    case 3: return 20 * std::pow(x, 7) - 70 * std::pow(x, 6) + 84 * std::pow(x, 5) - 35 * std::pow(x, 4) + 1;
    case 4:
      return -70 * std::pow(x, 9) + 315 * std::pow(x, 8) - 540 * std::pow(x, 7) + 420 * std::pow(x, 6) -
             126 * std::pow(x, 5) + 1;
  }
  return NAN;
}
double expCore(double x) { return x >= 1 ? 0.0 : kE * std::exp(1.0 / (x * x - 1.0)); }

SymmetryFunctionParameters gaussian(int type, int element, int e1, int e2, double eta, double rs, double lambda,
                                    double zeta, double rc) {
  SymmetryFunctionParameters f;
  f.type = type;
  f.element = element;
  f.e1 = e1;
  f.e2 = e2;
  f.eta = eta;
  f.rShift = rs;
  f.lambda = lambda;
  f.zeta = zeta;
  f.cutoff = rc;
  return f;
}

SymmetryFunctionParameters compact(int type, int element, int e1, int e2, double rl, double rc, double left,
                                   double right, int core, bool asymmetric) {
  SymmetryFunctionParameters f;
  f.type = type;
  f.element = element;
  f.e1 = e1;
  f.e2 = e2;
  f.rLow = rl;
  f.cutoff = rc;
  f.angleLeft = left;
  f.angleRight = right;
  f.core = core;
  f.asymmetric = asymmetric;
  return f;
}

// Elements H (0, Z = 1), O (1, Z = 8), Zn (2, Z = 30).
const std::vector<int> kNumbers = {1, 8, 30};
enum { H = 0, O = 1, Zn = 2, All = -1 };

// Sets the thread count for a scope and restores the previous one.
struct ThreadCount {
  int saved;
  explicit ThreadCount(int n) : saved(polymorph::numThreads()) { polymorph::setNumThreads(n); }
  ~ThreadCount() { polymorph::setNumThreads(saved); }
};

// A structure and the values/derivatives of a set on it.
struct Atoms {
  std::vector<double> positions;
  std::vector<int32_t> elements;
  std::vector<double> cell;  // empty: open
  bool pbc = false;

  StructureInput input() const {
    StructureInput in;
    in.positions = positions.data();
    in.n = elements.size();
    in.elements = elements.data();
    in.cell = cell.empty() ? nullptr : cell.data();
    for (bool& p : in.pbc) p = pbc;
    return in;
  }
};

// The hand-made cluster: O at the origin, H at (1,0,0) and (1,1,0), Zn at (0,0,2). From O:
// r = 1, √2, 2; θ(H1,H2) = 45°, θ(H,Zn) = 90°; r(H1,H2) = 1, r(H1,Zn) = √5, r(H2,Zn) = √6.
Atoms handCluster() {
  Atoms a;
  a.positions = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 2};
  a.elements = {O, H, H, Zn};
  return a;
}

// G per atom: [atom][function of its element].
std::vector<std::vector<double>> perAtom(const SymmetryFunctionSet& set, const SymmetryFunctionResult& r, std::size_t n) {
  std::vector<std::vector<double>> out(n);
  for (int e = 0; e < set.elements(); ++e) {
    const int count = set.count(e);
    for (std::size_t k = 0; k < r.values.atoms[e].size(); ++k) {
      const int i = r.values.atoms[e][k];
      out[i].assign(r.values.values[e].begin() + k * count, r.values.values[e].begin() + (k + 1) * count);
    }
  }
  return out;
}

std::vector<std::vector<double>> valuesOf(const SymmetryFunctionSet& set, const Atoms& a) {
  return perAtom(set, polymorph::computeSymmetryFunctions(set, a.input(), false), a.elements.size());
}

// ∂G_i,s/∂r_j,x from the stored slots, [i][s][3j + x], and the virial Σ d ⊗ ∂G/∂d, [i][s][3a + b].
struct Dense {
  std::vector<std::vector<std::vector<double>>> gradient, virial;
};
Dense denseDerivatives(const SymmetryFunctionSet& set, const Atoms& a) {
  const std::size_t n = a.elements.size();
  const SymmetryFunctionResult r = polymorph::computeSymmetryFunctions(set, a.input(), true);
  Dense out;
  out.gradient.resize(n);
  out.virial.resize(n);
  for (int e = 0; e < set.elements(); ++e) {
    const int count = set.count(e);
    const auto& d = r.derivatives[e];
    CHECK(d.start.size() == r.values.atoms[e].size() + 1);
    CHECK(d.derivative.size() == d.neighbor.size() * count * 3);
    for (std::size_t k = 0; k < r.values.atoms[e].size(); ++k) {
      const int i = r.values.atoms[e][k];
      out.gradient[i].assign(count, std::vector<double>(3 * n, 0.0));
      out.virial[i].assign(count, std::vector<double>(9, 0.0));
      for (int m = d.start[k]; m < d.start[k + 1]; ++m) {
        const int j = d.neighbor[m];
        for (int s = 0; s < count; ++s)
          for (int x = 0; x < 3; ++x) {
            const double D = d.derivative[(static_cast<std::size_t>(m) * count + s) * 3 + x];
            out.gradient[i][s][3 * j + x] += D;
            out.gradient[i][s][3 * i + x] -= D;
            for (int y = 0; y < 3; ++y) out.virial[i][s][3 * y + x] += d.vector[3 * m + y] * D;
          }
      }
    }
  }
  return out;
}

// Analytic ∂G/∂r and virial against central differences of the values; returns the worst
// |analytic − numeric| relative to max(1, largest analytic entry of that function).
double derivativeError(const SymmetryFunctionSet& set, const Atoms& a, double h = 1e-5) {
  const std::size_t n = a.elements.size();
  const Dense dense = denseDerivatives(set, a);
  double worst = 0.0;
  auto scaleOf = [&](const std::vector<double>& v) {
    double m = 1.0;
    for (double x : v) m = std::max(m, std::fabs(x));
    return m;
  };
  for (std::size_t j = 0; j < n; ++j)
    for (int x = 0; x < 3; ++x) {
      Atoms plus = a, minus = a;
      plus.positions[3 * j + x] += h;
      minus.positions[3 * j + x] -= h;
      const auto gp = valuesOf(set, plus), gm = valuesOf(set, minus);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t s = 0; s < gp[i].size(); ++s) {
          const double numeric = (gp[i][s] - gm[i][s]) / (2 * h);
          worst = std::max(worst, std::fabs(dense.gradient[i][s][3 * j + x] - numeric) / scaleOf(dense.gradient[i][s]));
        }
    }
  for (int p = 0; p < 3; ++p)
    for (int q = 0; q < 3; ++q) {
      Atoms plus = a, minus = a;
      auto strain = [&](std::vector<double>& v, double e) {
        for (std::size_t r = 0; r < v.size() / 3; ++r) v[3 * r + q] += e * v[3 * r + p];
      };
      strain(plus.positions, h);
      strain(plus.cell, h);
      strain(minus.positions, -h);
      strain(minus.cell, -h);
      const auto gp = valuesOf(set, plus), gm = valuesOf(set, minus);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t s = 0; s < gp[i].size(); ++s) {
          const double numeric = (gp[i][s] - gm[i][s]) / (2 * h);
          worst = std::max(worst, std::fabs(dense.virial[i][s][3 * p + q] - numeric) / scaleOf(dense.virial[i][s]));
        }
    }
  return worst;
}

// A rattled periodic triclinic cell with every element, small enough for self-images at r_c = 4.
Atoms rattledCell(unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Atoms a;
  a.pbc = true;
  const double s = 2.2;
  const double base[9] = {s, 0.1 * s, 0.0, 0.3 * s, 0.95 * s, 0.05 * s, -0.2 * s, 0.25 * s, 1.05 * s};
  a.cell.assign(base, base + 9);
  for (int c = 0; c < 3; ++c) a.cell[c] *= 2;  // a ≈ 4.4 Å, b ≈ 2.1 Å, c ≈ 2.3 Å: images along b and c
  const double fractions[3][3] = {{0.0, 0.0, 0.0}, {0.5, 0.1, 0.2}, {0.25, 0.6, 0.55}};
  for (int k = 0; k < 3; ++k) {
    for (int c = 0; c < 3; ++c) {
      double x = 0.0;
      for (int r = 0; r < 3; ++r) x += fractions[k][r] * a.cell[3 * r + c];
      a.positions.push_back(x + 0.1 * u(rng));
    }
    a.elements.push_back(k);
  }
  return a;
}

// Every type with several parameters, for elements H and O (Zn has none).
std::vector<SymmetryFunctionParameters> everyType() {
  std::vector<SymmetryFunctionParameters> f;
  for (int c : {H, O}) {
    f.push_back(gaussian(2, c, Zn, -1, 0.3, 0.5, 0, 1, 3.9));
    f.push_back(gaussian(2, c, H, -1, 1.2, 1.8, 0, 1, 3.5));
    f.push_back(gaussian(3, c, H, O, 0.1, 0.0, 1, 2, 3.9));
    f.push_back(gaussian(3, c, O, Zn, 0.05, 0.3, -1, 3.5, 3.6));
    f.push_back(gaussian(9, c, H, H, 0.1, 0.0, -1, 1, 3.9));
    f.push_back(gaussian(9, c, H, Zn, 0.2, 0.5, 0.7, 5.3, 3.8));
    f.push_back(gaussian(12, c, All, All, 0.4, 1.0, 0, 1, 3.9));
    f.push_back(gaussian(13, c, All, All, 0.1, 0.0, 1, 4, 3.7));
    f.push_back(compact(20, c, O, -1, -3.9, 3.9, 0, 0, 2, false));
    f.push_back(compact(20, c, Zn, -1, 1.5, 3.5, 0, 0, 5, true));
    f.push_back(compact(21, c, H, Zn, 0.5, 3.9, 20, 140, 3, false));
    f.push_back(compact(21, c, O, O, -1.0, 3.9, 0, 100, 1, true));
    f.push_back(compact(22, c, H, O, 0.0, 3.8, 60, 180, 4, false));
    f.push_back(compact(22, c, Zn, Zn, -3.8, 3.8, 30, 150, 5, true));
    f.push_back(compact(23, c, All, All, 1.0, 3.9, 0, 0, 4, true));
    f.push_back(compact(24, c, All, All, -3.9, 3.9, 10, 110, 2, false));
    f.push_back(compact(25, c, All, All, 0.8, 3.7, 45, 135, 5, false));
    f.push_back(compact(25, c, All, All, 0.3, 3.9, 0, 90, 1, true));
  }
  return f;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Cutoff functions

TEST_CASE("symmetry functions: cutoff values at chosen points against the formulas of spec 1.4") {
  const double rc = 4.0;
  for (double alpha : {0.0, 0.3}) {
    const double rci = alpha * rc;
    const double r = 3.0, x = (r - rci) / (rc - rci);
    CHECK_NEAR(cutoffValue(CutoffFunction(0, rc, alpha), r), 1.0, 0.0);
    CHECK_NEAR(cutoffValue(CutoffFunction(1, rc, alpha), r), 0.5 * (std::cos(kPi * x) + 1), 1e-15);
    CHECK_NEAR(cutoffValue(CutoffFunction(2, rc, alpha), r), std::pow(std::tanh(0.25), 3), 1e-15);
    CHECK_NEAR(cutoffValue(CutoffFunction(3, rc, alpha), r), std::pow(std::tanh(0.25) / std::tanh(1.0), 3), 1e-15);
    CHECK_NEAR(cutoffValue(CutoffFunction(4, rc, alpha), r), kE * std::exp(1 / (x * x - 1)), 1e-15);
    for (int order = 1; order <= 4; ++order)
      CHECK_NEAR(cutoffValue(CutoffFunction(4 + order, rc, alpha), r), poly(order, x), 1e-14);
  }
  // All symmetric cores are ½ half way; EXP is exp(1 − 1/(1 − ¼)) = e^(−1/3) there.
  for (int type : {1, 5, 6, 7, 8}) CHECK_NEAR(cutoffValue(CutoffFunction(type, 4.0, 0.5), 3.0), 0.5, 1e-15);
  CHECK_NEAR(cutoffValue(CutoffFunction(4, 4.0, 0.5), 3.0), std::exp(-1.0 / 3.0), 1e-15);
}

TEST_CASE("symmetry functions: cutoff f(r_c) = 0, f = 1 below alpha r_c, f(0) = 1 (tanhU: tanh^3 1)") {
  for (int type = 0; type <= 8; ++type)
    for (double alpha : {0.0, 0.3, 0.6}) {
      const CutoffFunction c(type, 3.5, alpha);
      CHECK_NEAR(cutoffValue(c, 3.5), 0.0, 0.0);
      CHECK_NEAR(cutoffDerivative(c, 3.5), 0.0, 0.0);
      CHECK_NEAR(cutoffValue(c, 5.0), 0.0, 0.0);
      CHECK_NEAR(cutoffValue(c, 0.0), type == 2 ? std::pow(std::tanh(1.0), 3) : 1.0, 1e-15);
      if (type != 0) CHECK(cutoffValue(c, 3.5 * (1 - 1e-7)) < 1e-12);  // continuous at r_c
      if (type == 2 || type == 3) {
        // α is ignored: the same function as α = 0.
        for (double r : {0.2, 1.0, 2.0, 3.0}) CHECK_NEAR(cutoffValue(c, r), cutoffValue(CutoffFunction(type, 3.5, 0.0), r), 0.0);
      } else {
        for (double r : {0.0, 0.5 * alpha * 3.5, alpha * 3.5 * (1 - 1e-12)}) {
          CHECK_NEAR(cutoffValue(c, r), 1.0, 0.0);
          CHECK_NEAR(cutoffDerivative(c, r), 0.0, 0.0);
        }
        CHECK(std::fabs(cutoffValue(c, alpha * 3.5 * (1 + 1e-9)) - 1.0) < 1e-8);  // continuous at α r_c
      }
      // Non-increasing on (0, r_c).
      double previous = 2.0;
      for (int k = 0; k <= 1000; ++k) {
        const double f = cutoffValue(c, 3.5 * k / 1000.0);
        CHECK(f <= previous + 1e-15);
        previous = f;
      }
    }
}

TEST_CASE("symmetry functions: cutoff derivatives against finite differences (types 0-8, with alpha)") {
  for (int type = 0; type <= 8; ++type)
    for (double alpha : {0.0, 0.3}) {
      const double rc = 3.7;
      const CutoffFunction c(type, rc, alpha);
      for (int k = 1; k < 200; ++k) {
        // h = 1e-5: POLY4 in Horner form carries ~1e-14 absolute rounding near x = 1.
        const double r = rc * (k + 0.37) / 200.0, h = 1e-5;
        if (r >= rc - h || std::fabs(r - alpha * rc) < 2 * h) continue;
        const double numeric = (cutoffValue(c, r + h) - cutoffValue(c, r - h)) / (2 * h);
        CHECK_NEAR(cutoffDerivative(c, r), numeric, 1e-8);
      }
    }
}

// ---------------------------------------------------------------------------------------------
// Compact functions

TEST_CASE("symmetry functions: compact cores (POLY1-4, EXP): values, ends, derivatives") {
  const CoreType cores[] = {CoreType::Poly1, CoreType::Poly2, CoreType::Poly3, CoreType::Poly4, CoreType::Exp};
  for (CoreType core : cores) {
    double f, df;
    polymorph::coreFunction(core, 0.0, f, df);
    CHECK_NEAR(f, 1.0, 1e-15);
    CHECK_NEAR(df, 0.0, 0.0);
    polymorph::coreFunction(core, 1.0, f, df);
    CHECK_NEAR(f, 0.0, 1e-15);
    CHECK_NEAR(df, 0.0, 1e-15);
    for (int k = 1; k < 100; ++k) {
      const double x = (k + 0.31) / 101.0, h = 1e-6;
      polymorph::coreFunction(core, x, f, df);
      const int order = static_cast<int>(core);
      CHECK_NEAR(f, core == CoreType::Exp ? expCore(x) : poly(order, x), 1e-13);
      double fp, fm, d;
      polymorph::coreFunction(core, x + h, fp, d);
      polymorph::coreFunction(core, x - h, fm, d);
      CHECK_NEAR(df, (fp - fm) / (2 * h), 1e-7);
    }
  }
}

TEST_CASE("symmetry functions: compact function C(a; l, r) symmetric and asymmetric, with derivatives") {
  const CoreType cores[] = {CoreType::Poly1, CoreType::Poly2, CoreType::Poly3, CoreType::Poly4, CoreType::Exp};
  for (CoreType core : cores)
    for (bool asymmetric : {false, true}) {
      const double l = -1.0, r = 3.0;  // centre 1, half width 2
      const CompactFunction c(l, r, core, asymmetric);
      double f, df;
      c.evaluate(1.0, f, df);
      CHECK_NEAR(f, 1.0, 1e-15);
      CHECK_NEAR(df, 0.0, 1e-15);
      for (int k = 1; k < 100; ++k) {
        const double a = l + (r - l) * (k + 0.29) / 100.3, h = 1e-6;
        c.evaluate(a, f, df);
        double x = std::fabs(a - 1.0) / 2.0;
        if (asymmetric) x = (2 - x) * x;
        CHECK_NEAR(f, core == CoreType::Exp ? expCore(x) : poly(static_cast<int>(core), x), 1e-13);
        // Symmetric about the centre, derivatives odd (the polynomial cores carry ~1e-14 absolute
        // rounding near their ends, whatever the size of the value).
        double g, dg;
        c.evaluate(2.0 - a, g, dg);
        CHECK_NEAR(g, f, 1e-13);
        CHECK_NEAR(dg, -df, 1e-12);
        double fp, fm, d;
        c.evaluate(a + h, fp, d);
        c.evaluate(a - h, fm, d);
        CHECK_NEAR(df, (fp - fm) / (2 * h), 1e-7);
      }
    }
  // Hand values: POLY1 at x = ½ is ½; asymmetric at x = ½ uses p = ¾: (1.5 − 3)·0.5625 + 1 = 0.15625.
  double f, df;
  CompactFunction(-1.0, 3.0, CoreType::Poly1, false).evaluate(2.0, f, df);
  CHECK_NEAR(f, 0.5, 1e-15);
  CHECK_NEAR(df, -0.75, 1e-15);  // core′(½) = 6·¼ − 6·½ = −1.5, times 1/w = ½
  CompactFunction(-1.0, 3.0, CoreType::Poly1, true).evaluate(2.0, f, df);
  CHECK_NEAR(f, 0.15625, 1e-15);
  CHECK_NEAR(df, 6 * 0.75 * (0.75 - 1) * (2 - 2 * 0.5) * 0.5, 1e-15);
}

// ---------------------------------------------------------------------------------------------
// Symmetry functions on a hand-made cluster

TEST_CASE("symmetry functions: every type on a 4-atom cluster against hand-written formulas") {
  const int cutoffType = 1;  // ½[cos(π r / r_c) + 1] with α = 0
  std::vector<SymmetryFunctionParameters> f = {
      gaussian(2, H, Zn, -1, 0.1, 0.0, 0, 1, 3.0),                 // H: 0
      gaussian(2, O, H, -1, 0.5, 0.2, 0, 1, 3.0),                  // O: 0
      gaussian(3, O, H, H, 0.1, 0.0, 1, 2, 3.0),                   // O: 1
      gaussian(9, O, H, Zn, 0.2, 0.0, -1, 1, 3.0),                 // O: 2
      gaussian(12, O, All, All, 0.3, 0.5, 0, 1, 3.0),              // O: 3
      gaussian(13, O, All, All, 0.05, 0.0, 1, 1, 3.0),             // O: 4
      compact(20, O, H, -1, 0.0, 2.0, 0, 0, 2, false),             // O: 5
      compact(20, O, H, -1, 0.5, 2.5, 0, 0, 2, true),              // O: 6
      compact(21, O, H, H, -3.0, 3.0, 0, 90, 1, false),            // O: 7
      compact(22, O, H, Zn, 0.0, 3.0, 60, 120, 5, false),          // O: 8
      compact(23, O, All, All, -3.0, 3.0, 0, 0, 3, false),         // O: 9
      compact(24, O, All, All, 0.5, 3.0, 30, 150, 4, false),       // O: 10
      compact(25, O, All, All, 0.0, 2.2, -90, 90, 2, true),        // O: 11
      gaussian(3, O, H, H, 0.1, 0.0, 1, 2.5, 3.0),                 // O: 12 (non-integer ζ)
  };
  const SymmetryFunctionSet set(kNumbers, cutoffType, 0.0, f);
  CHECK(set.count(H) == 1 && set.count(O) == 13 && set.count(Zn) == 0);
  CHECK_NEAR(set.cutoff(), 3.0, 0.0);
  const auto G = valuesOf(set, handCluster());
  CHECK(G[3].empty());

  const double s2 = std::sqrt(2.0), s5 = std::sqrt(5.0), s6 = std::sqrt(6.0), c45 = 1 / s2;
  auto fc = [](double r) { return 0.5 * (std::cos(kPi * r / 3.0) + 1); };
  auto e = [](double x) { return std::exp(x); };
  // H1 and H2 see Zn at √5 and √6, each other (not Zn) at 1.
  CHECK_NEAR(G[1][0], e(-0.1 * 5) * fc(s5), 1e-15);
  CHECK_NEAR(G[2][0], e(-0.1 * 6) * fc(s6), 1e-15);
  const std::vector<double>& g = G[0];
  CHECK_NEAR(g[0], e(-0.5 * 0.64) * 0.75 + e(-0.5 * (s2 - 0.2) * (s2 - 0.2)) * fc(s2), 1e-15);
  CHECK_NEAR(g[1], 0.5 * std::pow(1 + c45, 2) * e(-0.1 * (1 + 2 + 1)) * fc(1) * fc(s2) * fc(1), 1e-15);
  CHECK_NEAR(g[2], e(-0.2 * (1 + 4)) * fc(1) * fc(2) + e(-0.2 * (2 + 4)) * fc(s2) * fc(2), 1e-15);
  CHECK_NEAR(g[3], e(-0.3 * 0.25) * fc(1) + e(-0.3 * (s2 - 0.5) * (s2 - 0.5)) * fc(s2) + 30 * e(-0.3 * 2.25) * fc(2), 1e-14);
  CHECK_NEAR(g[4], (1 + c45) * e(-0.05 * 4) * fc(1) * fc(s2) * fc(1) +
                       30 * e(-0.05 * (1 + 4 + 5)) * fc(1) * fc(2) * fc(s5) +
                       30 * e(-0.05 * (2 + 4 + 6)) * fc(s2) * fc(2) * fc(s6),
             1e-14);
  CHECK_NEAR(g[5], 1.0 + poly(2, s2 - 1), 1e-15);
  CHECK_NEAR(g[6], poly(2, 0.5 * 1.5) + poly(2, (1.5 - s2) * (2 - (1.5 - s2))), 1e-15);
  CHECK_NEAR(g[7], poly(1, 1 / 3.0) * poly(1, s2 / 3) * poly(1, 1 / 3.0) * 1.0, 1e-15);  // θ = 45° is the centre
  CHECK_NEAR(g[8], expCore(0.5 / 1.5) * expCore(0.5 / 1.5) + expCore((1.5 - s2) / 1.5) * expCore(0.5 / 1.5), 1e-15);
  CHECK_NEAR(g[9], poly(3, 1 / 3.0) + poly(3, s2 / 3) + 30 * poly(3, 2 / 3.0), 1e-14);
  {
    auto C = [](double r) { return poly(4, std::fabs(r - 1.75) / 1.25); };
    const double angle45 = poly(4, 45.0 / 60.0), angle90 = 1.0;
    CHECK_NEAR(g[10], C(1) * C(s2) * C(1) * angle45 + 30 * C(1) * C(2) * C(s5) * angle90 + 30 * C(s2) * C(2) * C(s6) * angle90,
               1e-13);
  }
  {
    auto C = [](double r) {
      const double x = std::fabs(r - 1.1) / 1.1;
      return poly(2, x * (2 - x));
    };
    // θ = 90° sits on the window's right end: counted, with C(θ) = 0.
    CHECK_NEAR(g[11], C(1) * C(s2) * poly(2, 0.5), 1e-15);
  }
  CHECK_NEAR(g[12], std::pow(2.0, -1.5) * std::pow(1 + c45, 2.5) * e(-0.4) * fc(1) * fc(s2) * fc(1), 1e-15);
}

TEST_CASE("symmetry functions: function order within an element is the order given") {
  const std::vector<SymmetryFunctionParameters> a = {gaussian(2, O, H, -1, 0.5, 0.2, 0, 1, 3.0),
                                                     gaussian(3, O, H, H, 0.1, 0.0, 1, 2, 3.0),
                                                     gaussian(2, O, Zn, -1, 0.1, 0.0, 0, 1, 2.5)};
  const std::vector<SymmetryFunctionParameters> b = {a[2], a[0], a[1]};
  const auto ga = valuesOf(SymmetryFunctionSet(kNumbers, 2, 0.0, a), handCluster())[0];
  const auto gb = valuesOf(SymmetryFunctionSet(kNumbers, 2, 0.0, b), handCluster())[0];
  CHECK_NEAR(gb[0], ga[2], 0.0);
  CHECK_NEAR(gb[1], ga[0], 0.0);
  CHECK_NEAR(gb[2], ga[1], 0.0);
}

TEST_CASE("symmetry functions: derivatives and virial against finite differences (cluster, periodic cell)") {
  // Thousands of tiny calls: one thread (OpenMP start-up and spin-waits dominate otherwise, ~10×
  // slower on a busy machine).
  const ThreadCount one(1);
  for (int cutoffType = 0; cutoffType <= 8; ++cutoffType)
    for (double alpha : {0.0, 0.3}) {
      const SymmetryFunctionSet set(kNumbers, cutoffType, alpha, everyType());
      Atoms cluster = handCluster();
      for (std::size_t k = 0; k < cluster.positions.size(); ++k) cluster.positions[k] += 0.05 * std::sin(7.0 * k + 1);
      const double e1 = derivativeError(set, cluster);
      const double e2 = derivativeError(set, rattledCell(cutoffType + 1));
      if (!(e1 < 1e-6 && e2 < 1e-6)) {
        throw polymorph::test::Failure{"cutoff type " + std::to_string(cutoffType) + " alpha " + std::to_string(alpha) +
                                       ": worst relative derivative error " + std::to_string(std::max(e1, e2))};
      }
    }
}

TEST_CASE("symmetry functions: the periodic cell really has self-images and every function is non-zero") {
  const SymmetryFunctionSet set(kNumbers, 1, 0.0, everyType());
  const Atoms a = rattledCell(3);
  const SymmetryFunctionResult r = polymorph::computeSymmetryFunctions(set, a.input(), true);
  bool self = false;
  for (int e = 0; e < 3; ++e) {
    const auto& d = r.derivatives[e];
    for (std::size_t k = 0; k < r.values.atoms[e].size(); ++k)
      for (int m = d.start[k]; m < d.start[k + 1]; ++m) self = self || d.neighbor[m] == r.values.atoms[e][k];
  }
  CHECK(self);
  const auto G = perAtom(set, r, 3);
  for (int i : {0, 1})
    for (std::size_t s = 0; s < G[i].size(); ++s) {
      if (!(G[i][s] > 0.0)) throw polymorph::test::Failure{"function " + std::to_string(s) + " of atom " + std::to_string(i) + " is zero"};
    }
}

TEST_CASE("symmetry functions: values with and without derivatives agree; length factor scales lengths") {
  const SymmetryFunctionSet set(kNumbers, 6, 0.2, everyType());
  const Atoms a = rattledCell(5);
  const auto plain = valuesOf(set, a);
  const auto withDerivatives = perAtom(set, polymorph::computeSymmetryFunctions(set, a.input(), true), 3);
  for (int i = 0; i < 3; ++i)
    for (std::size_t s = 0; s < plain[i].size(); ++s)
      CHECK_NEAR(withDerivatives[i][s], plain[i][s], 1e-14 * std::max(1.0, std::fabs(plain[i][s])));
  // The same structure given in units of 2 Å with lengthFactor ½ gives the same G for functions in Å/2… i.e.
  // scaling positions and cell by 2 and lengthFactor by ½ changes nothing.
  Atoms doubled = a;
  for (double& x : doubled.positions) x *= 2;
  for (double& x : doubled.cell) x *= 2;
  StructureInput in = doubled.input();
  in.lengthFactor = 0.5;
  const SymmetryFunctionResult r = polymorph::computeSymmetryFunctions(set, in, true);
  const auto scaled = perAtom(set, r, 3);
  for (int i = 0; i < 3; ++i)
    for (std::size_t s = 0; s < plain[i].size(); ++s)
      CHECK_NEAR(scaled[i][s], plain[i][s], 1e-13 * std::max(1.0, std::fabs(plain[i][s])));
  // Vectors come back in Å (of the doubled structure), derivatives per Å: half of the unscaled ones.
  const SymmetryFunctionResult base = polymorph::computeSymmetryFunctions(set, a.input(), true);
  for (int e = 0; e < 3; ++e) {
    CHECK(r.derivatives[e].vector.size() == base.derivatives[e].vector.size());
    for (std::size_t k = 0; k < base.derivatives[e].vector.size(); ++k)
      CHECK_NEAR(r.derivatives[e].vector[k], 2 * base.derivatives[e].vector[k], 1e-12);
    for (std::size_t k = 0; k < base.derivatives[e].derivative.size(); ++k)
      CHECK_NEAR(r.derivatives[e].derivative[k], 0.5 * base.derivatives[e].derivative[k], 1e-12);
  }
}

TEST_CASE("symmetry functions: a reused derivatives buffer gives the same bits as a fresh one") {
  // A training pool refills the same buffers structure after structure (larger, then smaller,
  // then larger again): nothing of the previous structure may leak into the next.
  const SymmetryFunctionSet set(kNumbers, 7, 0.25, everyType());
  std::vector<polymorph::SymmetryFunctionDerivatives> reused;
  for (int trial : {0, 1, 0, 1}) {
    Atoms a = trial == 0 ? rattledCell(11) : handCluster();
    double cell[9];
    const polymorph::NeighborListData list = polymorph::scaledNeighborList(a.input(), set.elements(), set.cutoff(), cell);
    const polymorph::AtomsView atoms{a.elements.size(), a.elements.data(), &list};
    std::vector<polymorph::SymmetryFunctionDerivatives> fresh;
    const polymorph::SymmetryFunctionValues v1 = polymorph::symmetryFunctionDerivatives(set, atoms, fresh);
    const polymorph::SymmetryFunctionValues v2 = polymorph::symmetryFunctionDerivatives(set, atoms, reused);
    CHECK(reused.size() == fresh.size());
    if (reused.size() != fresh.size()) continue;
    for (std::size_t e = 0; e < fresh.size(); ++e) {
      CHECK(v1.values[e] == v2.values[e]);
      CHECK(reused[e].start == fresh[e].start);
      CHECK(reused[e].neighbor == fresh[e].neighbor);
      CHECK(reused[e].vector == fresh[e].vector);
      CHECK(reused[e].derivative == fresh[e].derivative);
    }
  }
}

TEST_CASE("symmetry functions: contraction equals the stored derivatives weighted (gradient and virial)") {
  const SymmetryFunctionSet set(kNumbers, 7, 0.25, everyType());
  for (int trial = 0; trial < 2; ++trial) {
    Atoms a = trial == 0 ? handCluster() : rattledCell(11);
    double cell[9];
    const polymorph::NeighborListData list = polymorph::scaledNeighborList(a.input(), set.elements(), set.cutoff(), cell);
    const polymorph::AtomsView atoms{a.elements.size(), a.elements.data(), &list};
    std::vector<polymorph::SymmetryFunctionDerivatives> stored;
    const polymorph::SymmetryFunctionValues layout = polymorph::symmetryFunctionDerivatives(set, atoms, stored);
    std::mt19937_64 rng(17);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<std::vector<double>> weights(3);
    for (int e = 0; e < 3; ++e) {
      weights[e].resize(layout.values[e].size());
      for (double& w : weights[e]) w = u(rng);
    }
    const std::size_t n = a.elements.size();
    std::vector<double> expected(3 * n, 0.0), expectedVirial(9, 0.0);
    for (int e = 0; e < 3; ++e) {
      const int count = set.count(e);
      const auto& d = stored[e];
      for (std::size_t k = 0; k < layout.atoms[e].size(); ++k) {
        const int i = layout.atoms[e][k];
        for (int m = d.start[k]; m < d.start[k + 1]; ++m)
          for (int s = 0; s < count; ++s)
            for (int x = 0; x < 3; ++x) {
              const double g = weights[e][k * count + s] * d.derivative[(static_cast<std::size_t>(m) * count + s) * 3 + x];
              expected[3 * d.neighbor[m] + x] += g;
              expected[3 * i + x] -= g;
              for (int y = 0; y < 3; ++y) expectedVirial[3 * y + x] += d.vector[3 * m + y] * g;
            }
      }
    }
    for (int threads : {1, 2}) {
      const ThreadCount count(threads);
      std::vector<double> gradient(3 * n, 0.0), virial(9, 0.0);
      polymorph::contractSymmetryFunctionGradient(set, atoms, layout, weights, gradient.data(), virial.data());
      double scale = 1.0;
      for (double x : expected) scale = std::max(scale, std::fabs(x));
      for (std::size_t k = 0; k < 3 * n; ++k) CHECK_NEAR(gradient[k], expected[k], 1e-13 * scale);
      for (int k = 0; k < 9; ++k) CHECK_NEAR(virial[k], expectedVirial[k], 1e-13 * scale);
    }
  }
}

TEST_CASE("symmetry functions: fused evaluation (values, network, gradient) equals values and contraction") {
  for (int cutoffType = 0; cutoffType <= 8; ++cutoffType)
    for (double alpha : {0.0, 0.3})
      for (int trial = 0; trial < 2; ++trial) {
        const SymmetryFunctionSet set(kNumbers, cutoffType, alpha, everyType());
        Atoms a = trial == 0 ? handCluster() : rattledCell(20 + cutoffType);
        double cell[9];
        const polymorph::NeighborListData list = polymorph::scaledNeighborList(a.input(), set.elements(), set.cutoff(), cell);
        const polymorph::AtomsView atoms{a.elements.size(), a.elements.data(), &list};
        const std::size_t n = a.elements.size();
        const polymorph::SymmetryFunctionValues values = polymorph::symmetryFunctionValues(set, atoms);
        // w = ∂E/∂G: fixed pseudo-random numbers per atom and function.
        auto weightOf = [](std::size_t i, int s) { return std::sin(1.7 * i + 0.3 * s + 0.1); };
        std::vector<std::vector<double>> weights(3);
        for (int e = 0; e < 3; ++e) {
          const int count = set.count(e);
          weights[e].resize(values.values[e].size());
          for (std::size_t k = 0; k < values.atoms[e].size(); ++k)
            for (int s = 0; s < count; ++s) weights[e][k * count + s] = weightOf(values.atoms[e][k], s);
        }
        std::vector<double> expected(3 * n, 0.0), expectedVirial(9, 0.0);
        polymorph::contractSymmetryFunctionGradient(set, atoms, values, weights, expected.data(), expectedVirial.data());
        for (int threads : {1, 2}) {
          const ThreadCount count(threads);
          std::vector<double> gradient(3 * n, 0.0), virial(9, 0.0);
          bool sameG = true;
          const polymorph::SymmetryFunctionValues fused = polymorph::fusedSymmetryFunctionGradient(
              set, atoms,
              [&](int, std::size_t i, int e, const double* G, double* w) {
                const int count = set.count(e);
                const double* v = values.values[e].data() + static_cast<std::size_t>(values.row[i]) * count;
                for (int s = 0; s < count; ++s) {
                  sameG = sameG && std::fabs(G[s] - v[s]) <= 1e-14 * std::max(1.0, std::fabs(v[s]));
                  w[s] = weightOf(i, s);
                }
              },
              gradient.data(), virial.data());
          CHECK(sameG);
          for (int e = 0; e < 3; ++e) {
            CHECK(fused.values[e].size() == values.values[e].size());
            for (std::size_t k = 0; k < values.values[e].size(); ++k)
              CHECK_NEAR(fused.values[e][k], values.values[e][k], 1e-14 * std::max(1.0, std::fabs(values.values[e][k])));
          }
          double scale = 1.0;
          for (double x : expected) scale = std::max(scale, std::fabs(x));
          for (std::size_t k = 0; k < 3 * n; ++k) CHECK_NEAR(gradient[k], expected[k], 1e-13 * scale);
          for (int k = 0; k < 9; ++k) CHECK_NEAR(virial[k], expectedVirial[k], 1e-13 * scale);
        }
          }
}

TEST_CASE("symmetry functions: an isolated atom has G = 0 and no slots") {
  const SymmetryFunctionSet set(kNumbers, 2, 0.0, everyType());
  Atoms a;
  a.positions = {0, 0, 0, 10, 0, 0};
  a.elements = {O, H};
  const SymmetryFunctionResult r = polymorph::computeSymmetryFunctions(set, a.input(), true);
  for (int e = 0; e < 3; ++e) {
    for (double g : r.values.values[e]) CHECK_NEAR(g, 0.0, 0.0);
    CHECK(r.derivatives[e].neighbor.empty());
    CHECK(r.derivatives[e].start.size() == r.values.atoms[e].size() + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST_CASE("symmetry functions: invalid sets are E_VALUE") {
  const auto ok = gaussian(2, O, H, -1, 0.5, 0.2, 0, 1, 3.0);
  auto with = [&](auto change) {
    std::vector<SymmetryFunctionParameters> f = {ok};
    change(f[0]);
    return f;
  };
  using F = SymmetryFunctionParameters;
  CHECK_THROWS_CODE(SymmetryFunctionSet({}, 2, 0.0, {}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet({8, 1}, 2, 0.0, {}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet({8, 8}, 2, 0.0, {}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet({0, 8}, 2, 0.0, {}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 9, 0.0, {ok}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, -1, 0.0, {ok}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 1.0, {ok}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, -0.1, {ok}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, NAN, {ok}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.type = 7; })), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.element = 3; })), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.e1 = 5; })), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.e1 = -1; })), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.cutoff = 0; })), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.cutoff = INFINITY; })), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.eta = -1; })), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, with([](F& f) { f.rShift = NAN; })), "E_VALUE");
  // Angular: e2 before e1, ζ < 1; weighted with neighbour elements.
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {gaussian(3, O, O, H, 0.1, 0, 1, 1, 3)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {gaussian(9, O, H, O, 0.1, 0, 1, 0.5, 3)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {gaussian(12, O, H, -1, 0.1, 0, 0, 1, 3)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {gaussian(13, O, H, H, 0.1, 0, 1, 1, 3)}), "E_VALUE");
  // Functions not ordered by central element.
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {ok, gaussian(2, H, O, -1, 0.1, 0, 0, 1, 3)}), "E_VALUE");
  // Compact: r_l ≥ r_c, unknown core, angle windows.
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(20, O, H, -1, 3.0, 3.0, 0, 0, 2, false)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(20, O, H, -1, 0.0, 3.0, 0, 0, 0, false)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(20, O, H, -1, 0.0, 3.0, 0, 0, 6, false)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(21, O, H, O, 0.0, 3.0, 90, 90, 2, false)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(22, O, H, O, 0.0, 3.0, -30, 90, 2, false)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(24, O, -1, -1, 0.0, 3.0, 100, 200, 2, false)}), "E_VALUE");
  CHECK_THROWS_CODE(SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(25, O, -1, -1, 0.0, 3.0, -200, 200, 2, false)}), "E_VALUE");
  // Allowed: windows centred on 0° or 180°, r_l = −r_c.
  SymmetryFunctionSet(kNumbers, 2, 0.0, {compact(24, O, -1, -1, -3.0, 3.0, -180, 180, 2, false),
                                         compact(25, O, -1, -1, 0.0, 3.0, 0, 360, 5, true)});
}

TEST_CASE("symmetry functions: structure errors (empty, non-finite, element index, overlap, cell, unit)") {
  const SymmetryFunctionSet set(kNumbers, 2, 0.0, everyType());
  Atoms a = handCluster();
  StructureInput in = a.input();
  in.n = 0;
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, in, false), "E_EMPTY");
  Atoms bad = a;
  bad.positions[4] = NAN;
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, bad.input(), false), "E_VALUE");
  bad = a;
  bad.elements[2] = 3;
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, bad.input(), false), "E_VALUE");
  bad.elements[2] = -1;
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, bad.input(), true), "E_VALUE");
  // Two atoms at the same place, directly or through a periodic image.
  bad = a;
  for (int x = 0; x < 3; ++x) bad.positions[6 + x] = bad.positions[3 + x];
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, bad.input(), false), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, bad.input(), true), "E_VALUE");
  Atoms cell;  // atom 1 exactly on the image of atom 0 shifted by b (every number exact in binary)
  cell.cell = {4.5, 0, 0, 0.5, 4, 0, 0.25, 0.5, 4.25};
  cell.pbc = true;
  cell.positions = {0.5, 0.5, 0.5, 1.0, 4.5, 0.5, 2.0, 2.0, 2.0};
  cell.elements = {H, O, Zn};
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, cell.input(), false), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, cell.input(), true), "E_VALUE");
  // Periodic without a cell; bad length factor.
  in = a.input();
  in.pbc[0] = true;
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, in, false), "E_CELL");
  in = a.input();
  in.lengthFactor = 0.0;
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, in, false), "E_UNIT");
  in.lengthFactor = NAN;
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, in, false), "E_UNIT");
}

// Regression: overlaps used to be noticed only within the central element's cutoff, so two atoms
// of an element without functions (cutoff 0; everyType() defines nothing for Zn) passed.
TEST_CASE("symmetry functions: overlapping atoms of an element without functions are E_VALUE") {
  const SymmetryFunctionSet set(kNumbers, 2, 0.0, everyType());
  Atoms a = handCluster();
  a.positions.insert(a.positions.end(), {0.0, 0.0, 2.0});  // a second Zn on top of atom 3
  a.elements.push_back(Zn);
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, a.input(), false), "E_VALUE");
}

// An atom placed on a lattice translate of another (r_1 = r_0 + b in floating point) is found at
// ~1e-16 Å; its unit vector would be rounding noise and ∂G/∂d ~1e15, so it counts as an overlap.
TEST_CASE("symmetry functions: an atom on a periodic image of another up to rounding is E_VALUE") {
  const SymmetryFunctionSet set(kNumbers, 2, 0.0, everyType());
  Atoms cell = rattledCell(2);
  for (int x = 0; x < 3; ++x) cell.positions[3 + x] = cell.positions[x] + cell.cell[3 + x];
  CHECK_THROWS_CODE(polymorph::computeSymmetryFunctions(set, cell.input(), true), "E_VALUE");
}

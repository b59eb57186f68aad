// fastExp against std::exp (within 2 ulp over the whole range, the documented edges), erfcFromExp
// against std::erfc, and the
// vectorised row evaluation of the cutoff functions against the one-distance evaluation.
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/cutoff_function.hpp"
#include "core/fast_erfc.hpp"
#include "core/fast_math.hpp"
#include "tests/test.hpp"

namespace {

double ulpError(double x) {
  const double e = polymorph::fastExp(x), r = std::exp(x);
  return std::fabs(e - r) / (r * std::numeric_limits<double>::epsilon());
}

}  // namespace

TEST_CASE("fast math: fastExp within 2 ulp of std::exp from -707 to 709.78") {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> wide(-707.0, 709.78), narrow(-2.0, 2.0);
  double worst = 0.0;
  for (int k = 0; k < 2000000; ++k) worst = std::max(worst, ulpError(k % 2 ? wide(rng) : narrow(rng)));
  for (double x : {-707.0, -1.0, -0.5 * std::log(2.0), 0.5 * std::log(2.0), 1e-300, -1e-300, 1.0, 700.0, 709.78}) {
    worst = std::max(worst, ulpError(x));
  }
  CHECK(worst <= 2.0);
  CHECK(polymorph::fastExp(0.0) == 1.0);
  CHECK(polymorph::fastExp(-0.0) == 1.0);
}

TEST_CASE("fast math: fastExp edges (flush below -707, overflow, NaN)") {
  CHECK(polymorph::fastExp(-707.5) == 0.0);
  CHECK(polymorph::fastExp(-1e6) == 0.0);
  CHECK(polymorph::fastExp(-std::numeric_limits<double>::infinity()) == 0.0);
  CHECK(std::isinf(polymorph::fastExp(709.79)));
  CHECK(std::isinf(polymorph::fastExp(std::numeric_limits<double>::infinity())));
  CHECK(std::isnan(polymorph::fastExp(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("fast math: cutoff evaluateRow equals evaluate for every type (inside, inner shift, at and beyond r_c)") {
  std::vector<double> r;
  for (int k = 0; k <= 700; ++k) r.push_back(0.01 * k);  // 0 … 7 around r_c = 5
  r.push_back(5.0);
  r.push_back(std::nextafter(5.0, 0.0));
  std::vector<double> f(r.size()), df(r.size());
  for (int type = 0; type <= 8; ++type)
    for (double alpha : {0.0, 0.35}) {
      const polymorph::CutoffFunction cut(type, 5.0, alpha);
      cut.evaluateRow(r.data(), static_cast<int>(r.size()), f.data(), df.data());
      for (std::size_t k = 0; k < r.size(); ++k) {
        double f1, df1;
        cut.evaluate(r[k], f1, df1);
        CHECK_NEAR(f[k], f1, 1e-15);
        CHECK_NEAR(df[k], df1, 1e-15);
        if (r[k] >= 5.0) CHECK(f[k] == 0.0);
        if (r[k] >= 5.0) CHECK(df[k] == 0.0);
      }
    }
}

TEST_CASE("fast math: erfcFromExp within (4 + 2x²) ulp of std::erfc on [0, 8], std::erfc outside [0, 6)") {
  // e^{−x²} carries the rounding of x² (relative 2^-53, amplified by x²): the bound is the problem's
  // condition, not the polynomial's (which is within 1 ulp of erfcx).
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 8.0);
  double worst = 0.0;
  for (int k = 0; k < 1000000; ++k) {
    const double x = k < 1000 ? k * 0.006 : u(rng);  // every interval edge region and random points
    const double reference = std::erfc(x);
    const double value = polymorph::erfcFromExp(x, polymorph::fastExp(-x * x));
    const double ulps = std::fabs(value - reference) / (reference * std::numeric_limits<double>::epsilon());
    worst = std::max(worst, ulps / (4.0 + 2.0 * x * x));
  }
  CHECK(worst <= 1.0);
  CHECK(polymorph::erfcFromExp(0.0, 1.0) == 1.0);
  CHECK(polymorph::erfcFromExp(-0.5, std::exp(-0.25)) == std::erfc(-0.5));
  CHECK(polymorph::erfcFromExp(7.0, std::exp(-49.0)) == std::erfc(7.0));
  CHECK(std::isnan(polymorph::erfcFromExp(std::numeric_limits<double>::quiet_NaN(), 1.0)));
}

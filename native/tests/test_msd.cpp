// MSD accumulator: a walk through a triclinic periodic cell, wrapped, is unwrapped exactly (the
// accumulated MSD equals the one of the true path), per species; one and two threads agree
// bitwise; errors.
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/msd.hpp"
#include "core/random.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
// Wraps x into the cell (fractional coordinates in [0, 1)).
void wrap(const double* x, const double cell[9], double* out) {
  // cell rows a = (L, 0, 0), b = (bx, L, 0), c = (cx, cy, L): upper-triangular solve
  const double L = cell[0];
  double f2 = x[2] / cell[8];
  double f1 = (x[1] - f2 * cell[7]) / cell[4];
  double f0 = (x[0] - f1 * cell[3] - f2 * cell[6]) / L;
  f0 -= std::floor(f0), f1 -= std::floor(f1), f2 -= std::floor(f2);
  for (int a = 0; a < 3; ++a) out[a] = f0 * cell[a] + f1 * cell[3 + a] + f2 * cell[6 + a];
}
}  // namespace

TEST_CASE("msd: a wrapped walk in a triclinic cell is unwrapped exactly; threads agree") {
  const int n = 40, frames = 30, maxLag = 10;
  const double cell[9] = {6, 0, 0, 1.5, 6, 0, -1, 2, 6};
  polymorph::Random random(5);
  std::vector<std::vector<double>> path(frames, std::vector<double>(3 * n));
  for (int k = 0; k < 3 * n; ++k) path[0][k] = 6 * random.uniform();
  for (int f = 1; f < frames; ++f)
    for (int k = 0; k < 3 * n; ++k) path[f][k] = path[f - 1][k] + 0.35 * random.normal();  // well under half a cell per frame
  std::vector<int32_t> species(n);
  for (int i = 0; i < n; ++i) species[i] = i % 3 == 0 ? 1 : 0;
  const bool pbc[3] = {true, true, true};
  std::vector<double> sums[2];
  for (int threads = 1; threads <= 2; ++threads) {
    polymorph::setNumThreads(threads);
    polymorph::MsdAccumulator acc(species, 2, maxLag, false, std::vector<double>(n, 1.0));
    std::vector<double> wrapped(3 * n);
    for (int f = 0; f < frames; ++f) {
      for (int i = 0; i < n; ++i) wrap(&path[f][3 * i], cell, &wrapped[3 * i]);
      acc.add(wrapped.data(), cell, pbc);
    }
    CHECK(acc.lags() == maxLag + 1);
    for (int lag = 0; lag <= maxLag; ++lag) {
      double expected = 0, expectedB = 0;
      int origins = 0;
      for (int t = lag; t < frames; ++t) {
        // the ring holds the last maxLag + 1 frames: lag τ pairs every frame t ≥ τ with t − τ
        double all = 0, b = 0;
        for (int i = 0; i < n; ++i) {
          double d2 = 0;
          for (int a = 0; a < 3; ++a) d2 += std::pow(path[t][3 * i + a] - path[t - lag][3 * i + a], 2);
          all += d2;
          if (species[i] == 1) b += d2;
        }
        expected += all / n, expectedB += b / 14.0, ++origins;
      }
      CHECK(acc.origins()[lag] == origins);
      CHECK_NEAR(acc.sums()[lag], expected, 1e-9 * (1 + expected));
      CHECK_NEAR(acc.perSpecies()[2 * lag + 1], expectedB, 1e-9 * (1 + expectedB));
    }
    sums[threads - 1] = acc.sums();
  }
  polymorph::setNumThreads(0);
  CHECK(sums[0] == sums[1]);
}

TEST_CASE("msd: errors") {
  CHECK_THROWS_CODE(polymorph::MsdAccumulator({}, 1, 5, false, {}), "E_EMPTY");
  CHECK_THROWS_CODE(polymorph::MsdAccumulator({0, 1}, 1, 5, false, {1, 1}), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::MsdAccumulator({0}, 1, 0, false, {1}), "E_VALUE");
  polymorph::MsdAccumulator acc({0}, 1, 5, false, {1});
  const double bad[3] = {0, NAN, 0};
  const bool open[3] = {false, false, false};
  CHECK_THROWS_CODE(acc.add(bad, nullptr, open), "E_VALUE");
}

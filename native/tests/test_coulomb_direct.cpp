// The direct Coulomb sum's two kernels (coulomb_direct.hpp): each against a long-double reference
// on a small cluster, the AVX-512 kernel against the portable one on a larger cluster whose rows
// end in every masked tail length, forces against finite differences, and an overlap named by
// both kernels, also when it falls in a masked tail. On a processor without AVX-512 its half of
// each check is skipped, and the test says so.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "core/coulomb_direct.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::DirectKernel;

struct Cluster {
  std::vector<double> x, q;
  std::size_t n() const { return q.size(); }
};

// n charges ±1…±2 at random in a cube of side `side` (Å), no two closer than 0.8 Å.
Cluster randomCluster(std::size_t n, double side, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, side), c(1.0, 2.0);
  Cluster s;
  while (s.n() < n) {
    const double p[3] = {u(rng), u(rng), u(rng)};
    bool clear = true;
    for (std::size_t j = 0; j < s.n() && clear; ++j) {
      const double dx = p[0] - s.x[3 * j], dy = p[1] - s.x[3 * j + 1], dz = p[2] - s.x[3 * j + 2];
      clear = dx * dx + dy * dy + dz * dz > 0.64;
    }
    if (!clear) continue;
    s.x.insert(s.x.end(), p, p + 3);
    s.q.push_back((s.n() % 2 == 0 ? 1.0 : -1.0) * c(rng));
  }
  return s;
}

struct Result {
  polymorph::DirectSum sum;
  std::vector<double> forces, atomEnergies;
};

Result run(const Cluster& s, DirectKernel kernel, bool everything) {
  polymorph::DirectScratch scratch;
  Result r;
  r.forces.assign(3 * s.n(), 0.0);
  if (everything) r.atomEnergies.assign(s.n(), 0.0);
  r.sum = polymorph::directCoulombSum(s.x.data(), s.q.data(), s.n(), r.forces.data(),
                                      everything ? r.atomEnergies.data() : nullptr, everything, scratch, kernel);
  return r;
}

double largest(const std::vector<double>& v) {
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

std::vector<DirectKernel> kernelsHere() {
  std::vector<DirectKernel> k = {DirectKernel::kPortable};
  if (polymorph::directKernelAvailable(DirectKernel::kAvx512)) k.push_back(DirectKernel::kAvx512);
  else std::printf("  (no AVX-512 on this processor: only the portable kernel is checked)\n");
  return k;
}
}  // namespace

TEST_CASE("coulomb direct: both kernels equal a long-double sum (energy, forces, virial, atom energies)") {
  const Cluster s = randomCluster(37, 8.0, 11);
  const std::size_t n = s.n();
  long double energy = 0, magnitude = 0;  // Σ φ and Σ |φ| (the scale of the rounding errors)
  std::vector<long double> f(3 * n, 0), e(n, 0), w(6, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const long double d[3] = {(long double)s.x[3 * j] - s.x[3 * i], (long double)s.x[3 * j + 1] - s.x[3 * i + 1],
                                (long double)s.x[3 * j + 2] - s.x[3 * i + 2]};
      const long double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      const long double phi = (long double)s.q[i] * s.q[j] / r, g = -phi / (r * r);
      energy += phi, magnitude += std::fabs(phi), e[i] += phi / 2, e[j] += phi / 2;
      for (int a = 0; a < 3; ++a) f[3 * i + a] += g * d[a], f[3 * j + a] -= g * d[a];
      w[0] += g * d[0] * d[0], w[1] += g * d[0] * d[1], w[2] += g * d[0] * d[2];
      w[3] += g * d[1] * d[1], w[4] += g * d[1] * d[2], w[5] += g * d[2] * d[2];
    }
  for (DirectKernel k : kernelsHere()) {
    const Result r = run(s, k, true);
    CHECK_NEAR(r.sum.energy, (double)energy, 1e-15 * (double)magnitude);
    double fmax = 0, wmax = 0;
    for (long double x : f) fmax = std::max(fmax, std::fabs((double)x));
    for (long double x : w) wmax = std::max(wmax, std::fabs((double)x));
    for (std::size_t i = 0; i < 3 * n; ++i) CHECK_NEAR(r.forces[i], (double)f[i], 1e-14 * fmax);
    for (std::size_t i = 0; i < n; ++i) CHECK_NEAR(r.atomEnergies[i], (double)e[i], 1e-15 * (double)magnitude);
    for (int c = 0; c < 6; ++c) CHECK_NEAR(r.sum.virial[c], (double)w[c], 1e-14 * wmax);
  }
}

TEST_CASE("coulomb direct: the AVX-512 kernel equals the portable one (every tail length, 1 and 2 threads)") {
  if (!polymorph::directKernelAvailable(DirectKernel::kAvx512)) {
    std::printf("  (skipped: no AVX-512 on this processor)\n");
    return;
  }
  for (int threads : {1, 2}) {
    polymorph::setNumThreads(threads);
    for (std::size_t n : {2u, 9u, 16u, 501u}) {  // rows of every length 1 … n−1: each tail mask
      const Cluster s = randomCluster(n, 2.2 * std::cbrt(static_cast<double>(n)) + 2, static_cast<unsigned>(n));
      for (bool everything : {false, true}) {
        const Result a = run(s, DirectKernel::kPortable, everything), b = run(s, DirectKernel::kAvx512, everything);
        CHECK_NEAR(b.sum.energy, a.sum.energy, 1e-13 * std::fabs(a.sum.energy));
        const double fmax = largest(a.forces);
        for (std::size_t i = 0; i < a.forces.size(); ++i) CHECK_NEAR(b.forces[i], a.forces[i], 1e-13 * fmax);
        for (std::size_t i = 0; i < a.atomEnergies.size(); ++i) CHECK_NEAR(b.atomEnergies[i], a.atomEnergies[i], 1e-13 * std::fabs(a.sum.energy));
        double wmax = 0;
        for (int c = 0; c < 6; ++c) wmax = std::max(wmax, std::fabs(a.sum.virial[c]));
        for (int c = 0; c < 6; ++c) CHECK_NEAR(b.sum.virial[c], a.sum.virial[c], 1e-13 * wmax);
        if (!everything)
          for (int c = 0; c < 6; ++c) CHECK(b.sum.virial[c] == 0.0 && a.sum.virial[c] == 0.0);
      }
    }
  }
  polymorph::setNumThreads(0);
}

TEST_CASE("coulomb direct: forces are minus the gradient of the energy (central differences, both kernels)") {
  const Cluster s = randomCluster(67, 9.0, 5);
  for (DirectKernel k : kernelsHere()) {
    const Result r = run(s, k, false);
    const double h = 1e-5;
    for (std::size_t c : {0u, 4u, 100u, 200u}) {
      Cluster plus = s, minus = s;
      plus.x[c] += h, minus.x[c] -= h;
      const double numeric = -(run(plus, k, false).sum.energy - run(minus, k, false).sum.energy) / (2 * h);
      CHECK_NEAR(r.forces[c], numeric, 1e-6 * std::max(1.0, std::fabs(numeric)));
    }
  }
}

TEST_CASE("coulomb direct: coincident atoms are E_VALUE in both kernels, in a full block and in a masked tail") {
  for (DirectKernel k : kernelsHere()) {
    for (std::size_t j : {3u, 18u}) {  // row 0 of 20 atoms: j = 3 in the first full block, 18 in the tail
      Cluster s = randomCluster(20, 6.0, 3);
      for (int a = 0; a < 3; ++a) s.x[3 * j + a] = s.x[a];
      CHECK_THROWS_CODE(run(s, k, false), "E_VALUE");
    }
  }
}

TEST_CASE("coulomb direct: the energy does not depend on what else is asked, bit for bit (each kernel)") {
  for (std::size_t n : {31u, 200u}) {
    const Cluster s = randomCluster(n, 2.2 * std::cbrt(static_cast<double>(n)) + 2, 9);
    for (DirectKernel k : kernelsHere()) CHECK(run(s, k, false).sum.energy == run(s, k, true).sum.energy);
  }
}

// Smooth particle-mesh Ewald, reciprocal part (formulas in pme.hpp).
//
// Parallel scheme: charges are spread into per-thread grids (atoms split in contiguous blocks)
// added in thread order; FFT lines and the k-space loop over grid planes are split statically;
// forces and atom energies are per atom. Results are deterministic for a given thread count.
#include "core/pme.hpp"

#include <omp.h>

#include <cmath>

#include "core/error.hpp"
#include "core/fft.hpp"
#include "core/geometry.hpp"

namespace polymorph {
namespace {

constexpr double kPi = 3.14159265358979323846;

// θ[i] = M_p(w + i), dθ[i] = M_p'(w + i), i = 0…p−1, for w in [0, 1).
void bspline(double w, int p, double* theta, double* dtheta) {
  double prev[16] = {0};
  theta[0] = w, theta[1] = 1.0 - w;  // order 2
  for (int i = 2; i < p; ++i) theta[i] = 0.0;
  for (int order = 3; order <= p; ++order) {
    for (int i = 0; i < order - 1; ++i) prev[i] = theta[i];
    prev[order - 1] = 0.0;
    if (order == p) {
      for (int i = 0; i < p; ++i) dtheta[i] = prev[i] - (i > 0 ? prev[i - 1] : 0.0);
    }
    for (int i = 0; i < order; ++i) {
      const double x = w + i;
      theta[i] = (x * prev[i] + (order - x) * (i > 0 ? prev[i - 1] : 0.0)) / (order - 1);
    }
  }
  if (p == 2) dtheta[0] = 1.0, dtheta[1] = -1.0;
}

// |b(m)|² for m = 0…K−1 of one dimension.
std::vector<double> splineModuli(int k, int p) {
  std::vector<double> mp(static_cast<std::size_t>(p), 0.0), d(static_cast<std::size_t>(p));
  bspline(0.0, p, mp.data(), d.data());  // mp[i] = M_p(i); M_p(j+1) = mp[j+1]
  std::vector<double> out(static_cast<std::size_t>(k));
  for (int m = 0; m < k; ++m) {
    double re = 0, im = 0;
    for (int j = 0; j <= p - 2; ++j) {
      const double angle = 2 * kPi * m * j / k;
      re += mp[static_cast<std::size_t>(j + 1)] * std::cos(angle);
      im += mp[static_cast<std::size_t>(j + 1)] * std::sin(angle);
    }
    out[static_cast<std::size_t>(m)] = 1.0 / (re * re + im * im);
  }
  return out;
}

struct AtomSplines {
  int base[3];             // floor(u_d)
  double theta[3][16];
  double dtheta[3][16];
};

}  // namespace

ReciprocalSum pmeReciprocal(const double* positions, const double* charges, std::size_t n, const double* cellData,
                            double alpha, const int grid[3], int p, bool wantForces, bool wantAtomEnergies, int threads) {
  require(p >= 3 && p <= 12, "E_VALUE", "PME: the spline order must be 3…12");
  for (int d = 0; d < 3; ++d) require(grid[d] >= p && grid[d] <= 4096, "E_VALUE", "PME: each grid size must be ≥ the spline order (and ≤ 4096)");
  Mat3 cell;
  std::copy(cellData, cellData + 9, cell.begin());
  const Mat3 inv = inverse(cell);
  const double volume = std::fabs(determinant(cell));
  const std::size_t k0 = static_cast<std::size_t>(grid[0]), k1 = static_cast<std::size_t>(grid[1]),
                    k2 = static_cast<std::size_t>(grid[2]);
  const std::size_t points = k0 * k1 * k2;

  // Splines of every atom (fractional coordinates wrapped into [0, 1)).
  std::vector<AtomSplines> splines(n);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t j = 0; j < n; ++j) {
    const double* r = positions + 3 * j;
    for (int d = 0; d < 3; ++d) {
      double s = r[0] * inv[d] + r[1] * inv[3 + d] + r[2] * inv[6 + d];
      s -= std::floor(s);
      double u = s * grid[d];
      int base = static_cast<int>(std::floor(u));
      if (base >= grid[d]) base -= grid[d];
      splines[j].base[d] = base;
      bspline(u - std::floor(u), p, splines[j].theta[d], splines[j].dtheta[d]);
    }
  }
  auto wrap = [](int g, int k) { return g < 0 ? g + k : g; };

  // Spread the charges: per-thread grids, added in thread order.
  std::vector<std::vector<double>> partial(static_cast<std::size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    std::vector<double>& q = partial[static_cast<std::size_t>(t)];
    q.assign(points, 0.0);
    const std::size_t begin = n * t / threads, end = n * (t + 1) / threads;
    for (std::size_t j = begin; j < end; ++j) {
      const AtomSplines& a = splines[j];
      for (int i0 = 0; i0 < p; ++i0) {
        const std::size_t g0 = static_cast<std::size_t>(wrap(a.base[0] - i0, grid[0]));
        const double w0 = charges[j] * a.theta[0][i0];
        for (int i1 = 0; i1 < p; ++i1) {
          const std::size_t g1 = static_cast<std::size_t>(wrap(a.base[1] - i1, grid[1]));
          const double w01 = w0 * a.theta[1][i1];
          double* row = &q[(g0 * k1 + g1) * k2];
          for (int i2 = 0; i2 < p; ++i2) row[wrap(a.base[2] - i2, grid[2])] += w01 * a.theta[2][i2];
        }
      }
    }
  }
  std::vector<Complex> f(points);
  for (std::size_t g = 0; g < points; ++g) {
    double sum = 0.0;
    for (const auto& q : partial) sum += q[g];
    f[g] = sum;
  }
  partial.clear();
  fft3d(f, grid, -1, threads);

  // k-space: energy, virial, and G·F[Q] in place.
  const std::vector<double> b0 = splineModuli(grid[0], p), b1 = splineModuli(grid[1], p), b2 = splineModuli(grid[2], p);
  const double inv4a2 = 1.0 / (4 * alpha * alpha), prefactor = 2 * kPi / volume;
  std::vector<double> planeEnergy(k0, 0.0), planeVirial(6 * k0, 0.0);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t i0 = 0; i0 < k0; ++i0) {
    const int m0 = static_cast<int>(i0) <= grid[0] / 2 ? static_cast<int>(i0) : static_cast<int>(i0) - grid[0];
    const bool nyquist0 = grid[0] % 2 == 0 && static_cast<int>(i0) == grid[0] / 2;
    double energy = 0, v[6] = {0, 0, 0, 0, 0, 0};
    for (std::size_t i1 = 0; i1 < k1; ++i1) {
      const int m1 = static_cast<int>(i1) <= grid[1] / 2 ? static_cast<int>(i1) : static_cast<int>(i1) - grid[1];
      const bool nyquist1 = grid[1] % 2 == 0 && static_cast<int>(i1) == grid[1] / 2;
      for (std::size_t i2 = 0; i2 < k2; ++i2) {
        const int m2 = static_cast<int>(i2) <= grid[2] / 2 ? static_cast<int>(i2) : static_cast<int>(i2) - grid[2];
        const bool nyquist2 = grid[2] % 2 == 0 && static_cast<int>(i2) == grid[2] / 2;
        Complex& value = f[(i0 * k1 + i1) * k2 + i2];
        if ((m0 == 0 && m1 == 0 && m2 == 0) || nyquist0 || nyquist1 || nyquist2) {
          value = 0.0;
          continue;
        }
        double k[3];
        for (int a = 0; a < 3; ++a) k[a] = 2 * kPi * (m0 * inv[3 * a] + m1 * inv[3 * a + 1] + m2 * inv[3 * a + 2]);
        const double k2v = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
        const double g = prefactor * std::exp(-k2v * inv4a2) / k2v * b0[i0] * b1[i1] * b2[i2];
        const double w = g * std::norm(value);
        energy += w;
        const double c = 2.0 * (inv4a2 + 1.0 / k2v);
        v[0] += w * (c * k[0] * k[0] - 1), v[1] += w * c * k[0] * k[1], v[2] += w * c * k[0] * k[2];
        v[3] += w * (c * k[1] * k[1] - 1), v[4] += w * c * k[1] * k[2], v[5] += w * (c * k[2] * k[2] - 1);
        value *= 2.0 * g;
      }
    }
    planeEnergy[i0] = energy;
    for (int a = 0; a < 6; ++a) planeVirial[6 * i0 + a] = v[a];
  }
  ReciprocalSum out;
  for (std::size_t i0 = 0; i0 < k0; ++i0) {
    out.energy += planeEnergy[i0];
    for (int a = 0; a < 6; ++a) out.virial[a] += planeVirial[6 * i0 + a];
  }
  if (!wantForces && !wantAtomEnergies) return out;
  fft3d(f, grid, +1, threads);  // φ(g) = 2 Σ_m G F e^{+2πi m·g/K}: the real part

  if (wantForces) out.forces.assign(3 * n, 0.0);
  if (wantAtomEnergies) out.atomEnergies.assign(n, 0.0);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t j = 0; j < n; ++j) {
    const AtomSplines& a = splines[j];
    double d0 = 0, d1 = 0, d2 = 0, e = 0;  // ∂E/∂u_d and Σ φ Π θ
    for (int i0 = 0; i0 < p; ++i0) {
      const std::size_t g0 = static_cast<std::size_t>(wrap(a.base[0] - i0, grid[0]));
      for (int i1 = 0; i1 < p; ++i1) {
        const std::size_t g1 = static_cast<std::size_t>(wrap(a.base[1] - i1, grid[1]));
        const Complex* row = &f[(g0 * k1 + g1) * k2];
        double s = 0, ds = 0;
        for (int i2 = 0; i2 < p; ++i2) {
          const double phi = row[wrap(a.base[2] - i2, grid[2])].real();
          s += phi * a.theta[2][i2];
          ds += phi * a.dtheta[2][i2];
        }
        d0 += a.dtheta[0][i0] * a.theta[1][i1] * s;
        d1 += a.theta[0][i0] * a.dtheta[1][i1] * s;
        d2 += a.theta[0][i0] * a.theta[1][i1] * ds;
        e += a.theta[0][i0] * a.theta[1][i1] * s;
      }
    }
    const double q = charges[j];
    if (wantForces) {
      // ∂u_d/∂r_a = K_d inv[a][d]
      for (int c = 0; c < 3; ++c) {
        out.forces[3 * j + c] = -q * (d0 * grid[0] * inv[3 * c] + d1 * grid[1] * inv[3 * c + 1] + d2 * grid[2] * inv[3 * c + 2]);
      }
    }
    if (wantAtomEnergies) out.atomEnergies[j] = 0.5 * q * e;
  }
  return out;
}

}  // namespace polymorph

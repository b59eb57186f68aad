// Smooth particle-mesh Ewald, reciprocal part (formulas in pme.hpp).
//
// Steps: B-splines of every atom; charges spread into per-thread real grids (atoms split in
// contiguous blocks) added point by point in thread order; real-to-complex FFT (fft.hpp); the
// half spectrum multiplied by the cached influence function G (energy and, on request, virial
// accumulated per plane); complex-to-real FFT gives φ; forces and atom energies interpolate φ
// per atom. Results are deterministic for a given thread count.
#include "core/pme.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <mutex>

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
  int index[3][16];        // grid index of each spline point (wrapped): base_d − i
  double theta[3][16];
  double dtheta[3][16];
};

// Everything that depends only on (cell, α, grid, order): the FFT plan and the influence
// function on the half spectrum, G(m) = (2π/V) e^{−k²/4α²}/k² Π|b_d|², 0 at m = 0 and on
// Nyquist planes.
struct Setup {
  std::array<double, 9> cell;
  double alpha;
  int grid[3], order;
  RealFft3d fft;
  std::vector<double> influence;
  Setup(const double* c, double a, const int g[3], int p) : alpha(a), grid{g[0], g[1], g[2]}, order(p), fft(g) {
    std::copy(c, c + 9, cell.begin());
  }
  bool matches(const double* c, double a, const int g[3], int p) const {
    return std::equal(cell.begin(), cell.end(), c) && alpha == a && grid[0] == g[0] && grid[1] == g[1] &&
           grid[2] == g[2] && order == p;
  }
};

int frequency(std::size_t i, int k) { return static_cast<int>(i) <= k / 2 ? static_cast<int>(i) : static_cast<int>(i) - k; }
bool isNyquist(std::size_t i, int k) { return k % 2 == 0 && static_cast<int>(i) == k / 2; }

std::shared_ptr<const Setup> makeSetup(const double* cellData, double alpha, const int grid[3], int p, int threads) {
  auto setup = std::make_shared<Setup>(cellData, alpha, grid, p);
  Mat3 cell;
  std::copy(cellData, cellData + 9, cell.begin());
  const Mat3 inv = inverse(cell);
  const double volume = std::fabs(determinant(cell));
  const std::size_t k0 = static_cast<std::size_t>(grid[0]), k1 = static_cast<std::size_t>(grid[1]),
                    h = setup->fft.halfLength();
  const std::vector<double> b0 = splineModuli(grid[0], p), b1 = splineModuli(grid[1], p), b2 = splineModuli(grid[2], p);
  const double inv4a2 = 1.0 / (4 * alpha * alpha), prefactor = 2 * kPi / volume;
  std::vector<double>& g = setup->influence;
  g.assign(k0 * k1 * h, 0.0);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t i0 = 0; i0 < k0; ++i0) {
    const int m0 = frequency(i0, grid[0]);
    for (std::size_t i1 = 0; i1 < k1; ++i1) {
      const int m1 = frequency(i1, grid[1]);
      for (std::size_t i2 = 0; i2 < h; ++i2) {
        const int m2 = frequency(i2, grid[2]);
        if ((m0 == 0 && m1 == 0 && m2 == 0) || isNyquist(i0, grid[0]) || isNyquist(i1, grid[1]) || isNyquist(i2, grid[2])) continue;
        double k[3];
        for (int a = 0; a < 3; ++a) k[a] = 2 * kPi * (m0 * inv[3 * a] + m1 * inv[3 * a + 1] + m2 * inv[3 * a + 2]);
        const double k2v = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
        g[(i0 * k1 + i1) * h + i2] = prefactor * std::exp(-k2v * inv4a2) / k2v * b0[i0] * b1[i1] * b2[i2];
      }
    }
  }
  return setup;
}

// The setup of the last call, shared between threads (calls may come from worker threads).
std::shared_ptr<const Setup> cachedSetup(const double* cell, double alpha, const int grid[3], int p, int threads) {
  static std::mutex mutex;
  static std::shared_ptr<const Setup> last;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (last && last->matches(cell, alpha, grid, p)) return last;
  }
  std::shared_ptr<const Setup> setup = makeSetup(cell, alpha, grid, p, threads);
  std::lock_guard<std::mutex> lock(mutex);
  last = setup;
  return setup;
}

// Adds the charges of atoms [begin, end) to the real grid q.
void spread(const std::vector<AtomSplines>& splines, const double* charges, std::size_t begin, std::size_t end, int p,
            std::size_t k1, std::size_t k2, double* q) {
  for (std::size_t j = begin; j < end; ++j) {
    const AtomSplines& a = splines[j];
    for (int i0 = 0; i0 < p; ++i0) {
      const double w0 = charges[j] * a.theta[0][i0];
      const std::size_t g0 = static_cast<std::size_t>(a.index[0][i0]) * k1;
      for (int i1 = 0; i1 < p; ++i1) {
        const double w01 = w0 * a.theta[1][i1];
        double* row = q + (g0 + static_cast<std::size_t>(a.index[1][i1])) * k2;
        for (int i2 = 0; i2 < p; ++i2) row[a.index[2][i2]] += w01 * a.theta[2][i2];
      }
    }
  }
}

}  // namespace

struct PmeWorkspace::Memory {
  std::vector<AtomSplines> splines;
  std::vector<double> q;                     // charge grid, then φ
  std::vector<std::vector<double>> partial;  // charge grids of threads 1…
  std::vector<Complex> f;                    // half spectrum
  std::vector<double> planeEnergy, planeVirial;
};

PmeWorkspace::PmeWorkspace() : memory(std::make_unique<Memory>()) {}
PmeWorkspace::~PmeWorkspace() = default;
PmeWorkspace::PmeWorkspace(PmeWorkspace&&) noexcept = default;
PmeWorkspace& PmeWorkspace::operator=(PmeWorkspace&&) noexcept = default;

ReciprocalSum pmeReciprocal(const double* positions, const double* charges, std::size_t n, const double* cell,
                            double alpha, const int grid[3], int p, bool wantForces, bool wantAtomEnergies,
                            bool wantVirial, int threads) {
  PmeWorkspace workspace;
  ReciprocalSum out;
  pmeReciprocal(positions, charges, n, cell, alpha, grid, p, wantForces, wantAtomEnergies, wantVirial, threads, workspace, out);
  return out;
}

void pmeReciprocal(const double* positions, const double* charges, std::size_t n, const double* cellData, double alpha,
                   const int grid[3], int p, bool wantForces, bool wantAtomEnergies, bool wantVirial, int threads,
                   PmeWorkspace& workspace, ReciprocalSum& out) {
  PmeWorkspace::Memory& ws = *workspace.memory;
  out.energy = 0.0;
  std::fill(out.virial, out.virial + 6, 0.0);
  require(p >= 3 && p <= 12, "E_VALUE", "PME: the spline order must be 3…12");
  for (int d = 0; d < 3; ++d) require(grid[d] >= p && grid[d] <= 4096, "E_VALUE", "PME: each grid size must be ≥ the spline order (and ≤ 4096)");
  const std::shared_ptr<const Setup> setup = cachedSetup(cellData, alpha, grid, p, threads);
  Mat3 cell;
  std::copy(cellData, cellData + 9, cell.begin());
  const Mat3 inv = inverse(cell);
  const std::size_t k0 = static_cast<std::size_t>(grid[0]), k1 = static_cast<std::size_t>(grid[1]),
                    k2 = static_cast<std::size_t>(grid[2]), h = setup->fft.halfLength();
  const std::size_t points = k0 * k1 * k2;

  // Splines of every atom (fractional coordinates wrapped into [0, 1)).
  std::vector<AtomSplines>& splines = ws.splines;
  splines.resize(n);  // every field used is written below
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t j = 0; j < n; ++j) {
    const double* r = positions + 3 * j;
    for (int d = 0; d < 3; ++d) {
      double s = r[0] * inv[d] + r[1] * inv[3 + d] + r[2] * inv[6 + d];
      s -= std::floor(s);
      const double u = s * grid[d];
      int base = static_cast<int>(std::floor(u));
      if (base >= grid[d]) base -= grid[d];
      for (int i = 0; i < p; ++i) splines[j].index[d][i] = base - i < 0 ? base - i + grid[d] : base - i;
      bspline(u - std::floor(u), p, splines[j].theta[d], splines[j].dtheta[d]);
    }
  }

  // Spread the charges: per-thread grids added point by point in thread order.
  std::vector<double>& q = ws.q;
  q.assign(points, 0.0);
  if (threads <= 1) {
    spread(splines, charges, 0, n, p, k1, k2, q.data());
  } else {
    std::vector<std::vector<double>>& partial = ws.partial;
    partial.resize(static_cast<std::size_t>(threads - 1));
#pragma omp parallel num_threads(threads)
    {
      const int t = omp_get_thread_num();
      double* mine = q.data();
      if (t > 0) {
        partial[static_cast<std::size_t>(t - 1)].assign(points, 0.0);
        mine = partial[static_cast<std::size_t>(t - 1)].data();
      }
      spread(splines, charges, n * t / threads, n * (t + 1) / threads, p, k1, k2, mine);
#pragma omp barrier
#pragma omp for schedule(static)
      for (std::size_t g = 0; g < points; ++g)
        for (int u = 0; u < threads - 1; ++u) q[g] += partial[static_cast<std::size_t>(u)][g];
    }
  }
  std::vector<Complex>& f = ws.f;
  f.resize(setup->fft.spectrumSize());  // overwritten by the forward transform
  setup->fft.forward(q.data(), f.data(), threads);

  // Half spectrum: m2 = 1…h−1 stand for ±m2 (weight 2); G·F[Q] in place.
  const std::vector<double>& influence = setup->influence;
  const double inv4a2 = 1.0 / (4 * alpha * alpha);
  std::vector<double>& planeEnergy = ws.planeEnergy;
  std::vector<double>& planeVirial = ws.planeVirial;
  planeEnergy.assign(k0, 0.0), planeVirial.assign(6 * k0, 0.0);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t i0 = 0; i0 < k0; ++i0) {
    const int m0 = frequency(i0, grid[0]);
    double energy = 0, v[6] = {0, 0, 0, 0, 0, 0};
    for (std::size_t i1 = 0; i1 < k1; ++i1) {
      const int m1 = frequency(i1, grid[1]);
      const std::size_t row = (i0 * k1 + i1) * h;
      for (std::size_t i2 = 0; i2 < h; ++i2) {
        Complex& value = f[row + i2];
        const double g = influence[row + i2];
        const double w = (i2 == 0 ? 1.0 : 2.0) * g * std::norm(value);
        energy += w;
        if (wantVirial && g != 0.0) {
          const int m2 = static_cast<int>(i2);
          double k[3];
          for (int a = 0; a < 3; ++a) k[a] = 2 * kPi * (m0 * inv[3 * a] + m1 * inv[3 * a + 1] + m2 * inv[3 * a + 2]);
          const double c = 2.0 * (inv4a2 + 1.0 / (k[0] * k[0] + k[1] * k[1] + k[2] * k[2]));
          v[0] += w * (c * k[0] * k[0] - 1), v[1] += w * c * k[0] * k[1], v[2] += w * c * k[0] * k[2];
          v[3] += w * (c * k[1] * k[1] - 1), v[4] += w * c * k[1] * k[2], v[5] += w * (c * k[2] * k[2] - 1);
        }
        value *= 2.0 * g;
      }
    }
    planeEnergy[i0] = energy;
    for (int a = 0; a < 6; ++a) planeVirial[6 * i0 + a] = v[a];
  }
  for (std::size_t i0 = 0; i0 < k0; ++i0) {
    out.energy += planeEnergy[i0];
    for (int a = 0; a < 6; ++a) out.virial[a] += planeVirial[6 * i0 + a];
  }
  out.forces.clear(), out.atomEnergies.clear();  // keeps their capacity
  if (!wantForces && !wantAtomEnergies) return;
  setup->fft.backward(f.data(), q.data(), threads);  // φ(g) = 2 Σ_m G F e^{+2πi m·g/K}
  const double* phi = q.data();

  if (wantForces) out.forces.assign(3 * n, 0.0);
  if (wantAtomEnergies) out.atomEnergies.assign(n, 0.0);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t j = 0; j < n; ++j) {
    const AtomSplines& a = splines[j];
    double d0 = 0, d1 = 0, d2 = 0, e = 0;  // ∂E/∂u_d and Σ φ Π θ
    for (int i0 = 0; i0 < p; ++i0) {
      const std::size_t g0 = static_cast<std::size_t>(a.index[0][i0]) * k1;
      double s0 = 0, ds0 = 0, sd0 = 0;  // Σ_i1 θ1·s, Σ_i1 θ1·ds, Σ_i1 dθ1·s
      for (int i1 = 0; i1 < p; ++i1) {
        const double* row = phi + (g0 + static_cast<std::size_t>(a.index[1][i1])) * k2;
        double s = 0, ds = 0;
        for (int i2 = 0; i2 < p; ++i2) {
          const double value = row[a.index[2][i2]];
          s += value * a.theta[2][i2];
          ds += value * a.dtheta[2][i2];
        }
        s0 += a.theta[1][i1] * s, ds0 += a.theta[1][i1] * ds, sd0 += a.dtheta[1][i1] * s;
      }
      d0 += a.dtheta[0][i0] * s0;
      d1 += a.theta[0][i0] * sd0;
      d2 += a.theta[0][i0] * ds0;
      e += a.theta[0][i0] * s0;
    }
    const double qj = charges[j];
    if (wantForces) {
      // ∂u_d/∂r_a = K_d inv[a][d]
      for (int c = 0; c < 3; ++c) {
        out.forces[3 * j + c] = -qj * (d0 * grid[0] * inv[3 * c] + d1 * grid[1] * inv[3 * c + 1] + d2 * grid[2] * inv[3 * c + 2]);
      }
    }
    if (wantAtomEnergies) out.atomEnergies[j] = 0.5 * qj * e;
  }
}

}  // namespace polymorph

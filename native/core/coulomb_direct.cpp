// The direct Coulomb sum of an open cluster (formulas and kernels in coulomb_direct.hpp).
#include "core/coulomb_direct.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/fast_math.hpp"
#include "core/threads.hpp"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include <immintrin.h>
#define POLYMORPH_AVX512_KERNEL 1
#endif

namespace polymorph {
namespace {

// Arrays of one call: structure-of-arrays input and one thread's accumulators.
struct Rows {
  const double *x, *y, *z, *q;
  std::size_t n;
  double *fx, *fy, *fz, *e;
};

// Rows [begin, end) of the all-pairs sum: row i against the contiguous block j = i+1 … n−1 (each j
// once per row, so the stores to j never collide). Accumulates Σ φ, the forces (F_i += g d,
// F_j −= g d), the virial Σ g d d and pair energies split half and half; returns the smallest r²
// seen (overlap check). Compiled for the baseline and for AVX2. It always computes every term: a
// variant with fewer would let the compiler contract Σ φ into fused multiply-adds differently,
// and the energy would depend in its last bits on what else is asked.
POLYMORPH_CLONES double portableRows(const Rows& a, std::size_t begin, std::size_t end, double& energy, double virial[6]) {
  const double *x = a.x, *y = a.y, *z = a.z, *q = a.q;
  double *fx = a.fx, *fy = a.fy, *fz = a.fz, *e = a.e;
  const std::size_t n = a.n;
  double smallest = std::numeric_limits<double>::infinity();
  for (std::size_t i = begin; i < end; ++i) {
    const double xi = x[i], yi = y[i], zi = z[i], qi = q[i];
    double sx = 0, sy = 0, sz = 0, se = 0, w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, low = smallest;
#pragma omp simd reduction(+ : sx, sy, sz, se, w0, w1, w2, w3, w4, w5) reduction(min : low)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double dx = x[j] - xi, dy = y[j] - yi, dz = z[j] - zi;
      const double r2 = dx * dx + dy * dy + dz * dz;
      const double ir = 1.0 / std::sqrt(r2);
      const double phi = qi * q[j] * ir;
      const double g = -phi * ir * ir;
      const double gx = g * dx, gy = g * dy, gz = g * dz;
      sx += gx, sy += gy, sz += gz, se += phi;
      fx[j] -= gx, fy[j] -= gy, fz[j] -= gz, e[j] += 0.5 * phi;
      w0 += gx * dx, w1 += gx * dy, w2 += gx * dz, w3 += gy * dy, w4 += gy * dz, w5 += gz * dz;
      low = std::min(low, r2);
    }
    fx[i] += sx, fy[i] += sy, fz[i] += sz, e[i] += 0.5 * se;
    energy += se;
    virial[0] += w0, virial[1] += w1, virial[2] += w2, virial[3] += w3, virial[4] += w4, virial[5] += w5;
    smallest = low;
  }
  return smallest;
}

#ifdef POLYMORPH_AVX512_KERNEL
// GCC 12's own AVX-512 header (the reductions' _mm512_undefined_pd) trips -Wmaybe-uninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// The same rows, eight pairs at a time with 1/r from vrsqrt14pd and two Newton steps. The last
// block of a row is masked: its inactive lanes load zeros and their 1/r is set to zero, so they
// add nothing (and no NaN).
template <bool kVirial, bool kEnergies>
__attribute__((target("avx512f"))) double avx512Rows(const Rows& a, std::size_t begin, std::size_t end, double& energy,
                                                     double virial[6]) {
  const std::size_t n = a.n;
  const __m512d half = _mm512_set1_pd(0.5), threeHalves = _mm512_set1_pd(1.5), zero = _mm512_setzero_pd();
  double smallest = std::numeric_limits<double>::infinity();
  for (std::size_t i = begin; i < end; ++i) {
    const __m512d xi = _mm512_set1_pd(a.x[i]), yi = _mm512_set1_pd(a.y[i]), zi = _mm512_set1_pd(a.z[i]), qi = _mm512_set1_pd(a.q[i]);
    __m512d sx = zero, sy = zero, sz = zero, se = zero, low = _mm512_set1_pd(smallest);
    __m512d w0 = zero, w1 = zero, w2 = zero, w3 = zero, w4 = zero, w5 = zero;
    for (std::size_t j = i + 1; j < n; j += 8) {
      const std::size_t left = n - j;
      const __mmask8 m = left >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << left) - 1);
      const __m512d dx = _mm512_sub_pd(_mm512_maskz_loadu_pd(m, a.x + j), xi);
      const __m512d dy = _mm512_sub_pd(_mm512_maskz_loadu_pd(m, a.y + j), yi);
      const __m512d dz = _mm512_sub_pd(_mm512_maskz_loadu_pd(m, a.z + j), zi);
      const __m512d r2 = _mm512_fmadd_pd(dx, dx, _mm512_fmadd_pd(dy, dy, _mm512_mul_pd(dz, dz)));
      const __m512d h = _mm512_mul_pd(half, r2);
      __m512d ir = _mm512_rsqrt14_pd(r2);
      ir = _mm512_mul_pd(ir, _mm512_fnmadd_pd(_mm512_mul_pd(h, ir), ir, threeHalves));
      ir = _mm512_mul_pd(ir, _mm512_fnmadd_pd(_mm512_mul_pd(h, ir), ir, threeHalves));
      ir = _mm512_maskz_mov_pd(m, ir);
      const __m512d qq = _mm512_mul_pd(qi, _mm512_maskz_loadu_pd(m, a.q + j));
      const __m512d phi = _mm512_mul_pd(qq, ir);
      const __m512d g = _mm512_mul_pd(_mm512_sub_pd(zero, phi), _mm512_mul_pd(ir, ir));
      // Σ φ as an explicit fused multiply-add, which the compiler cannot split: the same in both
      // variants, so the energy does not depend on what else is asked.
      se = _mm512_fmadd_pd(qq, ir, se);
      sx = _mm512_fmadd_pd(g, dx, sx), sy = _mm512_fmadd_pd(g, dy, sy), sz = _mm512_fmadd_pd(g, dz, sz);
      _mm512_mask_storeu_pd(a.fx + j, m, _mm512_fnmadd_pd(g, dx, _mm512_maskz_loadu_pd(m, a.fx + j)));
      _mm512_mask_storeu_pd(a.fy + j, m, _mm512_fnmadd_pd(g, dy, _mm512_maskz_loadu_pd(m, a.fy + j)));
      _mm512_mask_storeu_pd(a.fz + j, m, _mm512_fnmadd_pd(g, dz, _mm512_maskz_loadu_pd(m, a.fz + j)));
      if constexpr (kEnergies) _mm512_mask_storeu_pd(a.e + j, m, _mm512_fmadd_pd(half, phi, _mm512_maskz_loadu_pd(m, a.e + j)));
      if constexpr (kVirial) {
        const __m512d gx = _mm512_mul_pd(g, dx), gy = _mm512_mul_pd(g, dy), gz = _mm512_mul_pd(g, dz);
        w0 = _mm512_fmadd_pd(gx, dx, w0), w1 = _mm512_fmadd_pd(gx, dy, w1), w2 = _mm512_fmadd_pd(gx, dz, w2);
        w3 = _mm512_fmadd_pd(gy, dy, w3), w4 = _mm512_fmadd_pd(gy, dz, w4), w5 = _mm512_fmadd_pd(gz, dz, w5);
      }
      low = _mm512_mask_min_pd(low, m, low, r2);
    }
    a.fx[i] += _mm512_reduce_add_pd(sx), a.fy[i] += _mm512_reduce_add_pd(sy), a.fz[i] += _mm512_reduce_add_pd(sz);
    const double rowEnergy = _mm512_reduce_add_pd(se);
    if constexpr (kEnergies) a.e[i] += 0.5 * rowEnergy;
    energy += rowEnergy;
    if constexpr (kVirial) {
      virial[0] += _mm512_reduce_add_pd(w0), virial[1] += _mm512_reduce_add_pd(w1), virial[2] += _mm512_reduce_add_pd(w2);
      virial[3] += _mm512_reduce_add_pd(w3), virial[4] += _mm512_reduce_add_pd(w4), virial[5] += _mm512_reduce_add_pd(w5);
    }
    smallest = _mm512_reduce_min_pd(low);
  }
  return smallest;
}
#pragma GCC diagnostic pop

bool avx512Here() {
  static const bool here = __builtin_cpu_supports("avx512f");
  return here;
}
#endif

// The first row of thread t of `team` when the n(n−1)/2 pairs i < j are split evenly by rows.
std::size_t directSplit(std::size_t n, int t, int team) {
  const double pairs = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
  const double target = pairs * t / team;
  std::size_t row = 0;
  double done = 0.0;
  while (row < n && done + static_cast<double>(n - 1 - row) <= target) done += static_cast<double>(n - 1 - row), ++row;
  return t == team ? n : row;
}

[[noreturn]] void overlap(std::size_t i, std::size_t j) {
  throw Error("E_VALUE", "Coulomb: atoms " + std::to_string(i) + " and " + std::to_string(j) +
                             " overlap (distance 0); the Coulomb energy is infinite");
}

}  // namespace

bool directKernelAvailable(DirectKernel kernel) {
  if (kernel != DirectKernel::kAvx512) return true;
#ifdef POLYMORPH_AVX512_KERNEL
  return avx512Here();
#else
  return false;
#endif
}

DirectSum directCoulombSum(const double* positions, const double* charges, std::size_t n, double* forces,
                           double* atomEnergies, bool virial, DirectScratch& scratch, DirectKernel kernel) {
  require(directKernelAvailable(kernel), "E_VALUE", "Coulomb: the AVX-512 kernel is not available on this processor");
#ifdef POLYMORPH_AVX512_KERNEL
  const bool wide = kernel == DirectKernel::kAvx512 || (kernel == DirectKernel::kAuto && avx512Here());
#else
  const bool wide = false;
#endif
  const int team = numThreads();
  std::vector<double>& soa = scratch.soa;
  soa.resize(4 * n);
  for (std::size_t i = 0; i < n; ++i) {
    soa[i] = positions[3 * i], soa[n + i] = positions[3 * i + 1], soa[2 * n + i] = positions[3 * i + 2];
    soa[3 * n + i] = charges[i];
  }
  scratch.threads.resize(static_cast<std::size_t>(team));
  scratch.smallest.assign(static_cast<std::size_t>(team), 0.0);
  scratch.energy.assign(static_cast<std::size_t>(team), 0.0);
  scratch.virial.assign(6 * static_cast<std::size_t>(team), 0.0);
  // The AVX-512 kernel has a forces-only variant (MD of a cluster); anything else takes the full one.
  const bool forcesOnly = !virial && atomEnergies == nullptr;
  ParallelExceptions guard;
#pragma omp parallel num_threads(team)
  {
    guard.run([&] {
      const int t = omp_get_thread_num();
      const std::size_t k = static_cast<std::size_t>(t);
      std::vector<double>& mine = scratch.threads[k];
      mine.assign(4 * n, 0.0);
      const Rows rows{soa.data(), soa.data() + n, soa.data() + 2 * n, soa.data() + 3 * n, n,
                      mine.data(), mine.data() + n, mine.data() + 2 * n, mine.data() + 3 * n};
      const std::size_t begin = directSplit(n, t, team), end = directSplit(n, t + 1, team);
      double* v = scratch.virial.data() + 6 * k;
      double& energy = scratch.energy[k];
#ifdef POLYMORPH_AVX512_KERNEL
      if (wide) {
        scratch.smallest[k] = forcesOnly ? avx512Rows<false, false>(rows, begin, end, energy, v)
                                         : avx512Rows<true, true>(rows, begin, end, energy, v);
        return;
      }
#endif
      scratch.smallest[k] = portableRows(rows, begin, end, energy, v);
    });
  }
  guard.rethrow();
  for (double r2 : scratch.smallest) {
    if (r2 > 1e-16) continue;
    for (std::size_t i = 0; i < n; ++i)  // find the pair to name it
      for (std::size_t j = i + 1; j < n; ++j) {
        const double dx = soa[j] - soa[i], dy = soa[n + j] - soa[n + i], dz = soa[2 * n + j] - soa[2 * n + i];
        if (!(dx * dx + dy * dy + dz * dz > 1e-16)) overlap(i, j);
      }
  }
  DirectSum sum;
  for (int t = 0; t < team; ++t) {
    const std::size_t k = static_cast<std::size_t>(t);
    const std::vector<double>& mine = scratch.threads[k];
    sum.energy += scratch.energy[k];
    if (virial)
      for (int c = 0; c < 6; ++c) sum.virial[c] += scratch.virial[6 * k + static_cast<std::size_t>(c)];
    if (forces != nullptr)
      for (std::size_t i = 0; i < n; ++i) forces[3 * i] += mine[i], forces[3 * i + 1] += mine[n + i], forces[3 * i + 2] += mine[2 * n + i];
    if (atomEnergies != nullptr)
      for (std::size_t i = 0; i < n; ++i) atomEnergies[i] += mine[3 * n + i];
  }
  return sum;
}

}  // namespace polymorph

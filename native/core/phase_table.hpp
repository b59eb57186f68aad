// Phase factors e^{i m θ_j}, θ_j = b·r_j, for m = 0…M and every atom j, by complex recurrence
// (one cos/sin per atom): the building block of sums over reciprocal-lattice vectors
// k = h1 b1 + h2 b2 + h3 b3, whose phases e^{i k·r} are products of one factor per direction
// (Ewald sums, direct structure factors). Negative m: the complex conjugate of m.
#pragma once
#include <cmath>
#include <cstddef>
#include <vector>

#include "core/geometry.hpp"

namespace polymorph {

struct PhaseTable {
  int h = 0;                   // largest m
  std::vector<double> re, im;  // [(h+1)·n]: row m holds e^{i m θ_j}
};

inline void phaseTable(const double* positions, std::size_t n, const Vec3& b, int h, PhaseTable& t) {
  t.h = h;
  t.re.resize((static_cast<std::size_t>(h) + 1) * n);
  t.im.resize(t.re.size());
  for (std::size_t j = 0; j < n; ++j) {
    const double* r = positions + 3 * j;
    const double theta = b[0] * r[0] + b[1] * r[1] + b[2] * r[2];
    t.re[j] = 1.0, t.im[j] = 0.0;
    if (h >= 1) t.re[n + j] = std::cos(theta), t.im[n + j] = std::sin(theta);
  }
  for (int m = 2; m <= h; ++m) {
    const double *pr = &t.re[(m - 1) * n], *pi = &t.im[(m - 1) * n], *cr = &t.re[n], *ci = &t.im[n];
    double *qr = &t.re[m * n], *qi = &t.im[m * n];
    for (std::size_t j = 0; j < n; ++j) {
      qr[j] = pr[j] * cr[j] - pi[j] * ci[j];
      qi[j] = pr[j] * ci[j] + pi[j] * cr[j];
    }
  }
}

// The phases e^{i(h1 θ1_j + h2 θ2_j)} of column (h1 ≥ 0, h2 of either sign) from two tables:
// re/im [n] each.
inline void columnPhases(const PhaseTable& t1, const PhaseTable& t2, int h1, int h2, std::size_t n, double* re, double* im) {
  const double s2 = h2 < 0 ? -1.0 : 1.0;
  const std::size_t m2 = static_cast<std::size_t>(h2 < 0 ? -h2 : h2);
  const double *ar = &t1.re[static_cast<std::size_t>(h1) * n], *ai = &t1.im[static_cast<std::size_t>(h1) * n];
  const double *br = &t2.re[m2 * n], *bi = &t2.im[m2 * n];
  for (std::size_t j = 0; j < n; ++j) {
    const double bim = s2 * bi[j];
    re[j] = ar[j] * br[j] - ai[j] * bim;
    im[j] = ar[j] * bim + ai[j] * br[j];
  }
}

}  // namespace polymorph

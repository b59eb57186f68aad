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

}  // namespace polymorph

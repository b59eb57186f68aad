// Solid-like atoms (solid_atoms.hpp).
#include "core/solid_atoms.hpp"

#include <omp.h>

#include <cmath>

#include "core/error.hpp"
#include "core/neighbor_list.hpp"
#include "core/steinhardt.hpp"
#include "core/threads.hpp"

namespace polymorph {

SolidAtomsResult solidAtoms(const SolidAtomsInput& in) {
  require(in.n > 0, "E_EMPTY", "solid atoms: no atoms");
  require(std::isfinite(in.cutoff) && in.cutoff > 0.0, "E_VALUE", "solid atoms: the cutoff must be > 0 Å");
  require(in.l >= 1 && in.l <= kSteinhardtMaxDegree, "E_VALUE", "solid atoms: l must be 1…20");
  require(std::isfinite(in.threshold) && in.threshold > -1.0 && in.threshold < 1.0, "E_VALUE", "solid atoms: the threshold must lie in (−1, 1)");
  require(in.minBonds >= 1, "E_VALUE", "solid atoms: minBonds must be ≥ 1");
  require(firstNonFinite(in.positions, 3 * in.n) == 3 * in.n, "E_VALUE", "solid atoms: non-finite positions");
  require((in.pbc[0] || in.pbc[1] || in.pbc[2]) ? in.cell != nullptr : true, "E_CELL", "solid atoms: periodic without a cell");
  NeighborListInput li;
  li.positions = in.positions, li.n = in.n, li.cell = in.cell, li.cutoff = in.cutoff, li.full = true, li.storeVectors = true;
  for (int k = 0; k < 3; ++k) li.pbc[k] = in.pbc[k];
  const NeighborListData list = buildNeighborList(li);
  const std::size_t n = in.n, L = static_cast<std::size_t>(in.l) + 1;  // m = 0…l stored (q_l,−m = (−1)^m conj q_lm)
  std::vector<double> q(2 * L * n, 0.0);  // normalised q̂_lm, re/im
  SolidAtomsResult out;
  out.solid.assign(n, 0), out.connections.assign(n, 0), out.neighbors.assign(n, 0), out.ql.assign(n, NAN);
  const double fourPiOver = 4.0 * 3.14159265358979323846 / static_cast<double>(2 * in.l + 1);
#pragma omp parallel for schedule(dynamic, 64) num_threads(numThreads())
  for (int64_t ii = 0; ii < static_cast<int64_t>(n); ++ii) {
    const std::size_t i = static_cast<std::size_t>(ii);
    double* qi = &q[2 * L * i];
    const int32_t count = list.rowPtr[i + 1] - list.rowPtr[i];
    out.neighbors[i] = count;
    if (count == 0) continue;
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      const double* d = &list.vectors[3 * static_cast<std::size_t>(p)];
      const double r = list.distances[static_cast<std::size_t>(p)];
      for (std::size_t m = 0; m < L; ++m) {
        double y[2];
        sphericalHarmonic(in.l, static_cast<int>(m), d[0] / r, d[1] / r, d[2] / r, y);
        qi[2 * m] += y[0], qi[2 * m + 1] += y[1];
      }
    }
    double norm2 = 0.0;  // Σ_{m=−l…l} |q_lm|² of the sums
    for (std::size_t m = 0; m < L; ++m) norm2 += (m == 0 ? 1.0 : 2.0) * (qi[2 * m] * qi[2 * m] + qi[2 * m + 1] * qi[2 * m + 1]);
    out.ql[i] = std::sqrt(fourPiOver * norm2) / static_cast<double>(count);
    const double scale = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
    for (std::size_t k = 0; k < 2 * L; ++k) qi[k] *= scale;
  }
#pragma omp parallel for schedule(dynamic, 64) num_threads(numThreads())
  for (int64_t ii = 0; ii < static_cast<int64_t>(n); ++ii) {
    const std::size_t i = static_cast<std::size_t>(ii);
    const double* qi = &q[2 * L * i];
    int32_t connected = 0;
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      const double* qj = &q[2 * L * static_cast<std::size_t>(list.neighbors[static_cast<std::size_t>(p)])];
      double dot = qi[0] * qj[0] + qi[1] * qj[1];
      for (std::size_t m = 1; m < L; ++m) dot += 2.0 * (qi[2 * m] * qj[2 * m] + qi[2 * m + 1] * qj[2 * m + 1]);
      connected += dot > in.threshold ? 1 : 0;
    }
    out.connections[i] = connected;
    out.solid[i] = connected >= in.minBonds ? 1 : 0;
  }
  return out;
}

}  // namespace polymorph

// Pair-distance histogram (pair_histogram.hpp).
#include "core/pair_histogram.hpp"

#include <omp.h>

#include <cmath>

#include "core/error.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"

namespace polymorph {

std::vector<int64_t> pairHistogram(const PairHistogramInput& in) {
  require(in.n > 0, "E_EMPTY", "pair histogram: no atoms");
  require(std::isfinite(in.rMax) && in.rMax > 0.0, "E_VALUE", "pair histogram: rMax must be > 0 Å");
  require(in.bins > 0 && in.bins <= 100000000, "E_VALUE", "pair histogram: bins must be a positive number");
  require(in.typeCount > 0 && in.typeCount <= 4096, "E_VALUE", "pair histogram: 1 to 4096 types");
  require(firstNonFinite(in.positions, 3 * in.n) == 3 * in.n, "E_VALUE", "pair histogram: non-finite positions");
  require((in.pbc[0] || in.pbc[1] || in.pbc[2]) ? in.cell != nullptr : true, "E_CELL", "pair histogram: periodic without a cell");
  for (std::size_t i = 0; i < in.n; ++i) {
    require(in.types[i] >= 0 && in.types[i] < in.typeCount, "E_VALUE", "pair histogram: the type of atom " + std::to_string(i) + " is out of range");
  }
  NeighborListInput li;
  li.positions = in.positions, li.n = in.n, li.cell = in.cell, li.cutoff = in.rMax, li.full = false, li.storeVectors = true;
  for (int k = 0; k < 3; ++k) li.pbc[k] = in.pbc[k];
  const NeighborListData list = buildNeighborList(li);
  const std::size_t T = static_cast<std::size_t>(in.typeCount), bins = static_cast<std::size_t>(in.bins);
  const std::size_t size = T * T * bins;
  const double scale = static_cast<double>(in.bins) / in.rMax;
  const int threads = numThreads();
  std::vector<std::vector<int64_t>> partial(static_cast<std::size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
    std::vector<int64_t>& h = partial[static_cast<std::size_t>(omp_get_thread_num())];
    h.assign(size, 0);
#pragma omp for schedule(static)
    for (int64_t ii = 0; ii < static_cast<int64_t>(in.n); ++ii) {
      const std::size_t i = static_cast<std::size_t>(ii);
      const std::size_t a = static_cast<std::size_t>(in.types[i]);
      for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
        const std::size_t q = static_cast<std::size_t>(p);
        const std::size_t k = static_cast<std::size_t>(list.distances[q] * scale);
        if (k >= bins) continue;
        const std::size_t b = static_cast<std::size_t>(in.types[static_cast<std::size_t>(list.neighbors[q])]);
        const std::size_t lo = a < b ? a : b, hi = a < b ? b : a;
        ++h[(lo * T + hi) * bins + k];
      }
    }
  }
  std::vector<int64_t> out(size, 0);
  for (const auto& h : partial)
    for (std::size_t k = 0; k < h.size(); ++k) out[k] += h[k];
  return out;
}

}  // namespace polymorph

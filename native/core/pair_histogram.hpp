// Histogram of pair distances by type pair: the kernel of radial distribution functions.
//
//   counts[(a·T + b)·bins + k] = number of unordered pairs {i, j} (i ≠ j, or an atom and its own
//   periodic image) with types {a, b}, a ≤ b, and distance in [k·Δ, (k+1)·Δ), Δ = rMax / bins
//
// (entries with a > b stay 0). Pairs through periodic images count once per image, as a radial
// distribution function wants. Counts are integers, so the result is the same for any thread count
// and summation order. Units Å. Threads: rows of a half neighbour list in parallel, one histogram
// per thread, added at the end.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

struct PairHistogramInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const int32_t* types = nullptr;     // [n] in [0, T)
  int typeCount = 1;                  // T
  const double* cell = nullptr;       // [3,3] rows, or null (open boundaries)
  bool pbc[3] = {false, false, false};
  double rMax = 0.0;                  // Å, > 0
  int bins = 0;                       // > 0
};

// Throws polymorph::Error: E_EMPTY (no atoms), E_VALUE (non-finite positions, rMax ≤ 0, bins ≤ 0,
// a type out of range), E_CELL (periodic without a cell).
std::vector<int64_t> pairHistogram(const PairHistogramInput& input);

}  // namespace polymorph

// Neighbour lists on a cell list in fractional coordinates: O(N), OpenMP-parallel, for any
// triclinic cell, periodic/open/mixed boundaries, and cutoffs larger than half the cell (several
// images of one neighbour and an atom's own images are all listed).
//
// A pair (i, j, S) is listed when |r_j + S·cell − r_i| < cutoff, S an integer image shift (zero
// in open directions), except i == j with S == 0. Half lists keep each pair once, under one of
// its two atoms (which one depends on the atoms' positions, as in LAMMPS' half lists: do not
// assume i < j); an atom's own image (i == j) is kept with S lexicographically positive.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/buffer.hpp"

namespace polymorph {

// Default memory budget of one neighbour list: 4 GiB.
constexpr double kDefaultNeighborListMemoryLimit = 4.0 * 1024 * 1024 * 1024;

struct NeighborListInput {
  const double* positions = nullptr;  // [n,3] Å, row-major
  std::size_t n = 0;
  const double* cell = nullptr;       // [3,3] rows = lattice vectors (Å); may be null if no pbc
  bool pbc[3] = {false, false, false};
  double cutoff = 0.0;                // Å, > 0
  bool full = true;                   // false: half list
  // Also store pair vectors and distances (24 + 8 bytes a pair). A lean list (false) stores
  // indices and image shifts only (16 bytes a pair); kernels recompute d from current positions,
  // which is what a Verlet list reused over MD steps needs.
  bool storeVectors = true;
  // Refuse (E_VALUE, before allocating) a list whose estimated size exceeds this many bytes.
  double memoryLimit = kDefaultNeighborListMemoryLimit;
};

struct NeighborListData {
  Buffer<int32_t> rowPtr;     // n+1; neighbours of i are [rowPtr[i], rowPtr[i+1])
  Buffer<int32_t> neighbors;  // M
  Buffer<int32_t> shifts;     // M x 3 image offsets
  Buffer<double> vectors;     // M x 3: r_j + S·cell − r_i (Å); empty in a lean list
  Buffer<double> distances;   // M (Å); empty in a lean list
  double cutoff = 0.0;        // Å: every pair closer than this (at build time) is listed
  bool full = true;           // false: half list
  bool hasVectors() const { return vectors.size() == 3 * neighbors.size(); }
};

// Pair vector d = r_j + S·cell − r_i (Å) of list entry p, from current positions (cell may be
// null only when every shift is zero).
inline void pairVector(const double* positions, const double* cell, const NeighborListData& list, std::size_t i,
                       std::size_t p, double d[3]) {
  const double* ri = positions + 3 * i;
  const double* rj = positions + 3 * static_cast<std::size_t>(list.neighbors[p]);
  for (int a = 0; a < 3; ++a) d[a] = rj[a] - ri[a];
  if (cell != nullptr) {
    const int32_t* s = &list.shifts[3 * p];
    if (s[0] != 0 || s[1] != 0 || s[2] != 0) {
      for (int a = 0; a < 3; ++a) d[a] += s[0] * cell[a] + s[1] * cell[3 + a] + s[2] * cell[6 + a];
    }
  }
}

// Estimated number of pairs of the list `input` asks for (from the number density of the atoms'
// box and the cutoff sphere, images included), computed in O(n) before anything is allocated.
double estimatedPairs(const NeighborListInput& input);

// Bytes a list of `pairs` pairs takes (lean or with vectors), including the build's scratch.
double neighborListBytes(double pairs, bool storeVectors);

// Number of calls of buildNeighborList since the process started (for tests of list sharing).
std::uint64_t neighborListBuildCount();

// Validates the input (finite positions and cell, positive finite cutoff, non-singular cell
// where any direction is periodic) and throws polymorph::Error on bad input.
// `reuse` offers memory to write into (e.g. the arrays of a previous list, possibly borrowed):
// each array keeps its memory when the new list fits, and is reallocated otherwise.
NeighborListData buildNeighborList(const NeighborListInput& input, NeighborListData reuse = {});

// Vectors and distances of `list` for `positions` (e.g. to materialise them for a lean list).
void fillPairVectors(const double* positions, const double* cell, NeighborListData& list);

// A list with vectors and distances derived from `shared` (half or full, built at a cutoff ≥
// `cutoff` from these atoms, possibly at earlier positions), holding the pairs closer than
// `cutoff` at the current positions, as a full or half list. Positions and cell are multiplied
// by `scale` first (distances and `cutoff` in the scaled unit). `out` keeps its memory when it
// fits (no allocation in steady state). Pairs keep the order of `shared` within each row.
void deriveNeighborList(const NeighborListData& shared, const double* positions, const double* cell, std::size_t n,
                        double cutoff, bool full, double scale, NeighborListData& out);

// Checks that `list` can serve a term needing `cutoff` (Å) on n atoms: same atom count, list
// cutoff ≥ cutoff. Throws E_VALUE naming `what`.
void checkNeighborListFor(const NeighborListData& list, std::size_t n, double cutoff, const std::string& what);

// The half list a pair sum runs on: `given` when not null (checked with checkNeighborListFor;
// must be a half list), else a lean half list of the atoms built into `own`.
const NeighborListData& halfListOrBuild(const NeighborListData* given, const double* positions, std::size_t n,
                                       const double* cell, const bool pbc[3], double cutoff, NeighborListData& own,
                                       const std::string& what);

// The first row of share t (of `team`) of the first n rows of `list`, with rows split so that
// each share holds about the same number of pairs (0 for t <= 0, n for t >= team).
std::size_t splitRowsByPairs(const NeighborListData& list, std::size_t n, int t, int team);

}  // namespace polymorph

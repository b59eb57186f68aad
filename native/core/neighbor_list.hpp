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
#include <vector>

#include "core/buffer.hpp"

namespace polymorph {

struct NeighborListInput {
  const double* positions = nullptr;  // [n,3] Å, row-major
  std::size_t n = 0;
  const double* cell = nullptr;       // [3,3] rows = lattice vectors (Å); may be null if no pbc
  bool pbc[3] = {false, false, false};
  double cutoff = 0.0;                // Å, > 0
  bool full = true;                   // false: half list
};

struct NeighborListData {
  Buffer<int32_t> rowPtr;     // n+1; neighbours of i are [rowPtr[i], rowPtr[i+1])
  Buffer<int32_t> neighbors;  // M
  Buffer<int32_t> shifts;     // M x 3 image offsets
  Buffer<double> vectors;     // M x 3: r_j + S·cell − r_i (Å)
  Buffer<double> distances;   // M (Å)
};

// Validates the input (finite positions and cell, positive finite cutoff, non-singular cell
// where any direction is periodic) and throws polymorph::Error on bad input.
// `reuse` offers memory to write into (e.g. the arrays of a previous list, possibly borrowed):
// each array keeps its memory when the new list fits, and is reallocated otherwise.
NeighborListData buildNeighborList(const NeighborListInput& input, NeighborListData reuse = {});

// The first row of share t (of `team`) of the first n rows of `list`, with rows split so that
// each share holds about the same number of pairs (0 for t <= 0, n for t >= team).
std::size_t splitRowsByPairs(const NeighborListData& list, std::size_t n, int t, int team);

}  // namespace polymorph

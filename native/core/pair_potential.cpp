// Checks and helpers of the pair-potential skeleton (see pair_potential.hpp).
#include "core/pair_potential.hpp"

#include <limits>

#include "core/geometry.hpp"

namespace polymorph::pair_detail {

void validateInput(const PairInput& in, int types, const std::string& name) {
  require(in.n > 0, "E_EMPTY", name + ": the structure has no atoms");
  require(in.positions != nullptr && in.types != nullptr, "E_VALUE", name + ": positions or types are missing");
  require(in.n <= static_cast<std::size_t>(std::numeric_limits<int32_t>::max()), "E_SIZE", name + ": too many atoms");
  if (const std::size_t k = firstNonFinite(in.positions, 3 * in.n); k < 3 * in.n) {
    throw Error("E_VALUE", name + ": position of atom " + std::to_string(k / 3) + " is not finite");
  }
  for (std::size_t i = 0; i < in.n; ++i) {
    if (in.types[i] >= 0 && in.types[i] < types) continue;
    require(false, "E_VALUE",
            name + ": type " + std::to_string(in.types[i]) + " of atom " + std::to_string(i) + " is out of range 0…" +
                std::to_string(types - 1));
  }
  if (in.cell != nullptr) {
    for (int k = 0; k < 9; ++k) require(std::isfinite(in.cell[k]), "E_CELL", name + ": cell is not finite");
  }
  if (in.pbc[0] || in.pbc[1] || in.pbc[2]) {
    require(in.cell != nullptr, "E_CELL", name + ": a periodic structure needs a cell");
  }
}

double stressVolume(const double* cell, const std::string& name) { return polymorph::stressVolume(cell, name); }

void validateList(const NeighborListData& list, const PairInput& in, const std::string& name) {
  const std::size_t n = in.n;
  require(list.rowPtr.size() == n + 1 && list.rowPtr[0] == 0, "E_SHAPE",
          name + ": the neighbour list does not match the number of atoms");
  const std::size_t m = static_cast<std::size_t>(list.rowPtr[n]);
  require(list.neighbors.size() == m && list.shifts.size() == 3 * m, "E_SHAPE",
          name + ": the neighbour list arrays have inconsistent lengths");
  const bool hasCell = in.cell != nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    require(list.rowPtr[i] <= list.rowPtr[i + 1], "E_VALUE", name + ": neighbour list row pointers decrease");
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      const int32_t j = list.neighbors[p];
      const int32_t* s = &list.shifts[3 * p];
      require(j >= 0 && static_cast<std::size_t>(j) < n, "E_VALUE",
              name + ": neighbour " + std::to_string(j) + " of atom " + std::to_string(i) + " is out of range");
      // A full list holds (i, i, S) and (i, i, −S); a half list keeps only S > 0.
      const bool positive = s[0] > 0 || (s[0] == 0 && (s[1] > 0 || (s[1] == 0 && s[2] > 0)));
      require(j != static_cast<int32_t>(i) || positive, "E_VALUE",
              name + ": expected a half neighbour list (an atom's own image once, with a positive shift)");
      require(hasCell || (s[0] == 0 && s[1] == 0 && s[2] == 0), "E_VALUE", name + ": image shifts without a cell");
    }
  }
}

NeighborListData halfList(const PairInput& in, double cutoff) {
  NeighborListData own;
  halfListOrBuild(nullptr, in.positions, in.n, in.cell, in.pbc, cutoff, own, "pair potential");
  return own;
}


}  // namespace polymorph::pair_detail

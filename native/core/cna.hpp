// Common neighbour analysis: per-atom structure labels (fcc, hcp, bcc, icosahedral, other) and the
// raw per-bond signatures (n_cn, n_b, n_lcb) they come from.
//
// For an atom i and one of its neighbours j (the "bond" i–j): n_cn = number of neighbours of i
// that are also bonded to j, n_b = number of bonds among those common neighbours, n_lcb = number of
// bonds in the largest cluster of those bonds (bonds sharing an atom are connected). Two atoms are
// bonded when closer than the cutoff r_c. Signatures (Honeycutt & Andersen, J. Phys. Chem. 91,
// 4950 (1987); Faken & Jónsson, Comput. Mater. Sci. 2, 279 (1994)):
//   fcc  12 × (4,2,1)          hcp  6 × (4,2,1) + 6 × (4,2,2)
//   bcc  8 × (6,6,6) + 6 × (4,4,4)   icosahedral 12 × (5,5,5)
// Cutoff mode (as LAMMPS compute cna/atom): every atom within the one cutoff is a neighbour, and a
// label needs exactly the signature counts above. Adaptive mode (Stukowski, Modelling Simul. Mater.
// Sci. Eng. 20, 045021 (2012)): per atom, its 12 nearest neighbours with
// r_c = (1 + √2)/2 · mean(r_1…r_12) for fcc, hcp and icosahedral; failing those, its 14 nearest with
// r_c = (1 + √2)/2 · [(2/√3)·mean(r_1…r_8) + mean(r_9…r_14)]/2 for bcc. Neighbours are sorted by
// distance (ties by index and image); an atom with fewer neighbours than a mode needs is "other".
//
// Images come from the neighbour list (any triclinic cell, any thickness: an atom may neighbour
// its own images, as in a one-cell-thick slab), so thin cells are handled exactly. Pair vectors
// are taken relative to atom i, so bonds between two of its neighbours are measured between the
// right images. Units Å. Threads: atoms in parallel, each independent: results are identical for
// any thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

enum class CnaLabel : int8_t { kOther = 0, kFcc = 1, kHcp = 2, kBcc = 3, kIcosahedral = 4 };

struct CnaInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const double* cell = nullptr;       // [3,3] rows, or null (open boundaries)
  bool pbc[3] = {false, false, false};
  bool adaptive = true;
  double cutoff = 0.0;                // Å, cutoff mode only (> 0)
};

struct CnaResult {
  std::vector<int8_t> labels;         // [n] CnaLabel
  // The bonds analysed for each atom (in adaptive mode those of the mode that labelled it, the
  // 12-neighbour one for "other"): bonds of atom i are [rowPtr[i], rowPtr[i+1]).
  std::vector<int32_t> rowPtr;        // [n+1]
  std::vector<int32_t> neighbors;     // [M] the neighbour j
  std::vector<int16_t> signatures;    // [M,3] n_cn, n_b, n_lcb
  std::vector<double> cutoffs;        // [n] r_c used for each atom (Å)
};

// Throws polymorph::Error: E_EMPTY (no atoms), E_VALUE (non-finite positions, cutoff ≤ 0 in
// cutoff mode), E_CELL (periodic without a cell).
CnaResult commonNeighborAnalysis(const CnaInput& input);

}  // namespace polymorph

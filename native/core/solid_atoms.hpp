// Solid-like atoms by the ten Wolde bond criterion (ten Wolde, Ruiz-Montero & Frenkel, J. Chem.
// Phys. 104, 9932 (1996); Auer & Frenkel, J. Chem. Phys. 120, 3015 (2004)): the unit vectors
//   q̂_lm(i) = q_lm(i) / sqrt(Σ_{m=−l…l} |q_lm(i)|²),   q_lm(i) = (1/N_b) Σ_{j within r_c} Y_lm(r̂_ij)
// of two neighbours are "connected" when Re Σ_m q̂_lm(i) q̂*_lm(j) > threshold, and an atom is solid
// with at least minBonds connected neighbours. Typical: l = 6, threshold 0.5–0.7, 6–8 bonds, r_c
// at the first minimum of g(r).
// Neighbours within the cutoff through periodic images (any cell, any thickness). An atom without
// neighbours has q_l NaN and is never solid. Units Å. Threads: atoms in parallel, each alone:
// results are identical for any thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

struct SolidAtomsInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const double* cell = nullptr;       // [3,3] rows, or null
  bool pbc[3] = {false, false, false};
  double cutoff = 0.0;                // Å
  int l = 6;                          // 1…20
  double threshold = 0.5;             // on the normalised dot product, in (−1, 1)
  int minBonds = 7;                   // ≥ 1
};

struct SolidAtomsResult {
  std::vector<uint8_t> solid;         // [n] 1: solid-like
  std::vector<int32_t> connections;   // [n] connected neighbours
  std::vector<int32_t> neighbors;     // [n] neighbours within the cutoff
  std::vector<double> ql;             // [n] q_l of each atom (NaN without neighbours)
};

// Throws polymorph::Error: E_EMPTY, E_VALUE (non-finite positions, bad cutoff, l, threshold or
// minBonds), E_CELL.
SolidAtomsResult solidAtoms(const SolidAtomsInput& input);

}  // namespace polymorph

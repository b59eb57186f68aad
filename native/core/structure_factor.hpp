// Static structure factors summed directly over reciprocal-lattice vectors of a periodic cell:
//   ρ_a(k) = Σ_{j ∈ a} e^{i k·r_j},   k = h1 b1 + h2 b2 + h3 b3,  b_d = 2π × column d of cell⁻¹,
// for every k with qMin ≤ |k| < qMax (k ≠ 0; one of each ±k pair, which give the same products),
// binned by |k| into `bins` equal bins. Per bin it returns the number of vectors, the sum of
// their |k|, and for every species pair a ≤ b the sum of Re ρ_a(k) ρ_b(k)*; the caller normalises
// (S_ab = Σ Re ρ_aρ_b* / (vectors · √(N_a N_b)), Ashcroft–Langreth; total S = |Σ_a ρ_a|² / N).
//
// Phases are products of per-direction tables (phase_table.hpp): two complex products per
// vector and atom. Cost ∝ atoms × vectors, vectors ≈ (2π/3)·(qMax/Δk)³ with Δk = 2π/L.
// `vectorsPerBin` > 0 keeps about that many vectors per bin (each vector of a bin holding M of
// them kept with probability vectorsPerBin/M, decided by a hash of (h1, h2, h3, seed): the same
// vectors for every frame of the same cell and any thread count).
//
// Triclinic cells of any shape; atoms in any image (phases are periodic). Threads split the
// (h1, h2) columns; sums are deterministic for a given thread count. Units: Å, Å⁻¹.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace polymorph {

struct StructureFactorInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const int32_t* species = nullptr;   // [n] in [0, speciesCount)
  int speciesCount = 1;
  const double* cell = nullptr;       // [3,3] rows = lattice vectors (Å), periodic in all directions
};

struct StructureFactorParameters {
  double qMin = 0.0;   // Å⁻¹
  double qMax = 0.0;   // Å⁻¹, > qMin
  int bins = 100;
  double vectorsPerBin = 0;  // ≤ 0: every vector
  uint64_t seed = 0;
};

struct StructureFactorSums {
  std::vector<double> vectors;  // [bins] vectors summed (as doubles)
  std::vector<double> qSum;     // [bins] Σ |k| (Å⁻¹)
  std::vector<double> products; // [bins, P] Σ Re ρ_a ρ_b*, pairs a ≤ b in row-major order (P = S(S+1)/2)
};

// Throws polymorph::Error: E_EMPTY (no atoms), E_CELL (no or singular cell), E_VALUE (bad
// parameters, non-finite positions, species out of range, more vectors than fit in memory/time).
StructureFactorSums structureFactorSums(const StructureFactorInput& input, const StructureFactorParameters& parameters);

}  // namespace polymorph

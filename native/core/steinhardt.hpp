// Steinhardt bond-orientational order parameters per atom (Steinhardt, Nelson & Ronchetti, PRB 28,
// 784 (1983)), with Lechner–Dellago averages (JCP 129, 114707 (2008)) and Voronoi face-area
// weights (Mickel et al., JCP 138, 044501 (2013)).
//
//   q_lm(i) = Σ_j w_ij Y_lm(r̂_ij) / Σ_j w_ij        (w = 1, or w = face area for Voronoi neighbours)
//   q_l(i)  = sqrt(4π/(2l+1) Σ_m |q_lm(i)|²)
//   ŵ_l(i)  = Σ_{m1+m2+m3=0} (l l l; m1 m2 m3) q_lm1 q_lm2 q_lm3 / (Σ_m |q_lm|²)^{3/2}
//   averaged: q̄_lm(i) = (q_lm(i) + Σ_{j∈N(i)} q_lm(j)) / (N_b(i) + 1), unweighted, over the same
//             neighbour list; q̄_l and w̄_l follow from q̄_lm as above.
//
// Y_lm (Condon–Shortley phase) from the normalised associated-Legendre recurrence, written as
// Y_lm = P̃_l^m(cos θ) (x + iy)^m with the sin^m θ factor carried by (x + iy)^m (no trigonometry);
// q_l,−m = (−1)^m conj(q_lm), so only m ≥ 0 is stored. Wigner 3j symbols from the Racah formula
// in long double. Everything else in double.
//
// Neighbours: within a cutoff (pairs with |d| < cutoff, images included), the `count` nearest
// (ties by atom index and image shift; the list radius grows until every atom has that many), or
// the Voronoi faces (voronoi.hpp; w = face area, faces below the relative area threshold dropped).
// `sameSpecies`: each atom sees only atoms of its own type — the whole computation (neighbours,
// Voronoi tessellation, averages) runs on that species' sub-lattice, once per species.
//
// An atom without neighbours gets NaN in its row and neighborCount 0 (an averaged row is NaN when
// the atom or any neighbour has none). ŵ_l is 0 when Σ_m |q_lm|² < 1e-24 (q_l ≈ 0).
// Parallel over atoms, each row computed alone: bitwise identical for any thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/voronoi.hpp"

namespace polymorph {

constexpr int kSteinhardtMaxDegree = 20;

enum class SteinhardtNeighbors { Cutoff, Count, Voronoi };

struct SteinhardtParameters {
  std::vector<int> degrees;  // l values, each in 0…kSteinhardtMaxDegree
  SteinhardtNeighbors neighbors = SteinhardtNeighbors::Cutoff;
  double cutoff = 0.0;       // Å (Cutoff)
  int count = 0;             // N nearest (Count)
  VoronoiOptions voronoi;    // (Voronoi)
  bool average = false;      // Lechner–Dellago q̄
  bool wl = false;           // ŵ_l instead of q_l
  bool sameSpecies = false;  // homonuclear: neighbours of the atom's own type only
};

struct SteinhardtInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const double* cell = nullptr;       // [3,3] rows = lattice vectors (Å)
  bool pbc[3] = {false, false, false};
  const int32_t* types = nullptr;     // [n] species labels (needed with sameSpecies)
};

struct SteinhardtResult {
  std::vector<double> values;           // [n, degrees.size()]
  std::vector<int32_t> neighborCounts;  // [n] neighbours used (0: row is NaN)
};

// Each request computes the neighbours (or tessellation) once and every l from it.
// Throws polymorph::Error: E_EMPTY, E_VALUE (bad degrees/options, non-finite positions, count
// larger than the other atoms of an open structure), E_CELL.
SteinhardtResult steinhardt(const SteinhardtInput& input, const SteinhardtParameters& parameters);

// Checks the parameters alone (E_VALUE).
void validateSteinhardtParameters(const SteinhardtParameters& parameters);

// Wigner 3j symbol (l l l; m1 m2 −m1−m2) (0 when |m1+m2| > l), from the Racah formula.
double wigner3jEqual(int l, int m1, int m2);

// Y_lm(r̂) for a unit vector (x, y, z), Condon–Shortley phase: {real, imaginary}.
void sphericalHarmonic(int l, int m, double x, double y, double z, double out[2]);

}  // namespace polymorph

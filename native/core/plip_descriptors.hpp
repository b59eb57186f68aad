// PLIP descriptors (Benoit et al. 2021; Goniakowski et al. 2022): per-atom 2-, 3- and N-body sums of
// Gaussians times a cosine cutoff, element-resolved by the central atom, with analytic derivatives.
//
//   f_c(r)   = ½[1 + cos(π r / R_cut)]  (r < R_cut; pairs beyond are not listed)
//   φ_g(r)   = exp(−a_g (r − b_g)²) f_c(r)                       a in 1/Å², b in Å
//   2B  χ_i[c; b; g]          = Σ_{j∈b} φ_g(r_ij)
//   3B  χ_i[c; b1≤b2; l; g]   = Σ_{j<k, {e_j,e_k}={b1,b2}} φ_g(r_ij) φ_g(r_ik) cos^l θ_jik,  l = 0…lmax
//   NB  ρ_i[b; g] = Σ_{j∈b} φ_g(r_ij) f_s(r_ij; R_short[c,b]),  χ_i[c; b; m; g] = ρ^m,  m = 4…mmax
//   f_s(r)   = 0 (r < r1), 6u⁵ − 15u⁴ + 10u³ (u = (r − r1)/(r2 − r1)), 1 (r > r2);
//              r1 = 0.95 R_short, r2 = 1.05 R_short
//
// c is the element of atom i; a descriptor row has F = T·F_c entries (T elements), the block of
// the central element holding the values and the others zero. Block order for central element c
// (elements in the order given): 2B [b][g2], then 3B [(b1,b2), b1≤b2][l][g3], then NB [b][m][gN].
// All values are dimensionless.
//
// Derivatives: for a slot m of atom i (an image of atom j at d = r_j + S·cell − r_i), ∂χ_i/∂d
// (1/Å). Then ∂χ_i/∂r_j += ∂χ_i/∂d, ∂χ_i/∂r_i −= ∂χ_i/∂d, ∂χ_i/∂ε_ab = Σ_m d_b ∂χ_i/∂d_a.
// Sums over atoms are gathered in a fixed order (atom by atom, slot by slot), so results are
// bit-identical for every thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/neighbor_list.hpp"

namespace polymorph {

// One radial grid: the Gaussians (a_g, b_g), g = 0…G−1.
struct PlipGrid {
  std::vector<double> widths;   // a, 1/Å², > 0
  std::vector<double> centres;  // b, Å
  std::size_t size() const { return widths.size(); }
};

struct PlipSettings {
  int elements = 0;               // T
  double cutoff = 6.0;            // R_cut, Å
  bool twoBody = false;
  PlipGrid twoBodyGrid;
  int lmax = -1;                  // 3B off when < 0
  PlipGrid threeBodyGrid;
  int mmax = 0;                   // NB features for m = 4…mmax (none when mmax < 4)
  std::vector<double> rShort;     // T×T symmetric, Å, in (0, R_cut)
  PlipGrid nBodyGrid;
};

// The structure (types are indices 0…T−1 into the settings' elements).
struct PlipStructure {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const int32_t* types = nullptr;     // [n]
  const double* cell = nullptr;       // [3,3] Å rows = lattice vectors, or null
  bool pbc[3] = {false, false, false};
  // A neighbour list of these atoms (half or full, lean or not, cutoff ≥ R_cut; e.g. a shared
  // Verlet list); null: build one. `scratch` (optional) keeps the derived list's memory.
  const NeighborListData* list = nullptr;
  NeighborListData* scratch = nullptr;
};

// Design-matrix rows of one structure (what a linear fit needs).
struct PlipRows {
  std::size_t features = 0;
  std::vector<double> atomDescriptors;  // [n, F]
  std::vector<double> energyRow;        // [F] = Σ_i χ_i
  std::vector<double> forceRows;        // [3n, F] = −∂(Σ_i χ_i)/∂r_(k,a), 1/Å, if requested
  std::vector<double> stressRows;       // [6, F] = (1/V) ∂(Σ_i χ_i)/∂ε, Voigt xx yy zz yz xz xy, 1/Å³
};

// A linear model contracted with its weights: E = Σ_i (offset[c_i] + w·χ_i).
struct PlipContracted {
  double energy = 0.0;               // eV
  std::vector<double> atomEnergies;  // [n] eV
  std::vector<double> forces;        // [n,3] eV/Å, if requested
  std::vector<double> stress;        // [3,3] eV/Å³ (ASE sign), if requested
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // eV, σ = W/V, if stress is requested
};

class PlipDescriptorSet {
 public:
  // Validates the settings (E_VALUE) and lays out the features.
  explicit PlipDescriptorSet(PlipSettings settings);
  const PlipSettings& settings() const { return s_; }
  std::size_t featuresPerElement() const { return perElement_; }
  std::size_t features() const { return perElement_ * static_cast<std::size_t>(s_.elements); }
  // Offsets of the 2B, 3B and NB parts inside one central element's block.
  std::size_t threeBodyOffset() const { return offset3_; }
  std::size_t nBodyOffset() const { return offsetN_; }

  // Throws E_EMPTY, E_VALUE (bad positions/types, overlapping atoms), E_CELL (stress without a cell).
  PlipRows rows(const PlipStructure& structure, bool forces, bool stress) const;
  // weights [F] (finite), offsets [T] eV; E_VALUE/E_SHAPE on bad weights.
  PlipContracted contract(const PlipStructure& structure, const std::vector<double>& weights,
                          const std::vector<double>& offsets, bool forces, bool stress) const;

 private:
  PlipSettings s_;
  std::size_t perElement_ = 0, offset3_ = 0, offsetN_ = 0;
};

class Evaluator;
// A linear PLIP model E = Σ_i (offset[c_i] + w·χ_i) as a native evaluator (evaluator.hpp);
// `elements` are the atomic numbers of the descriptors' elements in their order.
std::shared_ptr<Evaluator> makeLinearEvaluator(std::shared_ptr<const PlipDescriptorSet> set, std::vector<double> weights,
                                               std::vector<double> offsets, const std::vector<int32_t>& elements);

}  // namespace polymorph

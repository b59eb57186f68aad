// Behler–Parrinello symmetry functions of every n2p2 type (2, 3, 9, 12, 13, 20–25) with
// analytic derivatives: formulas, units and order in specs/n2p2-formats.md §1.4–1.6.
//
// A SymmetryFunctionSet holds the functions of every element (element indices 0…E−1 in
// atomic-number order), each element's functions in n2p2's sorted order (the order given).
// Functions that share (type, neighbour elements, cutoff) form a group, so each neighbour pair
// and triplet is visited once per group: cutoff values are computed once per pair, the Gaussian
// factors exp(−η(r − r_s)²) once per pair and distinct (η, r_s), integer ζ by multiplication.
//
// Three evaluations, all over a full neighbour list (every atom sees every neighbour closer than
// the set's largest cutoff), OpenMP-parallel over atoms:
//   values       G_i,s for every atom;
//   derivatives  G and the sparse ∂G_i,s/∂d_im for every neighbour slot m of atom i within the
//                element's cutoff (d_im = r_j + S·cell − r_i): ∂G_i/∂r_j = Σ_{m→j} ∂G_i/∂d_im and
//                ∂G_i/∂r_i = −Σ_m ∂G_i/∂d_im; the virial is Σ d ⊗ ∂G/∂d;
//   contraction  given w_i,s = ∂E/∂G_i,s, the gradient Σ_i Σ_s w_i,s ∂G_i,s/∂r for every atom and
//                the virial W_ab = Σ d_a ∂E/∂d_b, without storing derivatives (what forces and
//                stress need).
// Lengths are whatever unit the definitions use; G is dimensionless (weighted types carry Z).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/neighbor_list.hpp"
#include "core/mapped_allocator.hpp"

namespace polymorph {

// One function. Element fields are indices into the set's element list; −1 = every element
// (the weighted types 12, 13, 23, 24, 25). Angles in degrees.
struct SymmetryFunctionParameters {
  int type = 0;
  int element = 0;
  int e1 = -1, e2 = -1;
  double eta = 0.0, rShift = 0.0, lambda = 0.0, zeta = 1.0, cutoff = 0.0;
  double rLow = 0.0, angleLeft = 0.0, angleRight = 0.0;
  int core = 0;  // compact types: 1–4 POLY1–POLY4, 5 EXP
  bool asymmetric = false;
};

// Packed row layout used by the addon: 14 doubles per function, in this order.
constexpr int kSymmetryFunctionColumns = 14;
// type, element, e1, e2, eta, rShift, lambda, zeta, cutoff, rLow, angleLeft, angleRight, core, asymmetric
SymmetryFunctionParameters unpackSymmetryFunction(const double* row);

struct SymmetryFunctionGroups;  // internal

class SymmetryFunctionSet {
 public:
  // Validates everything (E_VALUE naming the function): known types, element indices in range,
  // functions ordered by element, finite parameters, r_c > 0, 0 <= α < 1, cutoff type 0–8, …
  SymmetryFunctionSet(std::vector<int> atomicNumbers, int cutoffType, double cutoffAlpha,
                      std::vector<SymmetryFunctionParameters> functions);
  ~SymmetryFunctionSet();
  SymmetryFunctionSet(const SymmetryFunctionSet&) = delete;
  SymmetryFunctionSet& operator=(const SymmetryFunctionSet&) = delete;

  int elements() const { return static_cast<int>(atomicNumbers_.size()); }
  int atomicNumber(int element) const { return atomicNumbers_[element]; }
  int count(int element) const { return counts_[element]; }
  // Largest cutoff over every function (the neighbour-list cutoff) and per central element.
  double cutoff() const { return cutoff_; }
  double cutoff(int element) const { return elementCutoff_[element]; }
  const SymmetryFunctionGroups& groups() const { return *groups_; }

 private:
  std::vector<int> atomicNumbers_;
  std::vector<int> counts_;
  std::vector<double> elementCutoff_;
  double cutoff_ = 0.0;
  std::unique_ptr<SymmetryFunctionGroups> groups_;
};

// The atoms of a structure: element index per atom and a full neighbour list of them.
struct AtomsView {
  std::size_t n = 0;
  const int32_t* elements = nullptr;  // [n], each in [0, E)
  const NeighborListData* list = nullptr;  // full list, cutoff >= set.cutoff()
};

// Values per element: rows follow atom order within each element.
struct SymmetryFunctionValues {
  std::vector<int32_t> row;                  // [n]: row of atom i in its element's block
  std::vector<std::vector<int32_t>> atoms;   // per element: atom of each row
  std::vector<std::vector<double>> values;   // per element: [N_e, n_e] row-major
};

// Derivatives of one element's block (atoms in the block's row order).
struct SymmetryFunctionDerivatives {
  std::vector<int32_t> start;     // [N_e + 1]: neighbour slots of row k are start[k] … start[k+1]−1
  std::vector<int32_t> neighbor;  // [M_e] atom index j of each slot
  std::vector<double> vector;     // [M_e, 3] d = r_j + S·cell − r_i
  std::vector<double, MappedAllocator<double>> derivative;  // [M_e, n_e, 3] ∂G_s/∂d (large: mapped, see mapped_allocator.hpp)
};

// Throws E_VALUE for an element index out of range or two atoms at the same place.
SymmetryFunctionValues symmetryFunctionValues(const SymmetryFunctionSet& set, const AtomsView& atoms);

// Values and derivatives (per element). `derivatives` is overwritten; its buffers' capacity is
// reused when it already holds a structure's.
SymmetryFunctionValues symmetryFunctionDerivatives(const SymmetryFunctionSet& set, const AtomsView& atoms,
                                                   std::vector<SymmetryFunctionDerivatives>& derivatives);

// Adds Σ_i Σ_s w_i,s ∂G_i,s/∂r_a to gradient[a] ([n,3]) for every atom a and Σ d ⊗ ∂/∂d to
// virial[9] (row-major). weights follows the layout of `values` (per element [N_e, n_e]).
void contractSymmetryFunctionGradient(const SymmetryFunctionSet& set, const AtomsView& atoms,
                                      const SymmetryFunctionValues& layout,
                                      const std::vector<std::vector<double>>& weights, double* gradient,
                                      double* virial);

// Fused evaluation for potentials, atom by atom: the atom's values G (all groups), then
// `network(thread, atom, element, G, w)` which must write w = ∂E/∂G (n_e values), then the
// gradient Σ_s w_s ∂G_s/∂r and virial of that atom, reusing the values pass's exp and cutoff
// results. Returns the values (unscaled G, for extrapolation checks). Deterministic for a given
// thread count (fixed atom → thread map); `threads` (default numThreads()) sets it, 1 for a call
// made inside another parallel region.
using AtomNetwork = std::function<void(int thread, std::size_t atom, int element, const double* G, double* w)>;
SymmetryFunctionValues fusedSymmetryFunctionGradient(const SymmetryFunctionSet& set, const AtomsView& atoms,
                                                     const AtomNetwork& network, double* gradient, double* virial,
                                                     int threads = 0);

// A structure in Å with element indices; lengthFactor converts Å into the functions' length
// unit (e.g. 1/0.529177… for Bohr).
struct StructureInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const int32_t* elements = nullptr;  // [n] element index of each atom
  const double* cell = nullptr;       // [3,3] Å (rows = lattice vectors) or null
  bool pbc[3] = {false, false, false};
  double lengthFactor = 1.0;
};

// Validates the structure (E_EMPTY, E_VALUE, E_CELL) and builds a full neighbour list of it in
// the functions' length unit; `cell` receives the scaled cell (9 values, zero without a cell).
NeighborListData scaledNeighborList(const StructureInput& input, int elements, double cutoff, double* cell);

struct SymmetryFunctionResult {
  SymmetryFunctionValues values;
  std::vector<SymmetryFunctionDerivatives> derivatives;  // per element, when requested; in Å:
                                                         // vectors in Å, ∂G/∂d in 1/Å
};

SymmetryFunctionResult computeSymmetryFunctions(const SymmetryFunctionSet& set, const StructureInput& input,
                                                bool derivatives);

}  // namespace polymorph

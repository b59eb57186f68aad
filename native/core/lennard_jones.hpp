// Lennard-Jones pair potential over a half neighbour list, for several atom types.
//
//   φ_ab(r) = 4 ε_ab [ (σ_ab / r)^12 − (σ_ab / r)^6 ]            for r < rc_ab, else 0
//   φ_ab(r) − φ_ab(rc_ab)  with `shift` (LAMMPS `pair_modify shift yes`: zero at the cutoff)
//
//   E          = Σ_pairs φ(r)                                     (eV)
//   F_i        = −∂E/∂r_i = Σ_j φ'(r) d_ij / r,  d_ij = r_j + S·cell − r_i      (eV/Å)
//   σ_ab       = (1/V) ∂E/∂ε_ab = (1/V) Σ_pairs φ'(r) d_a d_b / r   (eV/Å³, ASE sign:
//                positive under tension; pressure = −tr σ / 3)
//   E_i        = ½ Σ_j φ(r_ij)  (half of each pair to each atom; Σ_i E_i = E)
//
// Units: ε in eV, σ and cutoffs in Å, positions and cell (rows = lattice vectors) in Å.
// Types are indices 0 … T−1 into the T×T parameter tables (row-major, symmetric).
//
// Periodic self-images: an atom closer than the cutoff to its own image i + S·cell appears
// in the half list once per pair (S, −S) (as (i, i, S) with S > 0), which is exactly its term
// of E = ½ Σ_i Σ_(j,S)≠(i,0) φ. Its force contributions to "i" and "j" cancel (zero net force),
// its stress contribution does not. No special case is needed.
//
// Example:
//   LennardJonesParameters p{1, {0.0104}, {3.40}, {8.5}, true};   // argon, one type
//   LennardJonesInput in;  in.positions = xyz; in.n = n; in.types = zeros; in.cell = cell;
//   in.pbc[0] = in.pbc[1] = in.pbc[2] = true; in.forces = in.stress = true;
//   LennardJonesResult r = lennardJones(in, p);   // r.energy (eV), r.forces [n,3], r.stress [3,3]
#pragma once
#include <cstddef>
#include <memory>
#include <cstdint>
#include <vector>

#include "core/neighbor_list.hpp"
#include "core/pair_potential.hpp"

namespace polymorph {

// Parameters for T atom types; every table is T×T, row-major and symmetric.
struct LennardJonesParameters {
  int types = 0;
  std::vector<double> epsilon;  // eV, >= 0 (0: the pair does not interact)
  std::vector<double> sigma;    // Å, > 0
  std::vector<double> cutoff;   // Å, > 0
  bool shift = false;           // shift each pair's energy to zero at its cutoff
};

// The structure, what to compute, and the results: the shared pair-potential types.
using LennardJonesInput = PairInput;
using LennardJonesResult = PairResult;

// Checks the parameter tables (sizes, finiteness, ranges, symmetry); throws Error E_VALUE.
void validateLennardJones(const LennardJonesParameters& parameters);

// Largest pair cutoff (Å): the neighbour-list cutoff.
double lennardJonesCutoff(const LennardJonesParameters& parameters);

// Builds a half neighbour list and evaluates the potential. Throws polymorph::Error:
// E_EMPTY (no atoms), E_VALUE (bad parameters, non-finite positions, type out of range,
// overlapping atoms), E_CELL (stress without a usable cell; periodic without a cell).
LennardJonesResult lennardJones(const LennardJonesInput& input, const LennardJonesParameters& parameters);

// Evaluates on a given half list (each pair once under either atom, an atom's own images with a
// positive shift; see neighbor_list.hpp) that contains every pair closer than the largest cutoff; pairs beyond their own cutoff are
// skipped, so a list built with a Verlet skin may be reused. Pair vectors are recomputed from
// positions, shifts and cell (d = r_j + S·cell − r_i), so the list's own vectors may be stale.
LennardJonesResult lennardJonesOnList(const LennardJonesInput& input, const LennardJonesParameters& parameters,
                                      const NeighborListData& halfList);

// The potential as a native evaluator (evaluator.hpp) for the elements `elements` (atomic
// numbers, one per type, in type order). Validates the parameters once (E_VALUE, E_SHAPE).
std::shared_ptr<Evaluator> makeLennardJonesEvaluator(const LennardJonesParameters& parameters, const std::vector<int32_t>& elements);

}  // namespace polymorph

// Buckingham (exp-6) pair potential over a half neighbour list, for several atom types.
//
//   φ_ab(r) = A_ab exp(−r / ρ_ab) − C_ab / r⁶                     for r < rc_ab, else 0
//   φ_ab(r) − φ_ab(rc_ab)  with `shift` (zero at the cutoff, like Lennard-Jones' shift)
//
// E, forces, stress (ASE sign) and per-atom energies (½ φ to each atom of a pair) follow the
// shared pair-potential skeleton (pair_potential.hpp). Units: A in eV, ρ in Å, C in eV·Å⁶,
// cutoffs, positions and cell (rows = lattice vectors) in Å. Types index the T×T tables
// (row-major, symmetric). A pair with A = C = 0 does not interact (and costs nothing).
//
// Buckingham catastrophe: with C > 0 the potential has a maximum at some r* (φ'(r*) = 0) and
// falls to −∞ below it. A pair closer than r* is reported as E_VALUE (atoms overlap) instead of
// returning energies of a collapsing system. A > 0, C > 0 without any repulsive barrier is
// rejected by validateBuckingham.
//
// Example:
//   BuckinghamParameters p{1, {9547.96}, {0.21916}, {32.0}, {10.0}, false};  // O–O, one type
//   PairInput in;  in.positions = xyz; in.n = n; in.types = zeros; in.cell = cell;
//   in.pbc[0] = in.pbc[1] = in.pbc[2] = true; in.forces = true;
//   PairResult r = buckingham(in, p);   // r.energy (eV), r.forces [n,3] (eV/Å)
#pragma once
#include <vector>

#include "core/neighbor_list.hpp"
#include "core/pair_potential.hpp"

namespace polymorph {

// Parameters for T atom types; every table is T×T, row-major and symmetric.
struct BuckinghamParameters {
  int types = 0;
  std::vector<double> a;       // A, eV, >= 0
  std::vector<double> rho;     // ρ, Å, > 0
  std::vector<double> c;       // C, eV·Å⁶, >= 0
  std::vector<double> cutoff;  // Å, > 0
  bool shift = false;          // shift each pair's energy to zero at its cutoff
};

// Checks the tables (sizes, finiteness, ranges, symmetry, a repulsive barrier); throws E_VALUE/E_SHAPE.
void validateBuckingham(const BuckinghamParameters& parameters);

// Largest pair cutoff (Å): the neighbour-list cutoff.
double buckinghamCutoff(const BuckinghamParameters& parameters);

// Distance r* (Å) of the inner maximum of φ = A e^{−r/ρ} − C/r⁶ (φ'(r*) = 0, r* < 7ρ); 0 when C = 0
// or A = 0 (no maximum: the pair diverges only at r = 0); −1 when A, C > 0 and φ has no maximum.
double buckinghamInnerMaximum(double a, double rho, double c);

// Builds a half neighbour list and evaluates the potential. Throws polymorph::Error: E_EMPTY,
// E_VALUE (bad parameters, non-finite positions, type out of range, atoms overlapping or closer
// than r*), E_CELL (stress without a usable cell; periodic without a cell).
PairResult buckingham(const PairInput& input, const BuckinghamParameters& parameters);

// Evaluates on a given half list holding every pair closer than the largest cutoff (see
// evaluatePairPotentialOnList in pair_potential.hpp).
PairResult buckinghamOnList(const PairInput& input, const BuckinghamParameters& parameters,
                            const NeighborListData& halfList);

// The potential as a native evaluator (evaluator.hpp) for the elements `elements` (atomic
// numbers, one per type, in type order). Validates the parameters once (E_VALUE, E_SHAPE).
std::shared_ptr<Evaluator> makeBuckinghamEvaluator(const BuckinghamParameters& parameters, const std::vector<int32_t>& elements);

}  // namespace polymorph

// Coulomb interaction of point charges without Ewald summation.
//
// Direct sum (open clusters, no periodic directions), O(N²):
//   E = k_e ½ Σ_{i≠j} q_i q_j / r_ij
//
// Damped shifted force (Fennell & Gezelter, J. Chem. Phys. 124, 234104 (2006)), cutoff R_c,
// damping α (1/Å), over a half neighbour list (periodic or not):
//   φ(r) = q_i q_j [ erfc(αr)/r − erfc(αR_c)/R_c + (erfc(αR_c)/R_c² + (2α/√π) e^{−α²R_c²}/R_c)(r − R_c) ]
//   for r < R_c, else 0 — energy and force go to zero continuously at R_c;
//   E = k_e [ Σ_pairs φ(r) − (erfc(αR_c)/(2R_c) + α/√π) Σ_i q_i² ]   (self term)
//
// Forces F = −∂E/∂r (eV/Å); stress σ = (1/V) Σ_pairs φ'(r) r_a r_b / r (eV/Å³, ASE sign; needs a
// cell); per-atom energies: half of each pair to each atom plus the atom's own self term.
// Both are deterministic for a given thread count: the direct sum's kernels and threading are in
// coulomb_direct.hpp (AVX-512 where the processor has it); DSF follows lennard_jones.cpp's
// half-list scheme.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "core/constants.hpp"
#include "core/neighbor_list.hpp"

namespace polymorph {

struct CoulombParameters {
  double coulombConstant = kCoulombConstant;  // k_e, eV·Å/e² (constants.hpp)
  bool dsf = false;                            // damped shifted force instead of the direct sum
  double alpha = 0.0;                          // DSF damping, 1/Å (≥ 0)
  double cutoff = 0.0;                         // DSF cutoff R_c, Å (> 0)
};

struct CoulombInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const double* charges = nullptr;    // [n] e
  const double* cell = nullptr;       // [3,3] Å rows = lattice vectors, or null
  bool pbc[3] = {false, false, false};
  bool forces = false;
  bool stress = false;
  bool atomEnergies = false;
  bool virial = true;  // the direct sum skips it when false and stress is off (MD of a cluster)
  // DSF only: a half neighbour list of these atoms with cutoff ≥ parameters.cutoff (a shared
  // Verlet list, possibly lean); null: the sum builds its own. The direct sum needs no list.
  const NeighborListData* list = nullptr;
};

struct CoulombResult {
  double energy = 0.0;               // eV
  std::vector<double> forces;        // [n,3] eV/Å
  std::vector<double> stress;        // [3,3] eV/Å³
  std::vector<double> atomEnergies;  // [n] eV
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // eV, σ = W/V
};

// Throws polymorph::Error: E_EMPTY, E_VALUE (non-finite input, bad parameters, overlapping
// charges), E_CELL (periodic direct sum, stress without a usable cell).
CoulombResult coulomb(const CoulombInput& input, const CoulombParameters& parameters);

// Checks the parameters alone (E_VALUE).
void validateCoulombParameters(const CoulombParameters& parameters);

class Evaluator;
class ChargeTable;
// The Coulomb sum as a native evaluator (evaluator.hpp): cutoff 0 for the direct sum (no list),
// the DSF cutoff otherwise. Charges from `charges` (per element, or per atom).
std::shared_ptr<Evaluator> makeCoulombEvaluator(const CoulombParameters& parameters, const ChargeTable& charges);

}  // namespace polymorph

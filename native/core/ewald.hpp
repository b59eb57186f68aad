// Ewald summation for point charges in a periodic triclinic cell (tin-foil boundary conditions).
//
//   E_real  = ½ Σ_{i,j,n}' q_i q_j erfc(α r)/r              (pairs with r < r_c, neighbour list)
//   E_recip = (2π/V) Σ_{k≠0, |k|<k_c} e^{−k²/4α²}/k² |S(k)|²,  S(k) = Σ_j q_j e^{ik·r_j}
//   E_self  = −(α/√π) Σ q_i²
//   E_bg    = −π Q²/(2Vα²), Q = Σ q   (uniform neutralising background; optional)
//   E       = k_e (E_real + E_recip + E_self + E_bg)        (eV with k_e in eV·Å/e²)
//
// Cell rows are lattice vectors (Å), k = h·B with B = 2π inv(cell)ᵀ, h integer, |h_d| ≤
// ceil(k_c |a_d| / 2π). Forces F = −∂E/∂r (eV/Å); stress σ = (1/V) ∂E/∂ε (eV/Å³, ASE sign):
//   real  ½ Σ φ'(r) r_a r_b / r;   recip (2π/V) Σ_k A|S|² [−δ_ab + 2 k_a k_b (1/4α² + 1/k²)];
//   background −E_bg δ_ab.
// Per-atom energies (Σ_i E_i = E): half of each real-space pair to each atom;
//   E_i^recip = (2π/V) Σ_k A q_i Re[e^{ik·r_i} S*(k)];  E_i^self = −(α/√π) q_i²;
//   E_i^bg = −π Q q_i/(2Vα²) (atom i's charge against the background).
//
// e^{ik·r_j} is built as a product of per-dimension phase factors (e^{iθ_d})^{h_d} with
// θ_d = b_d·r_j, computed by recursion (no sin/cos per k-vector and atom).
//
// Parallel scheme (deterministic for a given thread count; thread counts differ only by the
// order of partial sums): real space as in lennard_jones.cpp (half list, rows split at equal
// pair counts, private force buffers added in thread order); reciprocal space over columns
// (h1, h2) assigned cyclically to threads, private force buffers, partial sums in thread order.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "core/constants.hpp"
#include "core/neighbor_list.hpp"

namespace polymorph {

struct EwaldParameters {
  double alpha = 0.0;           // splitting parameter α, 1/Å (> 0)
  double cutoff = 0.0;          // real-space cutoff r_c, Å (> 0)
  double kCutoff = 0.0;         // reciprocal-space cutoff k_c, 1/Å (> 0)
  double coulombConstant = kCoulombConstant;  // k_e, eV·Å/e² (constants.hpp)
  bool background = true;       // add the neutralising background; false: a charged cell is E_VALUE
  // Smooth particle-mesh Ewald for the reciprocal part (pme.hpp) instead of the k-vector sum;
  // kCutoff is then unused.
  bool pme = false;
  int grid[3] = {0, 0, 0};      // PME grid K1, K2, K3 (≥ order)
  int order = 6;                // PME B-spline order (3…12)
};

struct EwaldInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const double* charges = nullptr;    // [n] e
  const double* cell = nullptr;       // [3,3] Å, rows = lattice vectors (required, non-singular)
  bool forces = false;
  bool stress = false;
  bool atomEnergies = false;
  // A half neighbour list of these atoms with cutoff ≥ parameters.cutoff (e.g. a shared Verlet
  // list, possibly lean); null: the real-space sum builds its own.
  const NeighborListData* list = nullptr;
};

struct EwaldResult {
  double energy = 0.0;               // eV
  std::vector<double> forces;        // [n,3] eV/Å
  std::vector<double> stress;        // [3,3] eV/Å³
  std::vector<double> atomEnergies;  // [n] eV
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // eV, σ = W/V (the PME part only when stress is requested)
  // Energy terms (eV): energy = real + reciprocal + self + background.
  double real = 0.0, reciprocal = 0.0, self = 0.0, background = 0.0;
  int kVectors = 0;                  // k-vectors used (k and −k counted once); PME: grid points
};

// Relative tolerance under which a total charge counts as zero: |Q| ≤ 1e-10 · Σ|q_i|.
bool isChargeNeutral(const double* charges, std::size_t n);

// Throws polymorph::Error: E_EMPTY, E_VALUE (non-finite positions/charges, bad parameters,
// charged cell without background, overlapping charges), E_CELL (missing or singular cell).
EwaldResult ewald(const EwaldInput& input, const EwaldParameters& parameters);

// Checks the parameters alone (E_VALUE).
void validateEwaldParameters(const EwaldParameters& parameters);

class Evaluator;
class ChargeTable;
// Ewald (or PME) with fixed parameters as a native evaluator (evaluator.hpp); its cutoff is the
// real-space cutoff. Charges from `charges` (per element, or the system's per-atom charges).
std::shared_ptr<Evaluator> makeEwaldEvaluator(const EwaldParameters& parameters, const ChargeTable& charges);

}  // namespace polymorph

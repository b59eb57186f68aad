// Native evaluators: every native potential as one C++ object, built once from checked
// parameters and evaluated many times on (positions, cell, pbc) plus a neighbour list, with
// results written into caller-owned buffers. This is the interface the MD loop, minimisers and
// sums call; nothing here crosses into JavaScript.
//
//   E   = energy (eV)
//   F_i = −∂E/∂r_i (eV/Å), [n,3] row-major
//   W   = virial (eV), [3,3] row-major, defined so that the stress is σ = W / V (eV/Å³, ASE sign:
//         σ = (1/V) ∂E/∂ε, positive under tension). For pair terms W_ab = Σ_pairs φ'(r) d_a d_b / r.
//   E_i = per-atom energies (eV), Σ_i E_i = E
//
// Neighbour lists: evaluate() receives the caller's list (see neighbor_list.hpp), half or full,
// lean or with vectors, built from these atoms at a cutoff ≥ cutoff() — possibly at earlier
// positions, as a Verlet list with a skin is. Terms recompute pair vectors from the current
// positions and skip pairs beyond their own cutoff; a term that needs another form (a full list
// with vectors in its own length unit, e.g. HDNNP symmetry functions) derives it from the shared
// list into its own scratch memory, which is kept between calls. A term with cutoff() == 0 needs
// no list (null is accepted).
//
// Elements: the system gives atomic numbers; each evaluator maps them to its own types with a
// table made at construction, and refuses an element it does not cover (E_ELEMENT).
//
// Threads: evaluate() parallelises inside (OpenMP, numThreads()). One evaluator must not be
// evaluated from two threads at once (it keeps scratch memory); the addon serialises calls.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/neighbor_list.hpp"

namespace polymorph {

// The atoms an evaluator sees (all pointers borrowed for the duration of a call).
struct SystemView {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const int32_t* numbers = nullptr;   // [n] atomic numbers 1…118
  const double* charges = nullptr;    // [n] e, or null (terms that need per-atom charges say so)
  const double* cell = nullptr;       // [3,3] Å, rows = lattice vectors, or null
  bool pbc[3] = {false, false, false};
};

struct EvaluationRequest {
  bool forces = false;
  bool virial = false;
  bool atomEnergies = false;
};

// Caller-owned results. evaluate() overwrites energy and virial, and forces / atomEnergies when
// requested (they must then point to 3n / n doubles).
struct EvaluationOutput {
  double energy = 0.0;
  double* forces = nullptr;
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  double* atomEnergies = nullptr;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Name used in error messages ("Buckingham", "Ewald", …).
  virtual std::string name() const = 0;
  // Neighbour-list cutoff the term needs (Å); 0: no list needed.
  virtual double cutoff() const = 0;
  // Evaluates the term on `list` (null: the term builds the list it needs itself). Throws
  // polymorph::Error (E_ELEMENT, E_VALUE, E_CELL, …).
  virtual void evaluate(const SystemView& system, const NeighborListData* list, const EvaluationRequest& request,
                        EvaluationOutput& out) = 0;
  // Named scalar diagnostics of the last evaluation (e.g. Ewald's energy terms); none by default.
  virtual std::vector<std::pair<std::string, double>> diagnostics() const { return {}; }
};

// Σ_k w_k E_k over native terms, evaluated on one shared list (the largest cutoff of the terms).
class SumEvaluator final : public Evaluator {
 public:
  // Throws E_VALUE for no terms, a null term or a non-finite weight.
  SumEvaluator(std::vector<std::shared_ptr<Evaluator>> terms, std::vector<double> weights);
  std::string name() const override { return "SumPotential"; }
  double cutoff() const override { return cutoff_; }
  void evaluate(const SystemView& system, const NeighborListData* list, const EvaluationRequest& request,
                EvaluationOutput& out) override;
  std::vector<std::pair<std::string, double>> diagnostics() const override;
  const std::vector<std::shared_ptr<Evaluator>>& terms() const { return terms_; }

 private:
  std::vector<std::shared_ptr<Evaluator>> terms_;
  std::vector<double> weights_;
  double cutoff_ = 0.0;
  std::vector<double> forces_, atomEnergies_;  // one term's results (scratch, grows only)
};

// Charges of the atoms (e) for charge terms: by element (atomic numbers and charges given at
// construction) or, when constructed empty, the system's per-atom charges.
class ChargeTable {
 public:
  ChargeTable() = default;  // per-atom charges from the system
  // E_VALUE for a non-finite charge, a bad or repeated atomic number, or mismatched lengths.
  ChargeTable(const std::vector<int32_t>& elements, const std::vector<double>& charges);
  bool perAtom() const { return byElement_.empty(); }
  // The atoms' charges into `out`: E_ELEMENT for an element without a charge, E_VALUE when
  // per-atom charges are needed but absent or not finite.
  void chargesOf(const SystemView& system, const std::string& what, std::vector<double>& out) const;

 private:
  std::vector<double> byElement_;  // [119], NaN: no charge
};

// Copies a kernel's result (energy, virial[9], forces, atomEnergies vectors) into `out` as
// `request` asks; the adapters of the potential families share it.
template <class Result>
void copyResult(const Result& r, const EvaluationRequest& request, EvaluationOutput& out) {
  out.energy = r.energy;
  for (int k = 0; k < 9; ++k) out.virial[k] = r.virial[k];
  if (request.forces) std::copy(r.forces.begin(), r.forces.end(), out.forces);
  if (request.atomEnergies) std::copy(r.atomEnergies.begin(), r.atomEnergies.end(), out.atomEnergies);
}

// Z → type index (−1: not covered) for the elements of a model, in type order; E_VALUE for an
// atomic number outside 1…118 or given twice.
std::vector<int32_t> elementTypeTable(const std::vector<int32_t>& elements, const std::string& what);

// Types of the system's atoms through `table` into `types` (resized); E_ELEMENT naming the first
// uncovered element (by symbol-free atomic number) and what covers it.
void typesOf(const SystemView& system, const std::vector<int32_t>& table, const std::string& what,
             std::vector<int32_t>& types);

// Common checks of a system: atoms present, finite positions, cell when periodic. E_EMPTY,
// E_VALUE, E_CELL.
void checkSystem(const SystemView& system, const std::string& what);

// A half list for a pair term: `shared` itself when it is a half list, else derived into `scratch`.
const NeighborListData& halfListFor(const NeighborListData& shared, const SystemView& system, double cutoff,
                                    NeighborListData& scratch);

// One evaluation as a user asks for it: energy, forces, stress (σ = W/V, needs a non-singular
// cell: E_CELL) and per-atom energies, building one half lean list at cutoff() when `list` is
// null and the evaluator needs one.
struct Evaluation {
  double energy = 0.0;
  std::vector<double> forces;        // [n,3] eV/Å if requested
  std::vector<double> stress;        // [3,3] eV/Å³ if requested
  std::vector<double> atomEnergies;  // [n] eV if requested
  std::vector<std::pair<std::string, double>> diagnostics;
};
Evaluation evaluateSystem(Evaluator& evaluator, const SystemView& system, bool forces, bool stress, bool atomEnergies,
                          const NeighborListData* list);

}  // namespace polymorph

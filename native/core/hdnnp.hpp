// High-dimensional neural-network potential (2G-HDNNP, n2p2-compatible):
//   E = Σ_i [ NN_e(i)(G̃_i) / conv_energy + mean_energy + E_offset(e(i)) ]
// with G̃_i,s = base_s + factor_s · (G_i,s − shift_s) the scaled symmetry functions (scaling.data), forces
// F = −∂E/∂r from the contracted symmetry-function derivatives and the virial W = Σ d ⊗ ∂E/∂d,
// stress σ = W / V (ASE sign).
//
// Units: the potential works in its own units (those of its files); positions come in Å and
// results go out in eV, eV/Å and eV/Å³ through lengthFactor (potential length units per Å, e.g.
// 1/0.529177… for Bohr) and energyFactor (eV per potential energy unit, e.g. 27.211… for Hartree).
//
// Extrapolation: an unscaled G outside [min, max] of scaling.data (strictly) is reported per
// (atom, function) as n2p2 does; with `throwOnExtrapolation` the call fails with E_EXTRAPOLATION
// before forces are computed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/evaluator.hpp"
#include "core/neural_network.hpp"
#include "core/symmetry_functions.hpp"

namespace polymorph {

struct HdnnpElement {
  std::unique_ptr<NeuralNetwork> network;
  std::vector<double> scaleFactor, scaleShift, scaleBase;  // per function: G̃ = base + factor·(G − shift)
  std::vector<double> minimum, maximum;          // unscaled range of the training data
  double atomEnergy = 0.0;                       // offset per atom (potential energy unit)
};

struct HdnnpModel {
  std::unique_ptr<SymmetryFunctionSet> functions;
  std::vector<HdnnpElement> elements;
  double meanEnergy = 0.0, convEnergy = 1.0;  // normalisation (1/conv_energy scales NN outputs)
  double lengthFactor = 1.0, energyFactor = 1.0;
};

// Checks sizes and finiteness of a model assembled by the caller; throws E_VALUE.
void validateHdnnp(const HdnnpModel& model);

struct HdnnpInput {
  StructureInput structure;  // positions in Å; structure.lengthFactor is ignored (the model's is used)
  bool forces = false, stress = false, atomEnergies = false;
  bool throwOnExtrapolation = false;
  // A neighbour list of these atoms in Å (half or full, lean or not, cutoff ≥ the functions'
  // cutoff in Å, e.g. a shared Verlet list); null: build one. `scratch` (optional) keeps the
  // derived full list's memory between calls.
  const NeighborListData* list = nullptr;
  NeighborListData* scratch = nullptr;
};

struct Extrapolation {
  int32_t atom = 0, element = 0, function = 0;  // function index within the element (0-based)
  double value = 0.0, minimum = 0.0, maximum = 0.0;
};

struct HdnnpResult {
  double energy = 0.0;               // eV
  std::vector<double> forces;        // [n,3] eV/Å
  std::vector<double> stress;        // [3,3] eV/Å³
  std::vector<double> atomEnergies;  // [n] eV
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // eV, σ = W/V (when forces or stress are requested)
  std::vector<Extrapolation> extrapolations;
};

HdnnpResult computeHdnnp(const HdnnpModel& model, const HdnnpInput& input);

// The neighbour-list cutoff of a model in Å.
double hdnnpCutoff(const HdnnpModel& model);

// An HDNNP as a native evaluator (evaluator.hpp); `elements` are the atomic numbers of the
// model's elements in its order. The last call's extrapolations stay readable.
class HdnnpEvaluator final : public Evaluator {
 public:
  HdnnpEvaluator(std::shared_ptr<const HdnnpModel> model, const std::vector<int32_t>& elements);
  std::string name() const override { return "HDNNP"; }
  double cutoff() const override { return cutoff_; }
  void evaluate(const SystemView& system, const NeighborListData* list, const EvaluationRequest& request,
                EvaluationOutput& out) override;
  std::vector<std::pair<std::string, double>> diagnostics() const override;
  // Fail with E_EXTRAPOLATION (before forces) when a value leaves the training range.
  void setThrowOnExtrapolation(bool value) { throwOnExtrapolation_ = value; }
  const std::vector<Extrapolation>& lastExtrapolations() const { return extrapolations_; }

 private:
  std::shared_ptr<const HdnnpModel> model_;
  std::vector<int32_t> table_, types_;
  double cutoff_ = 0.0;
  bool throwOnExtrapolation_ = false;
  std::vector<Extrapolation> extrapolations_;
  NeighborListData scratch_;
};

}  // namespace polymorph

// HDNNP training (n2p2 models, hdnnp.hpp): the loss of reference structures and its exact
// gradient with respect to every network weight, for energies, forces and stress.
//
// Everything is in the potential's own units (those of its files; the caller converts). For a
// structure of N atoms with reference energy E, forces F and stress σ (σ = W/V, W = Σ d ⊗ ∂E/∂d,
// the HDNNP's convention) the structure's loss is
//   ℓ = w_E (ΔE/N)² + w_F Σ_k |ΔF_k|²/(3N) + w_S Σ_ab Δσ_ab²/9
// (Δ = prediction − reference; a term is skipped for a structure without that label) and a
// batch's loss is the mean of ℓ over its structures. With x_i = base + factor·(G_i − shift) the
// scaled inputs of atom i, o_i its network output, g_i = ∂o_i/∂x_i and ∂E/∂G_is = factor_s g_is/c
// (c = conv_energy), the gradient is
//   ∂ℓ/∂θ = Σ_i [ (2 w_E ΔE/(N² c)) ∂o_i/∂θ + ∂(g_i · v_i)/∂θ ],
//   v_is = factor_s/c · [ −(2 w_F/(3N)) Σ_k ΔF_k · ∂G_is/∂r_k + (2 w_S/(9V)) Σ_m d_mᵀ Δσ ∂G_is/∂d_m ],
// where m runs over atom i's neighbour slots (d_m the vector to the neighbour). g_i·v_i is the
// network's tangent along v_i (network_gradient.hpp), so one forward, one tangent and one reverse
// pass per atom give it: no Hessian is formed.
//
// Memory is bounded by one structure: the symmetry-function derivatives of a structure are
// computed, used and dropped (n2p2 keeps all of them, 13.8 MiB per 256-atom structure of
// LJ256); only the values G (atoms × functions doubles) may be kept between epochs
// (`cacheValues`).
//
// Threads: inside a structure, parallel over atoms; every atom's gradient goes into its own
// buffer and the buffers are summed in atom order, forces are gathered sequentially, structures
// are taken in batch order: results are bitwise identical for any thread count.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/network_gradient.hpp"
#include "core/symmetry_functions.hpp"

namespace polymorph {

// A reference structure in the potential's units.
struct TrainingStructure {
  std::vector<double> positions;  // [n,3]
  std::vector<int32_t> elements;  // [n] element index (the set's element order)
  std::vector<double> cell;       // [9] rows = lattice vectors, or empty (open)
  bool pbc[3] = {false, false, false};
  double energy = 0.0;            // total potential energy
  std::vector<double> forces;     // [n,3] or empty (no force label)
  std::vector<double> stress;     // [9] or empty (no stress label; needs a cell)
};

// A full neighbour list of a training structure at the functions' cutoff; `cell` (9 values)
// receives its cell (zeros when open).
NeighborListData trainingNeighborList(const SymmetryFunctionSet& set, const TrainingStructure& structure, double* cell);

// One element's network and input scaling: x_s = base_s + factor_s (G_s − shift_s).
struct TrainingElement {
  std::vector<int> layers;
  std::string activations;
  std::vector<double> scaleFactor, scaleShift, scaleBase;
  double atomEnergy = 0.0;  // offset per atom
};

struct LossWeights {
  double energy = 1.0, forces = 0.0, stress = 0.0;
};

// Errors of one structure at the weights of the call.
struct StructureErrors {
  double energy = 0.0;        // (E_pred − E_ref)/N
  double forceSquares = 0.0;  // Σ |ΔF|² over force components (0 without a force label)
  int32_t forceComponents = 0;
  double stressSquares = 0.0; // Σ Δσ² (9 components, 0 without a stress label)
  int32_t stressComponents = 0;
  double loss = 0.0;          // ℓ of the structure
};

class HdnnpTraining {
 public:
  // Validates everything (E_VALUE / E_SHAPE naming the structure): networks match the functions,
  // scaling finite, labels finite, elements in range, cells where periodic or stress is given.
  HdnnpTraining(std::unique_ptr<SymmetryFunctionSet> functions, std::vector<TrainingElement> elements,
                bool normalizeNodes, double meanEnergy, double convEnergy, std::vector<TrainingStructure> structures,
                bool cacheValues);

  std::size_t weightCount() const { return weightCount_; }
  std::size_t structureCount() const { return structures_.size(); }
  int elementCount() const { return static_cast<int>(networks_.size()); }
  // Offset of element e's weights in the flat vector (elements in order, each in n2p2's order).
  std::size_t weightOffset(int e) const { return offsets_[e]; }
  const NetworkGradient& network(int e) const { return networks_[e]; }
  const SymmetryFunctionSet& functions() const { return *functions_; }
  const TrainingStructure& structure(std::size_t s) const { return structures_[s]; }
  const TrainingElement& element(int e) const { return elements_[e]; }
  double meanEnergy() const { return meanEnergy_; }
  double convEnergy() const { return convEnergy_; }
  // The values of structure s: cached, or computed into `own` (and cached when cacheValues).
  const SymmetryFunctionValues& values(std::size_t s, SymmetryFunctionValues& own);
  // Bytes held by the value cache.
  std::size_t cacheBytes() const;

  // Statistics of the unscaled values over every atom of every structure, per element (what
  // n2p2's nnp-scaling writes to scaling.data; σ with n − 1). A values pass that fills the cache.
  struct ValueStatistics {
    std::vector<double> min, max, mean, sigma;
    std::size_t atoms = 0;
  };
  std::vector<ValueStatistics> valueStatistics(const std::atomic<bool>* cancel);
  // Replaces element e's input scaling (sizes as its functions) or the normalisation.
  void setScaling(int e, std::vector<double> factor, std::vector<double> shift, std::vector<double> base);
  void setNormalization(double meanEnergy, double convEnergy, const std::vector<double>& atomEnergies);

  // Loss of the structures batch[0…B) (mean of ℓ) at `weights`. When `gradient` is given
  // (weightCount() values) it receives the batch loss's gradient (overwritten). `errors`, when
  // given, receives each structure's errors (B entries). `needForces` computes forces (and their
  // errors) even when the force weight is 0 (for metrics). `forceMask` (B flags, may be null = all)
  // limits the force term to the structures it marks (n2p2's force fraction: the others cost one
  // network pass per atom instead of the symmetry-function derivatives).
  double loss(const double* weights, const int32_t* batch, std::size_t B, const LossWeights& lossWeights,
              double* gradient, StructureErrors* errors, bool needForces = false, const uint8_t* forceMask = nullptr);

 private:
  // Errors (no gradient) of a structure that needs forces or stress, by the fused evaluation of
  // inference on one thread (callers run structures in parallel).
  double evaluateFused(const double* weights, std::size_t s, const LossWeights& w, bool needForces, bool useForces,
                       StructureErrors& errors) const;
  double structureLoss(const double* weights, std::size_t s, const LossWeights& w, bool wantGradient, bool needForces,
                       bool useForces, double* gradient, StructureErrors& errors);

  std::unique_ptr<SymmetryFunctionSet> functions_;
  std::vector<TrainingElement> elements_;
  std::vector<NetworkGradient> networks_;
  std::vector<std::size_t> offsets_;
  std::size_t weightCount_ = 0;
  double meanEnergy_ = 0.0, convEnergy_ = 1.0;
  std::vector<TrainingStructure> structures_;
  bool cacheValues_ = true;
  std::vector<std::unique_ptr<SymmetryFunctionValues>> cache_;
};

// Adam (Kingma & Ba) and AdamW (Loshchilov & Hutter: decoupled weight decay) on a flat weight
// vector, plus the group-lasso proximal step of Sandberg et al.: after the optimiser step, each
// input j's outgoing first-layer weights w_j ← (1 − η λ_j/‖w_j‖)₊ w_j.
// Two regularisers act on the weights the mask marks: `l2` adds (l2/2)·Σ w² to the loss, i.e.
// l2·w to the gradient before the moments (Adam with L2, coupled: the decay is rescaled by Adam's
// preconditioner); `weightDecay` shrinks w ← w − η·decay·w outside the moments (AdamW).
struct AdamSettings {
  double learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  double weightDecay = 0.0;  // AdamW, decoupled
  double l2 = 0.0;           // L2 penalty, coupled through the gradient
};

// One step: m, v (weightCount each) and `step` (number of steps taken so far, incremented here).
// `decayMask` (0/1 per weight) may be null (no decay). `groups` lists the first-layer rows that
// carry a group penalty: for each group, its first weight's offset, its length and λ_j.
struct WeightGroup {
  std::size_t offset = 0, length = 0;
  double strength = 0.0;
};
void adamStep(double* weights, double* m, double* v, int64_t& step, const double* gradient, std::size_t count,
              const AdamSettings& settings, const uint8_t* decayMask, const std::vector<WeightGroup>& groups);

// One epoch of mini-batch training: the structures in `order`, `batchSize` at a time (the last
// batch may be smaller), one Adam step per batch; `forceMask` (count flags, may be null) marks the
// structures whose force term is used (see loss()). Returns the mean of the batch losses and the
// structures' errors at the weights each batch saw (running training metrics). `cancel` is
// checked between batches (E_CANCELLED).
struct EpochResult {
  double loss = 0.0;
  std::vector<StructureErrors> errors;  // in `order`
  std::size_t batches = 0;
};
EpochResult trainEpoch(HdnnpTraining& training, double* weights, double* m, double* v, int64_t& step,
                       const int32_t* order, std::size_t count, std::size_t batchSize, const LossWeights& lossWeights,
                       const AdamSettings& settings, const uint8_t* decayMask, const std::vector<WeightGroup>& groups,
                       const std::atomic<bool>* cancel, const uint8_t* forceMask = nullptr);

}  // namespace polymorph

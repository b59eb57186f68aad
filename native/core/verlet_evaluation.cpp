// An evaluator on its own Verlet list (verlet_evaluation.hpp).
#include "core/verlet_evaluation.hpp"

#include <algorithm>

namespace polymorph {

bool VerletEvaluation::expired(const SystemView& s) const {
  if (reference_.size() != 3 * s.n) return true;
  const double limit = 0.25 * skin_ * skin_;
  for (std::size_t k = 0; k < s.n; ++k) {
    const double* x = s.positions + 3 * k;
    const double dx = x[0] - reference_[3 * k], dy = x[1] - reference_[3 * k + 1], dz = x[2] - reference_[3 * k + 2];
    if (dx * dx + dy * dy + dz * dz > limit) return true;
  }
  return false;
}

void VerletEvaluation::rebuildAt(const SystemView& s, const double* reference) {
  NeighborListInput in;
  in.positions = reference, in.n = s.n, in.cell = s.cell, in.cutoff = evaluator_->cutoff() + skin_, in.full = false;
  in.storeVectors = false;
  for (int k = 0; k < 3; ++k) in.pbc[k] = s.pbc[k];
  list_ = buildNeighborList(in, std::move(list_));
  reference_.assign(reference, reference + 3 * s.n);
}

double VerletEvaluation::evaluate(const SystemView& s, double* forces, double virial[9]) {
  const NeighborListData* list = nullptr;
  if (evaluator_->cutoff() > 0.0) {
    if (expired(s)) {
      rebuildAt(s, s.positions);
      ++rebuilds_;
    }
    list = &list_;
  }
  EvaluationRequest request;
  request.forces = true;
  request.virial = s.cell != nullptr;
  EvaluationOutput out;
  out.forces = forces;
  evaluator_->evaluate(s, list, request, out);
  if (request.virial) std::copy(out.virial, out.virial + 9, virial);
  else std::fill(virial, virial + 9, 0.0);
  return out.energy;
}

}  // namespace polymorph

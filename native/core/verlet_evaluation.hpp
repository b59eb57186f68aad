// An evaluator on a Verlet list of its own (half, lean, cutoff + skin), rebuilt when an atom has
// moved more than skin/2 since the last build (the list stays valid until then: evaluator.hpp).
// When the cell changes (a barostat), atoms are compared with their reference positions carried
// along by the cell's deformation T = H_ref⁻¹ H, and the list is kept while
// 2 max|Δr| ≤ σ_min(T) (r_c + skin) − r_c (σ_min: T's smallest singular value), i.e. no pair left
// out at the build can have come within r_c.
// What molecular dynamics and minimisers call at every step; nothing here allocates once the
// list's memory has grown to size.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "core/evaluator.hpp"
#include "core/neighbor_list.hpp"

namespace polymorph {

class VerletEvaluation {
 public:
  VerletEvaluation(std::shared_ptr<Evaluator> evaluator, double skin) : evaluator_(std::move(evaluator)), skin_(skin) {}

  // Energy (eV) of `system`, forces [n,3] (eV/Å) into `forces`, and the virial (eV, zero without a
  // cell) into `virial`.
  double evaluate(const SystemView& system, double* forces, double virial[9]);
  // Builds the list from `reference` positions (same atoms and cell as `system`): a checkpoint's
  // list is rebuilt where it was built, so that pair sums keep their order.
  void rebuildAt(const SystemView& system, const double* reference);

  bool hasList() const { return !reference_.empty(); }
  const std::vector<double>& reference() const { return reference_; }
  const std::vector<double>& referenceCell() const { return referenceCell_; }
  long rebuilds() const { return rebuilds_; }
  void setRebuilds(long rebuilds) { rebuilds_ = rebuilds; }
  void forgetList() { reference_.clear(), list_ = NeighborListData(); }
  double skin() const { return skin_; }

 private:
  bool expired(const SystemView& system) const;

  std::shared_ptr<Evaluator> evaluator_;
  double skin_ = 1.0;
  NeighborListData list_;
  std::vector<double> reference_;  // positions at the last build
  std::vector<double> referenceCell_;  // the cell then (empty: none)
  long rebuilds_ = 0;
};

}  // namespace polymorph

// An evaluator on its own Verlet list (verlet_evaluation.hpp).
#include "core/verlet_evaluation.hpp"

#include <algorithm>
#include <cmath>

#include "core/geometry.hpp"
#include "core/threads.hpp"

namespace polymorph {

namespace {

// Below this many atoms the check stays serial (a parallel region costs more than the loop).
constexpr std::size_t kParallelAtoms = 1000;

// The smallest singular value of a 3×3 matrix: √ of the smallest eigenvalue of TᵀT (trigonometric
// solution of the symmetric eigenproblem).
double smallestSingularValue(const Mat3& t) {
  Mat3 a{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) a[3 * i + j] += t[3 * k + i] * t[3 * k + j];
  const double p1 = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
  const double q = (a[0] + a[4] + a[8]) / 3.0;
  const double p2 = (a[0] - q) * (a[0] - q) + (a[4] - q) * (a[4] - q) + (a[8] - q) * (a[8] - q) + 2.0 * p1;
  const double p = std::sqrt(p2 / 6.0);
  if (p == 0.0) return std::sqrt(std::max(q, 0.0));
  Mat3 b;
  for (int k = 0; k < 9; ++k) b[k] = (a[k] - (k % 4 == 0 ? q : 0.0)) / p;
  const double r = std::clamp(determinant(b) / 2.0, -1.0, 1.0);
  const double phi = std::acos(r) / 3.0;
  const double smallest = q + 2.0 * p * std::cos(phi + 2.0 * 3.14159265358979323846 / 3.0);
  return std::sqrt(std::max(smallest, 0.0));
}

}  // namespace

bool VerletEvaluation::expired(const SystemView& s) const {
  if (reference_.size() != 3 * s.n) return true;
  const bool cellChanged = s.cell != nullptr && referenceCell_.size() == 9 && !std::equal(referenceCell_.begin(), referenceCell_.end(), s.cell);
  if (cellChanged) {
    Mat3 before, now;
    std::copy(referenceCell_.begin(), referenceCell_.end(), before.begin());
    std::copy(s.cell, s.cell + 9, now.begin());
    const Mat3 t = multiply(inverse(before), now);  // r_ref T: the reference carried along by the cell
    const double cutoff = evaluator_->cutoff();
    const double room = smallestSingularValue(t) * (cutoff + skin_) - cutoff;  // ≥ 2 max|Δr| to keep the list
    if (!(room > 0.0)) return true;
    const double limit = 0.25 * room * room;
    const double* const reference = reference_.data();
    bool moved = false;
#pragma omp parallel for schedule(static) num_threads(numThreads()) reduction(|| : moved) if (s.n >= kParallelAtoms)
    for (int64_t k = 0; k < static_cast<int64_t>(s.n); ++k) {
      const double* x = s.positions + 3 * k;
      const double* r = reference + 3 * k;
      double d2 = 0.0;
      for (int b = 0; b < 3; ++b) {
        const double carried = r[0] * t[b] + r[1] * t[3 + b] + r[2] * t[6 + b];
        d2 += (x[b] - carried) * (x[b] - carried);
      }
      moved = moved || d2 > limit;
    }
    return moved;
  }
  const double limit = 0.25 * skin_ * skin_;
  const double* const reference = reference_.data();
  bool moved = false;
#pragma omp parallel for schedule(static) num_threads(numThreads()) reduction(|| : moved) if (s.n >= kParallelAtoms)
  for (int64_t k = 0; k < static_cast<int64_t>(s.n); ++k) {
    const double* x = s.positions + 3 * k;
    const double dx = x[0] - reference[3 * k], dy = x[1] - reference[3 * k + 1], dz = x[2] - reference[3 * k + 2];
    moved = moved || dx * dx + dy * dy + dz * dz > limit;
  }
  return moved;
}

void VerletEvaluation::rebuildAt(const SystemView& s, const double* reference) {
  NeighborListInput in;
  in.positions = reference, in.n = s.n, in.cell = s.cell, in.cutoff = evaluator_->cutoff() + skin_, in.full = false;
  in.storeVectors = false;
  for (int k = 0; k < 3; ++k) in.pbc[k] = s.pbc[k];
  list_ = buildNeighborList(in, std::move(list_));
  reference_.assign(reference, reference + 3 * s.n);
  if (s.cell != nullptr) referenceCell_.assign(s.cell, s.cell + 9);
  else referenceCell_.clear();
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

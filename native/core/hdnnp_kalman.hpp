// n2p2's global extended Kalman filter (GEKF) for HDNNP training (Singraber et al., JCTC 15,
// 3075 (2019)), for a like-for-like comparison with `nnp-train` and for users who prefer it.
//
// One update takes one observation: an energy (error ξ = c(E_ref − E), Jacobian H = Σ_i ∂o_i/∂θ,
// c = conv_energy, so both in n2p2's internal units) or one force component (ξ = c(F_ref − F)·w_F,
// H = c ∂F/∂θ · w_F with w_F = force_weight; ∂F/∂θ is a tangent pass through the networks of the
// atom and its neighbours along the symmetry-function derivatives with respect to that atom):
//   X = P H,  A = Hᵀ X + 1/η,  K = X/A,  P ← P − K Xᵀ + q I,  θ ← θ + K ξ,
// starting from P = I/ε, with q annealed by exp(−q_τ/U) down to q_min and η raised by
// exp(η_τ/U) up to η_max per update (U updates per epoch: the τ are per epoch, as in input.nn).
//
// An epoch makes, like nnp-train, energyFraction · (training structures) energy updates and
// forceFraction · (training force components) force updates in a seeded random order, each
// candidate drawn at random and, in threshold selection, accepted when its error exceeds
// threshold × the current RMSE (else the largest of `thresholdTrials` draws is used). Unlike
// nnp-train, which keeps every structure's symmetry-function derivatives in memory
// (memorize_symfunc_results: 13.8 MiB per 256-atom LJ structure) or recomputes them per update,
// the structures are taken in pools of `pool`: the pool's derivatives are computed once, its
// updates made, and the memory reused for the next pool. Everything is sequential in a fixed
// order (the kernels inside are deterministic), so results do not depend on the thread count.
#pragma once
#include <atomic>
#include <cstdint>
#include <vector>

#include "core/hdnnp_training.hpp"

namespace polymorph {

struct KalmanSettings {
  double epsilon = 0.01, q0 = 0.01, qtau = 2.302, qmin = 1e-6, eta0 = 0.01, etatau = 2.302, etamax = 1.0;
  double forceWeight = 1.0;
  double energyFraction = 1.0, forceFraction = 0.02;
  double energyThreshold = 0.0, forceThreshold = 1.0;  // × RMSE (threshold selection); 0 = random
  int thresholdTrials = 3;
  int pool = 8;
};

// The filter's state (plain data, so that a checkpoint can keep it): P is W×W, row-major.
struct KalmanState {
  std::vector<double> P;
  double q = 0.0, eta = 0.0;
  int64_t updates = 0;
};

KalmanState kalmanInitialize(std::size_t weightCount, const KalmanSettings& settings);

struct KalmanEpochResult {
  int64_t energyUpdates = 0, forceUpdates = 0;
  // Errors of the accepted candidates before their update (potential units): Σ (ΔE/N)², count,
  // Σ ΔF², count.
  double energySquares = 0.0, forceSquares = 0.0;
  int64_t energyCount = 0, forceCount = 0;
};

// One epoch over the training structures `order` (the pools follow this order). energyRmse and
// forceRmse (potential units: per atom and per component) scale the thresholds; 0 accepts any.
KalmanEpochResult kalmanEpoch(HdnnpTraining& training, double* weights, KalmanState& state, const int32_t* order,
                              std::size_t count, const KalmanSettings& settings, uint64_t seed, double energyRmse,
                              double forceRmse, const std::atomic<bool>* cancel);

}  // namespace polymorph

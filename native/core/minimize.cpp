// FIRE minimisation (minimize.hpp).
#include "core/minimize.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/verlet_evaluation.hpp"

namespace polymorph {

Fire::Fire(std::size_t n, std::vector<uint8_t> frozen, FireOptions o) : n_(n), frozen_(std::move(frozen)), o_(o) {
  auto positive = [](double x) { return std::isfinite(x) && x > 0.0; };
  require(positive(o.fmax) && positive(o.timestep) && positive(o.maxTimestep) && positive(o.minTimestep) && positive(o.maxStep),
          "E_VALUE", "FIRE: fmax, timesteps and maxStep must be positive finite numbers");
  require(o.maxSteps >= 0, "E_VALUE", "FIRE: maxSteps must be ≥ 0");
  require(o.fInc > 1.0 && o.fDec > 0.0 && o.fDec < 1.0 && o.alphaStart > 0.0 && o.alphaStart < 1.0 && o.fAlpha > 0.0 &&
              o.fAlpha <= 1.0 && o.nMin >= 0,
          "E_VALUE", "FIRE: need fInc > 1, 0 < fDec < 1, 0 < alphaStart < 1, 0 < fAlpha ≤ 1, nMin ≥ 0");
  if (frozen_.empty()) frozen_.assign(n_, 0);
  require(frozen_.size() == n_, "E_SHAPE", "FIRE: the frozen mask needs one entry per atom");
  v_.assign(3 * n_, 0.0);
  dt_ = o.timestep;
  alpha_ = o.alphaStart;
}

double Fire::maxForce(const double* f) const {
  double worst = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    if (frozen_[i]) continue;
    worst = std::max(worst, f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2]);
  }
  return std::sqrt(worst);
}

void Fire::step(double* x, const double* f) {
  double power = 0.0, ff = 0.0, vv = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    if (frozen_[i]) continue;
    for (int k = 0; k < 3; ++k) {
      const double fk = f[3 * i + k], vk = v_[3 * i + k];
      power += fk * vk, ff += fk * fk, vv += vk * vk;
    }
  }
  if (power > 0.0) {
    const double mix = ff > 0.0 ? alpha_ * std::sqrt(vv / ff) : 0.0;
    for (std::size_t i = 0; i < n_; ++i)
      if (!frozen_[i])
        for (int k = 0; k < 3; ++k) v_[3 * i + k] = (1.0 - alpha_) * v_[3 * i + k] + mix * f[3 * i + k];
    if (++positive_ > o_.nMin) dt_ = std::min(dt_ * o_.fInc, o_.maxTimestep), alpha_ *= o_.fAlpha;
  } else {
    for (std::size_t i = 0; i < n_; ++i)
      if (!frozen_[i])
        for (int k = 0; k < 3; ++k) x[3 * i + k] -= 0.5 * dt_ * v_[3 * i + k];
    std::fill(v_.begin(), v_.end(), 0.0);
    positive_ = 0;
    dt_ = std::max(dt_ * o_.fDec, o_.minTimestep);
    alpha_ = o_.alphaStart;
  }
  double largest = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    if (frozen_[i]) continue;
    double d2 = 0.0;
    for (int k = 0; k < 3; ++k) {
      v_[3 * i + k] += dt_ * f[3 * i + k];
      d2 += (dt_ * v_[3 * i + k]) * (dt_ * v_[3 * i + k]);
    }
    largest = std::max(largest, d2);
  }
  const double scale = largest > o_.maxStep * o_.maxStep ? o_.maxStep / std::sqrt(largest) : 1.0;
  for (std::size_t i = 0; i < n_; ++i)
    if (!frozen_[i])
      for (int k = 0; k < 3; ++k) x[3 * i + k] += scale * dt_ * v_[3 * i + k];
  ++steps_;
}

MinimizeResult minimizeFire(std::shared_ptr<Evaluator> evaluator, const SystemView& system, std::vector<double>& x,
                            const std::vector<uint8_t>& frozen, const FireOptions& options, double skin) {
  require(x.size() == 3 * system.n, "E_SHAPE", "FIRE: positions must be [n,3]");
  require(std::isfinite(skin) && skin >= 0.0, "E_VALUE", "FIRE: the neighbour skin must be ≥ 0 Å");
  Fire fire(system.n, frozen, options);
  VerletEvaluation field(std::move(evaluator), skin);
  SystemView s = system;
  s.positions = x.data();
  MinimizeResult r;
  r.forces.assign(3 * system.n, 0.0);
  double virial[9];
  for (;;) {
    r.energy = field.evaluate(s, r.forces.data(), virial);
    if (!std::isfinite(r.energy) || firstNonFinite(r.forces.data(), r.forces.size()) < r.forces.size()) {
      throw Error("E_VALUE", "FIRE: step " + std::to_string(fire.steps()) + ": the energy or forces are not finite (atoms too close?)");
    }
    r.maxForce = fire.maxForce(r.forces.data());
    if (r.maxForce <= options.fmax) {
      r.converged = true;
      break;
    }
    if (fire.steps() >= options.maxSteps) break;
    fire.step(x.data(), r.forces.data());
  }
  r.steps = fire.steps();
  return r;
}

}  // namespace polymorph

// FIRE minimisation (minimize.hpp).
#include "core/minimize.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
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

namespace {

// Energy and forces at x (frozen atoms' forces zeroed), E_VALUE when not finite.
double energyAt(VerletEvaluation& field, SystemView& s, std::vector<double>& x, std::vector<double>& f,
                const std::vector<uint8_t>& frozen, long step) {
  double virial[9];
  s.positions = x.data();
  const double e = field.evaluate(s, f.data(), virial);
  if (!std::isfinite(e) || firstNonFinite(f.data(), f.size()) < f.size()) {
    throw Error("E_VALUE", "CG: step " + std::to_string(step) + ": the energy or forces are not finite (atoms too close?)");
  }
  for (std::size_t i = 0; i < frozen.size(); ++i)
    if (frozen[i]) f[3 * i] = f[3 * i + 1] = f[3 * i + 2] = 0.0;
  return e;
}

double dotProduct(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) sum += a[k] * b[k];
  return sum;
}

}  // namespace

MinimizeResult minimizeCg(std::shared_ptr<Evaluator> evaluator, const SystemView& system, std::vector<double>& x,
                          const std::vector<uint8_t>& frozenMask, const FireOptions& options, double skin) {
  const std::size_t n = system.n;
  require(x.size() == 3 * n, "E_SHAPE", "CG: positions must be [n,3]");
  require(std::isfinite(skin) && skin >= 0.0, "E_VALUE", "CG: the neighbour skin must be ≥ 0 Å");
  const Fire checks(n, frozenMask, options);  // validates the options; maxForce over moving atoms
  const std::vector<uint8_t> frozen = frozenMask.empty() ? std::vector<uint8_t>(n, 0) : frozenMask;
  VerletEvaluation field(std::move(evaluator), skin);
  SystemView s = system;
  MinimizeResult r;
  std::vector<double> f(3 * n), d(3 * n), trial(3 * n), fTrial(3 * n);
  double e = energyAt(field, s, x, f, frozen, 0);
  d = f;
  long step = 0;
  for (;;) {
    r.maxForce = checks.maxForce(f.data());
    if (r.maxForce <= options.fmax) {
      r.converged = true;
      break;
    }
    if (step >= options.maxSteps) break;
    ++step;
    double slope = -dotProduct(f, d);  // dE/dα at α = 0
    if (!(slope < 0.0)) d = f, slope = -dotProduct(f, f);  // not descending: restart along the force
    double largest = 0.0;
    for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, d[3 * i] * d[3 * i] + d[3 * i + 1] * d[3 * i + 1] + d[3 * i + 2] * d[3 * i + 2]);
    double alpha = options.maxStep / std::sqrt(largest);
    // Trial step, then the secant minimum of the directional derivative (at most the trial's double).
    for (std::size_t k = 0; k < 3 * n; ++k) trial[k] = x[k] + alpha * d[k];
    double eTrial = energyAt(field, s, trial, fTrial, frozen, step);
    const double slopeTrial = -dotProduct(fTrial, d);
    if (slopeTrial > slope) {
      const double best = std::min(alpha * slope / (slope - slopeTrial), 2.0 * alpha);
      if (best > 0.0 && std::fabs(best - alpha) > 1e-3 * alpha) {
        alpha = best;
        for (std::size_t k = 0; k < 3 * n; ++k) trial[k] = x[k] + alpha * d[k];
        eTrial = energyAt(field, s, trial, fTrial, frozen, step);
      }
    }
    for (int halving = 0; eTrial > e && halving < 40; ++halving) {  // never go uphill
      alpha *= 0.5;
      for (std::size_t k = 0; k < 3 * n; ++k) trial[k] = x[k] + alpha * d[k];
      eTrial = energyAt(field, s, trial, fTrial, frozen, step);
    }
    if (eTrial > e) break;  // no step lowers the energy: as converged as round-off allows
    // Polak–Ribière+: β = max(0, F₁·(F₁ − F₀) / F₀·F₀)
    double num = 0.0, den = 0.0;
    for (std::size_t k = 0; k < 3 * n; ++k) num += fTrial[k] * (fTrial[k] - f[k]), den += f[k] * f[k];
    const double beta = den > 0.0 ? std::max(0.0, num / den) : 0.0;
    x.swap(trial), f.swap(fTrial), e = eTrial;
    for (std::size_t k = 0; k < 3 * n; ++k) d[k] = f[k] + beta * d[k];
  }
  s.positions = x.data();
  r.forces.assign(3 * n, 0.0);
  double virial[9];
  r.energy = field.evaluate(s, r.forces.data(), virial);  // the forces on frozen atoms too
  (void)e;
  r.steps = step;
  return r;
}

MinimizeResult minimizeFireWithCell(std::shared_ptr<Evaluator> evaluator, const SystemView& system, std::vector<double>& x,
                                    std::vector<double>& cell, const std::vector<uint8_t>& frozenMask, const FireOptions& options,
                                    double skin, double pressure) {
  const std::size_t n = system.n;
  require(x.size() == 3 * n && cell.size() == 9, "E_SHAPE", "FIRE: positions must be [n,3] and the cell [3,3]");
  require(system.pbc[0] && system.pbc[1] && system.pbc[2], "E_CELL", "FIRE: relaxing the cell needs a cell periodic in every direction");
  require(std::isfinite(pressure), "E_VALUE", "FIRE: the target pressure must be finite");
  require(std::isfinite(skin) && skin >= 0.0, "E_VALUE", "FIRE: the neighbour skin must be ≥ 0 Å");
  std::vector<uint8_t> frozen = frozenMask.empty() ? std::vector<uint8_t>(n, 0) : frozenMask;
  frozen.resize(n + 3, 0);  // the cell rows move
  Fire fire(n + 3, frozen, options);
  VerletEvaluation field(std::move(evaluator), skin);
  Mat3 h0;
  std::copy(cell.begin(), cell.end(), h0.begin());
  const double scale = static_cast<double>(n);
  // Generalised coordinates q = [u (n rows), n·D (3 rows)], starting at u = x, D = I.
  std::vector<double> q(3 * (n + 3)), g(3 * (n + 3));
  std::copy(x.begin(), x.end(), q.begin());
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) q[3 * n + 3 * a + b] = a == b ? scale : 0.0;
  SystemView s = system;
  MinimizeResult r;
  r.forces.assign(3 * n, 0.0);
  double virial[9];
  for (;;) {
    Mat3 d;
    for (int k = 0; k < 9; ++k) d[k] = q[3 * n + k] / scale;
    const Mat3 h = multiply(h0, d);
    std::copy(h.begin(), h.end(), cell.begin());
    for (std::size_t i = 0; i < n; ++i)
      for (int b = 0; b < 3; ++b) x[3 * i + b] = q[3 * i] * d[b] + q[3 * i + 1] * d[3 + b] + q[3 * i + 2] * d[6 + b];
    s.positions = x.data(), s.cell = cell.data();
    r.energy = field.evaluate(s, r.forces.data(), virial);
    if (!std::isfinite(r.energy) || firstNonFinite(r.forces.data(), r.forces.size()) < r.forces.size() || firstNonFinite(virial, 9) < 9) {
      throw Error("E_VALUE", "FIRE: step " + std::to_string(fire.steps()) + ": the energy, forces or stress are not finite");
    }
    const double volume = std::fabs(determinant(h));
    // Generalised forces: atoms F·Dᵀ; cell −D⁻ᵀ(W + P V I)/n.
    for (std::size_t i = 0; i < n; ++i)
      for (int a = 0; a < 3; ++a)
        g[3 * i + a] = r.forces[3 * i] * d[3 * a] + r.forces[3 * i + 1] * d[3 * a + 1] + r.forces[3 * i + 2] * d[3 * a + 2];
    Mat3 stress;  // W + P V I
    for (int k = 0; k < 9; ++k) stress[k] = virial[k] + (k % 4 == 0 ? pressure * volume : 0.0);
    const Mat3 dInverse = inverse(d);
    double cellForce = 0.0;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) {
        double sum = 0.0;
        for (int k = 0; k < 3; ++k) sum += dInverse[3 * k + a] * stress[3 * k + b];  // (D⁻ᵀ S)_ab
        g[3 * n + 3 * a + b] = -sum / scale;
        cellForce = std::max(cellForce, std::fabs(stress[3 * a + b]) / scale);
      }
    double atomForce = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (frozen[i]) continue;
      const double* f = &r.forces[3 * i];
      atomForce = std::max(atomForce, std::sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]));
    }
    r.maxForce = std::max(atomForce, cellForce);
    if (r.maxForce <= options.fmax) {
      r.converged = true;
      break;
    }
    if (fire.steps() >= options.maxSteps) break;
    fire.step(q.data(), g.data());
  }
  r.steps = fire.steps();
  return r;
}

}  // namespace polymorph

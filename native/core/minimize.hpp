// Energy minimisation by FIRE, the fast inertial relaxation engine (Bitzek, Koskinen, Gähler,
// Moseler & Gumbsch, PRL 97, 170201 (2006)), with the restart of FIRE 2.0 (Guénolé et al.,
// Comput. Mater. Sci. 175, 109584 (2020)): on P = F·v ≤ 0 the positions go back half a step.
//
// Each step, from the forces F at x (unit masses, as ASE's FIRE; `timestep` in its units):
//   P = F·v > 0: v ← (1 − α) v + α |v| F/|F|; after N_min such steps Δt ← min(f_inc Δt, Δt_max),
//                α ← f_α α
//   P ≤ 0:       x ← x − Δt v/2, v ← 0, Δt ← max(f_dec Δt, Δt_min), α ← α_start
//   v ← v + Δt F;  d = Δt v, scaled so that no atom moves more than `maxStep` (Å);  x ← x + d
// Frozen atoms keep their positions (their forces are left out of F). Converged when the largest
// force on a moving atom is ≤ fmax (eV/Å).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/evaluator.hpp"

namespace polymorph {

struct FireOptions {
  double fmax = 0.05;       // eV/Å
  long maxSteps = 1000;
  double timestep = 0.1;    // Δt_start
  double maxTimestep = 1.0; // Δt_max
  double minTimestep = 0.002;
  double maxStep = 0.2;     // Å per atom per step
  int nMin = 5;
  double fInc = 1.1, fDec = 0.5, alphaStart = 0.1, fAlpha = 0.99;
};

// The FIRE update of md.hpp's kind: step() takes the forces at the current positions and moves
// them; usable with forces from anywhere (a potential outside the core too).
class Fire {
 public:
  // E_VALUE for bad options (non-positive or non-finite sizes, fInc ≤ 1, …).
  Fire(std::size_t n, std::vector<uint8_t> frozen, FireOptions options);
  // Largest force on a moving atom (eV/Å).
  double maxForce(const double* forces) const;
  // One step from `forces` at `positions` (moved in place).
  void step(double* positions, const double* forces);
  long steps() const { return steps_; }

 private:
  std::size_t n_;
  std::vector<uint8_t> frozen_;
  FireOptions o_;
  std::vector<double> v_;
  double dt_, alpha_;
  int positive_ = 0;
  long steps_ = 0;
};

struct MinimizeResult {
  double energy = 0.0;          // eV at the final positions
  double maxForce = 0.0;        // eV/Å
  long steps = 0;               // FIRE steps taken
  bool converged = false;
  std::vector<double> forces;   // [n,3] eV/Å at the final positions
};

// Conjugate gradients (Polak–Ribière+, restarted along the force when the direction stops
// descending) with a secant line search on the directional derivative: a trial step that moves
// no atom more than maxStep, the minimum of the derivative's secant through 0 and the trial, kept
// only if the energy went down (else halved until it does). Same conventions as minimizeFire.
MinimizeResult minimizeCg(std::shared_ptr<Evaluator> evaluator, const SystemView& system, std::vector<double>& positions,
                          const std::vector<uint8_t>& frozen, const FireOptions& options, double skin);

// FIRE on positions and cell together, toward zero force and the stress −P·I (enthalpy
// E + P V), with the cell as three more rows of FIRE's coordinates (as ASE's cell filters):
// r = u·D, H = H₀·D (rows), coordinates [u, n·D], generalised forces [F·Dᵀ, −D⁻ᵀ(W + P V I)/n]
// (W the virial, σ = W/V). Converged when every atom's force is ≤ fmax and every component of
// (W + P V I)/n is ≤ fmax (eV; a stress error of fmax·n/V). Needs a cell periodic in every direction.
MinimizeResult minimizeFireWithCell(std::shared_ptr<Evaluator> evaluator, const SystemView& system, std::vector<double>& positions,
                                    std::vector<double>& cell, const std::vector<uint8_t>& frozen, const FireOptions& options,
                                    double skin, double pressure);

// Minimises `positions` ([n,3], Å, in place) of `system` (whose positions pointer is ignored) with
// `evaluator` on its own Verlet list (skin in Å). Non-finite energies or forces are E_VALUE.
MinimizeResult minimizeFire(std::shared_ptr<Evaluator> evaluator, const SystemView& system, std::vector<double>& positions,
                            const std::vector<uint8_t>& frozen, const FireOptions& options, double skin);

}  // namespace polymorph

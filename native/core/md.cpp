// Molecular dynamics (the scheme, units and references are in md.hpp).
#include "core/md.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include <omp.h>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/threads.hpp"

namespace polymorph {

namespace {
constexpr double kEvPerA3InBar = 1.602176634e6;  // 1 eV/Å³ = 160.2176634 GPa

// The per-atom loops of a step (kicks, drifts, copies, checks) run on the threads of the force
// evaluation, each over a contiguous block of atoms close to its block of rows in the pair sums
// (pair_potential.hpp splits atoms the same way), so that positions, velocities and forces stay
// in the cache of the core that updates them. Below this many atoms they stay serial: a parallel
// region costs more than the loop.
constexpr std::size_t kParallelAtoms = 1000;

// Index of the first non-finite entry of v[0, count), or count (as firstNonFinite, in parallel).
std::size_t firstNonFiniteParallel(const double* v, std::size_t count) {
  if (count < 3 * kParallelAtoms) return firstNonFinite(v, count);
  std::size_t first = count;
#pragma omp parallel num_threads(numThreads()) reduction(min : first)
  {
    const std::size_t team = static_cast<std::size_t>(omp_get_num_threads()), t = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t begin = count * t / team, end = count * (t + 1) / team;
    const std::size_t k = firstNonFinite(v + begin, end - begin);
    first = k < end - begin ? begin + k : count;
  }
  return first;
}

// to[k] = from[k] for k < count, in parallel for long arrays.
void copyParallel(const double* from, std::size_t count, double* to) {
  if (count < 3 * kParallelAtoms) {
    std::copy(from, from + count, to);
    return;
  }
#pragma omp parallel num_threads(numThreads())
  {
    const std::size_t team = static_cast<std::size_t>(omp_get_num_threads()), t = static_cast<std::size_t>(omp_get_thread_num());
    std::copy(from + count * t / team, from + count * (t + 1) / team, to + count * t / team);
  }
}

// Eigenvalues and orthonormal eigenvectors (columns of `vectors`, row-major) of a symmetric 3×3
// matrix, by cyclic Jacobi rotations (exact for a diagonal matrix: no rotation at all).
struct Eigen3 {
  double values[3];
  Mat3 vectors;
};

Eigen3 symmetricEigen(const Mat3& m) {
  Mat3 a = m, v = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  for (int sweep = 0; sweep < 50; ++sweep) {
    const double off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
    if (off <= 1e-300 || off <= 1e-32 * (a[0] * a[0] + a[4] * a[4] + a[8] * a[8])) break;
    for (int p = 0; p < 2; ++p) {
      for (int q = p + 1; q < 3; ++q) {
        const double apq = a[3 * p + q];
        if (apq == 0.0) continue;
        const double theta = (a[3 * q + q] - a[3 * p + p]) / (2.0 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (int k = 0; k < 3; ++k) {  // A ← Jᵀ A J
          const double akp = a[3 * k + p], akq = a[3 * k + q];
          a[3 * k + p] = c * akp - s * akq, a[3 * k + q] = s * akp + c * akq;
        }
        for (int k = 0; k < 3; ++k) {
          const double apk = a[3 * p + k], aqk = a[3 * q + k];
          a[3 * p + k] = c * apk - s * aqk, a[3 * q + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < 3; ++k) {
          const double vkp = v[3 * k + p], vkq = v[3 * k + q];
          v[3 * k + p] = c * vkp - s * vkq, v[3 * k + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return {{a[0], a[4], a[8]}, v};
}

// Components of the row vector x along the eigenvectors (x U), and back (y Uᵀ).
void toEigenbasis(const Eigen3& e, const double* x, double* y) {
  for (int k = 0; k < 3; ++k) y[k] = x[0] * e.vectors[k] + x[1] * e.vectors[3 + k] + x[2] * e.vectors[6 + k];
}
void fromEigenbasis(const Eigen3& e, const double* y, double* x) {
  for (int a = 0; a < 3; ++a) x[a] = y[0] * e.vectors[3 * a] + y[1] * e.vectors[3 * a + 1] + y[2] * e.vectors[3 * a + 2];
}
}  // namespace

struct MolecularDynamics::Thermostat {
  ThermostatSetup setup;
  double dof = 0.0;
  std::vector<double> xi, vxi;  // NHC positions (1) and velocities (1/fs)
  Random random;
};

MolecularDynamics::~MolecularDynamics() = default;

MolecularDynamics::MolecularDynamics(std::shared_ptr<Evaluator> evaluator, MdSetup s) : evaluator_(std::move(evaluator)) {
  n_ = s.numbers.size();
  require(n_ > 0, "E_EMPTY", "MolecularDynamics: the structure has no atoms");
  require(s.positions.size() == 3 * n_ && s.masses.size() == n_, "E_SHAPE", "MolecularDynamics: positions [n,3] and masses [n] are needed");
  require(s.velocities.empty() || s.velocities.size() == 3 * n_, "E_SHAPE", "MolecularDynamics: velocities must be [n,3]");
  require(s.charges.empty() || s.charges.size() == n_, "E_SHAPE", "MolecularDynamics: charges must be [n]");
  require(s.cell.empty() || s.cell.size() == 9, "E_SHAPE", "MolecularDynamics: the cell must have 9 entries");
  require(s.frozen.empty() || s.frozen.size() == n_, "E_SHAPE", "MolecularDynamics: the frozen mask must have one entry per atom");
  require(std::isfinite(s.timestep) && s.timestep > 0.0, "E_VALUE",
          "MolecularDynamics: the timestep must be a positive finite number of fs, got " + std::to_string(s.timestep));
  require(std::isfinite(s.skin) && s.skin >= 0.0, "E_VALUE", "MolecularDynamics: the neighbour skin must be ≥ 0 Å");
  if (const std::size_t k = firstNonFinite(s.positions.data(), 3 * n_); k < 3 * n_) {
    throw Error("E_VALUE", "MolecularDynamics: position of atom " + std::to_string(k / 3) + " is not finite");
  }
  if (!s.velocities.empty()) {
    if (const std::size_t k = firstNonFinite(s.velocities.data(), 3 * n_); k < 3 * n_) {
      throw Error("E_VALUE", "MolecularDynamics: velocity of atom " + std::to_string(k / 3) + " is not finite");
    }
  }
  for (std::size_t i = 0; i < n_; ++i) {
    if (!(std::isfinite(s.masses[i]) && s.masses[i] > 0.0)) {
      throw Error("E_VALUE", "MolecularDynamics: the mass of atom " + std::to_string(i) + " must be positive (amu)");
    }
  }
  x_ = std::move(s.positions);
  v_ = s.velocities.empty() ? std::vector<double>(3 * n_, 0.0) : std::move(s.velocities);
  masses_ = std::move(s.masses);
  numbers_ = std::move(s.numbers);
  charges_ = std::move(s.charges);
  cell_ = std::move(s.cell);
  for (int k = 0; k < 3; ++k) pbc_[k] = s.pbc[k];
  require(!(pbc_[0] || pbc_[1] || pbc_[2]) || !cell_.empty(), "E_CELL", "MolecularDynamics: a periodic structure needs a cell");
  dt_ = s.timestep;
  skin_ = s.skin;
  removeCom_ = s.removeCenterOfMass;
  frozen_ = s.frozen.empty() ? std::vector<uint8_t>(n_, 0) : std::move(s.frozen);
  for (std::size_t i = 0; i < n_; ++i) {
    if (frozen_[i]) {
      v_[3 * i] = v_[3 * i + 1] = v_[3 * i + 2] = 0.0;
    } else {
      moving_.push_back(static_cast<int32_t>(i));
    }
  }
  dofTotal_ = 3.0 * static_cast<double>(moving_.size()) - (removeCom_ && moving_.size() > 1 ? 3.0 : 0.0);

  auto checkAtoms = [&](const std::vector<int32_t>& atoms, const std::string& what) {
    for (int32_t a : atoms) {
      if (a < 0 || static_cast<std::size_t>(a) >= n_) {
        throw Error("E_VALUE", "MolecularDynamics: " + what + " names atom " + std::to_string(a) + ", but the structure has " +
                                   std::to_string(n_) + " atoms");
      }
    }
  };
  // Degrees of freedom of a set of atoms: 3 per moving atom, −3 when it holds every moving atom
  // and the centre of mass is removed.
  auto dofOf = [&](const std::vector<int32_t>& atoms) {
    std::size_t moving = 0;
    for (int32_t a : atoms) moving += frozen_[static_cast<std::size_t>(a)] ? 0 : 1;
    return 3.0 * static_cast<double>(moving) - (removeCom_ && moving == moving_.size() && moving > 1 ? 3.0 : 0.0);
  };
  std::vector<int> owner(n_, -1);
  for (ThermostatSetup& t : s.thermostats) {
    const std::string what = "the thermostat of group '" + t.group + "'";
    checkAtoms(t.atoms, what);
    std::sort(t.atoms.begin(), t.atoms.end());
    t.atoms.erase(std::unique(t.atoms.begin(), t.atoms.end()), t.atoms.end());
    for (int32_t a : t.atoms) {
      require(!frozen_[static_cast<std::size_t>(a)], "E_VALUE",
              "MolecularDynamics: atom " + std::to_string(a) + " is frozen and in " + what + "; a frozen atom has no temperature");
      const int previous = owner[static_cast<std::size_t>(a)];
      require(previous < 0, "E_VALUE",
              "MolecularDynamics: atom " + std::to_string(a) + " is in two thermostats (groups '" +
                  s.thermostats[static_cast<std::size_t>(previous)].group + "' and '" + t.group + "')");
      owner[static_cast<std::size_t>(a)] = static_cast<int>(&t - s.thermostats.data());
    }
    require(std::isfinite(t.start) && t.start >= 0.0 && std::isfinite(t.stop) && t.stop >= 0.0, "E_VALUE",
            "MolecularDynamics: " + what + " needs finite temperatures ≥ 0 K");
    require(std::isfinite(t.relaxation) && t.relaxation > 0.0, "E_VALUE",
            "MolecularDynamics: " + what + " needs a positive relaxation time (fs)");
    require(t.chain >= 1 && t.chain <= 10, "E_VALUE", "MolecularDynamics: " + what + " needs a chain length of 1…10");
    Thermostat th;
    th.dof = dofOf(t.atoms);
    require(th.dof > 0.0, "E_VALUE", "MolecularDynamics: " + what + " acts on no degrees of freedom (no moving atoms)");
    if (t.kind == ThermostatKind::kNoseHooverChain) th.xi.assign(static_cast<std::size_t>(t.chain), 0.0), th.vxi = th.xi;
    th.random = Random(t.seed);
    hasLangevin_ = hasLangevin_ || t.kind == ThermostatKind::kLangevin;
    th.setup = std::move(t);
    thermostats_.push_back(std::move(th));
  }
  for (GroupSetup& g : s.groups) {
    checkAtoms(g.atoms, "group '" + g.name + "'");
    groupDof_.push_back(dofOf(g.atoms));
    groups_.push_back(std::move(g));
  }
  barostat_ = s.barostat;
  if (barostat_.enabled) {
    require(!cell_.empty() && pbc_[0] && pbc_[1] && pbc_[2], "E_CELL", "MolecularDynamics: a barostat needs a cell periodic in every direction");
    require(moving_.size() == n_, "E_VALUE", "MolecularDynamics: a barostat does not work with frozen atoms");
    require(std::isfinite(barostat_.start) && std::isfinite(barostat_.stop), "E_VALUE", "MolecularDynamics: the target pressure must be finite");
    require(std::isfinite(barostat_.relaxation) && barostat_.relaxation > 0.0, "E_VALUE", "MolecularDynamics: the barostat needs a positive relaxation time (fs)");
    require(barostat_.chain >= 1 && barostat_.chain <= 10, "E_VALUE", "MolecularDynamics: the barostat's chain length must be 1…10");
    const bool nph = thermostats_.empty();
    const bool npt = thermostats_.size() == 1 && thermostats_[0].setup.kind == ThermostatKind::kNoseHooverChain &&
                     thermostats_[0].setup.atoms.size() == n_;
    require(nph || npt, "E_VALUE", "MolecularDynamics: with a barostat, use no thermostat (NPH) or one Nosé–Hoover chain on every atom (NPT)");
    require(dofTotal_ > 0.0, "E_VALUE", "MolecularDynamics: a barostat needs degrees of freedom");
    baroXi_.assign(static_cast<std::size_t>(barostat_.chain), 0.0);
    baroVxi_ = baroXi_;
    // NPH: the barostat mass from the starting temperature (300 K from rest), fixed for the run.
    const double start = 2.0 * kineticOf(moving_) / (dofTotal_ * kBoltzmann);
    massTemperature_ = start > 0.0 ? start : 300.0;
  }
  if (removeCom_) removeCenterOfMass();
  f_.assign(3 * n_, 0.0);
  if (evaluator_ != nullptr) {
    forceField_ = std::make_unique<VerletEvaluation>(evaluator_, skin_);
    evaluateForces();
  }
}

void MolecularDynamics::beginRun(long steps) {
  require(steps >= 0, "E_VALUE", "MolecularDynamics: a run needs a number of steps ≥ 0");
  runLength_ = steps;
  runStep_ = 0;
}

double MolecularDynamics::targetOf(const Thermostat& t) const {
  const double fraction = runLength_ > 0 ? static_cast<double>(runStep_) / static_cast<double>(runLength_) : 0.0;
  return t.setup.start + fraction * (t.setup.stop - t.setup.start);
}

SystemView MolecularDynamics::view() const {
  SystemView s;
  s.positions = x_.data(), s.n = n_, s.numbers = numbers_.data();
  s.charges = charges_.empty() ? nullptr : charges_.data();
  s.cell = cell_.empty() ? nullptr : cell_.data();
  for (int k = 0; k < 3; ++k) s.pbc[k] = pbc_[k];
  return s;
}

void MolecularDynamics::evaluateForces() {
  energy_ = forceField_->evaluate(view(), f_.data(), virial_);
  checkForces("forces");
}

void MolecularDynamics::checkForces(const char* what) const {
  if (!std::isfinite(energy_)) {
    throw Error("E_VALUE", "MolecularDynamics: step " + std::to_string(step_) + ": the potential energy is not finite (atoms too close?)");
  }
  if (const std::size_t k = firstNonFiniteParallel(f_.data(), 3 * n_); k < 3 * n_) {
    throw Error("E_VALUE", "MolecularDynamics: step " + std::to_string(step_) + ": the " + what + " on atom " + std::to_string(k / 3) +
                               " are not finite (atoms too close?)");
  }
}

void MolecularDynamics::setForces(double energy, const double* forces, const double* virial) {
  energy_ = energy;
  std::copy(forces, forces + 3 * n_, f_.begin());
  std::copy(virial, virial + 9, virial_);
  checkForces("forces");
}

double MolecularDynamics::kineticOf(const std::vector<int32_t>& atoms) const {
  double twice = 0.0;  // Σ m v² (amu Å²/fs²)
  for (int32_t a : atoms) {
    const double* v = &v_[3 * static_cast<std::size_t>(a)];
    twice += masses_[static_cast<std::size_t>(a)] * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  }
  return 0.5 * twice / kForceToAcceleration;
}

void MolecularDynamics::scaleVelocities(const std::vector<int32_t>& atoms, double factor) {
  for (int32_t a : atoms) {
    double* v = &v_[3 * static_cast<std::size_t>(a)];
    v[0] *= factor, v[1] *= factor, v[2] *= factor;
  }
}

// One Nosé–Hoover chain over dt (= Δt/2, the MTK splitting with one Suzuki–Yoshida stage) for a
// system of `dof` degrees of freedom with kinetic energy twiceKinetic/2: updates the chain and
// returns the factor its velocities are to be scaled by. Q₁ = dof k_B T τ², Q_j = k_B T τ².
double MolecularDynamics::nhcHalfStep(std::vector<double>& xi, std::vector<double>& vxi, double twiceKinetic, double dof,
                                      double kT, double tau, double dt) const {
  const int M = static_cast<int>(xi.size());
  const double q1 = dof * kT * tau * tau, q = kT * tau * tau;
  auto G = [&](int j) { return j == 0 ? (twiceKinetic - dof * kT) / q1 : ((j == 1 ? q1 : q) * vxi[j - 1] * vxi[j - 1] - kT) / q; };
  const double d2 = 0.5 * dt, d4 = 0.25 * dt;
  vxi[M - 1] += d2 * G(M - 1);
  for (int j = M - 2; j >= 0; --j) {
    const double e = std::exp(-d4 * vxi[j + 1]);
    vxi[j] = (vxi[j] * e + d2 * G(j)) * e;
  }
  const double scale = std::exp(-dt * vxi[0]);
  twiceKinetic *= scale * scale;
  for (int j = 0; j < M; ++j) xi[j] += dt * vxi[j];
  for (int j = 0; j < M - 1; ++j) {
    const double e = std::exp(-d4 * vxi[j + 1]);
    vxi[j] = (vxi[j] * e + d2 * G(j)) * e;
  }
  vxi[M - 1] += d2 * G(M - 1);
  return scale;
}

// W = (N_dof + 3) k_B T τ_p² (isotropic; a third of it per component anisotropic or triclinic)
// with T the thermostat's target (NPT) or the starting temperature (NPH).
double MolecularDynamics::barostatMass() const {
  const double T = thermostats_.empty() ? massTemperature_ : std::max(targetOf(thermostats_[0]), 1e-6);
  const bool isotropic = !barostat_.anisotropic && !barostat_.triclinic;
  return (dofTotal_ + 3.0) * kBoltzmann * T * barostat_.relaxation * barostat_.relaxation / (isotropic ? 1.0 : 3.0);
}

// The barostat's kinetic energy ×2 and its degrees of freedom: W v² (1) isotropic, Σ_a W v_aa² (3)
// anisotropic, Σ_ab W v_ab² (6: the off-diagonal pairs count twice) triclinic.
std::pair<double, double> MolecularDynamics::barostatKinetic() const {
  const double w = barostatMass();
  if (barostat_.triclinic) {
    double sum = 0.0;
    for (double v : vG_) sum += v * v;
    return {w * sum, 6.0};
  }
  if (barostat_.anisotropic) return {w * (vG_[0] * vG_[0] + vG_[4] * vG_[4] + vG_[8] * vG_[8]), 3.0};
  return {w * vG_[0] * vG_[0], 1.0};
}

double MolecularDynamics::pressureTarget() const {
  const double fraction = runLength_ > 0 ? static_cast<double>(runStep_) / static_cast<double>(runLength_) : 0.0;
  return barostat_.start + fraction * (barostat_.stop - barostat_.start);
}

// The barostat's own chain over dt (its kinetic energy from barostatKinetic()).
void MolecularDynamics::barostatThermostat(double dt) {
  if (thermostats_.empty()) return;  // NPH
  const Thermostat& t = thermostats_[0];
  const double kT = kBoltzmann * targetOf(t);
  if (!(kT > 0.0)) return;
  const auto [twice, dof] = barostatKinetic();
  const double scale = nhcHalfStep(baroXi_, baroVxi_, twice, dof, kT, t.setup.relaxation, dt);
  for (double& v : vG_) v *= scale;
}

// The barostat's kick over dt, from G = Σ m v vᵀ − W_vir − V P_ext I + (2K/N_dof) I (eV):
// isotropic W v̇ = tr G (v_g = v I); anisotropic W/3 v̇_aa = G_aa; triclinic W/3 v̇_ab = G_ab (G is
// symmetric, so is v_g: the cell does not rotate).
void MolecularDynamics::barostatKick(double dt) {
  Mat3 m;
  std::copy(cell_.begin(), cell_.end(), m.begin());
  const double volume = std::fabs(determinant(m));
  const double w = barostatMass();
  Mat3 g{};  // Σ m v_a v_b (eV)
  for (int32_t atom : moving_) {
    const std::size_t i = static_cast<std::size_t>(atom);
    const double* v = &v_[3 * i];
    const double scale = masses_[i] / kForceToAcceleration;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) g[3 * a + b] += scale * v[a] * v[b];
  }
  const double twiceKinetic = g[0] + g[4] + g[8];
  for (int k = 0; k < 9; ++k) g[k] -= virial_[k];
  for (int a = 0; a < 3; ++a) g[4 * a] += twiceKinetic / dofTotal_ - volume * pressureTarget();
  if (barostat_.triclinic) {
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) vG_[3 * a + b] += dt * 0.5 * (g[3 * a + b] + g[3 * b + a]) / w;
  } else if (barostat_.anisotropic) {
    for (int a = 0; a < 3; ++a) vG_[4 * a] += dt * g[4 * a] / w;
  } else {
    const double v = vG_[0] + dt * (g[0] + g[4] + g[8]) / w;
    vG_ = {v, 0, 0, 0, v, 0, 0, 0, v};
  }
}

// Nosé–Hoover chains, CSVR and Berendsen over a half step dt (= Δt/2), each on its own group.
void MolecularDynamics::halfThermostats(double dt) {
  for (Thermostat& t : thermostats_) {
    const ThermostatKind kind = t.setup.kind;
    if (kind == ThermostatKind::kLangevin) continue;
    const std::vector<int32_t>& atoms = t.setup.atoms;
    const double kT = kBoltzmann * targetOf(t);
    const double tau = t.setup.relaxation;
    double kinetic = kineticOf(atoms);
    if (kind == ThermostatKind::kNoseHooverChain) {
      if (!(kT > 0.0)) continue;  // no target: nothing to couple to
      scaleVelocities(atoms, nhcHalfStep(t.xi, t.vxi, 2.0 * kinetic, t.dof, kT, tau, dt));
    } else if (kind == ThermostatKind::kCsvr) {
      const double target = 0.5 * t.dof * kT;  // K̄
      const double c = std::exp(-dt / tau);
      const long nf = std::lround(t.dof);
      if (kinetic <= 0.0) {
        // No direction to rescale along: draw one, Maxwell–Boltzmann-shaped (v ∝ ξ/√m).
        for (int32_t a : atoms) {
          double* v = &v_[3 * static_cast<std::size_t>(a)];
          const double width = 1.0 / std::sqrt(masses_[static_cast<std::size_t>(a)]);
          for (int k = 0; k < 3; ++k) v[k] = width * t.random.normal();
        }
        kinetic = kineticOf(atoms);
        if (!(kinetic > 0.0)) continue;
        // The drawn kinetic energy is not physical: start from K = 0, c → the resampled value.
        const double r1 = t.random.normal();
        const double fresh = target / t.dof * (1.0 - c) * (r1 * r1 + t.random.chiSquared(nf - 1));
        scaleVelocities(atoms, std::sqrt(fresh / kinetic));
        coupling_ -= fresh;
        continue;
      }
      const double r1 = t.random.normal();
      const double sum = t.random.chiSquared(nf - 1);
      const double fresh = kinetic * c + target / t.dof * (1.0 - c) * (r1 * r1 + sum) +
                           2.0 * r1 * std::sqrt(c * (1.0 - c) * kinetic * target / t.dof);
      scaleVelocities(atoms, std::sqrt(std::max(fresh, 0.0) / kinetic));
      coupling_ += kinetic - fresh;
    } else {  // Berendsen
      if (kinetic <= 0.0) continue;  // zero velocities stay zero (use velocities from a seed)
      const double temperature = 2.0 * kinetic / (t.dof * kBoltzmann);
      const double lambda2 = 1.0 + dt / tau * (targetOf(t) / temperature - 1.0);
      const double lambda = std::sqrt(std::max(lambda2, 0.0));
      scaleVelocities(atoms, lambda);
      coupling_ += kinetic * (1.0 - lambda * lambda);
    }
  }
}

void MolecularDynamics::kick(double dt) {
  if (barostat_.enabled) {  // in v_g's eigenbasis: v ← v e^{−x} + a dt e^{−x/2} sinh(x/2)/(x/2), x = (λ + tr v_g/N_dof) dt
    const Eigen3 e = symmetricEigen(vG_);
    const double trace = (e.values[0] + e.values[1] + e.values[2]) / dofTotal_;
    double decay[3], factor[3];
    for (int k = 0; k < 3; ++k) {
      const double x = (e.values[k] + trace) * dt;
      decay[k] = std::exp(-x);
      factor[k] = std::fabs(x) > 1e-8 ? std::exp(-0.5 * x) * std::sinh(0.5 * x) / (0.5 * x) : 1.0 - 0.5 * x;
    }
    const int64_t count = static_cast<int64_t>(moving_.size());
#pragma omp parallel for schedule(static) num_threads(numThreads()) if (moving_.size() >= kParallelAtoms)
    for (int64_t q = 0; q < count; ++q) {
      const std::size_t i = static_cast<std::size_t>(moving_[static_cast<std::size_t>(q)]);
      const double scale = dt * kForceToAcceleration / masses_[i];
      double v[3], f[3];
      toEigenbasis(e, &v_[3 * i], v), toEigenbasis(e, &f_[3 * i], f);
      for (int k = 0; k < 3; ++k) v[k] = decay[k] * v[k] + scale * factor[k] * f[k];
      fromEigenbasis(e, v, &v_[3 * i]);
    }
    return;
  }
  const int64_t count = static_cast<int64_t>(moving_.size());
#pragma omp parallel for schedule(static) num_threads(numThreads()) if (moving_.size() >= kParallelAtoms)
  for (int64_t q = 0; q < count; ++q) {
    const std::size_t i = static_cast<std::size_t>(moving_[static_cast<std::size_t>(q)]);
    const double scale = dt * kForceToAcceleration / masses_[i];
    v_[3 * i] += scale * f_[3 * i], v_[3 * i + 1] += scale * f_[3 * i + 1], v_[3 * i + 2] += scale * f_[3 * i + 2];
  }
}

void MolecularDynamics::drift(double dt) {
  if (barostat_.enabled) {  // in v_g's eigenbasis: r ← r e^{y} + v dt e^{y/2} sinh(y/2)/(y/2), cell rows × e^{y}, y = λ dt
    const Eigen3 e = symmetricEigen(vG_);
    double grow[3], factor[3];
    for (int k = 0; k < 3; ++k) {
      const double y = e.values[k] * dt;
      grow[k] = std::exp(y);
      factor[k] = std::fabs(y) > 1e-8 ? std::exp(0.5 * y) * std::sinh(0.5 * y) / (0.5 * y) : 1.0 + 0.5 * y;
    }
    const int64_t count = static_cast<int64_t>(moving_.size());
#pragma omp parallel for schedule(static) num_threads(numThreads()) if (moving_.size() >= kParallelAtoms)
    for (int64_t q = 0; q < count; ++q) {
      const std::size_t i = static_cast<std::size_t>(moving_[static_cast<std::size_t>(q)]);
      double x[3], v[3];
      toEigenbasis(e, &x_[3 * i], x), toEigenbasis(e, &v_[3 * i], v);
      for (int k = 0; k < 3; ++k) x[k] = grow[k] * x[k] + dt * factor[k] * v[k];
      fromEigenbasis(e, x, &x_[3 * i]);
    }
    for (int row = 0; row < 3; ++row) {
      double h[3];
      toEigenbasis(e, &cell_[3 * row], h);
      for (int k = 0; k < 3; ++k) h[k] *= grow[k];
      fromEigenbasis(e, h, &cell_[3 * row]);
    }
    return;
  }
  const int64_t count = static_cast<int64_t>(moving_.size());
#pragma omp parallel for schedule(static) num_threads(numThreads()) if (moving_.size() >= kParallelAtoms)
  for (int64_t q = 0; q < count; ++q) {
    const std::size_t i = static_cast<std::size_t>(moving_[static_cast<std::size_t>(q)]);
    x_[3 * i] += dt * v_[3 * i], x_[3 * i + 1] += dt * v_[3 * i + 1], x_[3 * i + 2] += dt * v_[3 * i + 2];
  }
}

// The O step of BAOAB over dt on each Langevin group.
void MolecularDynamics::langevin(double dt) {
  for (Thermostat& t : thermostats_) {
    if (t.setup.kind != ThermostatKind::kLangevin) continue;
    const double c1 = std::exp(-dt / t.setup.relaxation), c2 = std::sqrt(1.0 - c1 * c1);
    const double kT = kBoltzmann * targetOf(t);
    const double before = kineticOf(t.setup.atoms);
    for (int32_t a : t.setup.atoms) {
      const std::size_t i = static_cast<std::size_t>(a);
      const double sigma = c2 * std::sqrt(kT * kForceToAcceleration / masses_[i]);  // Å/fs
      for (int k = 0; k < 3; ++k) v_[3 * i + k] = c1 * v_[3 * i + k] + sigma * t.random.normal();
    }
    coupling_ += before - kineticOf(t.setup.atoms);
  }
}

void MolecularDynamics::removeCenterOfMass() {
  double p[3] = {0, 0, 0}, mass = 0.0;
  for (int32_t a : moving_) {
    const std::size_t i = static_cast<std::size_t>(a);
    for (int k = 0; k < 3; ++k) p[k] += masses_[i] * v_[3 * i + k];
    mass += masses_[i];
  }
  if (!(mass > 0.0)) return;
  const double before = kineticOf(moving_);
  for (int32_t a : moving_)
    for (int k = 0; k < 3; ++k) v_[3 * static_cast<std::size_t>(a) + k] -= p[k] / mass;
  coupling_ += before - kineticOf(moving_);
}

void MolecularDynamics::prepareStep() {
  require(!pending_, "E_VALUE", "MolecularDynamics: prepareStep() twice without finishStep()");
  firstHalf();
  pending_ = true;
}

void MolecularDynamics::firstHalf() {
  if (barostat_.enabled) barostatThermostat(0.5 * dt_);
  halfThermostats(0.5 * dt_);
  if (barostat_.enabled) barostatKick(0.5 * dt_);
  kick(0.5 * dt_);
  if (hasLangevin_) {
    drift(0.5 * dt_);
    langevin(dt_);
    drift(0.5 * dt_);
  } else {
    drift(dt_);
  }
  if (const std::size_t k = firstNonFiniteParallel(x_.data(), 3 * n_); k < 3 * n_) {
    throw Error("E_VALUE", "MolecularDynamics: step " + std::to_string(step_ + 1) + ": the position of atom " +
                               std::to_string(k / 3) + " is not finite");
  }
}

void MolecularDynamics::secondHalf() {
  kick(0.5 * dt_);
  if (barostat_.enabled) barostatKick(0.5 * dt_);
  halfThermostats(0.5 * dt_);
  if (barostat_.enabled) barostatThermostat(0.5 * dt_);
  if (removeCom_) removeCenterOfMass();
}

void MolecularDynamics::finishStep(double energy, const double* forces, const double* virial) {
  require(pending_, "E_VALUE", "MolecularDynamics: finishStep() without prepareStep()");
  pending_ = false;
  ++step_, ++runStep_;
  setForces(energy, forces, virial);
  secondHalf();
}

void MolecularDynamics::step() {
  require(evaluator_ != nullptr, "E_VALUE", "MolecularDynamics: no native evaluator: use prepareStep() and finishStep()");
  require(!pending_, "E_VALUE", "MolecularDynamics: a step is half done (prepareStep() without finishStep())");
  // A failed step leaves the positions and velocities of the step before (never non-finite ones).
  backup_.resize(6 * n_ + cell_.size());
  copyParallel(x_.data(), 3 * n_, backup_.data());
  copyParallel(v_.data(), 3 * n_, backup_.data() + 3 * n_);
  std::copy(cell_.begin(), cell_.end(), backup_.begin() + 6 * n_);
  const Mat3 vG = vG_;
  bool counted = false;
  try {
    firstHalf();
    ++step_, ++runStep_, counted = true;
    evaluateForces();
  } catch (...) {
    if (counted) --step_, --runStep_;
    std::copy(backup_.begin(), backup_.begin() + 3 * n_, x_.begin());
    std::copy(backup_.begin() + 3 * n_, backup_.begin() + 6 * n_, v_.begin());
    std::copy(backup_.begin() + 6 * n_, backup_.end(), cell_.begin());
    vG_ = vG;
    throw;
  }
  secondHalf();
}

void MolecularDynamics::run(long steps) {
  for (long k = 0; k < steps; ++k) step();
}

namespace {

constexpr uint64_t kStateMagic = 0x34544b4d444d50ULL;  // "PMDMKT4"

struct Writer {
  std::vector<uint8_t> bytes;
  template <class T>
  void put(const T& value) {
    const auto* p = reinterpret_cast<const uint8_t*>(&value);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
  void put(const std::vector<double>& values) {
    put(static_cast<uint64_t>(values.size()));
    for (double v : values) put(v);
  }
};

struct Reader {
  const uint8_t* data;
  std::size_t size, at = 0;
  template <class T>
  T get() {
    require(at + sizeof(T) <= size, "E_VALUE", "MolecularDynamics: the checkpoint state is truncated");
    T value;
    std::memcpy(&value, data + at, sizeof(T));
    at += sizeof(T);
    return value;
  }
  void get(std::vector<double>& values, std::size_t expected, const char* what) {
    const uint64_t count = get<uint64_t>();
    require(count == expected, "E_VALUE", std::string("MolecularDynamics: the checkpoint's ") + what + " do not fit this simulation");
    values.resize(count);
    for (double& v : values) v = get<double>();
  }
};

}  // namespace

std::vector<uint8_t> MolecularDynamics::saveState() const {
  require(!pending_, "E_VALUE", "MolecularDynamics: a step is half done (prepareStep() without finishStep())");
  Writer w;
  w.put(kStateMagic);
  w.put(static_cast<uint64_t>(n_));
  w.put(dt_);
  w.put(static_cast<uint64_t>(thermostats_.size()));
  for (const Thermostat& t : thermostats_) {
    w.put(static_cast<int32_t>(t.setup.kind));
    w.put(t.xi);
    w.put(t.vxi);
    const Random::State& r = t.random.state();
    for (uint64_t word : r.s) w.put(word);
    w.put(static_cast<uint8_t>(r.hasSpare));
    w.put(r.spare);
  }
  w.put(x_), w.put(v_), w.put(f_);
  w.put(energy_);
  for (double v : virial_) w.put(v);
  w.put(coupling_);
  w.put(cell_);
  for (double v : vG_) w.put(v);
  w.put(baroXi_), w.put(baroVxi_);
  w.put(massTemperature_);
  w.put(static_cast<int64_t>(step_)), w.put(static_cast<int64_t>(runLength_)), w.put(static_cast<int64_t>(runStep_));
  w.put(static_cast<int64_t>(forceField_ ? forceField_->rebuilds() : 0));
  w.put(static_cast<uint8_t>(forceField_ && forceField_->hasList() ? 1 : 0));
  w.put(forceField_ && forceField_->hasList() ? forceField_->reference() : std::vector<double>());
  w.put(forceField_ && forceField_->hasList() ? forceField_->referenceCell() : std::vector<double>());
  return std::move(w.bytes);
}

void MolecularDynamics::loadState(const uint8_t* data, std::size_t size) {
  Reader r{data, size};
  require(r.get<uint64_t>() == kStateMagic, "E_VALUE", "MolecularDynamics: not a checkpoint state (wrong magic number)");
  require(r.get<uint64_t>() == n_, "E_VALUE", "MolecularDynamics: the checkpoint has another number of atoms");
  require(r.get<double>() == dt_, "E_VALUE", "MolecularDynamics: the checkpoint was written with another timestep");
  require(r.get<uint64_t>() == thermostats_.size(), "E_VALUE", "MolecularDynamics: the checkpoint has another number of thermostats");
  for (Thermostat& t : thermostats_) {
    require(r.get<int32_t>() == static_cast<int32_t>(t.setup.kind), "E_VALUE",
            "MolecularDynamics: the checkpoint's thermostat of group '" + t.setup.group + "' is of another kind");
    r.get(t.xi, t.xi.size(), "Nosé–Hoover chain");
    r.get(t.vxi, t.vxi.size(), "Nosé–Hoover chain");
    Random::State state;
    for (uint64_t& word : state.s) word = r.get<uint64_t>();
    state.hasSpare = r.get<uint8_t>() != 0;
    state.spare = r.get<double>();
    t.random.setState(state);
  }
  r.get(x_, 3 * n_, "positions");
  r.get(v_, 3 * n_, "velocities");
  r.get(f_, 3 * n_, "forces");
  energy_ = r.get<double>();
  for (double& v : virial_) v = r.get<double>();
  coupling_ = r.get<double>();
  r.get(cell_, cell_.size(), "cell");
  for (double& v : vG_) v = r.get<double>();
  r.get(baroXi_, baroXi_.size(), "barostat chain");
  r.get(baroVxi_, baroVxi_.size(), "barostat chain");
  massTemperature_ = r.get<double>();
  step_ = static_cast<long>(r.get<int64_t>()), runLength_ = static_cast<long>(r.get<int64_t>());
  runStep_ = static_cast<long>(r.get<int64_t>());
  const long rebuilds = static_cast<long>(r.get<int64_t>());
  const bool hadList = r.get<uint8_t>() != 0;
  std::vector<double> reference;
  const uint64_t count = r.get<uint64_t>();
  require(count == 0 || count == 3 * n_, "E_VALUE", "MolecularDynamics: the checkpoint's list reference does not fit");
  reference.resize(count);
  for (double& v : reference) v = r.get<double>();
  std::vector<double> referenceCell;
  const uint64_t cellCount = r.get<uint64_t>();
  require(cellCount == 0 || cellCount == 9, "E_VALUE", "MolecularDynamics: the checkpoint's list cell does not fit");
  referenceCell.resize(cellCount);
  for (double& v : referenceCell) v = r.get<double>();
  require(r.at == size, "E_VALUE", "MolecularDynamics: the checkpoint state has trailing bytes");
  // The Verlet list as it was: built from the reference positions.
  if (forceField_) {
    forceField_->forgetList();
    if (hadList && !reference.empty()) {
      SystemView then = view();  // the list as it was built: its positions and its cell
      if (!referenceCell.empty()) then.cell = referenceCell.data();
      forceField_->rebuildAt(then, reference.data());
    }
    forceField_->setRebuilds(rebuilds);
  }
  pending_ = false;
}

Thermo MolecularDynamics::thermo() const {
  Thermo t;
  t.step = step_;
  t.time = static_cast<double>(step_) * dt_;
  t.kinetic = kineticOf(moving_);
  t.potential = energy_;
  t.total = t.kinetic + t.potential;
  t.dof = dofTotal_;
  t.temperature = dofTotal_ > 0.0 ? 2.0 * t.kinetic / (dofTotal_ * kBoltzmann) : std::numeric_limits<double>::quiet_NaN();
  double conserved = t.total + coupling_;
  for (const Thermostat& th : thermostats_) {
    if (th.setup.kind != ThermostatKind::kNoseHooverChain) continue;
    const double kT = kBoltzmann * targetOf(th), tau = th.setup.relaxation;
    for (std::size_t j = 0; j < th.xi.size(); ++j) {
      const double q = (j == 0 ? th.dof : 1.0) * kT * tau * tau;
      conserved += 0.5 * q * th.vxi[j] * th.vxi[j] + (j == 0 ? th.dof : 1.0) * kT * th.xi[j];
    }
  }
  if (barostat_.enabled) {
    Mat3 m;
    std::copy(cell_.begin(), cell_.end(), m.begin());
    const double kT = thermostats_.empty() ? kBoltzmann * massTemperature_ : kBoltzmann * targetOf(thermostats_[0]);
    conserved += 0.5 * barostatKinetic().first;
    conserved += pressureTarget() * std::fabs(determinant(m));
    if (!thermostats_.empty()) {
      const double tau = thermostats_[0].setup.relaxation;
      for (std::size_t j = 0; j < baroXi_.size(); ++j) conserved += 0.5 * kT * tau * tau * baroVxi_[j] * baroVxi_[j] + kT * baroXi_[j];
    }
  }
  t.conserved = conserved;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!cell_.empty()) {
    Mat3 m;
    std::copy(cell_.begin(), cell_.end(), m.begin());
    t.volume = std::fabs(determinant(m));
    double kinetic[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // Σ m v_a v_b (eV)
    for (int32_t a : moving_) {
      const std::size_t i = static_cast<std::size_t>(a);
      for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) kinetic[3 * p + q] += masses_[i] * v_[3 * i + p] * v_[3 * i + q] / kForceToAcceleration;
    }
    for (int k = 0; k < 9; ++k) t.stress[k] = (virial_[k] - kinetic[k]) / t.volume;
    t.pressure = -(t.stress[0] + t.stress[4] + t.stress[8]) / 3.0 * kEvPerA3InBar;
  } else {
    t.volume = nan, t.pressure = nan;
    std::fill(t.stress, t.stress + 9, nan);
  }
  auto groupThermo = [&](const std::vector<int32_t>& atoms, double dof) {
    GroupThermo g;
    g.kinetic = kineticOf(atoms);
    g.dof = dof;
    g.temperature = dof > 0.0 ? 2.0 * g.kinetic / (dof * kBoltzmann) : nan;
    return g;
  };
  for (std::size_t k = 0; k < groups_.size(); ++k) t.groups.push_back(groupThermo(groups_[k].atoms, groupDof_[k]));
  for (const Thermostat& th : thermostats_) t.thermostats.push_back(groupThermo(th.setup.atoms, th.dof));
  t.rebuilds = forceField_ ? forceField_->rebuilds() : 0;
  return t;
}

}  // namespace polymorph

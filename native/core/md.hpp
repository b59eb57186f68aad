// Molecular dynamics over a native evaluator (evaluator.hpp): velocity Verlet with per-group
// thermostats, frozen atoms and a Verlet list rebuilt when atoms have moved half the skin.
//
// Units: fs, Å, eV, amu, K; velocities Å/fs. a = F/m · kForceToAcceleration,
// K = ½ Σ m v² / kForceToAcceleration (eV), T = 2K / (N_dof k_B).
//
// One step of length Δt (Trotter splitting; Swope et al., J. Chem. Phys. 76, 637 (1982)):
//   T(Δt/2)   Nosé–Hoover-chain, CSVR and Berendsen thermostats, each on its own group
//   B(Δt/2)   v += (Δt/2) a                      (every moving atom)
//   A(Δt)     x += Δt v; with Langevin groups A(Δt/2) O(Δt) A(Δt/2) (BAOAB: Leimkuhler &
//             Matthews, Appl. Math. Res. Express 2013, 34), O: v ← c₁v + c₂ √(k_B T/m) ξ with
//             c₁ = e^{−Δt/τ}, c₂ = √(1 − c₁²), on the Langevin group only
//   forces    on the shared Verlet list (rebuilt when an atom moved more than skin/2)
//   B(Δt/2), then T(Δt/2)
// Nosé–Hoover chains: Martyna, Tuckerman, Tobias & Klein, Mol. Phys. 87, 1117 (1996), one
// Suzuki–Yoshida stage (as LAMMPS fix nvt with tloop 1), masses Q₁ = N_dof k_B T τ², Q_j = k_B T τ².
// CSVR: Bussi, Donadio & Parrinello, J. Chem. Phys. 126, 014101 (2007), the exact resampling of the
// group's kinetic energy over each half step; from zero velocities it draws a direction first.
// Berendsen: J. Chem. Phys. 81, 3684 (1984), λ² = 1 + (Δt/2τ)(T₀/T − 1) per half step.
//
// Degrees of freedom: 3 per moving atom (frozen atoms: none); removing the centre-of-mass motion
// of all moving atoms takes 3 from the total and from a thermostat group only if that group holds
// every moving atom (a subgroup's centre of mass is not constrained).
// Targets ramp linearly over each run as LAMMPS' fix nvt temp Tstart Tstop: at step k of an
// n-step run the target is T_start + (k/n)(T_stop − T_start).
// Conserved quantity: K + U + Σ_NHC [Σ_j Q_j v_ξj²/2 + N_dof k_B T ξ₁ + Σ_{j≥2} k_B T ξ_j] + the
// kinetic energy every stochastic or rescaling thermostat has taken out (LAMMPS' ecouple).
//
// Errors (polymorph::Error): E_VALUE for a bad setup (timestep ≤ 0 or not finite, masses ≤ 0,
// groups naming atoms that do not exist, an atom in two thermostats, a thermostat on a group
// without degrees of freedom) and, naming the step and the atom, for non-finite energies,
// forces, positions or velocities (nothing non-finite is ever kept as the state).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/evaluator.hpp"
#include "core/neighbor_list.hpp"
#include "core/random.hpp"
#include "core/verlet_evaluation.hpp"

namespace polymorph {

constexpr double kBoltzmann = 8.617333262e-5;            // eV/K, CODATA 2018
constexpr double kForceToAcceleration = 9.648533212e-3;  // Å/fs² per eV/(Å·amu)

enum class ThermostatKind { kNoseHooverChain, kLangevin, kCsvr, kBerendsen };

struct ThermostatSetup {
  ThermostatKind kind = ThermostatKind::kNoseHooverChain;
  std::string group;            // its name, for messages
  std::vector<int32_t> atoms;   // member indices, none frozen
  double start = 0.0;           // target temperature at the start of a run (K)
  double stop = 0.0;            // … and at its end (K)
  double relaxation = 100.0;    // τ (fs): NHC period, Langevin 1/γ, CSVR and Berendsen time constant
  int chain = 3;                // NHC chain length (1…10)
  uint64_t seed = 0;            // Langevin and CSVR
};

// A Martyna–Tobias–Klein barostat (J. Chem. Phys. 101, 4177 (1994); the reversible
// integrator of Tuckerman et al., J. Phys. A 39, 5629 (2006)): the cell scales uniformly with
// ε = ln(V/V₀)/3, its momentum p_ε has mass W = (N_dof + 3) k_B T τ_p² and its own Nosé–Hoover
// chain; the particles feel α v_ε with α = 1 + 3/N_dof. Needs a cell periodic in every direction,
// no frozen atoms, and either no thermostat (NPH) or one Nosé–Hoover chain on every atom (NPT).
//   ṙ = v + v_ε r,  v̇ = F/m − α v_ε v,  V̇ = 3 V v_ε,  W v̇_ε = α·2K − tr W_vir − 3 V P_ext
// Conserved: K + U + W v_ε²/2 + P_ext V + the two chains' energies.
struct BarostatSetup {
  bool enabled = false;
  double start = 0.0, stop = 0.0;  // target pressure at the start and end of a run (eV/Å³)
  double relaxation = 1000.0;      // τ_p (fs)
  int chain = 3;                   // length of the barostat's own chain
  // Each Cartesian axis scales on its own (three barostat velocities v_a, mass W/3 each):
  //   ṙ_a = v_a + v_a r_a,  v̇_a = F_a/m − (v_a + tr v/N_dof) v_a,  W/3 v̇_a = 2K_aa − W_vir,aa − V P_ext + 2K/N_dof;
  // the cell's columns scale by e^{v_a t} (an orthorhombic cell stays orthorhombic; tilts of a
  // triclinic one scale with their axes).
  bool anisotropic = false;
  // All six components of a symmetric v_g (shear too: a triclinic cell's angles fluctuate), each
  // with mass W/3; the cell and positions move in v_g's eigenbasis. Overrides `anisotropic`.
  bool triclinic = false;
};

// A named set of atoms whose temperature is reported.
struct GroupSetup {
  std::string name;
  std::vector<int32_t> atoms;
};

struct MdSetup {
  std::vector<double> positions;   // [n,3] Å
  std::vector<double> velocities;  // [n,3] Å/fs (empty: zero)
  std::vector<double> masses;      // [n] amu
  std::vector<int32_t> numbers;    // [n] atomic numbers
  std::vector<double> charges;     // [n] e, or empty
  std::vector<double> cell;        // [9] Å, rows = lattice vectors, or empty (open boundaries)
  bool pbc[3] = {false, false, false};
  double timestep = 1.0;           // fs
  double skin = 1.0;               // Å, Verlet-list skin
  std::vector<uint8_t> frozen;     // [n] 1: frozen (or empty)
  std::vector<ThermostatSetup> thermostats;
  std::vector<GroupSetup> groups;
  bool removeCenterOfMass = false;
  BarostatSetup barostat;
};

struct GroupThermo {
  double temperature = 0.0;  // K (NaN without degrees of freedom)
  double kinetic = 0.0;      // eV
  double dof = 0.0;
};

struct Thermo {
  long step = 0;
  double time = 0.0;         // fs
  double temperature = 0.0;  // K, all moving atoms
  double potential = 0.0, kinetic = 0.0, total = 0.0, conserved = 0.0;  // eV
  double dof = 0.0;
  double volume = 0.0;       // Å³ (NaN without a cell)
  double pressure = 0.0;     // bar (NaN without a cell)
  double stress[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // eV/Å³, ASE sign, kinetic part included
  std::vector<GroupThermo> groups;       // in the order of MdSetup::groups
  std::vector<GroupThermo> thermostats;  // in the order of MdSetup::thermostats
  long rebuilds = 0;         // neighbour-list builds so far
};

class MolecularDynamics {
 public:
  // Validates the setup and evaluates the first forces. `evaluator` may be null: forces then
  // come from setForces() (a potential the core cannot call).
  MolecularDynamics(std::shared_ptr<Evaluator> evaluator, MdSetup setup);
  ~MolecularDynamics();

  // Starts a run of `steps` steps (the ramp's length); step() and run() advance within it.
  void beginRun(long steps);
  void step();
  void run(long steps);

  // For potentials outside the core: prepareStep() does T, B and A (then the caller evaluates
  // forces at positions()), finishStep() takes them (eV, eV/Å [n,3], virial eV [9]) and does B, T.
  void prepareStep();
  void finishStep(double energy, const double* forces, const double* virial);
  // Forces of the current positions for a run driven from outside (before the first step).
  void setForces(double energy, const double* forces, const double* virial);

  // Checkpoints: the dynamic state as bytes (positions, velocities, forces, energy, virial, step
  // counters, the Verlet list's reference positions, every thermostat variable and random-number
  // state). loadState() on an engine made from the same setup (same atoms, thermostats and
  // timestep; E_VALUE otherwise) continues the trajectory bit for bit at the same thread count:
  // the list is rebuilt from the reference positions, as the original was.
  std::vector<uint8_t> saveState() const;
  void loadState(const uint8_t* data, std::size_t size);

  Thermo thermo() const;
  std::size_t size() const { return n_; }
  const std::vector<double>& positions() const { return x_; }
  const std::vector<double>& velocities() const { return v_; }
  const std::vector<double>& forces() const { return f_; }
  const std::vector<double>& cell() const { return cell_; }
  double potentialEnergy() const { return energy_; }
  long stepCount() const { return step_; }

 private:
  struct Thermostat;
  void evaluateForces();
  void checkForces(const char* what) const;
  void halfThermostats(double dt);
  void kick(double dt);
  void drift(double dt);
  void langevin(double dt);
  void removeCenterOfMass();
  void firstHalf();
  void secondHalf();
  void barostatThermostat(double dt);
  void barostatKick(double dt);
  double nhcHalfStep(std::vector<double>& xi, std::vector<double>& vxi, double twiceKinetic, double dof, double kT,
                     double tau, double dt) const;
  double pressureTarget() const;
  double barostatMass() const;
  std::pair<double, double> barostatKinetic() const;
  SystemView view() const;
  double targetOf(const Thermostat& t) const;
  double kineticOf(const std::vector<int32_t>& atoms) const;
  void scaleVelocities(const std::vector<int32_t>& atoms, double factor);

  std::shared_ptr<Evaluator> evaluator_;
  std::size_t n_ = 0;
  std::vector<double> x_, v_, f_, masses_, charges_, cell_;
  std::vector<int32_t> numbers_;
  std::vector<uint8_t> frozen_;
  std::vector<int32_t> moving_;  // indices of moving atoms
  bool pbc_[3] = {false, false, false};
  double dt_ = 1.0, skin_ = 1.0;
  bool removeCom_ = false;
  double dofTotal_ = 0.0;
  std::vector<Thermostat> thermostats_;
  std::vector<GroupSetup> groups_;
  std::vector<double> groupDof_;
  bool hasLangevin_ = false;
  double energy_ = 0.0, virial_[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  double coupling_ = 0.0;  // kinetic energy taken out by thermostats (eV)
  long step_ = 0, runLength_ = 0, runStep_ = 0;
  std::unique_ptr<VerletEvaluation> forceField_;  // the evaluator on its Verlet list (null: forces from outside)
  BarostatSetup barostat_;
  std::array<double, 9> vG_ = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // barostat velocity v_g (symmetric 3×3; v I isotropic, diagonal anisotropic), 1/fs
  std::vector<double> baroXi_, baroVxi_;    // the barostat's chain
  double massTemperature_ = 300.0;          // NPH: the temperature in the barostat mass (K)
  bool pending_ = false;           // prepareStep() done, finishStep() awaited
  std::vector<double> backup_;     // positions and velocities before the current step
};

}  // namespace polymorph

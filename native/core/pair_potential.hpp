// Shared skeleton of short-range pair potentials over a half neighbour list (Lennard-Jones,
// Buckingham). A potential supplies a kernel for one pair of atom types; the skeleton does
// input checks, the neighbour list, the OpenMP loop, forces, stress and per-atom energies.
//
//   E    = Σ_pairs φ(r)                                           (eV)
//   F_i  = −∂E/∂r_i = Σ_j φ'(r) d_ij / r,  d_ij = r_j + S·cell − r_i  (eV/Å)
//   σ_ab = (1/V) Σ_pairs φ'(r) d_a d_b / r                         (eV/Å³, ASE sign)
//   E_i  = ½ Σ_j φ(r_ij)                                           (eV; Σ_i E_i = E)
//
// A kernel is a type with
//   int types;                                                 number of atom types T
//   double cutoff2(int pair) const;                             squared cutoff (Å²) of pair a·T+b
//   void operator()(int pair, double r2, double& phi, double& dphiOverR) const;
//                                                               φ(r) (eV) and φ'(r)/r (eV/Å²)
//   bool overlaps(int pair, double r2) const;                   true when r is too small to be
//                                                               evaluated (reported as E_VALUE)
//
// The pair loop itself is pair_batch.hpp's (batches that vectorise). Parallel scheme: each thread takes a contiguous range of rows (atoms i) of the half list with
// about the same number of pairs. Thread 0 accumulates forces and atom energies into the result,
// threads 1…T−1 into private buffers added afterwards in thread order; energies and virials are
// per-thread partial sums added in thread order. No atomics; deterministic for a thread count,
// and between thread counts equal up to summation order (~1e-15 relative).
//
// Periodic self-images: an atom closer than the cutoff to its own image appears once per pair
// (S, −S) as (i, i, S) with S > 0, which is exactly its term of E; no special case is needed.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/evaluator.hpp"
#include "core/neighbor_list.hpp"
#include "core/pair_batch.hpp"
#include "core/threads.hpp"

namespace polymorph {

// The structure and what to compute besides the energy.
struct PairInput {
  const double* positions = nullptr;  // [n,3] Å
  std::size_t n = 0;
  const int32_t* types = nullptr;     // [n], each in [0, T)
  const double* cell = nullptr;       // [3,3] Å, rows = lattice vectors; null for none
  bool pbc[3] = {false, false, false};
  bool forces = false;
  bool stress = false;                // needs a non-singular cell (its volume); E_CELL otherwise
  bool atomEnergies = false;
};

struct PairResult {
  double energy = 0.0;               // eV
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // eV, Σ_pairs φ'(r) d_a d_b / r (σ = W/V)
  std::vector<double> forces;        // [n,3] eV/Å, if requested
  std::vector<double> stress;        // [3,3] eV/Å³, row-major, symmetric, if requested
  std::vector<double> atomEnergies;  // [n] eV, if requested
};

namespace pair_detail {

// Checks positions, types and cell; `name` prefixes messages (e.g. "Lennard-Jones").
void validateInput(const PairInput& in, int types, const std::string& name);
// |det(cell)| in Å³; throws E_CELL when stress cannot be defined (no cell, singular cell).
double stressVolume(const double* cell, const std::string& name);
// Checks that `list` is a half list for `in`.
void validateList(const NeighborListData& list, const PairInput& in, const std::string& name);
// Half neighbour list of `in` with the given cutoff (Å).
NeighborListData halfList(const PairInput& in, double cutoff);

// Pair vector d = r_j + S·cell − r_i (Å) of list entry p, from the current positions.
inline void pairVector(const PairInput& in, const NeighborListData& list, std::size_t i, int32_t p, double d[3]) {
  polymorph::pairVector(in.positions, in.cell, list, i, static_cast<std::size_t>(p), d);
}

// Accumulators of one thread, a cache line apart from the next thread's (no false sharing).
struct alignas(64) Partial {
  PairSums sums;                                      // energy, virial, force and energy pointers
  std::vector<double> ownForces, ownAtomEnergies;     // storage for threads other than 0
  bool finiteForces = true;                           // the thread's share of the summed forces
};

// A kernel of one type pair (above) as a row kernel of the batched pair loop (pair_batch.hpp):
// the key of a pair is its type pair a·T + b.
template <class Kernel>
struct TypedPairKernel {
  const Kernel& kernel;
  const int32_t* types;
  struct Row {
    int32_t base;
  };
  Row row(std::size_t i) const { return {types[i] * kernel.types}; }
  int32_t key(const Row& r, int32_t j) const { return r.base + types[j]; }
  double cutoff2(int32_t key) const { return kernel.cutoff2(key); }
  void operator()(const Row&, PairBatch& b) const {
#pragma omp simd
    for (int k = 0; k < b.count; ++k) kernel(b.key[k], b.r2[k], b.phi[k], b.g[k]);
  }
};

// After non-finite results: find the offending pair and say so.
template <class Kernel>
[[noreturn]] void reportOverlap(const PairInput& in, const Kernel& kernel, const NeighborListData& list,
                                const std::string& name) {
  for (std::size_t i = 0; i < in.n; ++i) {
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      double d[3];
      pairVector(in, list, i, p, d);
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      const int pair = in.types[i] * kernel.types + in.types[list.neighbors[p]];
      if (r2 < kernel.cutoff2(pair) && kernel.overlaps(pair, r2)) {
        throw Error("E_VALUE", name + ": atoms " + std::to_string(i) + " and " + std::to_string(list.neighbors[p]) +
                                   " overlap (distance " + std::to_string(std::sqrt(r2)) + " Å); the energy is not finite");
      }
    }
  }
  throw Error("E_VALUE", name + ": the energy is not finite (atoms too close together)");
}

// Where an evaluation writes: energy and virial, and forces [n,3] / atomEnergies [n] when not
// null (overwritten). `partials` is the per-thread memory, kept by the caller between calls so
// that a warm evaluation allocates nothing.
struct PairOutput {
  double energy = 0.0;
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  double* forces = nullptr;
  double* atomEnergies = nullptr;
};

// Evaluation on a validated half list (the parallel scheme at the top of this file) into `out`.
// Non-finite results (overlapping atoms) are E_VALUE naming the pair.
template <class Kernel>
void evaluateInto(const PairInput& in, const Kernel& kernel, const NeighborListData& list, bool storedVectors,
                  const std::string& name, std::vector<Partial>& partials, PairOutput& out) {
  const std::size_t n = in.n;
  double* const forces = out.forces;
  double* const atomEnergies = out.atomEnergies;
  const int threads = numThreads();
  partials.resize(static_cast<std::size_t>(threads));
  ParallelExceptions guard;
  int used = threads;  // the team OpenMP gave (partials beyond it are stale)
  // Each thread zeroes, reduces and checks the same range of atoms (n t/T … n (t+1)/T), which is
  // close to its range of rows: the molecular-dynamics loops split the atoms the same way, so that
  // positions and forces mostly stay in the cache of the core that updates them.
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), team = omp_get_num_threads();
    const std::size_t first = n * t / team, last = n * (t + 1) / team;
    Partial& acc = partials[t];
    if (t == 0) used = team;
    guard.run([&] {
      acc.sums = PairSums();
      acc.finiteForces = true;
      if (forces != nullptr) std::fill(forces + 3 * first, forces + 3 * last, 0.0);
      if (atomEnergies != nullptr) std::fill(atomEnergies + first, atomEnergies + last, 0.0);
      if (t == 0) {
        acc.sums.forces = forces;
        acc.sums.atomEnergies = atomEnergies;
      } else {  // assign() keeps the capacity: no allocation once warm
        if (forces != nullptr) acc.ownForces.assign(3 * n, 0.0), acc.sums.forces = acc.ownForces.data();
        if (atomEnergies != nullptr) acc.ownAtomEnergies.assign(n, 0.0), acc.sums.atomEnergies = acc.ownAtomEnergies.data();
      }
    });
#pragma omp barrier
    guard.run([&] {
      const std::size_t begin = splitRowsByPairs(list, n, t, team), end = splitRowsByPairs(list, n, t + 1, team);
      PairRows rows;
      rows.positions = in.positions, rows.cell = in.cell, rows.list = &list, rows.storedVectors = storedVectors;
      sumPairRows(rows, begin, end, TypedPairKernel<Kernel>{kernel, in.types}, acc.sums);
    });
#pragma omp barrier
    // Reduce the private buffers of threads 1… into the result, and check it.
    guard.run([&] {
      for (int u = 1; u < team; ++u) {
        const PairSums& other = partials[u].sums;
        if (other.forces != nullptr)
          for (std::size_t k = 3 * first; k < 3 * last; ++k) forces[k] += other.forces[k];
        if (other.atomEnergies != nullptr)
          for (std::size_t k = first; k < last; ++k) atomEnergies[k] += other.atomEnergies[k];
      }
      if (forces != nullptr) acc.finiteForces = firstNonFinite(forces + 3 * first, 3 * (last - first)) == 3 * (last - first);
    });
  }
  guard.rethrow();

  double virial[6] = {0, 0, 0, 0, 0, 0};  // xx, xy, xz, yy, yz, zz
  out.energy = 0.0;
  partials.resize(static_cast<std::size_t>(used));
  for (const Partial& acc : partials) {
    out.energy += acc.sums.energy;
    for (int k = 0; k < 6; ++k) virial[k] += acc.sums.virial[k];
  }
  constexpr int kUpper[9] = {0, 1, 2, 1, 3, 4, 2, 4, 5};
  for (int k = 0; k < 9; ++k) out.virial[k] = virial[kUpper[k]];
  bool finite = std::isfinite(out.energy) && firstNonFinite(out.virial, 9) == 9;
  for (const Partial& acc : partials) finite = finite && acc.finiteForces;
  if (!finite) reportOverlap(in, kernel, list, name);
}

// The same, returning a PairResult (allocates; for the one-shot entry points).
template <class Kernel>
PairResult evaluate(const PairInput& in, const Kernel& kernel, const NeighborListData& list, bool storedVectors,
                    const std::string& name) {
  const double volume = in.stress ? stressVolume(in.cell, name) : 0.0;
  PairResult result;
  if (in.forces) result.forces.assign(3 * in.n, 0.0);
  if (in.atomEnergies) result.atomEnergies.assign(in.n, 0.0);
  std::vector<Partial> partials;
  PairOutput out;
  out.forces = in.forces ? result.forces.data() : nullptr;
  out.atomEnergies = in.atomEnergies ? result.atomEnergies.data() : nullptr;
  evaluateInto(in, kernel, list, storedVectors, name, partials, out);
  result.energy = out.energy;
  std::copy(out.virial, out.virial + 9, result.virial);
  if (in.stress) {
    result.stress.resize(9);
    for (int k = 0; k < 9; ++k) result.stress[k] = result.virial[k] / volume;
  }
  return result;
}

}  // namespace pair_detail

// Builds a half list with `cutoff` (Å, the largest pair cutoff) and evaluates the kernel.
// Throws polymorph::Error: E_EMPTY, E_VALUE (non-finite positions, type out of range,
// overlapping atoms), E_CELL (stress without a usable cell; periodic without a cell).
template <class Kernel>
PairResult evaluatePairPotential(const PairInput& in, const Kernel& kernel, double cutoff, const std::string& name) {
  pair_detail::validateInput(in, kernel.types, name);
  if (in.stress) pair_detail::stressVolume(in.cell, name);  // fail before the (costly) list is built
  const NeighborListData list = pair_detail::halfList(in, cutoff);
  return pair_detail::evaluate(in, kernel, list, list.hasVectors(), name);
}

// Evaluates on a given half list containing every pair closer than the largest cutoff (pairs
// beyond their own cutoff are skipped; pair vectors are recomputed, so a Verlet list may be reused).
template <class Kernel>
PairResult evaluatePairPotentialOnList(const PairInput& in, const Kernel& kernel, const NeighborListData& list,
                                       const std::string& name) {
  pair_detail::validateInput(in, kernel.types, name);
  pair_detail::validateList(list, in, name);
  return pair_detail::evaluate(in, kernel, list, false, name);
}

// A pair potential as a native evaluator (evaluator.hpp): the kernel's types are the elements
// `elements` (atomic numbers, in type order); atoms of other elements are E_ELEMENT.
template <class Kernel>
class PairEvaluator final : public Evaluator {
 public:
  PairEvaluator(Kernel kernel, const std::vector<int32_t>& elements, double cutoff, std::string name)
      : kernel_(std::move(kernel)), table_(elementTypeTable(elements, name)), cutoff_(cutoff), name_(std::move(name)) {
    require(static_cast<int>(elements.size()) == kernel_.types, "E_SHAPE", name_ + ": one element per type is needed");
  }
  std::string name() const override { return name_; }
  double cutoff() const override { return cutoff_; }
  void evaluate(const SystemView& s, const NeighborListData* list, const EvaluationRequest& request,
                EvaluationOutput& out) override {
    typesOf(s, table_, name_, types_);
    PairInput in;
    in.positions = s.positions;
    in.n = s.n;
    in.types = types_.data();
    in.cell = s.cell;
    for (int k = 0; k < 3; ++k) in.pbc[k] = s.pbc[k];
    in.forces = request.forces;
    in.atomEnergies = request.atomEnergies;
    NeighborListData none;
    if (cutoff_ == 0.0) none.rowPtr = Buffer<int32_t>(s.n + 1, 0);  // no pair of these elements interacts
    const NeighborListData& half =
        cutoff_ == 0.0 ? none
        : list != nullptr ? halfListFor(*list, s, cutoff_, scratch_)
                          : halfListOrBuild(nullptr, s.positions, s.n, s.cell, s.pbc, cutoff_, scratch_, name_);
    pair_detail::PairOutput result;
    result.forces = request.forces ? out.forces : nullptr;
    result.atomEnergies = request.atomEnergies ? out.atomEnergies : nullptr;
    pair_detail::evaluateInto(in, kernel_, half, half.hasVectors(), name_, partials_, result);
    out.energy = result.energy;
    std::copy(result.virial, result.virial + 9, out.virial);
  }

 private:
  Kernel kernel_;
  std::vector<int32_t> table_, types_;
  double cutoff_;
  std::string name_;
  NeighborListData scratch_;
  std::vector<pair_detail::Partial> partials_;  // per-thread memory, kept between calls
};

}  // namespace polymorph

// Internal: the short-range pair sum shared by Ewald's real-space part and the damped
// shifted-force Coulomb sum: Σ over pairs of a half neighbour list with r < r_c of
// q_i q_j φ(r), in e² units (k_e = 1; callers scale), with the batched pair loop of
// pair_batch.hpp. Threads take rows split at equal pair
// counts and keep their own accumulators: energy, the virial ∂E/∂ε (upper triangle xx, xy, xz,
// yy, yz, zz), forces and per-atom energies (each pair's energy split half and half).
#pragma once
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/neighbor_list.hpp"
#include "core/pair_batch.hpp"
#include "core/threads.hpp"

namespace polymorph {

// Accumulators of one thread, a cache line apart from the next thread's.
struct alignas(64) ChargePartial {
  double energy = 0.0;
  double virial[6] = {0, 0, 0, 0, 0, 0};
  std::vector<double> forces;        // [n,3] or empty
  std::vector<double> atomEnergies;  // [n] or empty
};

// Zeroed accumulators for a team, reusing the memory `partials` already has (no allocation
// once warm).
inline void resetChargePartials(std::vector<ChargePartial>& partials, int team, std::size_t n, bool forces, bool atomEnergies) {
  partials.resize(static_cast<std::size_t>(team));
  for (ChargePartial& p : partials) {
    p.energy = 0.0;
    std::fill(p.virial, p.virial + 6, 0.0);
    if (forces) p.forces.assign(3 * n, 0.0);
    else p.forces.clear();
    if (atomEnergies) p.atomEnergies.assign(n, 0.0);
    else p.atomEnergies.clear();
  }
}

inline std::vector<ChargePartial> makeChargePartials(int team, std::size_t n, bool forces, bool atomEnergies) {
  std::vector<ChargePartial> partials;
  resetChargePartials(partials, team, n, forces, atomEnergies);
  return partials;
}

// The pair function and charges as a row kernel of the batched pair loop (pair_batch.hpp): the
// key of a pair is j (for its charge); coincident atoms (r² ≤ 1e-16 Å²) get a NaN energy, which
// chargePairSum turns into E_VALUE naming them.
template <class Pair>
struct ChargePairKernel {
  const Pair& pair;
  const double* charges;
  double cutoff2Value;
  struct Row {
    double q;
  };
  Row row(std::size_t i) const { return {charges[i]}; }
  int32_t key(const Row&, int32_t j) const { return j; }
  double cutoff2(int32_t) const { return cutoff2Value; }
  void operator()(const Row& row, PairBatch& b) const {
#pragma omp simd
    for (int k = 0; k < b.count; ++k) {
      const double r2 = b.r2[k];
      const double qq = row.q * charges[b.key[k]];
      double phi, g;
      pair(std::sqrt(r2), r2, phi, g);
      b.phi[k] = r2 > 1e-16 ? qq * phi : std::numeric_limits<double>::quiet_NaN();
      b.g[k] = qq * g;
    }
  }
};

// Adds the pair sum into `partials` (one per thread of the team). pair(r, r2, phi, g) gives
// φ(r) and g = φ'(r)/r for unit charges, for 0 < r < cutoff, without branches or calls (it is
// vectorised). Coincident atoms are E_VALUE, named with `name`. Pair vectors come from the list
// when it stores them, else from `positions` and `cell` (a lean or reused Verlet list).
template <class Pair>
void chargePairSum(const double* charges, std::size_t n, const NeighborListData& list, double cutoff,
                   const std::string& name, const Pair& pair, std::vector<ChargePartial>& partials,
                   const double* positions = nullptr, const double* cell = nullptr) {
  const bool stored = list.hasVectors();
  require(stored || positions != nullptr, "E_NATIVE", name + ": internal: a lean list needs the positions");
  const int team = static_cast<int>(partials.size());
  const ChargePairKernel<Pair> kernel{pair, charges, cutoff * cutoff};
  PairRows rows;
  rows.positions = positions, rows.cell = cell, rows.list = &list, rows.storedVectors = stored;
  bool finite = true;
  ParallelExceptions guard;
#pragma omp parallel num_threads(team) reduction(&& : finite)
  {
    guard.run([&] {
      const int t = omp_get_thread_num();
      ChargePartial& acc = partials[static_cast<std::size_t>(t)];
      PairSums sums;
      sums.forces = acc.forces.empty() ? nullptr : acc.forces.data();
      sums.atomEnergies = acc.atomEnergies.empty() ? nullptr : acc.atomEnergies.data();
      const std::size_t begin = splitRowsByPairs(list, n, t, team), end = splitRowsByPairs(list, n, t + 1, team);
      sumPairRows(rows, begin, end, kernel, sums);
      finite = std::isfinite(sums.energy);
      acc.energy += sums.energy;
      for (int k = 0; k < 6; ++k) acc.virial[k] += sums.virial[k];
    });
  }
  guard.rethrow();
  if (!finite) {
    for (std::size_t i = 0; i < n; ++i) {
      for (int32_t e = list.rowPtr[i]; e < list.rowPtr[i + 1]; ++e) {
        double d[3];
        if (stored) d[0] = list.vectors[3 * e], d[1] = list.vectors[3 * e + 1], d[2] = list.vectors[3 * e + 2];
        else pairVector(positions, cell, list, i, static_cast<std::size_t>(e), d);
        if (!(d[0] * d[0] + d[1] * d[1] + d[2] * d[2] > 1e-16)) {
          throw Error("E_VALUE", name + ": atoms " + std::to_string(i) + " and " + std::to_string(list.neighbors[e]) +
                                     " overlap (distance 0); the Coulomb energy is infinite");
        }
      }
    }
    throw Error("E_VALUE", name + ": the energy is not finite");
  }
}

}  // namespace polymorph

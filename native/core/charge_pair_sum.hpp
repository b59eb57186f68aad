// Internal: the short-range pair sum shared by Ewald's real-space part and the damped
// shifted-force Coulomb sum: Σ over pairs of a half neighbour list with r < r_c of
// q_i q_j φ(r), in e² units (k_e = 1; callers scale). Threads take rows split at equal pair
// counts and keep their own accumulators: energy, the virial ∂E/∂ε (upper triangle xx, xy, xz,
// yy, yz, zz), forces and per-atom energies (each pair's energy split half and half).
#pragma once
#include <omp.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"

namespace polymorph {

// Accumulators of one thread, a cache line apart from the next thread's.
struct alignas(64) ChargePartial {
  double energy = 0.0;
  double virial[6] = {0, 0, 0, 0, 0, 0};
  std::vector<double> forces;        // [n,3] or empty
  std::vector<double> atomEnergies;  // [n] or empty
};

inline std::vector<ChargePartial> makeChargePartials(int team, std::size_t n, bool forces, bool atomEnergies) {
  std::vector<ChargePartial> partials(static_cast<std::size_t>(team));
  for (ChargePartial& p : partials) {
    if (forces) p.forces.assign(3 * n, 0.0);
    if (atomEnergies) p.atomEnergies.assign(n, 0.0);
  }
  return partials;
}

// Adds the pair sum into `partials` (one per thread of the team). pair(r, r2, phi, g) gives
// φ(r) and g = φ'(r)/r for unit charges. Coincident atoms are E_VALUE, named with `name`.
// Pair vectors come from the list when it stores them, else from `positions` and `cell` (a
// lean or reused Verlet list).
template <class Pair>
void chargePairSum(const double* charges, std::size_t n, const NeighborListData& list, double cutoff,
                   const std::string& name, const Pair& pair, std::vector<ChargePartial>& partials,
                   const double* positions = nullptr, const double* cell = nullptr) {
  const double cutoff2 = cutoff * cutoff;
  const bool stored = list.hasVectors();
  require(stored || positions != nullptr, "E_NATIVE", name + ": internal: a lean list needs the positions");
  const int team = static_cast<int>(partials.size());
  ParallelExceptions guard;
#pragma omp parallel num_threads(team)
  {
    guard.run([&] {
      const int t = omp_get_thread_num();
      ChargePartial& acc = partials[static_cast<std::size_t>(t)];
      double* forces = acc.forces.empty() ? nullptr : acc.forces.data();
      double* atomEnergies = acc.atomEnergies.empty() ? nullptr : acc.atomEnergies.data();
      double energy = 0, v00 = 0, v01 = 0, v02 = 0, v11 = 0, v12 = 0, v22 = 0;
      const std::size_t begin = splitRowsByPairs(list, n, t, team), end = splitRowsByPairs(list, n, t + 1, team);
      for (std::size_t i = begin; i < end; ++i) {
        const double qi = charges[i];
        double fx = 0, fy = 0, fz = 0, ei = 0;
        for (int32_t e = list.rowPtr[i]; e < list.rowPtr[i + 1]; ++e) {
          const int32_t j = list.neighbors[e];
          double d[3];
          if (stored) d[0] = list.vectors[3 * e], d[1] = list.vectors[3 * e + 1], d[2] = list.vectors[3 * e + 2];
          else pairVector(positions, cell, list, i, static_cast<std::size_t>(e), d);
          const double dx = d[0], dy = d[1], dz = d[2];
          const double r2 = dx * dx + dy * dy + dz * dz;
          if (!(r2 < cutoff2)) continue;
          if (!(r2 > 1e-16)) {
            throw Error("E_VALUE", name + ": atoms " + std::to_string(i) + " and " + std::to_string(j) +
                                       " overlap (distance 0); the Coulomb energy is infinite");
          }
          const double qq = qi * charges[j];
          double phi, g;
          pair(std::sqrt(r2), r2, phi, g);
          phi *= qq;
          const double fpair = qq * g;
          energy += phi;
          const double gx = fpair * dx, gy = fpair * dy, gz = fpair * dz;
          v00 += gx * dx, v01 += gx * dy, v02 += gx * dz, v11 += gy * dy, v12 += gy * dz, v22 += gz * dz;
          if (forces != nullptr) {
            fx += gx, fy += gy, fz += gz;
            double* fj = forces + 3 * static_cast<std::size_t>(j);
            fj[0] -= gx, fj[1] -= gy, fj[2] -= gz;
          }
          if (atomEnergies != nullptr) {
            ei += 0.5 * phi;
            atomEnergies[j] += 0.5 * phi;
          }
        }
        if (forces != nullptr) forces[3 * i] += fx, forces[3 * i + 1] += fy, forces[3 * i + 2] += fz;
        if (atomEnergies != nullptr) atomEnergies[i] += ei;
      }
      acc.energy += energy;
      const double v[6] = {v00, v01, v02, v11, v12, v22};
      for (int k = 0; k < 6; ++k) acc.virial[k] += v[k];
    });
  }
  guard.rethrow();
}

}  // namespace polymorph

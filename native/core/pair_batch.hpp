// Internal: the row loop of every half-list pair sum (pair_potential.hpp for Lennard-Jones and
// Buckingham, charge_pair_sum.hpp for the Ewald real-space and damped-shifted-force sums), in
// batches the compiler turns into SIMD code.
//
// Each row i of a half list is taken in chunks of up to kPairBatch entries, in three passes:
//  1. gather: the pair vector d = r_j + S·cell − r_i of each entry, from the current positions
//     (or the list's stored vectors), and r² = |d|²; entries closer than the cutoff of their pair
//     are compacted into the batch without a branch. A Verlet list with a skin holds ~30 % pairs
//     beyond the cutoff in random order: a branch per pair mispredicts often; the compaction never.
//  2. kernel: φ(r) and g = φ'(r)/r of every compacted entry, a loop without branches or calls
//     that vectorises (AVX2 + FMA where the processor has them: POLYMORPH_CLONES in fast_math.hpp);
//  3. accumulate: energy, virial and atom i's force as SIMD reductions; the partners' forces and
//     atom energies are then scattered one by one (a partner may appear twice in one row, via
//     two periodic images, so this pass stays scalar).
//
// A kernel is a type with
//   struct Row;                                         what a row needs (type of i, charge of i)
//   Row row(std::size_t i) const;
//   int32_t key(const Row&, int32_t j) const;           the pair's key, e.g. its type pair
//   double cutoff2(int32_t key) const;                  squared cutoff (Å²) of a pair with this key
//   void operator()(const Row&, PairBatch&) const;      phi[k], g[k] for k < count, from r2[k],
//                                                       key[k] (a vectorisable loop)
//
// Summation: per row, partial sums in SIMD lanes added at the end of each batch; the order is
// fixed for a given build, processor and thread split, so results are deterministic; AVX2 and
// baseline builds agree to round-off (~1e-15 relative).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/fast_math.hpp"
#include "core/neighbor_list.hpp"

namespace polymorph {

constexpr int kPairBatch = 64;

// One chunk of a row: the entries within their cutoff, compacted, and what the kernel returns.
struct alignas(64) PairBatch {
  double dx[kPairBatch], dy[kPairBatch], dz[kPairBatch], r2[kPairBatch];
  double phi[kPairBatch], g[kPairBatch];          // φ(r) (eV) and φ'(r)/r (eV/Å²), from the kernel
  double gx[kPairBatch], gy[kPairBatch], gz[kPairBatch];  // g·d: the force on j is −g·d
  int32_t j[kPairBatch], key[kPairBatch];
  int count = 0;
};

// What one thread accumulates over its rows.
struct PairSums {
  double energy = 0.0;
  double virial[6] = {0, 0, 0, 0, 0, 0};  // Σ g d_a d_b (eV): xx, xy, xz, yy, yz, zz
  double* forces = nullptr;               // [n,3] eV/Å, or null
  double* atomEnergies = nullptr;         // [n] eV, or null
};

// The list and positions the rows are read from.
struct PairRows {
  const double* positions = nullptr;  // [n,3] Å (current: a reused Verlet list is recomputed)
  const double* cell = nullptr;       // [3,3] Å; null when every shift is zero (open boundaries)
  const NeighborListData* list = nullptr;
  bool storedVectors = false;         // use the list's own vectors (a fresh list that has them)
};

namespace pair_batch_detail {

enum class Vectors { kStored, kPeriodic, kOpen };

template <Vectors kMode, class Kernel>
POLYMORPH_ALWAYS_INLINE void sumRowsIn(const PairRows& in, std::size_t begin, std::size_t end, const Kernel& kernel,
                                       PairSums& sums) {
  const NeighborListData& list = *in.list;
  const double* const x = in.positions;
  const double* const vectors = list.vectors.data();
  const int32_t* const neighbors = list.neighbors.data();
  const int32_t* const shifts = list.shifts.data();
  double c[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  if (kMode == Vectors::kPeriodic)
    for (int k = 0; k < 9; ++k) c[k] = in.cell[k];
  double* const forces = sums.forces;
  double* const atomEnergies = sums.atomEnergies;
  double energy = 0, v00 = 0, v01 = 0, v02 = 0, v11 = 0, v12 = 0, v22 = 0;
  PairBatch b;
  for (std::size_t i = begin; i < end; ++i) {
    const typename Kernel::Row row = kernel.row(i);
    double xi[3] = {0, 0, 0};
    if (kMode != Vectors::kStored) xi[0] = x[3 * i], xi[1] = x[3 * i + 1], xi[2] = x[3 * i + 2];
    double fx = 0, fy = 0, fz = 0, ei = 0;
    for (int32_t first = list.rowPtr[i], last = list.rowPtr[i + 1]; first < last; first += kPairBatch) {
      const int32_t stop = last - first > kPairBatch ? first + kPairBatch : last;
      // 1. gather and compact
      int m = 0;
      for (int32_t e = first; e < stop; ++e) {
        const int32_t j = neighbors[e];
        double dx, dy, dz;
        if (kMode == Vectors::kStored) {
          dx = vectors[3 * e], dy = vectors[3 * e + 1], dz = vectors[3 * e + 2];
        } else {
          dx = x[3 * j] - xi[0], dy = x[3 * j + 1] - xi[1], dz = x[3 * j + 2] - xi[2];
          if (kMode == Vectors::kPeriodic) {
            const double s0 = shifts[3 * e], s1 = shifts[3 * e + 1], s2 = shifts[3 * e + 2];
            dx += s0 * c[0] + s1 * c[3] + s2 * c[6];
            dy += s0 * c[1] + s1 * c[4] + s2 * c[7];
            dz += s0 * c[2] + s1 * c[5] + s2 * c[8];
          }
        }
        const double r2 = dx * dx + dy * dy + dz * dz;
        const int32_t key = kernel.key(row, j);
        b.dx[m] = dx, b.dy[m] = dy, b.dz[m] = dz, b.r2[m] = r2, b.j[m] = j, b.key[m] = key;
        m += r2 < kernel.cutoff2(key) ? 1 : 0;
      }
      if (m == 0) continue;
      b.count = m;
      // 2. kernel
      kernel(row, b);
      // 3. accumulate
      double e0 = 0, f0 = 0, f1 = 0, f2 = 0, w00 = 0, w01 = 0, w02 = 0, w11 = 0, w12 = 0, w22 = 0;
#pragma omp simd reduction(+ : e0, f0, f1, f2, w00, w01, w02, w11, w12, w22)
      for (int k = 0; k < m; ++k) {
        const double g = b.g[k], dx = b.dx[k], dy = b.dy[k], dz = b.dz[k];
        const double gx = g * dx, gy = g * dy, gz = g * dz;
        b.gx[k] = gx, b.gy[k] = gy, b.gz[k] = gz;
        e0 += b.phi[k];
        f0 += gx, f1 += gy, f2 += gz;
        w00 += gx * dx, w01 += gx * dy, w02 += gx * dz, w11 += gy * dy, w12 += gy * dz, w22 += gz * dz;
      }
      ei += e0, fx += f0, fy += f1, fz += f2;
      v00 += w00, v01 += w01, v02 += w02, v11 += w11, v12 += w12, v22 += w22;
      if (forces != nullptr) {
        for (int k = 0; k < m; ++k) {
          double* fj = forces + 3 * static_cast<std::size_t>(b.j[k]);
          fj[0] -= b.gx[k], fj[1] -= b.gy[k], fj[2] -= b.gz[k];
        }
      }
      if (atomEnergies != nullptr) {
        for (int k = 0; k < m; ++k) atomEnergies[b.j[k]] += 0.5 * b.phi[k];
      }
    }
    energy += ei;
    if (forces != nullptr) forces[3 * i] += fx, forces[3 * i + 1] += fy, forces[3 * i + 2] += fz;
    if (atomEnergies != nullptr) atomEnergies[i] += 0.5 * ei;
  }
  sums.energy += energy;
  const double v[6] = {v00, v01, v02, v11, v12, v22};
  for (int k = 0; k < 6; ++k) sums.virial[k] += v[k];
}

}  // namespace pair_batch_detail

// Adds rows [begin, end) of the half list to `sums` (the passes at the top of this file).
template <class Kernel>
POLYMORPH_CLONES void sumPairRows(const PairRows& in, std::size_t begin, std::size_t end, const Kernel& kernel,
                                  PairSums& sums) {
  using pair_batch_detail::Vectors;
  if (in.storedVectors) pair_batch_detail::sumRowsIn<Vectors::kStored>(in, begin, end, kernel, sums);
  else if (in.cell != nullptr) pair_batch_detail::sumRowsIn<Vectors::kPeriodic>(in, begin, end, kernel, sums);
  else pair_batch_detail::sumRowsIn<Vectors::kOpen>(in, begin, end, kernel, sums);
}

}  // namespace polymorph

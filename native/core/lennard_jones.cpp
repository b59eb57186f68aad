// Lennard-Jones evaluation over a half neighbour list (formulas in lennard_jones.hpp).
//
// Parallel scheme: each thread takes a contiguous range of rows (atoms i) of the half list,
// chosen so that every thread gets about the same number of pairs (row lengths of a half list
// vary, so equal atom counts would not balance). A pair updates atoms i and j, which another
// thread may also update, so thread 0 accumulates forces and atom energies straight into the
// result while threads 1…T−1 use private buffers [n,3] and [n], added afterwards in thread
// order; energies and stresses are per-thread partial sums, added in thread order too.
// No atomics, no races; a half list evaluates each pair once (half the work of a full list
// with i-only updates), for T×4n extra doubles. Results for a given thread count are
// deterministic; between thread counts they differ only by summation order (~1e-15 relative).
#include "core/lennard_jones.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/threads.hpp"

namespace polymorph {
namespace {

// Per type pair: φ(r) = c12 r⁻¹² − c6 r⁻⁶ − offset for r² < cutoff2, with c12 = 4εσ¹², c6 = 4εσ⁶.
struct PairTable {
  int types = 0;
  std::vector<double> c12, c6, cutoff2, offset;
};

PairTable makePairTable(const LennardJonesParameters& p) {
  PairTable t;
  t.types = p.types;
  const std::size_t size = static_cast<std::size_t>(p.types) * p.types;
  t.c12.resize(size);
  t.c6.resize(size);
  t.cutoff2.resize(size);
  t.offset.resize(size);
  for (std::size_t k = 0; k < size; ++k) {
    const double s6 = std::pow(p.sigma[k], 6);
    t.c6[k] = 4.0 * p.epsilon[k] * s6;
    t.c12[k] = t.c6[k] * s6;
    t.cutoff2[k] = p.cutoff[k] * p.cutoff[k];
    const double ir6 = 1.0 / std::pow(p.cutoff[k], 6);
    t.offset[k] = p.shift ? (t.c12[k] * ir6 - t.c6[k]) * ir6 : 0.0;
  }
  return t;
}

std::string pairName(int a, int b) { return "(" + std::to_string(a) + ", " + std::to_string(b) + ")"; }

void validateInput(const LennardJonesInput& in, int types) {
  require(in.n > 0, "E_EMPTY", "Lennard-Jones: the structure has no atoms");
  require(in.positions != nullptr && in.types != nullptr, "E_VALUE", "Lennard-Jones: positions or types are missing");
  require(in.n <= static_cast<std::size_t>(std::numeric_limits<int32_t>::max()), "E_SIZE",
          "Lennard-Jones: too many atoms");
  for (std::size_t i = 0; i < 3 * in.n; ++i) {
    require(std::isfinite(in.positions[i]), "E_VALUE",
            "Lennard-Jones: position of atom " + std::to_string(i / 3) + " is not finite");
  }
  for (std::size_t i = 0; i < in.n; ++i) {
    require(in.types[i] >= 0 && in.types[i] < types, "E_VALUE",
            "Lennard-Jones: type " + std::to_string(in.types[i]) + " of atom " + std::to_string(i) +
                " is out of range 0…" + std::to_string(types - 1));
  }
  if (in.cell != nullptr) {
    for (int k = 0; k < 9; ++k) require(std::isfinite(in.cell[k]), "E_CELL", "Lennard-Jones: cell is not finite");
  }
  if (in.pbc[0] || in.pbc[1] || in.pbc[2]) {
    require(in.cell != nullptr, "E_CELL", "Lennard-Jones: a periodic structure needs a cell");
  }
}

// |det(cell)| in Å³; throws E_CELL when stress cannot be defined (no cell, singular cell).
double stressVolume(const double* cell) {
  require(cell != nullptr, "E_CELL", "Lennard-Jones: stress needs a cell (its volume); the structure has none");
  Mat3 m;
  std::copy(cell, cell + 9, m.begin());
  double scale = 0.0;
  for (int k = 0; k < 3; ++k) scale = std::max(scale, std::sqrt(dot(row(m, k), row(m, k))));
  const double volume = std::fabs(determinant(m));
  require(scale > 0.0 && volume > 1e-12 * scale * scale * scale, "E_CELL",
          "Lennard-Jones: stress needs a non-singular cell (its volume is zero)");
  return volume;
}

void validateList(const NeighborListData& list, const LennardJonesInput& in) {
  const std::size_t n = in.n;
  require(list.rowPtr.size() == n + 1 && list.rowPtr[0] == 0, "E_SHAPE",
          "Lennard-Jones: the neighbour list does not match the number of atoms");
  const std::size_t m = static_cast<std::size_t>(list.rowPtr[n]);
  require(list.neighbors.size() == m && list.shifts.size() == 3 * m, "E_SHAPE",
          "Lennard-Jones: the neighbour list arrays have inconsistent lengths");
  const bool hasCell = in.cell != nullptr;
  for (std::size_t i = 0; i < n; ++i) {
    require(list.rowPtr[i] <= list.rowPtr[i + 1], "E_VALUE", "Lennard-Jones: neighbour list row pointers decrease");
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      const int32_t j = list.neighbors[p];
      const int32_t* s = &list.shifts[3 * p];
      require(j >= 0 && static_cast<std::size_t>(j) < n, "E_VALUE",
              "Lennard-Jones: neighbour " + std::to_string(j) + " of atom " + std::to_string(i) + " is out of range");
      // A full list holds (i, i, S) and (i, i, −S); a half list keeps only S > 0.
      const bool positive = s[0] > 0 || (s[0] == 0 && (s[1] > 0 || (s[1] == 0 && s[2] > 0)));
      require(j != static_cast<int32_t>(i) || positive, "E_VALUE",
              "Lennard-Jones: expected a half neighbour list (an atom's own image once, with a positive shift)");
      require(hasCell || (s[0] == 0 && s[1] == 0 && s[2] == 0), "E_VALUE",
              "Lennard-Jones: image shifts without a cell");
    }
  }
}

// Pair vector d = r_j + S·cell − r_i (Å) of list entry p.
inline void pairVector(const LennardJonesInput& in, const NeighborListData& list, std::size_t i, int32_t p,
                       double d[3]) {
  const double* ri = in.positions + 3 * i;
  const double* rj = in.positions + 3 * static_cast<std::size_t>(list.neighbors[p]);
  for (int a = 0; a < 3; ++a) d[a] = rj[a] - ri[a];
  if (in.cell != nullptr) {
    const int32_t* s = &list.shifts[3 * p];
    if (s[0] != 0 || s[1] != 0 || s[2] != 0) {
      for (int a = 0; a < 3; ++a) d[a] += s[0] * in.cell[a] + s[1] * in.cell[3 + a] + s[2] * in.cell[6 + a];
    }
  }
}

// Accumulators of one thread, a cache line apart from the next thread's (no false sharing).
struct alignas(64) Partial {
  double energy = 0.0;
  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};  // Σ φ'(r) d_a d_b / r (eV)
  double* forces = nullptr;                           // [n,3], or null
  double* atomEnergies = nullptr;                     // [n], or null
  std::vector<double> ownForces, ownAtomEnergies;     // storage for threads other than 0
};

// Evaluates the rows [begin, end) of the half list into `acc`. With kStoredVectors the list's
// own pair vectors are used (a fresh list); otherwise they are recomputed from the positions.
template <bool kStoredVectors>
void evaluateRows(const LennardJonesInput& in, const PairTable& table, const NeighborListData& list,
                  std::size_t begin, std::size_t end, Partial& acc) {
  const int types = table.types;
  const double *c12 = table.c12.data(), *c6 = table.c6.data(), *cutoff2 = table.cutoff2.data(),
               *offset = table.offset.data();
  double* const forces = acc.forces;
  double* const atomEnergies = acc.atomEnergies;
  double energy = 0.0;
  double v00 = 0, v01 = 0, v02 = 0, v11 = 0, v12 = 0, v22 = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const int row = in.types[i] * types;
    double fx = 0.0, fy = 0.0, fz = 0.0, ei = 0.0;
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      const int32_t j = list.neighbors[p];
      const int pair = row + in.types[j];
      double d[3];
      if constexpr (kStoredVectors) {
        d[0] = list.vectors[3 * p], d[1] = list.vectors[3 * p + 1], d[2] = list.vectors[3 * p + 2];
      } else {
        pairVector(in, list, i, p, d);
      }
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      if (!(r2 < cutoff2[pair])) continue;
      const double ir2 = 1.0 / r2;
      const double ir6 = ir2 * ir2 * ir2;
      const double phi = (c12[pair] * ir6 - c6[pair]) * ir6 - offset[pair];
      // φ'(r)/r = (−12 c12 r⁻¹² + 6 c6 r⁻⁶) / r²
      const double fpair = (6.0 * c6[pair] - 12.0 * c12[pair] * ir6) * ir6 * ir2;
      energy += phi;
      const double gx = fpair * d[0], gy = fpair * d[1], gz = fpair * d[2];
      v00 += gx * d[0], v01 += gx * d[1], v02 += gx * d[2];
      v11 += gy * d[1], v12 += gy * d[2], v22 += gz * d[2];
      if (forces != nullptr) {
        double* fj = forces + 3 * static_cast<std::size_t>(j);
        fx += gx, fy += gy, fz += gz;
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
  acc.energy = energy;
  const double virial[9] = {v00, v01, v02, 0, v11, v12, 0, 0, v22};  // upper triangle
  std::copy(virial, virial + 9, acc.virial);
}

// First row of thread t's share: rows are split at equal numbers of pairs.
std::size_t rowSplit(const NeighborListData& list, std::size_t n, int t, int team) {
  if (t <= 0) return 0;
  if (t >= team) return n;
  const int64_t pairs = list.rowPtr[n];
  const int64_t target = pairs * t / team;
  return static_cast<std::size_t>(std::lower_bound(list.rowPtr.begin(), list.rowPtr.begin() + n, target) -
                                  list.rowPtr.begin());
}

// After non-finite results: find the offending pair and say so.
[[noreturn]] void reportOverlap(const LennardJonesInput& in, const PairTable& table, const NeighborListData& list) {
  for (std::size_t i = 0; i < in.n; ++i) {
    for (int32_t p = list.rowPtr[i]; p < list.rowPtr[i + 1]; ++p) {
      double d[3];
      pairVector(in, list, i, p, d);
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      const int pair = in.types[i] * table.types + in.types[list.neighbors[p]];
      const double ir6 = 1.0 / (r2 * r2 * r2);
      if (r2 < table.cutoff2[pair] && !(std::isfinite(table.c12[pair] * ir6 * ir6 / r2) && r2 > 0.0)) {
        throw Error("E_VALUE", "Lennard-Jones: atoms " + std::to_string(i) + " and " +
                                   std::to_string(list.neighbors[p]) + " overlap (distance " +
                                   std::to_string(std::sqrt(r2)) + " Å); the energy is not finite");
      }
    }
  }
  throw Error("E_VALUE", "Lennard-Jones: the energy is not finite (atoms too close together)");
}

bool allFinite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

void validateLennardJones(const LennardJonesParameters& p) {
  require(p.types >= 1 && p.types <= 4096, "E_VALUE", "Lennard-Jones: the number of types must be 1…4096");
  const std::size_t size = static_cast<std::size_t>(p.types) * p.types;
  require(p.epsilon.size() == size && p.sigma.size() == size && p.cutoff.size() == size, "E_SHAPE",
          "Lennard-Jones: epsilon, sigma and cutoff must each have types² = " + std::to_string(size) + " entries");
  for (int a = 0; a < p.types; ++a) {
    for (int b = 0; b < p.types; ++b) {
      const std::size_t k = static_cast<std::size_t>(a) * p.types + b;
      const std::size_t t = static_cast<std::size_t>(b) * p.types + a;
      require(std::isfinite(p.epsilon[k]) && p.epsilon[k] >= 0.0, "E_VALUE",
              "Lennard-Jones: epsilon of pair " + pairName(a, b) + " must be finite and >= 0 eV");
      require(std::isfinite(p.sigma[k]) && p.sigma[k] > 0.0, "E_VALUE",
              "Lennard-Jones: sigma of pair " + pairName(a, b) + " must be finite and > 0 Å");
      require(std::isfinite(p.cutoff[k]) && p.cutoff[k] > 0.0, "E_VALUE",
              "Lennard-Jones: cutoff of pair " + pairName(a, b) + " must be finite and > 0 Å");
      require(p.epsilon[k] == p.epsilon[t] && p.sigma[k] == p.sigma[t] && p.cutoff[k] == p.cutoff[t], "E_VALUE",
              "Lennard-Jones: parameters of pairs " + pairName(a, b) + " and " + pairName(b, a) + " differ");
    }
  }
}

double lennardJonesCutoff(const LennardJonesParameters& p) {
  double cutoff = 0.0;
  for (double c : p.cutoff) cutoff = std::max(cutoff, c);
  return cutoff;
}

namespace {

// Evaluation on a validated half list (see the parallel scheme at the top of this file).
LennardJonesResult evaluate(const LennardJonesInput& in, const LennardJonesParameters& parameters,
                            const NeighborListData& list, bool storedVectors) {
  const double volume = in.stress ? stressVolume(in.cell) : 0.0;
  const PairTable table = makePairTable(parameters);
  const std::size_t n = in.n;

  LennardJonesResult out;
  if (in.forces) out.forces.assign(3 * n, 0.0);
  if (in.atomEnergies) out.atomEnergies.assign(n, 0.0);

  const int threads = numThreads();
  std::vector<Partial> partials(threads);
  ParallelExceptions guard;
#pragma omp parallel num_threads(threads)
  {
    guard.run([&] {
      const int t = omp_get_thread_num(), team = omp_get_num_threads();
      Partial& acc = partials[t];
      if (t == 0) {
        acc.forces = in.forces ? out.forces.data() : nullptr;
        acc.atomEnergies = in.atomEnergies ? out.atomEnergies.data() : nullptr;
      } else {
        if (in.forces) acc.ownForces.assign(3 * n, 0.0), acc.forces = acc.ownForces.data();
        if (in.atomEnergies) acc.ownAtomEnergies.assign(n, 0.0), acc.atomEnergies = acc.ownAtomEnergies.data();
      }
      const std::size_t begin = rowSplit(list, n, t, team), end = rowSplit(list, n, t + 1, team);
      if (storedVectors) evaluateRows<true>(in, table, list, begin, end, acc);
      else evaluateRows<false>(in, table, list, begin, end, acc);
    });
#pragma omp barrier
    // Reduce the private buffers of threads 1… into the result, atoms split evenly.
    guard.run([&] {
      const int t = omp_get_thread_num(), team = omp_get_num_threads();
      const std::size_t begin = n * t / team, end = n * (t + 1) / team;
      for (int u = 1; u < team; ++u) {
        const Partial& other = partials[u];
        if (other.forces != nullptr)
          for (std::size_t k = 3 * begin; k < 3 * end; ++k) out.forces[k] += other.forces[k];
        if (other.atomEnergies != nullptr)
          for (std::size_t k = begin; k < end; ++k) out.atomEnergies[k] += other.atomEnergies[k];
      }
    });
  }
  guard.rethrow();

  double virial[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (const Partial& acc : partials) {
    out.energy += acc.energy;
    for (int k = 0; k < 9; ++k) virial[k] += acc.virial[k];
  }
  if (in.stress) {
    out.stress.resize(9);
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) out.stress[3 * a + b] = virial[3 * std::min(a, b) + std::max(a, b)] / volume;
  }
  if (!std::isfinite(out.energy) || !allFinite(out.forces) || !allFinite(out.stress)) reportOverlap(in, table, list);
  return out;
}

}  // namespace

LennardJonesResult lennardJonesOnList(const LennardJonesInput& in, const LennardJonesParameters& parameters,
                                      const NeighborListData& list) {
  validateLennardJones(parameters);
  validateInput(in, parameters.types);
  validateList(list, in);
  return evaluate(in, parameters, list, false);
}

LennardJonesResult lennardJones(const LennardJonesInput& in, const LennardJonesParameters& parameters) {
  validateLennardJones(parameters);
  validateInput(in, parameters.types);
  if (in.stress) stressVolume(in.cell);  // fail before the (costly) list is built
  NeighborListInput nl;
  nl.positions = in.positions;
  nl.n = in.n;
  nl.cell = in.cell;
  for (int k = 0; k < 3; ++k) nl.pbc[k] = in.pbc[k];
  nl.cutoff = lennardJonesCutoff(parameters);
  nl.full = false;
  const NeighborListData list = buildNeighborList(nl);
  return evaluate(in, parameters, list, true);
}

}  // namespace polymorph

// The batched pair loop (pair_batch.hpp) against a plain loop over the same half list: energy,
// virial, forces and atom energies, per-pair cutoffs (one pair type never interacts), rows longer
// than a batch with the same partner twice (a small periodic cell), open boundaries and stored
// vectors, and row ranges split as threads split them.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/neighbor_list.hpp"
#include "core/pair_batch.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::NeighborListData;
using polymorph::PairBatch;
using polymorph::PairRows;
using polymorph::PairSums;

// φ(r) = a_k (r² − r_k²)² for r < r_k, with k the type pair; g = φ'(r)/r = 4 a_k (r² − r_k²).
struct ToyKernel {
  const int32_t* types;
  double a[4] = {0.3, 0.7, 0.7, 1.1};
  double cut2[4] = {16.0, 20.25, 20.25, 0.0};  // type pair (1, 1) never interacts
  struct Row {
    int32_t base;
  };
  Row row(std::size_t i) const { return {2 * types[i]}; }
  int32_t key(const Row& r, int32_t j) const { return r.base + types[j]; }
  double cutoff2(int32_t key) const { return cut2[key]; }
  void operator()(const Row&, PairBatch& b) const {
    for (int k = 0; k < b.count; ++k) {
      const double u = b.r2[k] - cut2[b.key[k]];
      b.phi[k] = a[b.key[k]] * u * u;
      b.g[k] = 4.0 * a[b.key[k]] * u;
    }
  }
};

struct Sums {
  double energy = 0, virial[6] = {0, 0, 0, 0, 0, 0};
  std::vector<double> forces, atomEnergies;
};

// The same sum, one pair at a time with a branch on the cutoff.
Sums plain(const ToyKernel& kernel, const double* x, const double* cell, const NeighborListData& list, std::size_t n) {
  Sums s;
  s.forces.assign(3 * n, 0.0), s.atomEnergies.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int32_t e = list.rowPtr[i]; e < list.rowPtr[i + 1]; ++e) {
      const int32_t j = list.neighbors[e];
      double d[3];
      polymorph::pairVector(x, cell, list, i, static_cast<std::size_t>(e), d);
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      const int32_t key = kernel.key(kernel.row(i), j);
      if (!(r2 < kernel.cut2[key])) continue;
      const double u = r2 - kernel.cut2[key], phi = kernel.a[key] * u * u, g = 4.0 * kernel.a[key] * u;
      s.energy += phi;
      const double w[6] = {g * d[0] * d[0], g * d[0] * d[1], g * d[0] * d[2], g * d[1] * d[1], g * d[1] * d[2], g * d[2] * d[2]};
      for (int k = 0; k < 6; ++k) s.virial[k] += w[k];
      for (int a = 0; a < 3; ++a) s.forces[3 * i + a] += g * d[a], s.forces[3 * j + a] -= g * d[a];
      s.atomEnergies[i] += 0.5 * phi, s.atomEnergies[j] += 0.5 * phi;
    }
  }
  return s;
}

Sums batched(const ToyKernel& kernel, const double* x, const double* cell, const NeighborListData& list, std::size_t n,
             bool stored, int pieces) {
  Sums s;
  s.forces.assign(3 * n, 0.0), s.atomEnergies.assign(n, 0.0);
  PairRows rows;
  rows.positions = x, rows.cell = cell, rows.list = &list, rows.storedVectors = stored;
  for (int t = 0; t < pieces; ++t) {
    PairSums sums;
    sums.forces = s.forces.data(), sums.atomEnergies = s.atomEnergies.data();
    polymorph::sumPairRows(rows, n * t / pieces, n * (t + 1) / pieces, kernel, sums);
    s.energy += sums.energy;
    for (int k = 0; k < 6; ++k) s.virial[k] += sums.virial[k];
  }
  return s;
}

void compare(const Sums& a, const Sums& b) {
  const double scale = std::fabs(a.energy) + 1.0;
  CHECK_NEAR(a.energy, b.energy, 1e-12 * scale);
  for (int k = 0; k < 6; ++k) CHECK_NEAR(a.virial[k], b.virial[k], 1e-12 * scale);
  for (std::size_t k = 0; k < a.forces.size(); ++k) CHECK_NEAR(a.forces[k], b.forces[k], 1e-12 * scale);
  for (std::size_t k = 0; k < a.atomEnergies.size(); ++k) CHECK_NEAR(a.atomEnergies[k], b.atomEnergies[k], 1e-12 * scale);
}

struct Random {
  std::vector<double> x;
  std::vector<int32_t> types;
};

Random randomAtoms(std::size_t n, double box, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, box);
  Random r;
  for (std::size_t k = 0; k < 3 * n; ++k) r.x.push_back(u(rng));
  for (std::size_t i = 0; i < n; ++i) r.types.push_back(static_cast<int32_t>(rng() % 2));
  return r;
}

NeighborListData halfList(const Random& atoms, const double* cell, bool periodic, double cutoff, bool vectors) {
  polymorph::NeighborListInput in;
  in.positions = atoms.x.data();
  in.n = atoms.types.size();
  in.cell = cell;
  for (int k = 0; k < 3; ++k) in.pbc[k] = periodic;
  in.cutoff = cutoff;
  in.full = false;
  in.storeVectors = vectors;
  return polymorph::buildNeighborList(in);
}

}  // namespace

TEST_CASE("pair batch: small triclinic periodic cell (rows longer than a batch, repeated partners)") {
  const Random atoms = randomAtoms(7, 3.0, 11);
  const double cell[9] = {3.1, 0.0, 0.0, 0.9, 2.8, 0.0, -0.4, 0.6, 3.3};
  const NeighborListData list = halfList(atoms, cell, true, 4.5 + 1.0, false);  // a Verlet list with 1 Å skin
  bool longRow = false;
  for (std::size_t i = 0; i < atoms.types.size(); ++i) longRow = longRow || list.rowPtr[i + 1] - list.rowPtr[i] > 2 * polymorph::kPairBatch;
  CHECK(longRow);
  const ToyKernel kernel{atoms.types.data()};
  const Sums reference = plain(kernel, atoms.x.data(), cell, list, atoms.types.size());
  CHECK(std::fabs(reference.energy) > 0.0);
  compare(reference, batched(kernel, atoms.x.data(), cell, list, atoms.types.size(), false, 1));
  compare(reference, batched(kernel, atoms.x.data(), cell, list, atoms.types.size(), false, 3));
}

TEST_CASE("pair batch: open cluster and a list with stored vectors") {
  const Random atoms = randomAtoms(300, 14.0, 5);
  const NeighborListData lean = halfList(atoms, nullptr, false, 4.5, false);
  const NeighborListData stored = halfList(atoms, nullptr, false, 4.5, true);
  const ToyKernel kernel{atoms.types.data()};
  const Sums reference = plain(kernel, atoms.x.data(), nullptr, lean, atoms.types.size());
  compare(reference, batched(kernel, atoms.x.data(), nullptr, lean, atoms.types.size(), false, 1));
  compare(reference, batched(kernel, atoms.x.data(), nullptr, stored, atoms.types.size(), true, 2));
  // Type pair (1, 1) has no cutoff: zeroing its parameter changes nothing.
  ToyKernel zero = kernel;
  zero.a[3] = 0.0;
  compare(reference, batched(zero, atoms.x.data(), nullptr, lean, atoms.types.size(), false, 1));
}

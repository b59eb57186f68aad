// Neighbour list vs brute force on random triclinic cells, slabs and clusters; error handling.
#include <algorithm>
#include <random>
#include <tuple>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::NeighborListData;
using polymorph::NeighborListInput;

struct System {
  std::vector<double> positions;
  std::vector<double> cell;
  bool pbc[3];
};

System randomSystem(std::mt19937_64& rng, int n, bool pbc0, bool pbc1, bool pbc2) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  System s;
  // Skewed cell, rows = lattice vectors.
  s.cell = {5.0 + 3 * u(rng), 0.0, 0.0, 2.0 * u(rng) - 1.0, 4.0 + 3 * u(rng), 0.0,
            2.0 * u(rng) - 1.0, 2.0 * u(rng) - 1.0, 4.5 + 3 * u(rng)};
  // Rotate it so that it is not lower-triangular.
  const double c = std::cos(0.7), sn = std::sin(0.7);
  for (int r = 0; r < 3; ++r) {
    const double x = s.cell[3 * r], y = s.cell[3 * r + 1];
    s.cell[3 * r] = c * x - sn * y;
    s.cell[3 * r + 1] = sn * x + c * y;
  }
  s.pbc[0] = pbc0; s.pbc[1] = pbc1; s.pbc[2] = pbc2;
  for (int i = 0; i < n; ++i) {
    // Some atoms outside the cell to exercise wrapping.
    const double f[3] = {1.4 * u(rng) - 0.2, 1.4 * u(rng) - 0.2, 1.4 * u(rng) - 0.2};
    for (int a = 0; a < 3; ++a)
      s.positions.push_back(f[0] * s.cell[a] + f[1] * s.cell[3 + a] + f[2] * s.cell[6 + a]);
  }
  return s;
}

using Pair = std::tuple<int, int, int, int, int>;  // i, j, S

// The representative of {(i, j, S), (j, i, -S)} used to compare half lists.
bool canonical(int i, int j, int a, int b, int c) {
  return i < j || (i == j && (a > 0 || (a == 0 && (b > 0 || (b == 0 && c > 0)))));
}

std::vector<Pair> bruteForce(const System& s, double cutoff, bool full, std::vector<double>* vecs = nullptr) {
  polymorph::Mat3 m;
  std::copy(s.cell.begin(), s.cell.end(), m.begin());
  int range[3];
  for (int k = 0; k < 3; ++k) range[k] = s.pbc[k] ? static_cast<int>(std::ceil(cutoff / polymorph::planeSpacing(m, k))) + 2 : 0;
  const int n = static_cast<int>(s.positions.size() / 3);
  std::vector<Pair> out;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int a = -range[0]; a <= range[0]; ++a)
        for (int b = -range[1]; b <= range[1]; ++b)
          for (int c = -range[2]; c <= range[2]; ++c) {
            if (i == j && a == 0 && b == 0 && c == 0) continue;
            if (!full && !canonical(i, j, a, b, c)) continue;
            double d2 = 0;
            for (int x = 0; x < 3; ++x) {
              const double v = s.positions[3 * j + x] + a * m[x] + b * m[3 + x] + c * m[6 + x] - s.positions[3 * i + x];
              d2 += v * v;
            }
            if (d2 < cutoff * cutoff) out.emplace_back(i, j, a, b, c);
          }
  std::sort(out.begin(), out.end());
  return out;
}

// Listed pairs; for a half list each is put in canonical form, so a pair listed twice shows up.
std::vector<Pair> listed(const NeighborListData& d, bool full = true) {
  std::vector<Pair> out;
  for (std::size_t i = 0; i + 1 < d.rowPtr.size(); ++i)
    for (int p = d.rowPtr[i]; p < d.rowPtr[i + 1]; ++p) {
      const int ii = static_cast<int>(i), j = d.neighbors[p];
      const int a = d.shifts[3 * p], b = d.shifts[3 * p + 1], c = d.shifts[3 * p + 2];
      if (full || canonical(ii, j, a, b, c)) out.emplace_back(ii, j, a, b, c);
      else out.emplace_back(j, ii, -a, -b, -c);
    }
  std::sort(out.begin(), out.end());
  return out;
}

void compare(const System& s, double cutoff, bool full) {
  NeighborListInput in;
  in.positions = s.positions.data();
  in.n = s.positions.size() / 3;
  in.cell = s.cell.data();
  for (int k = 0; k < 3; ++k) in.pbc[k] = s.pbc[k];
  in.cutoff = cutoff;
  in.full = full;
  const NeighborListData d = polymorph::buildNeighborList(in);
  CHECK(listed(d, full) == bruteForce(s, cutoff, full));
  // Vectors and distances agree with the positions and shifts.
  for (std::size_t i = 0; i + 1 < d.rowPtr.size(); ++i)
    for (int p = d.rowPtr[i]; p < d.rowPtr[i + 1]; ++p) {
      const int j = d.neighbors[p];
      double d2 = 0;
      for (int x = 0; x < 3; ++x) {
        const double v = s.positions[3 * j + x] + d.shifts[3 * p] * s.cell[x] + d.shifts[3 * p + 1] * s.cell[3 + x] +
                         d.shifts[3 * p + 2] * s.cell[6 + x] - s.positions[3 * i + x];
        CHECK_NEAR(d.vectors[3 * p + x], v, 1e-11);
        d2 += v * v;
      }
      CHECK_NEAR(d.distances[p], std::sqrt(d2), 1e-11);
    }
}
}  // namespace

TEST_CASE("neighbor list: periodic triclinic, cutoffs below and above half the cell") {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 6; ++trial) {
    const System s = randomSystem(rng, 40, true, true, true);
    for (double cutoff : {2.0, 3.1, 4.7, 9.5}) {
      compare(s, cutoff, true);
      compare(s, cutoff, false);
    }
  }
}

TEST_CASE("neighbor list: slab and wire boundaries") {
  std::mt19937_64 rng(7);
  const bool cases[3][3] = {{true, true, false}, {false, true, false}, {true, false, true}};
  for (const auto& c : cases) {
    const System s = randomSystem(rng, 35, c[0], c[1], c[2]);
    for (double cutoff : {2.5, 6.0, 11.0}) {
      compare(s, cutoff, true);
      compare(s, cutoff, false);
    }
  }
}

TEST_CASE("neighbor list: open cluster without a cell") {
  std::mt19937_64 rng(3);
  System s = randomSystem(rng, 50, false, false, false);
  NeighborListInput in;
  in.positions = s.positions.data();
  in.n = 50;
  in.cutoff = 3.0;
  const auto d = polymorph::buildNeighborList(in);
  CHECK(listed(d) == bruteForce(s, 3.0, true));
}

TEST_CASE("neighbor list: one atom sees its own images") {
  System s;
  s.positions = {0.1, 0.2, 0.3};
  s.cell = {2.0, 0, 0, 0.3, 2.2, 0, 0.1, 0.2, 2.5};
  s.pbc[0] = s.pbc[1] = s.pbc[2] = true;
  compare(s, 5.0, true);
  compare(s, 5.0, false);
}

TEST_CASE("neighbor list: thread count does not change the result") {
  std::mt19937_64 rng(11);
  const System s = randomSystem(rng, 300, true, true, true);
  NeighborListInput in;
  in.positions = s.positions.data();
  in.n = 300;
  in.cell = s.cell.data();
  in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  in.cutoff = 4.0;
  const int before = polymorph::numThreads();
  polymorph::setNumThreads(1);
  const auto one = polymorph::buildNeighborList(in);
  polymorph::setNumThreads(2);
  const auto two = polymorph::buildNeighborList(in);
  polymorph::setNumThreads(before);
  CHECK(one.neighbors == two.neighbors);
  CHECK(one.shifts == two.shifts);
  CHECK(one.vectors == two.vectors);
}

TEST_CASE("neighbor list: bad input throws coded errors") {
  std::vector<double> pos = {0, 0, 0, 1, 0, 0};
  std::vector<double> cell = {1, 0, 0, 2, 0, 0, 0, 0, 1};  // singular
  NeighborListInput in;
  in.positions = pos.data();
  in.n = 2;
  in.cutoff = 2.0;
  in.cell = cell.data();
  in.pbc[0] = true;
  CHECK_THROWS_CODE(polymorph::buildNeighborList(in), "E_CELL");
  in.cell = nullptr;
  CHECK_THROWS_CODE(polymorph::buildNeighborList(in), "E_CELL");
  in.pbc[0] = false;
  in.cutoff = -1;
  CHECK_THROWS_CODE(polymorph::buildNeighborList(in), "E_VALUE");
  in.cutoff = 1.5;
  pos[4] = std::nan("");
  CHECK_THROWS_CODE(polymorph::buildNeighborList(in), "E_VALUE");
}

TEST_CASE("ParallelExceptions: an exception inside an OpenMP region is re-thrown after it") {
  polymorph::ParallelExceptions guard;
  int ran = 0;
#pragma omp parallel for num_threads(2) reduction(+ : ran)
  for (int i = 0; i < 100; ++i) {
    guard.run([&] {
      ++ran;
      if (i == 57) throw polymorph::Error("E_VALUE", "item 57 is bad");
    });
  }
  CHECK(ran == 100);  // the other iterations still ran; nothing escaped the region
  CHECK(guard.failed());
  CHECK_THROWS_CODE(guard.rethrow(), "E_VALUE");
}

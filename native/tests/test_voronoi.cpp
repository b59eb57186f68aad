// Voronoi cells: fcc/bcc/hcp face counts and volumes, volumes tiling a rattled triclinic cell,
// face areas symmetric between neighbours, open clusters (closed centre, bounded surface cells),
// thread independence, input errors.
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "core/threads.hpp"
#include "core/voronoi.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::VoronoiInput;
using polymorph::VoronoiTessellation;

struct Crystal {
  std::vector<double> positions, cell;
  VoronoiInput input(bool periodic = true) const {
    VoronoiInput in;
    in.positions = positions.data();
    in.n = positions.size() / 3;
    in.cell = cell.data();
    for (int a = 0; a < 3; ++a) in.pbc[a] = periodic;
    return in;
  }
  double volume() const {
    const double* c = cell.data();
    return std::fabs(c[0] * (c[4] * c[8] - c[5] * c[7]) - c[1] * (c[3] * c[8] - c[5] * c[6]) + c[2] * (c[3] * c[7] - c[4] * c[6]));
  }
};

// A supercell reps³ of a cell with fractional basis.
Crystal build(const std::vector<double>& cell, const std::vector<std::vector<double>>& basis, int reps) {
  Crystal c;
  for (int x = 0; x < reps; ++x)
    for (int y = 0; y < reps; ++y)
      for (int z = 0; z < reps; ++z)
        for (const auto& f : basis) {
          const double s[3] = {(f[0] + x) / reps, (f[1] + y) / reps, (f[2] + z) / reps};
          for (int a = 0; a < 3; ++a) c.positions.push_back(s[0] * cell[a] * reps + s[1] * cell[3 + a] * reps + s[2] * cell[6 + a] * reps);
        }
  for (double v : cell) c.cell.push_back(v * reps);
  return c;
}

Crystal fcc(double a, int reps) {
  return build({a, 0, 0, 0, a, 0, 0, 0, a}, {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}}, reps);
}
Crystal bcc(double a, int reps) { return build({a, 0, 0, 0, a, 0, 0, 0, a}, {{0, 0, 0}, {.5, .5, .5}}, reps); }
Crystal hcp(double a, int reps) {
  const double c = std::sqrt(8.0 / 3.0) * a;
  return build({a, 0, 0, -a / 2, a * std::sqrt(3.0) / 2, 0, 0, 0, c}, {{1. / 3, 2. / 3, .25}, {2. / 3, 1. / 3, .75}}, reps);
}

void checkAllFaces(const VoronoiTessellation& t, int faces, double volume) {
  for (std::size_t i = 0; i + 1 < t.rowPtr.size(); ++i) {
    CHECK(t.rowPtr[i + 1] - t.rowPtr[i] == faces);
    CHECK_NEAR(t.volumes[i], volume, 1e-9 * volume);
    CHECK(t.openArea[i] == 0.0);
  }
}

TEST_CASE("voronoi: fcc, bcc, hcp face counts and volumes") {
  const Crystal f = fcc(4.05, 3);
  checkAllFaces(polymorph::voronoiTessellation(f.input()), 12, 4.05 * 4.05 * 4.05 / 4);
  const Crystal b = bcc(3.3, 3);
  checkAllFaces(polymorph::voronoiTessellation(b.input()), 14, 3.3 * 3.3 * 3.3 / 2);
  const Crystal h = hcp(3.0, 3);
  checkAllFaces(polymorph::voronoiTessellation(h.input()), 12, h.volume() / (h.positions.size() / 3));
  // A primitive (one-atom) fcc cell: every neighbour is an image of the atom itself.
  const double a = 4.0;
  Crystal p;
  p.positions = {0.1, 0.2, 0.3};
  p.cell = {0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0};
  const VoronoiTessellation t = polymorph::voronoiTessellation(p.input());
  CHECK(t.rowPtr[1] == 12);
  CHECK_NEAR(t.volumes[0], a * a * a / 4, 1e-9);
}

TEST_CASE("voronoi: rattled triclinic cell — volumes tile the cell, areas symmetric, threads bitwise") {
  Crystal c = fcc(4.0, 3);
  // Shear the cell (triclinic) and rattle.
  polymorph::Random random(7);
  const double shear[9] = {1, 0, 0, 0.21, 1, 0, -0.13, 0.17, 1};
  std::vector<double> cell(9, 0.0);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) cell[3 * i + j] += shear[3 * i + k] * c.cell[3 * k + j];
  const std::size_t n = c.positions.size() / 3;
  std::vector<double> frac(3 * n);
  for (std::size_t i = 0; i < n; ++i)
    for (int a = 0; a < 3; ++a) frac[3 * i + a] = c.positions[3 * i + a] / c.cell[4 * a];
  for (std::size_t i = 0; i < n; ++i)
    for (int a = 0; a < 3; ++a) {
      double x = 0;
      for (int k = 0; k < 3; ++k) x += frac[3 * i + k] * cell[3 * k + a];
      c.positions[3 * i + a] = x + 0.25 * random.normal();
    }
  c.cell = cell;
  polymorph::setNumThreads(1);
  const VoronoiTessellation t = polymorph::voronoiTessellation(c.input(), {0.0, 0.0});
  double sum = 0;
  for (double v : t.volumes) sum += v;
  CHECK_NEAR(sum, c.volume(), 1e-9 * c.volume());
  std::map<std::tuple<int, int, int, int, int>, double> area;
  for (std::size_t i = 0; i < n; ++i)
    for (int32_t p = t.rowPtr[i]; p < t.rowPtr[i + 1]; ++p)
      area[{int(i), t.neighbors[p], t.shifts[3 * p], t.shifts[3 * p + 1], t.shifts[3 * p + 2]}] = t.areas[p];
  for (const auto& [key, value] : area) {
    const auto& [i, j, s0, s1, s2] = key;
    const auto back = area.find({j, i, -s0, -s1, -s2});
    CHECK(back != area.end());
    CHECK_NEAR(back->second, value, 1e-9);
  }
  polymorph::setNumThreads(2);
  const VoronoiTessellation t2 = polymorph::voronoiTessellation(c.input(), {0.0, 0.0});
  CHECK(t2.areas == t.areas && t2.volumes == t.volumes && t2.neighbors == t.neighbors);
  polymorph::setNumThreads(0);
}

TEST_CASE("voronoi: a periodic slab with a vacuum gap — cells span the gap (more images), volumes tile") {
  // Two rattled fcc (001) layers in a periodic cell with 14 Å of vacuum along z: the cells of the
  // surface atoms reach half-way across the gap, beyond the images of the first pass.
  Crystal c = fcc(4.0, 3);
  polymorph::Random random(11);
  std::vector<double> positions;
  for (std::size_t i = 0; i < c.positions.size() / 3; ++i)
    if (c.positions[3 * i + 2] < 4.0 - 1e-9)
      for (int a = 0; a < 3; ++a) positions.push_back(c.positions[3 * i + a] + 0.1 * random.normal());
  c.positions = positions;
  c.cell[8] = 18.0;
  const VoronoiTessellation t = polymorph::voronoiTessellation(c.input(), {0.0, 0.0});
  CHECK(t.passes >= 2);
  double sum = 0;
  for (double v : t.volumes) sum += v;
  CHECK_NEAR(sum, c.volume(), 1e-9 * c.volume());
  for (double a : t.openArea) CHECK(a == 0.0);
  // The same slab, open along z: the cells are bounded by the boundary polyhedron instead.
  VoronoiInput open = c.input();
  open.pbc[2] = false;
  const VoronoiTessellation u = polymorph::voronoiTessellation(open, {0.0, 0.0});
  CHECK(u.passes == 1);
  for (double a : u.openArea) CHECK(a > 0.0);
}

TEST_CASE("voronoi: open cluster — closed centre, surface cells bounded by the open-boundary polyhedron") {
  // A 13-atom icosahedron (centre + 12 vertices at distance 2.5 Å).
  const double g = (1 + std::sqrt(5.0)) / 2, s = 2.5 / std::sqrt(1 + g * g);
  std::vector<double> positions = {0, 0, 0};
  for (int a = 0; a < 3; ++a)
    for (int p = -1; p <= 1; p += 2)
      for (int q = -1; q <= 1; q += 2) {
        double v[3];
        v[a] = 0, v[(a + 1) % 3] = p * s, v[(a + 2) % 3] = q * g * s;
        positions.insert(positions.end(), v, v + 3);
      }
  VoronoiInput in;
  in.positions = positions.data();
  in.n = 13;
  const VoronoiTessellation t = polymorph::voronoiTessellation(in);
  CHECK(t.rowPtr[1] == 12);
  CHECK(t.openArea[0] == 0.0);
  CHECK(t.openBoundary > 0);
  for (int i = 1; i < 13; ++i) {
    CHECK(t.openArea[i] > 0);
    CHECK(t.rowPtr[i + 1] - t.rowPtr[i] == 6);  // the centre and 5 vertex neighbours
    CHECK(t.volumes[i] < 8 * t.openBoundary * t.openBoundary * t.openBoundary);
  }
  // One atom alone: its cell is the 26-face polyhedron around the sphere of radius 3 Å, no
  // neighbours. Volume 4.777298809357996·h³ from scipy's HalfspaceIntersection + ConvexHull (qhull).
  in.n = 1;
  const VoronoiTessellation one = polymorph::voronoiTessellation(in, {1e-5, 3.0});
  CHECK(one.rowPtr[1] == 0);
  CHECK_NEAR(one.volumes[0], 4.777298809357996 * 27.0, 1e-9);
  CHECK_NEAR(one.openArea[0], 3 * one.volumes[0] / 3.0, 1e-9);  // V = area · h / 3
}

TEST_CASE("voronoi: errors") {
  VoronoiInput in;
  CHECK_THROWS_CODE(polymorph::voronoiTessellation(in), "E_EMPTY");
  std::vector<double> bad = {0, 0, NAN};
  in.positions = bad.data();
  in.n = 1;
  CHECK_THROWS_CODE(polymorph::voronoiTessellation(in), "E_VALUE");
  std::vector<double> ok = {0, 0, 0};
  in.positions = ok.data();
  CHECK_THROWS_CODE(polymorph::voronoiTessellation(in, {2.0, 0.0}), "E_VALUE");
  CHECK_THROWS_CODE(polymorph::voronoiTessellation(in, {1e-5, -1.0}), "E_VALUE");
  in.pbc[0] = true;
  CHECK_THROWS_CODE(polymorph::voronoiTessellation(in), "E_CELL");
}

}  // namespace

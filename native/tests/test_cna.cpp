// Common neighbour analysis: exact signatures of ideal fcc, hcp, bcc and an icosahedron (adaptive
// and fixed cutoff), one-cell-thin periodic cells, triclinic cells, rattled crystals, thread-count
// independence and input errors.
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "core/cna.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
using polymorph::CnaInput;
using polymorph::CnaLabel;
using polymorph::CnaResult;

struct Crystal {
  std::vector<double> positions;
  std::vector<double> cell;
};

// `basis` (fractional) in an a×b×c-repeated cell with rows `rows` (Å).
Crystal lattice(const std::vector<std::vector<double>>& rows, const std::vector<std::vector<double>>& basis, int na, int nb, int nc) {
  Crystal out;
  for (int x = 0; x < na; ++x)
    for (int y = 0; y < nb; ++y)
      for (int z = 0; z < nc; ++z)
        for (const auto& f : basis)
          for (int a = 0; a < 3; ++a) out.positions.push_back((x + f[0]) * rows[0][a] + (y + f[1]) * rows[1][a] + (z + f[2]) * rows[2][a]);
  for (int a = 0; a < 3; ++a) out.cell.push_back(na * rows[0][a]);
  for (int a = 0; a < 3; ++a) out.cell.push_back(nb * rows[1][a]);
  for (int a = 0; a < 3; ++a) out.cell.push_back(nc * rows[2][a]);
  return out;
}

Crystal fcc(int n, double a = 4.05) {
  return lattice({{a, 0, 0}, {0, a, 0}, {0, 0, a}}, {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}}, n, n, n);
}
Crystal bcc(int n, double a = 2.87) { return lattice({{a, 0, 0}, {0, a, 0}, {0, 0, a}}, {{0, 0, 0}, {0.5, 0.5, 0.5}}, n, n, n); }
Crystal hcp(int n, double a = 3.21) {
  const double c = std::sqrt(8.0 / 3.0) * a;
  return lattice({{a, 0, 0}, {-0.5 * a, 0.5 * std::sqrt(3.0) * a, 0}, {0, 0, c}}, {{1.0 / 3, 2.0 / 3, 0.25}, {2.0 / 3, 1.0 / 3, 0.75}}, n, n, n);
}

CnaResult analyse(const Crystal& c, bool adaptive, double cutoff = 0.0, bool periodic = true) {
  CnaInput in;
  in.positions = c.positions.data(), in.n = c.positions.size() / 3;
  if (periodic) in.cell = c.cell.data(), in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  in.adaptive = adaptive, in.cutoff = cutoff;
  return polymorph::commonNeighborAnalysis(in);
}

int count(const CnaResult& r, CnaLabel label) {
  int c = 0;
  for (int8_t l : r.labels) c += l == static_cast<int8_t>(label);
  return c;
}

// Signature multiset of atom i: (cn, b, lcb) → count.
std::map<std::tuple<int, int, int>, int> signature(const CnaResult& r, std::size_t i) {
  std::map<std::tuple<int, int, int>, int> m;
  for (int32_t p = r.rowPtr[i]; p < r.rowPtr[i + 1]; ++p) ++m[{r.signatures[3 * p], r.signatures[3 * p + 1], r.signatures[3 * p + 2]}];
  return m;
}

}  // namespace

TEST_CASE("cna: ideal fcc, hcp and bcc have their exact signatures, adaptive and with a cutoff between the shells") {
  const Crystal f = fcc(3), h = hcp(4), b = bcc(4);
  for (bool adaptive : {true, false}) {
    const CnaResult rf = analyse(f, adaptive, 0.5 * (1 + std::sqrt(2.0)) * 4.05 / std::sqrt(2.0));
    const CnaResult rh = analyse(h, adaptive, 0.5 * (1 + std::sqrt(2.0)) * 3.21);
    const CnaResult rb = analyse(b, adaptive, 0.5 * (2.87 + 2.87 * std::sqrt(2.0)));  // between the 2nd (a) and 3rd (a√2) shells
    CHECK(count(rf, CnaLabel::kFcc) == static_cast<int>(rf.labels.size()));
    CHECK(count(rh, CnaLabel::kHcp) == static_cast<int>(rh.labels.size()));
    CHECK(count(rb, CnaLabel::kBcc) == static_cast<int>(rb.labels.size()));
    using S = std::map<std::tuple<int, int, int>, int>;
    CHECK((signature(rf, 5) == S{{{4, 2, 1}, 12}}));
    CHECK((signature(rh, 3) == S{{{4, 2, 1}, 6}, {{4, 2, 2}, 6}}));
    CHECK((signature(rb, 7) == S{{{6, 6, 6}, 8}, {{4, 4, 4}, 6}}));
  }
}

TEST_CASE("cna: an icosahedron's centre is (5,5,5) ×12; its surface atoms are other") {
  const double g = 0.5 * (1 + std::sqrt(5.0));
  Crystal ico;
  ico.positions = {0, 0, 0};
  for (double s : {1.0, -1.0})
    for (double t : {1.0, -1.0}) {
      for (double v : {0.0, s, t * g}) ico.positions.push_back(v * 1.4);
      for (double v : {s, t * g, 0.0}) ico.positions.push_back(v * 1.4);
      for (double v : {t * g, 0.0, s}) ico.positions.push_back(v * 1.4);
    }
  for (bool adaptive : {true, false}) {
    const CnaResult r = analyse(ico, adaptive, 1.4 * 2.4, false);
    CHECK(r.labels[0] == static_cast<int8_t>(CnaLabel::kIcosahedral));
    CHECK((signature(r, 0) == std::map<std::tuple<int, int, int>, int>{{{5, 5, 5}, 12}}));
    for (std::size_t i = 1; i < 13; ++i) CHECK(r.labels[i] == static_cast<int8_t>(CnaLabel::kOther));
  }
}

TEST_CASE("cna: one-cell-thin and triclinic periodic cells (images of an atom's own cell) are labelled right") {
  // The conventional fcc cell alone (4 atoms, 4.05 Å): every neighbour is an image.
  CHECK(count(analyse(fcc(1), true), CnaLabel::kFcc) == 4);
  CHECK(count(analyse(fcc(1), false, 3.5), CnaLabel::kFcc) == 4);
  // The primitive (triclinic, 60°) fcc cell: one atom.
  const double a = 4.05;
  Crystal primitive = lattice({{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}}, {{0, 0, 0}}, 1, 1, 1);
  CHECK(count(analyse(primitive, true), CnaLabel::kFcc) == 1);
  // The primitive hcp cell (2 atoms) and a one-atom bcc primitive cell.
  CHECK(count(analyse(hcp(1), true), CnaLabel::kHcp) == 2);
  Crystal bccPrimitive = lattice({{-1.435, 1.435, 1.435}, {1.435, -1.435, 1.435}, {1.435, 1.435, -1.435}}, {{0, 0, 0}}, 1, 1, 1);
  CHECK(count(analyse(bccPrimitive, true), CnaLabel::kBcc) == 1);
}

TEST_CASE("cna: adaptive labels ≥ 95 % right in fcc, hcp, bcc rattled by 5 % of the nearest-neighbour distance; 1 thread = 2 threads") {
  const int saved = polymorph::numThreads();
  std::mt19937_64 rng(7);
  struct Case { Crystal c; double nn; CnaLabel label; };
  std::vector<Case> cases = {{fcc(6), 4.05 / std::sqrt(2.0), CnaLabel::kFcc}, {hcp(7), 3.21, CnaLabel::kHcp}, {bcc(8), 2.87 * std::sqrt(3.0) / 2, CnaLabel::kBcc}};
  for (Case& k : cases) {
    // Gaussian displacements with an rms displacement of 5 % of the nearest-neighbour distance.
    std::normal_distribution<double> normal(0.0, 0.05 * k.nn / std::sqrt(3.0));
    for (double& x : k.c.positions) x += normal(rng);
    polymorph::setNumThreads(1);
    const CnaResult one = analyse(k.c, true);
    polymorph::setNumThreads(2);
    const CnaResult two = analyse(k.c, true);
    CHECK(one.labels == two.labels);
    CHECK(one.signatures == two.signatures);
    CHECK(one.neighbors == two.neighbors);
    const double right = static_cast<double>(count(one, k.label)) / static_cast<double>(one.labels.size());
    CHECK(right >= 0.95);
  }
  polymorph::setNumThreads(saved);
}

TEST_CASE("cna: bad input is a typed error") {
  Crystal empty;
  CnaInput in;
  CHECK_THROWS_CODE(polymorph::commonNeighborAnalysis(in), "E_EMPTY");
  Crystal f = fcc(1);
  CHECK_THROWS_CODE(analyse(f, false, 0.0), "E_VALUE");
  f.positions[4] = NAN;
  CHECK_THROWS_CODE(analyse(f, true), "E_VALUE");
  Crystal g = fcc(1);
  in.positions = g.positions.data(), in.n = 4, in.pbc[0] = true;
  CHECK_THROWS_CODE(polymorph::commonNeighborAnalysis(in), "E_CELL");
}

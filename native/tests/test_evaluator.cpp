// Native evaluators: a sum evaluates on one neighbour-list build; caller lists (half, full,
// lean, with skin) give the results of a fresh build; derived lists match fresh full lists;
// memory limits refuse huge lists quickly.
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/buckingham.hpp"
#include "core/coulomb.hpp"
#include "core/error.hpp"
#include "core/evaluator.hpp"
#include "core/ewald.hpp"
#include "core/lennard_jones.hpp"
#include "core/neighbor_list.hpp"
#include "tests/test.hpp"

namespace {
using namespace polymorph;

// Rattled rocksalt ZnO-like ions (Z = 30, 8) in a cubic cell of 4×4×4 conventional cells (512 ions).
struct Ions {
  std::vector<double> positions, cell;
  std::vector<int32_t> numbers;
  SystemView view() const {
    SystemView s;
    s.positions = positions.data();
    s.n = numbers.size();
    s.numbers = numbers.data();
    s.cell = cell.data();
    s.pbc[0] = s.pbc[1] = s.pbc[2] = true;
    return s;
  }
};

Ions rocksalt(double a, int reps, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-0.05, 0.05);
  Ions ions;
  const double L = a * reps;
  ions.cell = {L, 0, 0, 0, L, 0, 0, 0, L};
  for (int x = 0; x < 2 * reps; ++x)
    for (int y = 0; y < 2 * reps; ++y)
      for (int z = 0; z < 2 * reps; ++z) {
        ions.positions.insert(ions.positions.end(), {x * a / 2 + u(rng), y * a / 2 + u(rng), z * a / 2 + u(rng)});
        ions.numbers.push_back((x + y + z) % 2 == 0 ? 30 : 8);
      }
  return ions;
}

std::shared_ptr<Evaluator> buckinghamZnO() {
  BuckinghamParameters p;
  p.types = 2;  // type 0 = O (Z 8), type 1 = Zn (Z 30)
  p.a = {9547.96, 529.70, 529.70, 0.0};
  p.rho = {0.21916, 0.3581, 0.3581, 1.0};
  p.c = {32.0, 0.0, 0.0, 0.0};
  p.cutoff = {8.0, 8.0, 8.0, 8.0};
  return makeBuckinghamEvaluator(p, {8, 30});
}

std::shared_ptr<Evaluator> ewaldZnO(bool pme) {
  EwaldParameters p;
  p.alpha = 0.35;
  p.cutoff = 9.0;
  p.kCutoff = 2.2;
  p.pme = pme;
  p.grid[0] = p.grid[1] = p.grid[2] = 32;
  p.order = 6;
  return makeEwaldEvaluator(p, ChargeTable({8, 30}, {-2.0, 2.0}));
}

double relativeDifference(const Evaluation& a, const Evaluation& b) {
  double worst = std::fabs(a.energy - b.energy) / std::fabs(b.energy);
  double scale = 0.0;
  for (double f : b.forces) scale = std::max(scale, std::fabs(f));
  for (std::size_t k = 0; k < a.forces.size(); ++k) worst = std::max(worst, std::fabs(a.forces[k] - b.forces[k]) / scale);
  return worst;
}

NeighborListData listOf(const Ions& ions, double cutoff, bool full, bool vectors) {
  NeighborListInput in;
  in.positions = ions.positions.data();
  in.n = ions.numbers.size();
  in.cell = ions.cell.data();
  in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  in.cutoff = cutoff;
  in.full = full;
  in.storeVectors = vectors;
  return buildNeighborList(in);
}

}  // namespace

TEST_CASE("evaluator: a native sum evaluates with exactly one neighbour-list build per call") {
  const Ions ions = rocksalt(4.28, 4, 1);
  for (bool pme : {false, true}) {
    SumEvaluator sum({buckinghamZnO(), ewaldZnO(pme)}, {1.0, 1.0});
    CHECK_NEAR(sum.cutoff(), 9.0, 0.0);
    const auto before = neighborListBuildCount();
    const Evaluation total = evaluateSystem(sum, ions.view(), true, true, true, nullptr);
    CHECK(neighborListBuildCount() - before == 1);
    // The sum equals its terms evaluated one by one (each building its own list).
    auto b = buckinghamZnO();
    auto e = ewaldZnO(pme);
    const Evaluation one = evaluateSystem(*b, ions.view(), true, true, true, nullptr);
    const Evaluation two = evaluateSystem(*e, ions.view(), true, true, true, nullptr);
    CHECK_NEAR(total.energy, one.energy + two.energy, 1e-12 * std::fabs(total.energy));
    for (std::size_t k = 0; k < total.forces.size(); ++k) CHECK_NEAR(total.forces[k], one.forces[k] + two.forces[k], 1e-10);
    for (int k = 0; k < 9; ++k) CHECK_NEAR(total.stress[k], one.stress[k] + two.stress[k], 1e-12);
    // On a caller's list: no build at all.
    const NeighborListData list = listOf(ions, 9.5, false, false);
    const auto again = neighborListBuildCount();
    const Evaluation shared = evaluateSystem(sum, ions.view(), true, false, false, &list);
    CHECK(neighborListBuildCount() == again);
    CHECK(relativeDifference(shared, total) < 1e-12);
  }
}

TEST_CASE("evaluator: evaluate() without a list builds what each term needs (a direct C++ caller)") {
  const Ions ions = rocksalt(4.28, 3, 6);
  SumEvaluator sum({buckinghamZnO(), ewaldZnO(true)}, {1.0, 1.0});
  const Evaluation reference = evaluateSystem(sum, ions.view(), true, false, false, nullptr);
  std::vector<double> forces(3 * ions.numbers.size());
  EvaluationRequest request;
  request.forces = true;
  EvaluationOutput out;
  out.forces = forces.data();
  sum.evaluate(ions.view(), nullptr, request, out);
  CHECK_NEAR(out.energy, reference.energy, 1e-12 * std::fabs(reference.energy));
  for (std::size_t k = 0; k < forces.size(); ++k) CHECK_NEAR(forces[k], reference.forces[k], 1e-10);
}

TEST_CASE("evaluator: half, full, lean and vector lists give the results of a fresh build") {
  const Ions ions = rocksalt(4.28, 3, 2);
  SumEvaluator sum({buckinghamZnO(), ewaldZnO(false)}, {1.0, 0.5});
  const Evaluation fresh = evaluateSystem(sum, ions.view(), true, true, true, nullptr);
  for (bool full : {false, true})
    for (bool vectors : {false, true}) {
      const NeighborListData list = listOf(ions, 10.0, full, vectors);
      const Evaluation r = evaluateSystem(sum, ions.view(), true, true, true, &list);
      CHECK(relativeDifference(r, fresh) < 1e-12);
    }
}

TEST_CASE("evaluator: a Verlet list reused while atoms move less than skin/2 matches fresh builds") {
  Ions ions = rocksalt(4.28, 3, 3);
  auto b = buckinghamZnO();
  const NeighborListData list = listOf(ions, 8.0 + 1.0, false, false);  // skin 1 Å
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-0.01, 0.01);
  for (int step = 0; step < 20; ++step) {
    for (double& x : ions.positions) x += u(rng);
    const Evaluation reused = evaluateSystem(*b, ions.view(), true, false, false, &list);
    const Evaluation fresh = evaluateSystem(*b, ions.view(), true, false, false, nullptr);
    CHECK(relativeDifference(reused, fresh) < 1e-12);
  }
}

TEST_CASE("evaluator: lists that are too short or for another atom count are E_VALUE; elements are checked") {
  const Ions ions = rocksalt(4.28, 3, 4);
  auto b = buckinghamZnO();
  const NeighborListData shortList = listOf(ions, 6.0, false, false);
  CHECK_THROWS_CODE(evaluateSystem(*b, ions.view(), false, false, false, &shortList), "E_VALUE");
  const Ions other = rocksalt(4.28, 2, 4);
  const NeighborListData otherList = listOf(other, 9.0, false, false);
  CHECK_THROWS_CODE(evaluateSystem(*b, ions.view(), false, false, false, &otherList), "E_VALUE");
  Ions wrong = ions;
  wrong.numbers[5] = 11;  // Na: not covered
  CHECK_THROWS_CODE(evaluateSystem(*b, wrong.view(), false, false, false, nullptr), "E_ELEMENT");
  auto e = makeEwaldEvaluator(EwaldParameters{0.35, 9.0, 2.2}, ChargeTable());
  CHECK_THROWS_CODE(evaluateSystem(*e, ions.view(), false, false, false, nullptr), "E_VALUE");  // no per-atom charges
}

TEST_CASE("neighbour list: derived full lists equal fresh full lists; lean lists store 16 bytes a pair") {
  const Ions ions = rocksalt(4.28, 3, 5);
  const NeighborListData half = listOf(ions, 7.0, false, false);
  CHECK(half.vectors.size() == 0 && half.distances.size() == 0);
  CHECK(!half.hasVectors());
  NeighborListData derived;
  deriveNeighborList(half, ions.positions.data(), ions.cell.data(), ions.numbers.size(), 6.0, true, 1.0, derived);
  const NeighborListData fresh = listOf(ions, 6.0, true, true);
  CHECK(derived.neighbors.size() == fresh.neighbors.size());
  for (std::size_t i = 0; i < ions.numbers.size(); ++i) {
    CHECK(derived.rowPtr[i + 1] - derived.rowPtr[i] == fresh.rowPtr[i + 1] - fresh.rowPtr[i]);
    double sumA = 0, sumB = 0;
    for (int32_t p = derived.rowPtr[i]; p < derived.rowPtr[i + 1]; ++p) sumA += derived.distances[p];
    for (int32_t p = fresh.rowPtr[i]; p < fresh.rowPtr[i + 1]; ++p) sumB += fresh.distances[p];
    CHECK_NEAR(sumA, sumB, 1e-9);
  }
}

TEST_CASE("neighbour list: a cutoff of 1e4 Å on a 4-atom cell is refused within a second, before allocating") {
  NeighborListInput in;
  const double positions[12] = {0, 0, 0, 1.6, 0.9, 2.6, 0, 0, 2.0, 1.6, 0.9, 4.6};
  const double cell[9] = {3.25, 0, 0, -1.625, 2.815, 0, 0, 0, 5.2};
  in.positions = positions;
  in.n = 4;
  in.cell = cell;
  in.pbc[0] = in.pbc[1] = in.pbc[2] = true;
  in.cutoff = 1e4;
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_CODE(buildNeighborList(in), "E_VALUE");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 1.0);
  // The estimate is close to the true count for a normal cutoff (within 20 %).
  in.cutoff = 12.0;
  in.full = true;
  const double estimate = estimatedPairs(in);
  const NeighborListData list = buildNeighborList(in);
  CHECK(std::fabs(estimate / static_cast<double>(list.neighbors.size()) - 1.0) < 0.2);
  // A lower limit refuses what the default accepts.
  in.memoryLimit = 1e3;
  CHECK_THROWS_CODE(buildNeighborList(in), "E_VALUE");
}

TEST_CASE("firstNonFinite finds the first NaN or infinity, and count when all are finite") {
  std::vector<double> v(1001, 1.5);
  CHECK(polymorph::firstNonFinite(v.data(), v.size()) == v.size());
  CHECK(polymorph::firstNonFinite(v.data(), 0) == 0);
  v[700] = std::numeric_limits<double>::infinity();
  v[900] = std::numeric_limits<double>::quiet_NaN();
  CHECK(polymorph::firstNonFinite(v.data(), v.size()) == 700);
  v[700] = -1e308;  // large but finite
  CHECK(polymorph::firstNonFinite(v.data(), v.size()) == 900);
  v[3] = -std::numeric_limits<double>::infinity();
  CHECK(polymorph::firstNonFinite(v.data(), v.size()) == 3);
}

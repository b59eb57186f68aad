// A warm evaluation allocates nothing: every pair and charge evaluator (Lennard-Jones,
// Buckingham, Coulomb direct and DSF, Ewald, PME, and their sum) evaluated on a caller's list
// into caller buffers, a third time with the same thread count, makes no call to operator new.
// The test binary counts them by replacing the global operator new and delete (every form, so
// that sanitizer builds see matching pairs).
#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#include "core/buckingham.hpp"
#include "core/coulomb.hpp"
#include "core/evaluator.hpp"
#include "core/ewald.hpp"
#include "core/lennard_jones.hpp"
#include "core/neighbor_list.hpp"
#include "core/threads.hpp"
#include "tests/test.hpp"

namespace {
std::atomic<long> allocations{0};

void* allocate(std::size_t size, std::size_t alignment) {
  ++allocations;
  void* p = nullptr;
  if (alignment <= alignof(std::max_align_t)) p = std::malloc(size == 0 ? 1 : size);
  else p = std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(std::size_t size) { return allocate(size, 0); }
void* operator new[](std::size_t size) { return allocate(size, 0); }
void* operator new(std::size_t size, std::align_val_t a) { return allocate(size, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t size, std::align_val_t a) { return allocate(size, static_cast<std::size_t>(a)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size, 0);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return allocate(size, static_cast<std::size_t>(a));
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t& tag) noexcept { return operator new(size, a, tag); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {
using namespace polymorph;

struct Ions {
  std::vector<double> positions, cell;
  std::vector<int32_t> numbers;
};

// Rattled rocksalt ZnO-like ions (Z = 30, 8), 4×4×4 conventional cells (512 ions).
Ions rocksalt() {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-0.05, 0.05);
  const double a = 4.3;
  Ions ions;
  ions.cell = {4 * a, 0, 0, 0, 4 * a, 0, 0, 0, 4 * a};
  for (int x = 0; x < 8; ++x)
    for (int y = 0; y < 8; ++y)
      for (int z = 0; z < 8; ++z) {
        ions.positions.insert(ions.positions.end(), {x * a / 2 + u(rng), y * a / 2 + u(rng), z * a / 2 + u(rng)});
        ions.numbers.push_back((x + y + z) % 2 == 0 ? 30 : 8);
      }
  return ions;
}

std::vector<std::shared_ptr<Evaluator>> evaluators(bool periodic) {
  const ChargeTable charges({8, 30}, {-2.0, 2.0});
  BuckinghamParameters b;
  b.types = 2;
  b.a = {9547.96, 529.70, 529.70, 0.0}, b.rho = {0.21916, 0.3581, 0.3581, 1.0}, b.c = {32.0, 0.0, 0.0, 0.0};
  b.cutoff = {8.0, 8.0, 8.0, 8.0};
  LennardJonesParameters l;
  l.types = 2;
  l.epsilon = {0.01, 0.012, 0.012, 0.014}, l.sigma = {3.0, 3.1, 3.1, 3.2}, l.cutoff = {7.0, 7.0, 7.0, 7.0};
  CoulombParameters dsf;
  dsf.dsf = true, dsf.alpha = 0.2, dsf.cutoff = 8.0;
  std::vector<std::shared_ptr<Evaluator>> out = {makeBuckinghamEvaluator(b, {8, 30}), makeLennardJonesEvaluator(l, {8, 30}),
                                                 makeCoulombEvaluator(dsf, charges)};
  if (!periodic) {
    out.push_back(makeCoulombEvaluator(CoulombParameters(), charges));
    return out;
  }
  for (bool pme : {false, true}) {
    EwaldParameters e;
    e.alpha = 0.35, e.cutoff = 8.0, e.kCutoff = 2.2, e.pme = pme, e.order = 6;
    e.grid[0] = e.grid[1] = e.grid[2] = 30;
    out.push_back(makeEwaldEvaluator(e, charges));
  }
  out.push_back(std::make_shared<SumEvaluator>(std::vector<std::shared_ptr<Evaluator>>{out[0], out[4]}, std::vector<double>{1.0, 1.0}));
  return out;
}

void checkNoAllocation(bool periodic) {
  Ions ions = rocksalt();
  SystemView s;
  s.positions = ions.positions.data(), s.n = ions.numbers.size(), s.numbers = ions.numbers.data();
  if (periodic) s.cell = ions.cell.data(), s.pbc[0] = s.pbc[1] = s.pbc[2] = true;
  NeighborListInput li;
  li.positions = s.positions, li.n = s.n, li.cell = s.cell, li.cutoff = 9.0, li.full = false, li.storeVectors = false;
  for (int k = 0; k < 3; ++k) li.pbc[k] = s.pbc[k];
  const NeighborListData list = buildNeighborList(li);
  std::vector<double> forces(3 * s.n), atomEnergies(s.n);
  EvaluationRequest request;
  request.forces = request.virial = request.atomEnergies = true;
  int failures = 0;
  for (int threads : {1, 2}) {
    setNumThreads(threads);
    for (const auto& evaluator : evaluators(periodic)) {
      EvaluationOutput out;
      out.forces = forces.data(), out.atomEnergies = atomEnergies.data();
      evaluator->evaluate(s, &list, request, out);  // warm: scratch memory grows to size
      evaluator->evaluate(s, &list, request, out);
      ions.positions[0] += 1e-3;  // a moved atom (same list)
      const long before = allocations.load();
      evaluator->evaluate(s, &list, request, out);
      const long made = allocations.load() - before;
      if (made != 0) {
        std::cout << "     " << evaluator->name() << " (" << threads << " threads) allocated " << made << " times\n";
        ++failures;
      }
      CHECK(std::isfinite(out.energy));
    }
  }
  setNumThreads(0);
  CHECK(failures == 0);
}

}  // namespace

TEST_CASE("warm evaluations allocate nothing: pair, Coulomb, Ewald, PME and sum evaluators (periodic)") {
  checkNoAllocation(true);
}

TEST_CASE("warm evaluations allocate nothing: pair and Coulomb evaluators (open cluster)") { checkNoAllocation(false); }

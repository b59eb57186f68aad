// Bindings of native evaluators (shapes in lib/core/native-types.ts):
//   evaluate(handle, system, want, list | null) → result
//   evaluateAsync(handle, system, want, list | null) → Promise<result>  (inputs copied at the call)
//   createSumEvaluator(handles[], weights Float64Array) → handle
//   evaluatorCutoff(handle) → Å;  neighborListBuildCount() → builds since start
// system  { positions: Float64Array [3N] Å, numbers: Int32Array [N], charges: Float64Array [N] | null,
//           cell: Float64Array [9] | null, pbc: boolean[3] }
// want    { forces, stress, atomEnergies, throwOnExtrapolation? }
// list    { rowPtr: Int32Array [N+1], neighbors: Int32Array [M], shifts: Int32Array [3M], cutoff: Å, full }
// result  { energy, forces?, stress?, atomEnergies?, diagnostics: { name: number },
//           extrapolations? (HDNNP: { atom, element, function: Int32Array, value, minimum, maximum: Float64Array }) }
// Every evaluation holds one process-wide lock: evaluators keep scratch memory, and a sync call
// made while an async job runs waits for it instead of racing it.
#include "addon/evaluator.hpp"

#include <algorithm>
#include <mutex>

#include "addon/potential_args.hpp"
#include "core/fast_math.hpp"
#include "core/hdnnp.hpp"
#include "core/neighbor_list.hpp"

namespace polymorph::addon {

std::mutex& evaluationMutex() {
  static std::mutex mutex;
  return mutex;
}

namespace {

std::mutex& evaluationLock = evaluationMutex();

// Inputs of one evaluation, owned (async: copied at the call) or borrowed (sync).
struct Job {
  std::shared_ptr<Evaluator> evaluator;
  std::vector<double> positions, charges, cell;
  std::vector<int32_t> numbers;
  SystemView system;
  bool forces = false, stress = false, atomEnergies = false, throwOnExtrapolation = false;
  bool hasList = false;
  std::shared_ptr<NeighborListData> list;  // borrowed arrays (sync) or copies (async)
};

template <class T>
std::vector<T> copied(const ArrayView<T>& view) {
  return std::vector<T>(view.data, view.data + view.length);
}

// True when every index of [0, m) is in [0, n): a branch-free reduction that vectorises (as
// unsigned, a negative index is ≥ n too). Called on every evaluation with a list: ~1 M pairs in
// a 4 608-atom MD step.
POLYMORPH_CLONES bool indicesBelow(const int32_t* indices, std::size_t m, std::size_t n) {
  uint32_t highest = 0;
  for (std::size_t p = 0; p < m; ++p) highest = std::max(highest, static_cast<uint32_t>(indices[p]));
  return m == 0 || highest < n;
}

// Checks a list's arrays against n atoms and the periodic directions (E_SHAPE, E_VALUE), so a
// tampered list cannot make a kernel read out of bounds.
void checkListArrays(Napi::Env env, const NeighborListData& list, std::size_t n, const bool pbc[3], bool hasCell) {
  if (list.rowPtr.size() != n + 1) fail(env, "E_VALUE", "the neighbour list was built for " + std::to_string(list.rowPtr.size() - 1) +
                                                          " atoms, the structure has " + std::to_string(n));
  if (list.rowPtr[0] != 0) fail(env, "E_SHAPE", "neighbour list rowPtr[0] must be 0");
  for (std::size_t i = 0; i < n; ++i) {
    if (list.rowPtr[i + 1] < list.rowPtr[i]) fail(env, "E_SHAPE", "neighbour list row pointers decrease");
  }
  const std::size_t m = static_cast<std::size_t>(list.rowPtr[n]);
  if (list.neighbors.size() != m || list.shifts.size() != 3 * m) fail(env, "E_SHAPE", "neighbour list arrays have inconsistent lengths");
  if (!indicesBelow(list.neighbors.data(), m, n)) fail(env, "E_VALUE", "neighbour index out of range");
  // Image shifts only matter along open directions (their length was checked above).
  if (pbc[0] && pbc[1] && pbc[2] && hasCell) return;
  int32_t used[3] = {0, 0, 0};
  const int32_t* shifts = list.shifts.data();
  for (std::size_t p = 0; p < m; ++p) used[0] |= shifts[3 * p], used[1] |= shifts[3 * p + 1], used[2] |= shifts[3 * p + 2];
  for (int k = 0; k < 3; ++k) {
    if (used[k] != 0 && (!pbc[k] || !hasCell)) fail(env, "E_VALUE", "neighbour list has image shifts along an open direction");
  }
}

Job parseJob(const Napi::CallbackInfo& info, bool copy) {
  Napi::Env env = info.Env();
  if (info.Length() != 4) fail(env, "E_TYPE", "evaluate expects (handle, system, want, list)");
  Job job;
  job.evaluator = evaluatorOf(info[0]);
  Napi::Object s = objectOf(info[1], "system");
  const PositionsArg positions = positionsOf(s.Get("positions"));
  SystemView& v = job.system;
  v.n = positions.n;
  auto numbers = viewOf<int32_t>(s.Get("numbers"), "numbers", v.n);
  const Napi::Value charges = s.Get("charges");
  ArrayView<double> q;
  if (!charges.IsNull() && !charges.IsUndefined()) q = viewOf<double>(charges, "charges", v.n);
  const double* cell = cellOf(s.Get("cell"));
  pbcOf(s.Get("pbc"), v.pbc);
  if (copy) {
    job.positions.assign(positions.data, positions.data + 3 * v.n);
    job.numbers = copied(numbers);
    if (q.data != nullptr) job.charges = copied(q);
    if (cell != nullptr) job.cell.assign(cell, cell + 9);
    v.positions = job.positions.data();
    v.numbers = job.numbers.data();
    v.charges = q.data != nullptr ? job.charges.data() : nullptr;
    v.cell = cell != nullptr ? job.cell.data() : nullptr;
  } else {
    v.positions = positions.data;
    v.numbers = numbers.data;
    v.charges = q.data;
    v.cell = cell;
  }
  Napi::Object want = objectOf(info[2], "want");
  job.forces = boolOf(want.Get("forces"), "want.forces");
  job.stress = boolOf(want.Get("stress"), "want.stress");
  job.atomEnergies = boolOf(want.Get("atomEnergies"), "want.atomEnergies");
  if (want.Has("throwOnExtrapolation")) job.throwOnExtrapolation = boolOf(want.Get("throwOnExtrapolation"), "want.throwOnExtrapolation");
  if (!info[3].IsNull() && !info[3].IsUndefined()) {
    Napi::Object l = objectOf(info[3], "list");
    auto rowPtr = viewOf<int32_t>(l.Get("rowPtr"), "list.rowPtr");
    auto neighbors = viewOf<int32_t>(l.Get("neighbors"), "list.neighbors");
    auto shifts = viewOf<int32_t>(l.Get("shifts"), "list.shifts");
    job.list = std::make_shared<NeighborListData>();
    NeighborListData& list = *job.list;
    auto take = [copy](Buffer<int32_t>& target, const ArrayView<int32_t>& view) {
      if (copy) {
        target.reset(view.length);
        std::copy(view.data, view.data + view.length, target.begin());
      } else {
        target = Buffer<int32_t>::borrow(const_cast<int32_t*>(view.data), view.length);
        target.reset(view.length);
      }
    };
    take(list.rowPtr, rowPtr);
    take(list.neighbors, neighbors);
    take(list.shifts, shifts);
    list.cutoff = numberOf(l.Get("cutoff"), "list.cutoff");
    list.full = boolOf(l.Get("full"), "list.full");
    if (rowPtr.length == 0) fail(env, "E_SHAPE", "neighbour list rowPtr is empty");
    checkListArrays(env, list, v.n, v.pbc, v.cell != nullptr);
    job.hasList = true;
  }
  return job;
}

struct Outcome {
  Evaluation evaluation;
  std::vector<Extrapolation> extrapolations;
  bool hdnnp = false;
};

Outcome run(const Job& job) {
  std::lock_guard<std::mutex> lock(evaluationLock);
  Outcome out;
  auto* hdnnp = dynamic_cast<HdnnpEvaluator*>(job.evaluator.get());
  if (hdnnp != nullptr) hdnnp->setThrowOnExtrapolation(job.throwOnExtrapolation);
  out.evaluation = evaluateSystem(*job.evaluator, job.system, job.forces, job.stress, job.atomEnergies,
                                  job.hasList ? job.list.get() : nullptr);
  if (hdnnp != nullptr) out.extrapolations = hdnnp->lastExtrapolations(), out.hdnnp = true;
  return out;
}

Napi::Value toJs(Napi::Env env, Outcome& outcome) {
  Evaluation& r = outcome.evaluation;
  Napi::Object out = Napi::Object::New(env);
  out.Set("energy", Napi::Number::New(env, r.energy));
  if (!r.forces.empty()) out.Set("forces", toTypedArray(env, std::move(r.forces)));
  if (!r.stress.empty()) out.Set("stress", toTypedArray(env, std::move(r.stress)));
  if (!r.atomEnergies.empty()) out.Set("atomEnergies", toTypedArray(env, std::move(r.atomEnergies)));
  Napi::Object diagnostics = Napi::Object::New(env);
  for (auto& [key, value] : r.diagnostics) diagnostics.Set(key, Napi::Number::New(env, value));
  out.Set("diagnostics", diagnostics);
  if (outcome.hdnnp) {
    const std::size_t m = outcome.extrapolations.size();
    std::vector<int32_t> atom(m), element(m), function(m);
    std::vector<double> value(m), minimum(m), maximum(m);
    for (std::size_t k = 0; k < m; ++k) {
      const Extrapolation& x = outcome.extrapolations[k];
      atom[k] = x.atom, element[k] = x.element, function[k] = x.function;
      value[k] = x.value, minimum[k] = x.minimum, maximum[k] = x.maximum;
    }
    Napi::Object x = Napi::Object::New(env);
    x.Set("atom", toTypedArray(env, std::move(atom)));
    x.Set("element", toTypedArray(env, std::move(element)));
    x.Set("function", toTypedArray(env, std::move(function)));
    x.Set("value", toTypedArray(env, std::move(value)));
    x.Set("minimum", toTypedArray(env, std::move(minimum)));
    x.Set("maximum", toTypedArray(env, std::move(maximum)));
    out.Set("extrapolations", x);
  }
  return out;
}

Napi::Value evaluate(const Napi::CallbackInfo& info) {
  return computeNow(info, [](const Napi::CallbackInfo& i) { return parseJob(i, false); }, run, toJs);
}

Napi::Value evaluateAsync(const Napi::CallbackInfo& info) {
  return computeLater(info, [](const Napi::CallbackInfo& i) { return parseJob(i, true); }, run, toJs, {0});
}

Napi::Value createSumEvaluator(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!info[0].IsArray()) fail(env, "E_TYPE", "terms must be an array of evaluator handles");
    Napi::Array handles = info[0].As<Napi::Array>();
    auto weights = viewOf<double>(info[1], "weights", handles.Length());
    std::vector<std::shared_ptr<Evaluator>> terms;
    for (uint32_t k = 0; k < handles.Length(); ++k) terms.push_back(evaluatorOf(handles.Get(k)));
    return evaluatorHandle(env, std::make_shared<SumEvaluator>(std::move(terms), copied(weights)));
  });
}

Napi::Value evaluatorCutoff(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value { return Napi::Number::New(env, evaluatorOf(info[0])->cutoff()); });
}

Napi::Value buildCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(neighborListBuildCount()));
}

}  // namespace

Napi::Value evaluatorHandle(Napi::Env env, std::shared_ptr<Evaluator> evaluator) {
  return makeHandle<Evaluator>(env, std::move(evaluator));
}

std::shared_ptr<Evaluator> evaluatorOf(const Napi::Value& value) { return handleOf<Evaluator>(value, "evaluator"); }

std::vector<int32_t> elementsOf(const Napi::Value& value, const char* what) {
  auto view = viewOf<int32_t>(value, what);
  return std::vector<int32_t>(view.data, view.data + view.length);
}

ChargeTable chargeTableOf(const Napi::Value& value) {
  if (value.IsNull() || value.IsUndefined()) return ChargeTable();
  Napi::Object o = objectOf(value, "charges");
  auto elements = elementsOf(o.Get("elements"), "charges.elements");
  auto values = viewOf<double>(o.Get("values"), "charges.values", elements.size());
  return ChargeTable(elements, std::vector<double>(values.data, values.data + values.length));
}

void registerEvaluator(Napi::Env env, Napi::Object exports) {
  exports.Set("evaluate", Napi::Function::New(env, evaluate));
  exports.Set("evaluateAsync", Napi::Function::New(env, evaluateAsync));
  exports.Set("createSumEvaluator", Napi::Function::New(env, createSumEvaluator));
  exports.Set("evaluatorCutoff", Napi::Function::New(env, evaluatorCutoff));
  exports.Set("neighborListBuildCount", Napi::Function::New(env, buildCount));
}

}  // namespace polymorph::addon

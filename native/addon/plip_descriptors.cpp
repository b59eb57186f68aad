// Bindings:
//   createPlipDescriptors(spec) → handle
//     spec: { elements: T, cutoff (Å), twoBody: bool, twoBodyGrid, lmax (−1: no 3B), threeBodyGrid,
//             mmax (< 4: no NB), rShort: Float64Array [T×T] Å, nBodyGrid },
//     grids { widths: Float64Array (1/Å²), centres: Float64Array (Å) }
//   plipRows(handle, positions, elements, cell|null, pbc, { forces, stress }) (and …Async → Promise)
//     → { features, atomDescriptors [N·F], energyRow [F], forceRows? [3N·F] 1/Å, stressRows? [6·F] 1/Å³ }
//   createLinearEvaluator(handle, weights [F] eV, offsets [T] eV, elements Int32Array [T] atomic
//                numbers) → evaluator handle (evaluate() in addon/evaluator.cpp)
// positions Float64Array [3N] Å; elements Int32Array [N] indices into the descriptor's elements.
#include <memory>

#include "addon/common.hpp"
#include "addon/evaluator.hpp"
#include "core/plip_descriptors.hpp"

namespace polymorph::addon {
namespace {

std::vector<double> vectorOf(const Napi::Value& value, const char* what) {
  auto view = viewOf<double>(value, what);
  return std::vector<double>(view.data, view.data + view.length);
}

PlipGrid gridOf(const Napi::Object& spec, const char* key) {
  PlipGrid grid;
  if (spec.Get(key).IsUndefined() || spec.Get(key).IsNull()) return grid;
  Napi::Object object = objectOf(spec.Get(key), key);
  grid.widths = vectorOf(object.Get("widths"), "grid widths");
  grid.centres = vectorOf(object.Get("centres"), "grid centres");
  return grid;
}

int integerOf(const Napi::Value& value, const char* what) {
  const double x = numberOf(value, what);
  if (x != static_cast<double>(static_cast<int>(x))) fail(value.Env(), "E_VALUE", std::string(what) + " must be an integer");
  return static_cast<int>(x);
}

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Napi::Object spec = objectOf(info[0], "PLIP spec");
    PlipSettings s;
    s.elements = integerOf(spec.Get("elements"), "elements");
    s.cutoff = numberOf(spec.Get("cutoff"), "cutoff");
    s.twoBody = boolOf(spec.Get("twoBody"), "twoBody");
    s.twoBodyGrid = gridOf(spec, "twoBodyGrid");
    s.lmax = integerOf(spec.Get("lmax"), "lmax");
    s.threeBodyGrid = gridOf(spec, "threeBodyGrid");
    s.mmax = integerOf(spec.Get("mmax"), "mmax");
    if (s.mmax >= 4) s.rShort = vectorOf(spec.Get("rShort"), "rShort");
    s.nBodyGrid = gridOf(spec, "nBodyGrid");
    return makeHandle(env, std::make_shared<PlipDescriptorSet>(std::move(s)));
  });
}

struct Job {
  std::shared_ptr<PlipDescriptorSet> set;
  PlipStructure structure;
  bool forces = false, stress = false;
};

// Reads handle, structure (4 values) and want, starting at info[0].
Job parseJob(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::size_t first = 1;
  if (info.Length() != first + 5) fail(env, "E_TYPE", "PLIP: wrong number of arguments");
  Job job;
  job.set = handleOf<PlipDescriptorSet>(info[0], "PLIP descriptors");
  const StructureArgs s = structureArgs(info, first);
  job.structure.positions = s.positions;
  job.structure.n = s.n;
  job.structure.types = s.types;
  job.structure.cell = s.cell;
  for (int a = 0; a < 3; ++a) job.structure.pbc[a] = s.pbc[a];
  Napi::Object want = objectOf(info[first + 4], "want");
  job.forces = boolOf(want.Get("forces"), "want.forces");
  job.stress = boolOf(want.Get("stress"), "want.stress");
  return job;
}

Napi::Value rowsToJs(Napi::Env env, PlipRows& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("features", Napi::Number::New(env, static_cast<double>(r.features)));
  out.Set("atomDescriptors", toTypedArray(env, std::move(r.atomDescriptors)));
  out.Set("energyRow", toTypedArray(env, std::move(r.energyRow)));
  if (!r.forceRows.empty()) out.Set("forceRows", toTypedArray(env, std::move(r.forceRows)));
  if (!r.stressRows.empty()) out.Set("stressRows", toTypedArray(env, std::move(r.stressRows)));
  return out;
}

Napi::Value rows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info);
    PlipRows r = onNativeThread([&] { return job.set->rows(job.structure, job.forces, job.stress); });
    return rowsToJs(env, r);
  });
}

Napi::Value rowsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info);
    return PromiseWorker<PlipRows>::start(
        env, [job] { return job.set->rows(job.structure, job.forces, job.stress); }, rowsToJs,
        {info[0], info[1], info[2], info[3]});
  });
}

// createLinearEvaluator(set, weights Float64Array [F] (eV), offsets Float64Array [T] (eV),
// elements Int32Array [T] atomic numbers) → evaluator handle of E = Σ_i (offset[c_i] + w·χ_i).
Napi::Value createLinear(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 4) fail(env, "E_TYPE", "createLinearEvaluator expects (descriptors, weights, offsets, elements)");
    std::shared_ptr<const PlipDescriptorSet> set = handleOf<PlipDescriptorSet>(info[0], "PLIP descriptors");
    return evaluatorHandle(env, makeLinearEvaluator(set, vectorOf(info[1], "weights"), vectorOf(info[2], "offsets"),
                                                    elementsOf(info[3], "elements")));
  });
}

}  // namespace

void registerPlipDescriptors(Napi::Env env, Napi::Object exports) {
  exports.Set("createPlipDescriptors", Napi::Function::New(env, create));
  exports.Set("plipRows", Napi::Function::New(env, rows));
  exports.Set("plipRowsAsync", Napi::Function::New(env, rowsAsync));
  exports.Set("createLinearEvaluator", Napi::Function::New(env, createLinear));
}

}  // namespace polymorph::addon

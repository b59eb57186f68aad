// Bindings:
//   createPlipDescriptors(spec) → handle
//     spec: { elements: T, cutoff (Å), twoBody: bool, twoBodyGrid, lmax (−1: no 3B), threeBodyGrid,
//             mmax (< 4: no NB), rShort: Float64Array [T×T] Å, nBodyGrid },
//     grids { widths: Float64Array (1/Å²), centres: Float64Array (Å) }
//   plipRows(handle, positions, elements, cell|null, pbc, { forces, stress }) (and …Async → Promise)
//     → { features, atomDescriptors [N·F], energyRow [F], forceRows? [3N·F] 1/Å, stressRows? [6·F] 1/Å³ }
//   plipContract(handle, weights [F], offsets [T] eV, positions, elements, cell|null, pbc,
//                { forces, stress }) (and …Async) → { energy, atomEnergies, forces?, stress? }
// positions Float64Array [3N] Å; elements Int32Array [N] indices into the descriptor's elements.
#include <memory>

#include "addon/common.hpp"
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
  std::vector<double> weights, offsets;
};

// Reads handle, [weights, offsets,] structure (4 values) and want, starting at info[0].
Job parseJob(const Napi::CallbackInfo& info, bool contract) {
  Napi::Env env = info.Env();
  const std::size_t first = contract ? 3 : 1;
  if (info.Length() != first + 5) fail(env, "E_TYPE", "PLIP: wrong number of arguments");
  Job job;
  job.set = handleOf<PlipDescriptorSet>(info[0], "PLIP descriptors");
  if (contract) {
    job.weights = vectorOf(info[1], "weights");
    job.offsets = vectorOf(info[2], "offsets");
  }
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

Napi::Value contractedToJs(Napi::Env env, PlipContracted& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("energy", Napi::Number::New(env, r.energy));
  out.Set("atomEnergies", toTypedArray(env, std::move(r.atomEnergies)));
  if (!r.forces.empty()) out.Set("forces", toTypedArray(env, std::move(r.forces)));
  if (!r.stress.empty()) out.Set("stress", toTypedArray(env, std::move(r.stress)));
  return out;
}

Napi::Value rows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info, false);
    PlipRows r = job.set->rows(job.structure, job.forces, job.stress);
    return rowsToJs(env, r);
  });
}

Napi::Value rowsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info, false);
    return PromiseWorker<PlipRows>::start(
        env, [job] { return job.set->rows(job.structure, job.forces, job.stress); }, rowsToJs,
        {info[0], info[1], info[2], info[3]});
  });
}

Napi::Value contract(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info, true);
    PlipContracted r = job.set->contract(job.structure, job.weights, job.offsets, job.forces, job.stress);
    return contractedToJs(env, r);
  });
}

Napi::Value contractAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info, true);
    return PromiseWorker<PlipContracted>::start(
        env, [job] { return job.set->contract(job.structure, job.weights, job.offsets, job.forces, job.stress); },
        contractedToJs, {info[0], info[3], info[4], info[5]});
  });
}

}  // namespace

void registerPlipDescriptors(Napi::Env env, Napi::Object exports) {
  exports.Set("createPlipDescriptors", Napi::Function::New(env, create));
  exports.Set("plipRows", Napi::Function::New(env, rows));
  exports.Set("plipRowsAsync", Napi::Function::New(env, rowsAsync));
  exports.Set("plipContract", Napi::Function::New(env, contract));
  exports.Set("plipContractAsync", Napi::Function::New(env, contractAsync));
}

}  // namespace polymorph::addon

// Bindings: neighborList(positions, cell|null, pbc, cutoff, full) and its async form.
// Results are moved into JS typed arrays without copying.
#include "core/neighbor_list.hpp"

#include "addon/common.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  NeighborListInput input;
};

// (positions Float64Array[3N], cell Float64Array[9] | null, pbc boolean[3], cutoff, full)
Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) fail(env, "E_TYPE", "neighborList expects 5 arguments");
  Args args;
  auto positions = viewOf<double>(info[0], "positions");
  if (positions.length % 3 != 0) fail(env, "E_SHAPE", "positions length must be a multiple of 3");
  args.input.positions = positions.data;
  args.input.n = positions.length / 3;
  if (!info[1].IsNull() && !info[1].IsUndefined()) args.input.cell = viewOf<double>(info[1], "cell", 9).data;
  if (!info[2].IsArray() || info[2].As<Napi::Array>().Length() != 3) fail(env, "E_TYPE", "pbc must be an array of 3 booleans");
  for (uint32_t k = 0; k < 3; ++k) args.input.pbc[k] = boolOf(info[2].As<Napi::Array>().Get(k), "pbc[k]");
  args.input.cutoff = numberOf(info[3], "cutoff");
  args.input.full = boolOf(info[4], "full");
  return args;
}

Napi::Value toJs(Napi::Env env, NeighborListData& data) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("rowPtr", toTypedArray(env, std::move(data.rowPtr)));
  result.Set("neighbors", toTypedArray(env, std::move(data.neighbors)));
  result.Set("shifts", toTypedArray(env, std::move(data.shifts)));
  result.Set("vectors", toTypedArray(env, std::move(data.vectors)));
  result.Set("distances", toTypedArray(env, std::move(data.distances)));
  return result;
}

Napi::Value neighborList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Args args = parseArgs(info);
    NeighborListData data = buildNeighborList(args.input);
    return toJs(env, data);
  });
}

Napi::Value neighborListAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    auto* worker = new PromiseWorker<NeighborListData>(
        env, [input = args.input] { return buildNeighborList(input); }, toJs);
    worker->keep(info[0]);
    worker->keep(info[1]);
    Napi::Promise promise = worker->promise();
    worker->Queue();
    return promise;
  });
}

}  // namespace

void registerNeighborList(Napi::Env env, Napi::Object exports) {
  exports.Set("neighborList", Napi::Function::New(env, neighborList));
  exports.Set("neighborListAsync", Napi::Function::New(env, neighborListAsync));
}

}  // namespace polymorph::addon

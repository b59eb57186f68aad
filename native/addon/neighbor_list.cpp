// Bindings: neighborList(positions, cell|null, pbc, cutoff, full[, reuse]) and its async form.
// Results are moved into JS typed arrays without copying. `reuse` ({ rowPtr, neighbors, shifts,
// vectors, distances } as ArrayBuffers of an earlier list, sync form only) offers memory to write
// the new list into; arrays that fit are rewritten in place and shared with the new views.
#include "core/neighbor_list.hpp"

#include "addon/common.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  NeighborListInput input;
};

constexpr const char* kFields[5] = {"rowPtr", "neighbors", "shifts", "vectors", "distances"};

// (positions Float64Array[3N], cell Float64Array[9] | null, pbc boolean[3], cutoff, full)
Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || info.Length() > 6) fail(env, "E_TYPE", "neighborList expects 5 or 6 arguments");
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

// `from` holds the ArrayBuffers that `data` may borrow (empty when nothing is reused).
Napi::Value toJs(Napi::Env env, NeighborListData& data, Napi::Object from = Napi::Object()) {
  auto source = [&](const char* key) {
    return from.IsEmpty() ? Napi::ArrayBuffer() : from.Get(key).As<Napi::ArrayBuffer>();
  };
  Napi::Object result = Napi::Object::New(env);
  result.Set(kFields[0], toTypedArray(env, std::move(data.rowPtr), source(kFields[0])));
  result.Set(kFields[1], toTypedArray(env, std::move(data.neighbors), source(kFields[1])));
  result.Set(kFields[2], toTypedArray(env, std::move(data.shifts), source(kFields[2])));
  result.Set(kFields[3], toTypedArray(env, std::move(data.vectors), source(kFields[3])));
  result.Set(kFields[4], toTypedArray(env, std::move(data.distances), source(kFields[4])));
  return result;
}

Napi::Value neighborList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    NeighborListData reuse;
    Napi::Object from;
    if (info.Length() == 6 && !info[5].IsUndefined() && !info[5].IsNull()) {
      if (!info[5].IsObject()) fail(env, "E_TYPE", "reuse must be an object of ArrayBuffers");
      from = info[5].As<Napi::Object>();
      reuse.rowPtr = borrowArrayBuffer<int32_t>(from.Get(kFields[0]), "reuse.rowPtr");
      reuse.neighbors = borrowArrayBuffer<int32_t>(from.Get(kFields[1]), "reuse.neighbors");
      reuse.shifts = borrowArrayBuffer<int32_t>(from.Get(kFields[2]), "reuse.shifts");
      reuse.vectors = borrowArrayBuffer<double>(from.Get(kFields[3]), "reuse.vectors");
      reuse.distances = borrowArrayBuffer<double>(from.Get(kFields[4]), "reuse.distances");
    }
    NeighborListData data = buildNeighborList(args.input, std::move(reuse));
    return toJs(env, data, from);
  });
}

Napi::Value neighborListAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    if (info.Length() == 6 && !info[5].IsUndefined()) fail(env, "E_TYPE", "neighborListAsync does not reuse memory");
    return PromiseWorker<NeighborListData>::start(
        env, [input = args.input] { return buildNeighborList(input); },
        [](Napi::Env env, NeighborListData& data) { return toJs(env, data); }, {info[0], info[1]});
  });
}

}  // namespace

void registerNeighborList(Napi::Env env, Napi::Object exports) {
  exports.Set("neighborList", Napi::Function::New(env, neighborList));
  exports.Set("neighborListAsync", Napi::Function::New(env, neighborListAsync));
}

}  // namespace polymorph::addon

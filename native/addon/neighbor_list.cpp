// Bindings: neighborList(positions, cell|null, pbc, cutoff, full, options[, reuse]) and its async
// form; neighborListVectors(positions, cell|null, rowPtr, neighbors, shifts) → { vectors, distances }.
// options { vectors: boolean (store pair vectors and distances; false: a lean list), memoryLimit:
// bytes (refuse larger lists, E_VALUE) }. Results are moved into JS typed arrays without copying.
// `reuse` ({ rowPtr, neighbors, shifts, vectors, distances } as ArrayBuffers of an earlier list,
// sync form only) offers memory to write the new list into; arrays that fit are rewritten in
// place and shared with the new views.
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
  if (info.Length() < 6 || info.Length() > 7) fail(env, "E_TYPE", "neighborList expects 6 or 7 arguments");
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
  Napi::Object options = objectOf(info[5], "options");
  args.input.storeVectors = boolOf(options.Get("vectors"), "options.vectors");
  args.input.memoryLimit = numberOf(options.Get("memoryLimit"), "options.memoryLimit");
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
    if (info.Length() == 7 && !info[6].IsUndefined() && !info[6].IsNull()) {
      if (!info[6].IsObject()) fail(env, "E_TYPE", "reuse must be an object of ArrayBuffers");
      from = info[6].As<Napi::Object>();
      reuse.rowPtr = borrowArrayBuffer<int32_t>(from.Get(kFields[0]), "reuse.rowPtr");
      reuse.neighbors = borrowArrayBuffer<int32_t>(from.Get(kFields[1]), "reuse.neighbors");
      reuse.shifts = borrowArrayBuffer<int32_t>(from.Get(kFields[2]), "reuse.shifts");
      reuse.vectors = borrowArrayBuffer<double>(from.Get(kFields[3]), "reuse.vectors");
      reuse.distances = borrowArrayBuffer<double>(from.Get(kFields[4]), "reuse.distances");
    }
    NeighborListData data = onNativeThread([&] { return buildNeighborList(args.input, std::move(reuse)); });
    return toJs(env, data, from);
  });
}

Napi::Value neighborListAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    if (info.Length() == 7 && !info[6].IsUndefined()) fail(env, "E_TYPE", "neighborListAsync does not reuse memory");
    return PromiseWorker<NeighborListData>::start(
        env, [input = args.input] { return buildNeighborList(input); },
        [](Napi::Env env, NeighborListData& data) { return toJs(env, data); }, {info[0], info[1]});
  });
}

// Vectors r_j + S·cell − r_i (Å) and distances of a list's pairs at the given positions.
Napi::Value vectors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 5) fail(env, "E_TYPE", "neighborListVectors expects 5 arguments");
    auto positions = viewOf<double>(info[0], "positions");
    const double* cell = nullptr;
    if (!info[1].IsNull() && !info[1].IsUndefined()) cell = viewOf<double>(info[1], "cell", 9).data;
    const std::size_t n = positions.length / 3;
    auto rowPtr = viewOf<int32_t>(info[2], "rowPtr", n + 1);
    auto neighbors = viewOf<int32_t>(info[3], "neighbors");
    auto shifts = viewOf<int32_t>(info[4], "shifts", 3 * neighbors.length);
    NeighborListData list;
    list.rowPtr = Buffer<int32_t>::borrow(const_cast<int32_t*>(rowPtr.data), rowPtr.length);
    list.rowPtr.reset(rowPtr.length);
    list.neighbors = Buffer<int32_t>::borrow(const_cast<int32_t*>(neighbors.data), neighbors.length);
    list.neighbors.reset(neighbors.length);
    list.shifts = Buffer<int32_t>::borrow(const_cast<int32_t*>(shifts.data), shifts.length);
    list.shifts.reset(shifts.length);
    if (rowPtr.data[0] != 0 || static_cast<std::size_t>(rowPtr.data[n]) != neighbors.length) fail(env, "E_SHAPE", "inconsistent list");
    for (std::size_t p = 0; p < neighbors.length; ++p) {
      if (neighbors.data[p] < 0 || static_cast<std::size_t>(neighbors.data[p]) >= n) fail(env, "E_VALUE", "neighbour index out of range");
    }
    onNativeThread([&] { fillPairVectors(positions.data, cell, list); });
    Napi::Object out = Napi::Object::New(env);
    out.Set("vectors", toTypedArray(env, std::move(list.vectors)));
    out.Set("distances", toTypedArray(env, std::move(list.distances)));
    return out;
  });
}

}  // namespace

void registerNeighborList(Napi::Env env, Napi::Object exports) {
  exports.Set("neighborList", Napi::Function::New(env, neighborList));
  exports.Set("neighborListAsync", Napi::Function::New(env, neighborListAsync));
  exports.Set("neighborListVectors", Napi::Function::New(env, vectors));
}

}  // namespace polymorph::addon

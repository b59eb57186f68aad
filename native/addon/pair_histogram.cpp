// Binding: pairHistogram(positions Float64Array [3N], types Int32Array [N], typeCount,
// cell Float64Array [9] | null, pbc boolean[3], rMax (Å), bins) → Float64Array [T·T·bins] of pair
// counts (pair_histogram.hpp), and its async form.
#include "core/pair_histogram.hpp"

#include "addon/common.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

PairHistogramInput parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 7) fail(env, "E_TYPE", "pairHistogram expects (positions, types, typeCount, cell, pbc, rMax, bins)");
  const PositionsArg positions = positionsOf(info[0]);
  PairHistogramInput in;
  in.positions = positions.data, in.n = positions.n;
  in.types = viewOf<int32_t>(info[1], "types", in.n).data;
  in.typeCount = static_cast<int>(numberOf(info[2], "typeCount"));
  in.cell = cellOf(info[3]);
  pbcOf(info[4], in.pbc);
  in.rMax = numberOf(info[5], "rMax");
  in.bins = static_cast<int>(numberOf(info[6], "bins"));
  return in;
}

Napi::Value toJs(Napi::Env env, std::vector<int64_t>& counts) {
  return toTypedArray(env, std::vector<double>(counts.begin(), counts.end()));
}

Napi::Value histogram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const PairHistogramInput in = parse(info);
    std::vector<int64_t> counts = onNativeThread([&] { return pairHistogram(in); });
    return toJs(env, counts);
  });
}

Napi::Value histogramAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const PairHistogramInput in = parse(info);
    return PromiseWorker<std::vector<int64_t>>::start(env, [in] { return pairHistogram(in); }, toJs, {info[0], info[1], info[3]});
  });
}

}  // namespace

void registerPairHistogram(Napi::Env env, Napi::Object exports) {
  exports.Set("pairHistogram", Napi::Function::New(env, histogram));
  exports.Set("pairHistogramAsync", Napi::Function::New(env, histogramAsync));
}

}  // namespace polymorph::addon

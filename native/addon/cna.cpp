// Binding: commonNeighborAnalysis(positions Float64Array [3N], cell Float64Array [9] | null,
// pbc boolean[3], options { adaptive: boolean, cutoff: number (Å) }) → { labels Uint8Array [N]
// (CnaLabel codes), rowPtr Int32Array [N+1], neighbors Int32Array [M], signatures Int32Array [3M],
// cutoffs Float64Array [N] }, and its async form.
#include "core/cna.hpp"

#include "addon/common.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

CnaInput parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 4) fail(env, "E_TYPE", "commonNeighborAnalysis expects (positions, cell, pbc, options)");
  const PositionsArg positions = positionsOf(info[0]);
  CnaInput in;
  in.positions = positions.data, in.n = positions.n;
  in.cell = cellOf(info[1]);
  pbcOf(info[2], in.pbc);
  Napi::Object options = objectOf(info[3], "options");
  in.adaptive = boolOf(options.Get("adaptive"), "options.adaptive");
  in.cutoff = in.adaptive ? 0.0 : numberOf(options.Get("cutoff"), "options.cutoff");
  return in;
}

Napi::Value toJs(Napi::Env env, CnaResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("labels", toTypedArray(env, std::vector<uint8_t>(r.labels.begin(), r.labels.end())));
  out.Set("rowPtr", toTypedArray(env, std::move(r.rowPtr)));
  out.Set("neighbors", toTypedArray(env, std::move(r.neighbors)));
  out.Set("signatures", toTypedArray(env, std::vector<int32_t>(r.signatures.begin(), r.signatures.end())));
  out.Set("cutoffs", toTypedArray(env, std::move(r.cutoffs)));
  return out;
}

Napi::Value analyse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const CnaInput in = parse(info);
    CnaResult r = onNativeThread([&] { return commonNeighborAnalysis(in); });
    return toJs(env, r);
  });
}

Napi::Value analyseAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const CnaInput in = parse(info);
    return PromiseWorker<CnaResult>::start(
        env, [in] { return commonNeighborAnalysis(in); }, toJs, {info[0], info[1]});
  });
}

}  // namespace

void registerCommonNeighborAnalysis(Napi::Env env, Napi::Object exports) {
  exports.Set("commonNeighborAnalysis", Napi::Function::New(env, analyse));
  exports.Set("commonNeighborAnalysisAsync", Napi::Function::New(env, analyseAsync));
}

}  // namespace polymorph::addon

// Binding: solidAtoms(positions Float64Array [3N], cell Float64Array [9] | null, pbc boolean[3],
// options { cutoff, l, threshold, minBonds }) → { solid Uint8Array [N], connections Int32Array [N],
// neighbors Int32Array [N], ql Float64Array [N] } (solid_atoms.hpp), and its async form.
#include "core/solid_atoms.hpp"

#include "addon/common.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

SolidAtomsInput parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 4) fail(env, "E_TYPE", "solidAtoms expects (positions, cell, pbc, options)");
  const PositionsArg positions = positionsOf(info[0]);
  SolidAtomsInput in;
  in.positions = positions.data, in.n = positions.n;
  in.cell = cellOf(info[1]);
  pbcOf(info[2], in.pbc);
  Napi::Object o = objectOf(info[3], "options");
  in.cutoff = numberOf(o.Get("cutoff"), "options.cutoff");
  in.l = static_cast<int>(numberOf(o.Get("l"), "options.l"));
  in.threshold = numberOf(o.Get("threshold"), "options.threshold");
  in.minBonds = static_cast<int>(numberOf(o.Get("minBonds"), "options.minBonds"));
  return in;
}

Napi::Value toJs(Napi::Env env, SolidAtomsResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("solid", toTypedArray(env, std::move(r.solid)));
  out.Set("connections", toTypedArray(env, std::move(r.connections)));
  out.Set("neighbors", toTypedArray(env, std::move(r.neighbors)));
  out.Set("ql", toTypedArray(env, std::move(r.ql)));
  return out;
}

Napi::Value compute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const SolidAtomsInput in = parse(info);
    SolidAtomsResult r = onNativeThread([&] { return solidAtoms(in); });
    return toJs(env, r);
  });
}

Napi::Value computeAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const SolidAtomsInput in = parse(info);
    return PromiseWorker<SolidAtomsResult>::start(env, [in] { return solidAtoms(in); }, toJs, {info[0], info[1]});
  });
}

}  // namespace

void registerSolidAtoms(Napi::Env env, Napi::Object exports) {
  exports.Set("solidAtoms", Napi::Function::New(env, compute));
  exports.Set("solidAtomsAsync", Napi::Function::New(env, computeAsync));
}

}  // namespace polymorph::addon

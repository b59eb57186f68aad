// Binding: createEwaldEvaluator(parameters, charges) → evaluator handle (evaluate() in
// addon/evaluator.cpp; its diagnostics hold the energy terms real, reciprocal, self, background
// and kVectors).
//
//   parameters  { alpha (1/Å), cutoff (Å), kCutoff (1/Å), coulombConstant (eV·Å/e²), background,
//                 pme?: boolean, grid?: Int32Array [3], order?: number }
//   charges     { elements: Int32Array, values: Float64Array (e) } or null (per-atom charges)
#include "core/ewald.hpp"

#include "addon/evaluator.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

EwaldParameters parseParameters(const Napi::Value& value) {
  Napi::Object p = objectOf(value, "parameters");
  EwaldParameters parameters;
  parameters.alpha = numberOf(p.Get("alpha"), "parameters.alpha");
  parameters.cutoff = numberOf(p.Get("cutoff"), "parameters.cutoff");
  parameters.kCutoff = numberOf(p.Get("kCutoff"), "parameters.kCutoff");
  parameters.coulombConstant = numberOf(p.Get("coulombConstant"), "parameters.coulombConstant");
  parameters.background = boolOf(p.Get("background"), "parameters.background");
  if (p.Has("pme") && boolOf(p.Get("pme"), "parameters.pme")) {
    parameters.pme = true;
    auto grid = viewOf<int32_t>(p.Get("grid"), "parameters.grid", 3);
    for (int d = 0; d < 3; ++d) parameters.grid[d] = grid.data[d];
    parameters.order = static_cast<int>(numberOf(p.Get("order"), "parameters.order"));
  }
  return parameters;
}

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 2) fail(env, "E_TYPE", "createEwaldEvaluator expects (parameters, charges)");
    return evaluatorHandle(env, makeEwaldEvaluator(parseParameters(info[0]), chargeTableOf(info[1])));
  });
}

}  // namespace

void registerEwald(Napi::Env env, Napi::Object exports) {
  exports.Set("createEwaldEvaluator", Napi::Function::New(env, create));
}

}  // namespace polymorph::addon

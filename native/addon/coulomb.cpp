// Binding: createCoulombEvaluator(parameters, charges) → evaluator handle (evaluate() in
// addon/evaluator.cpp).
//
//   parameters  { coulombConstant (eV·Å/e²), dsf: boolean, alpha? (1/Å), cutoff? (Å) }
//   charges     { elements: Int32Array, values: Float64Array (e) } or null (per-atom charges)
#include "core/coulomb.hpp"

#include "addon/evaluator.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

CoulombParameters parseParameters(const Napi::Value& value) {
  Napi::Object p = objectOf(value, "parameters");
  CoulombParameters parameters;
  parameters.coulombConstant = numberOf(p.Get("coulombConstant"), "parameters.coulombConstant");
  parameters.dsf = boolOf(p.Get("dsf"), "parameters.dsf");
  if (parameters.dsf) {
    parameters.alpha = numberOf(p.Get("alpha"), "parameters.alpha");
    parameters.cutoff = numberOf(p.Get("cutoff"), "parameters.cutoff");
  }
  return parameters;
}

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 2) fail(env, "E_TYPE", "createCoulombEvaluator expects (parameters, charges)");
    return evaluatorHandle(env, makeCoulombEvaluator(parseParameters(info[0]), chargeTableOf(info[1])));
  });
}

}  // namespace

void registerCoulomb(Napi::Env env, Napi::Object exports) {
  exports.Set("createCoulombEvaluator", Napi::Function::New(env, create));
}

}  // namespace polymorph::addon

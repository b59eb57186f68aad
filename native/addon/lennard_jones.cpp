// Binding: createLennardJonesEvaluator(parameters, elements) → evaluator handle (evaluate() in
// addon/evaluator.cpp).
//
//   parameters  { epsilon: Float64Array [T·T] (eV), sigma: Float64Array [T·T] (Å),
//                 cutoff: Float64Array [T·T] (Å), shift: boolean }
//   elements    Int32Array [T]: the atomic number of each type
#include "core/lennard_jones.hpp"

#include "addon/evaluator.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

LennardJonesParameters parseParameters(const Napi::Value& value) {
  Napi::Env env = value.Env();
  Napi::Object object = objectOf(value, "parameters");
  LennardJonesParameters p;
  p.epsilon = pairTableOf(object, "epsilon");
  p.sigma = pairTableOf(object, "sigma");
  p.cutoff = pairTableOf(object, "cutoff");
  p.shift = boolOf(object.Get("shift"), "parameters.shift");
  p.types = pairTypesOf(env, p.epsilon.size(), "parameters.epsilon");
  return p;
}

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 2) fail(env, "E_TYPE", "createLennardJonesEvaluator expects (parameters, elements)");
    return evaluatorHandle(env, makeLennardJonesEvaluator(parseParameters(info[0]), elementsOf(info[1], "elements")));
  });
}

}  // namespace

void registerLennardJones(Napi::Env env, Napi::Object exports) {
  exports.Set("createLennardJonesEvaluator", Napi::Function::New(env, create));
}

}  // namespace polymorph::addon

// Binding: createBuckinghamEvaluator(parameters, elements) → evaluator handle (evaluate() in
// addon/evaluator.cpp).
//
//   parameters  { a: Float64Array [T·T] (eV), rho: Float64Array [T·T] (Å), c: Float64Array [T·T]
//                 (eV·Å⁶), cutoff: Float64Array [T·T] (Å), shift: boolean }
//   elements    Int32Array [T]: the atomic number of each type
#include "core/buckingham.hpp"

#include "addon/evaluator.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

BuckinghamParameters parseParameters(const Napi::Value& value) {
  Napi::Env env = value.Env();
  Napi::Object object = objectOf(value, "parameters");
  BuckinghamParameters p;
  p.a = pairTableOf(object, "a");
  p.rho = pairTableOf(object, "rho");
  p.c = pairTableOf(object, "c");
  p.cutoff = pairTableOf(object, "cutoff");
  p.shift = boolOf(object.Get("shift"), "parameters.shift");
  p.types = pairTypesOf(env, p.a.size(), "parameters.a");
  return p;
}

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 2) fail(env, "E_TYPE", "createBuckinghamEvaluator expects (parameters, elements)");
    return evaluatorHandle(env, makeBuckinghamEvaluator(parseParameters(info[0]), elementsOf(info[1], "elements")));
  });
}

}  // namespace

void registerBuckingham(Napi::Env env, Napi::Object exports) {
  exports.Set("createBuckinghamEvaluator", Napi::Function::New(env, create));
}

}  // namespace polymorph::addon

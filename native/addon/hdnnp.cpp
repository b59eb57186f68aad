// Bindings:
//   createHdnnp(spec) → model handle
//   createHdnnpEvaluator(model, elements Int32Array [atomic number per model element]) → evaluator
//     handle (evaluate() in addon/evaluator.cpp; its result carries `extrapolations`)
// spec: { symmetryFunctions: <see addon/symmetry_functions.hpp>, normalizeNodes: boolean,
//         meanEnergy, convEnergy, lengthFactor, energyFactor: number,
//         networks: [{ layers: Int32Array, activations: string, weights: Float64Array,
//                      scaleFactor, scaleShift, scaleBase, minimum, maximum: Float64Array [n_e],
//                      atomEnergy: number }] (one per element, in element order) }
#include "core/hdnnp.hpp"

#include "addon/evaluator.hpp"
#include "addon/symmetry_functions.hpp"

namespace polymorph::addon {
namespace {

std::shared_ptr<HdnnpModel> modelOf(const Napi::Value& value) {
  Napi::Env env = value.Env();
  Napi::Object spec = objectOf(value, "HDNNP spec");
  auto model = std::make_shared<HdnnpModel>();
  model->functions = symmetryFunctionSetOf(spec.Get("symmetryFunctions"));
  model->meanEnergy = numberOf(spec.Get("meanEnergy"), "meanEnergy");
  model->convEnergy = numberOf(spec.Get("convEnergy"), "convEnergy");
  model->lengthFactor = numberOf(spec.Get("lengthFactor"), "lengthFactor");
  model->energyFactor = numberOf(spec.Get("energyFactor"), "energyFactor");
  const bool normalizeNodes = boolOf(spec.Get("normalizeNodes"), "normalizeNodes");
  if (!spec.Get("networks").IsArray()) fail(env, "E_TYPE", "networks must be an array");
  Napi::Array networks = spec.Get("networks").As<Napi::Array>();
  for (uint32_t e = 0; e < networks.Length(); ++e) {
    Napi::Object n = objectOf(networks.Get(e), "networks[e]");
    auto layers = viewOf<int32_t>(n.Get("layers"), "layers");
    if (!n.Get("activations").IsString()) fail(env, "E_TYPE", "activations must be a string");
    HdnnpElement el;
    el.network = std::make_unique<NeuralNetwork>(std::vector<int>(layers.data, layers.data + layers.length),
                                                 n.Get("activations").As<Napi::String>().Utf8Value(),
                                                 copyOf<double>(n.Get("weights"), "weights"), normalizeNodes);
    el.scaleFactor = copyOf<double>(n.Get("scaleFactor"), "scaleFactor");
    el.scaleShift = copyOf<double>(n.Get("scaleShift"), "scaleShift");
    el.scaleBase = copyOf<double>(n.Get("scaleBase"), "scaleBase");
    el.minimum = copyOf<double>(n.Get("minimum"), "minimum");
    el.maximum = copyOf<double>(n.Get("maximum"), "maximum");
    el.atomEnergy = numberOf(n.Get("atomEnergy"), "atomEnergy");
    model->elements.push_back(std::move(el));
  }
  validateHdnnp(*model);
  return model;
}

Napi::Value createHdnnp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value { return makeHandle(env, modelOf(info[0])); });
}

Napi::Value createHdnnpEvaluator(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 2) fail(env, "E_TYPE", "createHdnnpEvaluator expects (model, elements)");
    std::shared_ptr<const HdnnpModel> model = handleOf<HdnnpModel>(info[0], "HDNNP model");
    return evaluatorHandle(env, std::make_shared<HdnnpEvaluator>(model, elementsOf(info[1], "elements")));
  });
}

}  // namespace

void registerHdnnp(Napi::Env env, Napi::Object exports) {
  exports.Set("createHdnnp", Napi::Function::New(env, createHdnnp));
  exports.Set("createHdnnpEvaluator", Napi::Function::New(env, createHdnnpEvaluator));
}

}  // namespace polymorph::addon

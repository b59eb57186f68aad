// Bindings:
//   createHdnnp(spec) → handle
//   hdnnp(handle, positions, elements, cell|null, pbc, want) and hdnnpAsync(…) → Promise
// spec: { symmetryFunctions: <see addon/symmetry_functions.hpp>, normalizeNodes: boolean,
//         meanEnergy, convEnergy, lengthFactor, energyFactor: number,
//         networks: [{ layers: Int32Array, activations: string, weights: Float64Array,
//                      scaleFactor, scaleShift, scaleBase, minimum, maximum: Float64Array [n_e],
//                      atomEnergy: number }] (one per element, in element order) }
// want: { forces, stress, atomEnergies, throwOnExtrapolation: boolean }
// Returns { energy, forces?, stress?, atomEnergies?, extrapolations: { atom: Int32Array,
//   element: Int32Array, function: Int32Array, value, minimum, maximum: Float64Array } }.
#include "core/hdnnp.hpp"

#include "addon/symmetry_functions.hpp"

namespace polymorph::addon {
namespace {

std::vector<double> copyOf(const Napi::Object& o, const char* key) {
  auto view = viewOf<double>(o.Get(key), key);
  return std::vector<double>(view.data, view.data + view.length);
}

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
                                                 copyOf(n, "weights"), normalizeNodes);
    el.scaleFactor = copyOf(n, "scaleFactor");
    el.scaleShift = copyOf(n, "scaleShift");
    el.scaleBase = copyOf(n, "scaleBase");
    el.minimum = copyOf(n, "minimum");
    el.maximum = copyOf(n, "maximum");
    el.atomEnergy = numberOf(n.Get("atomEnergy"), "atomEnergy");
    model->elements.push_back(std::move(el));
  }
  validateHdnnp(*model);
  return model;
}

struct Job {
  std::shared_ptr<HdnnpModel> model;
  HdnnpInput input;
};

Job parseJob(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) fail(env, "E_TYPE", "hdnnp expects 6 arguments");
  Job job;
  job.model = handleOf<HdnnpModel>(info[0], "HDNNP model");
  const StructureArgs s = structureArgs(info, 1);
  StructureInput& in = job.input.structure;
  in.positions = s.positions;
  in.n = s.n;
  in.elements = s.types;
  in.cell = s.cell;
  for (int a = 0; a < 3; ++a) in.pbc[a] = s.pbc[a];
  Napi::Object want = objectOf(info[5], "want");
  job.input.forces = boolOf(want.Get("forces"), "want.forces");
  job.input.stress = boolOf(want.Get("stress"), "want.stress");
  job.input.atomEnergies = boolOf(want.Get("atomEnergies"), "want.atomEnergies");
  job.input.throwOnExtrapolation = boolOf(want.Get("throwOnExtrapolation"), "want.throwOnExtrapolation");
  return job;
}

Napi::Value toJs(Napi::Env env, HdnnpResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("energy", Napi::Number::New(env, result.energy));
  if (!result.forces.empty()) out.Set("forces", toTypedArray(env, std::move(result.forces)));
  if (!result.stress.empty()) out.Set("stress", toTypedArray(env, std::move(result.stress)));
  if (!result.atomEnergies.empty()) out.Set("atomEnergies", toTypedArray(env, std::move(result.atomEnergies)));
  const std::size_t m = result.extrapolations.size();
  std::vector<int32_t> atom(m), element(m), function(m);
  std::vector<double> value(m), minimum(m), maximum(m);
  for (std::size_t k = 0; k < m; ++k) {
    const Extrapolation& x = result.extrapolations[k];
    atom[k] = x.atom;
    element[k] = x.element;
    function[k] = x.function;
    value[k] = x.value;
    minimum[k] = x.minimum;
    maximum[k] = x.maximum;
  }
  Napi::Object x = Napi::Object::New(env);
  x.Set("atom", toTypedArray(env, std::move(atom)));
  x.Set("element", toTypedArray(env, std::move(element)));
  x.Set("function", toTypedArray(env, std::move(function)));
  x.Set("value", toTypedArray(env, std::move(value)));
  x.Set("minimum", toTypedArray(env, std::move(minimum)));
  x.Set("maximum", toTypedArray(env, std::move(maximum)));
  out.Set("extrapolations", x);
  return out;
}

Napi::Value createHdnnp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value { return makeHandle(env, modelOf(info[0])); });
}

Napi::Value hdnnp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Job job = parseJob(info);
    HdnnpResult result = computeHdnnp(*job.model, job.input);
    return toJs(env, result);
  });
}

Napi::Value hdnnpAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info);
    return PromiseWorker<HdnnpResult>::start(
        env, [job] { return computeHdnnp(*job.model, job.input); }, toJs, {info[1], info[2], info[3]});
  });
}

}  // namespace

void registerHdnnp(Napi::Env env, Napi::Object exports) {
  exports.Set("createHdnnp", Napi::Function::New(env, createHdnnp));
  exports.Set("hdnnp", Napi::Function::New(env, hdnnp));
  exports.Set("hdnnpAsync", Napi::Function::New(env, hdnnpAsync));
}

}  // namespace polymorph::addon

// Bindings:
//   createSymmetryFunctions(spec) → handle                      (spec: addon/symmetry_functions.hpp)
//   symmetryFunctions(handle, positions, elements, cell|null, pbc, { derivatives, lengthFactor })
//   symmetryFunctionsAsync(…same…) → Promise
// positions Float64Array [3N] Å; elements Int32Array [N] element indices; lengthFactor = the
// functions' length unit per Å. Returns { values: Float64Array[] (per element [N_e·n_e]),
// atoms: Int32Array[] (per element, atom of each row), derivatives?: { start, neighbor, vector,
// derivative }[] (per element; vectors Å, ∂G/∂d 1/Å) }, moved into JS without copying.
#include "addon/symmetry_functions.hpp"

namespace polymorph::addon {

std::unique_ptr<SymmetryFunctionSet> symmetryFunctionSetOf(const Napi::Value& value) {
  Napi::Object spec = objectOf(value, "symmetry-function spec");
  auto numbers = viewOf<int32_t>(spec.Get("atomicNumbers"), "atomicNumbers");
  auto rows = viewOf<double>(spec.Get("functions"), "functions");
  if (rows.length % kSymmetryFunctionColumns != 0) {
    fail(value.Env(), "E_SHAPE", "functions must hold 14 numbers per symmetry function");
  }
  std::vector<SymmetryFunctionParameters> functions;
  for (std::size_t k = 0; k < rows.length; k += kSymmetryFunctionColumns) {
    functions.push_back(unpackSymmetryFunction(rows.data + k));
  }
  const double type = numberOf(spec.Get("cutoffType"), "cutoffType");
  if (type != static_cast<int>(type)) fail(value.Env(), "E_VALUE", "cutoffType must be an integer 0-8");
  return std::make_unique<SymmetryFunctionSet>(std::vector<int>(numbers.data, numbers.data + numbers.length),
                                               static_cast<int>(type), numberOf(spec.Get("cutoffAlpha"), "cutoffAlpha"),
                                               std::move(functions));
}

namespace {

struct Job {
  std::shared_ptr<SymmetryFunctionSet> set;
  StructureInput input;
  bool derivatives = false;
};

Job parseJob(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) fail(env, "E_TYPE", "symmetryFunctions expects 6 arguments");
  Job job;
  job.set = handleOf<SymmetryFunctionSet>(info[0], "symmetry functions");
  const StructureArgs s = structureArgs(info, 1);
  job.input.positions = s.positions;
  job.input.n = s.n;
  job.input.elements = s.types;
  job.input.cell = s.cell;
  for (int a = 0; a < 3; ++a) job.input.pbc[a] = s.pbc[a];
  Napi::Object options = objectOf(info[5], "options");
  job.derivatives = boolOf(options.Get("derivatives"), "options.derivatives");
  job.input.lengthFactor = numberOf(options.Get("lengthFactor"), "options.lengthFactor");
  return job;
}

Napi::Value toJs(Napi::Env env, SymmetryFunctionResult& result) {
  Napi::Object out = Napi::Object::New(env);
  const std::size_t E = result.values.values.size();
  Napi::Array values = Napi::Array::New(env, E), atoms = Napi::Array::New(env, E);
  for (std::size_t e = 0; e < E; ++e) {
    values.Set(e, toTypedArray(env, std::move(result.values.values[e])));
    atoms.Set(e, toTypedArray(env, std::move(result.values.atoms[e])));
  }
  out.Set("values", values);
  out.Set("atoms", atoms);
  if (!result.derivatives.empty()) {
    Napi::Array derivatives = Napi::Array::New(env, E);
    for (std::size_t e = 0; e < E; ++e) {
      SymmetryFunctionDerivatives& d = result.derivatives[e];
      Napi::Object o = Napi::Object::New(env);
      o.Set("start", toTypedArray(env, std::move(d.start)));
      o.Set("neighbor", toTypedArray(env, std::move(d.neighbor)));
      o.Set("vector", toTypedArray(env, std::move(d.vector)));
      o.Set("derivative", toTypedArray(env, std::move(d.derivative)));
      derivatives.Set(e, o);
    }
    out.Set("derivatives", derivatives);
  }
  return out;
}

Napi::Value createSymmetryFunctions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    std::shared_ptr<SymmetryFunctionSet> set = symmetryFunctionSetOf(info[0]);
    return makeHandle(env, std::move(set));
  });
}

Napi::Value symmetryFunctions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Job job = parseJob(info);
    SymmetryFunctionResult result = onNativeThread([&] { return computeSymmetryFunctions(*job.set, job.input, job.derivatives); });
    return toJs(env, result);
  });
}

Napi::Value symmetryFunctionsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Job job = parseJob(info);
    return PromiseWorker<SymmetryFunctionResult>::start(
        env, [job] { return computeSymmetryFunctions(*job.set, job.input, job.derivatives); }, toJs,
        {info[1], info[2], info[3]});
  });
}

}  // namespace

void registerSymmetryFunctions(Napi::Env env, Napi::Object exports) {
  exports.Set("createSymmetryFunctions", Napi::Function::New(env, createSymmetryFunctions));
  exports.Set("symmetryFunctions", Napi::Function::New(env, symmetryFunctions));
  exports.Set("symmetryFunctionsAsync", Napi::Function::New(env, symmetryFunctionsAsync));
}

}  // namespace polymorph::addon

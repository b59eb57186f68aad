// Bindings of the Ewald summation: ewald(positions, charges, cell, parameters, want) and its
// async form. parameters = { alpha, cutoff, kCutoff, coulombConstant, background, pme?, grid?: Int32Array(3), order? }.
#include "addon/common.hpp"
#include "core/ewald.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  EwaldInput input;
  EwaldParameters parameters;
};

Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) fail(env, "E_TYPE", "ewald expects 5 arguments");
  Args args;
  auto positions = viewOf<double>(info[0], "positions");
  if (positions.length % 3 != 0) fail(env, "E_SHAPE", "positions length must be a multiple of 3");
  args.input.positions = positions.data;
  args.input.n = positions.length / 3;
  args.input.charges = viewOf<double>(info[1], "charges", args.input.n).data;
  if (!info[2].IsNull() && !info[2].IsUndefined()) args.input.cell = viewOf<double>(info[2], "cell", 9).data;
  Napi::Object p = objectOf(info[3], "parameters");
  args.parameters.alpha = numberOf(p.Get("alpha"), "parameters.alpha");
  args.parameters.cutoff = numberOf(p.Get("cutoff"), "parameters.cutoff");
  args.parameters.kCutoff = numberOf(p.Get("kCutoff"), "parameters.kCutoff");
  args.parameters.coulombConstant = numberOf(p.Get("coulombConstant"), "parameters.coulombConstant");
  args.parameters.background = boolOf(p.Get("background"), "parameters.background");
  if (p.Has("pme") && boolOf(p.Get("pme"), "parameters.pme")) {
    args.parameters.pme = true;
    auto grid = viewOf<int32_t>(p.Get("grid"), "parameters.grid", 3);
    for (int d = 0; d < 3; ++d) args.parameters.grid[d] = grid.data[d];
    args.parameters.order = static_cast<int>(numberOf(p.Get("order"), "parameters.order"));
  }
  Napi::Object want = objectOf(info[4], "want");
  args.input.forces = boolOf(want.Get("forces"), "want.forces");
  args.input.stress = boolOf(want.Get("stress"), "want.stress");
  args.input.atomEnergies = boolOf(want.Get("atomEnergies"), "want.atomEnergies");
  return args;
}

Napi::Value toJs(Napi::Env env, EwaldResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("energy", Napi::Number::New(env, result.energy));
  if (!result.forces.empty()) out.Set("forces", toTypedArray(env, std::move(result.forces)));
  if (!result.stress.empty()) out.Set("stress", toTypedArray(env, std::move(result.stress)));
  if (!result.atomEnergies.empty()) out.Set("atomEnergies", toTypedArray(env, std::move(result.atomEnergies)));
  Napi::Object terms = Napi::Object::New(env);
  terms.Set("real", Napi::Number::New(env, result.real));
  terms.Set("reciprocal", Napi::Number::New(env, result.reciprocal));
  terms.Set("self", Napi::Number::New(env, result.self));
  terms.Set("background", Napi::Number::New(env, result.background));
  out.Set("terms", terms);
  out.Set("kVectors", Napi::Number::New(env, result.kVectors));
  return out;
}

Napi::Value ewald(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Args args = parseArgs(info);
    EwaldResult result = polymorph::ewald(args.input, args.parameters);
    return toJs(env, result);
  });
}

Napi::Value ewaldAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    return PromiseWorker<EwaldResult>::start(
        env, [input = args.input, parameters = args.parameters] { return polymorph::ewald(input, parameters); },
        toJs, {info[0], info[1], info[2]});
  });
}

}  // namespace

void registerEwald(Napi::Env env, Napi::Object exports) {
  exports.Set("ewald", Napi::Function::New(env, ewald));
  exports.Set("ewaldAsync", Napi::Function::New(env, ewaldAsync));
}

}  // namespace polymorph::addon

// Bindings of the Ewald summation: ewald(positions, charges, cell, parameters, want) and its
// async form. parameters = { alpha, cutoff, kCutoff, coulombConstant, background, pme?, grid?: Int32Array(3), order? }.
#include "addon/potential_args.hpp"
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
  const PositionsArg positions = positionsOf(info[0]);
  args.input.positions = positions.data;
  args.input.n = positions.n;
  args.input.charges = viewOf<double>(info[1], "charges", args.input.n).data;
  args.input.cell = cellOf(info[2]);
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
  wantOf(info[4], args.input);
  return args;
}

Napi::Value toJs(Napi::Env env, EwaldResult& result) {
  Napi::Object out = potentialResultToJs(env, result);
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
  return computeNow(info, parseArgs, [](const Args& a) { return polymorph::ewald(a.input, a.parameters); }, toJs);
}

// positions, charges and cell (arguments 0–2) are read on the worker thread.
Napi::Value ewaldAsync(const Napi::CallbackInfo& info) {
  return computeLater(info, parseArgs, [](const Args& a) { return polymorph::ewald(a.input, a.parameters); }, toJs,
                      {0, 1, 2});
}

}  // namespace

void registerEwald(Napi::Env env, Napi::Object exports) {
  exports.Set("ewald", Napi::Function::New(env, ewald));
  exports.Set("ewaldAsync", Napi::Function::New(env, ewaldAsync));
}

}  // namespace polymorph::addon

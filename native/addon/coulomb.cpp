// Bindings of the direct and damped-shifted-force Coulomb sums:
// coulomb(positions, charges, cell, pbc, parameters, want) and its async form.
// parameters = { coulombConstant, dsf, alpha, cutoff }.
#include "addon/common.hpp"
#include "core/coulomb.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  CoulombInput input;
  CoulombParameters parameters;
};

Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) fail(env, "E_TYPE", "coulomb expects 6 arguments");
  Args args;
  auto positions = viewOf<double>(info[0], "positions");
  if (positions.length % 3 != 0) fail(env, "E_SHAPE", "positions length must be a multiple of 3");
  args.input.positions = positions.data;
  args.input.n = positions.length / 3;
  args.input.charges = viewOf<double>(info[1], "charges", args.input.n).data;
  if (!info[2].IsNull() && !info[2].IsUndefined()) args.input.cell = viewOf<double>(info[2], "cell", 9).data;
  if (!info[3].IsArray() || info[3].As<Napi::Array>().Length() != 3) fail(env, "E_TYPE", "pbc must be an array of 3 booleans");
  for (uint32_t k = 0; k < 3; ++k) args.input.pbc[k] = boolOf(info[3].As<Napi::Array>().Get(k), "pbc[k]");
  Napi::Object p = objectOf(info[4], "parameters");
  args.parameters.coulombConstant = numberOf(p.Get("coulombConstant"), "parameters.coulombConstant");
  args.parameters.dsf = boolOf(p.Get("dsf"), "parameters.dsf");
  if (args.parameters.dsf) {
    args.parameters.alpha = numberOf(p.Get("alpha"), "parameters.alpha");
    args.parameters.cutoff = numberOf(p.Get("cutoff"), "parameters.cutoff");
  }
  Napi::Object want = objectOf(info[5], "want");
  args.input.forces = boolOf(want.Get("forces"), "want.forces");
  args.input.stress = boolOf(want.Get("stress"), "want.stress");
  args.input.atomEnergies = boolOf(want.Get("atomEnergies"), "want.atomEnergies");
  return args;
}

Napi::Value toJs(Napi::Env env, CoulombResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("energy", Napi::Number::New(env, result.energy));
  if (!result.forces.empty()) out.Set("forces", toTypedArray(env, std::move(result.forces)));
  if (!result.stress.empty()) out.Set("stress", toTypedArray(env, std::move(result.stress)));
  if (!result.atomEnergies.empty()) out.Set("atomEnergies", toTypedArray(env, std::move(result.atomEnergies)));
  return out;
}

Napi::Value coulomb(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Args args = parseArgs(info);
    CoulombResult result = polymorph::coulomb(args.input, args.parameters);
    return toJs(env, result);
  });
}

Napi::Value coulombAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    return PromiseWorker<CoulombResult>::start(
        env, [input = args.input, parameters = args.parameters] { return polymorph::coulomb(input, parameters); },
        toJs, {info[0], info[1], info[2]});
  });
}

}  // namespace

void registerCoulomb(Napi::Env env, Napi::Object exports) {
  exports.Set("coulomb", Napi::Function::New(env, coulomb));
  exports.Set("coulombAsync", Napi::Function::New(env, coulombAsync));
}

}  // namespace polymorph::addon

// Bindings: buckingham(positions, types, cell|null, pbc, parameters, want) and its async form.
//
//   positions   Float64Array [3N] (Å)
//   types       Int32Array [N], indices 0…T−1 into the parameter tables
//   cell        Float64Array [9] (Å, rows = lattice vectors) or null
//   pbc         [boolean, boolean, boolean]
//   parameters  { a: Float64Array [T·T] (eV), rho: Float64Array [T·T] (Å), c: Float64Array [T·T]
//                 (eV·Å⁶), cutoff: Float64Array [T·T] (Å), shift: boolean }
//   want        { forces: boolean, stress: boolean, atomEnergies: boolean }
//
// Returns { energy, forces?: Float64Array [3N], stress?: Float64Array [9], atomEnergies?: Float64Array [N] }
// (eV, eV/Å, eV/Å³, eV), moved into JS without copying.
#include "core/buckingham.hpp"

#include <cmath>

#include "addon/common.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  PairInput input;
  BuckinghamParameters parameters;
};

std::vector<double> tableOf(const Napi::Object& parameters, const char* key) {
  const std::string what = std::string("parameters.") + key;
  auto view = viewOf<double>(parameters.Get(key), what.c_str());
  return std::vector<double>(view.data, view.data + view.length);
}

BuckinghamParameters parseParameters(const Napi::Value& value) {
  Napi::Env env = value.Env();
  Napi::Object object = objectOf(value, "parameters");
  BuckinghamParameters p;
  p.a = tableOf(object, "a");
  p.rho = tableOf(object, "rho");
  p.c = tableOf(object, "c");
  p.cutoff = tableOf(object, "cutoff");
  p.shift = boolOf(object.Get("shift"), "parameters.shift");
  const auto types = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(p.a.size()))));
  if (types == 0 || types * types != p.a.size() || types > 4096) {
    fail(env, "E_SHAPE", "parameters.a must hold T×T entries for T = 1…4096 atom types, got " + std::to_string(p.a.size()));
  }
  p.types = static_cast<int>(types);
  return p;
}

// Arguments are viewed here, on the JS thread; values are validated in the core before any work.
Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) fail(env, "E_TYPE", "buckingham expects 6 arguments");
  Args args;
  auto positions = viewOf<double>(info[0], "positions");
  if (positions.length % 3 != 0) fail(env, "E_SHAPE", "positions length must be a multiple of 3");
  args.input.positions = positions.data;
  args.input.n = positions.length / 3;
  args.input.types = viewOf<int32_t>(info[1], "types", args.input.n).data;
  if (!info[2].IsNull() && !info[2].IsUndefined()) args.input.cell = viewOf<double>(info[2], "cell", 9).data;
  if (!info[3].IsArray() || info[3].As<Napi::Array>().Length() != 3) fail(env, "E_TYPE", "pbc must be an array of 3 booleans");
  for (uint32_t k = 0; k < 3; ++k) args.input.pbc[k] = boolOf(info[3].As<Napi::Array>().Get(k), "pbc[k]");
  args.parameters = parseParameters(info[4]);
  Napi::Object want = objectOf(info[5], "want");
  args.input.forces = boolOf(want.Get("forces"), "want.forces");
  args.input.stress = boolOf(want.Get("stress"), "want.stress");
  args.input.atomEnergies = boolOf(want.Get("atomEnergies"), "want.atomEnergies");
  return args;
}

Napi::Value toJs(Napi::Env env, PairResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("energy", Napi::Number::New(env, result.energy));
  if (!result.forces.empty()) out.Set("forces", toTypedArray(env, std::move(result.forces)));
  if (!result.stress.empty()) out.Set("stress", toTypedArray(env, std::move(result.stress)));
  if (!result.atomEnergies.empty()) out.Set("atomEnergies", toTypedArray(env, std::move(result.atomEnergies)));
  return out;
}

Napi::Value buckingham(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Args args = parseArgs(info);
    PairResult result = polymorph::buckingham(args.input, args.parameters);
    return toJs(env, result);
  });
}

Napi::Value buckinghamAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    // positions, types and cell are read on the worker thread
    return PromiseWorker<PairResult>::start(
        env, [input = args.input, parameters = std::move(args.parameters)] { return polymorph::buckingham(input, parameters); },
        toJs, {info[0], info[1], info[2]});
  });
}

}  // namespace

void registerBuckingham(Napi::Env env, Napi::Object exports) {
  exports.Set("buckingham", Napi::Function::New(env, buckingham));
  exports.Set("buckinghamAsync", Napi::Function::New(env, buckinghamAsync));
}

}  // namespace polymorph::addon

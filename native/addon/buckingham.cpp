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

#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  PairInput input;
  BuckinghamParameters parameters;
};

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

// Arguments are viewed here, on the JS thread; values are validated in the core before any work.
Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) fail(env, "E_TYPE", "buckingham expects 6 arguments");
  Args args;
  pairStructureOf(info, args.input);
  args.parameters = parseParameters(info[4]);
  wantOf(info[5], args.input);
  return args;
}

Napi::Value buckingham(const Napi::CallbackInfo& info) {
  return computeNow(info, parseArgs, [](const Args& a) { return polymorph::buckingham(a.input, a.parameters); },
                    potentialResultToJs<PairResult>);
}

// positions, types and cell (arguments 0–2) are read on the worker thread.
Napi::Value buckinghamAsync(const Napi::CallbackInfo& info) {
  return computeLater(info, parseArgs, [](const Args& a) { return polymorph::buckingham(a.input, a.parameters); },
                      potentialResultToJs<PairResult>, {0, 1, 2});
}

}  // namespace

void registerBuckingham(Napi::Env env, Napi::Object exports) {
  exports.Set("buckingham", Napi::Function::New(env, buckingham));
  exports.Set("buckinghamAsync", Napi::Function::New(env, buckinghamAsync));
}

}  // namespace polymorph::addon

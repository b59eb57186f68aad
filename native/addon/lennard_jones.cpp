// Bindings: lennardJones(positions, types, cell|null, pbc, parameters, want) and its async form.
//
//   positions   Float64Array [3N] (Å)
//   types       Int32Array [N], indices 0…T−1 into the parameter tables
//   cell        Float64Array [9] (Å, rows = lattice vectors) or null
//   pbc         [boolean, boolean, boolean]
//   parameters  { epsilon: Float64Array [T·T] (eV), sigma: Float64Array [T·T] (Å),
//                 cutoff: Float64Array [T·T] (Å), shift: boolean }
//   want        { forces: boolean, stress: boolean, atomEnergies: boolean }
//
// Returns { energy, forces?: Float64Array [3N], stress?: Float64Array [9], atomEnergies?: Float64Array [N] }
// (eV, eV/Å, eV/Å³, eV), moved into JS without copying.
#include "core/lennard_jones.hpp"

#include <cmath>

#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  LennardJonesInput input;
  LennardJonesParameters parameters;
};

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

// Arguments are copied or viewed here, on the JS thread; validation of values happens in the
// core (types in range, finiteness), before any work.
Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) fail(env, "E_TYPE", "lennardJones expects 6 arguments");
  Args args;
  pairStructureOf(info, args.input);
  args.parameters = parseParameters(info[4]);
  wantOf(info[5], args.input);
  return args;
}

Napi::Value lennardJones(const Napi::CallbackInfo& info) {
  return computeNow(info, parseArgs, [](const Args& a) { return polymorph::lennardJones(a.input, a.parameters); },
                    potentialResultToJs<LennardJonesResult>);
}

// positions, types and cell (arguments 0–2) are read on the worker thread.
Napi::Value lennardJonesAsync(const Napi::CallbackInfo& info) {
  return computeLater(info, parseArgs, [](const Args& a) { return polymorph::lennardJones(a.input, a.parameters); },
                      potentialResultToJs<LennardJonesResult>, {0, 1, 2});
}

}  // namespace

void registerLennardJones(Napi::Env env, Napi::Object exports) {
  exports.Set("lennardJones", Napi::Function::New(env, lennardJones));
  exports.Set("lennardJonesAsync", Napi::Function::New(env, lennardJonesAsync));
}

}  // namespace polymorph::addon

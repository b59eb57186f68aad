// Bindings of the direct and damped-shifted-force Coulomb sums:
// coulomb(positions, charges, cell, pbc, parameters, want) and its async form.
// parameters = { coulombConstant, dsf, alpha, cutoff }.
#include "addon/potential_args.hpp"
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
  const PositionsArg positions = positionsOf(info[0]);
  args.input.positions = positions.data;
  args.input.n = positions.n;
  args.input.charges = viewOf<double>(info[1], "charges", args.input.n).data;
  args.input.cell = cellOf(info[2]);
  pbcOf(info[3], args.input.pbc);
  Napi::Object p = objectOf(info[4], "parameters");
  args.parameters.coulombConstant = numberOf(p.Get("coulombConstant"), "parameters.coulombConstant");
  args.parameters.dsf = boolOf(p.Get("dsf"), "parameters.dsf");
  if (args.parameters.dsf) {
    args.parameters.alpha = numberOf(p.Get("alpha"), "parameters.alpha");
    args.parameters.cutoff = numberOf(p.Get("cutoff"), "parameters.cutoff");
  }
  wantOf(info[5], args.input);
  return args;
}

Napi::Value coulomb(const Napi::CallbackInfo& info) {
  return computeNow(info, parseArgs, [](const Args& a) { return polymorph::coulomb(a.input, a.parameters); },
                    potentialResultToJs<CoulombResult>);
}

// positions, charges and cell (arguments 0–2) are read on the worker thread.
Napi::Value coulombAsync(const Napi::CallbackInfo& info) {
  return computeLater(info, parseArgs, [](const Args& a) { return polymorph::coulomb(a.input, a.parameters); },
                      potentialResultToJs<CoulombResult>, {0, 1, 2});
}

}  // namespace

void registerCoulomb(Napi::Env env, Napi::Object exports) {
  exports.Set("coulomb", Napi::Function::New(env, coulomb));
  exports.Set("coulombAsync", Napi::Function::New(env, coulombAsync));
}

}  // namespace polymorph::addon

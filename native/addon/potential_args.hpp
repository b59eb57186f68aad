// What the bindings of potentials share: the structure arguments they take, the results they
// give back, and their synchronous and asynchronous entry points.
//
//   positions  Float64Array [3N] (Å)          cell  Float64Array [9] (Å, rows) or null/undefined
//   pbc        [boolean, boolean, boolean]     want  { forces, stress, atomEnergies }
//   result     { energy, forces?: Float64Array [3N], stress?: Float64Array [9],
//                atomEnergies?: Float64Array [N] } (eV, eV/Å, eV/Å³, eV), moved without copying
#pragma once
#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "addon/common.hpp"

namespace polymorph::addon {

struct PositionsArg {
  const double* data = nullptr;
  std::size_t n = 0;  // atoms
};

inline PositionsArg positionsOf(const Napi::Value& value) {
  auto positions = viewOf<double>(value, "positions");
  if (positions.length % 3 != 0) fail(value.Env(), "E_SHAPE", "positions length must be a multiple of 3");
  return {positions.data, positions.length / 3};
}

// The cell, or nullptr for null/undefined.
inline const double* cellOf(const Napi::Value& value) {
  if (value.IsNull() || value.IsUndefined()) return nullptr;
  return viewOf<double>(value, "cell", 9).data;
}

inline void pbcOf(const Napi::Value& value, bool pbc[3]) {
  if (!value.IsArray() || value.As<Napi::Array>().Length() != 3) fail(value.Env(), "E_TYPE", "pbc must be an array of 3 booleans");
  for (uint32_t k = 0; k < 3; ++k) pbc[k] = boolOf(value.As<Napi::Array>().Get(k), "pbc[k]");
}

// Arguments 0–3 of a pair potential: positions, types Int32Array [N] (indices into the
// parameter tables), cell, pbc, into input.positions, n, types, cell, pbc.
template <class Input>
void pairStructureOf(const Napi::CallbackInfo& info, Input& input) {
  const PositionsArg positions = positionsOf(info[0]);
  input.positions = positions.data;
  input.n = positions.n;
  input.types = viewOf<int32_t>(info[1], "types", input.n).data;
  input.cell = cellOf(info[2]);
  pbcOf(info[3], input.pbc);
}

// want = { forces, stress, atomEnergies } into input.forces, input.stress, input.atomEnergies.
template <class Input>
void wantOf(const Napi::Value& value, Input& input) {
  Napi::Object want = objectOf(value, "want");
  input.forces = boolOf(want.Get("forces"), "want.forces");
  input.stress = boolOf(want.Get("stress"), "want.stress");
  input.atomEnergies = boolOf(want.Get("atomEnergies"), "want.atomEnergies");
}

// { energy, forces?, stress?, atomEnergies? } of a result with those members (empty: left out).
template <class Result>
Napi::Object potentialResultToJs(Napi::Env env, Result& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("energy", Napi::Number::New(env, result.energy));
  if (!result.forces.empty()) out.Set("forces", toTypedArray(env, std::move(result.forces)));
  if (!result.stress.empty()) out.Set("stress", toTypedArray(env, std::move(result.stress)));
  if (!result.atomEnergies.empty()) out.Set("atomEnergies", toTypedArray(env, std::move(result.atomEnergies)));
  return out;
}

// A pair-parameter table parameters[key]: Float64Array [T·T], copied.
inline std::vector<double> pairTableOf(const Napi::Object& parameters, const char* key) {
  const std::string what = std::string("parameters.") + key;
  auto view = viewOf<double>(parameters.Get(key), what.c_str());
  return std::vector<double>(view.data, view.data + view.length);
}

// T for a table of `size` = T·T entries (T = 1…4096), else E_SHAPE naming `what`.
inline int pairTypesOf(Napi::Env env, std::size_t size, const char* what) {
  const auto types = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(size))));
  if (types == 0 || types * types != size || types > 4096) {
    fail(env, "E_SHAPE", std::string(what) + " must hold T×T entries for T = 1…4096 atom types, got " + std::to_string(size));
  }
  return static_cast<int>(types);
}

// A synchronous binding: args = parse(info), then convert(env, run(args)) with run() on the
// native thread (native_thread.hpp); errors become coded JS errors.
template <class Parse, class Run, class Convert>
Napi::Value computeNow(const Napi::CallbackInfo& info, Parse parse, Run run, Convert convert) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto args = parse(info);
    auto result = onNativeThread([&] { return run(args); });
    return convert(env, result);
  });
}

// The asynchronous form: arguments are parsed on the JS thread, run() on a worker thread, and
// the Promise resolves with convert(env, result). `kept` lists the argument positions whose JS
// arrays run() reads (they stay alive until it is done).
template <class Parse, class Run, class Convert>
Napi::Value computeLater(const Napi::CallbackInfo& info, Parse parse, Run run, Convert convert,
                         std::initializer_list<int> kept) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto args = parse(info);
    using Result = decltype(run(args));
    auto* worker = new PromiseWorker<Result>(
        env, [args = std::move(args), run] { return run(args); },
        [convert](Napi::Env e, Result& result) -> Napi::Value { return convert(e, result); });
    for (int k : kept) worker->keep(info[k]);
    Napi::Promise promise = worker->promise();
    worker->Queue();  // the worker deletes itself when done
    return promise;
  });
}

}  // namespace polymorph::addon

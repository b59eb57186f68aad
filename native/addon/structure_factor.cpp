// Binding: structureFactorSums(positions Float64Array [3N], species Int32Array [N], speciesCount,
// cell Float64Array [9], qMin, qMax (Å⁻¹), bins, vectorsPerBin, seed) → { vectors, qSum,
// products } Float64Arrays (structure_factor.hpp), and its async form.
#include "core/structure_factor.hpp"

#include "addon/common.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  StructureFactorInput input;
  StructureFactorParameters parameters;
};

Args parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 9) fail(env, "E_TYPE", "structureFactorSums expects (positions, species, speciesCount, cell, qMin, qMax, bins, vectorsPerBin, seed)");
  const PositionsArg positions = positionsOf(info[0]);
  Args a;
  a.input.positions = positions.data, a.input.n = positions.n;
  a.input.species = viewOf<int32_t>(info[1], "species", a.input.n).data;
  a.input.speciesCount = static_cast<int>(numberOf(info[2], "speciesCount"));
  a.input.cell = cellOf(info[3]);
  a.parameters.qMin = numberOf(info[4], "qMin");
  a.parameters.qMax = numberOf(info[5], "qMax");
  a.parameters.bins = static_cast<int>(numberOf(info[6], "bins"));
  a.parameters.vectorsPerBin = numberOf(info[7], "vectorsPerBin");
  a.parameters.seed = static_cast<uint64_t>(numberOf(info[8], "seed"));
  return a;
}

Napi::Value toJs(Napi::Env env, StructureFactorSums& sums) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("vectors", toTypedArray(env, std::move(sums.vectors)));
  out.Set("qSum", toTypedArray(env, std::move(sums.qSum)));
  out.Set("products", toTypedArray(env, std::move(sums.products)));
  return out;
}

Napi::Value sums(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const Args a = parse(info);
    StructureFactorSums result = onNativeThread([&] { return structureFactorSums(a.input, a.parameters); });
    return toJs(env, result);
  });
}

Napi::Value sumsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const Args a = parse(info);
    return PromiseWorker<StructureFactorSums>::start(env, [a] { return structureFactorSums(a.input, a.parameters); }, toJs,
                                                     {info[0], info[1], info[3]});
  });
}

}  // namespace

void registerStructureFactor(Napi::Env env, Napi::Object exports) {
  exports.Set("structureFactorSums", Napi::Function::New(env, sums));
  exports.Set("structureFactorSumsAsync", Napi::Function::New(env, sumsAsync));
}

}  // namespace polymorph::addon

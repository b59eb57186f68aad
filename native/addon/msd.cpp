// Binding: msdCreate(species Int32Array [N], speciesCount, maxLag, com, masses Float64Array [N])
// → handle; msdAdd(handle, positions Float64Array [3N], cell Float64Array [9] | null, pbc
// boolean[3]) adds one frame; msdResult(handle) → { sums, perSpecies, origins } Float64Arrays of
// the lags so far (msd.hpp).
#include "core/msd.hpp"

#include "addon/common.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 5) fail(env, "E_TYPE", "msdCreate expects (species, speciesCount, maxLag, com, masses)");
    const auto species = viewOf<int32_t>(info[0], "species");
    const auto masses = viewOf<double>(info[4], "masses", species.length);
    auto accumulator = std::make_shared<MsdAccumulator>(std::vector<int32_t>(species.data, species.data + species.length),
                                                        static_cast<int>(numberOf(info[1], "speciesCount")),
                                                        static_cast<int>(numberOf(info[2], "maxLag")), boolOf(info[3], "com"),
                                                        std::vector<double>(masses.data, masses.data + masses.length));
    return makeHandle(env, std::move(accumulator));
  });
}

Napi::Value add(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 4) fail(env, "E_TYPE", "msdAdd expects (handle, positions, cell, pbc)");
    std::shared_ptr<MsdAccumulator> accumulator = handleOf<MsdAccumulator>(info[0], "msd accumulator");
    const PositionsArg positions = positionsOf(info[1]);
    if (positions.n != accumulator->atoms()) fail(env, "E_SHAPE", "msdAdd: the frame has another number of atoms");
    const double* cell = cellOf(info[2]);
    bool pbc[3];
    pbcOf(info[3], pbc);
    onNativeThread([&] { accumulator->add(positions.data, cell, pbc); });
    return env.Undefined();
  });
}

Napi::Value result(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    std::shared_ptr<MsdAccumulator> accumulator = handleOf<MsdAccumulator>(info[0], "msd accumulator");
    const std::size_t lags = static_cast<std::size_t>(accumulator->lags());
    const std::size_t S = accumulator->perSpecies().size() / accumulator->sums().size();
    Napi::Object out = Napi::Object::New(env);
    out.Set("sums", toTypedArray(env, std::vector<double>(accumulator->sums().begin(), accumulator->sums().begin() + lags)));
    out.Set("perSpecies", toTypedArray(env, std::vector<double>(accumulator->perSpecies().begin(), accumulator->perSpecies().begin() + lags * S)));
    out.Set("origins", toTypedArray(env, std::vector<double>(accumulator->origins().begin(), accumulator->origins().begin() + lags)));
    return out;
  });
}

}  // namespace

void registerMsd(Napi::Env env, Napi::Object exports) {
  exports.Set("msdCreate", Napi::Function::New(env, create));
  exports.Set("msdAdd", Napi::Function::New(env, add));
  exports.Set("msdResult", Napi::Function::New(env, result));
}

}  // namespace polymorph::addon

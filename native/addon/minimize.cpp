// Bindings of FIRE minimisation (core/minimize.hpp):
//   minimizeFire(evaluator, setup, options) → { positions, forces, energy, maxForce, steps, converged }
//     setup = { positions, numbers, charges | null, cell | null, pbc, frozen: Int32Array | null, skin,
//     method?: 'fire' | 'cg', relaxCell?: boolean, pressure?: eV/Å³ } (+ cell in the result when relaxCell)
//   createFire(n, frozen | null, options) → handle;  fireStep(handle, positions, forces) → positions
//     (a copy): steps driven by a potential outside the core.
// options = { fmax, maxSteps, timestep, maxTimestep, maxStep }.
#include "core/minimize.hpp"

#include <mutex>

#include "addon/common.hpp"
#include "addon/evaluator.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

bool present(const Napi::Value& value) { return !value.IsNull() && !value.IsUndefined(); }

FireOptions optionsOf(const Napi::Value& value) {
  Napi::Object o = objectOf(value, "options");
  FireOptions f;
  f.fmax = numberOf(o.Get("fmax"), "options.fmax");
  const double steps = numberOf(o.Get("maxSteps"), "options.maxSteps");
  if (!(steps >= 0 && steps <= 1e15 && steps == std::floor(steps))) fail(value.Env(), "E_VALUE", "options.maxSteps must be an integer ≥ 0");
  f.maxSteps = static_cast<long>(steps);
  f.timestep = numberOf(o.Get("timestep"), "options.timestep");
  f.maxTimestep = numberOf(o.Get("maxTimestep"), "options.maxTimestep");
  f.maxStep = numberOf(o.Get("maxStep"), "options.maxStep");
  return f;
}

std::vector<uint8_t> frozenOf(const Napi::Value& value, std::size_t n) {
  if (!present(value)) return {};
  auto view = viewOf<int32_t>(value, "frozen", n);
  return std::vector<uint8_t>(view.data, view.data + view.length);
}

struct FireHandle {
  std::mutex mutex;
  std::unique_ptr<Fire> fire;
};

Napi::Value minimize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    std::shared_ptr<Evaluator> evaluator = evaluatorOf(info[0]);
    Napi::Object o = objectOf(info[1], "setup");
    const PositionsArg positions = positionsOf(o.Get("positions"));
    std::vector<double> x(positions.data, positions.data + 3 * positions.n);
    SystemView s;
    s.n = positions.n;
    auto numbers = viewOf<int32_t>(o.Get("numbers"), "numbers", s.n);
    s.numbers = numbers.data;
    if (present(o.Get("charges"))) s.charges = viewOf<double>(o.Get("charges"), "charges", s.n).data;
    s.cell = cellOf(o.Get("cell"));
    std::vector<double> cell;
    if (s.cell != nullptr) cell.assign(s.cell, s.cell + 9);
    const bool relaxCell = o.Has("relaxCell") && o.Get("relaxCell").IsBoolean() && o.Get("relaxCell").As<Napi::Boolean>().Value();
    const double pressure = relaxCell ? numberOf(o.Get("pressure"), "pressure") : 0.0;
    if (relaxCell && s.cell == nullptr) fail(env, "E_CELL", "relaxing the cell needs a cell");
    pbcOf(o.Get("pbc"), s.pbc);
    const std::vector<uint8_t> frozen = frozenOf(o.Get("frozen"), s.n);
    const double skin = numberOf(o.Get("skin"), "skin");
    const bool cg = o.Has("method") && o.Get("method").IsString() && o.Get("method").As<Napi::String>().Utf8Value() == "cg";
    const FireOptions options = optionsOf(info[2]);
    MinimizeResult r = onNativeThread([&] {
      std::lock_guard<std::mutex> evaluation(evaluationMutex());
      if (relaxCell) return minimizeFireWithCell(evaluator, s, x, cell, frozen, options, skin, pressure);
      return cg ? minimizeCg(evaluator, s, x, frozen, options, skin) : minimizeFire(evaluator, s, x, frozen, options, skin);
    });
    Napi::Object out = Napi::Object::New(env);
    out.Set("positions", toTypedArray(env, std::move(x)));
    out.Set("forces", toTypedArray(env, std::move(r.forces)));
    out.Set("energy", r.energy);
    out.Set("maxForce", r.maxForce);
    out.Set("steps", static_cast<double>(r.steps));
    out.Set("converged", r.converged);
    if (relaxCell) out.Set("cell", toTypedArray(env, std::move(cell)));
    return out;
  });
}

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const double n = numberOf(info[0], "n");
    if (!(n >= 1 && n == std::floor(n))) fail(env, "E_VALUE", "n must be a positive integer");
    auto handle = std::make_shared<FireHandle>();
    handle->fire = std::make_unique<Fire>(static_cast<std::size_t>(n), frozenOf(info[1], static_cast<std::size_t>(n)), optionsOf(info[2]));
    return makeHandle<FireHandle>(env, std::move(handle));
  });
}

Napi::Value step(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto handle = handleOf<FireHandle>(info[0], "FIRE");
    const PositionsArg positions = positionsOf(info[1]);
    auto forces = viewOf<double>(info[2], "forces", 3 * positions.n);
    std::vector<double> x(positions.data, positions.data + 3 * positions.n);
    std::lock_guard<std::mutex> lock(handle->mutex);
    handle->fire->step(x.data(), forces.data);
    return toTypedArray(env, std::move(x));
  });
}

}  // namespace

void registerMinimize(Napi::Env env, Napi::Object exports) {
  exports.Set("minimizeFire", Napi::Function::New(env, minimize));
  exports.Set("createFire", Napi::Function::New(env, create));
  exports.Set("fireStep", Napi::Function::New(env, step));
}

}  // namespace polymorph::addon

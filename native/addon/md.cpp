// Bindings of the molecular-dynamics core (core/md.hpp):
//   createMolecularDynamics(evaluator | null, setup) → handle   (evaluates the first forces)
//   mdBeginRun(handle, steps)        starts a run of `steps` steps (ramps span it)
//   mdRun(handle, steps) → thermo    and mdRunAsync(handle, steps) → Promise<thermo>
//   mdThermo(handle) → thermo        mdState(handle) → { positions, velocities, forces } (copies)
//   mdPrepareStep(handle) → positions (copy) and mdFinishStep(handle, energy, forces, virial),
//   mdSetForces(handle, energy, forces, virial): steps driven by a potential outside the core.
//   mdSaveState(handle) → Uint8Array and mdLoadState(handle, bytes) → thermo: checkpoints.
// setup = { positions, velocities | null, masses, numbers, charges | null, cell | null, pbc,
//   timestep, skin, frozen: Int32Array (0/1) | null, removeCenterOfMass, groups: [{ name, atoms }],
//   thermostats: [{ kind: 'nhc' | 'langevin' | 'csvr' | 'berendsen', group, atoms, start, stop,
//   relaxation, chain, seed }], barostat?: { start, stop (eV/Å³), relaxation, chain, anisotropic, triclinic } }. Runs hold
//   the evaluation lock: evaluators are not re-entrant.
#include "core/md.hpp"

#include <mutex>

#include "addon/common.hpp"
#include "addon/evaluator.hpp"
#include "addon/potential_args.hpp"

namespace polymorph::addon {
namespace {

// The engine and a lock of its own: a run on a worker thread and a call from JS never overlap.
struct Engine {
  std::mutex mutex;
  std::unique_ptr<MolecularDynamics> md;
};

std::shared_ptr<Engine> engineOf(const Napi::Value& value) { return handleOf<Engine>(value, "molecular dynamics"); }

bool present(const Napi::Value& value) { return !value.IsNull() && !value.IsUndefined(); }

std::string stringOf(const Napi::Value& value, const char* what) {
  if (!value.IsString()) fail(value.Env(), "E_TYPE", std::string(what) + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

ThermostatKind kindOf(const Napi::Value& value) {
  const std::string kind = stringOf(value, "thermostat.kind");
  if (kind == "nhc") return ThermostatKind::kNoseHooverChain;
  if (kind == "langevin") return ThermostatKind::kLangevin;
  if (kind == "csvr") return ThermostatKind::kCsvr;
  if (kind == "berendsen") return ThermostatKind::kBerendsen;
  fail(value.Env(), "E_VALUE", "unknown thermostat kind '" + kind + "'");
}

MdSetup setupOf(const Napi::Value& value) {
  Napi::Env env = value.Env();
  Napi::Object o = objectOf(value, "setup");
  MdSetup s;
  s.positions = copyOf<double>(o.Get("positions"), "positions");
  if (s.positions.size() % 3 != 0) fail(env, "E_SHAPE", "positions length must be a multiple of 3");
  const std::size_t n = s.positions.size() / 3;
  if (present(o.Get("velocities"))) s.velocities = copyOf<double>(o.Get("velocities"), "velocities", 3 * n);
  s.masses = copyOf<double>(o.Get("masses"), "masses", n);
  s.numbers = copyOf<int32_t>(o.Get("numbers"), "numbers", n);
  if (present(o.Get("charges"))) s.charges = copyOf<double>(o.Get("charges"), "charges", n);
  if (present(o.Get("cell"))) s.cell = copyOf<double>(o.Get("cell"), "cell", 9);
  pbcOf(o.Get("pbc"), s.pbc);
  s.timestep = numberOf(o.Get("timestep"), "timestep");
  s.skin = numberOf(o.Get("skin"), "skin");
  if (present(o.Get("frozen"))) {
    const std::vector<int32_t> frozen = copyOf<int32_t>(o.Get("frozen"), "frozen", n);
    s.frozen.assign(frozen.begin(), frozen.end());
  }
  s.removeCenterOfMass = boolOf(o.Get("removeCenterOfMass"), "removeCenterOfMass");
  if (present(o.Get("barostat"))) {
    Napi::Object b = objectOf(o.Get("barostat"), "barostat");
    s.barostat.enabled = true;
    s.barostat.start = numberOf(b.Get("start"), "barostat.start");
    s.barostat.stop = numberOf(b.Get("stop"), "barostat.stop");
    s.barostat.relaxation = numberOf(b.Get("relaxation"), "barostat.relaxation");
    s.barostat.chain = static_cast<int>(numberOf(b.Get("chain"), "barostat.chain"));
    s.barostat.anisotropic = boolOf(b.Get("anisotropic"), "barostat.anisotropic");
    s.barostat.triclinic = boolOf(b.Get("triclinic"), "barostat.triclinic");
  }
  if (!o.Get("groups").IsArray() || !o.Get("thermostats").IsArray()) fail(env, "E_TYPE", "groups and thermostats must be arrays");
  Napi::Array groups = o.Get("groups").As<Napi::Array>();
  for (uint32_t k = 0; k < groups.Length(); ++k) {
    Napi::Object g = objectOf(groups.Get(k), "group");
    s.groups.push_back({stringOf(g.Get("name"), "group.name"), copyOf<int32_t>(g.Get("atoms"), "group.atoms")});
  }
  Napi::Array thermostats = o.Get("thermostats").As<Napi::Array>();
  for (uint32_t k = 0; k < thermostats.Length(); ++k) {
    Napi::Object t = objectOf(thermostats.Get(k), "thermostat");
    ThermostatSetup ts;
    ts.kind = kindOf(t.Get("kind"));
    ts.group = stringOf(t.Get("group"), "thermostat.group");
    ts.atoms = copyOf<int32_t>(t.Get("atoms"), "thermostat.atoms");
    ts.start = numberOf(t.Get("start"), "thermostat.start");
    ts.stop = numberOf(t.Get("stop"), "thermostat.stop");
    ts.relaxation = numberOf(t.Get("relaxation"), "thermostat.relaxation");
    ts.chain = static_cast<int>(numberOf(t.Get("chain"), "thermostat.chain"));
    const double seed = numberOf(t.Get("seed"), "thermostat.seed");
    if (!(seed >= 0 && seed <= 9007199254740991.0 && seed == std::floor(seed))) fail(env, "E_VALUE", "thermostat.seed must be an integer 0…2^53−1");
    ts.seed = static_cast<uint64_t>(seed);
    s.thermostats.push_back(std::move(ts));
  }
  return s;
}

Napi::Object groupToJs(Napi::Env env, const GroupThermo& g) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("temperature", g.temperature);
  o.Set("kineticEnergy", g.kinetic);
  o.Set("dof", g.dof);
  return o;
}

Napi::Value thermoToJs(Napi::Env env, Thermo& t) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("step", static_cast<double>(t.step));
  o.Set("time", t.time);
  o.Set("temperature", t.temperature);
  o.Set("potentialEnergy", t.potential);
  o.Set("kineticEnergy", t.kinetic);
  o.Set("totalEnergy", t.total);
  o.Set("conserved", t.conserved);
  o.Set("dof", t.dof);
  o.Set("volume", t.volume);
  o.Set("pressure", t.pressure);
  o.Set("stress", toTypedArray(env, std::vector<double>(t.stress, t.stress + 9)));
  Napi::Array groups = Napi::Array::New(env, t.groups.size());
  for (uint32_t k = 0; k < t.groups.size(); ++k) groups.Set(k, groupToJs(env, t.groups[k]));
  o.Set("groups", groups);
  Napi::Array thermostats = Napi::Array::New(env, t.thermostats.size());
  for (uint32_t k = 0; k < t.thermostats.size(); ++k) thermostats.Set(k, groupToJs(env, t.thermostats[k]));
  o.Set("thermostats", thermostats);
  o.Set("rebuilds", static_cast<double>(t.rebuilds));
  return o;
}

long stepsOf(const Napi::Value& value) {
  const double steps = numberOf(value, "steps");
  if (!(steps >= 0 && steps <= 1e15 && steps == std::floor(steps))) fail(value.Env(), "E_VALUE", "steps must be an integer ≥ 0");
  return static_cast<long>(steps);
}

// Runs `steps` steps under both locks and returns the thermo of the last one.
Thermo runSteps(Engine& engine, long steps) {
  std::lock_guard<std::mutex> lock(engine.mutex);
  std::lock_guard<std::mutex> evaluation(evaluationMutex());
  engine.md->run(steps);
  return engine.md->thermo();
}

Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    std::shared_ptr<Evaluator> evaluator = present(info[0]) ? evaluatorOf(info[0]) : nullptr;
    MdSetup setup = setupOf(info[1]);
    auto engine = std::make_shared<Engine>();
    onNativeThread([&] {
      std::lock_guard<std::mutex> evaluation(evaluationMutex());
      engine->md = std::make_unique<MolecularDynamics>(std::move(evaluator), std::move(setup));
    });
    return makeHandle<Engine>(env, std::move(engine));
  });
}

Napi::Value beginRun(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    std::lock_guard<std::mutex> lock(engine->mutex);
    engine->md->beginRun(stepsOf(info[1]));
    return env.Undefined();
  });
}

Napi::Value run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    const long steps = stepsOf(info[1]);
    Thermo t = onNativeThread([&] { return runSteps(*engine, steps); });
    return thermoToJs(env, t);
  });
}

Napi::Value runAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    const long steps = stepsOf(info[1]);
    return PromiseWorker<Thermo>::start(
        env, [engine, steps] { return runSteps(*engine, steps); },
        [](Napi::Env e, Thermo& t) { return thermoToJs(e, t); }, {});
  });
}

Napi::Value thermo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    std::lock_guard<std::mutex> lock(engine->mutex);
    Thermo t = engine->md->thermo();
    return thermoToJs(env, t);
  });
}

Napi::Value state(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    std::lock_guard<std::mutex> lock(engine->mutex);
    Napi::Object o = Napi::Object::New(env);
    o.Set("positions", toTypedArray(env, std::vector<double>(engine->md->positions())));
    o.Set("velocities", toTypedArray(env, std::vector<double>(engine->md->velocities())));
    o.Set("forces", toTypedArray(env, std::vector<double>(engine->md->forces())));
    if (!engine->md->cell().empty()) o.Set("cell", toTypedArray(env, std::vector<double>(engine->md->cell())));
    else o.Set("cell", env.Null());
    return o;
  });
}

Napi::Value prepareStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    std::vector<double> positions = onNativeThread([&] {
      std::lock_guard<std::mutex> lock(engine->mutex);
      engine->md->prepareStep();
      return engine->md->positions();
    });
    return toTypedArray(env, std::move(positions));
  });
}

// (handle, energy, forces Float64Array [3n], virial Float64Array [9]) for finishStep / setForces.
template <class Apply>
Napi::Value takeForces(const Napi::CallbackInfo& info, Apply apply) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    const double energy = numberOf(info[1], "energy");
    auto forces = viewOf<double>(info[2], "forces", 3 * engine->md->size());  // the size never changes
    auto virial = viewOf<double>(info[3], "virial", 9);
    Thermo t = onNativeThread([&] {
      std::lock_guard<std::mutex> lock(engine->mutex);
      apply(*engine->md, energy, forces.data, virial.data);
      return engine->md->thermo();
    });
    return thermoToJs(env, t);
  });
}

Napi::Value saveState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    std::lock_guard<std::mutex> lock(engine->mutex);
    return toTypedArray(env, engine->md->saveState());
  });
}

Napi::Value loadState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto engine = engineOf(info[0]);
    auto bytes = viewOf<uint8_t>(info[1], "state");
    Thermo t = onNativeThread([&] {
      std::lock_guard<std::mutex> lock(engine->mutex);
      std::lock_guard<std::mutex> evaluation(evaluationMutex());
      engine->md->loadState(bytes.data, bytes.length);
      return engine->md->thermo();
    });
    return thermoToJs(env, t);
  });
}

Napi::Value finishStep(const Napi::CallbackInfo& info) {
  return takeForces(info, [](MolecularDynamics& md, double e, const double* f, const double* w) { md.finishStep(e, f, w); });
}

Napi::Value setForces(const Napi::CallbackInfo& info) {
  return takeForces(info, [](MolecularDynamics& md, double e, const double* f, const double* w) { md.setForces(e, f, w); });
}

}  // namespace

void registerMolecularDynamics(Napi::Env env, Napi::Object exports) {
  exports.Set("createMolecularDynamics", Napi::Function::New(env, create));
  exports.Set("mdBeginRun", Napi::Function::New(env, beginRun));
  exports.Set("mdRun", Napi::Function::New(env, run));
  exports.Set("mdRunAsync", Napi::Function::New(env, runAsync));
  exports.Set("mdThermo", Napi::Function::New(env, thermo));
  exports.Set("mdState", Napi::Function::New(env, state));
  exports.Set("mdPrepareStep", Napi::Function::New(env, prepareStep));
  exports.Set("mdFinishStep", Napi::Function::New(env, finishStep));
  exports.Set("mdSetForces", Napi::Function::New(env, setForces));
  exports.Set("mdSaveState", Napi::Function::New(env, saveState));
  exports.Set("mdLoadState", Napi::Function::New(env, loadState));
}

}  // namespace polymorph::addon

// Bindings of HDNNP training (core/hdnnp_training.hpp):
//   createHdnnpTraining(spec) → handle
//     spec: { symmetryFunctions (addon/symmetry_functions.hpp), normalizeNodes, cacheValues: boolean,
//             meanEnergy, convEnergy: number,
//             networks: [{ layers: Int32Array, activations: string, scaleFactor, scaleShift,
//                          scaleBase: Float64Array [n_e], atomEnergy: number }] (element order),
//             structures: { atoms: Int32Array [S], elements: Int32Array [ΣN], positions: Float64Array [3ΣN],
//                           cells: Float64Array [9S], hasCell: Uint8Array [S], pbc: Uint8Array [3S],
//                           energies: Float64Array [S], hasForces: Uint8Array [S],
//                           forces: Float64Array [3ΣN] (ignored where hasForces is 0),
//                           hasStress: Uint8Array [S], stress: Float64Array [9S] } }
//     (every number in the potential's units)
//   hdnnpTrainingInfo(handle) → { weightCount, offsets: Int32Array [E], cacheBytes }
//   hdnnpTrainingLoss(handle, weights, batch: Int32Array, lossWeights {energy, forces, stress},
//                     gradient: boolean, needForces: boolean) and …Async → { loss, gradient?, errors }
//     errors: Float64Array [B·6]: (ΔE/N, Σ|ΔF|², force components, Σ Δσ², stress components, ℓ)
//   hdnnpTrainingEpochAsync(handle, weights, m, v, step: Float64Array [1], order: Int32Array,
//                           batchSize, lossWeights, adam {learningRate, beta1, beta2, epsilon,
//                           weightDecay, l2}, decayMask: Uint8Array | null, groups: Float64Array
//                           [3G] (offset, length, λ) | null, forceMask: Uint8Array [order] | null)
//     → Promise<{ loss, batches, errors }>;
//     weights, m, v and step are updated in place (the caller must not touch them until it settles).
//   hdnnpTrainingStatisticsAsync(handle) → Promise<[{ min, max, mean, sigma: Float64Array, atoms }]>
//     per element (a values pass over every structure; fills the value cache)
//   hdnnpTrainingSetScaling(handle, e, factor, shift, base: Float64Array [n_e])
//   hdnnpTrainingSetNormalization(handle, meanEnergy, convEnergy, atomEnergies: Float64Array [E])
//   hdnnpTrainingCancel(handle, flag): a running epoch stops at its next batch (E_CANCELLED).
#include <atomic>

#include "addon/common.hpp"
#include "addon/hdnnp_training.hpp"
#include "addon/symmetry_functions.hpp"

namespace polymorph::addon {
namespace {

std::vector<TrainingStructure> structuresOf(const Napi::Value& value) {
  Napi::Env env = value.Env();
  Napi::Object o = objectOf(value, "structures");
  auto atoms = viewOf<int32_t>(o.Get("atoms"), "atoms");
  const std::size_t S = atoms.length;
  std::size_t total = 0;
  for (std::size_t s = 0; s < S; ++s) {
    if (atoms.data[s] <= 0) fail(env, "E_EMPTY", "structure " + std::to_string(s) + " has no atoms");
    total += static_cast<std::size_t>(atoms.data[s]);
  }
  auto elements = viewOf<int32_t>(o.Get("elements"), "elements", total);
  auto positions = viewOf<double>(o.Get("positions"), "positions", 3 * total);
  auto cells = viewOf<double>(o.Get("cells"), "cells", 9 * S);
  auto hasCell = viewOf<uint8_t>(o.Get("hasCell"), "hasCell", S);
  auto pbc = viewOf<uint8_t>(o.Get("pbc"), "pbc", 3 * S);
  auto energies = viewOf<double>(o.Get("energies"), "energies", S);
  auto hasForces = viewOf<uint8_t>(o.Get("hasForces"), "hasForces", S);
  auto forces = viewOf<double>(o.Get("forces"), "forces", 3 * total);
  auto hasStress = viewOf<uint8_t>(o.Get("hasStress"), "hasStress", S);
  auto stress = viewOf<double>(o.Get("stress"), "stress", 9 * S);
  std::vector<TrainingStructure> out(S);
  std::size_t at = 0;
  for (std::size_t s = 0; s < S; ++s) {
    TrainingStructure& t = out[s];
    const std::size_t n = static_cast<std::size_t>(atoms.data[s]);
    t.elements.assign(elements.data + at, elements.data + at + n);
    t.positions.assign(positions.data + 3 * at, positions.data + 3 * (at + n));
    if (hasCell.data[s] != 0) t.cell.assign(cells.data + 9 * s, cells.data + 9 * s + 9);
    for (int a = 0; a < 3; ++a) t.pbc[a] = pbc.data[3 * s + a] != 0;
    t.energy = energies.data[s];
    if (hasForces.data[s] != 0) t.forces.assign(forces.data + 3 * at, forces.data + 3 * (at + n));
    if (hasStress.data[s] != 0) t.stress.assign(stress.data + 9 * s, stress.data + 9 * s + 9);
    at += n;
  }
  return out;
}

Napi::Value createHdnnpTraining(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Napi::Object spec = objectOf(info[0], "HDNNP training spec");
    std::unique_ptr<SymmetryFunctionSet> set = symmetryFunctionSetOf(spec.Get("symmetryFunctions"));
    if (!spec.Get("networks").IsArray()) fail(env, "E_TYPE", "networks must be an array");
    Napi::Array networks = spec.Get("networks").As<Napi::Array>();
    std::vector<TrainingElement> elements;
    for (uint32_t e = 0; e < networks.Length(); ++e) {
      Napi::Object n = objectOf(networks.Get(e), "networks[e]");
      auto layers = viewOf<int32_t>(n.Get("layers"), "layers");
      if (!n.Get("activations").IsString()) fail(env, "E_TYPE", "activations must be a string");
      TrainingElement el;
      el.layers.assign(layers.data, layers.data + layers.length);
      el.activations = n.Get("activations").As<Napi::String>().Utf8Value();
      el.scaleFactor = copyOf<double>(n.Get("scaleFactor"), "scaleFactor");
      el.scaleShift = copyOf<double>(n.Get("scaleShift"), "scaleShift");
      el.scaleBase = copyOf<double>(n.Get("scaleBase"), "scaleBase");
      el.atomEnergy = numberOf(n.Get("atomEnergy"), "atomEnergy");
      elements.push_back(std::move(el));
    }
    auto handle = std::make_shared<TrainingHandle>();
    handle->training = std::make_unique<HdnnpTraining>(
        std::move(set), std::move(elements), boolOf(spec.Get("normalizeNodes"), "normalizeNodes"),
        numberOf(spec.Get("meanEnergy"), "meanEnergy"), numberOf(spec.Get("convEnergy"), "convEnergy"),
        structuresOf(spec.Get("structures")), boolOf(spec.Get("cacheValues"), "cacheValues"));
    return makeHandle(env, handle);
  });
}

Napi::Value hdnnpTrainingInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto h = handleOf<TrainingHandle>(info[0], "HDNNP training");
    const HdnnpTraining& t = *h->training;
    Napi::Object out = Napi::Object::New(env);
    out.Set("weightCount", Napi::Number::New(env, static_cast<double>(t.weightCount())));
    std::vector<int32_t> offsets;
    for (int e = 0; e < t.elementCount(); ++e) offsets.push_back(static_cast<int32_t>(t.weightOffset(e)));
    out.Set("offsets", toTypedArray(env, std::move(offsets)));
    out.Set("cacheBytes", Napi::Number::New(env, static_cast<double>(t.cacheBytes())));
    return out;
  });
}

LossWeights lossWeightsOf(const Napi::Value& value) {
  Napi::Object o = objectOf(value, "lossWeights");
  LossWeights w;
  w.energy = numberOf(o.Get("energy"), "lossWeights.energy");
  w.forces = numberOf(o.Get("forces"), "lossWeights.forces");
  w.stress = numberOf(o.Get("stress"), "lossWeights.stress");
  return w;
}

Napi::Float64Array errorsOf(Napi::Env env, const std::vector<StructureErrors>& errors) {
  std::vector<double> flat;
  flat.reserve(6 * errors.size());
  for (const StructureErrors& e : errors) {
    flat.insert(flat.end(), {e.energy, e.forceSquares, static_cast<double>(e.forceComponents), e.stressSquares,
                             static_cast<double>(e.stressComponents), e.loss});
  }
  return toTypedArray(env, std::move(flat));
}

struct LossJob {
  std::shared_ptr<TrainingHandle> handle;
  const double* weights = nullptr;
  const int32_t* batch = nullptr;
  std::size_t B = 0;
  LossWeights lossWeights;
  bool gradient = false, needForces = false;
};
struct LossResult {
  double loss = 0.0;
  std::vector<double> gradient;
  std::vector<StructureErrors> errors;
};

LossJob lossJobOf(const Napi::CallbackInfo& info) {
  LossJob job;
  job.handle = handleOf<TrainingHandle>(info[0], "HDNNP training");
  job.weights = viewOf<double>(info[1], "weights", job.handle->training->weightCount()).data;
  auto batch = viewOf<int32_t>(info[2], "batch");
  job.batch = batch.data;
  job.B = batch.length;
  job.lossWeights = lossWeightsOf(info[3]);
  job.gradient = boolOf(info[4], "gradient");
  job.needForces = boolOf(info[5], "needForces");
  return job;
}

LossResult runLoss(const LossJob& job) {
  LossResult r;
  r.errors.resize(job.B);
  if (job.gradient) r.gradient.resize(job.handle->training->weightCount());
  r.loss = job.handle->training->loss(job.weights, job.batch, job.B, job.lossWeights,
                                      job.gradient ? r.gradient.data() : nullptr, r.errors.data(), job.needForces);
  return r;
}

Napi::Value lossToJs(Napi::Env env, LossResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("loss", Napi::Number::New(env, r.loss));
  if (!r.gradient.empty()) out.Set("gradient", toTypedArray(env, std::move(r.gradient)));
  out.Set("errors", errorsOf(env, r.errors));
  return out;
}

Napi::Value hdnnpTrainingLoss(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    LossJob job = lossJobOf(info);
    LossResult r = onNativeThread([&] { return runLoss(job); });
    return lossToJs(env, r);
  });
}

Napi::Value hdnnpTrainingLossAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    LossJob job = lossJobOf(info);
    return PromiseWorker<LossResult>::start(env, [job] { return runLoss(job); }, lossToJs, {info[1], info[2]});
  });
}

struct EpochJob {
  std::shared_ptr<TrainingHandle> handle;
  double *weights = nullptr, *m = nullptr, *v = nullptr, *step = nullptr;
  const int32_t* order = nullptr;
  std::size_t count = 0, batchSize = 1;
  LossWeights lossWeights;
  AdamSettings adam;
  const uint8_t* decayMask = nullptr;
  std::vector<WeightGroup> groups;
  const uint8_t* forceMask = nullptr;
};

Napi::Value hdnnpTrainingEpochAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    EpochJob job;
    job.handle = handleOf<TrainingHandle>(info[0], "HDNNP training");
    const std::size_t W = job.handle->training->weightCount();
    // The arrays are written in place: views of the caller's memory.
    job.weights = const_cast<double*>(viewOf<double>(info[1], "weights", W).data);
    job.m = const_cast<double*>(viewOf<double>(info[2], "m", W).data);
    job.v = const_cast<double*>(viewOf<double>(info[3], "v", W).data);
    job.step = const_cast<double*>(viewOf<double>(info[4], "step", 1).data);
    auto order = viewOf<int32_t>(info[5], "order");
    job.order = order.data;
    job.count = order.length;
    const double batch = numberOf(info[6], "batchSize");
    if (!(batch >= 1.0 && batch == static_cast<double>(static_cast<int64_t>(batch)))) fail(env, "E_VALUE", "batchSize must be a positive integer");
    job.batchSize = static_cast<std::size_t>(batch);
    job.lossWeights = lossWeightsOf(info[7]);
    Napi::Object a = objectOf(info[8], "adam");
    job.adam.learningRate = numberOf(a.Get("learningRate"), "learningRate");
    job.adam.beta1 = numberOf(a.Get("beta1"), "beta1");
    job.adam.beta2 = numberOf(a.Get("beta2"), "beta2");
    job.adam.epsilon = numberOf(a.Get("epsilon"), "epsilon");
    job.adam.weightDecay = numberOf(a.Get("weightDecay"), "weightDecay");
    job.adam.l2 = numberOf(a.Get("l2"), "l2");
    if (!info[9].IsNull()) job.decayMask = viewOf<uint8_t>(info[9], "decayMask", W).data;
    if (!info[10].IsNull()) {
      auto g = viewOf<double>(info[10], "groups");
      if (g.length % 3 != 0) fail(env, "E_SHAPE", "groups must hold (offset, length, strength) triples");
      for (std::size_t k = 0; k < g.length; k += 3) {
        if (!(g.data[k] >= 0 && g.data[k + 1] >= 0 && g.data[k + 2] >= 0)) fail(env, "E_VALUE", "groups: negative entries");
        job.groups.push_back({static_cast<std::size_t>(g.data[k]), static_cast<std::size_t>(g.data[k + 1]), g.data[k + 2]});
      }
    }
    if (!info[11].IsNull() && !info[11].IsUndefined()) job.forceMask = viewOf<uint8_t>(info[11], "forceMask", job.count).data;
    job.handle->cancel.store(false);
    auto compute = [job]() {
      int64_t step = static_cast<int64_t>(*job.step);
      EpochResult r = trainEpoch(*job.handle->training, job.weights, job.m, job.v, step, job.order, job.count, job.batchSize,
                                 job.lossWeights, job.adam, job.decayMask, job.groups, &job.handle->cancel, job.forceMask);
      *job.step = static_cast<double>(step);
      return r;
    };
    auto toJs = [](Napi::Env env, EpochResult& r) -> Napi::Value {
      Napi::Object out = Napi::Object::New(env);
      out.Set("loss", Napi::Number::New(env, r.loss));
      out.Set("batches", Napi::Number::New(env, static_cast<double>(r.batches)));
      out.Set("errors", errorsOf(env, r.errors));
      return out;
    };
    return PromiseWorker<EpochResult>::start(env, compute, toJs, {info[1], info[2], info[3], info[4], info[5], info[9], info[10], info[11]});
  });
}

Napi::Value hdnnpTrainingStatisticsAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto handle = handleOf<TrainingHandle>(info[0], "HDNNP training");
    using Result = std::vector<HdnnpTraining::ValueStatistics>;
    handle->cancel.store(false);
    auto compute = [handle]() { return handle->training->valueStatistics(&handle->cancel); };
    auto toJs = [](Napi::Env env, Result& r) -> Napi::Value {
      Napi::Array out = Napi::Array::New(env, r.size());
      for (std::size_t e = 0; e < r.size(); ++e) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("min", toTypedArray(env, std::move(r[e].min)));
        o.Set("max", toTypedArray(env, std::move(r[e].max)));
        o.Set("mean", toTypedArray(env, std::move(r[e].mean)));
        o.Set("sigma", toTypedArray(env, std::move(r[e].sigma)));
        o.Set("atoms", Napi::Number::New(env, static_cast<double>(r[e].atoms)));
        out.Set(static_cast<uint32_t>(e), o);
      }
      return out;
    };
    return PromiseWorker<Result>::start(env, compute, toJs, {});
  });
}

Napi::Value hdnnpTrainingSetScaling(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto handle = handleOf<TrainingHandle>(info[0], "HDNNP training");
    const int e = static_cast<int>(numberOf(info[1], "element"));
    std::vector<double> factor = copyOf<double>(info[2], "factor"), shift = copyOf<double>(info[3], "shift"), base = copyOf<double>(info[4], "base");
    onNativeThread([&] { handle->training->setScaling(e, std::move(factor), std::move(shift), std::move(base)); });
    return env.Undefined();
  });
}

Napi::Value hdnnpTrainingSetNormalization(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto handle = handleOf<TrainingHandle>(info[0], "HDNNP training");
    const double mean = numberOf(info[1], "meanEnergy"), conv = numberOf(info[2], "convEnergy");
    std::vector<double> atomEnergies = copyOf<double>(info[3], "atomEnergies");
    onNativeThread([&] { handle->training->setNormalization(mean, conv, atomEnergies); });
    return env.Undefined();
  });
}

Napi::Value hdnnpTrainingCancel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    // Set directly, not on the native thread: that thread is busy with the epoch being cancelled.
    handleOf<TrainingHandle>(info[0], "HDNNP training")->cancel.store(boolOf(info[1], "flag"));
    return env.Undefined();
  });
}

}  // namespace

void registerHdnnpTraining(Napi::Env env, Napi::Object exports) {
  exports.Set("createHdnnpTraining", Napi::Function::New(env, createHdnnpTraining));
  exports.Set("hdnnpTrainingInfo", Napi::Function::New(env, hdnnpTrainingInfo));
  exports.Set("hdnnpTrainingLoss", Napi::Function::New(env, hdnnpTrainingLoss));
  exports.Set("hdnnpTrainingLossAsync", Napi::Function::New(env, hdnnpTrainingLossAsync));
  exports.Set("hdnnpTrainingEpochAsync", Napi::Function::New(env, hdnnpTrainingEpochAsync));
  exports.Set("hdnnpTrainingStatisticsAsync", Napi::Function::New(env, hdnnpTrainingStatisticsAsync));
  exports.Set("hdnnpTrainingSetScaling", Napi::Function::New(env, hdnnpTrainingSetScaling));
  exports.Set("hdnnpTrainingSetNormalization", Napi::Function::New(env, hdnnpTrainingSetNormalization));
  exports.Set("hdnnpTrainingCancel", Napi::Function::New(env, hdnnpTrainingCancel));
}

}  // namespace polymorph::addon

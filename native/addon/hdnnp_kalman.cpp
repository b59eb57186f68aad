// Binding of the Kalman-filter epoch (core/hdnnp_kalman.hpp):
//   hdnnpTrainingKalmanEpochAsync(handle, weights: Float64Array [W], P: Float64Array [W²],
//       state: Float64Array [3] (q, η, updates), order: Int32Array, settings: { epsilon, q0, qtau, qmin,
//       eta0, etatau, etamax, forceWeight, energyFraction, forceFraction, energyThreshold,
//       forceThreshold, thresholdTrials, pool }, seed, energyRmse, forceRmse)
//     → Promise<{ energyUpdates, forceUpdates, energySquares, energyCount, forceSquares, forceCount }>;
//     weights, P and state are updated in place (untouched by the caller until it settles).
//   A P of zeros of the right size is initialised to I/ε (and state to q0, η0, 0) first.
#include "addon/common.hpp"
#include "addon/hdnnp_training.hpp"
#include "core/hdnnp_kalman.hpp"

namespace polymorph::addon {
namespace {

Napi::Value hdnnpTrainingKalmanEpochAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    auto handle = handleOf<TrainingHandle>(info[0], "HDNNP training");
    const std::size_t W = handle->training->weightCount();
    double* weights = const_cast<double*>(viewOf<double>(info[1], "weights", W).data);
    double* P = const_cast<double*>(viewOf<double>(info[2], "P", W * W).data);
    double* state = const_cast<double*>(viewOf<double>(info[3], "state", 3).data);
    auto order = viewOf<int32_t>(info[4], "order");
    Napi::Object o = objectOf(info[5], "settings");
    KalmanSettings k;
    k.epsilon = numberOf(o.Get("epsilon"), "epsilon");
    k.q0 = numberOf(o.Get("q0"), "q0");
    k.qtau = numberOf(o.Get("qtau"), "qtau");
    k.qmin = numberOf(o.Get("qmin"), "qmin");
    k.eta0 = numberOf(o.Get("eta0"), "eta0");
    k.etatau = numberOf(o.Get("etatau"), "etatau");
    k.etamax = numberOf(o.Get("etamax"), "etamax");
    k.forceWeight = numberOf(o.Get("forceWeight"), "forceWeight");
    k.energyFraction = numberOf(o.Get("energyFraction"), "energyFraction");
    k.forceFraction = numberOf(o.Get("forceFraction"), "forceFraction");
    k.energyThreshold = numberOf(o.Get("energyThreshold"), "energyThreshold");
    k.forceThreshold = numberOf(o.Get("forceThreshold"), "forceThreshold");
    k.thresholdTrials = static_cast<int>(numberOf(o.Get("thresholdTrials"), "thresholdTrials"));
    k.pool = static_cast<int>(numberOf(o.Get("pool"), "pool"));
    const uint64_t seed = static_cast<uint64_t>(numberOf(info[6], "seed"));
    const double energyRmse = numberOf(info[7], "energyRmse"), forceRmse = numberOf(info[8], "forceRmse");
    handle->cancel.store(false);
    const int32_t* orderData = order.data;
    const std::size_t count = order.length;
    auto compute = [=]() {
      KalmanState s;
      bool fresh = true;
      for (std::size_t q = 0; q < W * W && fresh; ++q) fresh = P[q] == 0.0;
      if (fresh) {
        s = kalmanInitialize(W, k);
      } else {
        s.P.assign(P, P + W * W);
        s.q = state[0];
        s.eta = state[1];
        s.updates = static_cast<int64_t>(state[2]);
      }
      KalmanEpochResult r = kalmanEpoch(*handle->training, weights, s, orderData, count, k, seed, energyRmse, forceRmse, &handle->cancel);
      std::copy(s.P.begin(), s.P.end(), P);
      state[0] = s.q;
      state[1] = s.eta;
      state[2] = static_cast<double>(s.updates);
      return r;
    };
    auto toJs = [](Napi::Env env, KalmanEpochResult& r) -> Napi::Value {
      Napi::Object out = Napi::Object::New(env);
      out.Set("energyUpdates", Napi::Number::New(env, static_cast<double>(r.energyUpdates)));
      out.Set("forceUpdates", Napi::Number::New(env, static_cast<double>(r.forceUpdates)));
      out.Set("energySquares", Napi::Number::New(env, r.energySquares));
      out.Set("energyCount", Napi::Number::New(env, static_cast<double>(r.energyCount)));
      out.Set("forceSquares", Napi::Number::New(env, r.forceSquares));
      out.Set("forceCount", Napi::Number::New(env, static_cast<double>(r.forceCount)));
      return out;
    };
    return PromiseWorker<KalmanEpochResult>::start(env, compute, toJs, {info[1], info[2], info[3], info[4]});
  });
}

}  // namespace

void registerHdnnpKalman(Napi::Env env, Napi::Object exports) {
  exports.Set("hdnnpTrainingKalmanEpochAsync", Napi::Function::New(env, hdnnpTrainingKalmanEpochAsync));
}

}  // namespace polymorph::addon

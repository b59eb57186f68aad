// Bindings: Gaussian mixtures (native/core/gaussian_mixture.hpp).
//
//   gaussianMixtureFit(X, nSamples, nFeatures, options, start) and gaussianMixtureFitAsync(…)
//     X        Float64Array [nSamples·nFeatures], row-major
//     options  { nComponents, diag: boolean, nInit, maxIter, tol, regCovar, seed }
//     start    null (k-means initialisations) or { weights [K], means [K·d], covariances [K·d·d | K·d] }
//   → { weights, means, covariances, precisionsCholesky (Float64Array), lowerBound, lowerBounds (Float64Array),
//       nIter, converged, bestInit }
//
//   gaussianMixtureScore(X, nSamples, model, want)
//     model    { nComponents, nFeatures, diag, weights, means, precisionsCholesky }
//     want     { logProb: boolean, proba: boolean, labels: boolean }
//   → { mean, logProb?: Float64Array [n], proba?: Float64Array [n·K], labels?: Int32Array [n] }
#include "core/gaussian_mixture.hpp"

#include <cmath>

#include "addon/common.hpp"

namespace polymorph::addon {
namespace {

std::size_t countOf(const Napi::Value& value, const char* what, double least) {
  const double x = numberOf(value, what);
  if (!(x >= least && x <= 1e12 && x == std::floor(x))) {
    fail(value.Env(), "E_VALUE", std::string(what) + " must be an integer >= " + std::to_string(static_cast<int>(least)));
  }
  return static_cast<std::size_t>(x);
}

std::vector<double> copyOf(const Napi::Value& value, const char* what, std::size_t length) {
  const auto view = viewOf<double>(value, what, length);
  return std::vector<double>(view.data, view.data + view.length);
}

struct FitArgs {
  const double* X = nullptr;
  std::size_t n = 0, d = 0;
  GaussianMixtureOptions options;
  bool hasStart = false;
  GaussianMixtureModel start;
};

FitArgs parseFit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) fail(env, "E_TYPE", "gaussianMixtureFit expects 5 arguments");
  FitArgs a;
  a.n = countOf(info[1], "nSamples", 0);
  a.d = countOf(info[2], "nFeatures", 1);
  a.X = viewOf<double>(info[0], "X", a.n * a.d).data;
  Napi::Object o = objectOf(info[3], "options");
  GaussianMixtureOptions& opt = a.options;
  opt.nComponents = countOf(o.Get("nComponents"), "options.nComponents", 1);
  opt.covarianceType = boolOf(o.Get("diag"), "options.diag") ? CovarianceType::Diag : CovarianceType::Full;
  opt.nInit = static_cast<int>(countOf(o.Get("nInit"), "options.nInit", 1));
  opt.maxIter = static_cast<int>(countOf(o.Get("maxIter"), "options.maxIter", 1));
  opt.tol = numberOf(o.Get("tol"), "options.tol");
  opt.regCovar = numberOf(o.Get("regCovar"), "options.regCovar");
  const double seed = numberOf(o.Get("seed"), "options.seed");
  if (!(seed >= 0 && seed <= 9007199254740991.0 && seed == std::floor(seed))) fail(env, "E_VALUE", "options.seed must be an integer 0…2^53−1");
  opt.seed = static_cast<uint64_t>(seed);
  if (!info[4].IsNull() && !info[4].IsUndefined()) {
    Napi::Object s = objectOf(info[4], "start");
    const std::size_t K = opt.nComponents, d = a.d;
    a.hasStart = true;
    a.start.nComponents = K, a.start.nFeatures = d, a.start.covarianceType = opt.covarianceType;
    a.start.weights = copyOf(s.Get("weights"), "start.weights", K);
    a.start.means = copyOf(s.Get("means"), "start.means", K * d);
    a.start.covariances = copyOf(s.Get("covariances"), "start.covariances", K * covarianceSize(opt.covarianceType, d));
  }
  return a;
}

GaussianMixtureFit computeFit(const FitArgs& a) {
  return a.hasStart ? fitGaussianMixtureFrom(a.X, a.n, a.d, a.options, a.start) : fitGaussianMixture(a.X, a.n, a.d, a.options);
}

Napi::Value fitToJs(Napi::Env env, GaussianMixtureFit& f) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("weights", toTypedArray(env, std::move(f.model.weights)));
  out.Set("means", toTypedArray(env, std::move(f.model.means)));
  out.Set("covariances", toTypedArray(env, std::move(f.model.covariances)));
  out.Set("precisionsCholesky", toTypedArray(env, std::move(f.model.precisionsCholesky)));
  out.Set("lowerBound", Napi::Number::New(env, f.lowerBound));
  out.Set("lowerBounds", toTypedArray(env, std::move(f.lowerBounds)));
  out.Set("nIter", Napi::Number::New(env, f.nIter));
  out.Set("converged", Napi::Boolean::New(env, f.converged));
  out.Set("bestInit", Napi::Number::New(env, f.bestInit));
  return out;
}

Napi::Value gaussianMixtureFit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    FitArgs args = parseFit(info);
    GaussianMixtureFit fit = onNativeThread([&] { return computeFit(args); });
    return fitToJs(env, fit);
  });
}

Napi::Value gaussianMixtureFitAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    FitArgs args = parseFit(info);  // the start parameters are copied; X is read on the worker (kept alive)
    return PromiseWorker<GaussianMixtureFit>::start(env, [args] { return computeFit(args); }, fitToJs, {info[0]});
  });
}

struct Scores {
  double mean = 0.0;
  std::vector<double> logProb, proba;
  std::vector<int32_t> labels;
};

Napi::Value gaussianMixtureScore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() != 4) fail(env, "E_TYPE", "gaussianMixtureScore expects 4 arguments");
    Napi::Object m = objectOf(info[2], "model");
    GaussianMixtureModel model;
    model.nComponents = countOf(m.Get("nComponents"), "model.nComponents", 1);
    model.nFeatures = countOf(m.Get("nFeatures"), "model.nFeatures", 1);
    model.covarianceType = boolOf(m.Get("diag"), "model.diag") ? CovarianceType::Diag : CovarianceType::Full;
    const std::size_t K = model.nComponents, d = model.nFeatures;
    const std::size_t n = countOf(info[1], "nSamples", 1);
    const double* X = viewOf<double>(info[0], "X", n * d).data;
    model.weights = copyOf(m.Get("weights"), "model.weights", K);
    model.means = copyOf(m.Get("means"), "model.means", K * d);
    model.precisionsCholesky = copyOf(m.Get("precisionsCholesky"), "model.precisionsCholesky", K * covarianceSize(model.covarianceType, d));
    Napi::Object want = objectOf(info[3], "want");
    const bool wantLogProb = boolOf(want.Get("logProb"), "want.logProb");
    const bool wantProba = boolOf(want.Get("proba"), "want.proba");
    const bool wantLabels = boolOf(want.Get("labels"), "want.labels");
    Scores s = onNativeThread([&] {
      Scores r;
      if (wantLogProb) r.logProb.resize(n);
      if (wantProba) r.proba.resize(n * K);
      if (wantLabels) r.labels.resize(n);
      r.mean = scoreGaussianMixture(model, X, n, wantLogProb ? r.logProb.data() : nullptr, wantProba ? r.proba.data() : nullptr,
                                    wantLabels ? r.labels.data() : nullptr);
      return r;
    });
    Napi::Object out = Napi::Object::New(env);
    out.Set("mean", Napi::Number::New(env, s.mean));
    if (wantLogProb) out.Set("logProb", toTypedArray(env, std::move(s.logProb)));
    if (wantProba) out.Set("proba", toTypedArray(env, std::move(s.proba)));
    if (wantLabels) out.Set("labels", toTypedArray(env, std::move(s.labels)));
    return out;
  });
}

}  // namespace

void registerGaussianMixture(Napi::Env env, Napi::Object exports) {
  exports.Set("gaussianMixtureFit", Napi::Function::New(env, gaussianMixtureFit));
  exports.Set("gaussianMixtureFitAsync", Napi::Function::New(env, gaussianMixtureFitAsync));
  exports.Set("gaussianMixtureScore", Napi::Function::New(env, gaussianMixtureScore));
}

}  // namespace polymorph::addon

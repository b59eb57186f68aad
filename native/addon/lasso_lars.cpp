// Bindings: lassoLarsPath(X, nSamples, nFeatures, y, options) and its async form.
//
//   X        Float64Array [nSamples·nFeatures], row-major
//   y        Float64Array [nSamples]
//   options  { fitIntercept: boolean, alphaMin: number, maxIter: number, positive: boolean,
//              rss: boolean,        // residual sums of squares along the path
//              olsRss: boolean,     // residual sum of squares of the centred OLS fit (NNLS when positive)
//              testX?: Float64Array [nTest·nFeatures], testY?: Float64Array [nTest] }
//
// Returns { alphas: Float64Array [K], coefs: Float64Array [K·nFeatures] (row k = w at alphas[k]),
//           active: Int32Array, nIter, earlyStop, degenerate, xMean: Float64Array [nFeatures], yMean,
//           rss?: Float64Array [K], olsRss?: number,
//           residues?: Float64Array [K·nTest] (X_test w_k − y_test, both centred by the training means) }
#include "core/lasso_lars.hpp"
#include "core/non_negative_least_squares.hpp"

#include <cmath>

#include "addon/common.hpp"

namespace polymorph::addon {
namespace {

struct Args {
  const double* X = nullptr;
  const double* y = nullptr;
  std::size_t n = 0, p = 0;
  bool fitIntercept = true, positive = false, rss = false, olsRss = false;
  double alphaMin = 0.0;
  int maxIter = 500;
  const double* testX = nullptr;
  const double* testY = nullptr;
  std::size_t nTest = 0;
};

struct Result {
  LarsPath path;
  std::vector<double> xMean, rss, residues;
  double yMean = 0.0, olsRss = NAN;
  bool hasRss = false, hasOls = false, hasResidues = false;
};

std::size_t sizeOf(const Napi::Value& value, const char* what) {
  const double x = numberOf(value, what);
  if (!(x >= 1 && x <= 1e12 && x == std::floor(x))) fail(value.Env(), "E_VALUE", std::string(what) + " must be a positive integer");
  return static_cast<std::size_t>(x);
}

Args parseArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) fail(env, "E_TYPE", "lassoLarsPath expects 5 arguments");
  Args a;
  a.n = sizeOf(info[1], "nSamples");
  a.p = sizeOf(info[2], "nFeatures");
  a.X = viewOf<double>(info[0], "X", a.n * a.p).data;
  a.y = viewOf<double>(info[3], "y", a.n).data;
  Napi::Object o = objectOf(info[4], "options");
  a.fitIntercept = boolOf(o.Get("fitIntercept"), "options.fitIntercept");
  a.positive = boolOf(o.Get("positive"), "options.positive");
  a.rss = boolOf(o.Get("rss"), "options.rss");
  a.olsRss = boolOf(o.Get("olsRss"), "options.olsRss");
  a.alphaMin = numberOf(o.Get("alphaMin"), "options.alphaMin");
  a.maxIter = static_cast<int>(sizeOf(o.Get("maxIter"), "options.maxIter"));
  if (o.Has("testX") && !o.Get("testX").IsUndefined()) {
    auto testY = viewOf<double>(o.Get("testY"), "options.testY");
    a.nTest = testY.length;
    a.testY = testY.data;
    a.testX = viewOf<double>(o.Get("testX"), "options.testX", a.nTest * a.p).data;
  }
  return a;
}

Result compute(const Args& a) {
  Result r;
  CentredProducts c = centredProducts(a.X, a.y, a.n, a.p, a.fitIntercept);
  LarsProblem problem;
  problem.gram = c.gram.data();
  problem.xty = c.xty.data();
  problem.nSamples = a.n;
  problem.nFeatures = a.p;
  problem.alphaMin = a.alphaMin;
  problem.maxIter = a.maxIter;
  problem.positive = a.positive;
  r.path = larsPath(problem);
  const std::size_t k = r.path.alphas.size();
  const double* mean = a.fitIntercept ? c.xMean.data() : nullptr;
  if (a.rss) {
    r.rss = residualSumsOfSquares(a.X, a.y, a.n, a.p, mean, c.yMean, r.path.coefs.data(), k);
    r.hasRss = true;
  }
  if (a.olsRss) {  // LinearRegression(positive = a.positive, fit_intercept = False) on the centred data
    if (a.positive) {
      const std::vector<double> w = nonNegativeLeastSquares(c.gram.data(), c.xty.data(), a.p);
      r.olsRss = residualSumsOfSquares(a.X, a.y, a.n, a.p, mean, c.yMean, w.data(), 1)[0];
    } else {
      r.olsRss = leastSquaresResidual(a.X, a.y, a.n, a.p, mean, c.yMean);
    }
    r.hasOls = true;
  }
  if (a.testX) {
    r.residues.assign(k * a.nTest, 0.0);
    for (std::size_t t = 0; t < a.nTest; ++t)
      for (std::size_t q = 0; q < k; ++q) {
        double fit = 0.0;
        for (std::size_t j = 0; j < a.p; ++j) fit += (a.testX[t * a.p + j] - c.xMean[j]) * r.path.coefs[q * a.p + j];
        r.residues[q * a.nTest + t] = fit - (a.testY[t] - c.yMean);
      }
    r.hasResidues = true;
  }
  r.xMean = std::move(c.xMean);
  r.yMean = c.yMean;
  return r;
}

Napi::Value toJs(Napi::Env env, Result& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("nIter", Napi::Number::New(env, r.path.nIter));
  out.Set("earlyStop", Napi::Boolean::New(env, r.path.earlyStop));
  out.Set("degenerate", Napi::Number::New(env, r.path.degenerate));
  out.Set("alphas", toTypedArray(env, std::move(r.path.alphas)));
  out.Set("coefs", toTypedArray(env, std::move(r.path.coefs)));
  out.Set("active", toTypedArray(env, std::move(r.path.active)));
  out.Set("xMean", toTypedArray(env, std::move(r.xMean)));
  out.Set("yMean", Napi::Number::New(env, r.yMean));
  if (r.hasRss) out.Set("rss", toTypedArray(env, std::move(r.rss)));
  if (r.hasOls) out.Set("olsRss", Napi::Number::New(env, r.olsRss));
  if (r.hasResidues) out.Set("residues", toTypedArray(env, std::move(r.residues)));
  return out;
}

Napi::Value lassoLarsPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&] {
    Args args = parseArgs(info);
    Result result = onNativeThread([&] { return compute(args); });
    return toJs(env, result);
  });
}

Napi::Value lassoLarsPathAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    Args args = parseArgs(info);
    // X, y and the test arrays are read on the worker thread; the options object keeps them alive
    return PromiseWorker<Result>::start(
        env, [args] { return compute(args); }, toJs, {info[0], info[3], info[4]});
  });
}

}  // namespace

void registerLassoLars(Napi::Env env, Napi::Object exports) {
  exports.Set("lassoLarsPath", Napi::Function::New(env, lassoLarsPath));
  exports.Set("lassoLarsPathAsync", Napi::Function::New(env, lassoLarsPathAsync));
}

}  // namespace polymorph::addon

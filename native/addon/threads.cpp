// Bindings: setNumThreads / getNumThreads / availableThreads.
#include "addon/common.hpp"
#include "core/threads.hpp"

namespace polymorph::addon {

void registerThreads(Napi::Env env, Napi::Object exports) {
  exports.Set("setNumThreads", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const double n = numberOf(info[0], "n");
    if (!(n >= 0 && n <= 4096) || n != static_cast<int>(n)) {
      fail(env, "E_VALUE", "number of threads must be an integer in [0, 4096]");
    }
    polymorph::setNumThreads(static_cast<int>(n));
    return env.Undefined();
  }));
  exports.Set("getNumThreads", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), polymorph::numThreads());
  }));
  exports.Set("availableThreads", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), polymorph::availableThreads());
  }));
}

}  // namespace polymorph::addon

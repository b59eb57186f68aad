// Module entry point: each binding file adds its functions to `exports`.
#include "addon/common.hpp"

namespace polymorph::addon {
void registerGaussianMixture(Napi::Env env, Napi::Object exports);  // native/addon/gaussian_mixture.cpp
}

namespace {
Napi::Object init(Napi::Env env, Napi::Object exports) {
  using namespace polymorph::addon;
  registerThreads(env, exports);
  registerNeighborList(env, exports);
  registerEvaluator(env, exports);
  registerLennardJones(env, exports);
  registerBuckingham(env, exports);
  registerSymmetryFunctions(env, exports);
  registerHdnnp(env, exports);
  registerHdnnpTraining(env, exports);
  registerHdnnpKalman(env, exports);
  registerLassoLars(env, exports);
  registerPlipDescriptors(env, exports);
  registerEwald(env, exports);
  registerCoulomb(env, exports);
  registerMolecularDynamics(env, exports);
  registerMinimize(env, exports);
  registerCommonNeighborAnalysis(env, exports);
  registerPairHistogram(env, exports);
  registerSolidAtoms(env, exports);
  registerSteinhardt(env, exports);
  registerStructureFactor(env, exports);
  registerMsd(env, exports);
  registerGaussianMixture(env, exports);
  exports.Set("abiVersion", Napi::Number::New(env, 2));
  return exports;
}
}  // namespace

NODE_API_MODULE(polymorph, init)

// Shared by the symmetry-function and HDNNP bindings: builds a SymmetryFunctionSet from its JS spec
//   { atomicNumbers: Int32Array [E] (ascending), cutoffType: number, cutoffAlpha: number,
//     functions: Float64Array [14·K] (rows as core/symmetry_functions.hpp packs them) }.
#pragma once
#include <memory>

#include "addon/common.hpp"
#include "core/symmetry_functions.hpp"

namespace polymorph::addon {

std::unique_ptr<SymmetryFunctionSet> symmetryFunctionSetOf(const Napi::Value& spec);

}  // namespace polymorph::addon

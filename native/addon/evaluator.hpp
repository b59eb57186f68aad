// The one binding path of native potentials: each potential family's binding creates its
// evaluator (evaluator.hpp) and hands it to JavaScript as a handle made here; evaluate() and
// evaluateAsync() (addon/evaluator.cpp) serve every kind, sums included.
#pragma once
#include <memory>
#include <mutex>

#include "addon/common.hpp"
#include "core/evaluator.hpp"

namespace polymorph::addon {

// Held while native code runs an evaluator (evaluators keep scratch memory and are not
// re-entrant): evaluate(), evaluateAsync() and molecular-dynamics runs.
std::mutex& evaluationMutex();

// A JS handle owning `evaluator`.
Napi::Value evaluatorHandle(Napi::Env env, std::shared_ptr<Evaluator> evaluator);

// The evaluator behind a handle made by evaluatorHandle (E_TYPE otherwise).
std::shared_ptr<Evaluator> evaluatorOf(const Napi::Value& value);

// Element list argument: Int32Array of atomic numbers, copied.
std::vector<int32_t> elementsOf(const Napi::Value& value, const char* what);

// Charges argument: null/undefined (per-atom charges) or { elements: Int32Array, values: Float64Array }.
ChargeTable chargeTableOf(const Napi::Value& value);

}  // namespace polymorph::addon

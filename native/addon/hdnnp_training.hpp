// The JS handle of an HDNNP training (shared by addon/hdnnp_training.cpp and addon/hdnnp_kalman.cpp):
// the native trainer and the flag that cancels a running epoch from JavaScript's thread.
#pragma once
#include <atomic>
#include <memory>

#include "core/hdnnp_training.hpp"

namespace polymorph::addon {

struct TrainingHandle {
  std::unique_ptr<HdnnpTraining> training;
  std::atomic<bool> cancel{false};
};

}  // namespace polymorph::addon

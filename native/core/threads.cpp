#include "core/threads.hpp"

#include <omp.h>

#include <atomic>

namespace polymorph {
namespace {
std::atomic<int>& threadCount() {
  static std::atomic<int> count{omp_get_max_threads() > 0 ? omp_get_max_threads() : 1};
  return count;
}
}  // namespace

int numThreads() { return threadCount().load(std::memory_order_relaxed); }

void setNumThreads(int n) {
  threadCount().store(n < 1 ? availableThreads() : n, std::memory_order_relaxed);
}

int availableThreads() {
  int n = omp_get_num_procs();
  return n > 0 ? n : 1;
}

}  // namespace polymorph

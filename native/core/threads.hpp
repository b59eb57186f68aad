// One switch for OpenMP parallelism. The thread count is stored globally (not in OpenMP's
// per-thread ICV) so that regions started from libuv worker threads use it too: every
// `#pragma omp parallel` in the core says `num_threads(polymorph::numThreads())`.
#pragma once

namespace polymorph {

// Threads used by parallel regions (>= 1).
int numThreads();
// Sets the thread count; n < 1 means "all available cores".
void setNumThreads(int n);
// Cores OpenMP reports as available.
int availableThreads();

}  // namespace polymorph

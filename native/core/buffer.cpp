#include "core/buffer.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace polymorph {

void* allocateBuffer(std::size_t bytes) {
  constexpr std::size_t kLarge = std::size_t(4) << 20;
  constexpr std::size_t kHugePage = std::size_t(2) << 20;
  void* p = nullptr;
  if (bytes >= kLarge) {
    if (posix_memalign(&p, kHugePage, bytes) != 0) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, bytes, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
  } else {
    p = std::malloc(bytes > 0 ? bytes : 1);
    if (p == nullptr) throw std::bad_alloc();
  }
  return p;
}

}  // namespace polymorph

// An allocator for large arrays that are filled, dropped and refilled many times in one run (a
// training pool's symmetry-function derivatives: 13 MB per 256-atom LJ structure, 32 of them
// alive at once, replaced pool after pool).
//
// Blocks of at least kMappedBytes are mapped from the kernel (mmap) and unmapped on release, so
// they never pass through malloc's heap. With glibc, freeing one mapped block raises malloc's
// dynamic mmap threshold to that block's size; the next blocks of about that size then come from
// the heap, and blocks of slightly different sizes freed and taken in turn leave holes that stay
// resident. Measured on LJ256 (Kalman, pool 32, one thread): peak RSS after epochs 1, 2, 3 of
// 709, 875, 916 MiB through the heap with each pool slot's arrays reused (775 MiB after epoch 1
// and 1 006 MiB by epoch 10 without reuse), against 686, 699, 706 MiB with mapped blocks (708 MiB
// at epoch 10). Smaller blocks use malloc.
//
// Stateless (all instances compare equal); a drop-in for std::allocator in std::vector.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define POLYMORPH_HAS_MMAP 1
#endif

namespace polymorph {

constexpr std::size_t kMappedBytes = std::size_t(1) << 20;

template <class T>
struct MappedAllocator {
  using value_type = T;
  MappedAllocator() noexcept = default;
  template <class U>
  MappedAllocator(const MappedAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
#ifdef POLYMORPH_HAS_MMAP
    if (bytes >= kMappedBytes) {
      void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      return static_cast<T*>(p);
    }
#endif
    void* p = std::malloc(bytes > 0 ? bytes : 1);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }

  void deallocate(T* p, std::size_t n) noexcept {
#ifdef POLYMORPH_HAS_MMAP
    if (n * sizeof(T) >= kMappedBytes) {
      munmap(p, n * sizeof(T));
      return;
    }
#endif
    std::free(p);
  }
};

template <class T, class U>
bool operator==(const MappedAllocator<T>&, const MappedAllocator<U>&) noexcept { return true; }
template <class T, class U>
bool operator!=(const MappedAllocator<T>&, const MappedAllocator<U>&) noexcept { return false; }

}  // namespace polymorph

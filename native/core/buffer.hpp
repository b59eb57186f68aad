// A heap array of trivially-copyable values that is NOT zero-initialised on allocation (unlike
// std::vector::resize), for large results that are written once in full. Move-only; the addon
// hands ownership to a JS ArrayBuffer without copying (free it with polymorph::freeBuffer).
//
// Large arrays (>= 4 MiB) are 2 MiB-aligned and, on Linux, advised to use transparent huge
// pages: first-touch page faults on fresh memory otherwise dominate building big results.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>

namespace polymorph {

// Allocates `bytes` with malloc-compatible storage (release with freeBuffer); throws bad_alloc.
void* allocateBuffer(std::size_t bytes);
inline void freeBuffer(void* p) noexcept { std::free(p); }

template <class T>
class Buffer {
  static_assert(std::is_trivially_copyable<T>::value, "Buffer holds plain values");
  struct Free {
    void operator()(T* p) const noexcept { freeBuffer(p); }
  };

 public:
  Buffer() = default;
  explicit Buffer(std::size_t n)
      : data_(n ? static_cast<T*>(allocateBuffer(n * sizeof(T))) : nullptr), size_(n) {}
  Buffer(std::size_t n, T value) : Buffer(n) { std::fill(begin(), end(), value); }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T* data() noexcept { return data_.get(); }
  const T* data() const noexcept { return data_.get(); }
  T& operator[](std::size_t i) noexcept { return data_.get()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_.get()[i]; }
  T* begin() noexcept { return data_.get(); }
  T* end() noexcept { return data_.get() + size_; }
  const T* begin() const noexcept { return data_.get(); }
  const T* end() const noexcept { return data_.get() + size_; }
  // Gives up ownership (the caller releases with freeBuffer).
  T* release() noexcept {
    size_ = 0;
    return data_.release();
  }
  bool operator==(const Buffer& other) const {
    return size_ == other.size_ && std::equal(begin(), end(), other.begin());
  }

 private:
  std::unique_ptr<T, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace polymorph

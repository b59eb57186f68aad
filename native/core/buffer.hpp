// A heap array of trivially-copyable values that is NOT zero-initialised on allocation (unlike
// std::vector::resize), for large results that are written once in full.
//
// A Buffer either owns its memory (allocateBuffer/freeBuffer) or borrows memory that the caller
// keeps alive (e.g. a JS ArrayBuffer being reused): `reset(n)` keeps the memory when n fits in the
// capacity, else switches to a new owned allocation with some headroom. Contents are not
// preserved by reset. Move-only; the addon hands owned memory to a JS ArrayBuffer without copying.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>

namespace polymorph {

// Allocates `bytes` (release with freeBuffer); throws std::bad_alloc. Large blocks are 2 MiB
// aligned and advised to use transparent huge pages (fewer first-touch page faults).
void* allocateBuffer(std::size_t bytes);
inline void freeBuffer(void* p) noexcept { std::free(p); }

template <class T>
class Buffer {
  static_assert(std::is_trivially_copyable<T>::value, "Buffer holds plain values");

 public:
  Buffer() = default;
  explicit Buffer(std::size_t n) { reset(n); }
  Buffer(std::size_t n, T value) : Buffer(n) { std::fill(begin(), end(), value); }
  ~Buffer() {
    if (owned_) freeBuffer(data_);
  }
  Buffer(Buffer&& o) noexcept : data_(o.data_), size_(o.size_), capacity_(o.capacity_), owned_(o.owned_) {
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
    o.owned_ = false;
  }
  Buffer& operator=(Buffer&& o) noexcept {
    if (this != &o) {
      if (owned_) freeBuffer(data_);
      data_ = o.data_, size_ = o.size_, capacity_ = o.capacity_, owned_ = o.owned_;
      o.data_ = nullptr;
      o.size_ = o.capacity_ = 0;
      o.owned_ = false;
    }
    return *this;
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // A buffer over memory the caller keeps alive, with room for `capacity` values.
  static Buffer borrow(T* data, std::size_t capacity) {
    Buffer b;
    b.data_ = data;
    b.capacity_ = capacity;
    return b;
  }

  // Size n, uninitialised: keeps the memory if it fits, else allocates n·(1 + headroom) values.
  void reset(std::size_t n, double headroom = 0.0) {
    if (n > capacity_ || data_ == nullptr) {
      const std::size_t capacity = std::max<std::size_t>(n + static_cast<std::size_t>(n * headroom), 1);
      T* fresh = static_cast<T*>(allocateBuffer(capacity * sizeof(T)));
      if (owned_) freeBuffer(data_);
      data_ = fresh, capacity_ = capacity, owned_ = true;
    }
    size_ = n;
  }

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  bool owned() const noexcept { return owned_; }
  bool empty() const noexcept { return size_ == 0; }
  T* data() noexcept { return data_; }
  const T* data() const noexcept { return data_; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  T* begin() noexcept { return data_; }
  T* end() noexcept { return data_ + size_; }
  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }
  // Gives up owned memory (the caller releases it with freeBuffer); null if borrowed.
  T* release() noexcept {
    T* p = owned_ ? data_ : nullptr;
    data_ = nullptr;
    size_ = capacity_ = 0;
    owned_ = false;
    return p;
  }
  bool operator==(const Buffer& other) const {
    return size_ == other.size_ && std::equal(begin(), end(), other.begin());
  }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  bool owned_ = false;
};

}  // namespace polymorph

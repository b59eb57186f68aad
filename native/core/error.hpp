// Errors thrown by the native core. Every error carries a stable code (E_SHAPE, E_VALUE, ...)
// that the addon forwards to JavaScript, where it becomes a PolymorphError with the same code.
#pragma once
#include <cstddef>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>

namespace polymorph {

class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

// Index of the first non-finite value among v[0…count), or count when all are finite: one pass
// that vectorises, and a second only when something is wrong. Per-atom checks use it with the
// message built after the fact: building "… atom " + std::to_string(i) for every atom, as a
// require() in the loop does, costs more than a whole force evaluation of a small cutoff.
inline std::size_t firstNonFinite(const double* v, std::size_t count) {
  double poison = 0.0;  // x·0 is 0 for finite x and NaN for ±inf and NaN
#pragma omp simd reduction(+ : poison)
  for (std::size_t k = 0; k < count; ++k) poison += v[k] * 0.0;
  if (poison == 0.0) return count;
  for (std::size_t k = 0; k < count; ++k)
    if (!(v[k] * 0.0 == 0.0)) return k;
  return count;
}

// require(condition, code, message): throws Error(code, message) unless `condition` holds. A
// macro, so that the message (often built with std::to_string and +) is evaluated only when the
// check fails: evaluations run these checks on every call, and a warm evaluation must not
// allocate (native/tests/test_allocations.cpp). Use it as a statement.
#define require(condition, code, ...)                                     \
  do {                                                                    \
    if (!(condition)) throw ::polymorph::Error((code), __VA_ARGS__);      \
  } while (false)

// An exception must not leave an OpenMP region (that terminates the process). Wrap the body of
// each parallel region in `guard.run([&] { ... })`; the first exception is kept, the others are
// dropped, and `guard.rethrow()` after the region re-throws it on the calling thread.
class ParallelExceptions {
 public:
  template <class Body>
  void run(Body&& body) noexcept {
    try {
      body();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!first_) first_ = std::current_exception();
    }
  }
  bool failed() const noexcept { return static_cast<bool>(first_); }
  void rethrow() {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  std::exception_ptr first_;
  std::mutex mutex_;
};

}  // namespace polymorph

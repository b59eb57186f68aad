// Errors thrown by the native core. Every error carries a stable code (E_SHAPE, E_VALUE, ...)
// that the addon forwards to JavaScript, where it becomes a PolymorphError with the same code.
#pragma once
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

// Throws Error(code, message) unless `condition` holds.
inline void require(bool condition, const char* code, const std::string& message) {
  if (!condition) throw Error(code, message);
}

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

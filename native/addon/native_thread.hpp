// The one thread every native computation of the addon runs on: synchronous calls from
// JavaScript's thread and asynchronous jobs from libuv's pool alike hand their work to it and wait.
//
// Why: libgomp keeps a pool of T − 1 worker threads for each thread that starts parallel regions.
// Started from several threads (JavaScript's, and each of libuv's four as async jobs land on them),
// it manages more threads than there are cores, and then spins only ~100 times before sleeping at
// each barrier; waking a sleeping worker takes tens to hundreds of microseconds (more in a virtual
// machine), a cost an MD step with several parallel regions pays at every one of them. From one
// thread there is one pool, and its workers spin through the short serial gaps of a step
// (measured on the 4 000-atom LJ benchmark: two threads over one 1.51–1.66× before, 1.64–1.85×
// after, side by side).
//
// Work is run in the order it arrives; a call from the native thread itself runs inline. Take
// locks inside the work, not around the call (the native thread runs one job at a time).
#pragma once
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace polymorph::addon {

// Runs `work` on the native thread and returns when it is done, rethrowing its exception.
void runOnNativeThread(const std::function<void()>& work);

// The same for work that returns a value.
template <class Work>
auto onNativeThread(Work&& work) -> decltype(work()) {
  using Result = decltype(work());
  if constexpr (std::is_void_v<Result>) {
    runOnNativeThread(std::function<void()>(std::forward<Work>(work)));
  } else {
    std::optional<Result> result;
    runOnNativeThread([&] { result.emplace(work()); });
    return std::move(*result);
  }
}

}  // namespace polymorph::addon

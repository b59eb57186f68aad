// The addon's native thread (native_thread.hpp).
#include "addon/native_thread.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace polymorph::addon {
namespace {

struct Job {
  const std::function<void()>* work = nullptr;
  std::exception_ptr error;
  bool done = false;
};

class NativeThread {
 public:
  NativeThread() : thread_([this] { loop(); }) { id_ = thread_.get_id(); thread_.detach(); }

  void run(const std::function<void()>& work) {
    if (std::this_thread::get_id() == id_) {
      work();
      return;
    }
    Job job;
    job.work = &work;
    std::unique_lock<std::mutex> lock(mutex_);
    queue_.push_back(&job);
    wake_.notify_one();
    finished_.wait(lock, [&] { return job.done; });
    if (job.error) std::rethrow_exception(job.error);
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return !queue_.empty(); });
      Job* job = queue_.front();
      queue_.pop_front();
      lock.unlock();
      try {
        (*job->work)();
      } catch (...) {
        job->error = std::current_exception();
      }
      lock.lock();
      job->done = true;
      finished_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::deque<Job*> queue_;
  std::thread thread_;
  std::thread::id id_;
};

// Never destroyed: the thread is detached and waits for work until the process ends.
NativeThread& nativeThread() {
  static NativeThread* thread = new NativeThread();
  return *thread;
}

}  // namespace

void runOnNativeThread(const std::function<void()>& work) { nativeThread().run(work); }

}  // namespace polymorph::addon

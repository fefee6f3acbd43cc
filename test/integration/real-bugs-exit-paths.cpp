// taskleak-missing-defer on the exit-path shapes of issues 13 and 16, against
// the real libstdc++ 12 and Boost.Fiber headers: each leaking form reported,
// each fixed form silent.
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' %s -- -std=c++20 \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

#include <boost/fiber/all.hpp>
#include <chrono>
#include <mutex>
#include <semaphore>
#include <thread>
#include <vector>

bool doWork();
void work();

// 1. A lock dropped and taken back in a loop, released after it.
class Inbox {
public:
  int take() {
    mu_.lock();
    while (items_.empty()) {
      mu_.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      mu_.lock();
      if (closed_)
        return -1;
      // CHECK: :[[@LINE-1]]:9: warning: this return leaves 'mu_' locked{{.*}}[taskleak-missing-defer]
      // CHECK: :[[@LINE-4]]:7: note: 'mu_' locked here
      // CHECK: :[[@LINE-7]]:7: note: 'mu_' is released here on other paths
    }
    int v = items_.back();
    items_.pop_back();
    mu_.unlock();
    return v;
  }
  int takeFixed() {
    mu_.lock();
    while (items_.empty()) {
      mu_.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      mu_.lock();
      if (closed_) {
        mu_.unlock();
        return -1;
      }
    }
    int v = items_.back();
    items_.pop_back();
    mu_.unlock();
    return v;
  }

private:
  std::mutex mu_;
  std::vector<int> items_;
  bool closed_ = false;
};

// 2. A producer that stops once the channel is closed owes no close().
void produceUntilClosed(boost::fibers::buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i) {
    if (ch.is_closed())
      return;
    if (ch.push(i) == boost::fibers::channel_op_status::closed)
      return;
  }
  ch.close();
}
void produceUntilFull(boost::fibers::buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i)
    if (ch.try_push(i) != boost::fibers::channel_op_status::success)
      return;
  // CHECK: :[[@LINE-1]]:7: warning: this return skips close() on 'ch'{{.*}}[taskleak-missing-defer]
  // CHECK: :[[@LINE+1]]:3: note: 'ch' is released here on other paths
  ch.close();
}

// 3. Guards constructed after the acquiring call.
std::mutex tableMu;
bool fast;
template <class F> struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <class F> ScopeExit<F> finally(F f) { return ScopeExit<F>{f}; }
void adoptGuards() {
  tableMu.lock();
  if (fast) {
    tableMu.unlock();
    return;
  }
  std::unique_lock lk(tableMu, std::adopt_lock);
  if (!doWork())
    return;
  work();
}
void adoptLockGuard() {
  tableMu.lock();
  if (fast) {
    tableMu.unlock();
    return;
  }
  std::lock_guard g(tableMu, std::adopt_lock);
  if (!doWork())
    return;
  work();
}
void scopeExit() {
  tableMu.lock();
  if (fast) {
    tableMu.unlock();
    return;
  }
  auto unlockOnExit = finally([] { tableMu.unlock(); });
  if (!doWork())
    return;
  work();
}
void adoptLate() {
  tableMu.lock();
  if (!doWork())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'tableMu' locked{{.*}}[taskleak-missing-defer]
  // CHECK: :[[@LINE-4]]:3: note: 'tableMu' locked here
  // CHECK: :[[@LINE+1]]:3: note: 'tableMu' is released here on other paths
  std::unique_lock lk(tableMu, std::adopt_lock);
  work();
}

// 4. A helper that drops its caller's lock while it sleeps.
// Called with `m` held; leaves it held, as it found it.
bool backoff(std::mutex &m) {
  m.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  m.lock();
  return doWork();
}
bool backoffOrGiveUp(std::mutex &m) {
  m.unlock();
  if (!doWork())
    return false;
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  m.lock();
  return true;
}

// 5. A counting_semaphore used as a gate, and one used as a pool of slots.
std::counting_semaphore<16> startGate(0);
void worker(bool lead) {
  if (lead) {
    startGate.release(4);
    return;
  }
  startGate.acquire();
  if (!doWork())
    return;
  work();
}
std::counting_semaphore<16> slots(4);
void useSlot() {
  slots.acquire();
  if (!doWork())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'slots' acquired{{.*}}[taskleak-missing-defer]
  // CHECK: :[[@LINE-4]]:3: note: 'slots' acquired here
  // CHECK: :[[@LINE+1]]:3: note: 'slots' is released here on other paths
  slots.release();
}

// taskleak-missing-defer on exit-path shapes from real bug reports (issue 13)
// and on a semaphore used as a gate (issue 16), each with its fixed form.
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'

#include "std_mock.h"
#include "boost_thread_mock.h"

bool doWork();
void work();
void prepare();
int next();

//===--- 1. A lock taken in a loop, released after it, a return inside ----===//

struct WorkQueue {
  std::mutex m;
  std::vector<int> items;
  bool stopping = false;

  // The lock is dropped and taken back in the loop and released after it:
  // the return inside the loop leaves it locked.
  int waitForItem() {
    m.lock();
    while (items.empty()) {
      m.unlock();
      work();
      m.lock();
      if (stopping)
        return -1;
      // CHECK: :[[@LINE-1]]:9: warning: this return leaves 'm' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
      // CHECK: :[[@LINE-4]]:7: note: 'm' locked here
      // CHECK: :[[@LINE-7]]:7: note: 'm' is released here on other paths
    }
    int v = items[0];
    m.unlock();
    return v;
  }
  // Fixed: the return inside the loop unlocks first.
  int waitForItemFixed() {
    m.lock();
    while (items.empty()) {
      m.unlock();
      work();
      m.lock();
      if (stopping) {
        m.unlock();
        return -1;
      }
    }
    int v = items[0];
    m.unlock();
    return v;
  }

  // Taken at the top of each pass, kept by the break, released after the
  // loop: the return inside leaves it locked.
  int drain() {
    for (;;) {
      m.lock();
      if (items.empty())
        return -1;
      // CHECK: :[[@LINE-1]]:9: warning: this return leaves 'm' locked: unlock() is skipped
      // CHECK: :[[@LINE-4]]:7: note: 'm' locked here
      // CHECK: :[[@LINE+4]]:7: note: 'm' is released here on other paths
      if (stopping)
        break;
      work();
      m.unlock();
    }
    m.unlock();
    return 0;
  }
  // Fixed.
  int drainFixed() {
    for (;;) {
      m.lock();
      if (items.empty()) {
        m.unlock();
        return -1;
      }
      if (stopping)
        break;
      work();
      m.unlock();
    }
    m.unlock();
    return 0;
  }
};

//===--- 2. A return when the channel is closed, or before the acquire -----===//

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;

// A closed channel owes no close(): a producer that stops when its push
// reports the channel closed.
void produceUntilClosed(buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i)
    if (ch.push(i) == channel_op_status::closed)
      return;
  ch.close();
}
// The same through a status local, and with `!= success` (a blocking push
// returns success or closed).
void produceUntilClosedLocal(buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i) {
    channel_op_status st = ch.push(i);
    if (st != channel_op_status::success)
      return;
  }
  ch.close();
}
// Leaking: a non-blocking push also fails on a full channel, still open.
void produceUntilFull(buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i)
    if (ch.try_push(i) != channel_op_status::success)
      return;
  // CHECK: :[[@LINE-1]]:7: warning: this return skips close() on 'ch', so whoever waits on it blocks forever [taskleak-missing-defer]
  // CHECK: :[[@LINE+1]]:3: note: 'ch' is released here on other paths
  ch.close();
}
// Leaking: a return on another condition than closed.
void produceUntilError(buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i)
    if (ch.push(i) == channel_op_status::closed || !doWork())
      return;
  // CHECK: :[[@LINE-1]]:7: warning: this return skips close() on 'ch', so whoever waits on it blocks forever [taskleak-missing-defer]
  // CHECK: :[[@LINE+1]]:3: note: 'ch' is released here on other paths
  ch.close();
}

// A lock taken on one path only, remembered in a flag: the return is
// taken before anything was acquired, or releases what was.
std::mutex tableLock;
int updateMaybeLocked(bool shared) {
  bool locked = false;
  if (shared) {
    tableLock.lock();
    locked = true;
  }
  if (!doWork()) {
    if (locked)
      tableLock.unlock();
    return -1;
  }
  if (locked)
    tableLock.unlock();
  return 0;
}
// Leaking: the early return forgets the flag.
int updateMaybeLockedLeak(bool shared) {
  bool locked = false;
  if (shared) {
    tableLock.lock();
    locked = true;
  }
  if (!doWork())
    return -1;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'tableLock' locked: unlock() is skipped
  // CHECK: :[[@LINE-6]]:5: note: 'tableLock' locked here
  // CHECK: :[[@LINE+2]]:5: note: 'tableLock' is released here on other paths
  if (locked)
    tableLock.unlock();
  return 0;
}
// A return at the top of the loop, before the pass takes the lock.
int sumPositive(std::vector<int> &v) {
  int sum = 0;
  for (int x : v) {
    if (x < 0)
      return -1;
    tableLock.lock();
    sum += x;
    tableLock.unlock();
  }
  return sum;
}

//===--- 3. A guard constructed after the acquiring call ------------------===//

template <class F> struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <class F> ScopeExit<F> finally(F f) { return ScopeExit<F>{f}; }
struct Unlocker {
  std::mutex *mu;
  ~Unlocker() { mu->unlock(); }
};

struct Cache {
  std::mutex m;
  bool fast = false;
  // A guard made by a function, after the lock.
  void refresh() {
    m.lock();
    if (fast) {
      m.unlock();
      return;
    }
    auto unlockOnExit = finally([this] { m.unlock(); });
    if (!doWork())
      return;
    work();
  }
  // Leaking: the return comes before the guard is made.
  void refreshLeak() {
    m.lock();
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return leaves 'm' locked: unlock() is skipped
    // CHECK: :[[@LINE-4]]:5: note: 'm' locked here
    // CHECK: :[[@LINE+1]]:5: note: 'm' is released here on other paths
    auto unlockOnExit = finally([this] { m.unlock(); });
    work();
  }
  // A lock_guard adopting the lock, and a user RAII object, after the lock.
  void adopt() {
    m.lock();
    std::lock_guard<std::mutex> g(m, std::adopt_lock);
    if (!doWork())
      return;
    work();
  }
  void userGuard() {
    m.lock();
    Unlocker u{&m};
    if (!doWork())
      return;
    work();
  }
  // Leaking: the only release is the guard, made too late.
  void adoptLate() {
    m.lock();
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return leaves 'm' locked: unlock() is skipped
    // CHECK: :[[@LINE-4]]:5: note: 'm' locked here
    // CHECK: :[[@LINE+1]]:5: note: 'm' is released here on other paths
    std::lock_guard<std::mutex> g(m, std::adopt_lock);
    work();
  }
};

//===--- 4. A helper that drops its caller's lock while it sleeps ---------===//

// Called with `m` held; leaves it held, as it found it.
bool backoff(std::mutex &m) {
  m.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  m.lock();
  if (!doWork())
    return false;
  return true;
}
void backoffWhileEmpty(std::mutex &m, std::vector<int> &q) {
  while (q.empty()) {
    m.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    m.lock();
  }
}
// A return between the unlock and the re-lock leaves the caller's mutex
// unlocked: nobody waits on it, so no missing-defer finding.
bool backoffOrGiveUp(std::mutex &m) {
  m.unlock();
  if (!doWork())
    return false;
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  m.lock();
  return true;
}
// Leaking: a function that locked the mutex itself, dropped it for the
// sleep and took it back, owns it again.
bool pollOwn(std::mutex &m) {
  m.lock();
  work();
  m.unlock();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  m.lock();
  if (!doWork())
    return false;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'm' locked: unlock() is skipped
  // CHECK: :[[@LINE-4]]:3: note: 'm' locked here
  // CHECK: :[[@LINE-7]]:3: note: 'm' is released here on other paths
  m.unlock();
  return true;
}

//===--- 5. A counting_semaphore used as a gate ----------------------------===//

constexpr int kWorkers = 4;
std::counting_semaphore<16> startGate(0);
// The leader opens the gate for every worker at once; a worker passes it
// once. Nobody gives a pass back: a gate, not a lock.
void worker(bool lead) {
  if (lead) {
    prepare();
    startGate.release(kWorkers);
    return;
  }
  startGate.acquire();
  if (!doWork())
    return;
  work();
}
// A relay: each stage passes the gate, then opens the next one for many.
std::counting_semaphore<16> stageGate(0);
void relay() {
  stageGate.acquire();
  if (!doWork())
    return;
  stageGate.release(kWorkers);
}
// Leaking: a semaphore used as a pool of slots, the slot given back on one
// path only.
std::counting_semaphore<16> slots(4);
void useSlot() {
  slots.acquire();
  if (!doWork())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'slots' acquired: release() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
  // CHECK: :[[@LINE-4]]:3: note: 'slots' acquired here
  // CHECK: :[[@LINE+1]]:3: note: 'slots' is released here on other paths
  slots.release(1);
}
// Fixed.
void useSlotFixed() {
  slots.acquire();
  if (!doWork()) {
    slots.release();
    return;
  }
  slots.release(1);
}

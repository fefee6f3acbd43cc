// Fix-its print source lines (these comments among them): only lines that
// start a diagnostic count as unexpected.
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' \
// RUN:   --config="{CheckOptions: {WaitGroupTypes: 'sync::Group', CloseMethods: 'mq::Pipe::shut'}}" \
// RUN:   %s -- %mock_flags -DCONFIG \
// RUN:   | FileCheck %s --check-prefixes=CHECK,CONFIG -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'

#include "std_mock.h"
#include "posix_mock.h"
#include "boost_thread_mock.h"

bool doWork();
void work();
void log(const char *);

//===--- Positives: locks -------------------------------------------------===//

// Seed lockToLeak: `go func() { m.Lock(); ... }()` with no Unlock.
void lockToLeak() {
  std::mutex m;
  for (int i = 0; i < 5; i++)
    std::thread([&m] {
      m.lock();
      work();
    }).detach();
  // CHECK: :[[@LINE-1]]:5: warning: the end of the task leaves 'm' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
  // CHECK: :[[@LINE-4]]:7: note: 'm' locked here
  // CHECK: :[[@LINE-6]]:5: note: task (std::thread) spawned here
}

// The early return that forgets defer mu.Unlock().
struct Cache {
  std::mutex mu;
  int value = 0;
  bool refresh() {
    mu.lock();
    if (!doWork())
      return false;
    // CHECK: :[[@LINE-1]]:7: warning: this return leaves 'mu' locked: unlock() is skipped on this path{{.*}}[taskleak-missing-defer]
    // CHECK: :[[@LINE-4]]:5: note: 'mu' locked here
    // CHECK: :[[@LINE+2]]:5: note: 'mu' is released here on other paths
    ++value;
    mu.unlock();
    return true;
  }
};

// continue skips the unlock, and the next iteration locks again.
void drain(std::mutex &m, std::vector<int> &jobs) {
  for (int j : jobs) {
    m.lock();
    if (j < 0)
      continue;
    // CHECK: :[[@LINE-1]]:7: warning: this continue leaves 'm' locked
    // CHECK: :[[@LINE-4]]:5: note: 'm' locked here
    // CHECK: :[[@LINE+2]]:5: note: 'm' is released here on other paths
    work();
    m.unlock();
  }
}

// A catch handler that swallows the exception.
void guarded(std::mutex &m) {
  m.lock();
  try {
    work();
    m.unlock();
  } catch (...) {
    log("failed");
  }
  // CHECK: :[[@LINE-3]]:5: warning: this handler, which swallows the exception, leaves 'm' locked
  // CHECK: :[[@LINE-8]]:3: note: 'm' locked here
  // CHECK: :[[@LINE-6]]:5: note: 'm' is released here on other paths
}

// A throw that leaves the function.
void thrower(std::mutex &m) {
  m.lock();
  if (!doWork())
    throw std::runtime_error("bad");
  // CHECK: :[[@LINE-1]]:5: warning: this throw leaves 'm' locked
  // CHECK: :[[@LINE-4]]:3: note: 'm' locked here
  // CHECK: :[[@LINE+1]]:3: note: 'm' is released here on other paths
  m.unlock();
}

// pthread mutexes and semaphores.
pthread_mutex_t table_lock;
int lookup(int k) {
  pthread_mutex_lock(&table_lock);
  if (k < 0)
    return -1;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'table_lock' locked
  // CHECK: :[[@LINE-4]]:3: note: 'table_lock' locked here
  // CHECK: :[[@LINE+1]]:3: note: 'table_lock' is released here on other paths
  pthread_mutex_unlock(&table_lock);
  return k;
}
std::counting_semaphore<4> slots(4);
void useSlot() {
  slots.acquire();
  if (!doWork())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'slots' acquired: release() is skipped
  // CHECK: :[[@LINE-4]]:3: note: 'slots' acquired here
  // CHECK: :[[@LINE+1]]:3: note: 'slots' is released here on other paths
  slots.release();
}

// A successful try_lock is an acquire on its true branch.
void tryIt(std::mutex &m) {
  if (m.try_lock()) {
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return leaves 'm' locked
    // CHECK: :[[@LINE-4]]:7: note: 'm' locked here
    // CHECK: :[[@LINE+1]]:5: note: 'm' is released here on other paths
    m.unlock();
  }
}

//===--- Positives: obligations partners wait on ---------------------------===//

// Seed: wg.Add(1); go func() { if err := doWork(); err != nil { return }; wg.Done() }()
struct WaitGroup {
  void Add(int);
  void Done();
  void Wait();
};
void waitGroupEarlyReturn() {
  WaitGroup wg;
  for (int i = 0; i < 10; i++) {
    wg.Add(1);
    std::thread([&wg] {
      if (!doWork())
        return;
      // CHECK: :[[@LINE-1]]:9: warning: this return skips Done() on 'wg', so whoever waits on it blocks forever [taskleak-missing-defer]
      // CHECK: :[[@LINE+2]]:7: note: 'wg' is released here on other paths
      // CHECK: :[[@LINE-5]]:5: note: task (std::thread) spawned here
      wg.Done();
    }).detach();
  }
  wg.Wait();
}

// A latch participant that leaves without counting down.
void latchParticipant(std::latch &done) {
  if (!doWork())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return skips count_down() on 'done'
  // CHECK: :[[@LINE+1]]:3: note: 'done' is released here on other paths
  done.count_down();
}

// A promise kept alive by a shared_ptr: no broken_promise ever arrives.
void producer(std::shared_ptr<std::promise<int>> p) {
  std::thread([p] {
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return skips set_value()/set_exception() on 'p'
    // CHECK: :[[@LINE+2]]:5: note: 'p' is released here on other paths
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
    p->set_value(42);
  }).detach();
}

// A producer that leaves without closing the channel its consumer ranges over.
void produce(boost::fibers::buffered_channel<int> &ch, std::vector<int> &items) {
  for (int i : items) {
    if (i < 0)
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return skips close() on 'ch'
    // CHECK: :[[@LINE+3]]:3: note: 'ch' is released here on other paths
    ch.push(i);
  }
  ch.close();
}

// A barrier participant that leaves its phase loop without arrive_and_drop().
void phases(std::barrier<> &sync) {
  for (int phase = 0; phase < 10; ++phase) {
    if (!doWork())
      break;
    // CHECK: :[[@LINE-1]]:7: warning: this break skips arrive_and_drop() on 'sync', so whoever waits on it blocks forever
    // CHECK: :[[@LINE+1]]:5: note: the other participants wait for 'sync' here in every phase
    sync.arrive_and_wait();
  }
}
void phasesFixed(std::barrier<> &sync) {
  for (int phase = 0; phase < 10; ++phase) {
    if (!doWork()) {
      sync.arrive_and_drop();
      break;
    }
    for (int i = 0; i < 3; ++i)
      if (i == 1)
        break; // a nested loop's break stays in the phase loop
    sync.arrive_and_wait();
  }
}

//===--- Hard negatives ---------------------------------------------------===//

struct Account {
  std::mutex m;
  int balance = 0;
  // RAII guards of every kind.
  void a() { std::lock_guard<std::mutex> g(m); if (!doWork()) return; ++balance; }
  void b() { std::unique_lock<std::mutex> g(m); if (!doWork()) return; ++balance; }
  void c() { std::scoped_lock g(m); if (!doWork()) return; ++balance; }
  void d() { m.lock(); std::lock_guard<std::mutex> g(m, std::adopt_lock); if (!doWork()) return; }
  // A custom guard whose destructor releases, and a scope guard lambda.
  struct Unlocker { std::mutex &mu; ~Unlocker() { mu.unlock(); } };
  void e() { m.lock(); Unlocker u{m}; if (!doWork()) return; }
  template <class F> struct ScopeExit { F f; ~ScopeExit() { f(); } };
  void f() { m.lock(); auto rel = [this] { m.unlock(); }; auto g = ScopeExit<decltype(rel)>{rel}; if (!doWork()) return; work(); }
  // Released on every path.
  void g() { m.lock(); if (!doWork()) { m.unlock(); return; } m.unlock(); }
  // A lock wrapper: never releases what it acquires.
  void lock() { m.lock(); }
  void unlock() { m.unlock(); }
  // Released by a helper of this TU.
  void h() { m.lock(); if (!doWork()) { unlock(); return; } m.unlock(); }
  // An exit through [[noreturn]].
  void i() { m.lock(); if (!doWork()) std::abort(); m.unlock(); }
  // A conditional protocol: locked and unlocked under the same condition.
  void j(bool c) { if (c) m.lock(); work(); if (c) m.unlock(); }
  // A break that keeps the obligation: the unlock follows the loop.
  void k(std::vector<int> &v) { m.lock(); for (int x : v) { if (x < 0) break; work(); } m.unlock(); }
  // Handed to code we cannot see.
  void l() { extern void adopt(std::mutex &); m.lock(); if (!doWork()) { adopt(m); return; } m.unlock(); }
};
// A local promise breaks when it dies: its waiter wakes with broken_promise.
void localPromise() {
  std::promise<int> p;
  if (!doWork())
    return;
  p.set_value(1);
}
// Done on every path; a latch counted down on every path.
void allPaths(WaitGroup &wg, std::latch &l) {
  if (!doWork()) {
    wg.Done();
    l.count_down();
    return;
  }
  wg.Done();
  l.count_down();
}
// Conditional protocols: a facade that closes once a limit is reached, a
// callback that sets the value or the exception.
struct LimitedChannel {
  boost::fibers::buffered_channel<int> &ch;
  int limit;
  void push(int v) {
    ch.push(v);
    if (--limit == 0)
      ch.close();
  }
};
void callback(std::promise<int> &p, int ec) {
  if (!ec)
    p.set_value(1);
  else
    p.set_exception(std::current_exception());
}
// A task that never unlocks what someone else locked is not ours to judge.
void unlockOnly(std::mutex &m) { std::thread([&m] { m.unlock(); }).detach(); }

//===--- Configuration ----------------------------------------------------===//
namespace sync { struct Group { void enter(); void leave(); void Done(); }; }
namespace mq { struct Pipe { void put(int); void shut(); }; }
#ifdef CONFIG
void configured(sync::Group &g, mq::Pipe &p) {
  if (!doWork())
    return;
  // CONFIG: :[[@LINE-1]]:5: warning: this return skips Done() on 'g'
  // CONFIG: :[[@LINE+1]]:3: note: 'g' is released here on other paths
  g.Done();
}
void configuredClose(mq::Pipe &p) {
  if (!doWork())
    return;
  // CONFIG: :[[@LINE-1]]:5: warning: this return skips close() on 'p'
  // CONFIG: :[[@LINE+2]]:3: note: 'p' is released here on other paths
  p.put(1);
  p.shut();
}
#endif

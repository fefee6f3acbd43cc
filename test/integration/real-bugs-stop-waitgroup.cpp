// Issue 13/16 real-bug shapes on the real headers (libstdc++ 12, oneTBB):
// jthread waits a stop cannot wake (predicate wait, helper, TBB pop,
// semaphore acquire, future get), barrier/latch counts the tasks never
// reach, loops no path reaches; with their fixed forms.
// RUN: %clang_tidy --checks='-*,taskleak-ignored-stop-token,taskleak-waitgroup-mismatch,taskleak-endless-task,taskleak-unstopped-ticker' %s \
// RUN:   -- -std=c++20 | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

#include <barrier>
#include <condition_variable>
#include <coroutine>
#include <cstdlib>
#include <future>
#include <latch>
#include <mutex>
#include <queue>
#include <semaphore>
#include <stop_token>
#include <thread>
#include <oneapi/tbb/concurrent_queue.h>

void work();
void keep(std::coroutine_handle<>);

// ignored-stop-token
struct PredicateConsumer {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(m);
      cv.wait(lk, [this] { return !q.empty(); });
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-4]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-6]]:17: note: task (std::jthread) spawned here
      q.pop();
    }
  }};
};

struct HelperConsumer {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  void next() {
    std::unique_lock lk(m);
    while (q.empty())
      cv.wait(lk);
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE+6]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE+4]]:17: note: task (std::jthread) spawned here
      // CHECK: :[[@LINE+5]]:7: note: the task calls 'next' here
    q.pop();
  }
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested())
      next();
  }};
};

void tbbPop(tbb::concurrent_bounded_queue<int> &q) {
  std::jthread t([&q](std::stop_token st) {
    int v;
    while (!st.stop_requested())
      q.pop(v);
      // CHECK: :[[@LINE-1]]:9: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-3]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-6]]:16: note: task (std::jthread) spawned here
  });
}

struct Gate {
  std::counting_semaphore<8> sem{0};
  void post() { sem.release(); }
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      sem.acquire();
      // CHECK: :[[@LINE-1]]:11: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-3]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-5]]:17: note: task (std::jthread) spawned here
      work();
    }
  }};
};

std::future<int> fetch();
void futureGet() {
  std::jthread t([](std::stop_token st) {
    while (!st.stop_requested()) {
      std::future<int> f = fetch();
      f.get();
      // CHECK: :[[@LINE-1]]:9: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-4]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-6]]:16: note: task (std::jthread) spawned here
    }
  });
}

// Fixed forms.
struct AnyConsumer {
  std::mutex m;
  std::condition_variable_any cv;
  std::queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(m);
      if (!cv.wait(lk, st, [this] { return !q.empty(); }))
        break;
      q.pop();
    }
  }};
};
struct TimedGate {
  std::counting_semaphore<8> sem{0};
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested())
      if (sem.try_acquire_for(std::chrono::milliseconds(100)))
        work();
  }};
};
struct AbortedQueue {
  tbb::concurrent_bounded_queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    int v;
    while (!st.stop_requested())
      q.pop(v);
  }};
  ~AbortedQueue() { q.abort(); }
};

// waitgroup-mismatch
void barrierOnlySpawner() {
  std::barrier sync(2);
  // CHECK: :[[@LINE-1]]:16: warning: barrier 'sync' expects 2 arrivals but only 1 happen: whoever waits on it blocks forever [taskleak-waitgroup-mismatch]
  // CHECK: :[[@LINE+3]]:3: note: only the spawner arrives, here
  // CHECK: :[[@LINE+1]]:15: note: a task is spawned here but never arrives on 'sync'
  std::thread t([] { work(); });
  sync.arrive_and_wait();
  t.join();
}
void latchWaitInSpawnLoop() {
  std::latch done(3);
  for (int i = 0; i < 3; ++i) {
    std::thread([&done] { work(); done.count_down(); }).detach();
    done.wait();
    // CHECK: :[[@LINE-1]]:5: warning: this wait on latch 'done' runs inside the loop that spawns the group: the first wait needs 3 arrivals but only 1 can have happened, so it blocks forever and the rest of the group is never spawned; wait after the loop [taskleak-waitgroup-mismatch]
    // CHECK: :[[@LINE-3]]:5: note: 1 task spawned here before the first wait, arriving 1 time each
  }
}
void barrierTaskArrives() {
  std::barrier sync(2);
  std::thread t([&sync] { work(); sync.arrive_and_wait(); });
  sync.arrive_and_wait();
  t.join();
}
void latchWaitAfterLoop() {
  std::latch done(3);
  for (int i = 0; i < 3; ++i)
    std::thread([&done] { work(); done.count_down(); }).detach();
  done.wait();
}

// endless-task: unreachable loops
void afterAbort() {
  std::thread([] {
    std::abort();
    for (;;)
      work();
  }).detach();
  std::thread([] {
    std::exit(1);
    while (true)
      work();
  }).detach();
  std::thread([] {
    std::terminate();
    for (;;)
      work();
  }).detach();
}

// endless-task: a co_await nothing resumes (the real <coroutine>)
struct Fire {
  struct promise_type {
    Fire get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct Never {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
struct Parked {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) { keep(h); }
  void await_resume() {}
};
Fire parkedForever() {
  co_await Never{};
  for (;;)
    work();
}
Fire resumedLater() {
  co_await Parked{};
  for (;;)
  // CHECK: :[[@LINE-1]]:3: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
  // CHECK: :[[@LINE+6]]:3: note: task (std::thread) spawned here
  // CHECK: :[[@LINE+5]]:20: note: the task calls 'resumedLater' here
    work();
}
void coroutines() {
  std::thread([] { parkedForever(); }).detach();
  std::thread([] { resumedLater(); }).detach();
}

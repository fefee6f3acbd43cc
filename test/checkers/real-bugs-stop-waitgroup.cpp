// Real-bug shapes of issue 13 for taskleak-ignored-stop-token and
// taskleak-waitgroup-mismatch, each with its fixed form as a negative.
// RUN: %clang_tidy --checks='-*,taskleak-ignored-stop-token,taskleak-waitgroup-mismatch,taskleak-endless-task,taskleak-unstopped-ticker' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
#include "std_mock.h"
#include "tbb_mock.h"

void work();
bool poll();

struct WaitGroup {
  void Add(int);
  void Done();
  void Wait();
};

//===--- ignored-stop-token: positives ------------------------------------===//
// The loop checks the token only between waits a stop request cannot wake.

// (a) A predicate wait whose predicate reads neither the token nor a flag.
struct PredicateConsumer {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk, [this] { return !q.empty(); });
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-4]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-6]]:17: note: task (std::jthread) spawned here
      q.pop();
    }
  }};
};

// (b) The wait is in a helper the loop calls.
struct HelperConsumer {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  int next() {
    std::unique_lock<std::mutex> lk(m);
    while (q.empty())
      cv.wait(lk);
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE+8]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE+6]]:17: note: task (std::jthread) spawned here
      // CHECK: :[[@LINE+7]]:7: note: the task calls 'next' here
    int v = q.front();
    q.pop();
    return v;
  }
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested())
      next();
  }};
};

// (c) A TBB pop (it throws only once the queue is aborted, and nothing
// aborts it), a semaphore acquire, a future get.
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
  std::counting_semaphore<> sem{0};
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

//===--- ignored-stop-token: fixed forms ----------------------------------===//

// condition_variable_any::wait(lk, st, pred): a stop wakes it.
struct AnyConsumer {
  std::mutex m;
  std::condition_variable_any cv;
  std::queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      if (!cv.wait(lk, st, [this] { return !q.empty(); }))
        break;
      q.pop();
    }
  }};
};

// The predicate reads the token.
struct TokenPredicate {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk, [&] { return st.stop_requested() || !q.empty(); });
      if (!q.empty())
        q.pop();
    }
  }};
};

// The predicate reads a stop flag the owner sets before notifying.
struct FlagPredicate {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  bool stopping = false;
  ~FlagPredicate() {
    {
      std::lock_guard<std::mutex> l(m);
      stopping = true;
    }
    cv.notify_all();
  }
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk, [this] { return stopping || !q.empty(); });
      if (stopping)
        return;
      q.pop();
    }
  }};
};

// The helper waits with a timeout: the loop gets back to the token.
struct TimedHelper {
  std::mutex m;
  std::condition_variable cv;
  void next() {
    std::unique_lock<std::mutex> lk(m);
    cv.wait_for(lk, std::chrono::milliseconds(100));
  }
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested())
      next();
  }};
};

// The queue is aborted on shutdown: the pop throws and the loop ends.
struct AbortedQueue {
  tbb::concurrent_bounded_queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    int v;
    while (!st.stop_requested())
      q.pop(v);
  }};
  ~AbortedQueue() { q.abort(); }
};

// The semaphore is polled.
struct PolledGate {
  std::counting_semaphore<> sem{0};
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      if (!sem.try_acquire()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      work();
    }
  }};
};

// The helper is handed a queue its caller owns: who closes it is not known.
int take(tbb::concurrent_bounded_queue<int> &q) {
  int v;
  q.pop(v);
  return v;
}
struct HandedQueue {
  tbb::concurrent_bounded_queue<int> q;
  std::jthread t{[this](std::stop_token st) {
    while (!st.stop_requested())
      take(q);
  }};
  ~HandedQueue() { q.abort(); }
};

//===--- waitgroup-mismatch: positives ------------------------------------===//

// (a) Add() inside a member function the task runs.
struct Server {
  WaitGroup wg;
  void handle() {
    wg.Add(1);
    // CHECK: :[[@LINE-1]]:5: warning: Add() on wait group 'wg' runs inside the spawned task: Wait() can run before it and return early, or the count never settles; call Add() before spawning [taskleak-waitgroup-mismatch]
    // CHECK: :[[@LINE+7]]:7: note: task spawned here
    // CHECK: :[[@LINE+7]]:5: note: the spawner waits here
    work();
    wg.Done();
  }
  void serve() {
    for (int i = 0; i < 4; ++i)
      std::thread(&Server::handle, this).detach();
    wg.Wait();
  }
};

// ... and a local group handed to a member function the task calls.
struct Worker {
  void run(WaitGroup &g) {
    g.Add(1);
    // CHECK: :[[@LINE-1]]:5: warning: Add() on wait group 'wg' runs inside the spawned task: Wait() can run before it and return early, or the count never settles; call Add() before spawning [taskleak-waitgroup-mismatch]
    // CHECK: :[[@LINE+9]]:5: note: task spawned here
    // CHECK: :[[@LINE+9]]:3: note: the spawner waits here
    work();
    g.Done();
  }
};
void addInMember(Worker &w) {
  WaitGroup wg;
  for (int i = 0; i < 3; ++i)
    std::thread([&w, &wg] { w.run(wg); }).detach();
  wg.Wait();
}

// (b) A barrier that expects more arrivals than ever happen: only the
// spawner arrives.
void barrierOnlySpawner() {
  std::barrier<> sync(2);
  // CHECK: :[[@LINE-1]]:18: warning: barrier 'sync' expects 2 arrivals but only 1 happen: whoever waits on it blocks forever [taskleak-waitgroup-mismatch]
  // CHECK: :[[@LINE+3]]:3: note: only the spawner arrives, here
  // CHECK: :[[@LINE+1]]:15: note: a task is spawned here but never arrives on 'sync'
  std::thread t([] { work(); });
  sync.arrive_and_wait();
  t.join();
}
void latchOnlySpawner() {
  std::latch ready(3);
  // CHECK: :[[@LINE-1]]:14: warning: latch 'ready' expects 3 arrivals but only 1 happen: whoever waits on it blocks forever [taskleak-waitgroup-mismatch]
  // CHECK: :[[@LINE+4]]:3: note: only the spawner arrives, here
  // CHECK: :[[@LINE+1]]:15: note: a task is spawned here but never arrives on 'ready'
  std::thread a([] { work(); });
  std::thread b([] { work(); });
  ready.count_down();
  ready.wait();
  a.join();
  b.join();
}

// (c) The wait inside the spawn loop.
void waitInSpawnLoop() {
  WaitGroup wg;
  wg.Add(4);
  for (int i = 0; i < 4; ++i) {
    std::thread([&wg] { work(); wg.Done(); }).detach();
    wg.Wait();
    // CHECK: :[[@LINE-1]]:5: warning: this wait on wait group 'wg' runs inside the loop that spawns the group: the first wait needs 4 arrivals but only 1 can have happened, so it blocks forever and the rest of the group is never spawned; wait after the loop [taskleak-waitgroup-mismatch]
    // CHECK: :[[@LINE-3]]:5: note: 1 task spawned here before the first wait, arriving 1 time each
  }
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

//===--- waitgroup-mismatch: fixed forms ----------------------------------===//

struct FixedServer {
  WaitGroup wg;
  void handle() {
    work();
    wg.Done();
  }
  void serve() {
    for (int i = 0; i < 4; ++i) {
      wg.Add(1);
      std::thread(&FixedServer::handle, this).detach();
    }
    wg.Wait();
  }
};

void barrierTaskArrives() {
  std::barrier<> sync(2);
  std::thread t([&sync] { work(); sync.arrive_and_wait(); });
  sync.arrive_and_wait();
  t.join();
}

// The barrier is handed to code we cannot see.
void enroll(std::barrier<> &);
void barrierEscapes() {
  std::barrier<> sync(2);
  enroll(sync);
  std::thread t([] { work(); });
  sync.arrive_and_wait();
  t.join();
}

void waitAfterSpawnLoop() {
  WaitGroup wg;
  wg.Add(4);
  for (int i = 0; i < 4; ++i)
    std::thread([&wg] { work(); wg.Done(); }).detach();
  wg.Wait();
}

// One task at a time: Add(1), spawn, wait, in each iteration.
void serialGroup() {
  WaitGroup wg;
  for (int i = 0; i < 4; ++i) {
    wg.Add(1);
    std::thread([&wg] { work(); wg.Done(); }).detach();
    wg.Wait();
  }
}

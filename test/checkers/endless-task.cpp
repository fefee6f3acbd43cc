// RUN: %clang_tidy --checks='-*,taskleak-endless-task' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-endless-task' \
// RUN:   --config="{CheckOptions: {taskleak-endless-task.SpawnFunctions: 'pool::submit;pool::Pool::submit;pool::Pool::post;pool::Pool::raw'}}" \
// RUN:   %s -- %mock_flags -DUSER_SPAWN \
// RUN:   | FileCheck %s --check-prefixes=CHECK,USER -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"
#include "posix_mock.h"
#include "boost_thread_mock.h"
#include "asio_mock.h"
#include "tbb_mock.h"

void work();
bool poll();
[[noreturn]] void fatal(const char *);

//===--- Positives --------------------------------------------------------===//

// Seed LoopCaseLeak: `for len(l) != 0 { }` over a slice nothing changes.
void loopCaseLeak() {
  std::thread t([] {
    std::vector<int> l(10);
    while (!l.empty()) {
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition depends only on 'l', which nothing changes [taskleak-endless-task]
    // CHECK: :[[@LINE-3]]:22: note: 'l' is private to the task and never written after its initialisation
    }
  });
  // CHECK: :[[@LINE-7]]:15: note: task (std::thread) spawned here
  t.detach();
}

void spinForever() {
  std::thread([] {
    for (;;) {
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
      work();
    }
  }).detach();
  // CHECK: :[[@LINE-6]]:3: note: task (std::thread) spawned here
}

// The loop lives in a named function of this TU that the task runs.
void serveLoop(int retries) {
  while (retries > 0) {
  // CHECK: :[[@LINE-1]]:3: warning: task never finishes: this loop's condition depends only on 'retries', which nothing changes [taskleak-endless-task]
  // CHECK: :[[@LINE-3]]:20: note: 'retries' is private to the task and never written after its initialisation
    work();
  }
}
void startServe() {
  std::thread t(serveLoop, 3);
  // CHECK: :[[@LINE-1]]:15: note: task (std::thread) spawned here
  t.join();
}

// Followed through a call from the task body.
void pump() {
  do {
  // CHECK: :[[@LINE-1]]:3: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
    poll();
  } while (1);
}
void startPump() {
  auto fut = std::async(std::launch::async, [] { work(); pump(); });
  // CHECK: :[[@LINE-1]]:14: note: task (std::async) spawned here
  // CHECK: :[[@LINE-2]]:58: note: the task calls 'pump' here
}

void *pthreadBody(void *) {
  bool done = false;
  while (!done) {
  // CHECK: :[[@LINE-1]]:3: warning: task never finishes: this loop's condition depends only on 'done', which nothing changes [taskleak-endless-task]
  // CHECK: :[[@LINE-3]]:8: note: 'done' is private to the task and never written after its initialisation
    work();
  }
  return nullptr;
}
void startPthread() {
  pthread_t tid;
  pthread_create(&tid, nullptr, pthreadBody, nullptr);
  // CHECK: :[[@LINE-1]]:3: note: task (pthread_create) spawned here
}

// A functor, a member function and containers of threads.
struct Spinner {
  void operator()() const {
    while (true)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes
      work();
  }
};
void startFunctor() {
  std::vector<std::thread> pool;
  pool.emplace_back(Spinner{});
  // CHECK: :[[@LINE-1]]:3: note: task (std::thread) spawned here
}

struct Engine {
  void run() {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes
      poll();
  }
  void start() {
    worker = std::thread(&Engine::run, this);
    // CHECK: :[[@LINE-1]]:14: note: task (std::thread) spawned here
  }
  std::thread worker;
};

// A lambda bound to a local first.
void startNamedLambda() {
  auto body = [] { for (;;) work(); };
  // CHECK: :[[@LINE-1]]:20: warning: task never finishes
  std::thread(body).detach();
  // CHECK: :[[@LINE-1]]:3: note: task (std::thread) spawned here
}

// Copy-captured state belongs to the task: no one else can change it.
void startCapturedByCopy() {
  int remaining = 5;
  std::thread([remaining] {
    while (remaining != 0)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition depends only on 'remaining'
    // CHECK: :[[@LINE-4]]:7: note: 'remaining' is private to the task
      work();
  }).detach();
  // CHECK: :[[@LINE-6]]:3: note: task (std::thread) spawned here
}

// A TBB task and a fiber.
void startTbb(tbb::task_group &g) {
  g.run([] { while (true) poll(); });
  // CHECK: :[[@LINE-1]]:14: warning: task never finishes
  // CHECK: :[[@LINE-2]]:3: note: task (tbb task) spawned here
}
void startFiber() {
  boost::fibers::fiber f([] { for (;;) work(); });
  // CHECK: :[[@LINE-1]]:31: warning: task never finishes
  // CHECK: :[[@LINE-2]]:24: note: task (boost::fibers::fiber) spawned here
  f.detach();
}

// One warning per loop, however many tasks reach it.
void startTwoEngines(Engine &a) {
  std::thread(&Engine::run, &a).detach();
}

//===--- Hard negatives ---------------------------------------------------===//

std::atomic<bool> stopFlag{false};
struct Service {
  bool running = true;
  std::atomic<bool> stop{false};
  void loop() {
    while (running) // a member: other code can clear it
      poll();
  }
  void loopAtomic() {
    while (!stop.load())
      poll();
  }
  void start() {
    std::thread(&Service::loop, this).detach();
    std::thread(&Service::loopAtomic, this).detach();
  }
};

void pumpOrThrow() {
  if (!poll())
    throw std::runtime_error("closed");
}

void negatives(std::vector<int> &shared) {
  // Exits of every kind.
  std::thread([] { while (true) { if (poll()) break; } }).detach();
  std::thread([] { for (;;) { if (poll()) return; } }).detach();
  std::thread([] { while (true) { if (!poll()) throw std::runtime_error("x"); } }).detach();
  std::thread([] { while (true) { if (!poll()) fatal("gone"); } }).detach();
  std::thread([] { while (true) { if (!poll()) std::exit(1); } }).detach();
  std::thread([] { while (true) { if (!poll()) pthread_exit(nullptr); } }).detach();
  std::thread([] { while (true) { if (!poll()) goto out; } out:; }).detach();
  // A break in a nested switch does not leave the loop, but return does.
  std::thread([] {
    while (true) {
      switch (poll()) {
      case true: break;
      default: return;
      }
    }
  }).detach();
  // The condition reads shared or atomic state.
  std::thread([] { while (!stopFlag) work(); }).detach();
  std::thread([&shared] { while (!shared.empty()) work(); }).detach();
  int counter = 3;
  std::thread([&counter] { while (counter > 0) work(); }).detach();
  // The condition changes in the loop.
  std::thread([] { for (int i = 0; i < 10; ++i) work(); }).detach();
  std::thread([] { int n = 10; while (n > 0) { work(); --n; } }).detach();
  std::thread([] { std::vector<int> v(3); while (!v.empty()) { v.push_back(1); } }).detach();
  // Address escapes before the loop: another thread may write it.
  std::thread([] {
    bool done = false;
    std::thread([&done] { done = true; }).detach();
    while (!done) work();
  }).detach();
  // do { } while (0) in macros, and finite loops.
  std::thread([] { do { work(); } while (0); }).detach();
  // Periodic loops belong to taskleak-unstopped-ticker.
  std::thread([] { while (true) { work(); std::this_thread::sleep_for(std::chrono::seconds(1)); } }).detach();
  // A wait with a predicate is waiting to be told to stop.
  std::thread([] {
    std::mutex m; std::condition_variable cv;
    while (true) { std::unique_lock<std::mutex> lk(m); cv.wait(lk, [] { return poll(); }); }
  }).detach();
  // Blocking calls that throw when the partner shuts down.
  std::thread([](tbb::concurrent_bounded_queue<int> *q) { int v; while (true) q->pop(v); }, nullptr).detach();
  boost::thread bt([] { while (true) { work(); boost::this_thread::interruption_point(); } });
  // A callee that throws.
  std::thread([] { while (true) pumpOrThrow(); }).detach();
}

// Deferred std::async runs on the caller, not as a task.
void deferredAsync() {
  auto f = std::async(std::launch::deferred, [] { for (;;) work(); });
}

// Not a task: an endless loop in main or in a server run from main.
void serverRun() { for (;;) poll(); }
int main() {
  serverRun();
  while (true) work();
}

// Unknown callables: nothing to conclude.
void unknownBody(void (*fn)()) { std::thread(fn).detach(); }

// Uninstantiated templates are skipped; instantiations report once.
template <class T> void spawnT() { std::thread([] { for (;;) T::tick(); }).detach(); }

// A deliberately endless worker, opted out with NOLINT.
void processLifetimeWorker() {
  std::thread([] {
    for (;;) work(); // NOLINT(taskleak-endless-task): lives as long as the process
  }).detach();
  std::thread([] {
    // NOLINTNEXTLINE(taskleak-endless-task)
    while (true) poll();
  }).detach();
}

//===--- Configuration: SpawnFunctions ------------------------------------===//
namespace pool {
template <class F> void submit(F &&f) { (void)f; }
}
#ifdef USER_SPAWN
void userSpawn() {
  pool::submit([] { while (true) work(); });
  // USER: :[[@LINE-1]]:21: warning: task never finishes
  // USER: :[[@LINE-2]]:3: note: task (user-declared spawn function) spawned here
}
#endif

// The usual thread pool takes a std::function (by value or by const
// reference) or a function pointer: the callable at the call site is the
// body. Silent without the option (no USER prefix on the first RUN line).
namespace std {
template <class> class function;
template <class R, class... A> class function<R(A...)> {
public:
  template <class F> function(F) {}
  R operator()(A...) const;
};
} // namespace std
namespace pool {
struct Pool {
  void submit(std::function<void()> f);
  void post(const std::function<void()> &f);
  void raw(void (*f)());
};
} // namespace pool
void spinInPool();
void poolSpawns(pool::Pool &p) {
  p.submit([] { for (;;) work(); });
  // USER: :[[@LINE-1]]:17: warning: task never finishes
  // USER: :[[@LINE-2]]:3: note: task (user-declared spawn function) spawned here
  p.post([] { for (;;) work(); });
  // USER: :[[@LINE-1]]:15: warning: task never finishes
  // USER: :[[@LINE-2]]:3: note: task (user-declared spawn function) spawned here
  p.raw(spinInPool);
  // USER: :[[@LINE+4]]:3: warning: task never finishes
  // USER: :[[@LINE-2]]:3: note: task (user-declared spawn function) spawned here
}
void spinInPool() {
  for (;;)
    work();
}

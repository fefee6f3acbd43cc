// Issue 13 (virtual calls whose override is known) and issue 16 (loops no
// path reaches) for taskleak-endless-task, each with its negative.
// RUN: %clang_tidy --checks='-*,taskleak-endless-task,taskleak-unstopped-ticker,taskleak-ignored-stop-token' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx %mock_flags -fsyntax-only %s

#include "std_mock.h"
#include "coro_mock.h"

void work();
bool poll();
[[noreturn]] void fatal(const char *);
extern "C" [[noreturn]] void abort();
extern "C" [[noreturn]] void exit(int);

//===--- Virtual calls whose override is known: positives -----------------===//

struct Job {
  virtual ~Job();
  virtual void run() = 0;
};
struct Spinner : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
    // CHECK: :[[@LINE+10]]:15: note: task (std::thread) spawned here
    // CHECK: :[[@LINE+6]]:24: note: the task calls 'run' here
      work();
  }
};

// A named body taking the base, bound to a Spinner.
void drive(Job &j) { j.run(); }
void viaBinding() {
  Spinner s;
  std::thread t(drive, std::ref(s));
  t.join();
}

// An init capture that points at a complete object.
struct Spinner2 : Job {
  void run() override {
    do
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
    // CHECK: :[[@LINE+8]]:3: note: task (std::thread) spawned here
    // CHECK: :[[@LINE+7]]:29: note: the task calls 'run' here
      work();
    while (true);
  }
};
void viaInitCapture() {
  Spinner2 s;
  std::thread([p = &s] { p->run(); }).detach();
}

// A member function body run on a Spinner, through its base's method.
struct Looper {
  virtual ~Looper();
  virtual void loop() {}
};
struct BusyLooper : Looper {
  void loop() override {
    while (true)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
    // CHECK: :[[@LINE+6]]:15: note: task (std::thread) spawned here
      work();
  }
};
void viaMemberBody() {
  BusyLooper l;
  std::thread t(&Looper::loop, &l);
  t.join();
}

//===--- Virtual calls: negatives ------------------------------------------===//

struct Quitter : Job {
  void run() override {
    for (int i = 0; i < 3; ++i)
      work();
  }
};
void finiteOverride() {
  Quitter q;
  std::thread t(drive, std::ref(q));
  t.join();
}
// The object comes from the caller: any override may run (drive's own
// call of run() is followed only with the spawn site's object).
void unknownOverride(Job &j) {
  std::thread t(drive, std::ref(j));
  t.join();
}
// A mutable lambda may point its capture elsewhere.
struct Spinner3 : Job {
  void run() override {
    for (;;)
      work();
  }
};
void mutableCapture(Job &other) {
  Spinner3 s;
  std::thread([p = (Job *)&s, &other]() mutable { p = &other; p->run(); }).detach();
}

//===--- Pure virtual bodies, fresh objects, internal hierarchies ----------===//

// The spawn site names a pure virtual member; the object is a Spinner4.
struct Spinner4 : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+6]]:15: note: task (std::thread) spawned here
      work();
  }
};
void viaPureVirtualBody() {
  Spinner4 s;
  std::thread t(&Job::run, &s);
  t.join();
}

// The object is a fresh allocation the spawner never points elsewhere.
struct Spinner5 : Job {
  void run() override {
    while (true)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+6]]:3: note: task (std::thread) spawned here
      work();
  }
};
void viaMakeUnique() {
  std::unique_ptr<Job> job = std::make_unique<Spinner5>();
  std::thread(&Job::run, job.get()).detach();
}
struct Spinner6 : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+6]]:3: note: task (std::thread) spawned here
      work();
  }
};
void viaNew() {
  Job *job = new Spinner6;
  std::thread(std::bind(&Job::run, job)).detach();
}

// The allocation is the spawn's own argument.
struct Spinner8 : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+13]]:3: note: task (std::thread) spawned here
      work();
  }
};
struct Spinner9 : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+6]]:3: note: task (std::thread) spawned here
      work();
  }
};
void viaNewArgument() {
  std::thread(&Job::run, new Spinner8).detach();
  std::thread(&Job::run, std::make_shared<Spinner9>()).detach();
}

// A data member of class type is a complete object of that class.
struct Spinner10 : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+7]]:21: note: task (std::thread) spawned here
      work();
  }
};
struct Owner {
  Spinner10 spinner;
  Job *job = nullptr;
  std::thread worker{&Job::run, &spinner};
  // A pointer member may point anywhere: silent.
  std::thread other{&Job::run, job};
};

// A final class: nothing can override its run().
struct Sealed final : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+5]]:3: note: task (std::thread) spawned here
      work();
  }
};
void viaFinal(Sealed *s) {
  std::thread(&Job::run, s).detach();
}

// An internal hierarchy (anonymous namespace): every class deriving from
// Stage is in this file, and Pump::step is the only override.
namespace {
struct Stage {
  virtual ~Stage() = default;
  virtual void step() = 0;
};
struct Pump : Stage {
  void step() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+8]]:3: note: task (std::thread) spawned here
    // CHECK: :[[@LINE+4]]:32: note: the task calls 'step' here
      work();
  }
};
void driveStage(Stage *s) { s->step(); }
} // namespace
void viaUniqueOverride(Stage *s) {
  std::thread(driveStage, s).detach();
}

//===--- Pure virtual bodies and internal hierarchies: negatives ----------===//

// The pointer may be pointed at another job before the spawn.
struct Spinner7 : Job {
  void run() override {
    for (;;)
      work();
  }
};
void reassignedPointer(Job &other, bool c) {
  Job *job = new Spinner7;
  if (c)
    job = &other;
  std::thread(&Job::run, job).detach();
}
// A class other files can derive from: any override may run.
void externalHierarchy(Job *j) {
  std::thread(&Job::run, j).detach();
}
// Two overrides in an internal hierarchy: the runtime picks.
namespace {
struct Step {
  virtual ~Step() = default;
  virtual void go() = 0;
};
struct Forever : Step {
  void go() override {
    for (;;)
      work();
  }
};
struct Once : Step {
  void go() override { work(); }
};
void driveStep(Step &s) { s.go(); }
// A template deriving from an internal class counts too.
struct Base2 {
  virtual ~Base2() = default;
  virtual void go() = 0;
};
struct Spin2 : Base2 {
  void go() override {
    for (;;)
      work();
  }
};
template <class T> struct Quick : Base2 {
  void go() override { work(); }
};
Quick<int> quick;
void driveBase2(Base2 *b) { b->go(); }
// So does a class local to a function.
struct Base3 {
  virtual ~Base3() = default;
  virtual void go() = 0;
};
struct Spin3 : Base3 {
  void go() override {
    for (;;)
      work();
  }
};
Base3 *makeLocal() {
  struct Local : Base3 {
    void go() override {}
  };
  return new Local;
}
void driveBase3(Base3 *b) { b->go(); }
} // namespace
void internalNotUnique(Step &s, Base2 *b, Base3 *b3) {
  std::thread(driveStep, std::ref(s)).detach();
  std::thread(driveBase2, b).detach();
  std::thread(driveBase3, b3).detach();
}

//===--- Unreachable loops --------------------------------------------------===//

void afterNoreturn() {
  std::thread([] {
    fatal("unreachable");
    for (;;)
      work();
  }).detach();
  std::thread([] {
    abort();
    while (true)
      work();
  }).detach();
  std::thread([] {
    exit(1);
    for (;;)
      work();
  }).detach();
  std::thread([] {
    throw 1;
    while (true)
      work();
  }).detach();
  std::thread([] {
    if (poll()) {
      fatal("no");
      for (;;)
        work();
    }
  }).detach();
}

// Still reported: the loop runs on some path.
void reachableOnOnePath() {
  std::thread([] {
    if (poll())
      fatal("no");
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
      work();
  }).detach();
  // The throw is caught: what follows runs.
  std::thread([] {
    try {
      throw 1;
    } catch (...) {
    }
    while (true)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
    // CHECK: :[[@LINE-7]]:3: note: task (std::thread) spawned here
      work();
  }).detach();
}

struct Fire {
  struct promise_type {
    Fire get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
void keep(std::coroutine_handle<>);
// An awaiter that drops the handle: nothing resumes the frame.
struct Never {
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};
// An awaiter that hands the handle on: someone resumes it.
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

//===--- Workers that block are not spinning (corpus: leveldb's Env) ------===//

// A detached worker that waits on a condition variable whenever its queue is
// empty never ends, but does not spin: not endless-task's (Go's origin is a
// goroutine spinning). Directly, and through a wrapper of this TU.
struct WorkQueue {
  std::mutex mu;
  std::condition_variable cv;
  std::queue<int> q;
  void main() {
    while (true) {
      std::unique_lock<std::mutex> l(mu);
      while (q.empty())
        cv.wait(l);
      q.pop();
      work();
    }
  }
};
struct CondVar {
  std::condition_variable cv;
  std::unique_lock<std::mutex> *lk;
  void Wait() { cv.wait(*lk); }
};
struct WrappedQueue {
  CondVar cv;
  std::queue<int> q;
  void main() {
    while (true) {
      while (q.empty())
        cv.Wait();
      q.pop();
    }
  }
};
void startWorkers(WorkQueue &a, WrappedQueue &b) {
  std::thread(&WorkQueue::main, &a).detach();
  std::thread(&WrappedQueue::main, &b).detach();
}

// Polling with a non-blocking try and no sleep spins: reported.
struct Poller {
  std::queue<int> q;
  bool tryTake();
  void main() {
    // CHECK: :[[@LINE+1]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    while (true) {
      if (tryTake())
        work();
    }
  }
};
void startPoller(Poller &p) {
  // CHECK: :[[@LINE+1]]:3: note: task (std::thread) spawned here
  std::thread(&Poller::main, &p).detach();
}

// A periodic loop reached the same way belongs to unstopped-ticker, which
// follows the spawn site's class too.
struct Ticker : Job {
  void run() override {
    // CHECK: :[[@LINE+4]]:5: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
    // CHECK: :[[@LINE+5]]:7: note: the loop sleeps here
    // CHECK: :[[@LINE+10]]:15: note: task (std::thread) spawned here
    // CHECK: real-bugs-endless.cpp:33:24: note: the task calls 'run' here
    for (;;) {
      work();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
};
void tickViaBinding() {
  Ticker tk;
  std::thread t(drive, std::ref(tk));
  t.join();
}

// RUN: %clang_tidy --checks='-*,taskleak-nil-channel' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-nil-channel' \
// RUN:   --config="{CheckOptions: {taskleak-nil-channel.ChannelTypes: 'mylib::Mailbox', taskleak-nil-channel.SendMethods: 'mylib::Mailbox::send'}}" \
// RUN:   %s -- %mock_flags -DUSER_CHANNEL \
// RUN:   | FileCheck %s --check-prefixes=CHECK,USER -implicit-check-not='{{warning|note|error}}:'
// The budget is visible: with a solver limited to one iteration, the
// functions that need it report nothing, and the debug option says so.
// RUN: %clang_tidy --checks='-*,taskleak-nil-channel' \
// RUN:   --config="{CheckOptions: {taskleak-nil-channel.MaxSolverIterations: 1, taskleak-nil-channel.DebugBudget: true}}" \
// RUN:   %s -- %mock_flags > %t.budget
// RUN: FileCheck %s --check-prefix=BUDGET < %t.budget
// RUN: FileCheck %s --check-prefix=OVER < %t.budget
// BUDGET: warning: taskleak-nil-channel: the dataflow analysis of {{.*}} exceeded its budget; no finding is reported for it
// (Only the raw pointer member, a class-wide fact, needs no solver.)
// OVER-NOT: 'push' through 'ch', which holds
// A malformed budget is a configuration error.
// RUN: not %clang_tidy --checks='-*,taskleak-nil-channel' \
// RUN:   --config="{CheckOptions: {taskleak-nil-channel.MaxSolverIterations: 0}}" \
// RUN:   %s -- %mock_flags 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: invalid value 0 for option 'MaxSolverIterations' of check 'taskleak-nil-channel'

#include "std_mock.h"
#include "boost_thread_mock.h"

using Chan = boost::fibers::buffered_channel<int>;
void init(std::shared_ptr<Chan> &);
bool ready();

//===--- Positives --------------------------------------------------------===//

// Seed nilChannelWrite: `var ch chan int; go func() { ch <- 1 }()`.
void seed_nil_send() {
  std::shared_ptr<Chan> ch;
  // CHECK: :[[@LINE+3]]:24: warning: 'push' through 'ch', which holds no channel on every path: a send, receive or close through an empty handle never completes (Go's nil channel) [taskleak-nil-channel]
  // CHECK: :[[@LINE-2]]:25: note: 'ch' is default-constructed here and holds nothing
  // CHECK: :[[@LINE+1]]:15: note: task (std::thread) spawned here
  std::thread t([ch] { ch->push(1); });
  t.detach();
}

// Seed nilChannelRead, the handle captured by reference.
void seed_nil_receive() {
  std::unique_ptr<Chan> ch;
  std::thread t([&ch] {
    int v;
    // CHECK: :[[@LINE+3]]:5: warning: 'pop' through 'ch', which holds no channel on every path
    // CHECK: :[[@LINE-4]]:25: note: 'ch' is default-constructed here and holds nothing
    // CHECK: :[[@LINE-4]]:15: note: task (std::thread) spawned here
    ch->pop(v);
  });
  t.join();
}

// Assigned on one branch of the spawner only.
void assigned_on_one_branch(bool fast) {
  std::shared_ptr<Chan> ch;
  if (fast)
    ch = std::make_shared<Chan>(2);
  // CHECK: :[[@LINE+4]]:24: warning: 'push' through 'ch', which holds no channel on some paths
  // CHECK: :[[@LINE-4]]:25: note: 'ch' is default-constructed here and holds nothing
  // CHECK: :[[@LINE-3]]:8: note: 'ch' gets a channel here, but not on every path to the call
  // CHECK: :[[@LINE+1]]:15: note: task (std::thread) spawned here
  std::thread t([ch] { ch->push(1); });
  t.detach();
}

// A future read twice: the first get() consumes the shared state.
void future_read_twice() {
  std::thread t([] {
    std::promise<int> p;
    std::future<int> f = p.get_future();
    p.set_value(1);
    int a = f.get();
    // CHECK: :[[@LINE+3]]:13: warning: 'get' on 'f', which has no shared state on every path: nothing can ever complete this wait (undefined behaviour on an invalid future)
    // CHECK: :[[@LINE-2]]:15: note: the shared state of 'f' is consumed here
    // CHECK: :[[@LINE-7]]:15: note: task (std::thread) spawned here
    int b = f.get();
    (void)a;
    (void)b;
  });
  t.detach();
}

// A default-constructed future, assigned on one branch only.
void future_one_branch() {
  std::thread t([] {
    std::promise<int> p;
    std::future<int> f;
    if (ready())
      f = p.get_future();
    // CHECK: :[[@LINE+4]]:5: warning: 'wait' on 'f', which has no shared state on some paths
    // CHECK: :[[@LINE-4]]:22: note: 'f' is default-constructed here and holds nothing
    // CHECK: :[[@LINE-3]]:9: note: 'f' gets a shared state here, but not on every path to the wait
    // CHECK: :[[@LINE-8]]:15: note: task (std::thread) spawned here
    f.wait();
  });
  t.detach();
}

// A moved-from promise.
void promise_moved_from() {
  std::thread t([] {
    std::promise<int> p;
    std::promise<int> q = std::move(p);
    // CHECK: :[[@LINE+3]]:5: warning: 'set_value' on 'p', which has no shared state on every path: it throws std::future_error and no waiter ever gets the result
    // CHECK: :[[@LINE-2]]:27: note: 'p' is moved from here
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
    p.set_value(1);
    q.set_value(2);
  });
  t.detach();
}

// reset() and `= nullptr`, in functions the task calls. One finding per
// handle and function: the close() after a blocked pop() is never reached.
// CHECK: :[[@LINE+8]]:3: warning: 'pop' through 'ch', which holds no channel on every path
// CHECK: :[[@LINE+5]]:6: note: 'ch' is reset here
// CHECK: :[[@LINE+19]]:15: note: task (std::thread) spawned here
// CHECK: :[[@LINE+18]]:22: note: the task calls 'drain_after_reset' here
void drain_after_reset() {
  auto ch = std::make_shared<Chan>(2);
  ch.reset();
  int v;
  ch->pop(v);
  ch->close();
}
// CHECK: :[[@LINE+7]]:3: warning: 'close' through 'ch', which holds no channel on every path
// CHECK: :[[@LINE+5]]:8: note: 'ch' is set to null here
// CHECK: :[[@LINE+8]]:15: note: task (std::thread) spawned here
// CHECK: :[[@LINE+7]]:43: note: the task calls 'close_after_null' here
void close_after_null() {
  auto ch = std::make_shared<Chan>(2);
  ch = nullptr;
  ch->close();
}
void spawn_drain() {
  std::thread t([] { drain_after_reset(); close_after_null(); });
  t.detach();
}

// A member no constructor or method assigns.
// CHECK: :[[@LINE+12]]:16: warning: 'push' through 'ch_', which holds no channel on every path
// CHECK: :[[@LINE+12]]:25: note: 'ch_' is never assigned: no constructor or method of 'Worker' gives it anything
// CHECK: :[[@LINE+6]]:17: note: task (std::thread) spawned here
// CHECK: :[[@LINE+5]]:28: note: the task calls 'run' here
class Worker {
public:
  Worker() {}
  void start() {
    std::thread t([this] { run(); });
    t.detach();
  }
private:
  void run() { ch_->push(1); }
  std::shared_ptr<Chan> ch_;
};

// A raw pointer member no constructor or method assigns; `: ch_(nullptr)`
// gives it nothing.
class RawWorker {
public:
  RawWorker() : ch_(nullptr) {}
  void start() {
    // CHECK: :[[@LINE+3]]:28: warning: 'push' through 'ch_', which holds no channel on every path
    // CHECK: :[[@LINE+6]]:9: note: 'ch_' is never assigned: no constructor or method of 'RawWorker' gives it anything
    // CHECK: :[[@LINE+1]]:17: note: task (std::thread) spawned here
    std::thread t([this] { ch_->push(1); });
    t.detach();
  }
private:
  Chan *ch_;
};

#ifdef USER_CHANNEL
namespace mylib {
struct Mailbox {
  void send(int);
};
} // namespace mylib
void user_channel() {
  std::shared_ptr<mylib::Mailbox> mb;
  // USER: :[[@LINE+3]]:24: warning: 'send' through 'mb', which holds no channel on every path
  // USER: :[[@LINE-2]]:35: note: 'mb' is default-constructed here and holds nothing
  // USER: :[[@LINE+1]]:15: note: task (std::thread) spawned here
  std::thread t([mb] { mb->send(1); });
  t.detach();
}
#endif

//===--- Hard negatives ---------------------------------------------------===//

void fixed_nil_send() {
  auto ch = std::make_shared<Chan>(2);
  std::thread t([ch] { ch->push(1); });
  t.detach();
}

// Checked before use, by operator bool, by != nullptr.
void checked(bool fast) {
  std::shared_ptr<Chan> ch;
  if (fast)
    ch = std::make_shared<Chan>(2);
  std::thread t([ch] {
    if (ch)
      ch->push(1);
    if (ch != nullptr)
      ch->push(2);
  });
  t.detach();
}

// Branches correlated with the assignment, in one function.
void correlated(bool fast) {
  std::thread t([fast] {
    std::shared_ptr<Chan> ch;
    if (fast)
      ch = std::make_shared<Chan>(2);
    ready();
    if (fast)
      ch->push(1);
  });
  t.detach();
}

// Assigned on every path.
void every_path(bool fast) {
  std::thread t([fast] {
    std::shared_ptr<Chan> ch;
    if (fast)
      ch = std::make_shared<Chan>(2);
    else
      ch = std::make_shared<Chan>(8);
    ch->push(1);
  });
  t.detach();
}

// Re-assigned after a move.
void reassigned_after_move() {
  std::thread t([] {
    std::promise<int> p;
    std::promise<int> q = std::move(p);
    p = std::promise<int>();
    p.set_value(1);
    q.set_value(2);
  });
  t.detach();
}

// valid() guards a second read; a shared_future is read twice.
void valid_guard() {
  std::thread t([] {
    std::promise<int> p;
    std::future<int> f = p.get_future();
    p.set_value(1);
    int a = f.get();
    if (f.valid())
      a += f.get();
    std::promise<int> p2;
    std::shared_future<int> s = p2.get_future().share();
    p2.set_value(2);
    a += s.get();
    a += s.get();
    (void)a;
  });
  t.detach();
}

// The handle escapes: an unknown function may give it a channel.
void escapes() {
  std::thread t([] {
    std::shared_ptr<Chan> ch;
    init(ch);
    ch->push(1);
  });
  t.detach();
}

// Captured by reference, then assigned by the spawner before the join.
void assigned_after_spawn() {
  std::shared_ptr<Chan> ch;
  std::thread t([&ch] {
    while (!ch) {
    }
    ch->push(1);
  });
  ch = std::make_shared<Chan>(2);
  t.join();
}

// A parameter, a member some constructor assigns: assumed to hold.
void from_caller(std::shared_ptr<Chan> ch) {
  std::thread t([ch] { ch->push(1); });
  t.detach();
}
class Assigned {
public:
  Assigned() : ch_(std::make_shared<Chan>(2)) {}
  void start() {
    std::thread t([this] { ch_->push(1); });
    t.detach();
  }
private:
  std::shared_ptr<Chan> ch_;
};
class AssignedLater {
public:
  void open() { ch_ = std::make_shared<Chan>(2); }
  void start() {
    std::thread t([this] { ch_->push(1); });
    t.detach();
  }
private:
  std::shared_ptr<Chan> ch_;
};
// A method defined elsewhere might assign it: silent.
class Opaque {
public:
  void open();
  void start() {
    std::thread t([this] { ch_->push(1); });
    t.detach();
  }
private:
  std::shared_ptr<Chan> ch_;
};
// Not in a task: out of scope.
void not_a_task() {
  std::shared_ptr<Chan> ch;
  ch->push(1);
}
// The task tests the flag its spawner branched on: the per-function solver
// cannot relate the two, so a use under a condition on a capture is silent.
void captured_flag(bool fast) {
  std::shared_ptr<Chan> ch;
  if (fast)
    ch = std::make_shared<Chan>(2);
  std::thread t([ch, fast] {
    if (fast)
      ch->push(1);
  });
  t.detach();
}
// Each iteration takes a new element: a reference bound to what an unknown
// call returns holds something, even after the previous element's get().
void futures_in_a_loop() {
  std::thread t([] {
    std::vector<std::future<int>> fs;
    int sum = 0;
    for (std::size_t i = 0; i < fs.size(); ++i) {
      auto &f = fs[i];
      sum += f.get();
    }
    (void)sum;
  });
  t.detach();
}

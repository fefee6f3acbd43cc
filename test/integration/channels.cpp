// taskleak-abandoned-send, taskleak-range-never-closed and
// taskleak-orphaned-receive (with taskleak-missing-defer, which owns a close
// skipped on one path) against the real Boost.Fiber 1.74, oneTBB 2021 and
// libstdc++ 12 headers. Tasks are boost::fibers::fiber and std::thread.
// RUN: %clang_tidy --checks='-*,taskleak-abandoned-send,taskleak-range-never-closed,taskleak-orphaned-receive,taskleak-missing-defer' %s -- -std=c++20 \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

#include <boost/fiber/all.hpp>
#include <tbb/concurrent_queue.h>
#include <chrono>
#include <exception>
#include <future>
#include <latch>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

int compute();
bool ready();
bool more();
void use(int);

//===--- abandoned-send: positives ----------------------------------------===//

// A fiber's result on an unbuffered channel, after the caller timed out.
int fiberTimeout() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] { ch.push(compute()); }).detach();
  // CHECK: :[[@LINE-1]]:32: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+3]]:7: note: the receiver gives up here when its timeout expires; nothing receives from 'ch' after that
  // CHECK: :[[@LINE-3]]:3: note: task (boost::fibers::fiber) spawned here
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
  return v;
}

// The caller returns before it receives from the fiber.
int fiberEarlyReturn() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber f([&ch] { ch.push(compute()); });
  // CHECK: :[[@LINE-1]]:34: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+3]]:5: note: the receiver gives up here without receiving from 'ch'
  // CHECK: :[[@LINE-3]]:24: note: task (boost::fibers::fiber) spawned here
  if (!ready())
    return 0;
  int v = ch.value_pop();
  f.join();
  return v;
}

// 100 items into a buffered_channel(4), which holds 3; the consumer leaves
// its receive loop early.
void leavesReceiveLoop() {
  buffered_channel<int> ch(4);
  std::thread t([&ch] {
    for (int i = 0; i < 100; ++i)
      ch.push(i);
    // CHECK: :[[@LINE-1]]:7: warning: this send blocks forever once the receiver gives up: 'ch' has room for 3 unreceived items and nothing closes it [taskleak-abandoned-send]
    // CHECK: :[[@LINE+6]]:7: note: the receiver leaves its receive loop here; nothing receives from 'ch' after that
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
  });
  int v;
  while (ch.pop(v) == channel_op_status::success) {
    if (v > 10)
      break;
    use(v);
  }
  t.detach();
}

// A fan-in of fibers: the caller returns on the first error while the other
// fibers still send.
int fiberFanIn(int n) {
  unbuffered_channel<int> ch;
  for (int i = 0; i < n; ++i)
    boost::fibers::fiber([&ch] { ch.push(compute()); }).detach();
  // CHECK: :[[@LINE-1]]:34: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+5]]:7: note: the receiver leaves its receive loop here; nothing receives from 'ch' after that
  // CHECK: :[[@LINE-3]]:5: note: task (boost::fibers::fiber) spawned here
  for (int i = 0; i < n; ++i) {
    int v = ch.value_pop();
    if (v < 0)
      return v;
  }
  return 0;
}

// A TBB queue bounded by set_capacity(2) that nothing pops.
void tbbBoundedNeverPopped() {
  tbb::concurrent_bounded_queue<int> q;
  q.set_capacity(2);
  std::thread([&q] {
    for (int i = 0; i < 10; ++i)
      q.push(i);
    // CHECK: :[[@LINE-1]]:7: warning: this send blocks forever once the receiver gives up: 'q' has room for 2 unreceived items and nothing closes it [taskleak-abandoned-send]
    // CHECK: :[[@LINE-6]]:38: note: nothing that can run receives from 'q'
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
  }).detach();
}

// emplace blocks at capacity just as push does.
void tbbEmplaceNeverPopped() {
  tbb::concurrent_bounded_queue<int> q;
  q.set_capacity(2);
  std::thread([&q] {
    for (int i = 0; i < 10; ++i)
      q.emplace(i);
    // CHECK: :[[@LINE-1]]:7: warning: this send blocks forever once the receiver gives up: 'q' has room for 2 unreceived items and nothing closes it [taskleak-abandoned-send]
    // CHECK: :[[@LINE-6]]:38: note: nothing that can run receives from 'q'
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
  }).detach();
}

// The TBB consumer leaves its pop loop without abort().
void tbbLeavesPopLoop() {
  tbb::concurrent_bounded_queue<int> q;
  q.set_capacity(2);
  std::thread t([&q] {
    for (int i = 0; i < 10; ++i)
      q.push(i);
    // CHECK: :[[@LINE-1]]:7: warning: this send blocks forever once the receiver gives up: 'q' has room for 2 unreceived items and nothing closes it [taskleak-abandoned-send]
    // CHECK: :[[@LINE+7]]:7: note: the receiver leaves its receive loop here; nothing receives from 'q' after that
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
  });
  for (;;) {
    int v;
    q.pop(v);
    if (v == 5)
      break;
    use(v);
  }
  t.detach();
}

//===--- abandoned-send: hard negatives -----------------------------------===//

// Closed on the timeout path: the blocked push returns channel_op_status::closed.
int closedOnTimeout() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] { ch.push(compute()); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout) {
    ch.close();
    return -1;
  }
  return v;
}

// Room for the one pending result.
int roomForOne() {
  buffered_channel<int> ch(2);
  std::thread([&ch] { ch.push(compute()); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
  return v;
}

// try_push never blocks.
int tryPush() {
  buffered_channel<int> ch(2);
  std::thread([&ch] {
    for (int i = 0; i < 10; ++i)
      ch.try_push(i);
  }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
  return v;
}

// push_wait_for gives up by itself.
int pushWaitFor() {
  unbuffered_channel<int> ch;
  std::thread([&ch] {
    ch.push_wait_for(compute(), std::chrono::seconds(1));
  }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
  return v;
}

// Without set_capacity a concurrent_bounded_queue never blocks a push.
void tbbUnbounded() {
  tbb::concurrent_bounded_queue<int> q;
  std::thread([&q] {
    for (int i = 0; i < 10; ++i)
      q.push(i);
  }).detach();
}

// abort() on the give-up path makes the blocked push throw.
int tbbAbortOnGiveUp() {
  tbb::concurrent_bounded_queue<int> q;
  q.set_capacity(1);
  std::thread t([&q] {
    q.push(1);
    q.push(2);
  });
  if (!ready()) {
    q.abort();
    t.join();
    return 0;
  }
  int v;
  q.pop(v);
  q.pop(v);
  t.join();
  return v;
}

// Every path receives.
int everyPathReceives() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber f([&ch] { ch.push(1); });
  int v = 0;
  if (!ready()) {
    ch.pop(v);
    f.join();
    return 0;
  }
  ch.pop(v);
  f.join();
  return v;
}

// The channel escapes to code we cannot see.
void registerChannel(unbuffered_channel<int> &);
int escapes() {
  unbuffered_channel<int> ch;
  registerChannel(ch);
  std::thread([&ch] { ch.push(1); }).detach();
  if (!ready())
    return 0;
  return ch.value_pop();
}

// The consumer ranges until the producer closes.
void drainedUntilClosed() {
  buffered_channel<int> ch(4);
  std::thread t([&ch] {
    for (int i = 0; i < 100; ++i)
      ch.push(i);
    ch.close();
  });
  for (int v : ch)
    use(v);
  t.join();
}

// The fan-in's fixed form: every result is received, the first error kept.
int fiberFanInAll(int n) {
  unbuffered_channel<int> ch;
  for (int i = 0; i < n; ++i)
    boost::fibers::fiber([&ch] { ch.push(compute()); }).detach();
  int err = 0;
  for (int i = 0; i < n; ++i) {
    int v = ch.value_pop();
    if (v < 0 && err == 0)
      err = v;
  }
  return err;
}

// A member channel closed by the owner's destructor.
class Worker {
public:
  ~Worker() { ch_.close(); }
  void start() {
    boost::fibers::fiber([this] { ch_.push(compute()); }).detach();
  }
  bool poll() {
    int v;
    return ch_.pop_wait_for(v, std::chrono::milliseconds(1)) ==
           channel_op_status::success;
  }

private:
  unbuffered_channel<int> ch_;
};

//===--- range-never-closed: positives ------------------------------------===//

// A fiber ranges over a channel its spawner never closes.
void fiberRange() {
  buffered_channel<int> ch(8);
  boost::fibers::fiber f([&ch] {
    for (int v : ch)
      use(v);
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes: this loop ends only when 'ch' is closed, and nothing closes it [taskleak-range-never-closed]
    // CHECK: :[[@LINE+4]]:5: note: the last send to 'ch'; nothing closes it afterwards
    // CHECK: :[[@LINE-5]]:24: note: task (boost::fibers::fiber) spawned here
  });
  for (int i = 0; i < 3; ++i)
    ch.push(i);
  f.join();
}

// A thread pops while pop() succeeds; nothing closes.
void popWhileSuccess() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    int v;
    while (ch.pop(v) == channel_op_status::success)
      use(v);
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes: this loop ends only when 'ch' is closed, and nothing closes it [taskleak-range-never-closed]
    // CHECK: :[[@LINE+3]]:3: note: the last send to 'ch'; nothing closes it afterwards
    // CHECK: :[[@LINE-6]]:15: note: task (std::thread) spawned here
  });
  ch.push(1);
  t.join();
}

// A member channel that neither the destructor nor a stop method closes.
class Pipeline {
public:
  Pipeline()
      : worker_([this] {
          for (int v : ch_)
            use(v);
        }) {}
  // CHECK: :[[@LINE-3]]:11: warning: task never finishes: this loop ends only when 'ch_' is closed, and nothing closes it [taskleak-range-never-closed]
  // CHECK: :[[@LINE+3]]:24: note: the last send to 'ch_'; nothing closes it afterwards
  // CHECK: :[[@LINE-6]]:9: note: task (std::thread) spawned here
  ~Pipeline() { worker_.join(); }
  void submit(int v) { ch_.push(v); }

private:
  buffered_channel<int> ch_{16};
  std::thread worker_;
};

//===--- range-never-closed: hard negatives -------------------------------===//

// The producer closes after its last send.
void producerCloses() {
  buffered_channel<int> ch(8);
  boost::fibers::fiber f([&ch] {
    for (int v : ch)
      use(v);
  });
  for (int i = 0; i < 3; ++i)
    ch.push(i);
  ch.close();
  f.join();
}

// Closed by the owner's destructor.
class Closing {
public:
  Closing()
      : worker_([this] {
          for (int v : ch_)
            use(v);
        }) {}
  ~Closing() {
    ch_.close();
    worker_.join();
  }
  void submit(int v) { ch_.push(v); }

private:
  buffered_channel<int> ch_{16};
  std::thread worker_;
};

// Closed by a public stop method.
class Stoppable {
public:
  void start() {
    worker_ = std::thread([this] {
      for (int v : ch_)
        use(v);
    });
  }
  void submit(int v) { ch_.push(v); }
  void stop() {
    ch_.close();
    worker_.join();
  }

private:
  buffered_channel<int> ch_{8};
  std::thread worker_;
};

// Closed by a scope guard on every path.
template <class F> struct Defer {
  F f;
  ~Defer() { f(); }
};
void closedByGuard() {
  buffered_channel<int> ch(8);
  Defer d{[&ch] { ch.close(); }};
  std::thread([&ch] {
    for (int v : ch)
      use(v);
  }).detach();
  while (more())
    ch.push(1);
}

// Closed on one path only: taskleak-missing-defer's finding, not
// range-never-closed's.
void closedOnSomePaths() {
  buffered_channel<int> ch(8);
  std::thread t([&ch] {
    for (int v : ch)
      use(v);
  });
  if (!more())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return skips close() on 'ch', so whoever waits on it blocks forever [taskleak-missing-defer]
  // CHECK: :[[@LINE+2]]:3: note: 'ch' is released here on other paths
  ch.push(1);
  ch.close();
  t.join();
}

// The channel escapes: someone else may close it.
void handOff(buffered_channel<int> &);
void rangeEscapes() {
  buffered_channel<int> ch(8);
  handOff(ch);
  std::thread([&ch] {
    for (int v : ch)
      use(v);
  }).detach();
  ch.push(1);
}

// A TBB consumer that pops until abort() makes pop throw.
void tbbDrainedUntilAbort() {
  tbb::concurrent_bounded_queue<int> q;
  q.set_capacity(4);
  std::thread consumer([&q] {
    int v;
    try {
      for (;;) {
        q.pop(v);
        use(v);
      }
    } catch (...) {
    }
  });
  std::thread producer([&q] {
    for (int i = 0; i < 100; ++i)
      q.push(i);
  });
  producer.join();
  q.abort();
  consumer.join();
}

//===--- orphaned-receive: positives --------------------------------------===//

// A fiber waits on a channel nothing sends to.
void fiberNothingSends() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] {
    int v;
    ch.pop(v);
    // CHECK: :[[@LINE-1]]:5: warning: this receive blocks forever: nothing in this translation unit sends to 'ch', sets it, counts it down or closes it [taskleak-orphaned-receive]
    // CHECK: :[[@LINE-5]]:27: note: 'ch' declared here
    // CHECK: :[[@LINE-5]]:3: note: task (boost::fibers::fiber) spawned here
    use(v);
  }).detach();
}

// A TBB queue nothing pushes to or aborts.
void tbbNothingPushes() {
  tbb::concurrent_bounded_queue<int> q;
  std::thread t([&q] {
    int v;
    q.pop(v);
    // CHECK: :[[@LINE-1]]:5: warning: this receive blocks forever: nothing in this translation unit sends to 'q', sets it, counts it down or closes it [taskleak-orphaned-receive]
    // CHECK: :[[@LINE-5]]:38: note: 'q' declared here
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
    use(v);
  });
  t.join();
}

// A latch nobody counts down.
void latchNeverCounted() {
  std::latch done(1);
  std::thread([&done] { done.wait(); }).detach();
  // CHECK: :[[@LINE-1]]:25: warning: this receive blocks forever: nothing in this translation unit sends to 'done', sets it, counts it down or closes it [taskleak-orphaned-receive]
  // CHECK: :[[@LINE-3]]:14: note: 'done' declared here
  // CHECK: :[[@LINE-3]]:3: note: task (std::thread) spawned here
}

// A future whose promise a member keeps alive, and nothing sets.
class Request {
public:
  Request() : result_(promise_.get_future()) {}
  void start() {
    std::thread([this] { use(result_.get()); }).detach();
    // CHECK: :[[@LINE-1]]:30: warning: this receive blocks forever: nothing in this translation unit sends to 'result_', sets it, counts it down or closes it [taskleak-orphaned-receive]
    // CHECK: :[[@LINE+6]]:20: note: 'result_' declared here
    // CHECK: :[[@LINE-3]]:5: note: task (std::thread) spawned here
  }

private:
  std::promise<int> promise_;
  std::future<int> result_;
};

// The receive is in a function the task calls.
static int receiveFrom(unbuffered_channel<int> &ch) { return ch.value_pop(); }
// CHECK: :[[@LINE-1]]:62: warning: this receive blocks forever: nothing in this translation unit sends to 'ch', sets it, counts it down or closes it [taskleak-orphaned-receive]
void namedReceiver() {
  unbuffered_channel<int> ch;
  std::thread([&ch] { use(receiveFrom(ch)); }).detach();
  // CHECK: :[[@LINE-2]]:27: note: 'ch' declared here
  // CHECK: :[[@LINE-2]]:3: note: task (std::thread) spawned here
  // CHECK: :[[@LINE-3]]:27: note: the task calls 'receiveFrom' here
}

//===--- orphaned-receive: hard negatives ---------------------------------===//

// Another fiber sends.
void sentByFiber() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber consumer([&ch] { use(ch.value_pop()); });
  boost::fibers::fiber producer([&ch] { ch.push(1); });
  consumer.join();
  producer.join();
}

// The spawner sends through a helper.
static void sendTo(unbuffered_channel<int> &ch) { ch.push(1); }
void sentThroughHelper() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] { use(receiveFrom(ch)); });
  sendTo(ch);
  t.join();
}

// The spawner closes: pop returns channel_op_status::closed.
void closedInstead() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    int v;
    if (ch.pop(v) == channel_op_status::success)
      use(v);
  });
  ch.close();
  t.join();
}

// abort() makes the TBB pop throw.
void tbbAborted() {
  tbb::concurrent_bounded_queue<int> q;
  std::thread t([&q] {
    int v;
    try {
      q.pop(v);
    } catch (...) {
      return;
    }
    use(v);
  });
  q.abort();
  t.join();
}

// try_pop never blocks.
void tryPop() {
  buffered_channel<int> ch(2);
  std::thread([&ch] {
    int v;
    ch.try_pop(v);
  }).detach();
}

// The channel escapes: other code may send.
void publish(unbuffered_channel<int> *);
void receiveEscapes() {
  unbuffered_channel<int> ch;
  publish(&ch);
  std::thread t([&ch] { use(ch.value_pop()); });
  t.join();
}

// A public method of the owner sends; other translation units may call it.
class Inbox {
public:
  void start() {
    std::thread([this] { use(ch_.value_pop()); }).detach();
  }
  void feed(int v) { ch_.push(v); }

private:
  unbuffered_channel<int> ch_;
};

// A latch counted down by the spawner, by fibers, or by its participants.
void latchCounted() {
  std::latch done(1);
  std::thread t([&done] { done.wait(); });
  done.count_down();
  t.join();
}
void latchCountedByFibers() {
  std::latch done(2);
  std::thread waiter([&done] { done.wait(); });
  boost::fibers::fiber a([&done] { done.count_down(); });
  boost::fibers::fiber b([&done] { done.count_down(); });
  a.join();
  b.join();
  waiter.join();
}
void latchParticipants() {
  std::latch sync(2);
  std::thread a([&sync] { sync.arrive_and_wait(); });
  std::thread b([&sync] { sync.arrive_and_wait(); });
  a.join();
  b.join();
}

// A local promise dies with its function: get() throws broken_promise.
void localPromise() {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread([&f] { use(f.get()); }).detach();
}

// The promise moved into the task that sets it.
void movedPromise() {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread setter([p = std::move(p)]() mutable { p.set_value(compute()); });
  std::thread getter([&f] { use(f.get()); });
  setter.join();
  getter.join();
}

// A shared promise set by another task.
void sharedPromise() {
  auto p = std::make_shared<std::promise<int>>();
  std::shared_future<int> f = p->get_future().share();
  std::thread([f] { use(f.get()); }).detach();
  std::thread([p] { p->set_value(1); }).detach();
}

// Futures that come from std::async and std::packaged_task, not a promise.
void asyncFuture() {
  std::future<int> f = std::async(std::launch::async, compute);
  std::thread([&f] { use(f.get()); }).detach();
}
void packagedTask() {
  std::packaged_task<int()> task(compute);
  std::future<int> f = task.get_future();
  std::thread([&f] { use(f.get()); }).detach();
  task();
}

// Member promises: set by a public method, by an exception, by another task,
// or by a private method a task the constructor starts calls.
class Answered {
public:
  Answered() : result_(promise_.get_future()) {}
  void start() {
    std::thread([this] { use(result_.get()); }).detach();
  }
  void answer(int v) { promise_.set_value(v); }

private:
  std::promise<int> promise_;
  std::future<int> result_;
};
class Failed {
public:
  Failed() : result_(promise_.get_future()) {}
  void start() {
    std::thread([this] { result_.wait(); }).detach();
  }
  void fail() {
    promise_.set_exception(std::make_exception_ptr(std::runtime_error("failed")));
  }

private:
  std::promise<int> promise_;
  std::future<int> result_;
};
class SetByTask {
public:
  SetByTask() : result_(promise_.get_future()) {}
  void start() {
    std::thread([this] { use(result_.get()); }).detach();
    std::thread([this] { promise_.set_value(compute()); }).detach();
  }

private:
  std::promise<int> promise_;
  std::future<int> result_;
};
class SetPrivately {
public:
  SetPrivately() : result_(promise_.get_future()) {
    std::thread([this] { finish(); }).detach();
  }
  void start() {
    std::thread([this] { use(result_.get()); }).detach();
  }

private:
  void finish() { promise_.set_value(1); }
  std::promise<int> promise_;
  std::future<int> result_;
};

// Boost.Fiber's own promise and future, set by the spawner.
void fiberPromise() {
  boost::fibers::promise<int> p;
  boost::fibers::future<int> f = p.get_future();
  boost::fibers::fiber([&f] { use(f.get()); }).detach();
  p.set_value(1);
}

// A Boost.Fiber future whose promise (get_future() and set_exception() live
// in boost::fibers::detail::promise_base) is kept by a member and never set.
class FiberRequest {
public:
  FiberRequest() : result_(promise_.get_future()) {}
  void start() {
    std::thread([this] { consumeFiberResult(result_.get()); }).detach();
    // CHECK: :[[@LINE-1]]:45: warning: this receive blocks forever: nothing in this translation unit sends to 'result_'
    // CHECK: :[[@LINE+6]]:30: note: 'result_' declared here
    // CHECK: :[[@LINE-3]]:5: note: task (std::thread) spawned here
  }
private:
  static void consumeFiberResult(int);
  boost::fibers::promise<int> promise_;
  boost::fibers::future<int> result_;
};

// RUN: %clang_tidy --checks='-*,taskleak-orphaned-receive' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-orphaned-receive' \
// RUN:   --config="{CheckOptions: {ChannelTypes: 'mq::Pipe', SendMethods: 'mq::Pipe::put', ReceiveMethods: 'mq::Pipe::take', CloseMethods: 'mq::Pipe::shut'}}" \
// RUN:   %s -- %mock_flags | FileCheck %s --check-prefixes=CHECK,CONFIG -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"
#include "boost_thread_mock.h"
#include "tbb_mock.h"

using boost::fibers::buffered_channel;
using boost::fibers::unbuffered_channel;

void use(int);
int compute();

//===--- Positives --------------------------------------------------------===//

// Seed GoLeak2: a goroutine waits on a channel nothing ever sends to.
void goLeak2() {
  unbuffered_channel<int> ch;
  std::thread([&ch] {
    int v;
    ch.pop(v);
    // CHECK: :[[@LINE-1]]:5: warning: this receive blocks forever: nothing in this translation unit sends to 'ch', sets it, counts it down or closes it [taskleak-orphaned-receive]
    // CHECK: :[[@LINE-5]]:27: note: 'ch' declared here
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
    use(v);
  }).detach();
}

// A TBB queue nothing pushes to or aborts.
void tbbQueue() {
  tbb::concurrent_bounded_queue<int> q;
  std::thread t([&q] {
    int v;
    q.pop(v);
    // CHECK: :[[@LINE-1]]:5: warning: this receive blocks forever: nothing in this translation unit sends to 'q'
    // CHECK: :[[@LINE-5]]:38: note: 'q' declared here
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
  });
  t.join();
}

// A latch nobody counts down.
void latchNeverCounted() {
  std::latch done(1);
  std::thread([&done] { done.wait(); }).detach();
  // CHECK: :[[@LINE-1]]:25: warning: this receive blocks forever: nothing in this translation unit sends to 'done'
  // CHECK: :[[@LINE-3]]:14: note: 'done' declared here
  // CHECK: :[[@LINE-3]]:3: note: task (std::thread) spawned here
}

// A future whose promise is kept alive by a member and never set.
class Request {
public:
  void start() {
    std::thread([this] { use(result_.get()); }).detach();
    // CHECK: :[[@LINE-1]]:30: warning: this receive blocks forever: nothing in this translation unit sends to 'result_'
    // CHECK: :[[@LINE+6]]:20: note: 'result_' declared here
    // CHECK: :[[@LINE-3]]:5: note: task (std::thread) spawned here
  }
  Request() : result_(promise_.get_future()) {}
private:
  std::promise<int> promise_;
  std::future<int> result_;
};

// The only sender is in a function nothing calls.
class Idle {
public:
  void start() {
    std::thread([this] {
      int v;
      ch_.pop(v);
      // CHECK: :[[@LINE-1]]:7: warning: this receive blocks forever: nothing in this translation unit sends to 'ch_'
      // CHECK: :[[@LINE+7]]:27: note: 'ch_' declared here
      // CHECK: :[[@LINE-5]]:5: note: task (std::thread) spawned here
    }).detach();
  }

private:
  void feedNeverCalled() { ch_.push(1); }
  unbuffered_channel<int> ch_;
};

//===--- Hard negatives ---------------------------------------------------===//

// Something sends.
void sent() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    int v;
    ch.pop(v);
  });
  ch.push(compute());
  t.join();
}

// Something closes: the pop returns `closed`.
void closed() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    int v;
    ch.pop(v);
  });
  ch.close();
  t.join();
}

// A try_pop never blocks.
void tryPop() {
  unbuffered_channel<int> ch;
  std::thread([&ch] {
    int v;
    ch.try_pop(v);
  }).detach();
}

// The channel escapes: other code may send.
void publish(unbuffered_channel<int> *);
void escapes() {
  unbuffered_channel<int> ch;
  publish(&ch);
  std::thread t([&ch] {
    int v;
    ch.pop(v);
  });
  t.join();
}

// Sent by another task.
void sentByAnotherTask() {
  buffered_channel<int> ch(2);
  std::thread consumer([&ch] {
    int v;
    ch.pop(v);
  });
  std::thread producer([&ch] { ch.push(1); });
  consumer.join();
  producer.join();
}

// A latch counted down by the spawner.
void latchCounted() {
  std::latch done(1);
  std::thread t([&done] { done.wait(); });
  done.count_down();
  t.join();
}

// A local promise dies with its function: the future's get() throws
// broken_promise instead of blocking.
void localPromise() {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread([&f] { use(f.get()); }).detach();
}

// A future set by its promise.
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

//===--- Configuration: a user channel ------------------------------------===//
namespace mq {
struct Pipe {
  void put(int);
  int take();
  void shut();
};
} // namespace mq

// Without the options these are unknown calls: silent.
void userPipe() {
  mq::Pipe p;
  std::thread([&p] { use(p.take()); }).detach();
  // CONFIG: :[[@LINE-1]]:26: warning: this receive blocks forever: nothing in this translation unit sends to 'p'
  // CONFIG: :[[@LINE-3]]:12: note: 'p' declared here
  // CONFIG: :[[@LINE-3]]:3: note: task (std::thread) spawned here
}
void userPipeShut() {
  mq::Pipe p;
  std::thread t([&p] { use(p.take()); });
  p.shut();
  t.join();
}

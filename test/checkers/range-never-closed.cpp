// RUN: %clang_tidy --checks='-*,taskleak-range-never-closed' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-range-never-closed' \
// RUN:   --config="{CheckOptions: {ChannelTypes: 'mq::Pipe', SendMethods: 'mq::Pipe::put', ReceiveMethods: 'mq::Pipe::take', CloseMethods: 'mq::Pipe::shut'}}" \
// RUN:   %s -- %mock_flags | FileCheck %s --check-prefixes=CHECK,CONFIG -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"
#include "boost_thread_mock.h"
#include "tbb_mock.h"

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

void use(int);
bool more();

//===--- Positives --------------------------------------------------------===//

// Seed rangeCauseLeak: `for v := range ch` over a channel nobody closes.
void rangeCauseLeak() {
  buffered_channel<int> ch(8);
  std::thread t([&ch] {
    for (int v : ch)
      use(v);
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes: this loop ends only when 'ch' is closed, and nothing closes it [taskleak-range-never-closed]
    // CHECK: :[[@LINE+4]]:5: note: the last send to 'ch'; nothing closes it afterwards
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
  });
  for (int i = 0; i < 3; ++i)
    ch.push(i);
  t.join();
}

// The pop loop that ends on `closed`.
void popUntilClosed() {
  unbuffered_channel<int> ch;
  std::thread([&ch] {
    int v;
    while (ch.pop(v) == channel_op_status::success)
      use(v);
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes: this loop ends only when 'ch' is closed
    // CHECK: :[[@LINE+3]]:3: note: the last send to 'ch'; nothing closes it afterwards
    // CHECK: :[[@LINE-6]]:3: note: task (std::thread) spawned here
  }).detach();
  ch.push(1);
}

// A member channel that no destructor or stop method closes.
class Pipeline {
public:
  Pipeline() {
    worker_ = std::thread([this] {
      for (int v : ch_)
        use(v);
      // CHECK: :[[@LINE-2]]:7: warning: task never finishes: this loop ends only when 'ch_' is closed
      // CHECK: :[[@LINE+6]]:5: note: the last send to 'ch_'; nothing closes it afterwards
      // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
    });
  }
  ~Pipeline() { worker_.join(); }
  void submit(int v) {
    ch_.push(v);
  }

private:
  buffered_channel<int> ch_{16};
  std::thread worker_;
};

// The close is in a function nothing calls: no closer.
static void shutdownNever(buffered_channel<int> *ch) { ch->close(); }
class Leaky {
public:
  void start() {
    std::thread([this] {
      for (int v : ch_)
        use(v);
      // CHECK: :[[@LINE-2]]:7: warning: task never finishes: this loop ends only when 'ch_' is closed
      // CHECK: :[[@LINE+9]]:22: note: the last send to 'ch_'; nothing closes it afterwards
      // CHECK: :[[@LINE-5]]:5: note: task (std::thread) spawned here
    }).detach();
  }

private:
  void stopNeverCalled() { ch_.close(); }
  buffered_channel<int> ch_{4};
public:
  void send(int v) { ch_.push(v); }
};

// A TBB pop loop: the pop that throws after abort() is its only way out,
// and nothing aborts the queue.
void tbbPopLoop() {
  tbb::concurrent_bounded_queue<int> q;
  std::thread t([&q] {
    for (;;) {
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop ends only when 'q' is closed, and nothing closes it
    // CHECK: :[[@LINE+8]]:5: note: the last send to 'q'; nothing closes it afterwards
    // CHECK: :[[@LINE-4]]:15: note: task (std::thread) spawned here
      int v;
      q.pop(v);
      use(v);
    }
  });
  for (int i = 0; i < 3; ++i)
    q.push(i);
  t.join();
}

//===--- Hard negatives ---------------------------------------------------===//

// The same TBB loop, with the queue aborted after the last push.
void tbbPopLoopAborted() {
  tbb::concurrent_bounded_queue<int> q;
  std::thread t([&q] {
    for (;;) {
      int v;
      q.pop(v);
      use(v);
    }
  });
  for (int i = 0; i < 3; ++i)
    q.push(i);
  q.abort();
  t.join();
}

// The producer closes after its loop.
void producerCloses() {
  buffered_channel<int> ch(8);
  std::thread t([&ch] {
    for (int v : ch)
      use(v);
  });
  for (int i = 0; i < 3; ++i)
    ch.push(i);
  ch.close();
  t.join();
}

// Closed by the owner's destructor.
class Closing {
public:
  Closing() {
    worker_ = std::thread([this] {
      for (int v : ch_)
        use(v);
    });
  }
  ~Closing() {
    ch_.close();
    worker_.join();
  }
  void submit(int v) { ch_.push(v); }

private:
  buffered_channel<int> ch_{16};
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

// Closed by an aggregate guard that keeps a reference to the channel.
struct CloseGuard {
  buffered_channel<int> &ch;
  ~CloseGuard() { ch.close(); }
};
void closedByAggregateGuard() {
  buffered_channel<int> ch(8);
  CloseGuard g{ch};
  std::thread([&ch] {
    for (int v : ch)
      use(v);
  }).detach();
  while (more())
    ch.push(1);
}

// Closed on one path only: missing-defer's finding, not this one.
void closedOnSomePaths() {
  buffered_channel<int> ch(8);
  std::thread t([&ch] {
    for (int v : ch)
      use(v);
  });
  if (!more())
    return;
  ch.push(1);
  ch.close();
  t.join();
}

// The channel escapes: someone else may close it.
void handOff(buffered_channel<int> &);
void escapes() {
  buffered_channel<int> ch(8);
  handOff(ch);
  std::thread([&ch] {
    for (int v : ch)
      use(v);
  }).detach();
  ch.push(1);
}

//===--- Configuration: a user channel ------------------------------------===//
namespace mq {
struct Pipe {
  void put(int);
  bool take(int &);
  void shut();
};
} // namespace mq

// Without the options these are unknown calls: silent.
void userPipe() {
  mq::Pipe p;
  std::thread([&p] {
    int v;
    while (p.take(v))
      use(v);
    // CONFIG: :[[@LINE-2]]:5: warning: task never finishes: this loop ends only when 'p' is closed
    // CONFIG: :[[@LINE+3]]:3: note: the last send to 'p'; nothing closes it afterwards
    // CONFIG: :[[@LINE-6]]:3: note: task (std::thread) spawned here
  }).detach();
  p.put(1);
}
void userPipeShut() {
  mq::Pipe p;
  std::thread([&p] {
    int v;
    while (p.take(v))
      use(v);
  }).detach();
  p.put(1);
  p.shut();
}

// Fix-its print source lines (these comments among them): only lines that
// start a diagnostic count as unexpected.
// RUN: %clang_tidy --checks='-*,taskleak-abandoned-send' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'
// RUN: %clang_tidy --checks='-*,taskleak-abandoned-send' \
// RUN:   --config="{CheckOptions: {ChannelTypes: 'mq::Pipe', SendMethods: 'mq::Pipe::put', ReceiveMethods: 'mq::Pipe::take', CloseMethods: 'mq::Pipe::shut'}}" \
// RUN:   %s -- %mock_flags | FileCheck %s --check-prefixes=CHECK,CONFIG -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'

#include "std_mock.h"
#include "boost_thread_mock.h"
#include "tbb_mock.h"

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

int compute();
bool ready();
void use(int);

//===--- Positives --------------------------------------------------------===//

// Seed GoLeak1: the result goes to an unbuffered channel after the caller
// timed out.
int requestWithTimeout() {
  unbuffered_channel<int> ch;
  std::thread([&ch] { ch.push(compute()); }).detach();
  // CHECK: :[[@LINE-1]]:23: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+3]]:7: note: the receiver gives up here when its timeout expires; nothing receives from 'ch' after that
  // CHECK: :[[@LINE-3]]:3: note: task (std::thread) spawned here
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
  return v;
}

// The caller returns early, before it receives.
int earlyReturn() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] { ch.push(1); });
  // CHECK: :[[@LINE-1]]:25: warning: this send blocks forever once the receiver gives up
  // CHECK: :[[@LINE+3]]:5: note: the receiver gives up here without receiving from 'ch'
  // CHECK: :[[@LINE-3]]:15: note: task (std::thread) spawned here
  if (!ready())
    return 0;
  int v;
  ch.pop(v);
  t.join();
  return v;
}

// Seed bufferChannelFilled: the producer sends 100 items into a buffer of 3;
// the consumer leaves its receive loop early.
void bufferFilled() {
  buffered_channel<int> ch(4);
  std::thread t([&ch] {
    for (int i = 0; i < 100; ++i)
      ch.push(i);
    // CHECK: :[[@LINE-1]]:7: warning: this send blocks forever once the receiver gives up: 'ch' has room for 3 unreceived items and nothing closes it
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

// Nothing that can run receives: the only receive is in a method nobody
// calls.
class Unheard {
public:
  void start() {
    std::thread([this] { ch_.push(2); }).detach();
    // CHECK: :[[@LINE-1]]:26: warning: this send blocks forever once the receiver gives up: 'ch_' has room for 0 unreceived items
    // CHECK: :[[@LINE+9]]:27: note: nothing that can run receives from 'ch_'
    // CHECK: :[[@LINE-3]]:5: note: task (std::thread) spawned here
  }

private:
  void drain() {
    int v;
    ch_.pop(v);
  }
  unbuffered_channel<int> ch_;
};

// A producer function handed the channel by std::ref.
void produce(unbuffered_channel<int> &out) { out.push(compute()); }
// CHECK: :[[@LINE-1]]:46: warning: this send blocks forever once the receiver gives up
int byRef() {
  unbuffered_channel<int> ch;
  std::thread t(produce, std::ref(ch));
  // CHECK: :[[@LINE+3]]:5: note: the receiver gives up here without receiving from 'ch'
  // CHECK: :[[@LINE-2]]:15: note: task (std::thread) spawned here
  if (!ready())
    return 0;
  int v = 0;
  ch.pop(v);
  t.join();
  return v;
}

// The fan-in that returns on the first error while the other producers
// still send.
int fanIn(int n) {
  unbuffered_channel<int> ch;
  for (int i = 0; i < n; ++i)
    std::thread([&ch] { ch.push(compute()); }).detach();
  // CHECK: :[[@LINE-1]]:25: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items
  // CHECK: :[[@LINE+6]]:7: note: the receiver leaves its receive loop here; nothing receives from 'ch' after that
  // CHECK: :[[@LINE-3]]:5: note: task (std::thread) spawned here
  for (int i = 0; i < n; ++i) {
    int v;
    ch.pop(v);
    if (v < 0)
      return v;
  }
  return 0;
}

// Go's `for v := range ch { ... break }`: the consumer leaves its range loop.
void leavesRange() {
  buffered_channel<int> ch(4);
  std::thread t([&ch] {
    for (int i = 0; i < 100; ++i)
      ch.push(i);
    // CHECK: :[[@LINE-1]]:7: warning: this send blocks forever once the receiver gives up: 'ch' has room for 3 unreceived items
    // CHECK: :[[@LINE+5]]:7: note: the receiver leaves its receive loop here; nothing receives from 'ch' after that
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
  });
  for (int v : ch) {
    if (v > 10)
      break;
    use(v);
  }
  t.detach();
}

// Two sends, room for one: only the second can block.
int twoSendsRoomForOne() {
  buffered_channel<int> ch(2);
  std::thread t([&ch] {
    ch.push(1);
    ch.push(2);
    // CHECK: :[[@LINE-1]]:5: warning: this send blocks forever once the receiver gives up: 'ch' has room for 1 unreceived item and
    // CHECK: :[[@LINE+4]]:5: note: the receiver gives up here without receiving from 'ch'
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
  });
  if (!ready())
    return 0;
  int v;
  ch.pop(v);
  ch.pop(v);
  t.join();
  return v;
}

//===--- Hard negatives ---------------------------------------------------===//

// The consumer closes the channel when it leaves its loop: the blocked
// pushes return `closed`.
void closesWhenLeaving() {
  buffered_channel<int> ch(4);
  std::thread t([&ch] {
    for (int i = 0; i < 100; ++i)
      ch.push(i);
  });
  int v;
  while (ch.pop(v) == channel_op_status::success) {
    if (v > 10) {
      ch.close();
      break;
    }
    use(v);
  }
  t.join();
}

// Straight-line sends, then a close; the receiver ranges until closed (Boost
// Fiber's own range_for example).
void rangeReceivesEverySend() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    ch.push(1);
    ch.push(2);
    ch.close();
  });
  for (int v : ch)
    use(v);
  t.join();
}

// A receiver that receives in a counted loop takes every result.
int receivesInCountedLoop() {
  unbuffered_channel<int> r;
  std::thread t([&r] { r.push(compute()); });
  int s = 0;
  for (int i = 0; i < 1; ++i) {
    int v;
    r.pop(v);
    s += v;
  }
  t.join();
  return s;
}

// A timed receive retried until it succeeds gives up nothing.
int retriedTimedReceive() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] { ch.push(compute()); });
  int v = 0;
  while (ch.pop_wait_for(v, std::chrono::seconds(1)) ==
         channel_op_status::timeout) {
  }
  t.join();
  return v;
}

// A member channel its owner's destructor closes: the early return does not
// abandon the sender for good.
class ClosedByOwner {
public:
  ~ClosedByOwner() { ch_.close(); }
  void start() {
    std::thread([this] { ch_.push(1); }).detach();
  }
  int get() {
    if (!ready())
      return 0;
    int v;
    ch_.pop(v);
    return v;
  }

private:
  unbuffered_channel<int> ch_;
};

// Three sends in a counted loop into a buffer of seven.
void countedSendsFit() {
  buffered_channel<int> ch(8);
  std::thread t([&ch] {
    for (int i = 0; i < 3; ++i)
      ch.push(i);
  });
  int v;
  while (ch.pop(v) == channel_op_status::success) {
    if (v > 1)
      break;
  }
  t.detach();
}

// A fan-in of three with room for three: no send can block.
int fanInWithRoom() {
  buffered_channel<int> errs(4);
  for (int i = 0; i < 3; ++i)
    std::thread([&errs] { errs.push(compute()); }).detach();
  for (int i = 0; i < 3; ++i) {
    int e;
    errs.pop(e);
    if (e)
      return e;
  }
  return 0;
}

// The fan-in's fixed form: every result is received, the first error kept.
int fanInAll(int n) {
  unbuffered_channel<int> ch;
  for (int i = 0; i < n; ++i)
    std::thread([&ch] { ch.push(compute()); }).detach();
  int err = 0;
  for (int i = 0; i < n; ++i) {
    int v;
    ch.pop(v);
    if (v < 0 && err == 0)
      err = v;
  }
  return err;
}

// Every path receives.
int everyPathReceives() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] { ch.push(1); });
  int v = 0;
  if (!ready()) {
    ch.pop(v);
    t.join();
    return 0;
  }
  ch.pop(v);
  t.join();
  return v;
}

// Closed on the give-up path: the blocked push returns `closed`.
int closedOnGiveUp() {
  unbuffered_channel<int> ch;
  std::thread([&ch] { ch.push(compute()); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout) {
    ch.close();
    return -1;
  }
  return v;
}

// Room for the one pending result (the fixed form of GoLeak1).
int enoughCapacity() {
  buffered_channel<int> ch(2);
  std::thread([&ch] { ch.push(compute()); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
  return v;
}

// try_push never blocks.
int tryPush() {
  unbuffered_channel<int> ch;
  std::thread([&ch] { ch.try_push(compute()); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
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
  int v = 0;
  ch.pop(v);
  return v;
}

// The consumer ranges over the channel until the producer closes it.
void rangeUntilClosed() {
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

// An unbounded TBB queue never blocks a push.
void tbbUnbounded() {
  tbb::concurrent_bounded_queue<int> q;
  std::thread([&q] { q.push(1); }).detach();
}

// A member channel closed in the owner's destructor.
class Worker {
public:
  ~Worker() { ch_.close(); }
  void start() {
    std::thread([this] { ch_.push(1); }).detach();
  }
  bool poll() {
    int v;
    return ch_.pop_wait_for(v, std::chrono::milliseconds(1)) ==
           channel_op_status::success;
  }

private:
  unbuffered_channel<int> ch_;
};

//===--- Configuration: a user channel ------------------------------------===//
namespace mq {
struct Pipe {
  void put(int);
  int take();
  void shut();
};
} // namespace mq

// Without the options, mq::Pipe is unknown: silent (the first RUN line has no
// CONFIG prefix). With them, a declared channel hands each item over.
void userPipe() {
  mq::Pipe p;
  std::thread([&p] { p.put(1); }).detach();
  // CONFIG: :[[@LINE-1]]:22: warning: this send blocks forever once the receiver gives up: 'p' has room for 0 unreceived items
  // CONFIG: :[[@LINE-3]]:12: note: nothing that can run receives from 'p'
  // CONFIG: :[[@LINE-3]]:3: note: task (std::thread) spawned here
}

// The same pipe, received on every path, and shut when the receiver leaves
// early: silent with the options too.
void userPipeReceived() {
  mq::Pipe p;
  std::thread([&p] { p.put(1); }).detach();
  if (!ready()) {
    p.shut();
    return;
  }
  use(p.take());
}

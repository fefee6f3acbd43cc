// taskleak-nil-channel against the real libstdc++ 12, Boost.Fiber 1.74 and
// oneTBB 2021 headers: std::shared_ptr/std::unique_ptr, std::future,
// std::promise, std::shared_future, boost::fibers channels, futures and
// fibers, tbb::concurrent_bounded_queue. The other channel checks run too:
// each finding belongs to exactly one of them.
// RUN: %clang_tidy --checks='-*,taskleak-nil-channel,taskleak-orphaned-receive,taskleak-abandoned-send' %s -- -std=c++20 \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

#include <boost/fiber/all.hpp>
#include <tbb/concurrent_queue.h>
#include <future>
#include <memory>
#include <thread>
#include <utility>

using Chan = boost::fibers::buffered_channel<int>;
using Queue = tbb::concurrent_bounded_queue<int>;
bool ready();

//===--- Positives --------------------------------------------------------===//

// Seed nilChannelWrite with a Boost.Fiber channel and a fiber.
void seed_nil_send() {
  std::shared_ptr<Chan> ch;
  // CHECK: :[[@LINE+3]]:33: warning: 'push' through 'ch', which holds no channel on every path{{.*}}[taskleak-nil-channel]
  // CHECK: :[[@LINE-2]]:25: note: 'ch' is default-constructed here and holds nothing
  // CHECK: :[[@LINE+1]]:24: note: task (boost::fibers::fiber) spawned here
  boost::fibers::fiber f([ch] { ch->push(1); });
  f.join();
}

// Seed nilChannelRead with a TBB queue assigned on one branch only.
void seed_nil_receive() {
  std::unique_ptr<Queue> q;
  if (ready())
    q = std::make_unique<Queue>();
  std::thread t([&q] {
    int v;
    // CHECK: :[[@LINE+4]]:5: warning: 'pop' through 'q', which holds no channel on some paths
    // CHECK: :[[@LINE-6]]:26: note: 'q' is default-constructed here and holds nothing
    // CHECK: :[[@LINE-5]]:7: note: 'q' gets a channel here, but not on every path to the call
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
    q->pop(v);
  });
  t.join();
}

// A std::future read twice, a moved-from std::promise.
void results() {
  std::thread t([] {
    std::promise<int> p;
    std::future<int> f = p.get_future();
    std::promise<int> p2 = std::move(p);
    p2.set_value(1);
    int a = f.get();
    // CHECK: :[[@LINE+3]]:10: warning: 'get' on 'f', which has no shared state on every path
    // CHECK: :[[@LINE-2]]:15: note: the shared state of 'f' is consumed here
    // CHECK: :[[@LINE-8]]:15: note: task (std::thread) spawned here
    a += f.get();
    // CHECK: :[[@LINE+3]]:5: warning: 'set_value' on 'p', which has no shared state on every path
    // CHECK: :[[@LINE-8]]:28: note: 'p' is moved from here
    // CHECK: :[[@LINE-12]]:15: note: task (std::thread) spawned here
    p.set_value(a);
  });
  t.detach();
}

// A Boost.Fiber future with no shared state.
void fiber_future() {
  boost::fibers::fiber f([] {
    boost::fibers::future<int> fut;
    // CHECK: :[[@LINE+3]]:5: warning: 'wait' on 'fut', which has no shared state on every path
    // CHECK: :[[@LINE-2]]:32: note: 'fut' is default-constructed here and holds nothing
    // CHECK: :[[@LINE-4]]:24: note: task (boost::fibers::fiber) spawned here
    fut.wait();
  });
  f.join();
}

//===--- The fixed forms --------------------------------------------------===//

void fixed_send() {
  auto ch = std::make_shared<Chan>(2);
  boost::fibers::fiber f([ch] { ch->push(1); });
  f.join();
  ch->close();
}

void fixed_receive() {
  auto q = std::make_unique<Queue>();
  std::thread t([&q] {
    int v;
    q->pop(v);
  });
  q->push(1);
  t.join();
}

void fixed_results() {
  std::thread t([] {
    std::promise<int> p;
    std::future<int> f = p.get_future();
    p.set_value(1);
    std::shared_future<int> s = f.share();
    int a = s.get() + s.get();
    if (f.valid())
      a += f.get();
    (void)a;
  });
  t.detach();
}

void checked_receive() {
  std::unique_ptr<Queue> q;
  if (ready())
    q = std::make_unique<Queue>();
  std::thread t([&q] {
    int v;
    if (q)
      q->pop(v);
  });
  t.join();
}

// Boost.Fiber, Boost.Thread and TBB against their real headers.
// RUN: %clang_tidy --checks='-*,taskleak-*' %s -- -std=c++20 \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

#include <boost/fiber/all.hpp>
#include <boost/thread.hpp>
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/task_group.h>
#include <stop_token>
#include <thread>

void work();
bool poll();

void fiberSpin() {
  boost::fibers::fiber f([] { for (;;) work(); });
  // CHECK: :[[@LINE-1]]:31: warning: task never finishes{{.*}}[taskleak-endless-task]
  // CHECK: :[[@LINE-2]]:24: note: task (boost::fibers::fiber) spawned here
  f.detach();
}

void tbbSpin(tbb::task_group &g) {
  g.run([] { while (true) poll(); });
  // CHECK: :[[@LINE-1]]:14: warning: task never finishes{{.*}}[taskleak-endless-task]
  // CHECK: :[[@LINE-2]]:3: note: task (tbb task) spawned here
}

void boostThreadSleeps() {
  boost::thread t([] { for (;;) { work(); std::this_thread::sleep_for(std::chrono::seconds(1)); } });
  // CHECK: :[[@LINE-1]]:24: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
  // CHECK: :[[@LINE-2]]:43: note: the loop sleeps here
  // CHECK: :[[@LINE-3]]:17: note: task (boost::thread) spawned here
  t.detach();
}

void channelConsumer(boost::fibers::buffered_channel<int> &ch) {
  std::jthread t([&ch](std::stop_token st) {
    int v;
    while (!st.stop_requested())
      ch.pop(v);
    // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait{{.*}}[taskleak-ignored-stop-token]
    // CHECK: :[[@LINE-3]]:16: note: the stop token is only checked here
    // CHECK: :[[@LINE-6]]:16: note: task (std::jthread) spawned here
  });
}

// Negatives: TBB pop throws after abort(); fibers value_pop throws once the
// channel is closed; boost::this_thread::sleep_for is an interruption point.
void negatives(tbb::concurrent_bounded_queue<int> &q,
               boost::fibers::buffered_channel<int> &ch) {
  std::thread([&q] { int v; while (true) { q.pop(v); work(); } }).detach();
  boost::fibers::fiber([&ch] { while (true) { int v = ch.value_pop(); (void)v; } }).detach();
  boost::thread([] { for (;;) { work(); boost::this_thread::sleep_for(boost::chrono::seconds(1)); } }).detach();
  boost::fibers::fiber([&ch] {
    int v;
    while (ch.pop(v) == boost::fibers::channel_op_status::success)
      work();
  }).detach();
}

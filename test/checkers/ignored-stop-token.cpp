// RUN: %clang_tidy --checks='-*,taskleak-ignored-stop-token' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-ignored-stop-token' \
// RUN:   --config="{CheckOptions: {ReceiveMethods: 'mq::Inbox::take', SendMethods: 'mq::Outbox::put'}}" %s -- %mock_flags \
// RUN:   | FileCheck %s --check-prefixes=CHECK,USER -implicit-check-not='{{warning|note|error}}:'
// Precedence: a jthread's endless periodic loop is this check's, not the
// ticker's or endless-task's.
// RUN: %clang_tidy --checks='-*,taskleak-*' %s -- %mock_flags \
// RUN:   | FileCheck %s --check-prefix=ALL
// ALL-NOT: [taskleak-unstopped-ticker]
// ALL-NOT: [taskleak-endless-task]

#include "std_mock.h"
#include "posix_mock.h"
#include "boost_thread_mock.h"

void work();
bool poll();

//===--- Positives --------------------------------------------------------===//

// The token is taken and ignored.
void ignoresToken() {
  std::jthread worker([](std::stop_token st) {
    while (true) {
    // CHECK: :[[@LINE-1]]:5: warning: std::jthread body never consults its std::stop_token 'st'; this loop never ends and the jthread's destructor will hang in join() [taskleak-ignored-stop-token]
    // CHECK: :[[@LINE-3]]:42: note: stop token declared here
      work();
      std::this_thread::sleep_for(std::chrono::seconds(1));
      // CHECK: :[[@LINE-1]]:7: note: the loop sleeps here
    }
  });
  // CHECK: :[[@LINE-9]]:16: note: task (std::jthread) spawned here
}

// No token at all: `go func() { for { ... } }()` without ctx.
void noToken() {
  std::jthread worker([] {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: std::jthread body takes no std::stop_token and this loop never ends; the jthread's destructor will hang in join() [taskleak-ignored-stop-token]
      work();
  });
  // CHECK: :[[@LINE-5]]:16: note: task (std::jthread) spawned here
}

// The token is consulted by one loop, but another never checks it.
void partlyConsulted() {
  std::jthread worker([](std::stop_token st) {
    while (!st.stop_requested())
      work();
    while (true)
    // CHECK: :[[@LINE-1]]:5: warning: this loop in a std::jthread body never checks the stop token 'st' and never ends; the jthread's destructor will hang in join() [taskleak-ignored-stop-token]
      work();
  });
  // CHECK: :[[@LINE-7]]:16: note: task (std::jthread) spawned here
}

// Checked only between waits that a stop request cannot wake.
struct Consumer {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  std::jthread thread{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk);
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-4]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-6]]:22: note: task (std::jthread) spawned here
      q.pop();
    }
  }};
};

void channelPop(boost::fibers::buffered_channel<int> &ch) {
  std::jthread t([&ch](std::stop_token st) {
    int v;
    for (;;) {
      if (st.stop_requested())
        break;
      ch.pop(v);
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait
      // CHECK: :[[@LINE-4]]:14: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-8]]:16: note: task (std::jthread) spawned here
    }
  });
}

// The token is forwarded to a member function; a producer's notify_one()
// does not help once stop has been requested.
class Jobs {
public:
  void push(int j) {
    {
      std::lock_guard<std::mutex> l(m);
      q.push(j);
    }
    cv.notify_one();
  }

private:
  void run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk);
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait
      // CHECK: :[[@LINE-4]]:18: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE+6]]:17: note: task (std::jthread) spawned here
    }
  }
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  std::jthread t{[this](std::stop_token st) { run(st); }};
};

// Fix-it: while (true) -> while (!st.stop_requested()).
void fixable() {
  std::jthread t([](std::stop_token st) { while (true) work(); });
  // CHECK: :[[@LINE-1]]:43: warning: std::jthread body never consults its std::stop_token 'st'
  // CHECK: :[[@LINE-2]]:37: note: stop token declared here
  // CHECK: :[[@LINE-3]]:16: note: task (std::jthread) spawned here
}

//===--- Hard negatives ---------------------------------------------------===//

void negatives(std::stop_source &src) {
  std::jthread a([](std::stop_token st) { while (!st.stop_requested()) work(); });
  std::jthread b([](std::stop_token st) { for (;;) { if (st.stop_requested()) return; work(); } });
  // The token is handed to a condition_variable_any wait: a stop wakes it.
  std::jthread c([](std::stop_token st) {
    std::mutex m; std::condition_variable_any cv; bool ready = false;
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk, st, [&] { return ready; });
    }
  });
  // A timed wait wakes up to check the token.
  std::jthread d([](std::stop_token st) {
    std::mutex m; std::condition_variable cv;
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait_for(lk, std::chrono::milliseconds(100));
    }
  });
  // The token is handed on to a helper.
  std::jthread e([](std::stop_token st) { extern void serve(std::stop_token); serve(st); });
  // A finite body needs no token.
  std::jthread f([] { for (int i = 0; i < 3; ++i) work(); });
  // A std::thread is not this check's business.
  std::thread g([] { for (;;) work(); });
  // ALL: :[[@LINE-1]]:22: warning: task never finishes{{.*}}[taskleak-endless-task]
  // ALL-NOT: [taskleak-unstopped-ticker]
  // ALL-NOT: [taskleak-endless-task]
  // An endless loop with another way out.
  std::jthread h([] { while (true) { if (!poll()) break; } });
}

// The channel is closed on shutdown, which wakes the pop.
struct Pipeline {
  boost::fibers::buffered_channel<int> ch{8};
  std::jthread t{[this](std::stop_token st) {
    int v;
    while (!st.stop_requested())
      ch.pop(v);
  }};
  ~Pipeline() { ch.close(); }
};

//===--- Configuration: ReceiveMethods, SendMethods -----------------------===//
// Without the options these are unknown calls: silent (the first RUN line
// has no USER prefix, so a warning here would fail it).
namespace mq {
struct Inbox {
  int take();
};
struct Outbox {
  void put(int);
};
}
void userReceive(mq::Inbox &in) {
  std::jthread t([&in](std::stop_token st) {
    while (!st.stop_requested())
      in.take();
      // USER: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait
      // USER: :[[@LINE-3]]:16: note: the stop token is only checked here, between waits
      // USER: :[[@LINE-5]]:16: note: task (std::jthread) spawned here
  });
}
// A blocking send nobody receives after the stop is as unwakeable.
void userSend(mq::Outbox &out) {
  std::jthread t([&out](std::stop_token st) {
    while (!st.stop_requested())
      out.put(1);
      // USER: :[[@LINE-1]]:11: warning: a stop request cannot wake this wait
      // USER: :[[@LINE-3]]:16: note: the stop token is only checked here, between waits
      // USER: :[[@LINE-5]]:16: note: task (std::jthread) spawned here
  });
}

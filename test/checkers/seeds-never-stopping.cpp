// The seed articles' never-stopping goroutines (../shared/seeds/), each as a
// C++ leak the suite flags and its fixed form, which it does not.
// RUN: %clang_tidy --checks='-*,taskleak-*' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"
#include "asio_mock.h"

void doPeriodicWork();
void process(int);
void log(const char *);

// Seed 001, LoopCaseLeak: `l := make([]int, 10); for len(l) != 0 { }`.
void loopCaseLeak() {
  std::thread([] {
    std::vector<int> l(10);
    while (l.size() != 0) {
    }
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE-4]]:22: note: 'l' is private to the task
  }).detach();
  // CHECK: :[[@LINE-7]]:3: note: task (std::thread) spawned here
}
// Fixed: the loop consumes what it checks.
void loopCaseFixed() {
  std::thread([] {
    std::deque<int> l;
    while (!l.empty()) {
      process(l.front());
      l.pop_front();
    }
  }).detach();
}

// Seed 000, scenario 6: `go func() { for { doPeriodicWork(); time.Sleep(time.Second) } }()`.
void periodicWorker() {
  std::thread([] {
    for (;;) {
      doPeriodicWork();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    // CHECK: :[[@LINE-4]]:5: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
    // CHECK: :[[@LINE-3]]:7: note: the loop sleeps here
  }).detach();
  // CHECK: :[[@LINE-8]]:3: note: task (std::thread) spawned here
}
// Fixed: `case <-ctx.Done(): return` is a stop token the owner can trigger.
void periodicWorkerFixed(std::stop_source &ctx) {
  std::thread([tok = ctx.get_token()] {
    while (!tok.stop_requested()) {
      doPeriodicWork();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }).detach();
}
// The same with a jthread: its destructor's request_stop() is the ctx.
void periodicJThread() {
  std::jthread t([] {
    for (;;) {
      doPeriodicWork();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    // CHECK: :[[@LINE-4]]:5: warning: std::jthread body takes no std::stop_token{{.*}}[taskleak-ignored-stop-token]
    // CHECK: :[[@LINE-3]]:7: note: the loop sleeps here
  });
  // CHECK: :[[@LINE-8]]:16: note: task (std::jthread) spawned here
}
void periodicJThreadFixed() {
  std::jthread t([](std::stop_token st) {
    while (!st.stop_requested()) {
      doPeriodicWork();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
}

// Seed 002 §3.2: `ticker := time.NewTicker(d)` with no `ticker.Stop()`: an
// asio timer that re-arms itself whatever its error code says.
class Ticker {
public:
  void start() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code &) {
      doPeriodicWork();
      start();
    });
    // CHECK: :[[@LINE-2]]:7: warning: asio timer 'timer_' re-arms itself{{.*}}[taskleak-unstopped-ticker]
    // CHECK: :[[@LINE-5]]:23: note: the handler ignores the error code it is called with
    // CHECK: :[[@LINE-6]]:12: note: timer armed here with this handler
  }
  void stop() { timer_.cancel(); }
  boost::asio::steady_timer timer_;
};
// Fixed: `defer ticker.Stop()` — cancel() ends the chain because the handler
// returns on operation_aborted.
class TickerFixed {
public:
  void start() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec)
        return;
      doPeriodicWork();
      start();
    });
  }
  void stop() { timer_.cancel(); }
  boost::asio::steady_timer timer_;
};

// Seed 000 detection helper: the goroutine-count reporter with a ticker and
// `for range ticker.C` — runs for the whole process: opt out explicitly.
void reporter() {
  std::thread([] {
    for (;;) { // NOLINT(taskleak-unstopped-ticker): process-lifetime metrics reporter
      log("count");
      std::this_thread::sleep_for(std::chrono::seconds(10));
    }
  }).detach();
}

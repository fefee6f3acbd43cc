// RUN: %clang_tidy --checks='-*,taskleak-unstopped-ticker' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-unstopped-ticker' \
// RUN:   --config="{CheckOptions: {SpawnFunctions: 'sched::every;sched::later'}}" \
// RUN:   %s -- %mock_flags -DUSER_SPAWN \
// RUN:   | FileCheck %s --check-prefixes=CHECK,USER -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"
#include "posix_mock.h"
#include "asio_mock.h"

void work();
bool poll();
void doPeriodicWork();

//===--- Positives: periodic loops ----------------------------------------===//

// Seed: go func() { for { doPeriodicWork(); time.Sleep(time.Second) } }()
void periodicWorker() {
  std::thread([] {
    for (;;) {
    // CHECK: :[[@LINE-1]]:5: warning: periodic task never stops: this loop waits on every iteration but has no stop flag, stop token, break or return [taskleak-unstopped-ticker]
      doPeriodicWork();
      std::this_thread::sleep_for(std::chrono::seconds(1));
      // CHECK: :[[@LINE-1]]:7: note: the loop sleeps here
    }
  }).detach();
  // CHECK: :[[@LINE-8]]:3: note: task (std::thread) spawned here
}

// Seed: the goroutine-count reporter `for { time.Sleep(2s); print(n) }`.
void *reporter(void *) {
  while (1) {
  // CHECK: :[[@LINE-1]]:3: warning: periodic task never stops
    usleep(2000000);
    // CHECK: :[[@LINE-1]]:5: note: the loop sleeps here
    work();
  }
  return nullptr;
}
void startReporter() {
  pthread_t t;
  pthread_create(&t, nullptr, reporter, nullptr);
  // CHECK: :[[@LINE-1]]:3: note: task (pthread_create) spawned here
}

// The sleep is in a helper: the loop is still periodic.
void pause() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }
void startHelperSleep() {
  auto f = std::async(std::launch::async, [] {
    while (true) {
    // CHECK: :[[@LINE-1]]:5: warning: periodic task never stops
      work();
      pause();
      // CHECK: :[[@LINE-1]]:7: note: the loop sleeps here
    }
  });
  // CHECK: :[[@LINE-8]]:12: note: task (std::async) spawned here
}

// A timed wait without a stop predicate is a sleep too.
struct Flusher {
  std::mutex m;
  std::condition_variable cv;
  void run() {
    std::unique_lock<std::mutex> lk(m);
    for (;;) {
    // CHECK: :[[@LINE-1]]:5: warning: periodic task never stops
      cv.wait_for(lk, std::chrono::seconds(5));
      // CHECK: :[[@LINE-1]]:10: note: the loop sleeps here
      work();
    }
  }
  void start() { std::thread(&Flusher::run, this).detach(); }
  // CHECK: :[[@LINE-1]]:18: note: task (std::thread) spawned here
};

//===--- Positives: asio timers that re-arm themselves ---------------------===//

// Seed: time.NewTicker without Stop(). The handler logs the error and
// re-arms anyway, so cancel() only produces one more tick.
class Heartbeat {
public:
  explicit Heartbeat(boost::asio::io_context &io) : timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec)
        log(ec.message());
      beat();
      start();
      // CHECK: :[[@LINE-1]]:7: warning: asio timer 'timer_' re-arms itself from a handler that never returns on its error code; cancel() cannot stop this ticker [taskleak-unstopped-ticker]
      // CHECK: :[[@LINE-6]]:63: note: 'ec' is never tested before the timer is re-armed; return when it is set (operation_aborted after cancel())
      // CHECK: :[[@LINE-7]]:12: note: timer armed here with this handler
    });
  }
  void stop() { timer_.cancel(); }

private:
  void log(const char *);
  void beat();
  boost::asio::steady_timer timer_;
};

// A member-function handler that ignores the error code altogether.
class Poller {
public:
  void arm() {
    timer_.expires_after(std::chrono::milliseconds(10));
    timer_.async_wait(std::bind(&Poller::onTick, this, 1));
  }
  void onTick(int) {
    work();
    timer_.async_wait([this](const boost::system::error_code &) { onTick(0); });
    // CHECK: :[[@LINE-1]]:12: warning: asio timer 'timer_' re-arms itself
    // CHECK: :[[@LINE-4]]:8: note: the handler ignores the error code it is called with
    // CHECK: :[[@LINE-7]]:12: note: timer armed here with this handler
  }
  boost::asio::steady_timer timer_;
};

//===--- Hard negatives ---------------------------------------------------===//

std::atomic<bool> running{true};
void negatives(std::stop_token tok) {
  // A stop flag, a break, a return, a predicate wait.
  std::thread([] { while (running) { work(); std::this_thread::sleep_for(std::chrono::seconds(1)); } }).detach();
  std::thread([] { for (;;) { if (!poll()) break; usleep(10); } }).detach();
  std::thread([] { for (;;) { std::this_thread::sleep_for(std::chrono::seconds(1)); if (!poll()) return; } }).detach();
  std::thread([] {
    std::mutex m; std::condition_variable cv; bool stop = false;
    std::unique_lock<std::mutex> lk(m);
    while (true) { if (cv.wait_for(lk, std::chrono::seconds(1), [&] { return stop; })) return; work(); }
  }).detach();
  std::thread([tok] { while (!tok.stop_requested()) { work(); sleep(1); } }).detach();
  // Not periodic: endless-task's finding, not this one.
  std::thread([] { for (;;) work(); }).detach();
  // Not in a task.
  for (;;) { work(); sleep(1); }
}

class GoodTicker {
public:
  void start() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec == boost::asio::error::operation_aborted)
        return;
      work();
      start();
    });
  }
  void startGuarded() {
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) {
        work();
        startGuarded();
      }
    });
  }
  // One-shot timer: nothing re-arms.
  void once() {
    timer_.async_wait([](const boost::system::error_code &) { work(); });
  }
  // Re-arms a different timer.
  void chain() {
    timer_.async_wait([this](const boost::system::error_code &) { other_.async_wait([](const boost::system::error_code &) {}); });
  }
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer other_;
};

//===--- Configuration: SpawnFunctions ------------------------------------===//
namespace sched {
template <class F> void every(F &&f) { (void)f; }
}
#ifdef USER_SPAWN
void userSpawn() {
  sched::every([] { while (true) { work(); sleep(5); } });
  // USER: :[[@LINE-1]]:21: warning: periodic task never stops
  // USER: :[[@LINE-2]]:44: note: the loop sleeps here
  // USER: :[[@LINE-3]]:3: note: task (user-declared spawn function) spawned here
}
#endif

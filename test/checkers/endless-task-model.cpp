// Known wrong answers of the loop-exit model behind taskleak-endless-task (and
// taskleak-unstopped-ticker, which takes the loops that sleep), pinned by
// positives (must be reported) and negatives (must stay silent).
// io_context::run() returns when the context is stopped or runs out of work;
// it does not throw on shutdown, so a loop around it spins forever.
// RUN: %clang_tidy --checks='-*,taskleak-endless-task,taskleak-unstopped-ticker' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"
#include "asio_mock.h"

bool poll();

// Bug 5 (positive): `for (;;) ioc.run();` is taken for a loop that ends by a throw on shutdown.
void runForever(boost::asio::io_context &ioc) {
  std::thread([&ioc] {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes: this loop's condition is always true and nothing in it breaks, returns, throws or exits [taskleak-endless-task]
      ioc.run();
  }).detach();
  // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
}

// Bug 5 (positive, periodic): the same loop with a pause is the ticker's finding, by precedence.
void runAndPause(boost::asio::io_context &ioc) {
  std::thread([&ioc] {
    while (true) {
    // CHECK: :[[@LINE-1]]:5: warning: periodic task never stops: this loop waits on every iteration but has no stop flag, stop token, break or return [taskleak-unstopped-ticker]
      ioc.run();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      // CHECK: :[[@LINE-1]]:7: note: the loop sleeps here
    }
  }).detach();
  // CHECK: :[[@LINE-8]]:3: note: task (std::thread) spawned here
}

std::atomic<bool> stopped{false};

// Bug 5 (negative): the loop around run() reads an atomic stop flag.
void runUntilStopped(boost::asio::io_context &ioc) {
  std::thread([&ioc] {
    while (!stopped)
      ioc.run();
  }).detach();
}

// Bug 5 (negative): the loop breaks once run() has returned.
void runUntilDone(boost::asio::io_context &ioc) {
  std::thread([&ioc] {
    for (;;) {
      ioc.run();
      if (!poll())
        break;
    }
  }).detach();
}

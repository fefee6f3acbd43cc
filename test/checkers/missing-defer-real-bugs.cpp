// Shapes of real bug reports (hangs at shutdown, promises never set,
// latches never reaching zero), each with its fixed form.
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'

#include "std_mock.h"

int compute();
void work();
bool doWork();

// A task whose handler swallows the exception without setting the promise
// (kept alive by a shared_ptr, so no broken_promise ever arrives).
void swallowsPromise(std::shared_ptr<std::promise<int>> p) {
  std::thread([p] {
    try {
      p->set_value(compute());
    } catch (...) {
    // CHECK: :[[@LINE-1]]:7: warning: this handler, which swallows the exception, skips set_value()/set_exception() on 'p', so whoever waits on it blocks forever [taskleak-missing-defer]
    // CHECK: :[[@LINE-3]]:7: note: 'p' is released here on other paths
    // CHECK: :[[@LINE-6]]:3: note: task (std::thread) spawned here
    }
  }).detach();
}
// Fixed: the handler hands the exception over.
void setsException(std::shared_ptr<std::promise<int>> p) {
  std::thread([p] {
    try {
      p->set_value(compute());
    } catch (...) {
      p->set_exception(std::current_exception());
    }
  }).detach();
}

// A latch participant whose handler swallows the exception.
void swallowsCountDown(std::latch &done) {
  std::thread([&done] {
    try {
      work();
      done.count_down();
    } catch (...) {
    // CHECK: :[[@LINE-1]]:7: warning: this handler, which swallows the exception, skips count_down() on 'done', so whoever waits on it blocks forever [taskleak-missing-defer]
    // CHECK: :[[@LINE-3]]:7: note: 'done' is released here on other paths
    // CHECK: :[[@LINE-7]]:3: note: task (std::thread) spawned here
    }
  }).detach();
}
// Fixed: count down whatever happens.
void countsDownAlways(std::latch &done) {
  std::thread([&done] {
    try {
      work();
    } catch (...) {
    }
    done.count_down();
  }).detach();
}

// An exception the handler does not catch leaves the task (and terminates
// the process): no path to a leak. Consistent with catch (...) and no try.
void unmatchedLeaves(std::mutex &m) {
  std::thread([&m] {
    m.lock();
    try {
      work();
      m.unlock();
    } catch (const std::exception &) {
      m.unlock();
    }
  }).detach();
}

// Go's embedded mutex: a class that is its own mutex, locked through this.
struct Registry : std::mutex {
  int n = 0;
  bool add(int v) {
    lock();
    if (v < 0)
      return false;
    // CHECK: :[[@LINE-1]]:7: warning: this return leaves '*this' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
    // CHECK: :[[@LINE-4]]:5: note: '*this' locked here
    // CHECK: :[[@LINE+2]]:5: note: '*this' is released here on other paths
    n += v;
    unlock();
    return true;
  }
  // Fixed: unlock on the early return too.
  bool addFixed(int v) {
    lock();
    if (v < 0) {
      unlock();
      return false;
    }
    n += v;
    unlock();
    return true;
  }
};

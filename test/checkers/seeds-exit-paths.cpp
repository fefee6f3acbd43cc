// The seed articles' exit-path leaks (../shared/seeds/), each as a C++ leak
// the suite flags and its fixed form, which it does not.
// RUN: %clang_tidy --checks='-*,taskleak-*' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'

#include "std_mock.h"

bool doWork();
void work();

struct WaitGroup {
  void Add(int);
  void Done();
  void Wait();
};

// Seed 001, lockToLeak: `go func() { m.Lock() }()` five times.
void lockToLeak() {
  std::mutex m;
  for (int i = 0; i < 5; i++)
    std::thread([&m] {
      m.lock();
      work();
    }).detach();
  // CHECK: :[[@LINE-1]]:5: warning: the end of the task leaves 'm' locked{{.*}}[taskleak-missing-defer]
  // CHECK: :[[@LINE-4]]:7: note: 'm' locked here
  // CHECK: :[[@LINE-6]]:5: note: task (std::thread) spawned here
}
// Fixed: `defer m.Unlock()` is a lock_guard.
void lockToLeakFixed() {
  std::mutex m;
  for (int i = 0; i < 5; i++)
    std::thread([&m] {
      std::lock_guard<std::mutex> guard(m);
      work();
    }).detach();
}

// Seed 001, waitGroupToLeak: wg.Add(1) inside the goroutine, Done forgotten.
void waitGroupToLeak() {
  WaitGroup wg;
  for (int i = 0; i < 10; i++)
    std::thread([&wg] { wg.Add(1); work(); }).detach();
  // CHECK: :[[@LINE-1]]:25: warning: Add() on wait group 'wg' runs inside the spawned task{{.*}}[taskleak-waitgroup-mismatch]
  // CHECK: :[[@LINE-2]]:5: note: task spawned here
  // CHECK: :[[@LINE+1]]:3: note: the spawner waits here
  wg.Wait();
}
// Fixed: Add before the spawn, Done in the task.
void waitGroupFixed() {
  WaitGroup wg;
  for (int i = 0; i < 10; i++) {
    wg.Add(1);
    std::thread([&wg] { work(); wg.Done(); }).detach();
  }
  wg.Wait();
}

// Seed 000, scenario 5: the early `return` that forgets wg.Done().
void earlyReturn() {
  WaitGroup wg;
  for (int i = 0; i < 10; i++) {
    wg.Add(1);
    std::thread([&wg] {
      if (!doWork())
        return;
      // CHECK: :[[@LINE-1]]:9: warning: this return skips Done() on 'wg'{{.*}}[taskleak-missing-defer]
      // CHECK: :[[@LINE+2]]:7: note: 'wg' is released here on other paths
      // CHECK: :[[@LINE-5]]:5: note: task (std::thread) spawned here
      wg.Done();
    }).detach();
  }
  wg.Wait();
}
// Fixed: `defer wg.Done()` is a guard whose destructor calls Done().
struct DoneOnExit {
  WaitGroup &wg;
  ~DoneOnExit() { wg.Done(); }
};
void earlyReturnFixed() {
  WaitGroup wg;
  for (int i = 0; i < 10; i++) {
    wg.Add(1);
    std::thread([&wg] {
      DoneOnExit done{wg};
      if (!doWork())
        return;
      work();
    }).detach();
  }
  wg.Wait();
}

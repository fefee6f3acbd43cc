// RUN: %clang_tidy --checks='-*,taskleak-waitgroup-mismatch' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-waitgroup-mismatch' \
// RUN:   --config="{CheckOptions: {WaitGroupTypes: 'conc::Counter'}}" %s -- %mock_flags -DCONFIG \
// RUN:   | FileCheck %s --check-prefixes=CHECK,CONFIG -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"

void work();
bool doWork();

struct WaitGroup {
  void Add(int);
  void Done();
  void Wait();
};

//===--- Positives --------------------------------------------------------===//

// Seed waitGroupToLeak: wg.Add(1) inside the goroutine.
void waitGroupToLeak() {
  WaitGroup wg;
  for (int i = 0; i < 10; i++) {
    std::thread([&wg] {
      wg.Add(1);
      // CHECK: :[[@LINE-1]]:7: warning: Add() on wait group 'wg' runs inside the spawned task: Wait() can run before it{{.*}}[taskleak-waitgroup-mismatch]
      // CHECK: :[[@LINE-3]]:5: note: task spawned here
      // CHECK: :[[@LINE+4]]:3: note: the spawner waits here
      work();
    }).detach();
  }
  wg.Wait();
}

// A latch sized for 10 tasks, with a loop that spawns 9.
void latchTooBig() {
  std::latch done(10);
  // CHECK: :[[@LINE-1]]:14: warning: latch 'done' expects 10 arrivals but only 9 happen: whoever waits on it blocks forever [taskleak-waitgroup-mismatch]
  std::vector<std::thread> pool;
  for (int i = 0; i < 9; ++i)
    pool.emplace_back([&done] { work(); done.count_down(); });
  // CHECK: :[[@LINE-1]]:5: note: 9 tasks spawned here, arriving 1 time each
  done.wait();
}

// Each task counts down twice: 4 x 2 = 8 for a latch of 4.
void latchTooSmall() {
  std::latch done(4);
  // CHECK: :[[@LINE-1]]:14: warning: latch 'done' expects 4 arrivals but 8 happen: the count goes below zero
  for (int i = 0; i < 4; ++i)
    std::thread([&done] { for (int k = 0; k < 2; ++k) done.count_down(); }).detach();
  // CHECK: :[[@LINE-1]]:5: note: 4 tasks spawned here, arriving 2 times each
  done.wait();
}

// Add(n) against Done counts.
void addMismatch() {
  WaitGroup wg;
  wg.Add(5);
  // CHECK: :[[@LINE-1]]:3: warning: wait group 'wg' expects 5 arrivals but only 3 happen
  for (int i = 0; i < 3; ++i)
    std::thread([&wg] { work(); wg.Done(); }).detach();
  // CHECK: :[[@LINE-1]]:5: note: 3 tasks spawned here, arriving 1 time each
  wg.Wait();
}

// A barrier of 4 participants with 3 tasks (the spawner does not join in).
void barrierMismatch() {
  std::barrier<> sync(4);
  // CHECK: :[[@LINE-1]]:18: warning: barrier 'sync' expects 4 arrivals but only 3 happen
  for (int i = 0; i < 3; ++i)
    std::thread([&sync] { for (int p = 0; p < 5; ++p) { work(); sync.arrive_and_wait(); } }).detach();
  // CHECK: :[[@LINE-1]]:5: note: 3 tasks spawned here, arriving 1 time each
}

// Through a named function and std::ref.
void participant(std::latch &l) { l.count_down(); }
void viaRef() {
  std::latch l(3);
  // CHECK: :[[@LINE-1]]:14: warning: latch 'l' expects 3 arrivals but only 2 happen
  std::thread a(participant, std::ref(l));
  // CHECK: :[[@LINE-1]]:15: note: 1 task spawned here, arriving 1 time each
  std::thread b(participant, std::ref(l));
  // CHECK: :[[@LINE-1]]:15: note: 1 task spawned here, arriving 1 time each
  l.wait();
}

//===--- Hard negatives ---------------------------------------------------===//

void matches() {
  std::latch a(5);
  for (int i = 0; i < 5; ++i)
    std::thread([&a] { a.count_down(); }).detach();
  a.wait();
  // The spawner is a participant too.
  std::latch b(4);
  for (int i = 0; i < 3; ++i)
    std::thread([&b] { b.count_down(); }).detach();
  b.arrive_and_wait();
  // Add before spawning, one per task.
  WaitGroup wg;
  for (int i = 0; i < 10; ++i) {
    wg.Add(1);
    std::thread([&wg] { work(); wg.Done(); }).detach();
  }
  wg.Wait();
  std::barrier<> sync(3);
  for (int i = 0; i < 2; ++i)
    std::thread([&sync] { sync.arrive_and_wait(); }).detach();
  sync.arrive_and_wait();
}

void unknowns(int n, std::latch &fromCaller) {
  // A run-time trip count.
  std::latch a(4);
  for (int i = 0; i < n; ++i)
    std::thread([&a] { a.count_down(); }).detach();
  a.wait();
  // A conditional arrival: missing-defer's business.
  std::latch b(2);
  for (int i = 0; i < 2; ++i)
    std::thread([&b] { if (doWork()) b.count_down(); }).detach();
  b.wait();
  // Handed to code we cannot see.
  extern void enroll(std::latch &);
  std::latch c(3);
  enroll(c);
  for (int i = 0; i < 2; ++i)
    std::thread([&c] { c.count_down(); }).detach();
  c.wait();
  // An early break makes the trip count a maximum.
  std::latch d(3);
  for (int i = 0; i < 3; ++i) {
    if (!doWork())
      break;
    std::thread([&d] { d.count_down(); }).detach();
  }
  // A counter that comes from a caller.
  for (int i = 0; i < 2; ++i)
    std::thread([&fromCaller] { fromCaller.count_down(); }).detach();
}

//===--- Configuration: WaitGroupTypes ------------------------------------===//
// No Wait() method, so not recognised by shape; listed, it is a wait group.
namespace conc { struct Counter { void Add(int); void Done(); void Join(); }; }
void configured() {
  conc::Counter c;
  for (int i = 0; i < 4; ++i)
    std::thread([&c] { c.Add(1); c.Done(); }).detach();
  // CONFIG: :[[@LINE-1]]:24: warning: Add() on wait group 'c' runs inside the spawned task
  // CONFIG: :[[@LINE-2]]:5: note: task spawned here
  c.Join();
}

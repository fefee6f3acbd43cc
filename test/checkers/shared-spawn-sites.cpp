// The spawn matchers are shared by all taskleak checks of a translation unit;
// each check still sees only the spawn sites its own options call spawns.
// Here only taskleak-endless-task knows pool::submit: its endless loop is
// reported, while taskleak-unstopped-ticker, run in the same process, must
// not report the ticker loop spawned through pool::submit. std::thread is
// known to both, so the second ticker is reported.
// RUN: %clang_tidy --checks='-*,taskleak-endless-task,taskleak-unstopped-ticker' \
// RUN:   --config="{CheckOptions: {taskleak-endless-task.SpawnFunctions: 'pool::submit'}}" \
// RUN:   %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// Swapped: only taskleak-unstopped-ticker knows pool::submit.
// RUN: %clang_tidy --checks='-*,taskleak-endless-task,taskleak-unstopped-ticker' \
// RUN:   --config="{CheckOptions: {taskleak-unstopped-ticker.SpawnFunctions: 'pool::submit'}}" \
// RUN:   %s -- %mock_flags \
// RUN:   | FileCheck %s --check-prefix=SWAP -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"

namespace pool {
template <class F> void submit(F f) { f(); }
}

void work();

void spin_in_pool() {
  pool::submit([] {
    // CHECK: :[[@LINE+2]]:5: warning: task never finishes: this loop's condition is always true{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE-2]]:3: note: task (user-declared spawn function) spawned here
    while (true) {
      work();
    }
  });
}

void tick_in_pool() {
  pool::submit([] {
    // SWAP: :[[@LINE+3]]:5: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
    // SWAP: :[[@LINE+4]]:7: note: the loop sleeps here
    // SWAP: :[[@LINE-3]]:3: note: task (user-declared spawn function) spawned here
    for (;;) {
      work();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
}

void tick_in_thread() {
  std::thread t([] {
    // CHECK: :[[@LINE+6]]:5: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
    // CHECK: :[[@LINE+7]]:7: note: the loop sleeps here
    // CHECK: :[[@LINE-3]]:15: note: task (std::thread) spawned here
    // SWAP: :[[@LINE+3]]:5: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
    // SWAP: :[[@LINE+4]]:7: note: the loop sleeps here
    // SWAP: :[[@LINE-6]]:15: note: task (std::thread) spawned here
    for (;;) {
      work();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  t.detach();
}

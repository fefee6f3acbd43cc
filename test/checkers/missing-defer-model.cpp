// Known wrong answers of the exit-path model behind taskleak-missing-defer,
// each pinned by a positive (must be reported) and a negative (must stay
// silent). Fix-its print source lines (these comments among them): only lines
// that start a diagnostic count as unexpected.
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'

#include "std_mock.h"

bool doWork();
bool other();
void work();

//===--- 1. A handle is an object's mutex, not a field name ---------------===//

struct Account {
  std::mutex m;
  int balance = 0;
};

// Bug 1 (positive): b.m.unlock() is taken for the release of a.m because both name the field 'm'.
void withdraw(Account &a, Account &b, int amount) {
  a.m.lock();
  if (amount <= 0) {
    a.m.unlock();
    return;
  }
  a.balance -= amount;
  b.m.unlock();
}
// CHECK: :[[@LINE-1]]:1: warning: the end of the function leaves 'm' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
// CHECK: :[[@LINE-9]]:3: note: 'm' locked here
// CHECK: :[[@LINE-8]]:5: note: 'm' is released here on other paths

// Bug 1 (negative): a.m is released on every path; b.m is locked and released on its own.
void deposit(Account &a, Account &b, int amount) {
  a.m.lock();
  if (amount <= 0) {
    a.m.unlock();
    return;
  }
  a.balance += amount;
  a.m.unlock();
  b.m.lock();
  b.balance -= amount;
  b.m.unlock();
}

// Bug 1 (negative): an outer lock on a.m and a per-item lock on b.m inside a loop with continue.
void settle(Account &a, Account &b, std::vector<int> &items) {
  a.m.lock();
  for (int x : items) {
    if (x < 0)
      continue;
    b.m.lock();
    b.balance += x;
    b.m.unlock();
  }
  a.m.unlock();
}

//===--- 2. Conditional protocols: the condition, not its spelling ---------===//

// Bug 2 (positive): both ifs read `c`, but `c` changes in between, so one path locks and never unlocks.
void refreshIfStill(std::mutex &m, bool c) {
  if (c)
    m.lock();
  c = other();
  if (c)
    m.unlock();
}
// CHECK: :[[@LINE-1]]:1: warning: the end of the function leaves 'm' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
// CHECK: :[[@LINE-6]]:5: note: 'm' locked here
// CHECK: :[[@LINE-4]]:5: note: 'm' is released here on other paths

// Bug 2 (negative): the same unchanged condition spelled `c == true`: c true locks and unlocks, c false does neither.
void refreshEq(std::mutex &m) {
  const bool c = doWork();
  if (c)
    m.lock();
  work();
  if (c == true)
    m.unlock();
}

// Bug 2 (negative): the same unchanged condition spelled `(c)`.
void refreshParens(std::mutex &m) {
  const bool c = doWork();
  if (c)
    m.lock();
  work();
  if ((c))
    m.unlock();
}

//===--- 6. Releases inside lambdas ---------------------------------------===//

// Bug 6 (positive): the unlock lives in a lambda that the early return never calls.
void releaseByLambda(std::mutex &m) {
  m.lock();
  auto rel = [&] { m.unlock(); };
  if (!doWork())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'm' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
  // CHECK: :[[@LINE-5]]:3: note: 'm' locked here
  // The release on the other path is rel() (or the unlock in its body): either place will do.
  // CHECK: :{{[0-9]+}}:{{[0-9]+}}: note: 'm' is released here on other paths
  rel();
}

// Bug 6 (positive): a lambda that would release is defined on the path but never called.
void releaseNeverCalled(std::mutex &m) {
  m.lock();
  if (!doWork()) {
    m.unlock();
    return;
  }
  auto rel = [&m] { m.unlock(); };
  work();
}
// CHECK: :[[@LINE-1]]:1: warning: the end of the function leaves 'm' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
// CHECK: :[[@LINE-9]]:3: note: 'm' locked here
// CHECK: :[[@LINE-8]]:5: note: 'm' is released here on other paths

// Bug 6 (positive): defining the releasing lambda is not a release, also when the function unlocks directly elsewhere.
void releaseLambdaAndDirect(std::mutex &m) {
  m.lock();
  auto rel = [&] { m.unlock(); };
  if (!doWork())
    return;
  // CHECK: :[[@LINE-1]]:5: warning: this return leaves 'm' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
  // CHECK: :[[@LINE-5]]:3: note: 'm' locked here
  // CHECK: :[[@LINE+1]]:3: note: 'm' is released here on other paths
  m.unlock();
  (void)rel;
}

// A scope guard: unless dismissed, its destructor runs the callable it holds.
template <class F> struct ScopeGuard {
  F f;
  bool active = true;
  void dismiss() { active = false; }
  ~ScopeGuard() {
    if (active)
      f();
  }
};

// Bug 6 (negative): a real scope guard holding a non-null callable releases on every path.
void releaseByGuard(std::mutex &m) {
  m.lock();
  ScopeGuard guard{[&m] { m.unlock(); }};
  if (!doWork())
    return;
  work();
}

// Bug 6 (negative): a scope guard on one path, a direct unlock after dismiss() on the other (so it is no lock wrapper).
void releaseByGuardOrByHand(std::mutex &m) {
  m.lock();
  ScopeGuard guard{[&m] { m.unlock(); }};
  if (!doWork()) {
    guard.dismiss();
    m.unlock();
    return;
  }
  work();
}

// Bug 6 (negative): the releasing lambda is called on every path.
void releaseByLambdaEverywhere(std::mutex &m) {
  m.lock();
  auto rel = [&] { m.unlock(); };
  if (!doWork()) {
    rel();
    return;
  }
  rel();
}

//===--- 7. Dropping a held lock and taking it back -----------------------===//

struct Worker {
  std::mutex mu;
  int done = 0;
  // Bug 7 (negative): called with mu held; drops it around the slow part and takes it back for the caller.
  void slowPartUnlocked() {
    mu.unlock();
    work();
    mu.lock();
  }
  // Bug 7 (positive twin): the classic early return that skips the unlock.
  void refresh() {
    mu.lock();
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return leaves 'mu' locked: unlock() is skipped on this path, so every partner waiting on it blocks forever [taskleak-missing-defer]
    // CHECK: :[[@LINE-4]]:5: note: 'mu' locked here
    // CHECK: :[[@LINE+1]]:5: note: 'mu' is released here on other paths
    mu.unlock();
  }
};

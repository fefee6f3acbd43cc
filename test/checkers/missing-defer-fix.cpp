// A lock()/unlock() pair that opens and closes one block becomes a
// std::lock_guard; the result compiles and the finding is gone.
// RUN: cp %s %t.cpp
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' --fix %t.cpp -- %mock_flags
// RUN: FileCheck %s --check-prefix=FIXED < %t.cpp
// RUN: %clangxx -fsyntax-only %mock_flags %t.cpp
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer' %t.cpp -- %mock_flags \
// RUN:   | FileCheck %s --check-prefix=AFTER
// AFTER: warning: this return leaves 'mu' locked
// AFTER-NOT: warning:

#include "std_mock.h"

bool doWork();

struct Cache {
  std::mutex mu;
  int value = 0;
  bool refresh() {
    mu.lock();
    if (!doWork())
      return false;
    ++value;
    mu.unlock();
    return true;
  }
  void drain(std::vector<int> &jobs) {
    for (int j : jobs) {
      mu.lock();
      if (j < 0)
        continue;
      value += j;
      mu.unlock();
    }
  }
};
// refresh()'s unlock() is not the last statement of its block: no fix-it.
// FIXED: {{^}}    mu.lock();{{$}}
// FIXED: {{^}}      std::lock_guard<std::mutex> guard(mu);{{$}}
// FIXED-NEXT: {{^}}      if (j < 0){{$}}
// FIXED-NOT: {{^ +}}mu.unlock();
// FIXED: {{^}}      value += j;{{$}}
// FIXED-NEXT: {{^}}    }{{$}}

// The fix-it rewrites `while (true)` into a loop that honours the token, and
// the result still compiles.
// RUN: cp %s %t.cpp
// RUN: %clang_tidy --checks='-*,taskleak-ignored-stop-token' --fix %t.cpp -- %mock_flags
// RUN: FileCheck %s --check-prefix=FIXED < %t.cpp
// RUN: %clangxx -fsyntax-only %mock_flags %t.cpp

#include "std_mock.h"

void work();

void fixable() {
  std::jthread t([](std::stop_token st) {
    while (true) {
      work();
    }
  });
  // FIXED: {{^}}    while (!st.stop_requested()) {{[{]}}{{$}}
}

// Through a macro the spelling is not ours to change: no fix.
#define FOREVER while (true)
void macro() {
  std::jthread t([](std::stop_token token) { FOREVER { work(); } });
  // FIXED: {{^}}  std::jthread t([](std::stop_token token) { FOREVER { work(); } });{{$}}
}

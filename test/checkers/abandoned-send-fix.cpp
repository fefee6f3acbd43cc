// An unbuffered result channel with one pending send and one receiver that
// times out becomes a buffered channel with room for the result; the result
// compiles and the finding is gone.
// RUN: cp %s %t.cpp
// RUN: %clang_tidy --checks='-*,taskleak-abandoned-send' --fix %t.cpp -- %mock_flags
// RUN: FileCheck %s --check-prefix=FIXED < %t.cpp
// RUN: %clangxx -fsyntax-only %mock_flags %t.cpp
// RUN: %clang_tidy --checks='-*,taskleak-abandoned-send' %t.cpp -- %mock_flags \
// RUN:   | FileCheck %s --check-prefix=AFTER -allow-empty
// AFTER-NOT: warning:

#include "std_mock.h"
#include "boost_thread_mock.h"

int compute();
bool ready();

int requestWithTimeout() {
  boost::fibers::unbuffered_channel<int> ch;
  // FIXED: {{^}}  boost::fibers::buffered_channel<int> ch{2};{{$}}
  std::thread([&ch] { ch.push(compute()); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) ==
      boost::fibers::channel_op_status::timeout)
    return -1;
  return v;
}

// Named through a using-declaration of the unbuffered template only: the
// buffered one is spelled in full, so the result compiles.
using boost::fibers::unbuffered_channel;
int requestUnqualified() {
  unbuffered_channel<int> ch;
  // FIXED: {{^}}  boost::fibers::buffered_channel<int> ch{2};{{$}}
  std::thread([&ch] { ch.push(compute()); }).detach();
  int v = 0;
  if (!ready())
    return -1;
  ch.pop(v);
  return v;
}

// Known wrong answers of the shutdown model behind taskleak-ignored-stop-token,
// pinned by a positive (must be reported) and a negative (must stay silent).
// An explicit request_stop() excuses only the jthread it is called on, and
// only when the wait that jthread blocks in is woken after it.
// RUN: %clang_tidy --checks='-*,taskleak-ignored-stop-token' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'

#include "std_mock.h"

void work();

// Bug 3 (positive): nobody wakes this wait on stop; a request_stop() on another jthread elsewhere must not silence it.
struct Consumer {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  std::jthread thread{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk);
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait: the jthread's destructor calls request_stop() and join(), and hangs while the task blocks here [taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-4]]:16: note: the stop token is only checked here, between waits
      // CHECK: :[[@LINE-6]]:22: note: task (std::jthread) spawned here
      q.pop();
    }
  }};
};

// The unrelated jthread, stopped by hand in an unrelated function.
void stopUnrelated() {
  std::jthread other([](std::stop_token st) { while (!st.stop_requested()) work(); });
  other.request_stop();
}

// Bug 3 (negative): the owner stops this jthread and then notifies this condition variable.
class Jobs {
public:
  ~Jobs() {
    t.request_stop();
    cv.notify_all();
  }

private:
  void run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk);
    }
  }
  std::mutex m;
  std::condition_variable cv;
  std::jthread t{[this](std::stop_token st) { run(st); }};
};

// A TU that drives shutdown by hand (request_stop() then notify) is left
// alone: the order of the two calls decides, and it is not visible here.
// RUN: %clang_tidy --checks='-*,taskleak-ignored-stop-token' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:' --allow-empty
// CHECK-NOT: warning:

#include "std_mock.h"

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

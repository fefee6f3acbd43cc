// worker.h with a leak: the loop's condition can never change.
#pragma once
#include "std_mock.h"

void work();

inline void startWorker(bool &stop) {
  std::thread([] {
    bool done = false;
    while (!done)
      work();
  }).detach();
}

// A header of the fixture project: clean as committed.
#pragma once
#include "std_mock.h"

void work();

inline void startWorker(bool &stop) {
  std::thread([&stop] {
    while (!stop)
      work();
  }).detach();
}

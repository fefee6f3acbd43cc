// A header that no translation unit includes: analysed on its own.
#pragma once
#include "std_mock.h"

void work();

inline void orphanSpin() {
  std::thread([] {
    for (;;)
      work();
  }).detach();
}

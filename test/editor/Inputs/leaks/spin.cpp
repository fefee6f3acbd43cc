// A new file the compile database does not list: its command is inferred from
// the nearest listed file (src/main.cpp: -Iinclude and the mock headers).
#include "worker.h"

void spin() {
  std::thread([] {
    for (;;)
      work();
  }).detach();
}

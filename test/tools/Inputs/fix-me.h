#include "std_mock.h"
struct Cache {
  std::mutex mu;
  int value = 0;
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

// Go's missing `defer mu.Unlock()` and a WaitGroup whose count cannot match,
// in a small worker pool. `tools/taskleak` analyses this file too.
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

bool parse(const std::string &line, int &value);

class Totals {
public:
  // LEAK (taskleak-missing-defer): the early return leaves `mutex_` locked,
  // so every later add() blocks forever.
  bool add(const std::string &line) {
    mutex_.lock();
    int value = 0;
    if (!parse(line, value))
      return false;
    sum_ += value;
    mutex_.unlock();
    return true;
  }
  // Fixed: the guard unlocks on every path.
  bool addFixed(const std::string &line) {
    std::lock_guard<std::mutex> lock(mutex_);
    int value = 0;
    if (!parse(line, value))
      return false;
    sum_ += value;
    return true;
  }

private:
  std::mutex mutex_;
  long sum_ = 0;
};

int main() {
  Totals totals;
  std::vector<std::string> lines = {"1", "2", "x", "4"};
  // LEAK (taskleak-waitgroup-mismatch): the latch waits for 8 workers, the
  // loop starts 4, so wait() never returns.
  std::latch finished(8);
  std::vector<std::jthread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&, i] {
      totals.add(lines[i]);
      finished.count_down();
    });
  finished.wait();
}

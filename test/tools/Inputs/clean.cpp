#include <atomic>
#include <thread>
std::atomic<bool> stop{false};
void work();
int main() {
  std::thread t([] { while (!stop) work(); });
  stop = true;
  t.join();
}

#include <atomic>
#include <thread>
std::atomic<bool> stop{false};
void spin() {
  std::thread([] { while (!stop) {} }).detach();
}

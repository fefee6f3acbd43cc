#include <chrono>
#include <thread>
// Code added above the old finding moves it down four lines.
int helper(int x) {
  return x + 1;
}
void spin() {
    std::thread([] { for (;;) {} }).detach();  // re-indented, same code
}
void tick() {
  std::thread([] {
    for (;;)
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }).detach();
}

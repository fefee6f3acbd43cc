#include <chrono>
#include <thread>
// Code added above the old finding moves it down four lines.
int helper(int x) {
  return x + 1;
}
void spin() {
    std::thread([] { for (;;) {} }).detach();  // re-indented, same code
}

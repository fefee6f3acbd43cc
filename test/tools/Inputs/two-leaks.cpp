#include <chrono>
#include <thread>
void spin() {
  std::thread([] { for (;;) {} }).detach();
}
void tick() {
  std::thread([] {
    for (;;)
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }).detach();
}

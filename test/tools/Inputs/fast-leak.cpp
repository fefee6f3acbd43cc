#include <thread>
void spin() {
  std::thread([] { for (;;) {} }).detach();
}

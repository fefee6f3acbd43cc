#include <thread>
inline void spinInHeader() {
  std::thread([] { for (;;) {} }).detach();
}

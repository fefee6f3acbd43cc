// A taskleak finding and a compiler warning (-Wunused-variable) -Werror promotes.
#include <thread>
void spin() {
  int unused = 3;
  std::thread([] { for (;;) {} }).detach();
}

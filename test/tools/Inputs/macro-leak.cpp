// Leaks only when compiled with -DLEAK: proves arguments after -- reach the compiler.
#include <thread>
void maybe() {
#ifdef LEAK
  std::thread([] { for (;;) {} }).detach();
#endif
}

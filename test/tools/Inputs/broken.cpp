#include <thread>
void f() { std::thread t([] { for (;;) {} }) this_does_not_parse }

#include <coroutine>
#include <thread>
struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct detach { // hands the frame to someone else; never resumes it here
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> h) { h.destroy(); }
  void await_resume() {}
};
task initiate() {
  co_await detach{};
  for (;;) {} // never reached (asio's use_awaitable initiate)
}
void f() {
  std::thread t([] { initiate(); });
  t.join();
}

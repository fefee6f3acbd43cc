#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>
struct Env {
  std::mutex mu;
  std::condition_variable cv;
  std::queue<void (*)()> q;
  bool started = false;
  void schedule(void (*f)()) {
    std::lock_guard<std::mutex> l(mu);
    if (!started) { started = true; std::thread(&Env::main, this).detach(); }
    q.push(f);
    cv.notify_one();
  }
  void main() {
    while (true) {                       // worker: blocks in wait() when idle
      std::unique_lock<std::mutex> l(mu);
      while (q.empty()) cv.wait(l);
      auto f = q.front(); q.pop();
      l.unlock();
      f();
    }
  }
};

#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>
struct CondVar { explicit CondVar(std::mutex *m); void Wait(); void Signal(); };
struct Env {
  std::mutex mu;
  CondVar cv{&mu};
  std::queue<void (*)()> q;
  bool started = false;
  void schedule(void (*f)()) {
    mu.lock();
    if (!started) { started = true; std::thread(&Env::main, this).detach(); }
    q.push(f); cv.Signal(); mu.unlock();
  }
  void main() {
    while (true) {                       // worker: blocks in Wait() when idle
      mu.lock();
      while (q.empty()) cv.Wait();
      auto f = q.front(); q.pop();
      mu.unlock();
      f();
    }
  }
};

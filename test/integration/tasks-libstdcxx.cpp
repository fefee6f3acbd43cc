// The never-stopping-task checks against the real libstdc++ 12 headers.
// RUN: %clang_tidy --checks='-*,taskleak-endless-task,taskleak-unstopped-ticker,taskleak-ignored-stop-token' %s \
// RUN:   -- -std=c++20 | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <queue>
#include <stop_token>
#include <thread>
#include <vector>
#include <pthread.h>
#include <unistd.h>

void work();
bool poll();

void loopCaseLeak() {
  std::thread([] {
    std::vector<int> l(10);
    while (!l.empty()) {
    }
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes{{.*}}'l'{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE-4]]:22: note: 'l' is private to the task
  }).detach();
  // CHECK: :[[@LINE-7]]:3: note: task (std::thread) spawned here
}

void asyncSpin() {
  auto f = std::async(std::launch::async, [] { for (;;) work(); });
  // CHECK: :[[@LINE-1]]:48: warning: task never finishes{{.*}}[taskleak-endless-task]
  // CHECK: :[[@LINE-2]]:12: note: task (std::async) spawned here
  auto d = std::async(std::launch::deferred, [] { for (;;) work(); });
}

void periodic() {
  std::vector<std::thread> pool;
  pool.emplace_back([] {
    while (true) {
      work();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  // CHECK: :[[@LINE-5]]:5: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
  // CHECK: :[[@LINE-4]]:7: note: the loop sleeps here
  // CHECK: :[[@LINE-8]]:3: note: task (std::thread) spawned here
  for (auto &t : pool)
    t.join();
}

void *reporter(void *) {
  for (;;) {
    sleep(2);
    work();
  }
  // CHECK: :[[@LINE-4]]:3: warning: periodic task never stops{{.*}}[taskleak-unstopped-ticker]
  // CHECK: :[[@LINE-4]]:5: note: the loop sleeps here
}
void startReporter() {
  pthread_t t;
  pthread_create(&t, nullptr, reporter, nullptr);
  // CHECK: :[[@LINE-1]]:3: note: task (pthread_create) spawned here
}

struct Worker {
  std::mutex m;
  std::condition_variable cv;
  std::queue<int> q;
  std::jthread thread{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      cv.wait(lk);
      // CHECK: :[[@LINE-1]]:10: warning: a stop request cannot wake this wait{{.*}}[taskleak-ignored-stop-token]
      // CHECK: :[[@LINE-4]]:16: note: the stop token is only checked here
      // CHECK: :[[@LINE-6]]:22: note: task (std::jthread) spawned here
      if (!q.empty())
        q.pop();
    }
  }};
};

void jthreads() {
  std::jthread a([](std::stop_token st) { while (true) work(); });
  // CHECK: :[[@LINE-1]]:43: warning: std::jthread body never consults its std::stop_token 'st'{{.*}}[taskleak-ignored-stop-token]
  // CHECK: :[[@LINE-2]]:37: note: stop token declared here
  // CHECK: :[[@LINE-3]]:16: note: task (std::jthread) spawned here
}

// Negatives on the real headers.
std::atomic<bool> stop{false};
struct GoodWorker {
  std::mutex m;
  std::condition_variable_any cv;
  std::queue<int> q;
  std::jthread thread{[this](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk(m);
      if (!cv.wait(lk, st, [&] { return !q.empty(); }))
        return;
      q.pop();
    }
  }};
};
void negatives() {
  std::thread([] { while (!stop.load()) { work(); std::this_thread::sleep_for(std::chrono::seconds(1)); } }).detach();
  std::thread([] { for (int i = 0; i < 5; ++i) work(); }).detach();
  std::jthread t([](std::stop_token st) { while (!st.stop_requested()) work(); });
  std::promise<int> p;
  std::thread([f = p.get_future()]() mutable { while (true) { if (f.wait_for(std::chrono::seconds(1)) == std::future_status::ready) return; } }).detach();
}
// Issue 13: the spawn site names a pure virtual member; the object is a
// fresh allocation (real unique_ptr's converting constructor and get()).
struct Job {
  virtual ~Job() = default;
  virtual void run() = 0;
};
struct Spinner : Job {
  void run() override {
    for (;;)
    // CHECK: :[[@LINE-1]]:5: warning: task never finishes{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE+6]]:3: note: task (std::thread) spawned here
      work();
  }
};
void pureVirtualBody() {
  std::unique_ptr<Job> job = std::make_unique<Spinner>();
  std::thread(&Job::run, job.get()).detach();
}
struct Finite : Job {
  void run() override { work(); }
};
void pureVirtualFinite(Job &other, bool c) {
  std::unique_ptr<Job> job = std::make_unique<Finite>();
  std::thread(&Job::run, job.get()).detach();
  // Pointed elsewhere on some path: nothing to conclude.
  Job *p = new Spinner;
  if (c)
    p = &other;
  std::thread(std::bind(&Job::run, p)).detach();
}
int main() { for (;;) work(); }

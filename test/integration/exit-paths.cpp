// taskleak-missing-defer and taskleak-waitgroup-mismatch against the real
// libstdc++ 12 and Boost.Fiber headers.
// RUN: %clang_tidy --checks='-*,taskleak-missing-defer,taskleak-waitgroup-mismatch' %s -- -std=c++20 \
// RUN:   | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

#include <barrier>
#include <boost/fiber/all.hpp>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <semaphore>
#include <shared_mutex>
#include <thread>
#include <vector>

bool doWork();
void work();

class Registry {
public:
  bool add(int v) {
    mu_.lock();
    if (v < 0)
      return false;
    // CHECK: :[[@LINE-1]]:7: warning: this return leaves 'mu_' locked{{.*}}[taskleak-missing-defer]
    // CHECK: :[[@LINE-4]]:5: note: 'mu_' locked here
    // CHECK: :[[@LINE+2]]:5: note: 'mu_' is released here on other paths
    items_.push_back(v);
    mu_.unlock();
    return true;
  }
  int size() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(items_.size());
  }
  int sizeShared() {
    std::shared_lock<std::shared_mutex> lock(rw_);
    return 0;
  }

private:
  std::mutex mu_;
  std::shared_mutex rw_;
  std::vector<int> items_;
};

void latchParticipants() {
  std::latch done(8);
  // CHECK: :[[@LINE-1]]:14: warning: latch 'done' expects 8 arrivals but only 4 happen{{.*}}[taskleak-waitgroup-mismatch]
  std::vector<std::jthread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back([&done] { work(); done.count_down(); });
  // CHECK: :[[@LINE-1]]:5: note: 4 tasks spawned here, arriving 1 time each
  done.wait();
}

void promiseKeptAlive() {
  auto p = std::make_shared<std::promise<int>>();
  std::future<int> f = p->get_future();
  std::thread([p] {
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return skips set_value()/set_exception() on 'p'{{.*}}[taskleak-missing-defer]
    // CHECK: :[[@LINE+2]]:5: note: 'p' is released here on other paths
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
    p->set_value(1);
  }).detach();
  f.get();
}

void producer(boost::fibers::buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i) {
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return skips close() on 'ch'{{.*}}[taskleak-missing-defer]
    // CHECK: :[[@LINE+3]]:3: note: 'ch' is released here on other paths
    ch.push(i);
  }
  ch.close();
}

std::counting_semaphore<8> slots(8);
void useSlot() {
  slots.acquire();
  try {
    work();
  } catch (...) {
    return;
  }
  // CHECK: :[[@LINE-2]]:5: warning: this return leaves 'slots' acquired{{.*}}[taskleak-missing-defer]
  // CHECK: :[[@LINE-7]]:3: note: 'slots' acquired here
  // CHECK: :[[@LINE+1]]:3: note: 'slots' is released here on other paths
  slots.release();
}

// Negatives on real headers.
void negatives() {
  std::mutex m;
  {
    std::unique_lock<std::mutex> lk(m);
    if (!doWork())
      return;
  }
  std::scoped_lock both(m);
  std::latch l(3);
  for (int i = 0; i < 3; ++i)
    std::thread([&l] { l.count_down(); }).detach();
  l.wait();
  std::barrier sync(2);
  std::thread([&sync] { sync.arrive_and_wait(); }).detach();
  sync.arrive_and_wait();
}

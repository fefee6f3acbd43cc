// A translation unit with all of Boost.Fiber and oneTBB, for the cost of the
// channel checks (bench/callgrind.sh bench/heavy_fiber_tbb.cpp -std=c++20).
#include <boost/fiber/all.hpp>
#include <tbb/tbb.h>
#include <future>
#include <latch>
#include <thread>
#include <vector>

namespace bench {
using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

int compute(int);

int request(int x) {
  unbuffered_channel<int> ch;
  std::thread([&ch, x] { ch.push(compute(x)); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) == channel_op_status::timeout)
    return -1;
  return v;
}

void pipeline(int n) {
  buffered_channel<int> ch(64);
  std::thread consumer([&ch] {
    for (int v : ch)
      compute(v);
  });
  for (int i = 0; i < n; ++i)
    ch.push(i);
  ch.close();
  consumer.join();
}

void tbbQueue(int n) {
  tbb::concurrent_bounded_queue<int> q;
  q.set_capacity(16);
  std::thread t([&q, n] {
    for (int i = 0; i < n; ++i)
      q.push(i);
  });
  int v;
  for (int i = 0; i < n; ++i)
    q.pop(v);
  t.join();
}

class Service {
public:
  Service() : result_(promise_.get_future()) {}
  void start() {
    worker_ = std::thread([this] { compute(result_.get()); });
  }
  void answer(int v) { promise_.set_value(v); }
  ~Service() { worker_.join(); }

private:
  std::promise<int> promise_;
  std::future<int> result_;
  std::thread worker_;
};

void fibers() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber f([&ch] {
    int v;
    while (ch.pop(v) == channel_op_status::success)
      compute(v);
  });
  ch.push(1);
  ch.close();
  f.join();
}
} // namespace bench

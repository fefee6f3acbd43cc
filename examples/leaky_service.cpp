// A small service with one realistic instance of every leak taskleak finds.
// `tools/taskleak` with no arguments analyses this file; each finding below
// is marked LEAK, with the fixed form next to it.
#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;

void flushMetrics();
bool handle(const std::string &job);

// LEAK (taskleak-unstopped-ticker): `for { work(); time.Sleep(d) }` with no
// ctx.Done(): the reporter thread can never be told to stop.
void startMetricsReporter() {
  std::thread([] {
    for (;;) {
      flushMetrics();
      std::this_thread::sleep_for(10s);
    }
  }).detach();
}

// Fixed: the loop reads a stop flag the owner sets.
std::atomic<bool> shuttingDown{false};
void startMetricsReporterFixed() {
  std::thread([] {
    while (!shuttingDown.load()) {
      flushMetrics();
      std::this_thread::sleep_for(10s);
    }
  }).detach();
}

// LEAK (taskleak-ignored-stop-token): the job queue's jthread checks its stop
// token only between condition_variable waits that request_stop() never
// wakes, so ~JobQueue() hangs in join().
class JobQueue {
public:
  void push(std::string job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
  }

private:
  void run(std::stop_token stop) {
    while (!stop.stop_requested()) {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock);
      while (!jobs_.empty()) {
        handle(jobs_.front());
        jobs_.pop_front();
      }
    }
  }
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> jobs_;
  std::jthread worker_{[this](std::stop_token stop) { run(stop); }};
};

// Fixed: condition_variable_any waits on the token, so a stop wakes it.
class JobQueueFixed {
  void run(std::stop_token stop) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (ready_.wait(lock, stop, [this] { return !jobs_.empty(); })) {
      handle(jobs_.front());
      jobs_.pop_front();
    }
  }
  std::mutex mutex_;
  std::condition_variable_any ready_;
  std::deque<std::string> jobs_;
  std::jthread worker_{[this](std::stop_token stop) { run(stop); }};
};

// LEAK (taskleak-unstopped-ticker): a heartbeat timer that re-arms itself even
// after cancel(), so io_context::run() never returns.
class Heartbeat {
public:
  explicit Heartbeat(asio::io_context &io) : timer_(io) {}
  void start() {
    timer_.expires_after(1s);
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec)
        std::fprintf(stderr, "heartbeat: %s\n", ec.message().c_str());
      start();
    });
  }
  void stop() { timer_.cancel(); }

private:
  asio::steady_timer timer_;
};

// LEAK (taskleak-endless-task): Go's LoopCaseLeak, `for len(l) != 0 { }`:
// the condition reads only a local the loop never changes.
void startRetrier(std::vector<std::string> pending) {
  std::thread([pending] {
    while (!pending.empty()) {
      handle(pending.front());
    }
  }).detach();
}

// LEAK (taskleak-ignored-stop-token): a jthread body that takes no token
// and loops forever.
void startPoller() {
  static std::jthread poller([] {
    for (;;)
      flushMetrics();
  });
}

int main() {
  asio::io_context io;
  Heartbeat heartbeat(io);
  heartbeat.start();
  startMetricsReporter();
  startMetricsReporterFixed();
  startRetrier({"a", "b"});
  startPoller();
  JobQueue queue;
  queue.push("job");
  JobQueueFixed fixedQueue;
  io.run();
}

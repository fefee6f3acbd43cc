// taskleak-unstopped-ticker on self-re-arming asio timers (issues 13 and
// 16): a handler that stops on a counter bound or a stop flag is no ticker
// nobody can stop; asio's deadline actor is silent under both checks; a
// handler stored in a callable member (or a member function bound and
// stored for later) is followed.
// RUN: %clang_tidy --checks='-*,taskleak-unstopped-ticker,taskleak-client-without-timeout' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'

#include "net_mock.h"

namespace asio = boost::asio;
using error_code = boost::system::error_code;
void tick();
bool past(std::chrono::time_point<std::chrono::steady_clock>);

// A callable stored for later, the way std::function is used (the real
// std::function is covered by test/integration/async-precision.cpp).
class Callback {
public:
  Callback();
  template <class F> Callback(F f);
  template <class F> Callback &operator=(F f);
  void operator()(const error_code &) const;
};

//===--- Stops on a counter or a flag: silent -----------------------------===//

class Retry {
public:
  explicit Retry(asio::io_context &io) : timer_(io) {}
  // Ignores its error code, but stops after five attempts.
  void arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const error_code &) {
      tick();
      if (++attempts_ < 5)
        arm();
    });
  }
  // Ignores its error code, but a stop flag ends it (in the function it
  // calls to re-arm).
  void poll() {
    timer_.async_wait([this](const error_code &) { schedule(); });
  }
  void schedule() {
    if (stopping_)
      return;
    tick();
    poll();
  }
  void stop() { stopping_ = true; }

private:
  int attempts_ = 0;
  bool stopping_ = false;
  asio::steady_timer timer_;
};

// Twin: a local counter reset on every run guards nothing.
class Forever {
public:
  explicit Forever(asio::io_context &io) : timer_(io) {}
  void arm() {
    timer_.async_wait([this](const error_code &) {
      int tries = 0;
      if (tries < 5)
        tick();
      arm();
      // CHECK: :[[@LINE-1]]:7: warning: asio timer 'timer_' re-arms itself from a handler that never returns on its error code; cancel() cannot stop this ticker [taskleak-unstopped-ticker]
      // CHECK: :[[@LINE-6]]:23: note: the handler ignores the error code it is called with
      // CHECK: :[[@LINE-7]]:12: note: timer armed here with this handler
    });
  }

private:
  asio::steady_timer timer_;
};

//===--- asio's deadline actor --------------------------------------------===//

class Client {
public:
  explicit Client(asio::io_context &io) : sock_(io), deadline_(io) {}
  void start() {
    deadline_.async_wait(std::bind(&Client::checkDeadline, this));
    deadline_.expires_after(std::chrono::seconds(30));
    asio::async_read_until(sock_, buf_, "\n", [](const error_code &, unsigned long) {});
  }
  void stop() {
    stopped_ = true;
    deadline_.cancel();
  }

private:
  void checkDeadline() {
    if (stopped_)
      return;
    if (past(deadline_.expiry())) {
      sock_.close();
      deadline_.expires_after(std::chrono::seconds(3600));
    }
    deadline_.async_wait(std::bind(&Client::checkDeadline, this));
  }
  bool stopped_ = false;
  asio::ip::tcp::socket sock_;
  asio::steady_timer deadline_;
  asio::mutable_buffer buf_;
};

//===--- Handlers stored for later (issue 13) -----------------------------===//

// The handler lives in a callable member and re-arms without looking at its
// error code.
class StoredTicker {
public:
  explicit StoredTicker(asio::io_context &io) : timer_(io) {
    handler_ = [this](const error_code &) {
      tick();
      timer_.expires_after(std::chrono::seconds(1));
      timer_.async_wait(handler_);
      // CHECK: :[[@LINE-1]]:14: warning: asio timer 'timer_' re-arms itself
      // CHECK: :[[@LINE-5]]:16: note: the handler ignores the error code it is called with
      // The handler's own wait is the first arm site seen.
      // CHECK: :[[@LINE-4]]:14: note: timer armed here with this handler
    };
  }
  void start() {
    timer_.async_wait(handler_);
  }
  void stop() { timer_.cancel(); }

private:
  asio::steady_timer timer_;
  Callback handler_;
};

// A member function bound and stored for later.
class BoundStoredTicker {
public:
  explicit BoundStoredTicker(asio::io_context &io)
      : timer_(io), handler_(std::bind(&BoundStoredTicker::onTick, this)) {}
  void start() { timer_.async_wait(handler_); }
  void onTick(const error_code &ec) {
    tick();
    start();
    // CHECK: :[[@LINE-1]]:5: warning: asio timer 'timer_' re-arms itself
    // CHECK: :[[@LINE-4]]:33: note: 'ec' is never tested before the timer is re-armed
    // CHECK: :[[@LINE-6]]:25: note: timer armed here with this handler
  }

private:
  asio::steady_timer timer_;
  Callback handler_;
};

// Fixed forms: the stored handler returns on its error code.
class StoredTickerFixed {
public:
  explicit StoredTickerFixed(asio::io_context &io) : timer_(io) {
    handler_ = [this](const error_code &ec) {
      if (ec)
        return;
      tick();
      timer_.async_wait(handler_);
    };
  }
  void start() { timer_.async_wait(handler_); }

private:
  asio::steady_timer timer_;
  Callback handler_;
};

// Self-re-arming asio timers against the real Boost 1.74 headers.
// RUN: %clang_tidy --checks='-*,taskleak-*' %s -- -std=c++17 \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx -std=c++17 -fsyntax-only %s

#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <thread>

namespace asio = boost::asio;

void tick();

// The ticker nobody can stop: the error is logged, then the timer re-armed.
class Heartbeat {
public:
  explicit Heartbeat(asio::io_context &io) : timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec)
        std::cerr << ec.message() << "\n";
      tick();
      start();
      // CHECK: :[[@LINE-1]]:7: warning: asio timer 'timer_' re-arms itself{{.*}}[taskleak-unstopped-ticker]
      // CHECK: :[[@LINE-6]]:63: note: 'ec' is never tested before the timer is re-armed
      // CHECK: :[[@LINE-7]]:12: note: timer armed here with this handler
    });
  }
  void stop() { timer_.cancel(); }

private:
  asio::steady_timer timer_;
};

// A generic handler through a member function.
class Poller {
public:
  explicit Poller(asio::io_context &io) : timer_(io) {}
  void arm() {
    timer_.expires_after(std::chrono::milliseconds(100));
    timer_.async_wait([this](auto) { poll(); });
    // The warning lands on the handler's call that leads back to arm().
    // CHECK: :[[@LINE-2]]:38: warning: asio timer 'timer_' re-arms itself{{.*}}[taskleak-unstopped-ticker]
    // CHECK: :[[@LINE-3]]:23: note: the handler ignores the error code it is called with
    // CHECK: :[[@LINE-4]]:12: note: timer armed here with this handler
  }
  void poll() {
    tick();
    arm();
  }

private:
  asio::steady_timer timer_;
};

// Negatives: handlers that return on error.
class Good {
public:
  explicit Good(asio::io_context &io) : timer_(io), strand_(io.get_executor()) {}
  void start() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec == asio::error::operation_aborted)
        return;
      tick();
      start();
    });
  }
  void startBound() {
    timer_.async_wait(std::bind(&Good::onTimer, this, std::placeholders::_1));
  }
  void onTimer(const boost::system::error_code &ec) {
    if (!ec) {
      tick();
      startBound();
    }
  }
  void post(asio::io_context &io) {
    asio::post(io, [] { tick(); });
  }

private:
  asio::steady_timer timer_;
  asio::strand<asio::io_context::executor_type> strand_;
};

// A synchronous server loop ends when accept() or read_some() throws (the
// acceptor or the socket is closed, the peer hangs up): not an endless task.
void serve(asio::ip::tcp::acceptor &acceptor) {
  std::thread([&acceptor] {
    for (;;) {
      asio::ip::tcp::socket sock = acceptor.accept();
      char data[512];
      for (;;)
        sock.read_some(asio::buffer(data));
      // CHECK: :[[@LINE-1]]:9: warning: operation on a raw asio socket, which has no timeout{{.*}}[taskleak-client-without-timeout]
      // CHECK: :[[@LINE-5]]:29: note: 'sock' declared here
    }
  }).detach();
}
// With the error_code overload nothing throws: the loop never ends.
void serveNoThrow(asio::ip::tcp::socket &sock) {
  std::thread([&sock] {
    char data[512];
    boost::system::error_code ec;
    for (;;)
      sock.read_some(asio::buffer(data), ec);
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes{{.*}}[taskleak-endless-task]
    // CHECK: :[[@LINE-6]]:3: note: task (std::thread) spawned here
  }).detach();
}

int main() {
  asio::io_context io;
  Heartbeat h(io);
  h.start();
  io.run();
}

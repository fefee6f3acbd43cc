// The corpus false positives of issue 16 left after its first pass
// (bench/corpus/fp-repro), on the real standalone asio headers (libasio-dev
// 1.22): a socket pair inside the program, a read guarded by available(), a
// deadline completion token (asio's blocking_token_tcp_client), a greeting
// co_awaited on each accepted connection, a deadline handler closing
// self->socket_; each with its leaking twin where there is one.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %s -- -std=c++20 \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' \
// RUN:   --config="{CheckOptions: {taskleak-client-without-timeout.ReportLoopback: true}}" %s -- -std=c++20 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,PAIR -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx -std=c++20 -fsyntax-only %s

// asio 1.22 detects C++20 coroutines only for GCC and MSVC.
#define ASIO_HAS_CO_AWAIT 1
#define ASIO_HAS_STD_COROUTINE 1
#include <asio.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <thread>

using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

//===--- local::connect_pair ----------------------------------------------===//

// asio's local/connect_pair.cpp: both ends are this program's.
void socketPair() {
  asio::io_context io;
  asio::local::stream_protocol::socket a(io), b(io);
  asio::local::connect_pair(a, b);
  std::thread t([&b] {
    char c;
    asio::read(b, asio::buffer(&c, 1));
    // PAIR: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
    // PAIR: :[[@LINE-6]]:47: note: 'b' declared here
    asio::write(b, asio::buffer(&c, 1));
    // PAIR: :[[@LINE-1]]:5: note: 'b' is also used here, with no time limit either
  });
  char c = 'x';
  asio::write(a, asio::buffer(&c, 1));
  asio::read(a, asio::buffer(&c, 1));
  // PAIR: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // PAIR: :[[@LINE-14]]:40: note: 'a' declared here
  // PAIR: :[[@LINE-4]]:3: note: 'a' is also used here, with no time limit either
  t.join();
}
// The twin: a local socket connected to a server elsewhere.
void notAPair(asio::io_context &io, const asio::local::stream_protocol::endpoint &ep) {
  asio::local::stream_protocol::socket a(io);
  a.connect(ep);
  char c = 'x';
  asio::write(a, asio::buffer(&c, 1));
  asio::read(a, asio::buffer(&c, 1));
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-6]]:40: note: 'a' declared here
  // CHECK: :[[@LINE-4]]:3: note: 'a' is also used here, with no time limit either
}

//===--- available() guards -----------------------------------------------===//

// i2pd's NTP query.
std::size_t ntpQuery(asio::io_context &io, udp::endpoint ep) {
  udp::socket s(io);
  s.open(ep.protocol());
  char buf[48] = {};
  s.send_to(asio::buffer(buf), ep);
  for (int i = 0; !s.available() && i < 10; ++i)
    std::this_thread::sleep_for(std::chrono::seconds(1));
  if (s.available())
    return s.receive_from(asio::buffer(buf), ep);
  return 0;
}
void drain(asio::io_context &io, tcp::endpoint ep) {
  tcp::socket s(io);
  s.connect(ep);
  char buf[64];
  std::error_code ec;
  while (s.available(ec) > 0)
    s.read_some(asio::buffer(buf));
}
// The twin: the poll may give up, and the receive then waits.
std::size_t ntpQueryUnguarded(asio::io_context &io, udp::endpoint ep) {
  udp::socket s(io);
  s.open(ep.protocol());
  char buf[48] = {};
  s.send_to(asio::buffer(buf), ep);
  for (int i = 0; !s.available() && i < 10; ++i)
    std::this_thread::sleep_for(std::chrono::seconds(1));
  return s.receive_from(asio::buffer(buf), ep);
  // CHECK: :[[@LINE-1]]:10: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-8]]:15: note: 's' declared here
  // CHECK: :[[@LINE-6]]:3: note: 's' is also used here, with no time limit either
}

//===--- A deadline completion token --------------------------------------===//

using tcp_socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;
// asio's timeouts/blocking_token_tcp_client.cpp, reduced.
struct close_after {
  std::chrono::steady_clock::duration timeout_;
  tcp_socket &socket_;
};
// The twin: the same token without the close.
struct run_after {
  std::chrono::steady_clock::duration timeout_;
  tcp_socket &socket_;
};
namespace asio {
template <typename T> class async_result<close_after, void(std::error_code, T)> {
public:
  struct completion_handler_type {
    completion_handler_type(close_after a) : timeout_(a.timeout_), socket_(a.socket_) {}
    void operator()(std::error_code e, T t) { *error_ = e; *t_ = t; }
    std::chrono::steady_clock::duration timeout_;
    tcp_socket &socket_;
    std::error_code *error_ = nullptr;
    T *t_ = nullptr;
  };
  using return_type = T;
  explicit async_result(completion_handler_type &h) : timeout_(h.timeout_), socket_(h.socket_) {
    h.error_ = &error_;
    h.t_ = &t_;
  }
  return_type get() {
    asio::io_context &ctx = asio::query(socket_.get_executor(), asio::execution::context);
    ctx.restart();
    ctx.run_for(timeout_);
    if (!ctx.stopped()) {
      socket_.close();
      ctx.run();
    }
    if (error_)
      throw std::system_error(error_);
    return t_;
  }
private:
  std::chrono::steady_clock::duration timeout_;
  tcp_socket &socket_;
  std::error_code error_;
  T t_{};
};
template <typename T> class async_result<run_after, void(std::error_code, T)> {
public:
  struct completion_handler_type {
    completion_handler_type(run_after a) : socket_(a.socket_) {}
    void operator()(std::error_code, T t) { *t_ = t; }
    tcp_socket &socket_;
    T *t_ = nullptr;
  };
  using return_type = T;
  explicit async_result(completion_handler_type &h) : socket_(h.socket_) { h.t_ = &t_; }
  return_type get() {
    asio::io_context &ctx = asio::query(socket_.get_executor(), asio::execution::context);
    ctx.restart();
    ctx.run();
    return t_;
  }
private:
  tcp_socket &socket_;
  T t_{};
};
} // namespace asio
std::size_t readLine(asio::io_context &io, std::string &buf) {
  tcp_socket socket(io);
  return asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n',
                                close_after{std::chrono::seconds(10), socket});
}
std::size_t readLineUnbounded(asio::io_context &io, std::string &buf) {
  tcp_socket socket(io);
  return asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n',
                                run_after{std::chrono::seconds(10), socket});
  // CHECK: :[[@LINE-2]]:10: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-4]]:14: note: 'socket' declared here
}

//===--- A greeting per accepted connection, co_awaited -------------------===//

// asio's coroutines_ts/range_based_for.cpp.
asio::awaitable<void> listener(tcp::acceptor acceptor) {
  for (;;) {
    tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
    co_await asio::async_write(s, asio::buffer("hello\r\n", 7), asio::use_awaitable);
  }
}
// The twin: one connection written to in a loop.
asio::awaitable<void> ticker(tcp::acceptor acceptor) {
  tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
  for (;;)
    co_await asio::async_write(s, asio::buffer("tick\r\n", 6), asio::use_awaitable);
  // CHECK: :[[@LINE-1]]:14: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-4]]:15: note: 's' declared here
}

//===--- A deadline closing self->socket_ ---------------------------------===//

// Beast's http_server_small: the timer's handler closes the socket through
// the shared_ptr it captured.
struct connection : std::enable_shared_from_this<connection> {
  explicit connection(tcp::socket s) : socket_(std::move(s)) {}
  tcp::socket socket_;
  asio::steady_timer deadline_{socket_.get_executor(), std::chrono::seconds(60)};
  char buf_[64];
  void start() {
    read();
    check_deadline();
  }
  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](std::error_code ec, std::size_t) {
      if (!ec)
        self->read();
    });
  }
  void check_deadline() {
    auto self = shared_from_this();
    deadline_.async_wait([self](std::error_code ec) {
      if (!ec)
        self->socket_.close(ec);
    });
  }
};

//===--- An asynchronous write whose handler writes again -----------------===//

// asio's chat_server participant: do_write's handler writes the next queued
// message; a participant that never reads leaves it pending forever.
class Participant : public std::enable_shared_from_this<Participant> {
public:
  explicit Participant(tcp::socket socket) : socket_(std::move(socket)) {}
  void deliver(const std::string &msg) {
    bool idle = queue_.empty();
    queue_.push_back(msg);
    if (idle)
      doWrite();
  }

private:
  void doWrite() {
    auto self(shared_from_this());
    asio::async_write(socket_, asio::buffer(queue_.front()),
    // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
    // CHECK: :[[@LINE+10]]:15: note: 'socket_' declared here
    // CHECK: :[[@LINE+5]]:15: note: the completion handler writes again here
        [this, self](std::error_code ec, std::size_t) {
          if (!ec) {
            queue_.pop_front();
            if (!queue_.empty())
              doWrite();
          }
        });
  }
  tcp::socket socket_;
  std::deque<std::string> queue_;
};

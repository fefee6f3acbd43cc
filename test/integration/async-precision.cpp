// Issue 16 on the real headers: Boost.Asio/Beast (Boost 1.74) and standalone
// asio (libasio-dev 1.22). Bounds enforced by a timer, an owner or an event
// loop are seen; one finding per exchange; connections, datagrams, socket
// iostreams and accessors are followed; a self-re-arming timer stored in a
// std::function (issue 13) is a ticker, one stopped by a counter is not.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout,taskleak-unstopped-ticker' %s -- -std=c++20 \
// RUN:   | FileCheck %s --check-prefixes=CHECK,BOOST -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout,taskleak-unstopped-ticker' %s -- -std=c++20 -DSTANDALONE \
// RUN:   | FileCheck %s --check-prefixes=CHECK,STANDALONE -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx -std=c++20 -fsyntax-only %s
// RUN: %clangxx -std=c++20 -fsyntax-only -DSTANDALONE %s

#ifdef STANDALONE
// asio 1.22 detects C++20 coroutines only for GCC and MSVC.
#define ASIO_HAS_CO_AWAIT 1
#define ASIO_HAS_STD_COROUTINE 1
#include <asio.hpp>
#include <asio/experimental/awaitable_operators.hpp>
namespace net = ::asio;
using error_code = std::error_code;
#else
#include <boost/asio.hpp>
#include <boost/beast.hpp>
namespace net = boost::asio;
using error_code = boost::system::error_code;
#endif
#include <chrono>
#include <functional>
#include <string>
#include <thread>

using tcp = net::ip::tcp;
using udp = net::ip::udp;
void tick();

// One request/response exchange: one finding, at its first read.
void httpGet(net::io_context &io, tcp::endpoint ep) {
  tcp::socket sock(io);
  sock.connect(ep);
  net::write(sock, net::buffer("GET / HTTP/1.0\r\n\r\n"));
  char data[512];
  sock.read_some(net::buffer(data));
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-6]]:15: note: 'sock' declared here
  // CHECK: :[[@LINE-5]]:3: note: 'sock' is also used here, with no time limit either
}
// A single constant write to a fresh connection: silent.
void notify(net::io_context &io, tcp::endpoint ep) {
  tcp::socket sock(io);
  sock.connect(ep);
  net::write(sock, net::buffer("PING\n"));
}

// A local timer whose handler closes the socket bounds the read; its twin
// closes nothing.
void readWithDeadline(net::io_context &io) {
  tcp::socket sock(io);
  net::steady_timer timer(io);
  char data[512];
  timer.expires_after(std::chrono::seconds(5));
  timer.async_wait([&sock](const error_code &ec) {
    if (!ec)
      sock.close();
  });
  sock.async_read_some(net::buffer(data), [](const error_code &, std::size_t) {});
  io.run();
}
void readWithIdleTimer(net::io_context &io) {
  tcp::socket sock(io);
  net::steady_timer timer(io);
  char data[512];
  timer.expires_after(std::chrono::seconds(5));
  timer.async_wait([](const error_code &) { tick(); });
  sock.async_read_some(net::buffer(data), [](const error_code &, std::size_t) {});
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-7]]:15: note: 'sock' declared here
  io.run();
}

// asio's deadline actor (its timeouts/async_tcp_client.cpp example), silent
// under both checks: the actor closes the socket, stopped_ stops the actor.
class Client {
public:
  explicit Client(net::io_context &io) : socket_(io), deadline_(io) {}
  void start() {
    deadline_.async_wait(std::bind(&Client::check_deadline, this));
    deadline_.expires_after(std::chrono::seconds(30));
    net::async_read_until(socket_, net::dynamic_buffer(input_), '\n',
                          [](const error_code &, std::size_t) {});
  }
  void stop() {
    stopped_ = true;
    deadline_.cancel();
  }

private:
  void check_deadline() {
    if (stopped_)
      return;
    if (deadline_.expiry() <= net::steady_timer::clock_type::now()) {
      socket_.close();
      deadline_.expires_at(net::steady_timer::time_point::max());
    }
    deadline_.async_wait(std::bind(&Client::check_deadline, this));
  }
  bool stopped_ = false;
  tcp::socket socket_;
  std::string input_;
  net::steady_timer deadline_;
};

// io_context::run_for, then close (asio's blocking_tcp_client example).
class BlockingClient {
public:
  BlockingClient() : socket_(io_context_) {}
  std::string read_line(std::chrono::steady_clock::duration timeout) {
    net::async_read_until(socket_, net::dynamic_buffer(input_), '\n',
                          [](const error_code &, std::size_t) {});
    run(timeout);
    return input_;
  }

private:
  void run(std::chrono::steady_clock::duration timeout) {
    io_context_.restart();
    io_context_.run_for(timeout);
    if (!io_context_.stopped()) {
      socket_.close();
      io_context_.run();
    }
  }
  net::io_context io_context_;
  tcp::socket socket_;
  std::string input_;
};

// A subscription read until its owner stops it: stop() posts a close.
class Subscription {
public:
  explicit Subscription(net::io_context &io) : socket_(io) {}
  void start() {
    socket_.async_read_some(net::buffer(data_), [this](const error_code &ec, std::size_t) {
      if (!ec)
        start();
    });
  }
  void stop() {
    net::post(socket_.get_executor(), [this] { socket_.close(); });
  }

private:
  tcp::socket socket_;
  char data_[512];
};

// Thread per connection: the task gets a socket accepted just now.
void session(tcp::socket sock) {
  char data[512];
  for (;;) {
    std::size_t n = sock.read_some(net::buffer(data));
    // CHECK: :[[@LINE-1]]:21: warning: operation on a raw asio socket, which has no timeout
    // CHECK: :[[@LINE-5]]:26: note: 'sock' declared here
    // CHECK: :[[@LINE+8]]:26: note: 'sock' is a connection accepted here, with no timeout
    net::write(sock, net::buffer(data, n));
    // CHECK: :[[@LINE-1]]:5: note: 'sock' is also used here, with no time limit either
  }
}
void serve(net::io_context &io, unsigned short port) {
  tcp::acceptor acceptor(io, tcp::endpoint(tcp::v4(), port));
  for (;;)
    std::thread(session, acceptor.accept()).detach();
}

// UDP request/response; a timer that closes the socket bounds it.
void udpQuery(net::io_context &io, udp::endpoint server) {
  udp::socket sock(io, udp::v4());
  sock.send_to(net::buffer("query"), server);
  char reply[512];
  udp::endpoint from;
  sock.receive_from(net::buffer(reply), from);
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-6]]:15: note: 'sock' declared here
  // CHECK: :[[@LINE-6]]:3: note: 'sock' is also used here, with no time limit either
}
void udpQueryWithDeadline(net::io_context &io, udp::endpoint server) {
  udp::socket sock(io, udp::v4());
  net::steady_timer timer(io);
  timer.expires_after(std::chrono::seconds(2));
  timer.async_wait([&sock](const error_code &) { sock.close(); });
  sock.send_to(net::buffer("query"), server);
  char reply[512];
  udp::endpoint from;
  sock.receive_from(net::buffer(reply), from);
}

// ip::tcp::iostream without, then with, expires_after.
std::string iostreamGet() {
  tcp::iostream s("example.com", "http");
  s << "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n" << std::flush;
  std::string line;
  std::getline(s, line);
  // CHECK: :[[@LINE-1]]:3: warning: read from an asio socket iostream with no time limit{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-5]]:17: note: 's' declared here
  // CHECK: :[[@LINE-5]]:3: note: 's' is also used here, with no time limit either
  return line;
}
std::string iostreamGetBounded() {
  tcp::iostream s;
  s.expires_after(std::chrono::seconds(60));
  s.connect("example.com", "http");
  s << "GET / HTTP/1.0\r\nHost: example.com\r\n\r\n" << std::flush;
  std::string line;
  std::getline(s, line);
  return line;
}

// A socket reached through an accessor.
class Peer {
public:
  explicit Peer(net::io_context &io) : socket_(io) {}
  tcp::socket &socket() { return socket_; }
  std::size_t read() { return net::read(socket(), net::buffer(data_)); }
  // CHECK: :[[@LINE-1]]:31: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE+3]]:15: note: 'socket_' declared here

private:
  tcp::socket socket_;
  char data_[512];
};

// Issue 13: a ticker whose handler lives in a std::function member and
// re-arms without looking at its error code; the counted one stops.
class StoredTicker {
public:
  explicit StoredTicker(net::io_context &io) : timer_(io) {
    handler_ = [this](const error_code &) {
      tick();
      timer_.expires_after(std::chrono::seconds(1));
      timer_.async_wait(handler_);
      // CHECK: :[[@LINE-1]]:14: warning: asio timer 'timer_' re-arms itself from a handler that never returns on its error code{{.*}}[taskleak-unstopped-ticker]
      // CHECK: :[[@LINE-5]]:16: note: the handler ignores the error code it is called with
      // CHECK: :[[@LINE-3]]:14: note: timer armed here with this handler
    };
  }
  void start() {
    timer_.async_wait(handler_);
  }
  void stop() { timer_.cancel(); }

private:
  net::steady_timer timer_;
  std::function<void(const error_code &)> handler_;
};
class CountedTicker {
public:
  explicit CountedTicker(net::io_context &io) : timer_(io) {}
  void arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const error_code &) {
      tick();
      if (++runs_ < 10)
        arm();
    });
  }

private:
  int runs_ = 0;
  net::steady_timer timer_;
};

#ifdef STANDALONE
// A watchdog raced against the read with the awaitable operators.
using namespace asio::experimental::awaitable_operators;
asio::awaitable<void> readOrTimeout(tcp::socket sock) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::seconds(5));
  char data[512];
  co_await (sock.async_read_some(asio::buffer(data), asio::use_awaitable) ||
            timer.async_wait(asio::use_awaitable));
}
asio::awaitable<void> readNoTimeout(tcp::acceptor &acceptor) {
  tcp::socket sock = co_await acceptor.async_accept(asio::use_awaitable);
  char data[512];
  co_await sock.async_read_some(asio::buffer(data), asio::use_awaitable);
  // STANDALONE: :[[@LINE-1]]:12: warning: operation on a raw asio socket, which has no timeout
  // STANDALONE: :[[@LINE-4]]:15: note: 'sock' declared here
}
#else
// Beast: one HTTP GET on a tcp_stream is one finding, at the read.
namespace http = boost::beast::http;
void beastGet(net::io_context &io, tcp::endpoint ep) {
  boost::beast::tcp_stream stream(io);
  stream.connect(ep);
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  // BOOST: :[[@LINE-1]]:3: warning: Beast stream operation with no time limit{{.*}}[taskleak-client-without-timeout]
  // BOOST: :[[@LINE-8]]:28: note: 'stream' declared here
  // BOOST: :[[@LINE-8]]:3: note: 'stream' is also used here, with no time limit either
  // BOOST: :[[@LINE-7]]:3: note: 'stream' is also used here, with no time limit either
}
void beastGetBounded(net::io_context &io, tcp::endpoint ep) {
  boost::beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(ep);
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
}
#endif

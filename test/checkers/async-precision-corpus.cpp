// taskleak-client-without-timeout on the corpus false positives left after
// issue 16's first pass (bench/corpus/fp-repro): a read that runs only once
// available() says data is queued; a socket connected to its twin in this
// program (local::connect_pair); a completion token whose async_result runs
// the event loop for a bounded time and closes the socket; a greeting
// written to each connection of an accept loop. Each idiom with its leaking
// twin.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' \
// RUN:   --config="{CheckOptions: {taskleak-client-without-timeout.ReportLoopback: true}}" %s -- %mock_flags \
// RUN:   | FileCheck %s --check-prefixes=CHECK,PAIR -implicit-check-not='{{warning|note|error}}:'

#include "net_mock.h"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;
using error_code = boost::system::error_code;
void sleepASecond();

//===--- Reads guarded by available() -------------------------------------===//

// i2pd's NTP query: poll a bounded number of times, then receive only if a
// datagram is queued: receive_from returns at once.
unsigned long ntpQuery(asio::io_context &io, udp::endpoint ep) {
  udp::socket s(io);
  char buf[48] = {};
  s.send_to(asio::buffer(buf, sizeof buf), ep);
  for (int i = 0; !s.available() && i < 10; ++i)
    sleepASecond();
  if (s.available())
    return s.receive_from(asio::buffer(buf, sizeof buf), ep);
  return 0;
}
// Drain what is there: each read_some runs while bytes are queued.
void drain(asio::io_context &io, tcp::endpoint ep) {
  tcp::socket s(io);
  s.connect(ep);
  char buf[64];
  error_code ec;
  while (s.available(ec) > 0)
    s.read_some(asio::buffer(buf, sizeof buf));
  if (0 != s.available())
    s.receive(asio::buffer(buf, sizeof buf));
}
// The early-return spelling: past `if (!s.available()) return`, data is
// queued on every path.
unsigned long earlyReturn(asio::io_context &io, udp::endpoint ep) {
  udp::socket s(io);
  char buf[48] = {};
  s.send_to(asio::buffer(buf, sizeof buf), ep);
  if (s.available() == 0)
    return 0;
  return s.receive_from(asio::buffer(buf, sizeof buf), ep);
}

// Twins: the read after the poll without the test (the poll may give up
// after ten tries), a test on another socket, a test whose branch does not
// hold the read, and a read of an exact count (asio::read waits for all of
// it, whatever is queued).
unsigned long ntpQueryUnguarded(asio::io_context &io, udp::endpoint ep) {
  udp::socket s(io);
  char buf[48] = {};
  s.send_to(asio::buffer(buf, sizeof buf), ep);
  for (int i = 0; !s.available() && i < 10; ++i)
    sleepASecond();
  return s.receive_from(asio::buffer(buf, sizeof buf), ep);
  // CHECK: :[[@LINE-1]]:10: warning: operation on a raw asio socket, which has no timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-7]]:15: note: 's' declared here
  // CHECK: :[[@LINE-6]]:3: note: 's' is also used here, with no time limit either
}
void otherSocket(asio::io_context &io, tcp::endpoint ep, tcp::socket &probe) {
  tcp::socket s(io);
  s.connect(ep);
  char buf[64];
  if (probe.available())
    s.read_some(asio::buffer(buf, sizeof buf));
  // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-6]]:15: note: 's' declared here
  // CHECK: :[[@LINE-6]]:3: note: 's' is also used here, with no time limit either
}
void wrongBranch(asio::io_context &io, tcp::endpoint ep) {
  tcp::socket s(io);
  s.connect(ep);
  char buf[64];
  if (s.available() > 0)
    sleepASecond();
  else
    s.read_some(asio::buffer(buf, sizeof buf));
  // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-8]]:15: note: 's' declared here
  // CHECK: :[[@LINE-8]]:3: note: 's' is also used here, with no time limit either
}
void exactCount(asio::io_context &io, tcp::endpoint ep) {
  tcp::socket s(io);
  s.connect(ep);
  char buf[64];
  if (s.available())
    asio::read(s, asio::buffer(buf, sizeof buf));
  // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-6]]:15: note: 's' declared here
  // CHECK: :[[@LINE-6]]:3: note: 's' is also used here, with no time limit either
}

//===--- local::connect_pair: the peer is this program ---------------------===//

// asio's local/connect_pair.cpp: both ends belong to this program, like a
// loopback server; reported only with ReportLoopback.
void socketPair(asio::io_context &io) {
  asio::local::stream_protocol::socket a(io), b(io);
  asio::local::connect_pair(a, b);
  char c = 'x';
  asio::write(a, asio::buffer(&c, 1));
  asio::read(a, asio::buffer(&c, 1));
  // PAIR: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // PAIR: :[[@LINE-6]]:40: note: 'a' declared here
  // PAIR: :[[@LINE-4]]:3: note: 'a' is also used here, with no time limit either
}
// Twin: the same socket type connected to a peer elsewhere.
void notAPair(asio::io_context &io, asio::ip::tcp::endpoint ep) {
  asio::local::stream_protocol::socket a(io);
  a.connect(ep);
  char c = 'x';
  asio::write(a, asio::buffer(&c, 1));
  asio::read(a, asio::buffer(&c, 1));
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-6]]:40: note: 'a' declared here
  // CHECK: :[[@LINE-6]]:3: note: 'a' is also used here, with no time limit either
  // CHECK: :[[@LINE-5]]:3: note: 'a' is also used here, with no time limit either
}

//===--- A deadline completion token --------------------------------------===//

// asio's blocking_token_tcp_client: the token's async_result runs the event
// loop for at most the timeout and closes the socket if the read is still
// pending: the read is bounded.
struct close_after {
  long ms;
  tcp::socket &socket;
};
// The twin: a token that waits for the loop with no time limit.
struct wait_for_it {
  tcp::socket &socket;
};
namespace boost::asio {
template <> class async_result<close_after, void(error_code, unsigned long)> {
public:
  unsigned long get() {
    ctx_->run_for(std::chrono::milliseconds(ms_));
    if (!ctx_->stopped()) {
      socket_->close();
      ctx_->run();
    }
    return n_;
  }
  io_context *ctx_;
  tcp::socket *socket_;
  long ms_;
  unsigned long n_;
};
template <> class async_result<wait_for_it, void(error_code, unsigned long)> {
public:
  unsigned long get() {
    ctx_->run();
    return n_;
  }
  io_context *ctx_;
  unsigned long n_;
};
} // namespace boost::asio
void readLineBounded(asio::io_context &io, char (&line)[128]) {
  tcp::socket s(io);
  asio::async_read_until(s, line, "\n", close_after{10000, s});
}
void readLineUnbounded(asio::io_context &io, char (&line)[128]) {
  tcp::socket s(io);
  asio::async_read_until(s, line, "\n", wait_for_it{s});
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-3]]:15: note: 's' declared here
}

//===--- One small write per accepted connection --------------------------===//

// asio's range_based_for: each client of the accept loop gets one constant
// greeting on a fresh connection: the small-write rule, loop or not.
void greetEach(tcp::acceptor &acceptor) {
  for (;;) {
    tcp::socket s = acceptor.accept();
    asio::write(s, asio::buffer("hello\r\n"));
  }
}
// The twin: one connection written to in a loop streams into a peer that
// may stop reading.
void streamToOne(tcp::acceptor &acceptor) {
  tcp::socket s = acceptor.accept();
  for (;;)
    asio::write(s, asio::buffer("tick\r\n"));
  // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-4]]:15: note: 's' declared here
}
// A for statement's init runs once: the same connection every iteration.
void streamFromInit(tcp::acceptor &acceptor) {
  for (tcp::socket s = acceptor.accept();;)
    asio::write(s, asio::buffer("tick\r\n"));
  // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-3]]:20: note: 's' declared here
}

//===--- An asynchronous write whose handler writes again -----------------===//

// asio's chat_server: do_write's handler calls do_write while messages are
// queued; a participant that stops reading leaves the queue growing and the
// write pending forever.
class Pusher {
public:
  explicit Pusher(asio::io_context &io) : socket_(io) {}
  void start() { doWrite(); }

private:
  void doWrite() {
    asio::async_write(socket_, asio::buffer(data_, sizeof data_),
    // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
    // CHECK: :[[@LINE+7]]:15: note: 'socket_' declared here
    // CHECK: :[[@LINE+3]]:27: note: the completion handler writes again here: a peer that stops reading leaves this write, and every one queued behind it, pending forever
                      [this](error_code ec, unsigned long) {
                        if (!ec && --pending_ > 0)
                          doWrite();
                      });
  }
  tcp::socket socket_;
  char data_[64];
  int pending_ = 0;
};
// The handler goes on to something else: one write per call, no loop.
class WriteThenWait {
public:
  explicit WriteThenWait(asio::io_context &io) : socket_(io) {}
  void start() { doWrite(); }

private:
  void doWrite() {
    asio::async_write(socket_, asio::buffer(data_, sizeof data_),
                      [this](error_code, unsigned long) { done(); });
  }
  void done();
  tcp::socket socket_;
  char data_[64];
};
// A deadline timer closes the socket: the write loop is bounded.
class PusherWithDeadline {
public:
  explicit PusherWithDeadline(asio::io_context &io) : socket_(io), timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::seconds(30));
    timer_.async_wait([this](const error_code &ec) {
      if (!ec)
        socket_.close();
    });
    doWrite();
  }

private:
  void doWrite() {
    asio::async_write(socket_, asio::buffer(data_, sizeof data_),
                      [this](error_code ec, unsigned long) {
                        if (!ec)
                          doWrite();
                      });
  }
  tcp::socket socket_;
  asio::steady_timer timer_;
  char data_[64];
};

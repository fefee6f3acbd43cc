// taskleak-client-without-timeout on the shapes of real asynchronous asio
// and Beast code (issue 16): timeouts enforced by a timer, an owner or an
// event loop that closes the stream; one finding per exchange; writes that
// wait on no answer; connections handed to a task; UDP; socket iostreams;
// accessors; a library's forwarding template.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %s -- %mock_flags -I %S/../Inputs/asynclib \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'

#include "net_mock.h"
#include "async_request.h"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;
using error_code = boost::system::error_code;
void log(const char *);
bool past(std::chrono::time_point<std::chrono::steady_clock>);

//===--- One finding per exchange -----------------------------------------===//

// One request/response: one finding, at the first read, with notes for the
// other operations of the exchange (not one per socket call).
void httpGet(asio::io_context &io, tcp::endpoint ep) {
  tcp::socket sock(io);
  sock.connect(ep);
  asio::write(sock, asio::buffer("GET / HTTP/1.0\r\n\r\n"));
  char data[512];
  sock.read_some(asio::buffer(data, sizeof data));
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-6]]:15: note: 'sock' declared here
  // CHECK: :[[@LINE-6]]:3: note: 'sock' is also used here, with no time limit either
  // CHECK: :[[@LINE-6]]:3: note: 'sock' is also used here, with no time limit either
  asio::read(sock, asio::buffer(data, sizeof data));
  // CHECK: :[[@LINE-1]]:3: note: 'sock' is also used here, with no time limit either
}

// A single small write of a constant buffer to a fresh connection cannot
// hang on a silent peer: nothing to report.
void notify(asio::io_context &io, tcp::endpoint ep) {
  tcp::socket sock(io);
  sock.connect(ep);
  asio::write(sock, asio::buffer("PING\n"));
}
// A streaming write loop with nothing that bounds it is reported.
void upload(asio::io_context &io, tcp::endpoint ep, int chunks) {
  tcp::socket sock(io);
  sock.connect(ep);
  for (int i = 0; i < chunks; ++i)
    asio::write(sock, asio::buffer("chunk"));
  // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-5]]:15: note: 'sock' declared here
  // CHECK: :[[@LINE-5]]:3: note: 'sock' is also used here, with no time limit either
}

//===--- A timer that closes or cancels the stream -------------------------===//

// A local timer whose handler closes the socket bounds the read.
void readWithDeadline(asio::io_context &io) {
  tcp::socket sock(io);
  asio::steady_timer timer(io);
  asio::mutable_buffer buf;
  timer.expires_after(std::chrono::seconds(5));
  timer.async_wait([&sock](const error_code &ec) {
    if (!ec)
      sock.close();
  });
  asio::async_read(sock, buf, [](const error_code &, unsigned long) {});
  io.run();
}
// Twin: the timer fires and closes nothing.
void readWithIdleTimer(asio::io_context &io) {
  tcp::socket sock(io);
  asio::steady_timer timer(io);
  asio::mutable_buffer buf;
  timer.expires_after(std::chrono::seconds(5));
  timer.async_wait([](const error_code &) { log("slow"); });
  asio::async_read(sock, buf, [](const error_code &, unsigned long) {});
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-7]]:15: note: 'sock' declared here
  io.run();
}

// A member timer; the close is in a member function the handler calls.
class Connection {
public:
  explicit Connection(asio::io_context &io) : sock_(io), timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::seconds(30));
    timer_.async_wait([this](const error_code &ec) { onTimeout(ec); });
    asio::async_read(sock_, buf_, [](const error_code &, unsigned long) {});
  }

private:
  void onTimeout(const error_code &ec) {
    if (!ec)
      sock_.cancel();
  }
  tcp::socket sock_;
  asio::steady_timer timer_;
  asio::mutable_buffer buf_;
};

// The handler bound with std::bind.
class BoundDeadline {
public:
  explicit BoundDeadline(asio::io_context &io) : sock_(io), timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::seconds(30));
    timer_.async_wait(std::bind(&BoundDeadline::onDeadline, this));
    asio::async_read(sock_, buf_, [](const error_code &, unsigned long) {});
  }

private:
  void onDeadline() { sock_.close(); }
  tcp::socket sock_;
  asio::steady_timer timer_;
  asio::mutable_buffer buf_;
};

// asio's deadline actor: the handler checks expiry() and re-arms itself,
// guarded by a stopped_ flag.
class DeadlineActor {
public:
  explicit DeadlineActor(asio::io_context &io) : sock_(io), deadline_(io) {}
  void start() {
    deadline_.async_wait(std::bind(&DeadlineActor::checkDeadline, this));
    readLine();
  }
  void stop() {
    stopped_ = true;
    deadline_.cancel();
  }

private:
  void readLine() {
    deadline_.expires_after(std::chrono::seconds(30));
    asio::async_read_until(sock_, buf_, "\n", [this](const error_code &ec, unsigned long) {
      if (!ec)
        readLine();
    });
  }
  void checkDeadline() {
    if (stopped_)
      return;
    if (past(deadline_.expiry())) {
      sock_.close();
      deadline_.expires_after(std::chrono::seconds(3600));
    }
    deadline_.async_wait(std::bind(&DeadlineActor::checkDeadline, this));
  }
  bool stopped_ = false;
  tcp::socket sock_;
  asio::steady_timer deadline_;
  asio::mutable_buffer buf_;
};
// Twin: the actor re-arms but never closes the socket.
class DeadlineActorNoClose {
public:
  explicit DeadlineActorNoClose(asio::io_context &io) : sock_(io), deadline_(io) {}
  void start() {
    deadline_.async_wait(std::bind(&DeadlineActorNoClose::checkDeadline, this));
    asio::async_read_until(sock_, buf_, "\n", [](const error_code &, unsigned long) {});
    // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
    // CHECK: :[[@LINE+12]]:15: note: 'sock_' declared here
  }

private:
  void checkDeadline() {
    if (stopped_)
      return;
    if (past(deadline_.expiry()))
      log("late");
    deadline_.async_wait(std::bind(&DeadlineActorNoClose::checkDeadline, this));
  }
  bool stopped_ = false;
  tcp::socket sock_;
  asio::steady_timer deadline_;
  asio::mutable_buffer buf_;
};

// A watchdog awaited with the operation (asio's awaitable operators): the
// loser of `op || timer.async_wait(...)` is cancelled.
using namespace asio::experimental::awaitable_operators;
asio::awaitable<int> readRace(asio::io_context &io) {
  tcp::socket sock(io);
  asio::steady_timer timer(io);
  asio::mutable_buffer buf;
  timer.expires_after(std::chrono::seconds(5));
  return asio::async_read(sock, buf, asio::use_awaitable) || timer.async_wait(asio::use_awaitable);
}
// Twin: the operation alone.
asio::awaitable<unsigned long> readNoRace(asio::io_context &io) {
  tcp::socket sock(io);
  asio::mutable_buffer buf;
  return asio::async_read(sock, buf, asio::use_awaitable);
  // CHECK: :[[@LINE-1]]:10: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-4]]:15: note: 'sock' declared here
}

// io_context::run_for, then a close: asio's blocking_tcp_client.
class BlockingClient {
public:
  explicit BlockingClient(asio::io_context &io) : io_(io), sock_(io) {}
  void readLine() {
    asio::async_read_until(sock_, buf_, "\n", [](const error_code &, unsigned long) {});
    run(std::chrono::seconds(10));
  }

private:
  void run(std::chrono::seconds timeout) {
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
      sock_.close();
      io_.run();
    }
  }
  asio::io_context &io_;
  tcp::socket sock_;
  asio::mutable_buffer buf_;
};
// Twin: run() without a duration; the close comes only after it returns.
class BlockingClientNoDeadline {
public:
  explicit BlockingClientNoDeadline(asio::io_context &io) : io_(io), sock_(io) {}
  void readLine() {
    asio::async_read_until(sock_, buf_, "\n", [](const error_code &, unsigned long) {});
    // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
    // CHECK: :[[@LINE+11]]:15: note: 'sock_' declared here
    run();
  }

private:
  void run() {
    io_.restart();
    io_.run();
    sock_.close();
  }
  asio::io_context &io_;
  tcp::socket sock_;
  asio::mutable_buffer buf_;
};

// A completion token with a deadline (asio::cancel_after).
void readCancelAfter(asio::io_context &io) {
  tcp::socket sock(io);
  asio::mutable_buffer buf;
  sock.async_read_some(buf, asio::cancel_after(std::chrono::seconds(5), [](const error_code &, unsigned long) {}));
}
void readNoToken(asio::io_context &io) {
  tcp::socket sock(io);
  asio::mutable_buffer buf;
  sock.async_read_some(buf, [](const error_code &, unsigned long) {});
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-4]]:15: note: 'sock' declared here
}

//===--- A socket its owner closes from another path ----------------------===//

// A subscription that reads until its owner stops it: stop() posts a close
// to the socket's executor.
class Subscription {
public:
  explicit Subscription(asio::io_context &io) : sock_(io) {}
  void start() {
    sock_.async_read_some(buf_, [this](const error_code &ec, unsigned long) {
      if (!ec)
        start();
    });
  }
  void stop() {
    asio::post(sock_.get_executor(), [this] { sock_.close(); });
  }

private:
  tcp::socket sock_;
  asio::mutable_buffer buf_;
};
// The owner closes it directly from a method the class never calls itself.
class Feed {
public:
  explicit Feed(asio::io_context &io) : sock_(io) {}
  void read() { asio::read(sock_, buf_); }
  void shutdown() { sock_.shutdown(2); }

private:
  tcp::socket sock_;
  asio::mutable_buffer buf_;
};
// Twin: the only close runs after the read fails; nobody else can end it.
class FeedClosedOnError {
public:
  explicit FeedClosedOnError(asio::io_context &io) : sock_(io) {}
  void start() {
    sock_.async_read_some(buf_, [this](const error_code &ec, unsigned long) {
      // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
      // CHECK: :[[@LINE+10]]:15: note: 'sock_' declared here
      if (ec)
        fail();
      else
        start();
    });
  }

private:
  void fail() { sock_.close(); }
  tcp::socket sock_;
  asio::mutable_buffer buf_;
};

//===--- Missed before: connections, datagrams, iostreams, accessors -------===//

// Thread per connection: the task receives a socket accepted just now.
void session(tcp::socket sock) {
  char data[512];
  for (;;) {
    unsigned long n = sock.read_some(asio::buffer(data, sizeof data));
    // CHECK: :[[@LINE-1]]:23: warning: operation on a raw asio socket, which has no timeout
    // CHECK: :[[@LINE-5]]:26: note: 'sock' declared here
    // CHECK: :[[@LINE+8]]:26: note: 'sock' is a connection accepted here, with no timeout
    asio::write(sock, asio::buffer(data, n));
    // CHECK: :[[@LINE-1]]:5: note: 'sock' is also used here, with no time limit either
  }
}
void serve(asio::io_context &io) {
  tcp::acceptor acceptor(io);
  for (;;)
    std::thread(session, acceptor.accept()).detach();
}
// A socket handed over by a caller we cannot see: nothing to conclude.
void sessionFromElsewhere(tcp::socket sock) {
  char data[512];
  sock.read_some(asio::buffer(data, sizeof data));
}

// UDP request/response: send_to, then a blocking receive_from.
void udpQuery(asio::io_context &io, udp::endpoint server) {
  udp::socket sock(io);
  sock.send_to(asio::buffer("query"), server);
  char reply[512];
  udp::endpoint from;
  sock.receive_from(asio::buffer(reply, sizeof reply), from);
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-6]]:15: note: 'sock' declared here
  // CHECK: :[[@LINE-6]]:3: note: 'sock' is also used here, with no time limit either
}
// Bounded: a timer closes the socket if no answer comes.
void udpQueryWithDeadline(asio::io_context &io, udp::endpoint server) {
  udp::socket sock(io);
  asio::steady_timer timer(io);
  timer.expires_after(std::chrono::seconds(2));
  timer.async_wait([&sock](const error_code &) { sock.close(); });
  sock.send_to(asio::buffer("query"), server);
  char reply[512];
  udp::endpoint from;
  sock.receive_from(asio::buffer(reply, sizeof reply), from);
}

// ip::tcp::iostream without expires_after/expires_at.
void iostreamGet() {
  tcp::iostream s("example.com", "http");
  s << "GET / HTTP/1.0\r\n\r\n";
  int status = 0;
  s >> status;
  // CHECK: :[[@LINE-1]]:3: warning: read from an asio socket iostream with no time limit{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-5]]:17: note: 's' declared here
  // CHECK: :[[@LINE-5]]:3: note: 's' is also used here, with no time limit either
}
void iostreamGetBounded() {
  tcp::iostream s("example.com", "http");
  s.expires_after(std::chrono::seconds(60));
  s << "GET / HTTP/1.0\r\n\r\n";
  int status = 0;
  s >> status;
}

// A socket reached through an accessor method.
class Peer {
public:
  explicit Peer(asio::io_context &io) : sock_(io) {}
  tcp::socket &sock() { return sock_; }
  void read() { asio::read(sock(), buf_); }
  // CHECK: :[[@LINE-1]]:17: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE+4]]:15: note: 'sock_' declared here

private:
  asio::mutable_buffer buf_;
  tcp::socket sock_;
};
class TimedPeer {
public:
  explicit TimedPeer(asio::io_context &io) : stream_(io) {}
  boost::beast::tcp_stream &stream() { return stream_; }
  void start() { stream_.expires_after(std::chrono::seconds(30)); }
  void read() { boost::beast::http::async_read(stream(), buf_, res_, [](const error_code &, unsigned long) {}); }

private:
  boost::beast::flat_buffer buf_;
  boost::beast::http::response<boost::beast::http::string_body> res_;
  boost::beast::tcp_stream stream_;
};

//===--- A library's forwarding template ----------------------------------===//

// The unbounded read is in the library's header; it is reported at the
// user's call that instantiates it.
void useLibrary(asio::io_context &io) {
  asynclib::request(io, [] {});
  // CHECK: :[[@LINE-1]]:13: warning: operation on a raw asio socket, which has no timeout
  // CHECK: async_request.h:10:3: note: the unbounded call is in this template
  // CHECK: async_request.h:8:32: note: 'sock' declared here
}

//===--- Found on the corpus (bench/corpus/fp-repro) ----------------------===//

// Beast's http_server_small: the deadline handler closes `self->socket_`
// through the shared_ptr it captured, which is this object's socket.
class SelfOwned {
public:
  explicit SelfOwned(asio::io_context &io) : socket_(io), deadline_(io) {}
  std::shared_ptr<SelfOwned> selfPtr();
  void read() {
    auto self = selfPtr();
    socket_.async_read_some(buf_, [self](const error_code &, unsigned long) {});
  }
  void checkDeadline() {
    auto self = selfPtr();
    deadline_.async_wait([self](const error_code &ec) {
      if (!ec)
        self->socket_.close();
    });
  }

private:
  tcp::socket socket_;
  asio::steady_timer deadline_;
  asio::mutable_buffer buf_;
};
// Twin: another object's socket is closed.
class OtherOwned {
public:
  explicit OtherOwned(asio::io_context &io) : socket_(io), deadline_(io) {}
  void read() {
    socket_.async_read_some(buf_, [](const error_code &, unsigned long) {});
    // CHECK: :[[@LINE-1]]:5: warning: operation on a raw asio socket, which has no timeout
    // CHECK: :[[@LINE+9]]:15: note: 'socket_' declared here
  }
  void checkDeadline(std::shared_ptr<SelfOwned> peer) {
    deadline_.async_wait([peer](const error_code &) { peer->read(); });
  }

private:
  void unused();
  std::shared_ptr<OtherOwned> next_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  asio::mutable_buffer buf_;
};

// A UDP server: it receives before it ever sends, waiting for requests.
void udpEchoServer(asio::io_context &io) {
  udp::socket sock(io);
  for (;;) {
    char data[1024];
    udp::endpoint from;
    unsigned long n = sock.receive_from(asio::buffer(data, sizeof data), from);
    sock.send_to(asio::buffer(data, n), from);
  }
}

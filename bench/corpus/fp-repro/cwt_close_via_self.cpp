// client-without-timeout FP (Beast http/server/small/http_server_small.cpp:87):
// the deadline timer's handler closes the socket, so the read is bounded; the
// close is written self->socket_ (through the captured shared_ptr) rather than
// socket_, and is not seen as closing this object's socket. With
// [this, self] and socket_.close(ec) the finding goes away; the expiry given
// in the timer's initializer instead of expires_after() makes no difference.
#include <asio.hpp>
#include <chrono>
#include <memory>
struct connection : std::enable_shared_from_this<connection> {
  explicit connection(asio::ip::tcp::socket s) : socket_(std::move(s)) {}
  asio::ip::tcp::socket socket_;
  asio::steady_timer deadline_{socket_.get_executor(), std::chrono::seconds(60)};
  char buf_[64];
  void start() {
    read();
    check_deadline();
  }
  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](std::error_code ec, std::size_t) {
      if (!ec) self->read();
    });                                                                   // FP
  }
  void check_deadline() {
    auto self = shared_from_this();
    deadline_.async_wait([self](std::error_code ec) {
      if (!ec) self->socket_.close(ec);
    });
  }
};

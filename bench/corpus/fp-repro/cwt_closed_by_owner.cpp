// client-without-timeout FP: the owner closes the socket from a stop method
// (posted to its executor), so the pending read has a way out.
#include <asio.hpp>
class client {
public:
  explicit client(asio::io_context &io) : io_(io), socket_(io) {}
  void start() {
    asio::async_read(socket_, asio::buffer(buf_), [this](std::error_code ec, std::size_t) {
      if (!ec) start();
    });                                          // FP: reported
  }
  void close() { asio::post(io_, [this] { socket_.close(); }); }
private:
  asio::io_context &io_;
  asio::ip::tcp::socket socket_;
  char buf_[4];
};

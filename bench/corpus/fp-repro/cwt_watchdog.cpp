// client-without-timeout FP: a watchdog coroutine closes the socket when its
// timer expires (asio's cpp11/spawn/echo_server.cpp); the read is bounded.
#include <asio.hpp>
#include <asio/spawn.hpp>
#include <memory>
struct session : std::enable_shared_from_this<session> {
  explicit session(asio::io_context &io) : socket_(io), timer_(io) {}
  void go() {
    auto self = shared_from_this();
    asio::spawn(socket_.get_executor(), [this, self](asio::yield_context yield) {
      char data[128];
      for (;;) {
        timer_.expires_after(std::chrono::seconds(10));
        std::size_t n = socket_.async_read_some(asio::buffer(data), yield);   // FP
        asio::async_write(socket_, asio::buffer(data, n), yield);              // FP
      }
    });
    asio::spawn(socket_.get_executor(), [this, self](asio::yield_context yield) {
      while (socket_.is_open()) {
        std::error_code ignored;
        timer_.async_wait(yield[ignored]);
        if (timer_.expiry() <= asio::steady_timer::clock_type::now()) socket_.close();
      }
    });
  }
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
};

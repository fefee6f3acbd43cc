// client-without-timeout FP: asio's blocking-with-timeout idiom
// (cpp11/timeouts/blocking_tcp_client.cpp): the async read runs under
// io_context::run_for, and the socket is closed if it did not complete.
#include <asio.hpp>
#include <chrono>
#include <string>
class client {
public:
  std::string read_line(std::chrono::steady_clock::duration timeout) {
    std::size_t n = 0;
    asio::async_read_until(socket_, asio::dynamic_buffer(input_), '\n',
                           [&](std::error_code, std::size_t k) { n = k; });   // FP
    run(timeout);
    return input_.substr(0, n);
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
  asio::io_context io_context_;
  asio::ip::tcp::socket socket_{io_context_};
  std::string input_;
};

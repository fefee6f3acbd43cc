// client-without-timeout FP: a completion token whose async_result runs the
// io_context for at most the timeout and closes the socket otherwise
// (asio cpp11/timeouts/blocking_token_tcp_client.cpp): the read is bounded.
#include <asio.hpp>
#include <chrono>
#include <string>
using tcp_socket = asio::basic_stream_socket<asio::ip::tcp, asio::io_context::executor_type>;
struct close_after {
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
    if (!ctx.stopped()) { socket_.close(); ctx.run(); }
    if (error_) throw std::system_error(error_);
    return t_;
  }
private:
  std::chrono::steady_clock::duration timeout_;
  tcp_socket &socket_;
  std::error_code error_;
  T t_{};
};
} // namespace asio
int main() {
  asio::io_context io;
  tcp_socket socket(io);
  std::string buf;
  std::size_t n = asio::async_read_until(socket, asio::dynamic_buffer(buf), '\n',
                                         close_after{std::chrono::seconds(10), socket}); // FP
  return int(n);
}

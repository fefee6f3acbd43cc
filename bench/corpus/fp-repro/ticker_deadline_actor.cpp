// unstopped-ticker FP: asio's deadline actor: the handler ignores its error
// code but returns once stopped_ is set, so stop() ends it.
#include <asio.hpp>
#include <functional>
class client {
public:
  explicit client(asio::io_context &io) : socket_(io), deadline_(io) {}
  void start() { deadline_.async_wait(std::bind(&client::check_deadline, this)); }
  void stop() { stopped_ = true; socket_.close(); deadline_.cancel(); }
private:
  void check_deadline() {
    if (stopped_)
      return;
    if (deadline_.expiry() <= asio::steady_timer::clock_type::now()) {
      socket_.close();
      deadline_.expires_at(asio::steady_timer::time_point::max());
    }
    deadline_.async_wait(std::bind(&client::check_deadline, this));   // FP
  }
  bool stopped_ = false;
  asio::ip::tcp::socket socket_;
  asio::steady_timer deadline_;
};

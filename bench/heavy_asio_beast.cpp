// A heavy TU for the profile: all of Boost.Asio and Boost.Beast, plus a few
// tasks of each kind the checks look at.
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <atomic>
#include <stop_token>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;

void work();

class Session {
public:
  explicit Session(asio::io_context &io) : stream_(io), timer_(io) {}
  void tick() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code &ec) {
      if (ec)
        return;
      work();
      tick();
    });
  }
  void read() {
    beast::http::async_read(stream_, buffer_, req_,
                            [this](beast::error_code ec, std::size_t) {
                              if (!ec)
                                read();
                            });
  }

private:
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  beast::http::request<beast::http::string_body> req_;
};

std::atomic<bool> stopping{false};
int main() {
  asio::io_context io;
  Session s(io);
  s.tick();
  s.read();
  std::thread t([] { while (!stopping) work(); });
  std::jthread j([](std::stop_token st) { while (!st.stop_requested()) work(); });
  std::thread r([&io] { io.run(); });
  t.join();
  r.join();
}

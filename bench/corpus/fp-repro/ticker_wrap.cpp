// unstopped-ticker FP (libtorrent torrent.cpp:9800): the handler forwards its
// error_code through a member template (wrap) to a handler that returns on it.
#include <asio.hpp>
#include <chrono>
#include <memory>
struct torrent : std::enable_shared_from_this<torrent> {
  asio::steady_timer timer;
  template <typename Fun, typename... Args> void wrap(Fun f, Args &&...a) {
    try { (this->*f)(std::forward<Args>(a)...); } catch (...) {}
  }
  void on_announce(std::error_code const &ec) {
    if (ec) return;
    announce();
  }
  void announce() {
    timer.expires_after(std::chrono::seconds(30));
    timer.async_wait([self = shared_from_this()](std::error_code const &e) {
      self->wrap(&torrent::on_announce, e);                               // FP
    });
  }
};

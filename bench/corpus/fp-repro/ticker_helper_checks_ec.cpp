// unstopped-ticker FP (libtorrent disk_io_thread_pool.cpp:167): the handler
// hands its error_code to a member function that returns on it.
#include <asio.hpp>
#include <chrono>
struct pool {
  asio::steady_timer timer;
  bool abort = false;
  void start() {
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([this](std::error_code const &ec) { reap(ec); });   // FP
  }
  void reap(std::error_code const &ec) {
    if (ec) return;
    if (abort) return;
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([this](std::error_code const &e) { reap(e); });
  }
};

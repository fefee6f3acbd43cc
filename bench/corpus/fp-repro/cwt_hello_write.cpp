// client-without-timeout FP: one 7-byte constant write to a freshly accepted
// connection (asio cpp17/coroutines_ts/range_based_for.cpp) cannot block on a
// silent peer: the kernel's send buffer takes it.
#include <asio.hpp>  // compile with -std=c++20 -DASIO_HAS_CO_AWAIT=1 (asio 1.22 and clang 17+)
asio::awaitable<void> listener(asio::ip::tcp::acceptor acceptor) {
  for (;;) {
    asio::ip::tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
    co_await asio::async_write(s, asio::buffer("hello\r\n", 7), asio::use_awaitable); // FP
  }
}

// client-without-timeout FP (repeat): the second read of the same socket in
// the same function is the same unbounded exchange as the first.
#include <asio.hpp>
void f(asio::ip::tcp::socket &s0, asio::io_context &io, const asio::ip::tcp::endpoint &ep) {
  asio::ip::tcp::socket s(io);
  s.connect(ep);
  char hdr[8], body[64];
  asio::read(s, asio::buffer(hdr));               // TP
  while (std::size_t n = s.read_some(asio::buffer(body)))   // FP: same exchange
    (void)n;
}

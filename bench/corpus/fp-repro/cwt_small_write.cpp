// client-without-timeout FP: a small request written to a fresh connection is
// reported beside the read that is the real unbounded operation.
#include <asio.hpp>
void get(asio::io_context &io, const asio::ip::tcp::endpoint &ep) {
  asio::ip::tcp::socket s(io);
  s.connect(ep);
  asio::write(s, asio::buffer("ping\n", 5));   // FP: reported
  char reply[5];
  asio::read(s, asio::buffer(reply));           // TP: reported
}

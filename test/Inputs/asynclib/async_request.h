// A third-party library's forwarding template (included with -I, not as a
// system header): the unbounded read is inside the library, the user's call
// instantiates it.
#pragma once
#include "net_mock.h"
namespace asynclib {
template <class Handler> void request(boost::asio::io_context &io, Handler h) {
  boost::asio::ip::tcp::socket sock(io);
  char data[64];
  sock.read_some(boost::asio::buffer(data, sizeof data));
  h();
}
} // namespace asynclib

// client-without-timeout FP (i2pd Timestamp.cpp:117, UDPTunnel.cpp:132): the
// receive runs only once available() says a datagram is already queued, after
// a bounded poll (10 x 1 s): it returns at once.
#include <asio.hpp>
#include <chrono>
#include <thread>
std::size_t ntp_query(asio::io_context &io, asio::ip::udp::endpoint ep) {
  asio::ip::udp::socket s(io);
  s.open(ep.protocol());
  char buf[48] = {};
  s.send_to(asio::buffer(buf), ep);
  for (int i = 0; !s.available() && i < 10; ++i)
    std::this_thread::sleep_for(std::chrono::seconds(1));
  if (s.available())
    return s.receive_from(asio::buffer(buf), ep);   // FP
  return 0;
}

// client-without-timeout FP: a UDP server waits for the next datagram from
// anyone; no peer can leave it stuck in an exchange (asio's UDP echo and
// daytime servers, multicast receiver). Its client twin (send_to, then
// receive_from the server's reply) is a true positive.
#include <asio.hpp>
void serve(asio::io_context &io) {
  asio::ip::udp::socket sock(io, asio::ip::udp::endpoint(asio::ip::udp::v4(), 7));
  for (;;) {
    char data[1024];
    asio::ip::udp::endpoint from;
    std::size_t n = sock.receive_from(asio::buffer(data), from);   // FP
    sock.send_to(asio::buffer(data, n), from);
  }
}

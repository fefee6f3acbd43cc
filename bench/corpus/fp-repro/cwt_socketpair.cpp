// client-without-timeout FP: a socket pair between two threads of the same
// program: the "peer" is the program itself.
#include <asio.hpp>
#include <thread>
int main() {
  asio::io_context io;
  asio::local::stream_protocol::socket a(io), b(io);
  asio::local::connect_pair(a, b);
  std::thread t([&b] { char c; asio::read(b, asio::buffer(&c, 1)); asio::write(b, asio::buffer(&c, 1)); });
  char c = 'x';
  asio::write(a, asio::buffer(&c, 1));           // FP: reported
  asio::read(a, asio::buffer(&c, 1));            // FP: reported
  t.join();
}

#pragma once
#include "asio_mock.h"
namespace boost {
namespace asio {
template <class Protocol, class Executor = int> class basic_stream_socket {
public:
  explicit basic_stream_socket(io_context &);
  template <class Buf> unsigned long read_some(const Buf &);
  template <class Buf> unsigned long write_some(const Buf &);
  template <class Buf> unsigned long receive(const Buf &);
  unsigned long available();
  unsigned long available(boost::system::error_code &);
  template <class Buf, class H> void async_read_some(const Buf &, H &&h) {}
  template <class Ep> void connect(const Ep &);
  template <class Ep, class H> void async_connect(const Ep &, H &&h) {}
  int native_handle();
  int get_executor();
  void close();
  void cancel();
  void shutdown(int);
};
template <class Protocol, class Executor = int> class basic_datagram_socket {
public:
  explicit basic_datagram_socket(io_context &);
  template <class Buf, class Ep> unsigned long send_to(const Buf &, const Ep &);
  template <class Buf, class Ep> unsigned long receive_from(const Buf &, Ep &);
  unsigned long available();
  unsigned long available(boost::system::error_code &);
  void close();
};
template <class Protocol> class basic_socket_acceptor {
public:
  explicit basic_socket_acceptor(io_context &);
  basic_stream_socket<Protocol> accept();
};
template <class Protocol> class basic_socket_iostream {
public:
  basic_socket_iostream();
  basic_socket_iostream(const char *host, const char *service);
  template <class D> void expires_after(const D &);
  template <class T> void expires_at(const T &);
  template <class T> basic_socket_iostream &operator>>(T &);
  template <class T> basic_socket_iostream &operator<<(const T &);
};
namespace ip {
class address {};
address make_address(const char *);
template <class Protocol> struct basic_endpoint {
  basic_endpoint();
  basic_endpoint(const address &, unsigned short);
};
struct tcp {
  using socket = basic_stream_socket<tcp>;
  using acceptor = basic_socket_acceptor<tcp>;
  using endpoint = basic_endpoint<tcp>;
  using iostream = basic_socket_iostream<tcp>;
};
struct udp {
  using socket = basic_datagram_socket<udp>;
  using endpoint = basic_endpoint<udp>;
};
} // namespace ip
namespace local {
struct stream_protocol {
  using socket = basic_stream_socket<stream_protocol>;
};
template <class Protocol, class Executor>
void connect_pair(basic_stream_socket<Protocol, Executor> &,
                  basic_stream_socket<Protocol, Executor> &);
} // namespace local
template <class S, class Buf> unsigned long read(S &, const Buf &);
template <class S, class Buf> unsigned long write(S &, const Buf &);
template <class S, class Buf, class H> void async_read(S &, const Buf &, H &&h) {}
template <class S, class Buf> awaitable<unsigned long> async_read(S &, const Buf &, const use_awaitable_t &);
template <class S, class Buf, class H> void async_write(S &, const Buf &, H &&h) {}
template <class S, class Buf, class H> void async_read_until(S &, Buf &, const char *, H &&h) {}
struct mutable_buffer {};
struct const_buffer {};
mutable_buffer buffer(char *, unsigned long);
const_buffer buffer(const char *);
} // namespace asio
namespace beast {
template <class Protocol, class Executor = int, class RatePolicy = int> class basic_stream {
public:
  explicit basic_stream(asio::io_context &);
  template <class D> void expires_after(const D &);
  void expires_never();
  template <class Buf, class H> void async_read_some(const Buf &, H &&h) {}
  template <class Ep> void connect(const Ep &);
  void close();
  void cancel();
  asio::basic_stream_socket<Protocol> &socket();
};
using tcp_stream = basic_stream<asio::ip::tcp>;
struct flat_buffer {};
using error_code = system::error_code;
template <class S> S &get_lowest_layer(S &s) { return s; }
namespace http {
template <class Body> struct request {};
template <class Body> struct response {};
struct string_body {};
template <class S, class B, class M> unsigned long read(S &, B &, M &);
template <class S, class M> unsigned long write(S &, const M &);
template <class S, class B, class M, class H> void async_read(S &, B &, M &, H &&h) {}
template <class S, class M, class H> void async_write(S &, const M &, H &&h) {}
} // namespace http
namespace websocket {
struct stream_base {
  struct timeout {
    static timeout suggested(int);
  };
};
template <class Next> class stream {
public:
  explicit stream(asio::io_context &);
  template <class Opt> void set_option(const Opt &);
  Next &next_layer();
  template <class B, class H> void async_read(B &, H &&h) {}
};
} // namespace websocket
template <class Next> Next &get_lowest_layer(websocket::stream<Next> &s) { return s.next_layer(); }
} // namespace beast
} // namespace boost

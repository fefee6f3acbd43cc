#pragma once
#include "asio_mock.h"
namespace boost {
namespace asio {
template <class Protocol, class Executor = int> class basic_stream_socket {
public:
  explicit basic_stream_socket(io_context &);
  template <class Buf> unsigned long read_some(const Buf &);
  template <class Buf, class H> void async_read_some(const Buf &, H &&h) {}
  int native_handle();
  void close();
};
namespace ip { struct tcp { using socket = basic_stream_socket<tcp>; }; }
template <class S, class Buf> unsigned long read(S &, const Buf &);
template <class S, class Buf> unsigned long write(S &, const Buf &);
template <class S, class Buf, class H> void async_read(S &, const Buf &, H &&h) {}
struct mutable_buffer {};
} // namespace asio
namespace beast {
template <class Protocol, class Executor = int, class RatePolicy = int> class basic_stream {
public:
  explicit basic_stream(asio::io_context &);
  template <class D> void expires_after(const D &);
  void expires_never();
  template <class Buf, class H> void async_read_some(const Buf &, H &&h) {}
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

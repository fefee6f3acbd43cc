#pragma once
#include "std_mock.h"
namespace boost {
namespace system {
class error_code {
public:
  explicit operator bool() const;
  bool operator!() const;
  int value() const;
  const char *message() const;
};
bool operator==(const error_code &, int);
} // namespace system
namespace asio {
namespace error { enum basic_errors { operation_aborted = 125 }; }
class io_context {
public:
  using executor_type = int;
  executor_type get_executor();
  long run();
  void stop();
};
template <class Clock> struct wait_traits {};
template <class Clock, class Traits = wait_traits<Clock>, class Executor = int>
class basic_waitable_timer {
public:
  explicit basic_waitable_timer(io_context &);
  template <class D> void expires_after(const D &);
  template <class Handler> void async_wait(Handler &&h) {}
  void cancel();
};
using steady_timer = basic_waitable_timer<std::chrono::steady_clock>;
template <class Ex, class Handler> void post(Ex &&, Handler &&) {}
template <class Handler> void post(Handler &&) {}
} // namespace asio
} // namespace boost

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
  template <class D> long run_for(const D &);
  template <class T> long run_until(const T &);
  void restart();
  bool stopped() const;
  void stop();
};
template <class Clock> struct wait_traits {};
// C++20 coroutine support, as far as the analysis looks: awaitables and
// the awaitable operators that race two of them.
template <class T> struct awaitable {};
struct use_awaitable_t {};
constexpr use_awaitable_t use_awaitable;
namespace experimental::awaitable_operators {
template <class A, class B> awaitable<int> operator||(awaitable<A>, awaitable<B>);
}
template <class Clock, class Traits = wait_traits<Clock>, class Executor = int>
class basic_waitable_timer {
public:
  explicit basic_waitable_timer(io_context &);
  template <class D> void expires_after(const D &);
  template <class T> void expires_at(const T &);
  std::chrono::time_point<Clock> expiry() const;
  template <class Handler> void async_wait(Handler &&h) {}
  awaitable<void> async_wait(const use_awaitable_t &);
  void cancel();
};
using steady_timer = basic_waitable_timer<std::chrono::steady_clock>;
template <class Ex, class Handler> void post(Ex &&, Handler &&) {}
// How a completion token turns into the initiating function's result;
// user-defined tokens specialise it.
template <class CompletionToken, class... Signatures> class async_result;
// asio 1.30's deadline completion token.
template <class D, class Token> Token cancel_after(const D &, Token t) { return t; }
template <class Handler> void post(Handler &&) {}
} // namespace asio
} // namespace boost

#pragma once
#include "std_mock.h"
namespace boost {
class thread {
public:
  template <class F> explicit thread(F f) {}
  void join();
  void interrupt();
};
namespace this_thread {
template <class D> void sleep_for(const D &);
void interruption_point();
} // namespace this_thread
namespace fibers {
enum class channel_op_status { success, empty, full, closed, timeout };
template <class T> class buffered_channel {
public:
  explicit buffered_channel(std::size_t);
  channel_op_status push(const T &);
  channel_op_status pop(T &);
  T value_pop();
  void close() noexcept;
};
class fiber {
public:
  template <class F> explicit fiber(F &&) {}
  void join();
  void detach();
};
} // namespace fibers
} // namespace boost

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
  channel_op_status try_push(const T &);
  channel_op_status try_pop(T &);
  template <class D> channel_op_status push_wait_for(const T &, const D &);
  template <class D> channel_op_status pop_wait_for(T &, const D &);
  struct iterator {
    T operator*() const;
    iterator &operator++();
    bool operator!=(const iterator &) const;
  };
};
template <class T> typename buffered_channel<T>::iterator begin(buffered_channel<T> &);
template <class T> typename buffered_channel<T>::iterator end(buffered_channel<T> &);
class fiber {
public:
  template <class F> explicit fiber(F &&) {}
  void join();
  void detach();
};
} // namespace fibers
} // namespace boost

// Boost.Fiber channels (added for the channel checks).
namespace boost {
namespace fibers {
template <class T> class unbuffered_channel {
public:
  unbuffered_channel();
  channel_op_status push(const T &);
  channel_op_status try_push(const T &);
  template <class D> channel_op_status push_wait_for(const T &, const D &);
  channel_op_status pop(T &);
  channel_op_status try_pop(T &);
  template <class D> channel_op_status pop_wait_for(T &, const D &);
  T value_pop();
  void close() noexcept;
  struct iterator {
    T operator*() const;
    iterator &operator++();
    bool operator!=(const iterator &) const;
  };
};
template <class T> typename unbuffered_channel<T>::iterator begin(unbuffered_channel<T> &);
template <class T> typename unbuffered_channel<T>::iterator end(unbuffered_channel<T> &);
} // namespace fibers
} // namespace boost

#pragma once
namespace tbb {
namespace detail { namespace d1 {
class task_group {
public:
  template <class F> void run(F &&) {}
  void wait();
};
}} // namespace detail::d1
using detail::d1::task_group;
namespace detail { namespace d2 {
template <class T> class concurrent_bounded_queue {
public:
  void push(const T &);
  void pop(T &);
  bool try_pop(T &);
  void abort();
  bool try_push(const T &);
  void set_capacity(long);
};
}} // namespace detail::d2
using detail::d2::concurrent_bounded_queue;
} // namespace tbb

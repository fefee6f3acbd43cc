// Minimal stand-ins for the standard library pieces taskleak models. Tests
// include this with -isystem so it behaves like a system header.
#pragma once
namespace std {
using size_t = decltype(sizeof(0));
template <class T> struct remove_reference { using type = T; };
template <class T> struct remove_reference<T &> { using type = T; };
template <class T> struct remove_reference<T &&> { using type = T; };
template <class T> typename remove_reference<T>::type &&move(T &&t) noexcept {
  return static_cast<typename remove_reference<T>::type &&>(t);
}
template <class T> T &&forward(typename remove_reference<T>::type &t) noexcept {
  return static_cast<T &&>(t);
}
template <class T> class reference_wrapper {
public:
  reference_wrapper(T &t) : p(&t) {}
  T *p;
};
template <class T> reference_wrapper<T> ref(T &t) { return reference_wrapper<T>(t); }

template <class F, class... A> struct _Bind {
  template <class... X> void operator()(X &&...) {}
};
template <class F, class... A> _Bind<F, A...> bind(F, A...) { return {}; }

namespace chrono {
template <class Rep, class Period = void> struct duration {
  constexpr duration() = default;
  constexpr explicit duration(Rep r) : r(r) {}
  Rep r{};
};
using nanoseconds = duration<long long>;
using milliseconds = duration<long long, char>;
using seconds = duration<long long, short>;
template <class Clock, class Duration = typename Clock::duration> struct time_point {};
struct steady_clock {
  using duration = nanoseconds;
  static time_point<steady_clock> now();
};
struct system_clock {
  using duration = nanoseconds;
  static time_point<system_clock> now();
};
template <class C, class D, class R, class P>
time_point<C, D> operator+(const time_point<C, D> &, const duration<R, P> &);
} // namespace chrono

class stop_token {
public:
  bool stop_requested() const noexcept;
  bool stop_possible() const noexcept;
};
class stop_source {
public:
  stop_token get_token() const noexcept;
  bool request_stop() noexcept;
};
template <class Callback> class stop_callback {
public:
  template <class C> stop_callback(const stop_token &, C &&cb) {}
  ~stop_callback();
};

class thread {
public:
  class id {};
  thread() noexcept;
  template <class F, class... Args> explicit thread(F &&f, Args &&...args) {}
  thread(thread &&) noexcept;
  thread &operator=(thread &&) noexcept;
  ~thread();
  void join();
  void detach();
  bool joinable() const noexcept;
};
class jthread {
public:
  jthread() noexcept;
  template <class F, class... Args> explicit jthread(F &&f, Args &&...args) {}
  jthread(jthread &&) noexcept;
  ~jthread();
  void join();
  void detach();
  bool request_stop() noexcept;
  stop_token get_stop_token() const noexcept;
};
namespace this_thread {
template <class Rep, class Period>
void sleep_for(const chrono::duration<Rep, Period> &d);
template <class Clock, class Duration>
void sleep_until(const chrono::time_point<Clock, Duration> &t);
void yield() noexcept;
} // namespace this_thread

enum class launch { async = 1, deferred = 2 };
template <class T> class shared_future;
template <class T> class future {
public:
  future() noexcept;
  future(future &&) noexcept;
  future &operator=(future &&) noexcept;
  T get();
  shared_future<T> share() noexcept;
  void wait() const;
  bool valid() const noexcept;
  template <class Rep, class Period>
  int wait_for(const chrono::duration<Rep, Period> &) const;
};
template <class T> class shared_future {
public:
  shared_future() noexcept;
  shared_future(const shared_future &);
  shared_future(future<T> &&) noexcept;
  shared_future &operator=(const shared_future &);
  const T &get() const;
  void wait() const;
  bool valid() const noexcept;
};
template <class T> class promise {
public:
  promise();
  promise(promise &&) noexcept;
  promise &operator=(promise &&) noexcept;
  future<T> get_future();
  void set_value(const T &);
  template <class E> void set_exception(E);
};
struct exception_ptr {};
exception_ptr current_exception();
template <class F, class... Args> future<int> async(F &&f, Args &&...args) { return {}; }
template <class F, class... Args> future<int> async(launch, F &&f, Args &&...args) { return {}; }

template <class T> struct atomic {
  atomic() noexcept = default;
  constexpr atomic(T v) noexcept : v(v) {}
  T load() const noexcept;
  void store(T) noexcept;
  operator T() const noexcept;
  T operator=(T) noexcept;
  T v;
};
using atomic_bool = atomic<bool>;

struct adopt_lock_t {};
inline constexpr adopt_lock_t adopt_lock{};
class mutex {
public:
  void lock();
  void unlock();
  bool try_lock();
};
template <class M> class unique_lock {
public:
  explicit unique_lock(M &);
  ~unique_lock();
  void unlock();
};
template <class M> class lock_guard {
public:
  explicit lock_guard(M &);
  lock_guard(M &, adopt_lock_t);
  ~lock_guard();
};
class condition_variable {
public:
  void notify_one() noexcept;
  void notify_all() noexcept;
  void wait(unique_lock<mutex> &);
  template <class Pred> void wait(unique_lock<mutex> &, Pred) {}
  template <class Rep, class Period>
  int wait_for(unique_lock<mutex> &, const chrono::duration<Rep, Period> &);
  template <class Rep, class Period, class Pred>
  bool wait_for(unique_lock<mutex> &, const chrono::duration<Rep, Period> &, Pred) { return true; }
};
class condition_variable_any {
public:
  void notify_all() noexcept;
  template <class L> void wait(L &);
  template <class L, class Pred> void wait(L &, Pred) {}
  template <class L, class Pred> bool wait(L &, stop_token, Pred) { return true; }
};
template <long Max = 1000> class counting_semaphore {
public:
  explicit counting_semaphore(long);
  void acquire();
  bool try_acquire();
  void release(long = 1);
};
using binary_semaphore = counting_semaphore<1>;
template <class... M> class scoped_lock {
public:
  explicit scoped_lock(M &...);
  ~scoped_lock();
};
class barrier_completion {};
template <class F = barrier_completion> class barrier {
public:
  explicit barrier(long);
  void arrive_and_wait();
  void arrive_and_drop();
};
class latch {
public:
  explicit latch(long);
  void count_down(long = 1);
  void wait() const;
  void arrive_and_wait(long = 1);
};

template <class T> class vector {
public:
  vector();
  explicit vector(size_t);
  size_t size() const;
  bool empty() const;
  void push_back(const T &);
  template <class... A> void emplace_back(A &&...) {}
  T &operator[](size_t);
  const T &operator[](size_t) const;
  T *begin();
  T *end();
};
template <class T> class deque {
public:
  bool empty() const;
  void push_back(const T &);
  void pop_front();
  T &front();
};
template <class T> class queue {
public:
  bool empty() const;
  void push(const T &);
  void pop();
  T &front();
};
using nullptr_t = decltype(nullptr);
template <class T> class shared_ptr {
public:
  constexpr shared_ptr() noexcept;
  constexpr shared_ptr(nullptr_t) noexcept;
  explicit shared_ptr(T *);
  shared_ptr(const shared_ptr &) noexcept;
  shared_ptr(shared_ptr &&) noexcept;
  template <class U> shared_ptr(shared_ptr<U> &&) noexcept;
  shared_ptr &operator=(const shared_ptr &) noexcept;
  shared_ptr &operator=(shared_ptr &&) noexcept;
  T *operator->() const;
  T &operator*() const;
  explicit operator bool() const;
  T *get() const noexcept;
  void reset() noexcept;
  void reset(T *);
};
template <class T> bool operator==(const shared_ptr<T> &, nullptr_t) noexcept;
template <class T> bool operator!=(const shared_ptr<T> &, nullptr_t) noexcept;
template <class T, class... A> shared_ptr<T> make_shared(A &&...);
template <class T> class unique_ptr {
public:
  constexpr unique_ptr() noexcept;
  constexpr unique_ptr(nullptr_t) noexcept;
  explicit unique_ptr(T *);
  unique_ptr(unique_ptr &&) noexcept;
  template <class U> unique_ptr(unique_ptr<U> &&) noexcept;
  unique_ptr &operator=(unique_ptr &&) noexcept;
  T *operator->() const;
  T &operator*() const;
  explicit operator bool() const;
  T *get() const noexcept;
  void reset(T * = nullptr);
};
template <class T, class... A> unique_ptr<T> make_unique(A &&...);
[[noreturn]] void terminate() noexcept;
[[noreturn]] void exit(int);
[[noreturn]] void abort();
struct exception {
  virtual ~exception();
};
struct runtime_error : exception {
  runtime_error(const char *);
};
class error_code {
public:
  explicit operator bool() const;
  int value() const;
};
} // namespace std

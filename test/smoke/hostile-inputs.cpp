// Code the checks do not understand must never crash or hang them: errors in
// the TU, templates, macros that expand to spawns, coroutines, functions
// without bodies, recursion, deep nesting.
// RUN: %clang_tidy --checks='-*,taskleak-*' %s -- %mock_flags -fcoroutines 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OK -implicit-check-not='Stack dump'
// RUN: %not %clang_tidy --checks='-*,taskleak-*' %s -- %mock_flags -DBROKEN 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BROKEN -implicit-check-not='Stack dump'
// BROKEN: error: use of undeclared identifier 'undeclared'
// BROKEN-NOT: [taskleak-

#include "std_mock.h"

void work();

#define SPAWN_FOREVER(body) std::thread([] { for (;;) body; }).detach()
void viaMacro() { SPAWN_FOREVER(work()); }
// OK: hostile-inputs.cpp:[[@LINE-1]]:{{[0-9]+}}: warning: task never finishes

template <class T> struct Box {
  void spin() { std::thread([this] { while (value.empty()) {} }).detach(); }
  T value;
};
template <int N> struct Deep { static void go() { Deep<N - 1>::go(); } };
template <> struct Deep<0> { static void go() { std::thread([] { for (int i = 0; i < 3; ++i) work(); }).detach(); } };
void deep() { Deep<200>::go(); }

void recursive(int n) { if (n) recursive(n - 1); }
void mutual2(int n);
void mutual1(int n) { if (n) mutual2(n); }
void mutual2(int n) { while (true) { mutual1(n - 1); } }
void startMutual() { std::thread(mutual1, 3).detach(); }
// OK: hostile-inputs.cpp:[[@LINE-2]]:{{[0-9]+}}: warning: task never finishes

void declaredOnly();
void noBody() { std::thread(declaredOnly).detach(); }

namespace std {
template <class R, class... A> struct coroutine_traits { using promise_type = typename R::promise_type; };
template <class P = void> struct coroutine_handle {
  static coroutine_handle from_address(void *) noexcept;
  void *address() const noexcept;
  coroutine_handle() = default;
  template <class Q> coroutine_handle(coroutine_handle<Q>) noexcept {}
};
struct suspend_always {
  bool await_ready() const noexcept { return false; }
  void await_suspend(coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
} // namespace std
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
Task ticker() {
  for (;;)
    co_await std::suspend_always{};
}
void startCoroutine() { std::thread([] { ticker(); }).detach(); }

void deeplyNested() {
  std::thread([] {
    if (1) { if (1) { if (1) { if (1) { if (1) { if (1) { while (true) { work(); } } } } } } }
  }).detach();
}
// OK: hostile-inputs.cpp:[[@LINE-3]]:{{[0-9]+}}: warning: task never finishes

#ifdef BROKEN
void broken() { std::thread([] { for (;;) undeclared(); }).detach(); }
#endif
int main() { Box<std::vector<int>> b; b.spin(); }

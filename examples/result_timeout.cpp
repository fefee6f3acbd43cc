// Go's request with a timeout (`ch := make(chan T)`,
// `go func() { ch <- slow() }()`, then `select` on `ch` and `ctx.Done()`),
// with a Boost.Fiber channel. `tools/taskleak` analyses this file too.
#include <boost/fiber/all.hpp>

#include <chrono>
#include <string>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;
using namespace std::chrono_literals;

// Fiber-aware: yields to other fibers while it waits on the network.
int slowLookup(const std::string &key);

// LEAK (taskleak-abandoned-send): the channel has no room, so the worker's
// push() waits for a pop() that never comes once the caller has timed out,
// and the caller then hangs in join().
int lookupWithTimeout(const std::string &key) {
  unbuffered_channel<int> result;
  boost::fibers::fiber worker(
      [&result, &key] { result.push(slowLookup(key)); });
  int value = -1;
  if (result.pop_wait_for(value, 100ms) == channel_op_status::timeout)
    value = -1;
  worker.join();
  return value;
}

// Fixed (Go's `make(chan T, 1)`): a buffered_channel of capacity 2 holds the
// one late result, so the worker's push() returns whether or not it is read
// (the fix-it taskleak offers on the leak above makes this change).
int lookupWithTimeoutFixed(const std::string &key) {
  buffered_channel<int> result(2);
  boost::fibers::fiber worker(
      [&result, &key] { result.push(slowLookup(key)); });
  int value = -1;
  if (result.pop_wait_for(value, 100ms) == channel_op_status::timeout)
    value = -1;
  worker.join();
  return value;
}

int main() {
  lookupWithTimeoutFixed("user:42");
  lookupWithTimeout("user:42");
}

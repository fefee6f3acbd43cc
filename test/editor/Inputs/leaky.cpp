// A request with a timeout whose worker sends its result on an unbuffered
// channel: once the caller gives up, the send blocks forever.
#include "std_mock.h"
#include "boost_thread_mock.h"

int compute();

int requestWithTimeout() {
  boost::fibers::unbuffered_channel<int> ch;
  std::thread([&ch] { ch.push(compute()); }).detach();
  int v = 0;
  if (ch.pop_wait_for(v, std::chrono::seconds(1)) ==
      boost::fibers::channel_op_status::timeout)
    return -1;
  return v;
}

// The seed articles' channel leaks (../shared/seeds/), each as a C++ leak on
// Boost.Fiber channels that the suite flags, and its fixed form, which it does
// not, nil channels (taskleak-nil-channel) included.
// RUN: %clang_tidy --checks='-*,taskleak-abandoned-send,taskleak-range-never-closed,taskleak-orphaned-receive,taskleak-missing-defer,taskleak-nil-channel' \
// RUN:   %s -- %mock_flags | FileCheck %s -implicit-check-not='{{^[^ ].*: (warning|note|error):}}'

#include "std_mock.h"
#include "boost_thread_mock.h"

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

int slowOperation();
int fetch(int);
bool doWork();
bool more();
long now();
void process(int);

//===--- Sends nobody receives -------------------------------------------===//

// Seed 000, scenario 1: `ch := make(chan string)`; the goroutine sends
// slowOperation()'s result, the caller selects on `ch` and `ctx.Done()` and
// returns on the timeout.
int request() {
  unbuffered_channel<int> ch;
  std::thread([&ch] {
    int result = slowOperation();
    ch.push(result);
    // CHECK: :[[@LINE-1]]:5: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
    // CHECK: :[[@LINE+4]]:7: note: the receiver gives up here when its timeout expires; nothing receives from 'ch' after that
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
  }).detach();
  int r = 0;
  if (ch.pop_wait_for(r, std::chrono::seconds(1)) ==
      channel_op_status::timeout)
    return -1;
  return r;
}
// Fixed: `make(chan string, 1)`, a buffer with room for the one result.
int requestFixed() {
  buffered_channel<int> ch(2);
  std::thread([&ch] {
    int result = slowOperation();
    ch.push(result);
  }).detach();
  int r = 0;
  if (ch.pop_wait_for(r, std::chrono::seconds(1)) ==
      channel_op_status::timeout)
    return -1;
  return r;
}

// Seed 001, GoLeak1: `go func() { ch <- struct{}{} }()` and nothing receives.
void goLeak1() {
  unbuffered_channel<int> ch;
  std::thread([&ch] { ch.push(0); }).detach();
  // CHECK: :[[@LINE-1]]:23: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE-3]]:27: note: nothing that can run receives from 'ch'
  // CHECK: :[[@LINE-3]]:3: note: task (std::thread) spawned here
}
// Fixed: the spawner receives.
void goLeak1Fixed() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] { ch.push(0); });
  int v;
  ch.pop(v);
  t.join();
}

// Seed 001, bufferChannelFilled: `for i := 0; i < 100; i++ { ch <- i }` into
// `make(chan int, 10)` that nothing reads (a fibers buffered_channel(16) holds
// 15).
void bufferChannelFilled(buffered_channel<int> &ch) {
  for (int i = 0; i < 100; i++)
    ch.push(i);
  // CHECK: :[[@LINE-1]]:5: warning: this send blocks forever once the receiver gives up: 'ch' has room for 15 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+4]]:25: note: nothing that can run receives from 'ch'
  // CHECK: :[[@LINE+4]]:3: note: task (std::thread) spawned here
}
void goBufferChannelFilled() {
  buffered_channel<int> ch(16);
  std::thread(bufferChannelFilled, std::ref(ch)).detach();
}
// Fixed: a consumer drains the channel and the producer closes it.
void bufferChannelDrained(buffered_channel<int> &ch) {
  for (int i = 0; i < 100; i++)
    ch.push(i);
  ch.close();
}
void goBufferChannelDrained() {
  buffered_channel<int> ch(16);
  std::thread t(bufferChannelDrained, std::ref(ch));
  for (int v : ch)
    process(v);
  t.join();
}

// Seed 001, main: `for { n := time.Now().Unix(); go func() { ch <- n }() }`
// on an unbuffered channel nothing receives from.
void tickForever() {
  unbuffered_channel<long> ch;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    long n = now();
    std::thread([&ch, n] { ch.push(n); }).detach();
    // CHECK: :[[@LINE-1]]:28: warning: this send blocks forever once the receiver gives up: 'ch' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
    // CHECK: :[[@LINE-6]]:28: note: nothing that can run receives from 'ch'
    // CHECK: :[[@LINE-3]]:5: note: task (std::thread) spawned here
  }
}
// Fixed: every tick's value is received.
void tickReceived() {
  unbuffered_channel<long> ch;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    long n = now();
    std::thread t([&ch, n] { ch.push(n); });
    long v;
    ch.pop(v);
    t.join();
  }
}

// Seed 004, checkPatientData given a deadline: the caller stops waiting for
// the patient info after 3s and returns, while the info and drug fetchers
// still send on their unbuffered channels.
int checkPatientData() {
  unbuffered_channel<int> infoCh;
  unbuffered_channel<int> drugCh;
  std::thread([&infoCh] { infoCh.push(fetch(1)); }).detach();
  // CHECK: :[[@LINE-1]]:27: warning: this send blocks forever once the receiver gives up: 'infoCh' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+7]]:7: note: the receiver gives up here when its timeout expires; nothing receives from 'infoCh' after that
  // CHECK: :[[@LINE-3]]:3: note: task (std::thread) spawned here
  std::thread([&drugCh] { drugCh.push(fetch(2)); }).detach();
  // CHECK: :[[@LINE-1]]:27: warning: this send blocks forever once the receiver gives up: 'drugCh' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+5]]:5: note: the receiver gives up here without receiving from 'drugCh'
  // CHECK: :[[@LINE-3]]:3: note: task (std::thread) spawned here
  int info, drug;
  if (infoCh.pop_wait_for(info, std::chrono::seconds(3)) !=
      channel_op_status::success)
    return -1;
  drugCh.pop(drug);
  return info + drug;
}
// Fixed: each fetcher's channel has room for its one result.
int checkPatientDataFixed() {
  buffered_channel<int> infoCh(2);
  buffered_channel<int> drugCh(2);
  std::thread([&infoCh] { infoCh.push(fetch(1)); }).detach();
  std::thread([&drugCh] { drugCh.push(fetch(2)); }).detach();
  int info, drug;
  if (infoCh.pop_wait_for(info, std::chrono::seconds(3)) !=
      channel_op_status::success)
    return -1;
  drugCh.pop(drug);
  return info + drug;
}

// Seed 004, checkPatientData as first written: three fetchers, three
// channels, every one received. The caller may wait on a slow fetcher, but no
// send is abandoned.
void checkPatientDataInOrder() {
  unbuffered_channel<int> infoCh, drugCh, eventCh;
  std::thread([&infoCh] {
    std::this_thread::sleep_for(std::chrono::seconds(10));
    infoCh.push(fetch(1));
  }).detach();
  std::thread([&drugCh] { drugCh.push(fetch(2)); }).detach();
  std::thread([&eventCh] { eventCh.push(fetch(3)); }).detach();
  int info, drug, event;
  infoCh.pop(info);
  drugCh.pop(drug);
  eventCh.pop(event);
  process(info + drug + event);
}

// Seed 002, 2.3: `go func() { ch <- 1 }(); time.Sleep(2 * time.Second); <-ch`
// relies on timing, but the receive always comes: not a leak.
void sleepThenReceive() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] { ch.push(1); });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  int v;
  ch.pop(v);
  t.join();
}

//===--- Receives nothing sends to ---------------------------------------===//

// Seed 001, GoLeak2: `go func() { <-ch }()` and nothing sends.
void goLeak2() {
  unbuffered_channel<int> ch;
  std::thread([&ch] {
    int v;
    ch.pop(v);
    // CHECK: :[[@LINE-1]]:5: warning: this receive blocks forever: nothing in this translation unit sends to 'ch', sets it, counts it down or closes it [taskleak-orphaned-receive]
    // CHECK: :[[@LINE-5]]:27: note: 'ch' declared here
    // CHECK: :[[@LINE-5]]:3: note: task (std::thread) spawned here
    process(v);
  }).detach();
}
// Fixed: the spawner sends.
void goLeak2Fixed() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    int v;
    ch.pop(v);
    process(v);
  });
  ch.push(0);
  t.join();
}

// Seed 001, rangeCauseLeak as main starts it: `ch := make(chan int, 10);
// go rangeCauseLeak(ch)`, and nothing sends to or closes ch.
void rangeCauseLeak(buffered_channel<int> &ch) {
  for (int v : ch)
    process(v);
  // CHECK: :[[@LINE-2]]:3: warning: this receive blocks forever: nothing in this translation unit sends to 'ch', sets it, counts it down or closes it [taskleak-orphaned-receive]
  // CHECK: :[[@LINE+4]]:25: note: 'ch' declared here
  // CHECK: :[[@LINE+4]]:3: note: task (std::thread) spawned here
}
void goRangeCauseLeak() {
  buffered_channel<int> ch(16);
  std::thread(rangeCauseLeak, std::ref(ch)).detach();
}
// Fixed: the same consumer, started by a caller that sends and then closes.
void goRangeCauseLeakFixed() {
  buffered_channel<int> ch(16);
  std::thread t(rangeCauseLeak, std::ref(ch));
  for (int i = 0; i < 3; ++i)
    ch.push(i);
  ch.close();
  t.join();
}

//===--- Receive loops nothing ends --------------------------------------===//

// Seed 000, scenario 2: `func consume(ch <-chan int) { for v := range ch {
// process(v) } }` while the producer never closes ch.
void consume(buffered_channel<int> &ch) {
  for (int v : ch)
    process(v);
  // CHECK: :[[@LINE-2]]:3: warning: task never finishes: this loop ends only when 'ch' is closed, and nothing closes it [taskleak-range-never-closed]
  // CHECK: :[[@LINE+7]]:5: note: the last send to 'ch'; nothing closes it afterwards
  // CHECK: :[[@LINE+4]]:15: note: task (std::thread) spawned here
}
void startConsumer() {
  buffered_channel<int> ch(8);
  std::thread t(consume, std::ref(ch));
  while (more())
    ch.push(1);
  t.join();
}
// Fixed as the seed does, "with context": the consumer also watches a stop
// flag and waits with a timeout, so it leaves when told to (or when closed).
void consumeUntilStopped(buffered_channel<int> &ch, std::atomic<bool> &stop) {
  while (!stop) {
    int v;
    channel_op_status s = ch.pop_wait_for(v, std::chrono::milliseconds(100));
    if (s == channel_op_status::closed)
      return;
    if (s == channel_op_status::success)
      process(v);
  }
}
void startConsumerFixed() {
  buffered_channel<int> ch(8);
  std::atomic<bool> stop{false};
  std::thread t(consumeUntilStopped, std::ref(ch), std::ref(stop));
  while (more())
    ch.push(1);
  stop = true;
  t.join();
}

// Seed 002, 3.1: three items sent into `make(chan int, 3)`, a goroutine ranges
// over it, and `close(ch)` is forgotten.
void forgotClose() {
  buffered_channel<int> ch(4);
  ch.push(1);
  ch.push(2);
  ch.push(3);
  std::thread t([&ch] {
    for (int val : ch)
      process(val);
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes: this loop ends only when 'ch' is closed, and nothing closes it [taskleak-range-never-closed]
    // CHECK: :[[@LINE-5]]:3: note: the last send to 'ch'; nothing closes it afterwards
    // CHECK: :[[@LINE-5]]:15: note: task (std::thread) spawned here
  });
  t.join();
}
// Fixed: `close(ch)` once the sending is done.
void forgotCloseFixed() {
  buffered_channel<int> ch(4);
  ch.push(1);
  ch.push(2);
  ch.push(3);
  std::thread t([&ch] {
    for (int val : ch)
      process(val);
  });
  ch.close();
  t.join();
}

// Seed 003, "chan未range": the sender never closes, so a receiving goroutine
// waits for ever; here the receiver loops while pop() succeeds.
void popUntilClosed() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    int v;
    while (ch.pop(v) == channel_op_status::success)
      process(v);
    // CHECK: :[[@LINE-2]]:5: warning: task never finishes: this loop ends only when 'ch' is closed, and nothing closes it [taskleak-range-never-closed]
    // CHECK: :[[@LINE+4]]:5: note: the last send to 'ch'; nothing closes it afterwards
    // CHECK: :[[@LINE-6]]:15: note: task (std::thread) spawned here
  });
  for (int i = 0; i < 3; ++i)
    ch.push(i);
  t.join();
}
// Fixed: "发送完成后close(ch)", close once sending is done.
void popUntilClosedFixed() {
  unbuffered_channel<int> ch;
  std::thread t([&ch] {
    int v;
    while (ch.pop(v) == channel_op_status::success)
      process(v);
  });
  for (int i = 0; i < 3; ++i)
    ch.push(i);
  ch.close();
  t.join();
}

// Seed 002, 1: worker(ch, done) leaves when ch is closed (`data, ok := <-ch`,
// !ok) or after 2s without data (`time.After`), and signals done on the way
// out (`defer func() { done <- true }()`). Not a leak.
struct SignalDone {
  unbuffered_channel<bool> &done;
  ~SignalDone() { done.push(true); }
};
void worker(buffered_channel<int> &ch, unbuffered_channel<bool> &done) {
  SignalDone signal{done};
  for (;;) {
    int data;
    channel_op_status s = ch.pop_wait_for(data, std::chrono::seconds(2));
    if (s == channel_op_status::closed)
      return;
    if (s == channel_op_status::timeout)
      return;
    process(data);
  }
}
void runWorker() {
  buffered_channel<int> ch(4);
  unbuffered_channel<bool> done;
  std::thread t(worker, std::ref(ch), std::ref(done));
  for (int i = 0; i < 10; ++i)
    ch.push(i);
  ch.close();
  bool ok;
  done.pop(ok);
  t.join();
}

//===--- A close skipped on one path (taskleak-missing-defer) ------------===//

// Seed 002, "忘记关闭channel导致阻塞 / 使用close(ch)显式关闭": the producer
// closes when it finishes, but an early return skips the close while the
// consumer ranges over the channel. The producer does close on some path, so
// this is missing-defer's finding, not range-never-closed's.
void producer(buffered_channel<int> &ch) {
  for (int i = 0; i < 10; ++i) {
    if (!doWork())
      return;
    // CHECK: :[[@LINE-1]]:7: warning: this return skips close() on 'ch', so whoever waits on it blocks forever [taskleak-missing-defer]
    // CHECK: :[[@LINE+3]]:3: note: 'ch' is released here on other paths
    ch.push(i);
  }
  ch.close();
  // CHECK: :[[@LINE+4]]:15: note: task (std::thread) spawned here
}
void pipeline() {
  buffered_channel<int> ch(4);
  std::thread t(producer, std::ref(ch));
  for (int v : ch)
    process(v);
  t.join();
}
// Fixed: `defer close(ch)` is a guard whose destructor closes.
struct CloseOnExit {
  buffered_channel<int> &ch;
  ~CloseOnExit() { ch.close(); }
};
void producerFixed(buffered_channel<int> &ch) {
  CloseOnExit guard{ch};
  for (int i = 0; i < 10; ++i) {
    if (!doWork())
      return;
    ch.push(i);
  }
}
void pipelineFixed() {
  buffered_channel<int> ch(4);
  std::thread t(producerFixed, std::ref(ch));
  for (int v : ch)
    process(v);
  t.join();
}

//===--- Fan-in ---------------------------------------------------------===//

// Seed 004's fetchers reporting on one channel (a fan-in): one goroutine per
// fetcher sends its error on an unbuffered channel, and the caller returns on
// the first error while the other fetchers still send.
int fanIn(int n) {
  unbuffered_channel<int> errs;
  for (int i = 0; i < n; ++i)
    std::thread([&errs] { errs.push(doWork() ? 0 : 1); }).detach();
  // CHECK: :[[@LINE-1]]:27: warning: this send blocks forever once the receiver gives up: 'errs' has room for 0 unreceived items and nothing closes it [taskleak-abandoned-send]
  // CHECK: :[[@LINE+6]]:7: note: the receiver leaves its receive loop here; nothing receives from 'errs' after that
  // CHECK: :[[@LINE-3]]:5: note: task (std::thread) spawned here
  for (int i = 0; i < n; ++i) {
    int e;
    errs.pop(e);
    if (e != 0)
      return e;
  }
  return 0;
}
// Fixed: every report is received; the first error is kept.
int fanInAll(int n) {
  unbuffered_channel<int> errs;
  for (int i = 0; i < n; ++i)
    std::thread([&errs] { errs.push(doWork() ? 0 : 1); }).detach();
  int first = 0;
  for (int i = 0; i < n; ++i) {
    int e;
    errs.pop(e);
    if (e != 0 && first == 0)
      first = e;
  }
  return first;
}

//===--- nil channels ------------------------------------------------------===//

// Scenario 3 (nilChannelWrite): `var ch chan int; go func() { ch <- 1 }()`.
void nilChannelWrite() {
  std::shared_ptr<buffered_channel<int>> ch;
  // CHECK: :[[@LINE+3]]:22: warning: 'push' through 'ch', which holds no channel on every path{{.*}}[taskleak-nil-channel]
  // CHECK: :[[@LINE-2]]:42: note: 'ch' is default-constructed here and holds nothing
  // CHECK: :[[@LINE+1]]:3: note: task (std::thread) spawned here
  std::thread([ch] { ch->push(1); }).detach();
}
// Fixed: `ch := make(chan int, 1)`.
void nilChannelWriteFixed() {
  auto ch = std::make_shared<buffered_channel<int>>(2);
  std::thread([ch] { ch->push(1); }).detach();
}

// nilChannelRead: `var ch chan int; go func() { <-ch }()`.
void nilChannelRead() {
  std::shared_ptr<unbuffered_channel<int>> ch;
  std::thread([ch] {
    int v;
    // CHECK: :[[@LINE+3]]:5: warning: 'pop' through 'ch', which holds no channel on every path{{.*}}[taskleak-nil-channel]
    // CHECK: :[[@LINE-4]]:44: note: 'ch' is default-constructed here and holds nothing
    // CHECK: :[[@LINE-4]]:3: note: task (std::thread) spawned here
    ch->pop(v);
    process(v);
  }).detach();
}
// Fixed: the channel is made, and the spawner sends.
void nilChannelReadFixed() {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  std::thread([ch] {
    int v;
    ch->pop(v);
    process(v);
  }).detach();
  ch->push(1);
}

// taskleak-client-without-timeout on HTTP client libraries (issues 13 and
// 16): a progress callback that never aborts is no bound; cpr's zero and
// connect-only timeouts are no bound; Session::Download is a request;
// requests to a literal loopback address are reported only on request;
// cpr::MultiPerform runs its sessions, each needing a timeout.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' \
// RUN:   --config="{CheckOptions: {taskleak-client-without-timeout.ReportLoopback: true}}" %s -- %mock_flags \
// RUN:   | FileCheck %s --check-prefixes=CHECK,LOOPBACK -implicit-check-not='{{warning|note|error}}:'
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' --dump-config \
// RUN:   | FileCheck %s --check-prefix=CONFIG
// CONFIG: taskleak-client-without-timeout.ReportLoopback: 'false'

#include "curl_mock.h"
#include "grpc_mock.h"
#include "httpclients_mock.h"
#include "net_mock.h"

//===--- libcurl progress callbacks ----------------------------------------===//

// A progress callback that always returns 0 never aborts the transfer.
int keepGoing(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return 0; }
void progressNeverAborts(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, keepGoing);
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-5]]:13: note: 'h' created here
  // CHECK: :[[@LINE-4]]:3: note: CURLOPT_XFERINFOFUNCTION is set to a callback that always returns 0, so it never aborts the transfer
}
// The same with a lambda converted to a function pointer.
void progressLambdaNeverAborts(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROGRESSFUNCTION, +[](void *, double, double, double, double) -> int { return 0; });
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // CHECK: :[[@LINE-5]]:13: note: 'h' created here
  // CHECK: :[[@LINE-4]]:3: note: CURLOPT_PROGRESSFUNCTION is set to a callback that always returns 0, so it never aborts the transfer
}
// Bounded: a callback that aborts past a deadline (its own, or one we
// cannot see).
struct Deadline { long long end; };
long long nowMs();
int abortLate(void *p, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return nowMs() > static_cast<Deadline *>(p)->end ? 1 : 0;
}
int unseenCallback(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
void progressAborts(const char *url) {
  CURL *a = curl_easy_init();
  curl_easy_setopt(a, CURLOPT_URL, url);
  curl_easy_setopt(a, CURLOPT_XFERINFOFUNCTION, abortLate);
  curl_easy_perform(a);
  CURL *b = curl_easy_init();
  curl_easy_setopt(b, CURLOPT_URL, url);
  curl_easy_setopt(b, CURLOPT_XFERINFOFUNCTION, unseenCallback);
  curl_easy_perform(b);
}

// One exchange per handle and function: two transfers on one handle give one
// finding, with a note for the second.
void twoTransfers(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // CHECK: :[[@LINE-4]]:13: note: 'h' created here
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: note: 'h' is also used here, with no time limit either
}

//===--- cpr --------------------------------------------------------------===//

void cprZeroTimeout() {
  cpr::Get(cpr::Url{"http://example.com"}, cpr::Timeout{0});
  // CHECK: :[[@LINE-1]]:3: warning: cpr request without cpr::Timeout or cpr::LowSpeed
  // CHECK: :[[@LINE-2]]:44: note: a zero cpr::Timeout means no timeout, not a bound
  cpr::Get(cpr::Url{"http://example.com"}, cpr::ConnectTimeout{1000});
  // CHECK: :[[@LINE-1]]:3: warning: cpr request without cpr::Timeout or cpr::LowSpeed
  // CHECK: :[[@LINE-2]]:44: note: cpr::ConnectTimeout bounds only the connection phase, not the transfer
  cpr::Get(cpr::Url{"http://example.com"}, cpr::ConnectTimeout{1000}, cpr::Timeout{5000});
}
void cprSessionZero() {
  cpr::Session s;
  s.SetUrl(cpr::Url{"http://example.com"});
  s.SetTimeout(0);
  s.Get();
  // CHECK: :[[@LINE-1]]:3: warning: cpr request without cpr::Timeout or cpr::LowSpeed
  // CHECK: :[[@LINE-5]]:16: note: 's' declared here
  // CHECK: :[[@LINE-4]]:3: note: SetTimeout(0) means no timeout, not a bound
}
void cprSessionConnectOnly() {
  cpr::Session s;
  s.SetUrl(cpr::Url{"http://example.com"});
  s.SetConnectTimeout(cpr::ConnectTimeout{1000});
  s.Download(cpr::Url{"http://example.com/big.iso"});
  // CHECK: :[[@LINE-1]]:3: warning: cpr request without cpr::Timeout or cpr::LowSpeed
  // CHECK: :[[@LINE-5]]:16: note: 's' declared here
  // CHECK: :[[@LINE-4]]:3: note: SetConnectTimeout bounds only the connection phase, not the transfer
}
void cprSessionBounded() {
  cpr::Session s;
  s.SetUrl(cpr::Url{"http://example.com"});
  s.SetConnectTimeout(cpr::ConnectTimeout{1000});
  s.SetTimeout(cpr::Timeout{30000});
  s.Download(cpr::Url{"http://example.com/big.iso"});
}

//===--- cpr::MultiPerform ---------------------------------------------===//

// The perform waits for every session added to it: one without a timeout
// hangs it.
void cprMultiUnbounded() {
  std::shared_ptr<cpr::Session> a = std::make_shared<cpr::Session>();
  a->SetUrl(cpr::Url{"http://example.com/a"});
  a->SetTimeout(cpr::Timeout{5000});
  std::shared_ptr<cpr::Session> b = std::make_shared<cpr::Session>();
  b->SetUrl(cpr::Url{"http://example.com/b"});
  b->SetConnectTimeout(cpr::ConnectTimeout{1000});
  cpr::MultiPerform multi;
  multi.AddSession(a);
  multi.AddSession(b);
  multi.Get();
  // CHECK: :[[@LINE-1]]:3: warning: cpr::MultiPerform runs a session without cpr::Timeout or cpr::LowSpeed: a server that stops answering blocks it forever [taskleak-client-without-timeout]
  // CHECK: :[[@LINE-3]]:3: note: session 'b' joins here with no cpr::Timeout or cpr::LowSpeed
  // CHECK: :[[@LINE-7]]:3: note: SetConnectTimeout bounds only the connection phase, not the transfer
  multi.Perform();
  // CHECK: :[[@LINE-1]]:3: note: 'multi' is also used here, with no time limit either
}
// A zero timeout is none.
void cprMultiZero() {
  auto s = std::make_shared<cpr::Session>();
  s->SetUrl(cpr::Url{"http://example.com/"});
  s->SetTimeout(0);
  cpr::MultiPerform multi;
  multi.AddSession(s);
  multi.Post();
  // CHECK: :[[@LINE-1]]:3: warning: cpr::MultiPerform runs a session without cpr::Timeout or cpr::LowSpeed
  // CHECK: :[[@LINE-3]]:3: note: session 's' joins here with no cpr::Timeout or cpr::LowSpeed
  // CHECK: :[[@LINE-6]]:3: note: SetTimeout(0) means no timeout, not a bound
}
// Bounded: every session added has a non-zero timeout (set before or after
// it joins, before the perform).
void cprMultiBounded() {
  auto a = std::make_shared<cpr::Session>();
  a->SetUrl(cpr::Url{"http://example.com/a"});
  a->SetTimeout(cpr::Timeout{5000});
  auto b = std::make_shared<cpr::Session>();
  b->SetUrl(cpr::Url{"http://example.com/b"});
  cpr::MultiPerform multi;
  multi.AddSession(a);
  multi.AddSession(b);
  b->SetTimeout(cpr::Timeout{5000});
  multi.Get();
}
// Nothing to conclude: a session from the caller, a multi with no session
// added here, a session added on one branch only (the multi may hold none).
void cprMultiUnknown(std::shared_ptr<cpr::Session> &fromCaller,
                     cpr::MultiPerform &filled, bool more) {
  cpr::MultiPerform multi;
  multi.AddSession(fromCaller);
  multi.Get();
  filled.Get();
  auto s = std::make_shared<cpr::Session>();
  s->SetUrl(cpr::Url{"http://example.com/"});
  cpr::MultiPerform maybe;
  if (more)
    maybe.AddSession(s);
  maybe.Get();
}

//===--- Loopback: a server the test started in-process --------------------===//

void healthCheck() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "http://localhost:8080/health");
  curl_easy_perform(h);
  // LOOPBACK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // LOOPBACK: :[[@LINE-4]]:13: note: 'h' created here
}
void cprLoopback() {
  cpr::Get(cpr::Url{"http://127.0.0.1:8080/"});
  // LOOPBACK: :[[@LINE-1]]:3: warning: cpr request without cpr::Timeout or cpr::LowSpeed
}
void asioLoopback(boost::asio::io_context &io) {
  boost::asio::ip::tcp::socket sock(io);
  boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), 8080);
  sock.connect(ep);
  char data[64];
  sock.read_some(boost::asio::buffer(data, sizeof data));
  // LOOPBACK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // LOOPBACK: :[[@LINE-6]]:32: note: 'sock' declared here
  // LOOPBACK: :[[@LINE-5]]:3: note: 'sock' is also used here, with no time limit either
}
// A host that merely contains the word is not loopback.
void notLoopback() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, "http://localhost.example.com/");
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // CHECK: :[[@LINE-4]]:13: note: 'h' created here
}

//===--- gRPC async: a call object allocated per request ------------------===//

// gRPC's greeter_async_client2: the ClientContext lives in a call object the
// function allocates; with no deadline, CompletionQueue::Next waits forever.
struct AsyncClientCall {
  helloworld::HelloReply reply;
  grpc::ClientContext context;
  grpc::Status status;
  grpc::ClientAsyncResponseReader<helloworld::HelloReply> *reader;
};
void sayHelloAsync(helloworld::Greeter::Stub *stub, grpc::CompletionQueue &cq) {
  auto *call = new AsyncClientCall;
  call->reader = stub->PrepareAsyncSayHello(&call->context, {}, &cq);
  // CHECK: :[[@LINE-1]]:18: warning: gRPC call without a deadline
  // CHECK: :[[@LINE-8]]:23: note: 'context' declared here
  call->reader->StartCall();
  call->reader->Finish(&call->reply, &call->status, call);
  void *tag;
  bool ok;
  cq.Next(&tag, &ok);
  // CHECK: :[[@LINE-1]]:3: note: 'cq' waits here for the call, with no time limit
}
void sayHelloAsyncBounded(helloworld::Greeter::Stub *stub, grpc::CompletionQueue &cq) {
  auto *call = new AsyncClientCall;
  call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  call->reader = stub->PrepareAsyncSayHello(&call->context, {}, &cq);
  call->reader->StartCall();
  call->reader->Finish(&call->reply, &call->status, call);
}
// A call object handed in by a caller: nothing to conclude.
void sayHelloWith(helloworld::Greeter::Stub *stub, grpc::CompletionQueue &cq, AsyncClientCall *call) {
  call->reader = stub->PrepareAsyncSayHello(&call->context, {}, &cq);
}
// greeter_async_client2: the queue is a member, drained by a thread of the
// client's own; its Next() is where the thread waits for a call that has no
// deadline.
class GreeterClient {
public:
  void SayHello() {
    auto *call = new AsyncClientCall;
    call->reader = stub_->PrepareAsyncSayHello(&call->context, {}, &cq_);
    // CHECK: :[[@LINE-1]]:20: warning: gRPC call without a deadline
    // CHECK: :[[@LINE-36]]:23: note: 'context' declared here
    // CHECK: :[[@LINE+7]]:12: note: 'cq_' waits here for the call, with no time limit
    call->reader->StartCall();
    call->reader->Finish(&call->reply, &call->status, call);
  }
  void AsyncCompleteRpc() {
    void *got_tag;
    bool ok = false;
    while (cq_.Next(&got_tag, &ok))
      delete static_cast<AsyncClientCall *>(got_tag);
  }
private:
  helloworld::Greeter::Stub *stub_;
  grpc::CompletionQueue cq_;
};
// The same with a deadline on the context: silent.
class GreeterClientBounded {
public:
  void SayHello() {
    auto *call = new AsyncClientCall;
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    call->reader = stub_->PrepareAsyncSayHello(&call->context, {}, &cq_);
    call->reader->StartCall();
    call->reader->Finish(&call->reply, &call->status, call);
  }
  void AsyncCompleteRpc() {
    void *got_tag;
    bool ok = false;
    while (cq_.Next(&got_tag, &ok))
      delete static_cast<AsyncClientCall *>(got_tag);
  }
private:
  helloworld::Greeter::Stub *stub_;
  grpc::CompletionQueue cq_;
};
// No deadline on the context, but the queue is drained only with AsyncNext
// and a deadline: the waiting thread is bounded.
void sayHelloAsyncNext(helloworld::Greeter::Stub *stub) {
  grpc::CompletionQueue cq;
  auto *call = new AsyncClientCall;
  call->reader = stub->PrepareAsyncSayHello(&call->context, {}, &cq);
  call->reader->StartCall();
  call->reader->Finish(&call->reply, &call->status, call);
  void *tag;
  bool ok;
  cq.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + std::chrono::seconds(5));
}

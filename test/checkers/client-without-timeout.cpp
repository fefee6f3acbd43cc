// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %s -- %mock_flags \
// RUN:   | FileCheck %s --check-prefixes=CHECK,DEFAULT -implicit-check-not='{{warning|note|error}}:'
// A user-declared timeout setter bounds the handle it is given.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' \
// RUN:   --config="{CheckOptions: {TimeoutSetters: 'net::applyDefaults'}}" %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'

#include "curl_mock.h"
#include "grpc_mock.h"
#include "net_mock.h"
#include "httpclients_mock.h"

//===--- libcurl ----------------------------------------------------------===//

// Seed: http.Get on the default client, which never times out.
void fetch(const char *url) {
  CURL *curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_perform(curl);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-4]]:16: note: 'curl' created here
  curl_easy_cleanup(curl);
}

// A connect timeout alone does not bound the transfer.
void connectOnly() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
  CURLcode rc = curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:17: warning: libcurl transfer has no overall timeout
  // CHECK: :[[@LINE-4]]:13: note: 'h' created here
  // CHECK: :[[@LINE-4]]:3: note: CURLOPT_CONNECTTIMEOUT bounds only the connection phase, not the transfer
  (void)rc;
}

// Zero means "no timeout"; half of the LOW_SPEED pair does nothing.
void zeroAndHalf() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 0L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 10L);
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // CHECK: :[[@LINE-5]]:13: note: 'h' created here
  // CHECK: :[[@LINE-5]]:3: note: CURLOPT_TIMEOUT is set to 0, which means no timeout
  // CHECK: :[[@LINE-5]]:3: note: CURLOPT_LOW_SPEED_LIMIT has no effect without CURLOPT_LOW_SPEED_TIME
}

// A timeout set after the transfer is too late.
void tooLate() {
  CURL *h = curl_easy_init();
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // CHECK: :[[@LINE-3]]:13: note: 'h' created here
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
}

// A member handle: options set in other methods count; none bounds it here.
class Downloader {
public:
  Downloader() : handle_(curl_easy_init()) {}
  // CHECK-DAG: :[[@LINE-1]]:26: note: 'handle_' created here
  void configure() { curl_easy_setopt(handle_, CURLOPT_URL, "x"); }
  void run() { curl_easy_perform(handle_); }
  // CHECK-DAG: :[[@LINE-1]]:16: warning: libcurl transfer has no overall timeout

private:
  CURL *handle_;
};

// Added to a multi handle without a bound.
void multi() {
  CURLM *m = curl_multi_init();
  CURL *e = curl_easy_init();
  curl_multi_add_handle(m, e);
  // CHECK: :[[@LINE-1]]:3: warning: easy handle joins a multi handle with no overall timeout
  // CHECK: :[[@LINE-3]]:13: note: 'e' created here
}

// Negatives.
void helperSetsTimeout(CURL *h) { curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 3000L); }
CURL *makeBoundedHandle() {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
  return h;
}
void unknownSetup(CURL *);
int progress(void *, long, long, long, long);
void curlNegatives(CURL *fromCaller) {
  CURL *a = curl_easy_init();
  curl_easy_setopt(a, CURLOPT_TIMEOUT, 10L);
  curl_easy_perform(a);
  CURL *b = curl_easy_init();
  curl_easy_setopt(b, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(b, CURLOPT_LOW_SPEED_TIME, 30L);
  curl_easy_perform(b);
  CURL *c = curl_easy_init();
  helperSetsTimeout(c);
  curl_easy_perform(c);
  CURL *d = makeBoundedHandle();
  curl_easy_perform(d);
  CURL *e = curl_easy_duphandle(a);
  curl_easy_perform(e);
  curl_easy_perform(fromCaller);          // from a caller: nothing to conclude
  CURL *f = curl_easy_init();
  unknownSetup(f);                        // escapes to unknown code
  curl_easy_perform(f);
  CURL *g = curl_easy_init();              // a progress callback may abort it
  curl_easy_setopt(g, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_perform(g);
}

// Other libcurl API calls (curl_mime_init, ...) do not hide the handle.
void mimeUpload() {
  CURL *h = curl_easy_init();
  curl_mime *form = curl_mime_init(h);
  (void)form;
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // CHECK: :[[@LINE-5]]:13: note: 'h' created here
}

//===--- gRPC -------------------------------------------------------------===//

void callGreeter(helloworld::Greeter::Stub *stub) {
  grpc::ClientContext ctx;
  helloworld::HelloRequest req;
  helloworld::HelloReply reply;
  grpc::Status s = stub->SayHello(&ctx, req, &reply);
  // CHECK: :[[@LINE-1]]:20: warning: gRPC call without a deadline{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-5]]:23: note: 'ctx' declared here
  (void)s;
}

void streaming(helloworld::Greeter::Stub &stub) {
  grpc::ClientContext context;
  auto *reader = stub.ListGreetings(&context, {});
  // CHECK: :[[@LINE-1]]:18: warning: gRPC call without a deadline
  // CHECK: :[[@LINE-3]]:23: note: 'context' declared here
  (void)reader;
}

void setDeadline(grpc::ClientContext &c) { c.set_deadline(std::chrono::seconds(1)); }
void grpcNegatives(helloworld::Greeter::Stub *stub, grpc::ClientContext *fromCaller) {
  grpc::ClientContext a;
  a.set_deadline(std::chrono::seconds(5));
  stub->SayHello(&a, {}, nullptr);
  grpc::ClientContext b;
  setDeadline(b);
  stub->SayHello(&b, {}, nullptr);
  stub->SayHello(fromCaller, {}, nullptr);
}

// An application class that happens to be called ClientContext is not gRPC's.
namespace app { struct ClientContext {}; struct Api { void Call(ClientContext *); }; }
void notGrpc(app::Api &api) { app::ClientContext c; api.Call(&c); }

//===--- Beast / asio -----------------------------------------------------===//

namespace http = boost::beast::http;
class Session {
public:
  explicit Session(boost::asio::io_context &io) : stream_(io) {}
  void read() {
    http::async_read(stream_, buffer_, res_, [](boost::beast::error_code, unsigned long) {});
    // CHECK-DAG: :[[@LINE-1]]:5: warning: Beast stream operation with no time limit{{.*}}[taskleak-client-without-timeout]
  }

private:
  boost::beast::flat_buffer buffer_;
  http::response<http::string_body> res_;
  boost::beast::tcp_stream stream_;
  // CHECK-DAG: :[[@LINE-1]]:28: note: 'stream_' declared here
};

class TimedSession {
public:
  void write() {
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, req_, [](boost::beast::error_code, unsigned long) {});
  }
  void read() { http::async_read(stream_, buffer_, res_, [](boost::beast::error_code, unsigned long) {}); }

private:
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  boost::beast::tcp_stream stream_;
};

void rawSocket(boost::asio::io_context &io) {
  boost::asio::ip::tcp::socket sock(io);
  boost::asio::mutable_buffer buf;
  boost::asio::read(sock, buf);
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout
  // CHECK: :[[@LINE-4]]:32: note: 'sock' declared here
}

void rawSocketNegatives(boost::asio::io_context &io) {
  boost::asio::ip::tcp::socket sock(io);
  int fd = sock.native_handle();   // setsockopt(fd, SO_RCVTIMEO, ...) possible
  (void)fd;
  boost::asio::mutable_buffer buf;
  boost::asio::read(sock, buf);
  // A timer that closes the socket when it fires bounds the read (a timer
  // that is merely declared bounds nothing: test/checkers/async-precision.cpp).
  boost::asio::ip::tcp::socket other(io);
  boost::asio::steady_timer timer(io);
  timer.async_wait([&other](const boost::system::error_code &) { other.close(); });
  boost::asio::async_read(other, buf, [](boost::system::error_code, unsigned long) {});
}

// A stream held by reference belongs to whoever constructed us.
struct EchoOp {
  boost::asio::ip::tcp::socket &stream_;
  boost::asio::mutable_buffer buf;
  void run() { boost::asio::read(stream_, buf); }
};

class Ws {
public:
  void read() {
    ws_.async_read(buffer_, [](boost::beast::error_code, unsigned long) {});
    // CHECK-DAG: :[[@LINE-1]]:5: warning: websocket operation with no timeout
  }
  boost::beast::flat_buffer buffer_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  // CHECK-DAG: :[[@LINE-1]]:61: note: 'ws_' declared here
};
class WsGood {
public:
  void start() { ws_.set_option(boost::beast::websocket::stream_base::timeout::suggested(0)); }
  void read() { ws_.async_read(buffer_, [](boost::beast::error_code, unsigned long) {}); }
  boost::beast::flat_buffer buffer_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
};
class WsLowestLayer {
public:
  void read() {
    boost::beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    ws_.async_read(buffer_, [](boost::beast::error_code, unsigned long) {});
  }
  boost::beast::flat_buffer buffer_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
};

//===--- cpr and cpp-httplib ----------------------------------------------===//

void cprCalls() {
  cpr::Get(cpr::Url{"http://example.com"});
  // CHECK: :[[@LINE-1]]:3: warning: cpr request without cpr::Timeout or cpr::LowSpeed
  cpr::Get(cpr::Url{"http://example.com"}, cpr::Timeout{1000});
  cpr::Session s;
  s.SetTimeout(cpr::Timeout{500});
  s.Get();
}

void httplibDefaultsAreBounded() {
  httplib::Client cli("http://example.com");
  cli.Get("/");
}
void httplibZero() {
  httplib::Client cli("http://example.com");
  cli.set_read_timeout(0, 0);
  cli.Get("/");
  // CHECK: :[[@LINE-1]]:3: warning: cpp-httplib request on a client whose timeouts were set to zero
  // CHECK: :[[@LINE-4]]:19: note: 'cli' declared here
  // CHECK: :[[@LINE-4]]:3: note: set_read_timeout is set to zero, which disables the bound
}

//===--- Configuration: TimeoutSetters ------------------------------------===//
// Reads its defaults from a file at run time; taskleak cannot see that.
namespace net { void applyDefaults(CURL *h) { curl_easy_setopt(h, CURLOPT_URL, "x"); } }
void withSetter() {
  CURL *h = curl_easy_init();
  net::applyDefaults(h);
  curl_easy_perform(h);
  // DEFAULT: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout
  // DEFAULT: :[[@LINE-4]]:13: note: 'h' created here
}

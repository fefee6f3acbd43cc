// taskleak-client-without-timeout against the real Debian headers of
// libcurl, gRPC, Boost.Beast and cpp-httplib.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %s -- -std=c++17 \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'
// RUN: %clangxx -std=c++17 -fsyntax-only %s

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <curl/curl.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/async_unary_call.h>
#include <httplib.h>

// Seed: http.Get with the default client.
std::string fetch(const char *url) {
  CURL *curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  CURLcode rc = curl_easy_perform(curl);
  // CHECK: :[[@LINE-1]]:17: warning: libcurl transfer has no overall timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-5]]:16: note: 'curl' created here
  // CHECK: :[[@LINE-4]]:3: note: CURLOPT_CONNECTTIMEOUT bounds only the connection phase, not the transfer
  // CHECK: curl.h:{{[0-9]+}}:{{[0-9]+}}: note: expanded from macro 'curl_easy_setopt'
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? "ok" : "failed";
}
// Fixed: a bound on the whole transfer.
std::string fetchFixed(const char *url) {
  CURL *curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? "ok" : "failed";
}

// The shape grpc_cpp_plugin generates for `service Greeter`, written out so
// the test needs no protoc run; it uses the real grpc:: types.
namespace helloworld {
struct HelloRequest {};
struct HelloReply {};
class Greeter final {
public:
  class Stub final {
  public:
    ::grpc::Status SayHello(::grpc::ClientContext *context, const HelloRequest &request, HelloReply *response);
    std::unique_ptr<::grpc::ClientAsyncResponseReader<HelloReply>> AsyncSayHello(::grpc::ClientContext *context, const HelloRequest &request, ::grpc::CompletionQueue *cq);
  };
};
} // namespace helloworld

void greet(helloworld::Greeter::Stub &stub) {
  grpc::ClientContext context;
  helloworld::HelloReply reply;
  grpc::Status status = stub.SayHello(&context, {}, &reply);
  // CHECK: :[[@LINE-1]]:25: warning: gRPC call without a deadline{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-4]]:23: note: 'context' declared here
}
void greetFixed(helloworld::Greeter::Stub &stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  helloworld::HelloReply reply;
  grpc::Status status = stub.SayHello(&context, {}, &reply);
}

// Issue 16: the asynchronous API waits in CompletionQueue::Next().
void greetAsync(helloworld::Greeter::Stub &stub) {
  grpc::ClientContext context;
  grpc::CompletionQueue cq;
  auto rpc = stub.AsyncSayHello(&context, {}, &cq);
  // CHECK: :[[@LINE-1]]:14: warning: gRPC call without a deadline{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-4]]:23: note: 'context' declared here
  // CHECK: :[[@LINE+6]]:3: note: 'cq' waits here for the call, with no time limit
  helloworld::HelloReply reply;
  grpc::Status status;
  rpc->Finish(&reply, &status, reinterpret_cast<void *>(1));
  void *tag;
  bool ok;
  cq.Next(&tag, &ok);
}
void greetAsyncFixed(helloworld::Greeter::Stub &stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::CompletionQueue cq;
  auto rpc = stub.AsyncSayHello(&context, {}, &cq);
  helloworld::HelloReply reply;
  grpc::Status status;
  rpc->Finish(&reply, &status, reinterpret_cast<void *>(1));
  void *tag;
  bool ok;
  cq.Next(&tag, &ok);
}
// Drained with AsyncNext and a deadline: the waiting thread is bounded.
void greetAsyncNext(helloworld::Greeter::Stub &stub) {
  grpc::ClientContext context;
  grpc::CompletionQueue cq;
  auto rpc = stub.AsyncSayHello(&context, {}, &cq);
  helloworld::HelloReply reply;
  grpc::Status status;
  rpc->Finish(&reply, &status, reinterpret_cast<void *>(1));
  void *tag;
  bool ok;
  cq.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + std::chrono::seconds(5));
}

namespace beast = boost::beast;
namespace http = beast::http;
class Client {
public:
  explicit Client(boost::asio::io_context &io) : stream_(io) {}
  void read() {
    http::async_read(stream_, buffer_, res_, [](beast::error_code, std::size_t) {});
    // CHECK: :[[@LINE-1]]:5: warning: Beast stream operation with no time limit{{.*}}[taskleak-client-without-timeout]
    // CHECK: :[[@LINE+5]]:21: note: 'stream_' declared here
  }

private:
  beast::flat_buffer buffer_;
  beast::tcp_stream stream_;
  http::response<http::string_body> res_;
};
class ClientFixed {
public:
  explicit ClientFixed(boost::asio::io_context &io) : stream_(io) {}
  void read() {
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, res_, [](beast::error_code, std::size_t) {});
  }

private:
  beast::flat_buffer buffer_;
  beast::tcp_stream stream_;
  http::response<http::string_body> res_;
};

void syncRead(boost::asio::io_context &io) {
  boost::asio::ip::tcp::socket socket(io);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  // CHECK: :[[@LINE-1]]:3: warning: operation on a raw asio socket, which has no timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-5]]:32: note: 'socket' declared here
}

// (A loopback URL would be silent by default: ReportLoopback.)
void httplibZero() {
  httplib::Client cli("http://example.com:8080");
  cli.set_read_timeout(0, 0);
  auto res = cli.Get("/");
  // CHECK: :[[@LINE-1]]:14: warning: cpp-httplib request on a client whose timeouts were set to zero{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-4]]:19: note: 'cli' declared here
  // CHECK: :[[@LINE-4]]:3: note: set_read_timeout is set to zero, which disables the bound
}
void httplibDefaults() {
  httplib::Client cli("http://localhost:8080");
  auto res = cli.Get("/");
}

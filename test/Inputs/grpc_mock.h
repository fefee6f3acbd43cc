#pragma once
#include "std_mock.h"
namespace grpc {
class Status {
public:
  bool ok() const;
};
class ClientContext {
public:
  template <class T> void set_deadline(const T &) {}
  void AddMetadata(const char *, const char *);
};
class CompletionQueue {
public:
  enum NextStatus { SHUTDOWN, GOT_EVENT, TIMEOUT };
  bool Next(void **tag, bool *ok);
  template <class T> NextStatus AsyncNext(void **tag, bool *ok, const T &deadline);
  void Shutdown();
};
template <class R> class ClientAsyncResponseReader {
public:
  void StartCall();
  void Finish(R *, Status *, void *tag);
};
template <class R> class ClientReader {
public:
  bool Read(R *);
};
} // namespace grpc
// What protoc's grpc_cpp_plugin generates for `service Greeter`.
namespace helloworld {
struct HelloRequest {};
struct HelloReply {};
class Greeter {
public:
  class Stub {
  public:
    grpc::Status SayHello(grpc::ClientContext *context, const HelloRequest &request, HelloReply *response);
    grpc::ClientReader<HelloReply> *ListGreetings(grpc::ClientContext *context, const HelloRequest &request);
    grpc::ClientAsyncResponseReader<HelloReply> *PrepareAsyncSayHello(grpc::ClientContext *context, const HelloRequest &request, grpc::CompletionQueue *cq);
  };
};
} // namespace helloworld

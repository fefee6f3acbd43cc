#pragma once
#include "std_mock.h"
namespace httplib {
struct Result {};
class Client {
public:
  explicit Client(const char *);
  Result Get(const char *);
  Result Post(const char *, const char *, const char *);
  void set_read_timeout(long sec, long usec = 0);
  void set_connection_timeout(long sec, long usec = 0);
};
} // namespace httplib
namespace cpr {
struct Url { const char *u; };
struct Timeout {
  Timeout(long ms);
  long ms;
};
struct ConnectTimeout {
  ConnectTimeout(long ms);
  long ms;
};
struct LowSpeed { long limit, time; };
struct Response {};
template <class... Ts> Response Get(Ts &&...ts) { return {}; }
template <class... Ts> Response Post(Ts &&...ts) { return {}; }
class Session {
public:
  void SetUrl(const Url &);
  void SetTimeout(const Timeout &);
  void SetConnectTimeout(const ConnectTimeout &);
  Response Get();
  template <class... Ts> Response Download(Ts &&...);
};
// cpr 1.9+: performs the sessions added to it at once.
enum class HttpMethod { UNDEFINED, GET_REQUEST, POST_REQUEST };
class MultiPerform {
public:
  void AddSession(std::shared_ptr<Session> &session,
                  HttpMethod method = HttpMethod::UNDEFINED);
  void RemoveSession(const std::shared_ptr<Session> &session);
  std::vector<Response> Get();
  std::vector<Response> Post();
  std::vector<Response> Perform();
};
} // namespace cpr

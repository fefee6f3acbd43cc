// With DefaultTimeoutMs, the fix-it inserts a timeout before the blocking
// statement; the result compiles and is clean. Without it, no fix-it.
// RUN: cp %s %t.cpp
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' --fix \
// RUN:   --config="{CheckOptions: {taskleak-client-without-timeout.DefaultTimeoutMs: 2500}}" \
// RUN:   %t.cpp -- %mock_flags
// RUN: FileCheck %s --check-prefix=FIXED < %t.cpp
// RUN: %clangxx -fsyntax-only %mock_flags %t.cpp
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %t.cpp -- %mock_flags \
// RUN:   | FileCheck %s --check-prefix=CLEAN --allow-empty
// CLEAN-NOT: warning:
// RUN: cp %s %t.nofix.cpp
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' --fix %t.nofix.cpp -- %mock_flags
// RUN: diff %s %t.nofix.cpp
// RUN: %not %clang_tidy --checks='-*,taskleak-client-without-timeout' \
// RUN:   --config="{CheckOptions: {taskleak-client-without-timeout.DefaultTimeoutMs: -5}}" \
// RUN:   %s -- %mock_flags 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: option 'DefaultTimeoutMs' of check 'taskleak-client-without-timeout' must be a positive number of milliseconds, or 0 for no fix-it

#include "curl_mock.h"
#include "grpc_mock.h"
#include "net_mock.h"

void fetch() {
  CURL *curl = curl_easy_init();
  CURLcode rc = curl_easy_perform(curl);
  // FIXED: {{^}}  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 2500L);{{$}}
  // FIXED-NEXT: {{^}}  CURLcode rc = curl_easy_perform(curl);{{$}}
  (void)rc;
}

void call(helloworld::Greeter::Stub *stub) {
  grpc::ClientContext ctx;
  stub->SayHello(&ctx, {}, nullptr);
  // FIXED: {{^}}  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(2500));{{$}}
  // FIXED-NEXT: {{^}}  stub->SayHello(&ctx, {}, nullptr);{{$}}
}

void read(boost::beast::tcp_stream &s, boost::beast::flat_buffer &b,
          boost::beast::http::response<boost::beast::http::string_body> &r) {
  boost::beast::tcp_stream local(*(boost::asio::io_context *)nullptr);
  boost::beast::http::async_read(local, b, r, [](boost::beast::error_code, unsigned long) {});
  // FIXED: {{^}}  local.expires_after(std::chrono::milliseconds(2500));{{$}}
  // FIXED-NEXT: {{^}}  boost::beast::http::async_read(local, b, r,
}

// Known wrong answers of the timeout model behind
// taskleak-client-without-timeout, pinned by a positive (must be reported) and
// negatives (must stay silent). A timeout bounds a transfer only when it is set
// on every path that reaches the transfer.
// RUN: %clang_tidy --checks='-*,taskleak-client-without-timeout' %s -- %mock_flags \
// RUN:   | FileCheck %s -implicit-check-not='{{warning|note|error}}:'

#include "curl_mock.h"
#include "net_mock.h"

// Bug 4 (positive): the timeout is set on one branch only; "set earlier in source order" is not "set on every path".
void fetchMaybeBounded(const char *url, bool fast) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  if (fast)
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
  curl_easy_perform(h);
  // CHECK: :[[@LINE-1]]:3: warning: libcurl transfer has no overall timeout{{.*}}[taskleak-client-without-timeout]
  // CHECK: :[[@LINE-6]]:13: note: 'h' created here
  curl_easy_cleanup(h);
}

// Bug 4 (negative): a timeout set on both branches.
void fetchBothBranches(const char *url, bool fast) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  if (fast)
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
  else
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_perform(h);
  curl_easy_cleanup(h);
}

// Bug 4 (negative): a timeout set unconditionally before the transfer.
void fetchBounded(const char *url, bool fast) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
  if (fast)
    curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_perform(h);
  curl_easy_cleanup(h);
}

//===--- A stream held through a pointer ----------------------------------===//

// Negative: a socket held through a shared_ptr member comes from wherever the
// pointer was set (an accepted connection handed in): nothing to conclude.
struct PointerHeldSocket {
  std::shared_ptr<boost::asio::ip::tcp::socket> sock_;
  void read() {
    char buf[16];
    boost::asio::read(*sock_, boost::asio::mutable_buffer{});
    (void)buf;
  }
};

// Go's `go func() { http.Get(url) }()`: a worker thread fetching with
// libcurl's default of no timeout. `tools/taskleak` analyses this file too.
#include <curl/curl.h>

#include <string>
#include <thread>

static size_t collect(char *data, size_t size, size_t count, void *out) {
  static_cast<std::string *>(out)->append(data, size * count);
  return size * count;
}

// LEAK (taskleak-client-without-timeout): a connect timeout bounds only the
// connection; a server that accepts and then stalls hangs the worker.
std::string fetch(const std::string &url) {
  std::string body;
  CURL *curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  return body;
}

// Fixed: the whole exchange is bounded.
std::string fetchFixed(const std::string &url) {
  std::string body;
  CURL *curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  return body;
}

int main() {
  std::thread worker([] { fetch("http://localhost:8080/slow"); });
  std::thread fixed([] { fetchFixed("http://localhost:8080/slow"); });
  worker.join();
  fixed.join();
}

#pragma once
extern "C" {
typedef void CURL;
typedef void CURLM;
typedef long long curl_off_t;
typedef enum { CURLE_OK = 0 } CURLcode;
typedef enum {
  CURLOPT_URL = 10002,
  CURLOPT_TIMEOUT = 13,
  CURLOPT_LOW_SPEED_LIMIT = 19,
  CURLOPT_LOW_SPEED_TIME = 20,
  CURLOPT_CONNECTTIMEOUT = 78,
  CURLOPT_TIMEOUT_MS = 155,
  CURLOPT_CONNECTTIMEOUT_MS = 156,
  CURLOPT_XFERINFOFUNCTION = 20219,
  CURLOPT_PROGRESSFUNCTION = 20056,
  CURLOPT_NOPROGRESS = 43,
} CURLoption;
CURL *curl_easy_init(void);
CURL *curl_easy_duphandle(CURL *);
CURLcode curl_easy_setopt(CURL *, CURLoption, ...);
CURLcode curl_easy_perform(CURL *);
void curl_easy_cleanup(CURL *);
typedef struct curl_mime curl_mime;
curl_mime *curl_mime_init(CURL *);
CURLM *curl_multi_init(void);
int curl_multi_add_handle(CURLM *, CURL *);
}

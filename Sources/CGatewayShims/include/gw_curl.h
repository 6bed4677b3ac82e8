#ifndef GW_CURL_H
#define GW_CURL_H

#include <curl/curl.h>

CURLcode gw_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode gw_curl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value);
CURLcode gw_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode gw_curl_easy_setopt_write_function(CURL *handle, CURLoption option,
                                            size_t (*callback)(char *, size_t, size_t, void *));
CURLcode gw_curl_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length);

CURLcode gw_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode gw_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode gw_curl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);
CURLcode gw_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

CURLMcode gw_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

#endif

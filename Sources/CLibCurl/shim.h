// The system's libcurl (libcurl4-openssl-dev): its easy interface, one blocking transfer per
// call. curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these
// typed wrappers are the only way in.
#ifndef RELDASH_CLIBCURL_SHIM_H
#define RELDASH_CLIBCURL_SHIM_H

#include <curl/curl.h>

typedef size_t (*reldash_curl_write_fn)(char *data, size_t size, size_t count, void *context);
typedef int (*reldash_curl_progress_fn)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                        curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode reldash_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode reldash_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode reldash_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode reldash_curl_set_headers(CURL *handle, struct curl_slist *headers) {
    return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
}

static inline CURLcode reldash_curl_set_write(CURL *handle, reldash_curl_write_fn function) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, function);
}

static inline CURLcode reldash_curl_set_progress(CURL *handle, reldash_curl_progress_fn function) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, function);
}

static inline CURLcode reldash_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif

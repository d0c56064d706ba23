/* encoding.h - reading the Accept-Encoding and If-None-Match request headers (RFC 9110). */
#ifndef BOOKD_HTTP_ENCODING_H
#define BOOKD_HTTP_ENCODING_H

#include <stdbool.h>

/* Whether the Accept-Encoding value header accepts coding ("br", "gzip") with a q-value
 * above 0: named itself (any case, "x-gzip" counting as "gzip"), or else through "*".
 * A coding named with q=0 is refused even when "*" would allow it. NULL or an empty header
 * accepts nothing but identity, so false. Pure; thread-safe. */
bool http_accepts_encoding(const char *header, const char *coding);

/* Whether the If-None-Match value header names etag (a quoted entity tag such as "\"ab12\"")
 * or is "*"; weak tags (W/"...") compare by their opaque part. NULL: false. Pure. */
bool http_etag_matches(const char *header, const char *etag);

#endif

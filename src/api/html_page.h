/* html_page.h - the few pages bookd writes itself (reminder opt-out, email confirmation,
 * password reset): one skeleton, one set of headers. No script: the CSP allows none. */
#ifndef BOOKD_API_HTML_PAGE_H
#define BOOKD_API_HTML_PAGE_H

#include "base/buf.h"
#include "http/request.h"

/* Starts *b (initialised here) with the page's head, its style and an opening <main> with an
 * <h1> of title (HTML-escaped). */
void html_page_start(buf *b, const char *title);
/* Closes the page, answers it with code and the pages' headers (no caching, no framing, no
 * script, no referrer), and frees *b. */
void html_page_send(http_req *r, int code, buf *b);

#endif

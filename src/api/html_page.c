/* html_page.c - the skeleton and headers of the pages bookd writes itself. */
#include "api/html_page.h"

#include "notify/template.h"

#define HTML_PAGE_MAX (64u << 10) /* these pages are a form or a few sentences */

void html_page_start(buf *b, const char *title)
{
	buf_init(b, HTML_PAGE_MAX);
	buf_adds(b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
		    "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta "
		    "name=\"robots\" content=\"noindex\"><title>");
	tmpl_escape_html(b, title);
	buf_adds(b, "</title><style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:"
		    "2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f}label{display:block;"
		    "margin:.8rem 0 .2rem}input{font:inherit;width:100%;padding:.4rem;box-sizing:"
		    "border-box}button{font:inherit;margin-top:1rem;padding:.6rem 1rem;border-"
		    "radius:.5rem;border:1px solid #888;background:#fff;cursor:pointer}.e{background:"
		    "#fdeceb;padding:.6rem}</style></head><body><main><h1>");
	tmpl_escape_html(b, title);
	buf_adds(b, "</h1>");
}

void html_page_send(http_req *r, int code, buf *b)
{
	buf_adds(b, "</main></body></html>");
	http_text(r, code, "text/html; charset=utf-8", b->data, b->len);
	http_add_header(r, "Cache-Control", "no-store");
	/* frame-ancestors: default-src does not cover framing, and the pages have buttons. */
	http_add_header(r, "Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
			"frame-ancestors 'none'; base-uri 'none'");
	http_add_header(r, "X-Frame-Options", "DENY");
	http_add_header(r, "Referrer-Policy", "no-referrer");
	buf_free(b);
}

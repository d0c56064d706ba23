/* message_pages.c - the server-written pages that links in messages open, without a login:
 * the reminder opt-out (asking on GET, doing it on POST). A booking's own page
 * (/b/{reference}) is the web app's (api/web.c). Every value passes tmpl_escape_html. */
#include <string.h>

#include "api/app.h"
#include "api/common.h"
#include "api/handlers.h"
#include "notify/template.h"
#include "store/outbox.h"
#include "store/secrets.h"

#define PAGE_HEAD                                                                              \
	"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" " \
	"content=\"width=device-width, initial-scale=1\"><title>"
#define PAGE_STYLE                                                                             \
	"</title><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;"  \
	"padding:0 1rem;line-height:1.5;color:#1d1d1f}button{font:inherit;padding:.6rem 1rem;"     \
	"border-radius:.5rem;border:1px solid #888;background:#fff;cursor:pointer}</style></head>" \
	"<body>"

static void page_send(http_req *r, int code, buf *b)
{
	buf_adds(b, "</body></html>");
	http_text(r, code, "text/html; charset=utf-8", b->data, b->len);
	http_add_header(r, "Cache-Control", "no-store");
	/* frame-ancestors: default-src does not cover framing, and the page has a button. */
	http_add_header(r, "Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
			"frame-ancestors 'none'");
	http_add_header(r, "X-Frame-Options", "DENY");
	http_add_header(r, "Referrer-Policy", "no-referrer");
	buf_free(b);
}

static void page_start(buf *b, const char *title)
{
	buf_init(b, 1u << 20);
	buf_adds(b, PAGE_HEAD);
	tmpl_escape_html(b, title);
	buf_adds(b, PAGE_STYLE);
}

/* The customer named by ?b=&c= when ?token= is their opt-out link token; else false. */
static bool opt_out_auth(http_req *r, db_conn *c, const char **bid, const char **cid)
{
	*bid = http_query(r, "b");
	*cid = http_query(r, "c");
	if (!*bid || !*cid)
		return false;
	const char *subject = arena_printf(r->arena, "%s:%s", *bid, *cid);
	return store_link_ok(c, "optout", subject, http_query(r, "token"), r->now, r->arena);
}

static void opt_out_invalid(http_req *r)
{
	buf p;
	page_start(&p, "Reminders");
	buf_adds(&p, "<h1>Link not valid</h1><p>This opt-out link is not valid.</p>");
	page_send(r, 404, &p);
}

/* GET: a page that asks; POST does it (mail scanners that open links change nothing). */
void notify_opt_out(http_req *r)
{
	app *ap = r->app;
	const char *bid, *cid;
	db_conn *c = db_acquire(ap->db);
	bool ok = opt_out_auth(r, c, &bid, &cid);
	db_release(ap->db, c);
	if (!ok) {
		opt_out_invalid(r);
		return;
	}
	buf p;
	page_start(&p, "Reminders");
	buf_adds(&p, "<h1>Stop reminders?</h1><p>You will still get confirmations and changes of "
		     "your bookings.</p><form method=\"post\" action=\"/api/v1/public/notifications/"
		     "opt-out?b=");
	tmpl_escape_html(&p, bid);
	buf_adds(&p, "&amp;c=");
	tmpl_escape_html(&p, cid);
	buf_adds(&p, "&amp;token=");
	tmpl_escape_html(&p, http_query(r, "token"));
	buf_adds(&p, "\"><button type=\"submit\">Stop reminders</button></form>");
	page_send(r, 200, &p);
}

void notify_opt_out_post(http_req *r)
{
	app *ap = r->app;
	const char *bid, *cid;
	db_conn *c = db_acquire(ap->db);
	status st = opt_out_auth(r, c, &bid, &cid) ? outbox_opt_out(c, bid, cid, r->now)
						    : STATUS_NOT_FOUND;
	db_release(ap->db, c);
	if (st != STATUS_OK) {
		opt_out_invalid(r);
		return;
	}
	buf p;
	page_start(&p, "Reminders");
	buf_adds(&p, "<h1>No more reminders</h1><p>You will not get reminders of your bookings "
		     "any more. Confirmations and changes still reach you.</p>");
	page_send(r, 200, &p);
}

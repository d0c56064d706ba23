/* manage_page.c - the pages that links in messages open, without a login: a booking's own
 * page (/b/{reference}?t=LINK_TOKEN) with its calendar entry and a cancel button, and the
 * reminder opt-out. Server-written HTML; every value passes tmpl_escape_html. */
#include <string.h>

#include "api/app.h"
#include "api/common.h"
#include "api/handlers.h"
#include "api/live.h"
#include "core/tz.h"
#include "notify/template.h"
#include "store/book.h"
#include "store/booking.h"
#include "store/business.h"
#include "store/catalog.h"
#include "store/outbox.h"
#include "store/secrets.h"

#define PAGE_HEAD                                                                              \
	"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" " \
	"content=\"width=device-width, initial-scale=1\"><title>"
#define PAGE_STYLE                                                                             \
	"</title><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;"  \
	"padding:0 1rem;line-height:1.5;color:#1d1d1f}dt{color:#555;font-size:.9rem}dd{margin:0 0 " \
	".8rem}button,a.b{font:inherit;padding:.6rem 1rem;border-radius:.5rem;border:1px solid "    \
	"#888;background:#fff;cursor:pointer;text-decoration:none;color:inherit;display:inline-block}" \
	"button.x{border-color:#b00020;color:#b00020}.n{padding:.8rem;border-radius:.5rem;"         \
	"background:#eef6ee}.e{background:#fdeceb}</style></head><body>"

static void page_send(http_req *r, int code, buf *b)
{
	buf_adds(b, "</body></html>");
	http_text(r, code, "text/html; charset=utf-8", b->data, b->len);
	http_add_header(r, "Cache-Control", "no-store");
	/* frame-ancestors: default-src does not cover framing, and the page has a cancel button. */
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

static void page_not_found(http_req *r)
{
	buf b;
	page_start(&b, "Booking not found");
	buf_adds(&b, "<h1>Booking not found</h1><p>This link is not valid. Check the latest message "
		     "we sent you.</p>");
	page_send(r, 404, &b);
}

/* The booking of {reference} when ?t= is its link token; otherwise answers 404. */
static bool page_auth(http_req *r, db_conn *c, business *b, booking *bk, const char **token)
{
	const char *ref = http_param(r, "reference"), *t = http_query(r, "t"), *bid;
	bool ok = ref && t && store_booking_by_reference(c, ref, r->arena, bk, &bid) == STATUS_OK &&
		  store_link_ok(c, "manage", bk->id, t, r->now, r->arena) &&
		  store_business_by_id(c, bid, r->arena, b) == STATUS_OK;
	*token = t;
	if (!ok)
		page_not_found(r);
	return ok;
}

static void page_booking(http_req *r, db_conn *c, const business *b, const booking *bk,
			 const char *token, const char *notice, bool error)
{
	service svc;
	provider who = {0};
	if (store_service_get(c, b->id, bk->service_id, r->arena, &svc) != STATUS_OK) {
		page_not_found(r);
		return;
	}
	if (bk->provider_id)
		store_provider_get(c, b->id, bk->provider_id, r->arena, &who);
	const tz *z = tz_get(b->timezone);
	char start[TZ_RFC3339_SIZE];
	tz_format_rfc3339(z, bk->start_at, start);
	civil s = tz_to_civil(z, bk->start_at), e = tz_to_civil(z, bk->end_at);
	buf p;
	page_start(&p, b->name);
	buf_adds(&p, "<h1>");
	tmpl_escape_html(&p, b->name);
	buf_adds(&p, "</h1>");
	if (notice) {
		buf_printf(&p, "<p class=\"n%s\" role=\"status\">", error ? " e" : "");
		tmpl_escape_html(&p, notice);
		buf_adds(&p, "</p>");
	}
	buf_adds(&p, "<dl><dt>Booking</dt><dd>");
	tmpl_escape_html(&p, bk->reference);
	buf_adds(&p, " &middot; ");
	tmpl_escape_html(&p, booking_status_name(bk->status));
	buf_adds(&p, "</dd><dt>Service</dt><dd>");
	tmpl_escape_html(&p, svc.name);
	if (who.name) {
		buf_adds(&p, " with ");
		tmpl_escape_html(&p, who.name);
	}
	buf_printf(&p, "</dd><dt>When</dt><dd><time datetime=\"%s\">%04d-%02d-%02d %02d:%02d&ndash;"
		       "%02d:%02d</time> (", start, s.year, s.month, s.day, s.hour, s.min, e.hour, e.min);
	tmpl_escape_html(&p, b->timezone);
	buf_adds(&p, ")</dd><dt>Where</dt><dd>");
	tmpl_escape_html(&p, b->address);
	buf_adds(&p, "</dd></dl><p><a class=\"b\" href=\"/api/v1/public/bookings/");
	tmpl_escape_html(&p, bk->reference);
	buf_adds(&p, "/calendar.ics?t=");
	tmpl_escape_html(&p, token);
	buf_adds(&p, "\">Add to calendar</a></p>");
	if (bk->status == BOOKING_CONFIRMED || bk->status == BOOKING_PENDING) {
		buf_adds(&p, "<form method=\"post\" action=\"/b/");
		tmpl_escape_html(&p, bk->reference);
		buf_adds(&p, "/cancel?t=");
		tmpl_escape_html(&p, token);
		buf_adds(&p, "\"><button class=\"x\" type=\"submit\">Cancel this booking</button></form>");
	}
	page_send(r, 200, &p);
}

void manage_page_get(http_req *r)
{
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	business b;
	booking bk;
	const char *token;
	if (page_auth(r, c, &b, &bk, &token))
		page_booking(r, c, &b, &bk, token, NULL, false);
	db_release(ap->db, c);
}

void manage_page_cancel(http_req *r)
{
	app *ap = r->app;
	db_conn *c = db_acquire(ap->db);
	business b;
	booking bk;
	const char *token;
	if (!page_auth(r, c, &b, &bk, &token)) {
		db_release(ap->db, c);
		return;
	}
	book_result res;
	status st = book_cancel(c, &b, bk.id, "customer", "cancelled from the booking page", true,
				r->now, r->arena, &res);
	if (st == STATUS_OK) {
		live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
				     res.b.busy_end, r->arena);
		live_booking_event(c, &b, &res.b, false, NULL, r->arena);
		const char *msg = arena_printf(r->arena, "Your booking is cancelled. Refund: %d%%.",
					       res.refund_percent);
		page_booking(r, c, &b, &res.b, token, msg, false);
	} else {
		page_booking(r, c, &b, &bk, token,
			     res.why ? res.why : "The booking could not be cancelled.", true);
	}
	db_release(ap->db, c);
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

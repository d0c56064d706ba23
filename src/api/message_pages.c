/* message_pages.c - the server-written pages that links in messages open, without a login:
 * the reminder opt-out and the confirmation of a booking waiting for it (confirm_by_email),
 * each asking on GET and doing it on POST. A booking's own page
 * (/b/{reference}) is the web app's (api/web.c). Every value passes tmpl_escape_html. */
#include <string.h>

#include "api/app.h"
#include "api/common.h"
#include "api/handlers.h"
#include "api/live.h"
#include "store/book.h"
#include "store/booking.h"
#include "store/business.h"
#include "api/html_page.h"
#include "notify/template.h"
#include "store/outbox.h"
#include "store/secrets.h"

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
	html_page_start(&p, "Link not valid");
	buf_adds(&p, "<p>This opt-out link is not valid.</p>");
	html_page_send(r, 404, &p);
}

/* GET: a page that asks; POST does it (mail scanners that open links change nothing). */
void notify_opt_out(http_req *r)
{
	const char *bid, *cid;
	db_conn *c = app_db(r);
	bool ok = opt_out_auth(r, c, &bid, &cid);
	if (!ok) {
		opt_out_invalid(r);
		return;
	}
	buf p;
	html_page_start(&p, "Stop reminders?");
	buf_adds(&p, "<p>You will still get confirmations and changes of "
		     "your bookings.</p><form method=\"post\" action=\"/api/v1/public/notifications/"
		     "opt-out?b=");
	tmpl_escape_html(&p, bid);
	buf_adds(&p, "&amp;c=");
	tmpl_escape_html(&p, cid);
	buf_adds(&p, "&amp;token=");
	tmpl_escape_html(&p, http_query(r, "token"));
	buf_adds(&p, "\"><button type=\"submit\">Stop reminders</button></form>");
	html_page_send(r, 200, &p);
}

void notify_opt_out_post(http_req *r)
{
	const char *bid, *cid;
	db_conn *c = app_db(r);
	status st = opt_out_auth(r, c, &bid, &cid) ? outbox_opt_out(c, bid, cid, r->now)
						    : STATUS_NOT_FOUND;
	if (st != STATUS_OK) {
		opt_out_invalid(r);
		return;
	}
	buf p;
	html_page_start(&p, "No more reminders");
	buf_adds(&p, "<p>You will not get reminders of your bookings "
		     "any more. Confirmations and changes still reach you.</p>");
	html_page_send(r, 200, &p);
}

/* The booking of {reference} when ?t= is its link token (the email's); else false. */
static bool confirm_auth(http_req *r, db_conn *c, business *b, booking *bk)
{
	const char *ref = http_param(r, "reference"), *t = http_query(r, "t"), *bid;
	return ref && t && store_booking_by_reference(c, ref, r->arena, bk, &bid) == STATUS_OK &&
	       store_link_ok(c, "manage", bk->id, t, r->now, r->arena) &&
	       store_business_by_id(c, bid, r->arena, b) == STATUS_OK;
}

/* A page about the confirmation of bk: a notice, and the link to the booking's own page. */
static void confirm_page(http_req *r, int code, const business *b, const booking *bk,
			 const char *heading, const char *text, bool ask)
{
	buf p;
	html_page_start(&p, heading);
	if (b) {
		buf_adds(&p, "<p><strong>");
		tmpl_escape_html(&p, b->name);
		buf_adds(&p, "</strong></p>");
	}
	buf_adds(&p, "<p>");
	tmpl_escape_html(&p, text);
	buf_adds(&p, "</p>");
	if (bk) { /* ask: the button; otherwise the link to the booking's own page */
		const char *t = http_query(r, "t");
		buf_adds(&p, ask ? "<form method=\"post\" action=\"/b/" : "<p><a href=\"/b/");
		tmpl_escape_html(&p, bk->reference);
		buf_adds(&p, ask ? "/confirm?t=" : "?t=");
		tmpl_escape_html(&p, t ? t : "");
		buf_adds(&p, ask ? "\"><button type=\"submit\">Confirm this booking</button></form>"
				 : "\">See the booking</a></p>");
	}
	html_page_send(r, code, &p);
}

static void confirm_invalid(http_req *r)
{
	confirm_page(r, 404, NULL, NULL, "Link not valid",
		     "This link is not valid. Check the latest message we sent you.", false);
}

/* Where a booking stands for its customer, on a page (done: the notice of a confirmation
 * just made; code: the answer's code for a lapsed booking); true, with no page, when it
 * still waits. */
static bool confirm_state(http_req *r, const business *b, const booking *bk, int code,
			  const char *done)
{
	if (bk->status == BOOKING_HELD && bk->customer_id && bk->hold_expires_at > r->now)
		return true;
	if (bk->status == BOOKING_PENDING && bk->hold_expires_at > r->now) /* a payment hold */
		confirm_page(r, 200, b, bk, "Payment needed",
			     "Your booking is kept for you until you pay: follow the link to pay "
			     "and confirm it.",
			     false);
	else if (bk->status == BOOKING_CONFIRMED || bk->status == BOOKING_PENDING ||
	    bk->status == BOOKING_CHECKED_IN || bk->status == BOOKING_COMPLETED)
		confirm_page(r, 200, b, bk, "Booking confirmed",
			     done ? done
			     : bk->status == BOOKING_PENDING
				     ? "Your request is confirmed and waits for our approval."
				     : "Your booking is confirmed.",
			     false);
	else
		confirm_page(r, code == 200 ? 409 : code, b, bk, "Not confirmed in time",
			     "This booking was not confirmed in time and has lapsed: the time is "
			     "free again. You are welcome to book anew.",
			     false);
	return false;
}

/* GET: a page that asks; POST does it (mail scanners that open links confirm nothing). */
void confirm_page_get(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking bk;
	bool ok = confirm_auth(r, c, &b, &bk);
	if (!ok)
		confirm_invalid(r);
	else if (confirm_state(r, &b, &bk, 200, NULL))
		confirm_page(r, 200, &b, &bk, "Confirm your booking",
			     arena_printf(r->arena,
					  "Booking %s is kept for you only once you confirm it.",
					  bk.reference),
			     true);
}

void confirm_page_post(http_req *r)
{
	db_conn *c = app_db(r);
	business b;
	booking bk;
	if (!confirm_auth(r, c, &b, &bk)) {
		confirm_invalid(r);
		return;
	}
	book_result res;
	status st = book_confirm_email(c, &b, bk.id, r->now, r->arena, &res);
	if (st == STATUS_OK) {
		live_booking_changed(c, &b, res.b.provider_id, res.b.resource_id, res.b.busy_start,
				     res.b.busy_end, r->arena);
		confirm_state(r, &b, &res.b, 200,
			      res.b.status == BOOKING_PENDING && res.b.hold_expires_at > 0
				      ? NULL
			      : res.b.status == BOOKING_PENDING
				      ? "Thank you: your request is confirmed and waits for our approval."
				      : "Thank you: your booking is confirmed.");
	} else {
		booking now_bk; /* as it is now: lapsed, or confirmed by an earlier click */
		if (store_booking_get(c, b.id, bk.id, false, r->arena, &now_bk) == STATUS_OK)
			bk = now_bk;
		if (confirm_state(r, &b, &bk, 409, NULL))
			confirm_page(r, http_code_of(st == STATUS_BUSY ? st : STATUS_CONFLICT), &b, &bk,
				     "Please try again",
				     "The booking could not be confirmed just now.", true);
	}
}

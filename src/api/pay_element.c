/* pay_element.c - the Payment Element's PaymentIntent route and its CSP sources. */
#include "api/pay_element.h"

#include <string.h>

#include "api/app.h"
#include "api/common.h"
#include "api/payments.h"
#include "base/log.h"
#include "pay/pay.h"
#include "store/catalog.h"
#include "store/payment.h"
#include "store/secrets.h"

static const pay_config *cfg_of(const http_req *r)
{
	const app *ap = r->app;
	return ap->pay;
}

void payment_public_intent(http_req *r)
{
	const pay_config *cfg = cfg_of(r);
	if (!pay_element_on(cfg)) {
		http_problem(r, STATUS_NOT_FOUND, "the Payment Element is not configured");
		return;
	}
	db_conn *c = app_db(r);
	business b;
	booking bk;
	payment_row charge;
	if (!payment_awaiting(r, c, &b, &bk, &charge))
		return;
	service svc;
	const char *tok = NULL;
	status st = store_service_get(c, b.id, bk.service_id, r->arena, &svc);
	if (st == STATUS_OK)
		st = store_link_token(c, "manage", bk.id, r->now, r->arena, &tok);
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	pay_checkout_req rq = {
		.payment_id = charge.id,
		.reference = bk.reference,
		.description = arena_printf(r->arena, "%s — %s (%s)", b.name, svc.name, bk.reference),
		.amount_minor = charge.amount_minor,
		.currency = charge.currency,
		/* one intent per charge: asking again answers the same one */
		.idem_key = arena_printf(r->arena, "bookd-%s-element", charge.id),
	};
	const app *ap = r->app;
	const char *reference = bk.reference, *business_id = b.id;
	app_db_release(r); /* Stripe answers without our database */
	pay_intent out;
	char err[256] = "";
	st = pay_stripe_intent_create(cfg, &rq, r->arena, &out, err, sizeof(err));
	if (st != STATUS_OK) {
		log_warn("payments: PaymentIntent for %s failed: %s", reference, err);
		http_problem(r, STATUS_IO, "the payment provider could not be reached; try again");
		return;
	}
	c = app_db(r);
	st = payment_set_checkout(c, business_id, charge.id, "stripe", out.provider_ref, NULL, r->now);
	if (st == STATUS_CONFLICT) {
		http_problem(r, STATUS_CONFLICT, "the booking is no longer waiting for payment");
		return;
	}
	if (st != STATUS_OK) {
		api_store_error(r, c, st);
		return;
	}
	/* The page comes back here after Stripe.js confirmed (or 3-D Secure finished) and reads
	 * the booking's real state; the link token lets it in without the bearer header. */
	http_json_take(r, 200,
		       json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "method", "stripe_element",
				 "publishable_key", cfg->stripe_publishable_key, "client_secret",
				 out.client_secret, "js_url", cfg->stripe_js_url, "return_url",
				 arena_printf(r->arena, "%s/b/%s?t=%s&paid=1", ap->public_url,
					      reference, tok),
				 "amount", api_money(charge.amount_minor, charge.currency)));
}

/* The origin (scheme://host[:port]) of url, in r's arena; "" when it has none. */
static const char *origin_of(const http_req *r, const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL;
	if (!p)
		return "";
	const char *end = strchr(p + 3, '/');
	size_t n = end ? (size_t)(end - url) : strlen(url);
	for (size_t i = 0; i < n; i++) /* only what cannot end the header's directive */
		if (!(url[i] == ':' || url[i] == '/' || url[i] == '.' || url[i] == '-' ||
		      (url[i] >= 'a' && url[i] <= 'z') || (url[i] >= '0' && url[i] <= '9')))
			return "";
	return arena_strndup(r->arena, url, n);
}

static bool real_stripe(const char *origin)
{
	return strcmp(origin, "https://js.stripe.com") == 0;
}

const char *pay_element_csp_script(const http_req *r)
{
	const pay_config *cfg = cfg_of(r);
	if (!pay_element_on(cfg))
		return "";
	const char *o = origin_of(r, cfg->stripe_js_url);
	return *o ? arena_printf(r->arena, " %s", o) : "";
}

const char *pay_element_csp_connect(const http_req *r)
{
	const pay_config *cfg = cfg_of(r);
	if (!pay_element_on(cfg))
		return "";
	const char *o = origin_of(r, cfg->stripe_js_url);
	if (!*o)
		return "";
	return real_stripe(o) ? " https://api.stripe.com" : arena_printf(r->arena, " %s", o);
}

const char *pay_element_csp_frame(const http_req *r)
{
	const pay_config *cfg = cfg_of(r);
	if (!pay_element_on(cfg))
		return "";
	const char *o = origin_of(r, cfg->stripe_js_url);
	if (!*o)
		return "";
	return real_stripe(o) ? " https://js.stripe.com https://hooks.stripe.com"
			      : arena_printf(r->arena, " %s", o);
}

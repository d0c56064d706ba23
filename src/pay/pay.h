/* pay.h - the payment providers' HTTP APIs through libcurl: Stripe (Checkout Sessions,
 * refunds, signed webhooks) and PayPal (Orders v2, captures, refunds, webhook verification
 * by its API). Every create sends an idempotency key (Stripe's Idempotency-Key, PayPal's
 * PayPal-Request-Id), so a retried call never charges or refunds twice. Calls block for up
 * to the configured timeout: make them from a worker or after the request's database
 * connection is given back. Thread-safe (PayPal's access token is cached behind a lock). */
#ifndef BOOKD_PAY_H
#define BOOKD_PAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"

/* Keys and addresses, from flags or the environment (cli/serve.c). Borrowed for the
 * server's life; "" means not set. */
typedef struct pay_config {
	const char *stripe_secret_key;     /* sk_test_... or sk_live_... */
	const char *stripe_webhook_secret; /* whsec_...: signs Stripe's webhook events */
	const char *stripe_api_base;       /* https://api.stripe.com (a stand-in in tests) */
	const char *stripe_publishable_key; /* pk_...: with it the booking page offers Stripe's
					     * Payment Element (a PaymentIntent paid in the page) */
	const char *stripe_js_url;         /* Stripe.js: https://js.stripe.com/v3/ (Stripe
					    * requires loading it from there; a stand-in in tests) */
	const char *paypal_client_id;      /* REST app credentials */
	const char *paypal_client_secret;
	const char *paypal_webhook_id;     /* the webhook's id, for verify-webhook-signature */
	const char *paypal_api_base;       /* https://api-m.paypal.com or the sandbox */
	int64_t webhook_tolerance_s;       /* how old a signed webhook may be (300) */
	long timeout_s;                    /* per provider call (20) */
} pay_config;

/* "stripe" when its secret key is set; likewise "paypal" with client id and secret. */
bool pay_method_on(const pay_config *cfg, const char *method);

/* A checkout to create: the customer is sent to its page and comes back to success_url or
 * cancel_url. */
typedef struct pay_checkout_req {
	const char *payment_id;  /* bookd's charge row: client_reference_id / custom_id */
	const char *reference;   /* the booking's reference (metadata, description) */
	const char *description; /* what is paid for, shown on the provider's page */
	int64_t amount_minor;    /* in currency's minor unit */
	const char *currency;    /* ISO 4217, upper case */
	const char *success_url; /* return address after paying */
	const char *cancel_url;  /* return address after giving up */
	const char *idem_key;    /* idempotency key of the create */
} pay_checkout_req;

/* What a created checkout is: provider_ref is Stripe's session id (cs_...) or PayPal's
 * order id; url is where the customer goes. Strings in the arena. */
typedef struct pay_checkout {
	const char *provider_ref;
	const char *url;
} pay_checkout;

/* Creates a Stripe Checkout Session (method "stripe") or a PayPal order with its approve
 * link ("paypal"). STATUS_IO with err when the provider fails or refuses. */
status pay_checkout_create(const pay_config *cfg, const char *method, const pay_checkout_req *rq,
			   arena *a, pay_checkout *out, char *err, size_t errlen);

/* True when the Payment Element is offered: the secret and the publishable key are set. */
bool pay_element_on(const pay_config *cfg);

/* A PaymentIntent to be confirmed in the booking page: provider_ref is its id (pi_...),
 * client_secret what the page's Stripe.js confirms it with. */
typedef struct pay_intent {
	const char *provider_ref;
	const char *client_secret;
} pay_intent;

/* Creates a PaymentIntent of rq's amount and currency (automatic payment methods, the
 * charge and booking in its metadata) under rq->idem_key, so asking again answers the same
 * intent. STATUS_IO with err when Stripe fails or refuses. */
status pay_stripe_intent_create(const pay_config *cfg, const pay_checkout_req *rq, arena *a,
				pay_intent *out, char *err, size_t errlen);

/* Captures an approved PayPal order: *capture_id is what a refund names; the captured
 * amount is checked by the caller. STATUS_IO with err on failure. */
status pay_paypal_capture(const pay_config *cfg, const char *order_id, const char *idem_key,
			  arena *a, const char **capture_id, int64_t *amount_minor,
			  const char **currency, char *err, size_t errlen);

/* Refunds amount_minor of a payment (Stripe: its payment_intent; PayPal: its capture id)
 * under idem_key. *refund_ref is the provider's refund id. STATUS_IO with err on failure
 * (the caller retries with the same key). */
status pay_refund_create(const pay_config *cfg, const char *method, const char *provider_payment,
			 int64_t amount_minor, const char *currency, const char *idem_key,
			 arena *a, const char **refund_ref, char *err, size_t errlen);

/* Checks a Stripe-Signature header ("t=TS,v1=HEX[,v1=HEX...]") over body with the webhook
 * secret: HMAC-SHA256 of "TS.body", compared in constant time, and TS within tolerance of
 * now (either side). STATUS_UNAUTHORIZED: missing, malformed or no matching signature;
 * STATUS_INVALID: signed but too old or from the future (a replay). */
status pay_stripe_verify(const char *secret, const char *header, const char *body, size_t len,
			 int64_t now, int64_t tolerance_s);

/* The PayPal-Transmission-* headers of a webhook delivery. */
typedef struct pay_paypal_headers {
	const char *transmission_id;
	const char *transmission_time;
	const char *transmission_sig;
	const char *cert_url;
	const char *auth_algo;
} pay_paypal_headers;

/* Asks PayPal's verify-webhook-signature whether the delivery is genuine for the configured
 * webhook id. STATUS_OK on "SUCCESS"; STATUS_UNAUTHORIZED when it says otherwise or headers
 * are missing; STATUS_IO when PayPal cannot be asked. */
status pay_paypal_verify(const pay_config *cfg, const pay_paypal_headers *h, const char *body,
			 size_t len, char *err, size_t errlen);

#endif

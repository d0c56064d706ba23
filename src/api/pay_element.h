/* pay_element.h - Stripe's Payment Element on the booking page (api/pay_element.c): the
 * PaymentIntent a booking awaiting payment is paid with inside the page, and the
 * Content-Security-Policy that lets the page load Stripe.js only when it is configured. */
#ifndef BOOKD_API_PAY_ELEMENT_H
#define BOOKD_API_PAY_ELEMENT_H

#include "http/request.h"

/* POST /api/v1/public/bookings/{reference}/payment-intent (manage token): creates (or, by
 * its idempotency key, finds again) the PaymentIntent of the booking's open charge and
 * answers what the page's Stripe.js needs. Only the signed webhook confirms the booking. */
void payment_public_intent(http_req *r);

/* The CSP's script-src, connect-src and frame-src sources beyond 'self' for the web app's
 * pages: "" without the Payment Element; with it, Stripe.js's origin (and, for
 * js.stripe.com, Stripe's documented api.stripe.com and hooks.stripe.com), in r's arena. */
const char *pay_element_csp_script(const http_req *r);
const char *pay_element_csp_connect(const http_req *r);
const char *pay_element_csp_frame(const http_req *r);

#endif

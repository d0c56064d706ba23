/* payments.h - the payment routes (api/payments.c; rows in api/routes_payments.inc): the
 * customer's payment step (its state and the redirect to Stripe or PayPal), the providers'
 * signed webhooks, and staff's payment settings per service, payment history per booking
 * and per customer, manual payments, force majeure, revenue and the reconciliation CSV. */
#ifndef BOOKD_API_PAYMENTS_H
#define BOOKD_API_PAYMENTS_H

#include "core/model.h"
#include "http/request.h"
#include "store/db.h"
#include "store/payment.h"

/* The booking named by {reference} (the bearer token its manage token or ?t= its link
 * token) waiting for payment, with its open charge; otherwise answers (404, or 409 saying
 * why) and returns false. */
bool payment_awaiting(http_req *r, db_conn *c, business *b, booking *bk, payment_row *charge);

void payment_public_get(http_req *r);
void payment_public_pay(http_req *r);
void payment_stripe_webhook(http_req *r);
void payment_paypal_webhook(http_req *r);
void payment_service_settings_get(http_req *r);
void payment_service_settings_put(http_req *r);
void payment_booking_list(http_req *r);
void payment_booking_record(http_req *r);
void payment_booking_force_majeure(http_req *r);
void payment_customer_list(http_req *r);
void payment_revenue_get(http_req *r);
void payment_reconciliation_csv(http_req *r);

#endif

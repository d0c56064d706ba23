/* money.h - amounts in minor units of ISO 4217 currencies: the digits after the decimal
 * point of each currency, decimal text for providers that want it, what a service's payment
 * settings make due, and what a cancellation gives back of what was paid. Integers only,
 * never floating point. Pure and thread-safe. */
#ifndef BOOKD_MONEY_H
#define BOOKD_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/policy.h"

/* The decimal digits of a currency's minor unit (ISO 4217): 0 for JPY, KRW, ISK...; 3 for
 * BHD, KWD, JOD, OMR, TND, IQD, LYD; 2 otherwise. */
int money_digits(const char *currency);

/* True for a three-letter upper-case code. */
bool money_currency_ok(const char *currency);

/* Writes amount_minor of currency as decimal text ("12.50", "1000", "1.250") into out (at
 * least 32 bytes). Negative amounts get a leading '-'. */
void money_decimal(int64_t amount_minor, const char *currency, char *out, size_t outlen);

/* Reads decimal text of currency into minor units: at most the currency's digits after the
 * point. False when malformed or out of range. */
bool money_parse_decimal(const char *text, const char *currency, int64_t *out);

/* A service's payment settings. */
typedef enum money_mode {
	MONEY_NONE,    /* nothing is paid in advance */
	MONEY_DEPOSIT, /* a deposit: deposit_minor, or deposit_percent of the price */
	MONEY_FULL     /* the whole price in advance */
} money_mode;

typedef struct money_terms {
	money_mode mode;           /* what is paid in advance */
	int64_t deposit_minor;     /* a fixed deposit (used when deposit_percent is 0) */
	int deposit_percent;       /* a deposit as a percent of the price, 0..100 */
	int64_t no_show_fee_minor; /* what a no-show keeps of what was paid */
} money_terms;

const char *money_mode_name(money_mode m);
bool money_mode_parse(const char *s, money_mode *out);

/* What a booking of price_minor must pay in advance: 0 for none; a fixed deposit capped at
 * the price; a percent rounded up to the minor unit (so 1% of 1 is 1, not 0). */
int64_t money_due(const money_terms *t, int64_t price_minor);

/* What a cancellation at now gives back of paid_minor for a booking starting at start: the
 * policy tier's percent of what was paid (rounded down), everything when force_majeure. */
int64_t money_refund(const policy_refunds *tiers, int64_t start, int64_t now, int64_t paid_minor,
		     bool force_majeure, int *percent_out);

#endif

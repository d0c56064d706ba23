/* policy.h - a service's customer policies: how late one may cancel or reschedule, and what
 * a cancellation refunds. Pure; "now" is a parameter. */
#ifndef BOOKD_POLICY_H
#define BOOKD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "core/model.h"

#define POLICY_MAX_TIERS 8

/* Refund by notice: a cancellation at least min_notice_s before the start refunds percent. */
typedef struct policy_tier {
	int64_t min_notice_s; /* notice needed */
	int refund_percent;   /* 0..100 */
} policy_tier;

typedef struct policy_refunds {
	int n;                               /* tiers kept, most notice first */
	policy_tier tier[POLICY_MAX_TIERS];  /* the tiers */
} policy_refunds;

/* Parses the JSON text of services.refund_tiers ([{"min_notice_s","refund_percent"}...]).
 * STATUS_INVALID when malformed or out of range. An empty list means a full refund. */
status policy_refunds_parse(const char *json, policy_refunds *out);

/* Whether a customer may still act on a booking starting at `start`: until `until_s`
 * before it, the edge included (exactly N hours before is allowed). until_s 0 allows up to
 * the start itself. */
bool policy_in_time(int64_t start, int64_t now, int64_t until_s);

/* What a customer cancellation at `now` gives back of `price_minor`: the first tier whose
 * notice is met (edges included); with no tiers, everything. *refund_percent_out may be
 * NULL. The fee is price - refund. */
int64_t policy_refund(const policy_refunds *p, int64_t start, int64_t now, int64_t price_minor,
		      int *refund_percent_out);

/* What a booking of svc over [start, end) for seats costs: the service's price per seat;
 * for a rental, per started unit of duration_s (its price is "per hour" or "per day" when
 * duration_s is an hour or a day), so three hours of a per-hour bike cost three times; a
 * whole-days rental counts local days, whatever their length on a DST change. */
int64_t policy_price(const service *svc, int64_t start, int64_t end, int seats);

#endif
